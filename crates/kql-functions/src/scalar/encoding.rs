//! Encodings of text: base64, UTF-8 size, Unicode code points.

mod bytes;

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::functions::expr_fn::octet_length;
use datafusion::logical_expr::{ScalarUDF, cast as cast_expr};

use crate::udf::{KernelUdf, utf8};
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr};

/// Registers the encoding functions.
pub(crate) fn register(r: &mut Registry) {
    bytes::register(r);
    r.add_scalar(ScalarFunction {
        name: "base64_encode_tostring",
        doc: "The UTF-8 bytes of the text in base64 (with padding).",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::String)],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, mut args| Ok(udf(Which::Encode).call(vec![args.remove(0).expr])),
    });
    r.add_scalar(ScalarFunction {
        name: "base64_decode_tostring",
        doc: "The text a base64 string encodes; \"\" when it is not base64 of UTF-8 text.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::String)],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, mut args| Ok(udf(Which::Decode).call(vec![args.remove(0).expr])),
    });
    r.add_scalar(ScalarFunction {
        name: "string_size",
        doc: "The size of the text in bytes (UTF-8).",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::String)],
            Returns::Type(KqlType::Long),
        )],
        lower: |_, _, mut args| {
            Ok(cast_expr(
                octet_length(args.remove(0).expr),
                DataType::Int64,
            ))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "unicode_codepoints_to_string",
        doc: "The text of Unicode code points given as numbers or dynamic arrays of numbers.",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String)).variadic()],
        lower: |_, _, args| {
            let texts = args.into_iter().map(|a| as_json_text(&a)).collect();
            Ok(udf(Which::FromCodepoints).call(texts))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "unicode_codepoints_from_string",
        doc: "The Unicode code points of the text, as a dynamic array.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::String)],
            Returns::Type(KqlType::Dynamic),
        )],
        lower: |_, _, mut args| Ok(udf(Which::ToCodepoints).call(vec![args.remove(0).expr])),
    });
}

/// A number or a dynamic value as JSON text, for the code-point kernel.
fn as_json_text(a: &TypedExpr) -> datafusion::logical_expr::Expr {
    if a.ty == KqlType::Dynamic {
        a.expr.clone()
    } else {
        cast_expr(cast_expr(a.expr.clone(), DataType::Int64), DataType::Utf8)
    }
}

#[derive(Clone, Copy)]
enum Which {
    Encode,
    Decode,
    FromCodepoints,
    ToCodepoints,
}

fn udf(which: Which) -> Arc<ScalarUDF> {
    static UDFS: OnceLock<[Arc<ScalarUDF>; 4]> = OnceLock::new();
    let all = UDFS.get_or_init(|| {
        [
            KernelUdf::new(
                "kql_base64_encode",
                vec![DataType::Utf8],
                DataType::Utf8,
                |a| map_text(&a[0], |s| Some(STANDARD.encode(s))),
            )
            .into_udf(),
            KernelUdf::new(
                "kql_base64_decode",
                vec![DataType::Utf8],
                DataType::Utf8,
                |a| {
                    map_text(&a[0], |s| {
                        let bytes = STANDARD.decode(s).ok()?;
                        Some(String::from_utf8(bytes).unwrap_or_default())
                    })
                },
            )
            .into_udf(),
            KernelUdf::any_args(
                "kql_codepoints_to_string",
                DataType::Utf8,
                codepoints_to_string,
            )
            .into_udf(),
            KernelUdf::new(
                "kql_codepoints_from_string",
                vec![DataType::Utf8],
                DataType::Utf8,
                |a| {
                    map_text(&a[0], |s| {
                        let points: Vec<String> =
                            s.chars().map(|c| (c as u32).to_string()).collect();
                        Some(format!("[{}]", points.join(",")))
                    })
                },
            )
            .into_udf(),
        ]
    });
    Arc::clone(&all[which as usize])
}

fn map_text(array: &ArrayRef, f: impl Fn(&str) -> Option<String>) -> Result<ArrayRef> {
    let a = utf8(array)?;
    let values = a.as_string::<i32>();
    let mut out = StringBuilder::with_capacity(values.len(), values.len() * 16);
    for v in values.iter() {
        out.append_option(v.and_then(&f));
    }
    Ok(Arc::new(out.finish()))
}

/// Each argument is a code point or a JSON array of them; a value that is not a valid code point
/// makes the result null.
fn codepoints_to_string(args: &[ArrayRef]) -> Result<ArrayRef> {
    let rows = args.first().map_or(0, |a| a.len());
    let texts: Vec<ArrayRef> = args.iter().map(utf8).collect::<Result<_>>()?;
    let mut out = StringBuilder::with_capacity(rows, rows * 8);
    for row in 0..rows {
        let mut s = String::new();
        let mut ok = true;
        for t in &texts {
            let t = t.as_string::<i32>();
            if t.is_null(row) {
                ok = false;
                break;
            }
            let points: Vec<i64> = match serde_json::from_str::<serde_json::Value>(t.value(row)) {
                Ok(serde_json::Value::Array(items)) => {
                    items.iter().filter_map(serde_json::Value::as_i64).collect()
                }
                Ok(serde_json::Value::Number(n)) => n.as_i64().into_iter().collect(),
                _ => Vec::new(),
            };
            for p in points {
                match u32::try_from(p).ok().and_then(char::from_u32) {
                    Some(c) => s.push(c),
                    None => ok = false,
                }
            }
        }
        out.append_option(ok.then_some(s));
    }
    Ok(Arc::new(out.finish()))
}
