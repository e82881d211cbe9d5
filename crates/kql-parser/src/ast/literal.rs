//! Literal values.

/// A literal as written in the query. Temporal values are in KQL ticks (100 ns); datetimes count
/// ticks from the Unix epoch, so the whole KQL range (years 1 to 9999) fits.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `true`, `false`, `bool(null)`.
    Bool(Option<bool>),
    /// `int(5)`, `int(null)`.
    Int(Option<i32>),
    /// `5`, `0x1F`, `long(null)`: integer literals are `long`.
    Long(Option<i64>),
    /// `1.5`, `1e3`, `real(nan)`, `real(+inf)`, `real(null)`.
    Real(Option<f64>),
    /// `decimal(1.25)`: the digits as written, sign included.
    Decimal(Option<String>),
    /// Any string literal form, after escapes and concatenation of adjacent literals.
    String(String),
    /// `datetime(…)`: ticks since 1970-01-01.
    Datetime(Option<i64>),
    /// `5d`, `1.5h`, `time(1.02:03:04)`, `timespan(null)`: ticks.
    Timespan(Option<i64>),
    /// `guid(…)`: canonical lower-case text.
    Guid(Option<String>),
    /// `dynamic(…)`.
    Dynamic(Dynamic),
}

/// The value of a `dynamic(…)` literal: JSON, plus KQL's datetime and timespan values.
#[derive(Clone, Debug, PartialEq)]
pub enum Dynamic {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Long(i64),
    /// A number with a fraction or exponent.
    Real(f64),
    /// A string.
    String(String),
    /// `datetime(…)` inside a dynamic literal.
    Datetime(i64),
    /// `timespan(…)` or `1d` inside a dynamic literal.
    Timespan(i64),
    /// `[…]`.
    Array(Vec<Dynamic>),
    /// `{…}`: keys in the order written; keys are case-sensitive.
    Object(Vec<(String, Dynamic)>),
}
