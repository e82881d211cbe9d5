//! Literals, `dynamic` values and string quoting.

use std::fmt;

use crate::ast::{Dynamic, Literal};
use crate::temporal::{
    TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MICROSECOND, TICKS_PER_MILLISECOND, TICKS_PER_MINUTE,
    TICKS_PER_SECOND, format_datetime, format_timespan,
};

/// A string as a double-quoted KQL string literal.
///
/// Only `\`, `"` and control characters are escaped (`\n`, `\r`, `\t`, else `\uXXXX`); every
/// other character prints as itself, so non-ASCII text stays readable.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '"' => f.write_str("\\\"")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() => write!(f, "\\u{:04x}", u32::from(c))?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")
    }
}

/// Writes `keyword(value)`, or `keyword(null)` when there is no value.
fn typed<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    keyword: &str,
    value: Option<T>,
) -> fmt::Result {
    match value {
        Some(value) => write!(f, "{keyword}({value})"),
        None => write!(f, "{keyword}(null)"),
    }
}

/// The units a non-negative timespan literal may be printed in, largest first: the first that
/// divides the value gives the shortest exact spelling.
const TIMESPAN_UNITS: &[(i64, &str)] = &[
    (TICKS_PER_DAY, "d"),
    (TICKS_PER_HOUR, "h"),
    (TICKS_PER_MINUTE, "m"),
    (TICKS_PER_SECOND, "s"),
    (TICKS_PER_MILLISECOND, "ms"),
    (TICKS_PER_MICROSECOND, "microsecond"),
    (1, "tick"),
];

/// Writes a timespan literal: `5d`, `90m`, `3tick` for non-negative values, else
/// `timespan(-01:00:00)` (a leading `-` would be read as unary minus).
fn timespan(f: &mut fmt::Formatter<'_>, ticks: i64) -> fmt::Result {
    if ticks < 0 {
        return write!(f, "timespan({})", format_timespan(ticks));
    }
    let (unit_ticks, unit) = TIMESPAN_UNITS
        .iter()
        .copied()
        .find(|(unit_ticks, _)| ticks % unit_ticks == 0)
        .unwrap_or((1, "tick"));
    write!(f, "{}{unit}", ticks / unit_ticks)
}

/// Writes a real literal. Only finite non-negative values have a bare spelling: a leading `-`
/// would be read as unary minus, and NaN and infinities have no digits.
fn real(f: &mut fmt::Formatter<'_>, value: f64) -> fmt::Result {
    if value.is_nan() {
        f.write_str("real(nan)")
    } else if value.is_infinite() {
        f.write_str(if value > 0.0 {
            "real(+inf)"
        } else {
            "real(-inf)"
        })
    } else if value.is_sign_negative() {
        // Includes -0.0, which `0.0` would not read back as.
        write!(f, "real({value:?})")
    } else {
        // `{:?}` always shows a `.` or an exponent, so the text stays a real, not a long.
        write!(f, "{value:?}")
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Bool(Some(value)) => write!(f, "{value}"),
            Literal::Bool(None) => f.write_str("bool(null)"),
            Literal::Int(value) => typed(f, "int", *value),
            Literal::Long(Some(value)) if *value >= 0 => write!(f, "{value}"),
            Literal::Long(value) => typed(f, "long", *value),
            Literal::Real(Some(value)) => real(f, *value),
            Literal::Real(None) => f.write_str("real(null)"),
            Literal::Decimal(text) => typed(f, "decimal", text.as_deref()),
            Literal::String(text) => Quoted(text).fmt(f),
            Literal::Datetime(ticks) => typed(f, "datetime", ticks.map(format_datetime)),
            Literal::Timespan(Some(ticks)) => timespan(f, *ticks),
            Literal::Timespan(None) => f.write_str("timespan(null)"),
            Literal::Guid(text) => typed(f, "guid", text.as_deref()),
            Literal::Dynamic(value) => write!(f, "dynamic({value})"),
        }
    }
}

/// The value inside `dynamic(…)`: JSON, with `datetime(…)` and `timespan(…)` for KQL's temporal
/// values.
impl fmt::Display for Dynamic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dynamic::Null => f.write_str("null"),
            Dynamic::Bool(value) => write!(f, "{value}"),
            Dynamic::Long(value) => write!(f, "{value}"),
            Dynamic::Real(value) => write!(f, "{value:?}"),
            Dynamic::String(text) => Quoted(text).fmt(f),
            Dynamic::Datetime(ticks) => write!(f, "datetime({})", format_datetime(*ticks)),
            Dynamic::Timespan(ticks) => write!(f, "timespan({})", format_timespan(*ticks)),
            Dynamic::Array(items) => write!(f, "[{}]", super::comma(items)),
            Dynamic::Object(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}: {value}", Quoted(key))?;
                }
                f.write_str("}")
            }
        }
    }
}
