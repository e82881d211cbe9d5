//! Literals to typed DataFusion literals.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::prelude::lit;
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{Dynamic, Literal};
use kql_parser::temporal::{format_datetime, format_timespan};

use crate::error::{PResult, codes, error};

/// A literal as a typed DataFusion literal. Datetimes must fit Arrow's nanosecond range (years
/// 1677 to 2262).
pub(crate) fn literal(l: &Literal, span: Span) -> PResult<TypedExpr> {
    let (value, ty) = match l {
        Literal::Bool(v) => (ScalarValue::Boolean(*v), KqlType::Bool),
        Literal::Int(v) => (ScalarValue::Int32(*v), KqlType::Int),
        Literal::Long(v) => (ScalarValue::Int64(*v), KqlType::Long),
        Literal::Real(v) => (ScalarValue::Float64(*v), KqlType::Real),
        Literal::Decimal(v) => {
            let dt = KqlType::Decimal.to_arrow();
            let value = match v {
                Some(text) => ScalarValue::try_from_string(text.clone(), &dt).map_err(|_| {
                    error(
                        codes::INVALID_VALUE,
                        format!("decimal({text}) is out of range"),
                        span,
                    )
                })?,
                None => ScalarValue::try_from(&dt)
                    .map_err(|_| error(codes::INTERNAL, "decimal null", span))?,
            };
            (value, KqlType::Decimal)
        }
        Literal::String(s) => (ScalarValue::Utf8(Some(s.clone())), KqlType::String),
        Literal::Datetime(v) => {
            let nanos = match v {
                Some(ticks) => Some(ticks.checked_mul(100).ok_or_else(|| {
                    error(
                        codes::INVALID_VALUE,
                        "datetime out of range: this engine stores datetimes in nanoseconds (years 1677 to 2262)",
                        span,
                    )
                })?),
                None => None,
            };
            (
                ScalarValue::TimestampNanosecond(nanos, Some("UTC".into())),
                KqlType::Datetime,
            )
        }
        Literal::Timespan(v) => {
            let nanos = match v {
                Some(ticks) => Some(ticks.checked_mul(100).ok_or_else(|| {
                    error(
                        codes::INVALID_VALUE,
                        "timespan out of range (±292 years)",
                        span,
                    )
                })?),
                None => None,
            };
            (ScalarValue::DurationNanosecond(nanos), KqlType::Timespan)
        }
        Literal::Guid(v) => (ScalarValue::Utf8(v.clone()), KqlType::Guid),
        Literal::Dynamic(d) => {
            let value = match d {
                Dynamic::Null => ScalarValue::Utf8(None),
                other => ScalarValue::Utf8(Some(dynamic_json(other))),
            };
            (value, KqlType::Dynamic)
        }
    };
    debug_assert!(
        value.data_type() == ty.to_arrow()
            || value.data_type() == DataType::Null
            || ty == KqlType::Decimal
    );
    Ok(TypedExpr::new(lit(value), ty))
}

/// A dynamic literal as compact JSON text; datetimes and timespans become JSON strings in their
/// KQL text forms, as KQL stores them.
pub(crate) fn dynamic_json(d: &Dynamic) -> String {
    let mut out = String::new();
    write_json(d, &mut out);
    out
}

fn write_json(d: &Dynamic, out: &mut String) {
    match d {
        Dynamic::Null => out.push_str("null"),
        Dynamic::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Dynamic::Long(n) => out.push_str(&n.to_string()),
        Dynamic::Real(r) => {
            if r.is_finite() {
                let text = format!("{r}");
                out.push_str(&text);
                if !text.contains(['.', 'e', 'E']) {
                    out.push_str(".0");
                }
            } else {
                out.push_str("null");
            }
        }
        Dynamic::String(s) => out.push_str(&json_string(s)),
        Dynamic::Datetime(t) => out.push_str(&json_string(&format_datetime(*t))),
        Dynamic::Timespan(t) => out.push_str(&json_string(&format_timespan(*t))),
        Dynamic::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Dynamic::Object(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(k));
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}
