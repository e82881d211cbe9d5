//! `where d.key == "literal"` over JSON text without parsing most rows.
//!
//! `json_as_text(d, path…)` gives a string member decoded and any other member as its raw JSON
//! text. So when it equals a non-empty literal, the row's raw text holds the literal's bytes as
//! they are, or holds a backslash (an escape inside the member). A row with neither cannot match,
//! and a byte search (`memchr`'s SIMD `memmem`) rejects it at memory speed; only the rows left
//! are parsed, by `json_as_text` itself, so the answer is the same by construction. On the log
//! workload (`customDimensions.Level == 'ERROR'`) about one row in twenty is parsed.
//!
//! The result is a filter predicate, not a value: where `json_as_text(…) = literal` is null (no
//! such member, null text) this gives `false`. A filter drops both alike, so it may only replace
//! the comparison where the comparison decides whether a row is kept, which is what the
//! engine's optimizer rule checks before it uses it.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, BooleanBufferBuilder, UInt32Array,
};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The name the predicate has in plans.
pub const JSON_TEXT_EQUALS: &str = "kql_json_text_equals";

/// `kql_json_text_equals(json, literal, path…)`: the filter predicate
/// `json_as_text(json, path…) = literal` (see the module docs).
pub fn json_text_equals(json: Expr, literal: &str, path: Vec<Expr>) -> Expr {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    let udf = UDF.get_or_init(|| Arc::new(ScalarUDF::new_from_impl(JsonTextEquals::new())));
    let mut args = vec![
        json,
        Expr::Literal(ScalarValue::Utf8(Some(literal.into())), None),
    ];
    args.extend(path);
    udf.call(args)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonTextEquals {
    signature: Signature,
}

impl JsonTextEquals {
    fn new() -> Self {
        Self {
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for JsonTextEquals {
    fn name(&self) -> &str {
        JSON_TEXT_EQUALS
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [json, literal, path @ ..] = args.args.as_slice() else {
            return exec_err!("{JSON_TEXT_EQUALS} needs a JSON value, a literal and a path");
        };
        let ColumnarValue::Scalar(ScalarValue::Utf8(Some(literal))) = literal else {
            return exec_err!("{JSON_TEXT_EQUALS} needs a string literal");
        };
        // Only the candidate rows reach `json_as_text`: a path that varies by row would be
        // paired with the wrong rows.
        if path.iter().any(|p| matches!(p, ColumnarValue::Array(_))) {
            return exec_err!("{JSON_TEXT_EQUALS} needs a constant path");
        }
        let (json, scalar) = match json {
            ColumnarValue::Array(a) => (Arc::clone(a), false),
            ColumnarValue::Scalar(s) => (s.to_array_of_size(1)?, true),
        };
        let candidates = candidates(&json, literal.as_bytes());
        let mut keep = BooleanBufferBuilder::new(json.len());
        keep.append_n(json.len(), false);
        if !candidates.is_empty() {
            let rows = candidates.len();
            let indices = UInt32Array::from(candidates);
            let mut text_args = vec![ColumnarValue::Array(take(&json, &indices, None)?)];
            text_args.extend(path.iter().cloned());
            let mut arg_fields = vec![Arc::clone(&args.arg_fields[0])];
            arg_fields.extend(args.arg_fields.iter().skip(2).cloned());
            let texts = datafusion_functions_json::udfs::json_as_text_udf()
                .invoke_with_args(ScalarFunctionArgs {
                    args: text_args,
                    arg_fields,
                    number_rows: rows,
                    return_field: Arc::new(Field::new(JSON_TEXT_EQUALS, DataType::Utf8, true)),
                    config_options: Arc::clone(&args.config_options),
                })?
                .into_array(rows)?;
            let texts = datafusion::arrow::compute::cast(&texts, &DataType::Utf8)?;
            for (j, text) in texts.as_string::<i32>().iter().enumerate() {
                if text == Some(literal.as_str()) {
                    keep.set_bit(indices.value(j) as usize, true);
                }
            }
        }
        let result: ArrayRef = Arc::new(BooleanArray::new(keep.finish(), None));
        if scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(
                &result, 0,
            )?))
        } else {
            Ok(ColumnarValue::Array(result))
        }
    }
}

/// The rows of `json` that may hold `literal` as a member: their text contains the literal or a
/// backslash. Text in an array type without a byte search here (dictionaries) is all kept.
fn candidates(json: &ArrayRef, literal: &[u8]) -> Vec<u32> {
    let finder = memchr::memmem::Finder::new(literal);
    let may_match =
        |bytes: &[u8]| finder.find(bytes).is_some() || memchr::memchr(b'\\', bytes).is_some();
    let rows = json.len();
    let picked = |test: &dyn Fn(usize) -> bool| -> Vec<u32> {
        (0..rows)
            .filter(|&i| json.is_valid(i) && test(i))
            .filter_map(|i| u32::try_from(i).ok())
            .collect()
    };
    match json.data_type() {
        DataType::Utf8 => {
            let a = json.as_string::<i32>();
            picked(&|i| may_match(a.value(i).as_bytes()))
        }
        DataType::LargeUtf8 => {
            let a = json.as_string::<i64>();
            picked(&|i| may_match(a.value(i).as_bytes()))
        }
        DataType::Utf8View => {
            let a = json.as_string_view();
            picked(&|i| may_match(a.value(i).as_bytes()))
        }
        _ => picked(&|_| true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringArray;
    use datafusion::config::ConfigOptions;

    /// The predicate over `rows` for `d.key == literal`, next to what `json_as_text = literal`
    /// keeps.
    fn both(rows: Vec<Option<&str>>, literal: &str, key: &str) -> (Vec<bool>, Vec<bool>) {
        let n = rows.len();
        let json: ArrayRef = Arc::new(StringArray::from(rows));
        let field = Arc::new(Field::new("d", DataType::Utf8, true));
        let key_field = Arc::new(Field::new("k", DataType::Utf8, false));
        let key = ColumnarValue::Scalar(ScalarValue::Utf8(Some(key.into())));
        let config = Arc::new(ConfigOptions::default());
        let ours = JsonTextEquals::new()
            .invoke_with_args(ScalarFunctionArgs {
                args: vec![
                    ColumnarValue::Array(Arc::clone(&json)),
                    ColumnarValue::Scalar(ScalarValue::Utf8(Some(literal.into()))),
                    key.clone(),
                ],
                arg_fields: vec![
                    Arc::clone(&field),
                    Arc::clone(&key_field),
                    Arc::clone(&key_field),
                ],
                number_rows: n,
                return_field: Arc::new(Field::new("r", DataType::Boolean, true)),
                config_options: Arc::clone(&config),
            })
            .unwrap()
            .into_array(n)
            .unwrap();
        let texts = datafusion_functions_json::udfs::json_as_text_udf()
            .invoke_with_args(ScalarFunctionArgs {
                args: vec![ColumnarValue::Array(json), key],
                arg_fields: vec![field, key_field],
                number_rows: n,
                return_field: Arc::new(Field::new("t", DataType::Utf8, true)),
                config_options: config,
            })
            .unwrap()
            .into_array(n)
            .unwrap();
        let ours = ours.as_boolean().iter().map(|b| b == Some(true)).collect();
        let reference = texts
            .as_string::<i32>()
            .iter()
            .map(|t| t == Some(literal))
            .collect();
        (ours, reference)
    }

    #[test]
    fn keeps_exactly_the_rows_json_as_text_equality_keeps() {
        let rows = vec![
            Some(r#"{"Level":"ERROR","m":"x"}"#),
            Some(r#"{"Level":"INFO","m":"ERROR in message"}"#),
            Some(r#"{"level":"ERROR"}"#),
            Some(r#"{"Level":"\u0045RROR"}"#),
            Some(r#"{"Level":"ERR\"OR"}"#),
            None,
            Some("not json ERROR"),
            Some(r#"{"Level":null}"#),
            Some(r#"{"m":"a\\b","Level":"ERROR"}"#),
        ];
        let (ours, reference) = both(rows, "ERROR", "Level");
        assert_eq!(ours, reference);
        assert_eq!(
            ours,
            [true, false, false, true, false, false, false, false, true]
        );
    }

    #[test]
    fn a_path_that_varies_by_row_is_refused() {
        let json: ArrayRef = Arc::new(StringArray::from(vec![r#"{"a":"x"}"#, r#"{"b":"x"}"#]));
        let keys: ArrayRef = Arc::new(StringArray::from(vec!["b", "a"]));
        let field = Arc::new(Field::new("d", DataType::Utf8, true));
        let result = JsonTextEquals::new().invoke_with_args(ScalarFunctionArgs {
            args: vec![
                ColumnarValue::Array(json),
                ColumnarValue::Scalar(ScalarValue::Utf8(Some("x".into()))),
                ColumnarValue::Array(keys),
            ],
            arg_fields: vec![Arc::clone(&field), Arc::clone(&field), field],
            number_rows: 2,
            return_field: Arc::new(Field::new("r", DataType::Boolean, true)),
            config_options: Arc::new(ConfigOptions::default()),
        });
        assert!(result.is_err());
    }

    #[test]
    fn members_that_are_not_strings_compare_as_their_json_text() {
        let rows = vec![
            Some(r#"{"n":5}"#),
            Some(r#"{"n":"5"}"#),
            Some(r#"{"n":5.0}"#),
            Some(r#"{"n":[5]}"#),
            Some(r#"{"n":{"a":5}}"#),
            Some(r#"{"n":true}"#),
        ];
        for literal in ["5", "5.0", "[5]", r#"{"a":5}"#, "true"] {
            let (ours, reference) = both(rows.clone(), literal, "n");
            assert_eq!(ours, reference, "{literal}");
        }
    }
}
