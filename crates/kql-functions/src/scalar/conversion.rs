//! Conversions between KQL types: `tostring`, `tolong`, `todatetime`, …, and the text forms of
//! values. A conversion that fails gives null, never an error.

use datafusion::logical_expr::{Expr, cast, try_cast};

use crate::udf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the conversion functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "tostring",
        doc: "The value as a string; null becomes \"\".",
        signatures: vec![Signature::new([Param::Any], Returns::Type(KqlType::String))],
        lower: |_, _, mut args| Ok(args.remove(0).to_text()),
    });
    for (name, target, doc) in [
        (
            "tolong",
            KqlType::Long,
            "The value as a long, or null if it cannot be converted.",
        ),
        (
            "toint",
            KqlType::Int,
            "The value as an int, or null if it cannot be converted.",
        ),
        (
            "todouble",
            KqlType::Real,
            "The value as a real, or null if it cannot be converted.",
        ),
        (
            "toreal",
            KqlType::Real,
            "The value as a real, or null if it cannot be converted.",
        ),
        (
            "tobool",
            KqlType::Bool,
            "The value as a bool, or null if it cannot be converted.",
        ),
        (
            "toboolean",
            KqlType::Bool,
            "The value as a bool, or null if it cannot be converted.",
        ),
        (
            "todatetime",
            KqlType::Datetime,
            "The value as a datetime, or null if it cannot be converted.",
        ),
        (
            "totimespan",
            KqlType::Timespan,
            "The value as a timespan, or null if it cannot be converted.",
        ),
        (
            "todecimal",
            KqlType::Decimal,
            "The value as a decimal, or null if it cannot be converted.",
        ),
    ] {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: vec![Signature::new([Param::Any], Returns::Type(target))],
            lower: match target {
                KqlType::Long => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Long)),
                KqlType::Int => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Int)),
                KqlType::Real => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Real)),
                KqlType::Bool => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Bool)),
                KqlType::Datetime => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Datetime)),
                KqlType::Timespan => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Timespan)),
                _ => |_, _, mut a| Ok(a.remove(0).convert_to(KqlType::Decimal)),
            },
        });
    }
}

/// The KQL text form of a non-string, non-dynamic value (what `tostring` gives).
pub fn format_value(expr: Expr, ty: KqlType) -> Expr {
    match ty {
        KqlType::Datetime => udf::format_datetime().call(vec![expr]),
        KqlType::Timespan => udf::format_timespan().call(vec![expr]),
        KqlType::Real => udf::format_real().call(vec![expr]),
        _ => cast(expr, datafusion::arrow::datatypes::DataType::Utf8),
    }
}

/// Text parsed as `target` (`tolong("12")`, `todatetime("2026-01-01")`); null when it does not
/// parse.
pub fn parse_text(text: Expr, target: KqlType) -> Expr {
    match target {
        KqlType::Datetime => udf::parse_datetime().call(vec![text]),
        KqlType::Timespan => udf::parse_timespan().call(vec![text]),
        KqlType::Bool => udf::parse_bool().call(vec![text]),
        KqlType::Dynamic => udf::parse_json().call(vec![text]),
        KqlType::String | KqlType::Guid => text,
        KqlType::Int => try_cast(
            try_cast(
                datafusion::functions::expr_fn::btrim(vec![text]),
                KqlType::Real.to_arrow(),
            ),
            KqlType::Int.to_arrow(),
        ),
        KqlType::Long => udf::parse_long().call(vec![text]),
        _ => try_cast(
            datafusion::functions::expr_fn::btrim(vec![text]),
            target.to_arrow(),
        ),
    }
}

/// A scalar value as a `dynamic` (JSON text): strings become JSON strings, numbers and bools
/// JSON numbers and bools, datetimes and timespans JSON strings in their KQL text forms.
pub fn to_dynamic(expr: Expr, ty: KqlType) -> Expr {
    let text = match ty {
        KqlType::Datetime | KqlType::Timespan | KqlType::Real => format_value(expr, ty),
        _ => expr,
    };
    udf::to_json().call(vec![text, datafusion::prelude::lit(ty.name())])
}
