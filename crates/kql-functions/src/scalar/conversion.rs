//! Conversions between KQL types: `tostring`, `tolong`, `todatetime`, `tohex`, `toguid`, …, and
//! the text forms of values. A conversion that fails gives null, never an error.
//!
//! Between numbers and datetimes or timespans the number counts 100 ns ticks, the unit KQL's
//! datetime type is defined in: a timespan is its ticks, a datetime the ticks since
//! 0001-01-01 (the docs' "number of ticks since 12:00 midnight, January 1, 0001"), so
//! `tolong(1s)` is 10000000 and `todatetime(tolong(d)) == d`.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, Int64Array, StringArray, StringBuilder};
use datafusion::arrow::compute::can_cast_types;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn as df;
use datafusion::logical_expr::{Expr, ScalarUDF, cast, try_cast};
use datafusion::prelude::lit;

use crate::scalar::datetime::{datetime_array, i64s, shared, texts, timespan_array, utc};
use crate::udf::{self, KernelUdf};
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature, TypedExpr};

/// Ticks from 0001-01-01 to the Unix epoch.
const EPOCH_TICKS: i64 = 621_355_968_000_000_000;
const NANOS_PER_TICK: i64 = 100;

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
            "The value as a long (reals truncated, datetimes and timespans in ticks), or null.",
        ),
        (
            "toint",
            KqlType::Int,
            "The value as an int (reals truncated), or null if it cannot be converted.",
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
            "The value as a bool (\"true\"/\"false\" in any case, numbers non-zero), or null.",
        ),
        (
            "toboolean",
            KqlType::Bool,
            "The value as a bool (\"true\"/\"false\" in any case, numbers non-zero), or null.",
        ),
        (
            "todatetime",
            KqlType::Datetime,
            "The value as a datetime (text in any documented format), or null.",
        ),
        (
            "totimespan",
            KqlType::Timespan,
            "The value as a timespan, or null if it cannot be converted.",
        ),
        (
            "totime",
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
                KqlType::Long => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Long)),
                KqlType::Int => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Int)),
                KqlType::Real => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Real)),
                KqlType::Bool => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Bool)),
                KqlType::Datetime => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Datetime)),
                KqlType::Timespan => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Timespan)),
                _ => |_, _, mut a| Ok(convert(&a.remove(0), KqlType::Decimal)),
            },
        });
    }
    r.add_scalar(ScalarFunction {
        name: "tohex",
        doc: "The integer in lower-case hex (two's complement for negatives, 8 digits for an int, 16 for a long), padded with zeros to an optional length (at most 16).",
        signatures: vec![
            Signature::new(
                [Param::Integer, Param::Of(KqlType::Long)],
                Returns::Type(KqlType::String),
            )
            .optional(1),
        ],
        lower: |_, _, mut a| {
            let value = a.remove(0);
            let bits = if value.ty == KqlType::Int { 32_i64 } else { 64 };
            let min_length = a.pop().map_or(lit(0_i64), |m| m.expr);
            Ok(tohex_udf().call(vec![
                try_cast(value.expr, DataType::Int64),
                min_length,
                lit(bits),
            ]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "toguid",
        doc: "The text as a guid: the first 32 hex digits, hyphens ignored; null if there are not 32.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::String)],
            Returns::Type(KqlType::Guid),
        )],
        lower: |_, _, mut a| Ok(toguid_udf().call(vec![a.remove(0).expr])),
    });
}

/// An explicit conversion (`tolong(x)`, …): [`convert_scalar`] for the cases KQL defines
/// between scalar types, else the implicit conversion.
fn convert(arg: &TypedExpr, target: KqlType) -> Expr {
    if arg.ty == target {
        return arg.expr.clone();
    }
    match (arg.ty, target) {
        (KqlType::String | KqlType::Guid | KqlType::Dynamic, _) | (_, KqlType::String) => {
            arg.convert_to(target)
        }
        (from, to) => convert_scalar(arg.expr.clone(), from, to),
    }
}

/// Converts between non-text scalar types: numbers to numbers (reals truncate towards zero,
/// out of range gives null), bools to and from numbers, and numbers to and from datetimes and
/// timespans in ticks. Pairs with no conversion give a null of the target type.
pub fn convert_scalar(expr: Expr, from: KqlType, to: KqlType) -> Expr {
    use KqlType::*;
    if from == to {
        return expr;
    }
    match (from, to) {
        (Datetime, Int | Long | Real | Decimal) => try_cast(
            cast(expr, DataType::Int64) / lit(NANOS_PER_TICK) + lit(EPOCH_TICKS),
            to.to_arrow(),
        ),
        (Timespan, Int | Long | Real | Decimal) => try_cast(
            cast(expr, DataType::Int64) / lit(NANOS_PER_TICK),
            to.to_arrow(),
        ),
        (Int | Long | Real | Decimal, Datetime) => {
            ticks_to_datetime_udf().call(vec![try_cast(expr, DataType::Int64)])
        }
        (Int | Long | Real | Decimal, Timespan) => {
            ticks_to_timespan_udf().call(vec![try_cast(expr, DataType::Int64)])
        }
        _ if can_cast_types(&from.to_arrow(), &to.to_arrow())
            && !matches!(
                (from, to),
                (Datetime | Timespan, _) | (_, Datetime | Timespan)
            ) =>
        {
            try_cast(expr, to.to_arrow())
        }
        _ => lit(ScalarValue::try_new_null(&to.to_arrow()).unwrap_or(ScalarValue::Null)),
    }
}

fn ticks_to_datetime_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new("kql_ticks_to_datetime", vec![DataType::Int64], utc(), |a| {
            let ticks = i64s(&a[0])?;
            let out: Int64Array = ticks
                .iter()
                .map(|t| t?.checked_sub(EPOCH_TICKS)?.checked_mul(NANOS_PER_TICK))
                .collect();
            Ok(datetime_array(out))
        })
    })
}

fn ticks_to_timespan_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_ticks_to_timespan",
            vec![DataType::Int64],
            KqlType::Timespan.to_arrow(),
            |a| {
                let ticks = i64s(&a[0])?;
                let out: Int64Array = ticks
                    .iter()
                    .map(|t| t?.checked_mul(NANOS_PER_TICK))
                    .collect();
                Ok(timespan_array(out))
            },
        )
    })
}

/// `tohex` of one value: `bits` is the width of its type, for negatives in two's complement.
pub(crate) fn hex_text(value: i64, min_length: i64, bits: i64) -> String {
    let digits = if bits == 32 {
        format!("{:x}", value as i32 as u32)
    } else {
        format!("{:x}", value as u64)
    };
    let width = min_length.clamp(0, 16) as usize;
    format!("{digits:0>width$}")
}

fn tohex_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_tohex",
            vec![DataType::Int64, DataType::Int64, DataType::Int64],
            DataType::Utf8,
            |a| {
                let (values, lengths, bits) = (i64s(&a[0])?, i64s(&a[1])?, i64s(&a[2])?);
                let mut out = StringBuilder::with_capacity(values.len(), values.len() * 8);
                for i in 0..values.len() {
                    if values.is_null(i) || lengths.is_null(i) || bits.is_null(i) {
                        // KQL strings are never null.
                        out.append_value("");
                    } else {
                        out.append_value(hex_text(
                            values.value(i),
                            lengths.value(i),
                            bits.value(i),
                        ));
                    }
                }
                Ok(Arc::new(out.finish()))
            },
        )
    })
}

/// `toguid` of text: the first 32 hex digits, skipping hyphens, in the canonical lower-case
/// 8-4-4-4-12 form; the rest of the text is ignored (as the docs say).
pub(crate) fn guid_of_text(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(32);
    for c in text.trim().chars() {
        if digits.len() == 32 {
            break;
        }
        if c == '-' {
            continue;
        }
        if !c.is_ascii_hexdigit() {
            return None;
        }
        digits.push(c.to_ascii_lowercase());
    }
    if digits.len() < 32 {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}-{}",
        &digits[..8],
        &digits[8..12],
        &digits[12..16],
        &digits[16..20],
        &digits[20..]
    ))
}

fn toguid_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new("kql_toguid", vec![DataType::Utf8], DataType::Utf8, |a| {
            let values = texts(&a[0])?;
            let out: StringArray = values.iter().map(|v| v.and_then(guid_of_text)).collect();
            Ok(Arc::new(out) as ArrayRef)
        })
    })
}

/// The KQL text form of a non-string, non-dynamic value (what `tostring` gives).
pub fn format_value(expr: Expr, ty: KqlType) -> Expr {
    match ty {
        // `tostring(datetime(2017-01-01))` is `2017-01-01T00:00:00.0000000Z` (the docs'
        // reverse() example shows all seven digits).
        KqlType::Datetime => udf::format_datetime_full().call(vec![expr]),
        KqlType::Timespan => udf::format_timespan().call(vec![expr]),
        KqlType::Real => udf::format_real().call(vec![expr]),
        // Decimal128(38, 18) prints 18 fraction digits; KQL prints the value (`1.5`, `2`).
        KqlType::Decimal => df::rtrim(vec![
            df::rtrim(vec![cast(expr, DataType::Utf8), lit("0")]),
            lit("."),
        ]),
        _ => cast(expr, DataType::Utf8),
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
            try_cast(df::btrim(vec![text]), KqlType::Real.to_arrow()),
            KqlType::Int.to_arrow(),
        ),
        KqlType::Long => udf::parse_long().call(vec![text]),
        _ => try_cast(df::btrim(vec![text]), target.to_arrow()),
    }
}

/// A scalar value as a `dynamic` (JSON text): strings become JSON strings, numbers and bools
/// JSON numbers and bools, datetimes and timespans JSON strings in their KQL text forms.
pub fn to_dynamic(expr: Expr, ty: KqlType) -> Expr {
    let text = match ty {
        // A datetime inside a dynamic value is ISO 8601 without a zero fraction.
        KqlType::Datetime => udf::format_datetime().call(vec![expr]),
        KqlType::Timespan | KqlType::Real | KqlType::Decimal => format_value(expr, ty),
        _ => expr,
    };
    udf::to_json().call(vec![text, lit(ty.name())])
}

#[cfg(test)]
mod tests;
