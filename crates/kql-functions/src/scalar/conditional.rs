//! Conditionals and null tests: `iff`, `case`, `coalesce`, `isempty`, `isnull`, …

use datafusion::logical_expr::when;

use crate::{FunctionError, KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the conditional functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "iff",
        doc: "`then` where the condition is true, else `else` (a null condition counts as false).",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Bool), Param::Any, Param::Any],
            Returns::Custom(|t| t.get(1).copied().unwrap_or(KqlType::Dynamic)),
        )],
        lower: |_, _, args| {
            let [c, t, e]: [_; 3] = args.try_into().map_err(|_| invalid("iff", "3 arguments"))?;
            when(c.expr, t.expr)
                .otherwise(e.expr)
                .map_err(|e| invalid("iff", &e.to_string()))
        },
    });
    r.add_scalar_alias("iif", "iff");
    r.add_scalar(ScalarFunction {
        name: "isnull",
        doc: "Whether the value is null.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Bool))],
        lower: |_, _, mut args| Ok(args.remove(0).expr.is_null()),
    });
    r.add_scalar(ScalarFunction {
        name: "isnotnull",
        doc: "Whether the value is not null.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::Bool))],
        lower: |_, _, mut args| Ok(args.remove(0).expr.is_not_null()),
    });
}

/// A lowering error for `name`.
pub(crate) fn invalid(name: &str, message: &str) -> FunctionError {
    FunctionError::Invalid {
        name: name.to_string(),
        message: message.to_string(),
    }
}
