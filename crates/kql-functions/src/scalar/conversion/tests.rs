//! Expected values come from the examples and rules of the KQL docs
//! (MicrosoftDocs/dataexplorer-docs, `data-explorer/kusto/query/to*-function.md` and
//! `scalar-data-types/*.md`).

use datafusion::common::ScalarValue;
use kql_parser::temporal;

use super::{guid_of_text, hex_text};
use crate::testing::{arg, call, l, s};
use crate::udf::real_text;
use crate::{KqlType, TypedExpr};

fn real(v: f64) -> TypedExpr {
    arg(v, KqlType::Real)
}

fn int(v: i32) -> TypedExpr {
    arg(v, KqlType::Int)
}

fn dt(text: &str) -> TypedExpr {
    let ticks = temporal::parse_datetime(text).unwrap_or_else(|| panic!("bad datetime {text}"));
    arg(
        ScalarValue::TimestampNanosecond(Some(ticks * 100), Some("UTC".into())),
        KqlType::Datetime,
    )
}

fn ts(text: &str) -> TypedExpr {
    let ticks = temporal::parse_timespan(text).unwrap_or_else(|| panic!("bad timespan {text}"));
    arg(
        ScalarValue::DurationNanosecond(Some(ticks * 100)),
        KqlType::Timespan,
    )
}

fn decimal(text: &str) -> TypedExpr {
    let value = ScalarValue::try_from_string(text.to_string(), &KqlType::Decimal.to_arrow())
        .unwrap_or_else(|e| panic!("bad decimal {text}: {e}"));
    arg(value, KqlType::Decimal)
}

fn text(v: ScalarValue) -> String {
    match v {
        ScalarValue::Utf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => s,
        other => panic!("not a string: {other:?}"),
    }
}

fn iso(v: ScalarValue) -> String {
    match v {
        ScalarValue::TimestampNanosecond(Some(ns), _) => temporal::format_datetime(ns / 100),
        ScalarValue::TimestampNanosecond(None, _) => "null".into(),
        other => panic!("not a datetime: {other:?}"),
    }
}

fn span(v: ScalarValue) -> String {
    match v {
        ScalarValue::DurationNanosecond(Some(ns)) => temporal::format_timespan(ns / 100),
        ScalarValue::DurationNanosecond(None) => "null".into(),
        other => panic!("not a timespan: {other:?}"),
    }
}

#[test]
fn tostring_of_each_type() {
    // tostring-function.md: `tostring(123)`; null becomes "".
    assert_eq!(text(call("tostring", vec![l(123)])), "123");
    assert_eq!(text(call("tostring", vec![int(-7)])), "-7");
    assert_eq!(
        text(call(
            "tostring",
            vec![arg(ScalarValue::Int64(None), KqlType::Long)]
        )),
        ""
    );
    assert_eq!(
        text(call("tostring", vec![arg(true, KqlType::Bool)])),
        "true"
    );
    assert_eq!(
        text(call("tostring", vec![arg(false, KqlType::Bool)])),
        "false"
    );
    // Reals: bin-function.md prints `bin(4.5, 1)` as 4, isnan-function.md prints NaN.
    assert_eq!(text(call("tostring", vec![real(4.0)])), "4");
    assert_eq!(text(call("tostring", vec![real(1.5)])), "1.5");
    assert_eq!(text(call("tostring", vec![real(f64::NAN)])), "NaN");
    // Datetimes in ISO 8601 with all seven fractional digits (reverse-function.md reverses
    // tostring(datetime(2017-10-15 12:00)) into "Z0000000.00:00:21T51-01-7102"); timespans as
    // [-][d.]hh:mm:ss[.fffffff].
    assert_eq!(
        text(call("tostring", vec![dt("2017-01-01")])),
        "2017-01-01T00:00:00.0000000Z"
    );
    assert_eq!(
        text(call("tostring", vec![dt("2015-12-31 23:59:59.9")])),
        "2015-12-31T23:59:59.9000000Z"
    );
    assert_eq!(text(call("tostring", vec![ts("4d")])), "4.00:00:00");
    assert_eq!(text(call("tostring", vec![ts("-30m")])), "-00:30:00");
    assert_eq!(text(call("tostring", vec![ts("1.5s")])), "00:00:01.5000000");
    // Decimals print their value, not Decimal128's 18 fixed digits.
    assert_eq!(text(call("tostring", vec![decimal("1.5")])), "1.5");
    assert_eq!(text(call("tostring", vec![decimal("-20")])), "-20");
    assert_eq!(text(call("tostring", vec![decimal("0")])), "0");
    assert_eq!(text(call("tostring", vec![s("abc")])), "abc");
}

#[test]
fn real_text_follows_dotnet() {
    // .NET's double.ToString(): shortest round-trip digits, plain from 1E-04 up to below 1E+15,
    // scientific with a signed two-digit exponent outside.
    for (v, want) in [
        (1.0, "1"),
        (-2.5, "-2.5"),
        (0.1, "0.1"),
        (123456789.125, "123456789.125"),
        (1e14, "100000000000000"),
        (1e15, "1E+15"),
        (1.5e20, "1.5E+20"),
        (0.0001, "0.0001"),
        (0.00001, "1E-05"),
        (-1.25e-7, "-1.25E-07"),
        (1.7976931348623157e308, "1.7976931348623157E+308"),
        (0.0, "0"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ] {
        assert_eq!(real_text(v), want, "{v}");
    }
}

#[test]
fn tolong_and_toint() {
    // tolong-function.md, toint-function.md: `tolong("123") == 123`, `toint(2.3)` is 2.
    assert_eq!(
        call("tolong", vec![s("123")]),
        ScalarValue::Int64(Some(123))
    );
    assert_eq!(call("toint", vec![s("123")]), ScalarValue::Int32(Some(123)));
    assert_eq!(call("toint", vec![real(2.3)]), ScalarValue::Int32(Some(2)));
    // Truncation is towards zero; failures are null.
    assert_eq!(call("tolong", vec![real(1.9)]), ScalarValue::Int64(Some(1)));
    assert_eq!(
        call("tolong", vec![real(-1.9)]),
        ScalarValue::Int64(Some(-1))
    );
    assert_eq!(
        call("tolong", vec![s(" 1.9 ")]),
        ScalarValue::Int64(Some(1))
    );
    assert_eq!(call("toint", vec![s("x")]), ScalarValue::Int32(None));
    assert_eq!(call("tolong", vec![s("")]), ScalarValue::Int64(None));
    assert_eq!(
        call("toint", vec![l(3_000_000_000)]),
        ScalarValue::Int32(None)
    );
    assert_eq!(
        call("tolong", vec![real(f64::NAN)]),
        ScalarValue::Int64(None)
    );
    assert_eq!(
        call("tolong", vec![arg(true, KqlType::Bool)]),
        ScalarValue::Int64(Some(1))
    );
    assert_eq!(
        call("toint", vec![decimal("7.9")]),
        ScalarValue::Int32(Some(7))
    );
    assert_eq!(call("tolong", vec![int(5)]), ScalarValue::Int64(Some(5)));
}

#[test]
fn ticks_between_numbers_datetimes_and_timespans() {
    // scalar-data-types/datetime.md: a datetime is the number of 100 ns ticks since
    // 0001-01-01; a timespan counts the same ticks.
    assert_eq!(
        call("tolong", vec![ts("1s")]),
        ScalarValue::Int64(Some(10_000_000))
    );
    assert_eq!(
        call("tolong", vec![dt("1970-01-01")]),
        ScalarValue::Int64(Some(621_355_968_000_000_000))
    );
    assert_eq!(
        call("toint", vec![dt("1970-01-01")]),
        ScalarValue::Int32(None)
    );
    assert_eq!(
        call("toreal", vec![ts("1ms")]),
        ScalarValue::Float64(Some(10_000.0))
    );
    assert_eq!(span(call("totimespan", vec![l(10_000_000)])), "00:00:01");
    let ticks = call("tolong", vec![dt("2017-01-01 10:10:17.5")]);
    assert_eq!(
        iso(call("todatetime", vec![arg(ticks, KqlType::Long)])),
        "2017-01-01T10:10:17.5Z"
    );
    // A tick count outside what the engine can hold is null.
    assert_eq!(iso(call("todatetime", vec![l(0)])), "null");
    // No conversion between a datetime and a timespan.
    assert_eq!(span(call("totimespan", vec![dt("2017-01-01")])), "null");
    assert_eq!(iso(call("todatetime", vec![ts("1d")])), "null");
}

#[test]
fn toreal_and_todouble() {
    // toreal-function.md: `toreal("123.4") == 123.4`.
    assert_eq!(
        call("toreal", vec![s("123.4")]),
        ScalarValue::Float64(Some(123.4))
    );
    assert_eq!(
        call("todouble", vec![s("123.4")]),
        ScalarValue::Float64(Some(123.4))
    );
    assert_eq!(
        call("todouble", vec![s("1e3")]),
        ScalarValue::Float64(Some(1000.0))
    );
    assert_eq!(call("toreal", vec![s("abc")]), ScalarValue::Float64(None));
    assert_eq!(call("toreal", vec![l(3)]), ScalarValue::Float64(Some(3.0)));
}

#[test]
fn tobool_forms() {
    // tobool-function.md
    assert_eq!(
        call("tobool", vec![s("true")]),
        ScalarValue::Boolean(Some(true))
    );
    assert_eq!(
        call("tobool", vec![s("false")]),
        ScalarValue::Boolean(Some(false))
    );
    assert_eq!(call("tobool", vec![l(1)]), ScalarValue::Boolean(Some(true)));
    assert_eq!(
        call("tobool", vec![l(123)]),
        ScalarValue::Boolean(Some(true))
    );
    assert_eq!(
        call("tobool", vec![l(0)]),
        ScalarValue::Boolean(Some(false))
    );
    assert_eq!(
        call("toboolean", vec![s("TRUE")]),
        ScalarValue::Boolean(Some(true))
    );
    assert_eq!(call("tobool", vec![s("yes")]), ScalarValue::Boolean(None));
}

#[test]
fn todatetime_of_text() {
    // todatetime-function.md and the formats of scalar-data-types/datetime.md.
    assert_eq!(
        iso(call("todatetime", vec![s("2015-12-31 23:59:59.9")])),
        "2015-12-31T23:59:59.9Z"
    );
    for (input, want) in [
        ("2014-05-25T08:20:03.123456Z", "2014-05-25T08:20:03.123456Z"),
        ("2014-05-25T08:20", "2014-05-25T08:20:00Z"),
        ("2014-11-08 15:55:55", "2014-11-08T15:55:55Z"),
        ("2014-11-08", "2014-11-08T00:00:00Z"),
        ("Sat, 8 Nov 14 15:05:02 GMT", "2014-11-08T15:05:02Z"),
        ("Saturday, 08-Nov-14 15:05:02 GMT", "2014-11-08T15:05:02Z"),
        ("8 Nov 14 15:05", "2014-11-08T15:05:00Z"),
        ("2014-11-08 15:05:25 GMT", "2014-11-08T15:05:25Z"),
        ("2014-11-08T15:05 GMT", "2014-11-08T15:05:00Z"),
    ] {
        assert_eq!(iso(call("todatetime", vec![s(input)])), want, "{input}");
    }
    assert_eq!(iso(call("todatetime", vec![s("garbage")])), "null");
    // `todatetime('12-02-2022') == datetime('12-02-2022')`: the literal and the function share
    // one parser.
    assert_eq!(
        iso(call("todatetime", vec![s("12-02-2022")])),
        iso(dt("12-02-2022").expr_value())
    );
    assert_eq!(
        iso(call("todatetime", vec![dt("2017-01-01")])),
        "2017-01-01T00:00:00Z"
    );
}

#[test]
fn totimespan_forms() {
    // totimespan-function.md
    assert_eq!(span(call("totimespan", vec![s("0.00:03:00")])), "00:03:00");
    assert_eq!(span(call("totimespan", vec![ts("4d")])), "4.00:00:00");
    assert_eq!(span(call("totime", vec![s("1d")])), "1.00:00:00");
    assert_eq!(span(call("totimespan", vec![s("nonsense")])), "null");
}

#[test]
fn todecimal_of_text() {
    // todecimal-function.md: `todecimal("123.45678") == decimal(123.45678)`.
    assert_eq!(
        call("todecimal", vec![s("123.45678")]),
        decimal("123.45678").expr_value()
    );
    assert_eq!(
        call("todecimal", vec![real(1.5)]),
        decimal("1.5").expr_value()
    );
    assert_eq!(
        call("todecimal", vec![s("x")]),
        ScalarValue::Decimal128(None, 38, 18)
    );
}

#[test]
fn tohex_examples() {
    // tohex-function.md
    assert_eq!(text(call("tohex", vec![l(256)])), "100");
    assert_eq!(text(call("tohex", vec![l(-256)])), "ffffffffffffff00");
    assert_eq!(text(call("tohex", vec![int(-256), l(8)])), "ffffff00");
    assert_eq!(text(call("tohex", vec![l(256), l(8)])), "00000100");
    assert_eq!(text(call("tohex", vec![l(256), l(2)])), "100");
    // A minimum length over 16 counts as 16.
    assert_eq!(hex_text(1, 40, 64), "0000000000000001");
}

#[test]
fn toguid_examples() {
    // toguid-function.md
    let want = "01234567-89ab-cdef-0123-456789abcdef";
    assert_eq!(
        call("toguid", vec![s("0123456789abcdef0123456789abcdef")]),
        ScalarValue::Utf8(Some(want.into()))
    );
    assert_eq!(
        call("toguid", vec![s("0123456789ab-cdef-0123-456789abcdef")]),
        ScalarValue::Utf8(Some(want.into()))
    );
    assert_eq!(
        call("toguid", vec![s("a string that is not a guid")]),
        ScalarValue::Utf8(None)
    );
    // Only the first 32 digits count.
    assert_eq!(
        guid_of_text("0123456789ABCDEF0123456789ABCDEF and more").as_deref(),
        Some(want)
    );
    assert_eq!(guid_of_text("0123"), None);
}

trait ExprValue {
    fn expr_value(&self) -> ScalarValue;
}

impl ExprValue for TypedExpr {
    fn expr_value(&self) -> ScalarValue {
        match &self.expr {
            datafusion::logical_expr::Expr::Literal(v, _) => v.clone(),
            other => panic!("not a literal: {other}"),
        }
    }
}

#[test]
fn conversions_over_columns() {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int32Array, StringViewArray};

    use crate::scalar::datetime::tests::{call_rows, longs};

    let values = longs(&[Some(256), Some(-256), None, Some(255)]);
    let lengths = longs(&[Some(8), None, Some(4), Some(1)]);
    assert_eq!(
        call_rows("tohex", vec![values, lengths])
            .into_iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["00000100", "", "", "ff"]
    );
    let ints = (
        Arc::new(Int32Array::from(vec![Some(-256), Some(16)])) as _,
        KqlType::Int,
    );
    assert_eq!(
        call_rows("tohex", vec![ints])
            .into_iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["ffffff00", "10"]
    );
    // Parquet strings arrive as Utf8View.
    let guids = (
        Arc::new(StringViewArray::from(vec![
            Some("0123456789abcdef0123456789abcdef"),
            None,
            Some("nope"),
        ])) as _,
        KqlType::String,
    );
    assert_eq!(
        call_rows("toguid", vec![guids]),
        [
            ScalarValue::Utf8(Some("01234567-89ab-cdef-0123-456789abcdef".into())),
            ScalarValue::Utf8(None),
            ScalarValue::Utf8(None),
        ]
    );
    let texts = (
        Arc::new(StringViewArray::from(vec![Some("2017-01-01"), Some("x")])) as _,
        KqlType::String,
    );
    assert_eq!(
        call_rows("todatetime", vec![texts])
            .into_iter()
            .map(iso)
            .collect::<Vec<_>>(),
        ["2017-01-01T00:00:00Z", "null"]
    );
}
