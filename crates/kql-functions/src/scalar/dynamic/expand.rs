//! The rows `mv-expand` makes of each input row: one per element of the expanded arrays or bags,
//! expanded in parallel (a shorter one is padded with nulls), as a list the planner unnests.
//!
//! Per value, as the mv-expand documentation says: null gives one (null) record, an empty array
//! or bag none, an array one per element, a bag one per property (`{"key": value}`, or
//! `["key", value]` with `kind=array`), any other value one record of itself.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int64Builder, ListBuilder, StringBuilder, StructBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::json::Json;

/// The name of the index field of each struct; the values are `v0`, `v1`, ….
pub const INDEX_FIELD: &str = "i";

/// The field name of expansion `k`'s value.
pub fn value_field(k: usize) -> String {
    format!("v{k}")
}

/// `mv-expand` of the `dynamic` (JSON text) expressions `values`: a list per row of structs
/// `{i: long, v0: dynamic, v1: dynamic, …}`, at most `limit` of them.
pub fn mv_expand(values: Vec<Expr>, bag_as_array: bool, limit: i64) -> Expr {
    let udf = MvExpand {
        signature: Signature::variadic_any(Volatility::Immutable),
        width: values.len(),
        bag_as_array,
        limit,
    };
    Arc::new(ScalarUDF::new_from_impl(udf)).call(values)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct MvExpand {
    signature: Signature,
    width: usize,
    bag_as_array: bool,
    limit: i64,
}

impl MvExpand {
    fn struct_fields(&self) -> Fields {
        let mut fields = vec![Field::new(INDEX_FIELD, DataType::Int64, false)];
        fields.extend((0..self.width).map(|k| Field::new(value_field(k), DataType::Utf8, true)));
        Fields::from(fields)
    }

    /// The elements one value expands to, as JSON text (`None` for a null record).
    fn elements(&self, value: Option<&str>) -> Vec<Option<String>> {
        let Some(text) = value else {
            return vec![None];
        };
        match Json::parse(text) {
            None => vec![Some(text.to_string())],
            Some(Json::Null) => vec![None],
            Some(Json::Array(items)) => items.iter().map(|j| Some(j.text())).collect(),
            Some(Json::Object(entries)) => entries
                .into_iter()
                .map(|(k, v)| {
                    let j = if self.bag_as_array {
                        Json::Array(vec![Json::String(k), v])
                    } else {
                        Json::Object(vec![(k, v)])
                    };
                    Some(j.text())
                })
                .collect(),
            Some(other) => vec![Some(other.text())],
        }
    }
}

impl ScalarUDFImpl for MvExpand {
    fn name(&self) -> &str {
        "kql_mv_expand"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Arc::new(Field::new_list_field(
            DataType::Struct(self.struct_fields()),
            true,
        ))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        if args.args.len() != self.width {
            return exec_err!("kql_mv_expand: expected {} arguments", self.width);
        }
        let rows = args.number_rows;
        let inputs: Vec<ArrayRef> = args
            .args
            .iter()
            .map(|a| a.to_array(rows).and_then(|a| crate::udf::utf8(&a)))
            .collect::<Result<_>>()?;
        let strings: Vec<_> = inputs.iter().map(|a| a.as_string::<i32>()).collect();
        let fields = self.struct_fields();
        let mut builder =
            ListBuilder::new(StructBuilder::from_fields(fields.clone(), rows)).with_field(
                Arc::new(Field::new_list_field(DataType::Struct(fields), true)),
            );
        let limit = usize::try_from(self.limit.max(0)).unwrap_or(usize::MAX);
        for row in 0..rows {
            let expanded: Vec<Vec<Option<String>>> = strings
                .iter()
                .map(|s| self.elements((!s.is_null(row)).then(|| s.value(row))))
                .collect();
            let count = expanded.iter().map(Vec::len).max().unwrap_or(0).min(limit);
            let items = builder.values();
            for i in 0..count {
                if let Some(b) = items.field_builder::<Int64Builder>(0) {
                    b.append_value(i as i64);
                }
                for (k, values) in expanded.iter().enumerate() {
                    if let Some(b) = items.field_builder::<StringBuilder>(k + 1) {
                        b.append_option(values.get(i).cloned().flatten());
                    }
                }
                items.append(true);
            }
            builder.append(true);
        }
        Ok(ColumnarValue::Array(Arc::new(builder.finish())))
    }
}
