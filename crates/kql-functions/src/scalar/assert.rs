//! `assert(condition, message)`: true, or the query fails with the message. A condition that is
//! the literal `false` (after constant folding of `let` values) fails when planning; any other
//! fails when a row evaluates it to false or null.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{ScalarValue, exec_err};
use datafusion::logical_expr::{Expr, ScalarUDF};

use super::datetime::literal_text;
use crate::udf::KernelUdf;
use crate::{FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature};

fn assert_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    Arc::clone(UDF.get_or_init(|| {
        KernelUdf::new(
            "kql_assert",
            vec![DataType::Boolean, DataType::Utf8],
            DataType::Boolean,
            |a| {
                let conditions = a[0].as_boolean();
                let messages = a[1].as_string::<i32>();
                for i in 0..conditions.len() {
                    if conditions.is_null(i) || !conditions.value(i) {
                        let message = if messages.is_null(i) {
                            ""
                        } else {
                            messages.value(i)
                        };
                        return exec_err!("assert() failed: {message}");
                    }
                }
                Ok(Arc::new(BooleanArray::from(vec![true; conditions.len()])) as ArrayRef)
            },
        )
        .into_udf()
    }))
}

/// Registers `assert`.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "assert",
        doc: "True if the condition holds; otherwise the query fails with the message.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Bool), Param::Of(KqlType::String)],
            Returns::Type(KqlType::Bool),
        )],
        lower: |_, _, args| {
            let [condition, message] =
                <[_; 2]>::try_from(args).map_err(|_| FunctionError::Invalid {
                    name: "assert".into(),
                    message: "takes a condition and a message".into(),
                })?;
            if matches!(
                condition.expr,
                Expr::Literal(ScalarValue::Boolean(Some(false)), _)
            ) {
                return Err(FunctionError::Invalid {
                    name: "assert".into(),
                    message: format!(
                        "the assertion failed: {}",
                        literal_text(&message.expr).unwrap_or("(no message)")
                    ),
                });
            }
            Ok(assert_udf().call(vec![condition.expr, message.expr]))
        },
    });
}
