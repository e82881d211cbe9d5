//! Expected values come from the examples and rules of the KQL docs
//! (MicrosoftDocs/dataexplorer-docs, `data-explorer/kusto/query/<name>-function.md`), rewritten
//! in ISO form where the docs print `2017-01-01 00:00:00.0000000`.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, DurationNanosecondArray, Int64Array, RecordBatch, StringArray,
    TimestampNanosecondArray,
};
use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::common::ScalarValue;
use datafusion::prelude::{SessionContext, ident, lit};
use kql_parser::temporal;

use super::{timespan_div, timespan_mul, timespan_neg, timespan_ratio};
use crate::KqlType;
use crate::TypedExpr;
use crate::testing::{TEST_NOW_NANOS, arg, call, eval, l, s};

/// Calls `name` with columns (one per argument, with its KQL type) through the registry and
/// evaluates it over all their rows, so kernels see arrays rather than folded literals.
pub(crate) fn call_rows(name: &str, columns: Vec<(ArrayRef, KqlType)>) -> Vec<ScalarValue> {
    let registry = crate::Registry::new();
    let fields: Vec<Field> = columns
        .iter()
        .enumerate()
        .map(|(i, (a, _))| Field::new(format!("c{i}"), a.data_type().clone(), true))
        .collect();
    let batch = RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns.iter().map(|(a, _)| Arc::clone(a)).collect(),
    )
    .expect("batch");
    let args: Vec<TypedExpr> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| TypedExpr::new(ident(format!("c{i}")), *ty))
        .collect();
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let resolved = registry
        .resolve_scalar(name, &types)
        .unwrap_or_else(|e| panic!("{e}"));
    let ctx = crate::LowerContext {
        now_nanos: TEST_NOW_NANOS,
    };
    let expr = registry
        .lower_scalar(&resolved, &ctx, args)
        .unwrap_or_else(|e| panic!("{e}"))
        .expr;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let session = SessionContext::new();
        let batches = session
            .read_batch(batch)
            .expect("read")
            .select(vec![expr.alias("v")])
            .expect("select")
            .collect()
            .await
            .expect("collect");
        batches
            .iter()
            .flat_map(|b| {
                let column = Arc::clone(b.column(0));
                (0..column.len())
                    .map(move |i| ScalarValue::try_from_array(&column, i).expect("scalar"))
            })
            .collect()
    })
}

/// A column of datetimes (null for `None`).
pub(crate) fn datetimes(values: &[Option<&str>]) -> (ArrayRef, KqlType) {
    let array: TimestampNanosecondArray = values
        .iter()
        .map(|v| v.map(|t| temporal::parse_datetime(t).expect("datetime") * 100))
        .collect();
    (Arc::new(array.with_timezone("UTC")), KqlType::Datetime)
}

/// A column of timespans.
pub(crate) fn timespans(values: &[Option<&str>]) -> (ArrayRef, KqlType) {
    let array: DurationNanosecondArray = values
        .iter()
        .map(|v| v.map(|t| temporal::parse_timespan(t).expect("timespan") * 100))
        .collect();
    (Arc::new(array), KqlType::Timespan)
}

/// A column of longs.
pub(crate) fn longs(values: &[Option<i64>]) -> (ArrayRef, KqlType) {
    (Arc::new(Int64Array::from(values.to_vec())), KqlType::Long)
}

/// A column of strings.
pub(crate) fn strings(values: &[Option<&str>]) -> (ArrayRef, KqlType) {
    (
        Arc::new(StringArray::from(values.to_vec())),
        KqlType::String,
    )
}

/// A `datetime(…)` argument.
fn dt(text: &str) -> TypedExpr {
    let ticks = temporal::parse_datetime(text).unwrap_or_else(|| panic!("bad datetime {text}"));
    arg(
        ScalarValue::TimestampNanosecond(Some(ticks * 100), Some("UTC".into())),
        KqlType::Datetime,
    )
}

/// A `time(…)` argument.
fn ts(text: &str) -> TypedExpr {
    let ticks = temporal::parse_timespan(text).unwrap_or_else(|| panic!("bad timespan {text}"));
    arg(
        ScalarValue::DurationNanosecond(Some(ticks * 100)),
        KqlType::Timespan,
    )
}

fn int(v: i32) -> TypedExpr {
    arg(v, KqlType::Int)
}

fn real(v: f64) -> TypedExpr {
    arg(v, KqlType::Real)
}

/// A datetime result in ISO form; "null" for null.
fn iso(v: ScalarValue) -> String {
    match v {
        ScalarValue::TimestampNanosecond(Some(ns), Some(tz)) if &*tz == "UTC" => {
            temporal::format_datetime(ns.div_euclid(100))
        }
        ScalarValue::TimestampNanosecond(None, _) => "null".into(),
        other => panic!("not a datetime: {other:?}"),
    }
}

/// A timespan result in KQL's text form; "null" for null.
fn span(v: ScalarValue) -> String {
    match v {
        ScalarValue::DurationNanosecond(Some(ns)) => temporal::format_timespan(ns / 100),
        ScalarValue::DurationNanosecond(None) => "null".into(),
        other => panic!("not a timespan: {other:?}"),
    }
}

fn text(v: ScalarValue) -> String {
    match v {
        ScalarValue::Utf8(Some(s)) => s,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn now_and_ago_use_the_query_time() {
    assert_eq!(iso(call("now", vec![])), "2026-01-01T00:00:00Z");
    assert_eq!(iso(call("ago", vec![ts("1d")])), "2025-12-31T00:00:00Z");
    assert_eq!(
        call("now", vec![ts("-1h")]),
        ScalarValue::TimestampNanosecond(
            Some(TEST_NOW_NANOS - 3_600_000_000_000),
            Some("UTC".into())
        )
    );
}

#[test]
fn start_of_periods_with_offsets() {
    // startofday-function.md, startofweek-function.md, startofmonth-function.md,
    // startofyear-function.md: `range offset from -1 to 1`.
    let d = "2017-01-01 10:10:17";
    for (name, expected) in [
        (
            "startofday",
            [
                "2016-12-31T00:00:00Z",
                "2017-01-01T00:00:00Z",
                "2017-01-02T00:00:00Z",
            ],
        ),
        (
            "startofweek",
            [
                "2016-12-25T00:00:00Z",
                "2017-01-01T00:00:00Z",
                "2017-01-08T00:00:00Z",
            ],
        ),
        (
            "startofmonth",
            [
                "2016-12-01T00:00:00Z",
                "2017-01-01T00:00:00Z",
                "2017-02-01T00:00:00Z",
            ],
        ),
        (
            "startofyear",
            [
                "2016-01-01T00:00:00Z",
                "2017-01-01T00:00:00Z",
                "2018-01-01T00:00:00Z",
            ],
        ),
    ] {
        for (offset, want) in (-1..=1).zip(expected) {
            assert_eq!(
                iso(call(name, vec![dt(d), l(offset)])),
                want,
                "{name} {offset}"
            );
        }
        assert_eq!(iso(call(name, vec![dt(d)])), expected[1], "{name}");
    }
}

#[test]
fn end_of_periods_with_offsets() {
    // endofday-function.md, endofweek-function.md, endofmonth-function.md, endofyear-function.md.
    let d = "2017-01-01 10:10:17";
    for (name, expected) in [
        (
            "endofday",
            [
                "2016-12-31T23:59:59.9999999Z",
                "2017-01-01T23:59:59.9999999Z",
                "2017-01-02T23:59:59.9999999Z",
            ],
        ),
        (
            "endofweek",
            [
                "2016-12-31T23:59:59.9999999Z",
                "2017-01-07T23:59:59.9999999Z",
                "2017-01-14T23:59:59.9999999Z",
            ],
        ),
        (
            "endofmonth",
            [
                "2016-12-31T23:59:59.9999999Z",
                "2017-01-31T23:59:59.9999999Z",
                "2017-02-28T23:59:59.9999999Z",
            ],
        ),
        (
            "endofyear",
            [
                "2016-12-31T23:59:59.9999999Z",
                "2017-12-31T23:59:59.9999999Z",
                "2018-12-31T23:59:59.9999999Z",
            ],
        ),
    ] {
        for (offset, want) in (-1..=1).zip(expected) {
            // The docs pass the offset from `range`, a long; an int works the same.
            assert_eq!(
                iso(call(name, vec![dt(d), int(offset)])),
                want,
                "{name} {offset}"
            );
        }
    }
}

#[test]
fn week_boundaries_are_sundays() {
    // startofweek-function.md: a Monday-based week built from startofweek and datetime_add.
    for (date, monday) in [
        ("2025-06-14", "2025-06-09T00:00:00Z"),
        ("2025-06-15", "2025-06-09T00:00:00Z"),
        ("2025-06-16", "2025-06-16T00:00:00Z"),
        ("2025-06-17", "2025-06-16T00:00:00Z"),
    ] {
        let shifted = call("datetime_add", vec![s("day"), l(-1), dt(date)]);
        let start = call("startofweek", vec![arg(shifted, KqlType::Datetime)]);
        let back = call(
            "datetime_add",
            vec![s("day"), l(1), arg(start, KqlType::Datetime)],
        );
        assert_eq!(iso(back), monday, "{date}");
    }
    // endofweek-function.md: a Sunday-ending week.
    for (date, sunday) in [
        ("2025-06-14", "2025-06-15T23:59:59.9999999Z"),
        ("2025-06-15", "2025-06-15T23:59:59.9999999Z"),
        ("2025-06-16", "2025-06-22T23:59:59.9999999Z"),
        ("2025-06-17", "2025-06-22T23:59:59.9999999Z"),
    ] {
        let shifted = call("datetime_add", vec![s("day"), l(-8), dt(date)]);
        let end = call("endofweek", vec![arg(shifted, KqlType::Datetime)]);
        let back = call(
            "datetime_add",
            vec![s("day"), l(8), arg(end, KqlType::Datetime)],
        );
        assert_eq!(iso(back), sunday, "{date}");
    }
}

#[test]
fn periods_before_the_epoch() {
    assert_eq!(
        iso(call("startofweek", vec![dt("1969-12-31 23:00")])),
        "1969-12-28T00:00:00Z"
    );
    assert_eq!(
        iso(call("endofmonth", vec![dt("1960-02-10")])),
        "1960-02-29T23:59:59.9999999Z"
    );
    assert_eq!(
        iso(call("startofday", vec![dt("1969-12-31 23:59:59.9999999")])),
        "1969-12-31T00:00:00Z"
    );
}

#[test]
fn null_dates_and_offsets_give_null() {
    let null_date = arg(
        ScalarValue::TimestampNanosecond(None, Some("UTC".into())),
        KqlType::Datetime,
    );
    assert_eq!(iso(call("startofday", vec![null_date.clone()])), "null");
    assert_eq!(
        iso(call(
            "endofmonth",
            vec![
                dt("2017-01-01"),
                arg(ScalarValue::Int64(None), KqlType::Long)
            ]
        )),
        "null"
    );
    assert_eq!(
        call("getyear", vec![null_date.clone()]),
        ScalarValue::Int32(None)
    );
    assert_eq!(span(call("dayofweek", vec![null_date])), "null");
}

#[test]
fn day_of_week_is_a_timespan_from_sunday() {
    // day-of-week-function.md
    assert_eq!(
        span(call("dayofweek", vec![dt("1947-11-30 10:00:05")])),
        "00:00:00"
    );
    assert_eq!(
        span(call("dayofweek", vec![dt("1970-05-11")])),
        "1.00:00:00"
    );
    assert_eq!(
        span(call("dayofweek", vec![dt("1970-05-12")])),
        "2.00:00:00"
    );
    assert_eq!(
        span(call("dayofweek", vec![dt("2017-01-07 23:59")])),
        "6.00:00:00"
    );
}

#[test]
fn date_parts() {
    // day-of-month-function.md, day-of-year-function.md, hour-of-day-function.md,
    // getyear-function.md, monthofyear-function.md.
    assert_eq!(
        call("dayofmonth", vec![dt("2015-12-14")]),
        ScalarValue::Int32(Some(14))
    );
    assert_eq!(
        call("dayofyear", vec![dt("2015-12-14")]),
        ScalarValue::Int32(Some(348))
    );
    assert_eq!(
        call("hourofday", vec![dt("2015-12-14 18:54")]),
        ScalarValue::Int32(Some(18))
    );
    assert_eq!(
        call("getyear", vec![dt("2015-10-12")]),
        ScalarValue::Int32(Some(2015))
    );
    assert_eq!(
        call("monthofyear", vec![dt("2015-12-14")]),
        ScalarValue::Int32(Some(12))
    );
    assert_eq!(
        call("getmonth", vec![dt("2015-12-14")]),
        ScalarValue::Int32(Some(12))
    );
}

#[test]
fn iso_week_numbers() {
    // week-of-year-function.md
    for (date, week) in [
        ("2020-12-31", 53),
        ("2020-06-15", 25),
        ("1970-01-01", 1),
        ("2000-01-01", 52),
    ] {
        assert_eq!(
            call("week_of_year", vec![dt(date)]),
            ScalarValue::Int32(Some(week)),
            "{date}"
        );
    }
}

#[test]
fn datetime_part_of_every_part() {
    // datetime-part-function.md
    let d = "2017-10-30 01:02:03.7654321";
    for (part, want) in [
        ("year", 2017),
        ("quarter", 4),
        ("month", 10),
        ("week_of_year", 44),
        ("day", 30),
        ("dayOfYear", 303),
        ("hour", 1),
        ("minute", 2),
        ("second", 3),
        ("millisecond", 765),
        ("microsecond", 765432),
        ("nanosecond", 765432100),
    ] {
        assert_eq!(
            call("datetime_part", vec![s(part), dt(d)]),
            ScalarValue::Int32(Some(want)),
            "{part}"
        );
    }
    assert_eq!(
        call("datepart", vec![s("Year"), dt(d)]),
        ScalarValue::Int32(Some(2017))
    );
}

#[test]
fn unknown_literal_parts_are_plan_errors() {
    let registry = crate::Registry::new();
    let ctx = crate::LowerContext { now_nanos: 0 };
    for (name, args) in [
        ("datetime_part", vec![s("fortnight"), dt("2017-01-01")]),
        (
            "datetime_diff",
            vec![s("fortnight"), dt("2017-01-01"), dt("2017-01-01")],
        ),
        ("datetime_add", vec![s("fortnight"), l(1), dt("2017-01-01")]),
    ] {
        let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
        let resolved = registry.resolve_scalar(name, &types).expect("resolves");
        let err = registry
            .lower_scalar(&resolved, &ctx, args)
            .expect_err("unknown part");
        assert!(err.to_string().contains("fortnight"), "{err}");
    }
}

#[test]
fn datetime_diff_counts_calendar_boundaries() {
    // datetime-diff-function.md
    for (part, a, b, want) in [
        ("year", "2017-01-01", "2000-12-31", 17),
        ("quarter", "2017-07-01", "2017-03-30", 2),
        ("month", "2017-01-01", "2015-12-30", 13),
        ("week", "2017-10-29 00:00", "2017-09-30 23:59", 5),
        ("day", "2017-10-29 00:00", "2017-09-30 23:59", 29),
        ("hour", "2017-10-31 01:00", "2017-10-30 23:59", 2),
        ("minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59", 5),
        (
            "second",
            "2017-10-30 23:00:10.100",
            "2017-10-30 23:00:00.900",
            10,
        ),
        (
            "millisecond",
            "2017-10-30 23:00:00.200100",
            "2017-10-30 23:00:00.100900",
            100,
        ),
        (
            "microsecond",
            "2017-10-30 23:00:00.1009001",
            "2017-10-30 23:00:00.1008009",
            100,
        ),
        (
            "nanosecond",
            "2017-10-30 23:00:00.0000000",
            "2017-10-30 23:00:00.0000007",
            -700,
        ),
    ] {
        assert_eq!(
            call("datetime_diff", vec![s(part), dt(a), dt(b)]),
            ScalarValue::Int64(Some(want)),
            "{part}"
        );
    }
    // Periods are case-insensitive; the order of the dates gives the sign.
    assert_eq!(
        call(
            "datetime_diff",
            vec![s("YEAR"), dt("2000-12-31"), dt("2017-01-01")]
        ),
        ScalarValue::Int64(Some(-17))
    );
}

#[test]
fn datetime_add_every_period() {
    // datetime-add-function.md
    let base = || call("make_datetime", vec![l(2017), l(1), l(1)]);
    for (part, amount, want) in [
        ("year", 1, "2018-01-01T00:00:00Z"),
        ("quarter", 1, "2017-04-01T00:00:00Z"),
        ("month", 1, "2017-02-01T00:00:00Z"),
        ("week", 1, "2017-01-08T00:00:00Z"),
        ("day", 1, "2017-01-02T00:00:00Z"),
        ("hour", 1, "2017-01-01T01:00:00Z"),
        ("minute", 1, "2017-01-01T00:01:00Z"),
        ("second", 1, "2017-01-01T00:00:01Z"),
        ("year", -5, "2012-01-01T00:00:00Z"),
        ("quarter", 12, "2020-01-01T00:00:00Z"),
        ("month", -15, "2015-10-01T00:00:00Z"),
        ("week", 100, "2018-12-02T00:00:00Z"),
    ] {
        assert_eq!(
            iso(call(
                "datetime_add",
                vec![s(part), l(amount), arg(base(), KqlType::Datetime)]
            )),
            want,
            "{part} {amount}"
        );
    }
}

#[test]
fn adding_months_clamps_the_day() {
    assert_eq!(
        iso(call(
            "datetime_add",
            vec![s("month"), l(1), dt("2017-01-31 10:00")]
        )),
        "2017-02-28T10:00:00Z"
    );
    assert_eq!(
        iso(call(
            "datetime_add",
            vec![s("year"), l(1), dt("2016-02-29")]
        )),
        "2017-02-28T00:00:00Z"
    );
    assert_eq!(
        iso(call(
            "datetime_add",
            vec![s("millisecond"), l(1500), dt("2017-01-01")]
        )),
        "2017-01-01T00:00:01.5Z"
    );
    // Past the representable range: null, not an error.
    assert_eq!(
        iso(call(
            "datetime_add",
            vec![s("year"), l(1000), dt("2017-01-01")]
        )),
        "null"
    );
}

#[test]
fn make_datetime_forms() {
    // make-datetime-function.md
    assert_eq!(
        iso(call("make_datetime", vec![l(2017), l(10), l(1)])),
        "2017-10-01T00:00:00Z"
    );
    assert_eq!(
        iso(call(
            "make_datetime",
            vec![l(2017), l(10), l(1), l(12), l(10)]
        )),
        "2017-10-01T12:10:00Z"
    );
    assert_eq!(
        iso(call(
            "make_datetime",
            vec![l(2017), l(10), l(1), l(12), l(11), real(0.1234567)]
        )),
        "2017-10-01T12:11:00.1234567Z"
    );
    // Out-of-range fields give null.
    for args in [
        vec![l(2017), l(13), l(1)],
        vec![l(2017), l(2), l(30)],
        vec![l(2017), l(1), l(1), l(24), l(0)],
        vec![l(2017), l(1), l(1), l(0), l(60)],
        vec![l(2017), l(1), l(1), l(0), l(0), real(60.0)],
    ] {
        assert_eq!(iso(call("make_datetime", args)), "null");
    }
}

#[test]
fn make_datetime_takes_3_5_or_6_arguments() {
    let registry = crate::Registry::new();
    assert!(
        registry
            .resolve_scalar("make_datetime", &[KqlType::Long; 4])
            .is_err()
    );
    assert!(
        registry
            .resolve_scalar("make_datetime", &[KqlType::Int; 5])
            .is_ok()
    );
}

#[test]
fn make_timespan_forms() {
    // make-timespan-function.md
    assert_eq!(
        span(call(
            "make_timespan",
            vec![l(1), l(12), l(30), real(55.123)]
        )),
        "1.12:30:55.1230000"
    );
    assert_eq!(span(call("make_timespan", vec![l(12), l(30)])), "12:30:00");
    assert_eq!(
        span(call("make_timespan", vec![l(12), l(30), l(5)])),
        "12:30:05"
    );
}

#[test]
fn unix_times() {
    // unixtime-*-todatetime-function.md
    for (name, value) in [
        ("unixtime_seconds_todatetime", 1_546_300_800_i64),
        ("unixtime_milliseconds_todatetime", 1_546_300_800_000),
        ("unixtime_microseconds_todatetime", 1_546_300_800_000_000),
        ("unixtime_nanoseconds_todatetime", 1_546_300_800_000_000_000),
    ] {
        assert_eq!(
            iso(call(name, vec![l(value)])),
            "2019-01-01T00:00:00Z",
            "{name}"
        );
        assert_eq!(
            iso(call(name, vec![real(value as f64)])),
            "2019-01-01T00:00:00Z",
            "{name} real"
        );
    }
    assert_eq!(
        iso(call("unixtime_seconds_todatetime", vec![real(1.5)])),
        "1970-01-01T00:00:01.5Z"
    );
    // Before the epoch, the value is negative.
    assert_eq!(
        iso(call("unixtime_milliseconds_todatetime", vec![l(-1000)])),
        "1969-12-31T23:59:59Z"
    );
    assert_eq!(
        iso(call("unixtime_seconds_todatetime", vec![real(f64::NAN)])),
        "null"
    );
}

#[test]
fn format_datetime_examples() {
    // format-datetime-function.md
    let d = || dt("2017-01-29 09:00:05");
    for (pattern, want) in [
        ("yy-MM-dd [HH:mm:ss]", "17-01-29 [09:00:05]"),
        ("yyyy-M-dd [H:mm:ss]", "2017-1-29 [9:00:05]"),
        ("yy-MM-dd [hh:mm:ss tt]", "17-01-29 [09:00:05 AM]"),
    ] {
        assert_eq!(text(call("format_datetime", vec![d(), s(pattern)])), want);
    }
}

#[test]
fn format_datetime_specifiers() {
    // The specifier table of format-datetime-function.md.
    let f = |date: &str, pattern: &str| text(call("format_datetime", vec![dt(date), s(pattern)]));
    assert_eq!(f("2009-06-01T13:45:30", "d"), "1");
    assert_eq!(f("2009-06-15T13:45:30", "d"), "15");
    assert_eq!(f("2009-06-01T13:45:30", "dd"), "01");
    assert_eq!(f("2009-06-15T13:45:30.6170000", "f"), "6");
    assert_eq!(f("2009-06-15T13:45:30.05", "f"), "0");
    assert_eq!(f("2009-06-15T13:45:30.6170000", "ff"), "61");
    assert_eq!(f("2009-06-15T13:45:30.0050000", "ff"), "00");
    assert_eq!(f("2009-06-15T13:45:30.617", "fff"), "617");
    assert_eq!(f("2009-06-15T13:45:30.0005", "fff"), "000");
    assert_eq!(f("2009-06-15T13:45:30.6175000", "ffff"), "6175");
    assert_eq!(f("2009-06-15T13:45:30.6175400", "fffff"), "61754");
    assert_eq!(f("2009-06-15T13:45:30.6175420", "ffffff"), "617542");
    assert_eq!(f("2009-06-15T13:45:30.0000005", "ffffff"), "000000");
    assert_eq!(f("2009-06-15T13:45:30.6175425", "fffffff"), "6175425");
    assert_eq!(f("2009-06-15T13:45:30.0001150", "fffffff"), "0001150");
    assert_eq!(f("2009-06-15T13:45:30.6170000", "F"), "6");
    assert_eq!(f("2009-06-15T13:45:30.0500000", "F"), "");
    assert_eq!(f("2009-06-15T13:45:30.6170000", "FF"), "61");
    assert_eq!(f("2009-06-15T13:45:30.0050000", "FF"), "");
    assert_eq!(f("2009-06-15T13:45:30.6170000", "FFF"), "617");
    assert_eq!(f("2009-06-15T13:45:30.0005000", "FFF"), "");
    assert_eq!(f("2009-06-15T13:45:30.5275000", "FFFF"), "5275");
    assert_eq!(f("2009-06-15T13:45:30.6175400", "FFFFF"), "61754");
    assert_eq!(f("2009-06-15T13:45:30.6175420", "FFFFFF"), "617542");
    assert_eq!(f("2009-06-15T13:45:30.6175425", "FFFFFFF"), "6175425");
    assert_eq!(f("2009-06-15T13:45:30.0001150", "FFFFFFF"), "000115");
    assert_eq!(f("2009-06-15T01:45:30", "h"), "1");
    assert_eq!(f("2009-06-15T13:45:30", "h"), "1");
    assert_eq!(f("2009-06-15T01:45:30", "hh"), "01");
    assert_eq!(f("2009-06-15T13:45:30", "hh"), "01");
    assert_eq!(f("2009-06-15T01:45:30", "H"), "1");
    assert_eq!(f("2009-06-15T13:45:30", "H"), "13");
    assert_eq!(f("2009-06-15T01:45:30", "HH"), "01");
    assert_eq!(f("2009-06-15T01:09:30", "m"), "9");
    assert_eq!(f("2009-06-15T13:29:30", "m"), "29");
    assert_eq!(f("2009-06-15T01:09:30", "mm"), "09");
    assert_eq!(f("2009-06-15T13:45:30", "M"), "6");
    assert_eq!(f("2009-06-15T13:45:30", "MM"), "06");
    assert_eq!(f("2009-06-15T13:45:09", "s"), "9");
    assert_eq!(f("2009-06-15T13:45:09", "ss"), "09");
    assert_eq!(f("2009-06-15T13:45:30", "y"), "9");
    assert_eq!(f("2019-06-15T13:45:30", "y"), "19");
    assert_eq!(f("1900-01-01T00:00:00", "y"), "0");
    assert_eq!(f("2019-06-15T13:45:30", "yy"), "19");
    assert_eq!(f("1900-01-01T00:00:00", "yy"), "00");
    assert_eq!(f("1900-01-01T00:00:00", "yyyy"), "1900");
    assert_eq!(f("2009-06-15T13:45:30", "yyyy"), "2009");
    assert_eq!(f("2009-06-15T13:45:09", "tt"), "PM");
}

#[test]
fn format_datetime_names_separators_and_nulls() {
    let f = |date: &str, pattern: &str| text(call("format_datetime", vec![dt(date), s(pattern)]));
    // 2017-01-29 was a Sunday.
    assert_eq!(
        f("2017-01-29", "ddd dddd MMM MMMM"),
        "Sun Sunday Jan January"
    );
    assert_eq!(f("2017-01-29 00:30", "h:mm tt"), "12:30 AM");
    assert_eq!(f("2017-01-29 09:08:07", "HH_mm_ss,/-"), "09_08_07,/-");
    // An `F` with nothing to print takes its decimal point with it, as in .NET.
    assert_eq!(f("2017-01-29 09:08:07", "HH:mm:ss.FFF"), "09:08:07");
    assert_eq!(f("2017-01-29 09:08:07.25", "HH:mm:ss.FFF"), "09:08:07.25");
    let null_date = arg(
        ScalarValue::TimestampNanosecond(None, Some("UTC".into())),
        KqlType::Datetime,
    );
    assert_eq!(
        text(call("format_datetime", vec![null_date, s("yyyy")])),
        ""
    );
}

#[test]
fn format_timespan_examples() {
    // format-timespan-function.md
    let t = || ts("29.09:00:05.12345");
    assert_eq!(
        text(call("format_timespan", vec![t(), s("dd.hh:mm:ss:FF")])),
        "29.09:00:05:12"
    );
    assert_eq!(
        text(call(
            "format_timespan",
            vec![t(), s("ddd.h:mm:ss [fffffff]")]
        )),
        "029.9:00:05 [1234500]"
    );
}

#[test]
fn format_timespan_specifiers() {
    // The specifier table of format-timespan-function.md.
    let f = |t: &str, pattern: &str| text(call("format_timespan", vec![ts(t), s(pattern)]));
    assert_eq!(f("15.13:45:30", "d"), "15");
    assert_eq!(f("15.13:45:30", "dd"), "15");
    assert_eq!(f("15.13:45:30", "ddd"), "015");
    assert_eq!(f("15.13:45:30", "dddddddd"), "00000015");
    assert_eq!(f("15.13:45:30.6170000", "f"), "6");
    assert_eq!(f("15.13:45:30.0050000", "ff"), "00");
    assert_eq!(f("15.13:45:30.6175425", "fffffff"), "6175425");
    assert_eq!(f("15.13:45:30.0500000", "F"), "");
    assert_eq!(f("15.13:45:30.5275000", "FFFF"), "5275");
    assert_eq!(f("15.13:45:30.0001150", "FFFFFFF"), "000115");
    assert_eq!(f("15.01:45:30", "H"), "1");
    assert_eq!(f("15.13:45:30", "HH"), "13");
    assert_eq!(f("15.01:09:30", "m"), "9");
    assert_eq!(f("15.01:09:30", "mm"), "09");
    assert_eq!(f("15.13:45:09", "s"), "9");
    assert_eq!(f("15.13:45:09", "ss"), "09");
    // Negative timespans keep their sign.
    assert_eq!(f("-01:30:00", "hh:mm"), "-01:30");
}

#[test]
fn timespan_arithmetic_helpers() {
    // datetime-timespan-arithmetic.md: `1.5 * 1h`, `1d / 5h` is 4.8, `1h / 1s` is 3600,
    // `t * 1sec`.
    let e = |t: &str| ts(t).expr;
    assert_eq!(
        span(eval(timespan_mul(e("1h"), lit(1.5), KqlType::Real))),
        "01:30:00"
    );
    assert_eq!(
        span(eval(timespan_mul(e("1s"), lit(86_400_i64), KqlType::Long))),
        "1.00:00:00"
    );
    assert_eq!(
        span(eval(timespan_mul(e("1d"), lit(2_i32), KqlType::Int))),
        "2.00:00:00"
    );
    assert_eq!(
        eval(timespan_ratio(e("1d"), e("5h"))),
        ScalarValue::Float64(Some(4.8))
    );
    assert_eq!(
        eval(timespan_ratio(e("1h"), e("1s"))),
        ScalarValue::Float64(Some(3600.0))
    );
    assert_eq!(
        eval(timespan_ratio(e("1h"), e("0s"))),
        ScalarValue::Float64(None)
    );
    assert_eq!(
        span(eval(timespan_div(e("1h"), lit(2_i64), KqlType::Long))),
        "00:30:00"
    );
    assert_eq!(
        span(eval(timespan_div(e("1h"), lit(0_i64), KqlType::Long))),
        "null"
    );
    assert_eq!(
        span(eval(timespan_div(e("1h"), lit(0.5), KqlType::Real))),
        "02:00:00"
    );
    assert_eq!(
        span(eval(timespan_div(e("1h"), lit(0.0), KqlType::Real))),
        "null"
    );
    assert_eq!(span(eval(timespan_neg(e("1.02:00:00")))), "-1.02:00:00");
    assert_eq!(span(eval(timespan_neg(e("-00:00:01")))), "00:00:01");
    // A real factor rounds to the 100 ns tick; overflow gives null.
    assert_eq!(
        span(eval(timespan_mul(e("1tick"), lit(0.5), KqlType::Real))),
        "00:00:00.0000001"
    );
    assert_eq!(
        span(eval(timespan_mul(
            e("100000d"),
            lit(1_000_i64),
            KqlType::Long
        ))),
        "null"
    );
    // 7 ticks / 2 is 3.5 ticks, rounded to 4.
    assert_eq!(
        span(eval(timespan_div(e("7tick"), lit(2_i64), KqlType::Long))),
        "00:00:00.0000004"
    );
}

#[test]
fn kernels_over_columns() {
    let dates = || {
        datetimes(&[
            Some("2017-01-01 10:10:17"),
            None,
            Some("2017-05-31 23:00"),
            Some("1969-07-20 20:17:40"),
        ])
    };
    let offsets = longs(&[Some(-1), Some(0), Some(1), None]);
    let got: Vec<String> = call_rows("startofmonth", vec![dates(), offsets])
        .into_iter()
        .map(iso)
        .collect();
    assert_eq!(
        got,
        [
            "2016-12-01T00:00:00Z",
            "null",
            "2017-06-01T00:00:00Z",
            "null"
        ]
    );

    // A part per row, including one KQL does not know (null, not an error).
    let parts = strings(&[Some("year"), Some("day"), Some("Month"), Some("fortnight")]);
    assert_eq!(
        call_rows("datetime_part", vec![parts, dates()]),
        [
            ScalarValue::Int32(Some(2017)),
            ScalarValue::Int32(None),
            ScalarValue::Int32(Some(5)),
            ScalarValue::Int32(None),
        ]
    );

    let later = datetimes(&[
        Some("2018-01-01"),
        Some("2018-01-01"),
        Some("2017-06-01"),
        Some("1970-01-01"),
    ]);
    let units = strings(&[Some("year"), Some("year"), Some("day"), Some("hour")]);
    assert_eq!(
        call_rows("datetime_diff", vec![units, later, dates()]),
        [
            ScalarValue::Int64(Some(1)),
            ScalarValue::Int64(None),
            ScalarValue::Int64(Some(1)),
            // 165 days from 1969-07-20 to 1970-01-01, less the 20 hours already gone.
            ScalarValue::Int64(Some(165 * 24 - 20)),
        ]
    );

    // Patterns per row, and the same pattern on consecutive rows.
    let patterns = strings(&[Some("yyyy"), Some("yyyy"), Some("MM/dd"), Some("MM/dd")]);
    assert_eq!(
        call_rows("format_datetime", vec![dates(), patterns])
            .into_iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["2017", "", "05/31", "07/20"]
    );

    let spans = timespans(&[Some("90m"), Some("-90m"), None, Some("1.00:00:01")]);
    let sizes = timespans(&[Some("1h"), Some("1h"), Some("1h"), Some("1d")]);
    assert_eq!(
        call_rows("bin", vec![spans, sizes])
            .into_iter()
            .map(span)
            .collect::<Vec<_>>(),
        ["01:00:00", "-02:00:00", "null", "1.00:00:00"]
    );
}

#[test]
fn utf8_view_parts_and_patterns() {
    use datafusion::arrow::array::StringViewArray;

    let parts = (
        Arc::new(StringViewArray::from(vec![Some("hour"), Some("minute")])) as ArrayRef,
        KqlType::String,
    );
    let dates = || datetimes(&[Some("2017-01-01 10:11"), Some("2017-01-01 10:11")]);
    assert_eq!(
        call_rows("datetime_part", vec![parts, dates()]),
        [ScalarValue::Int32(Some(10)), ScalarValue::Int32(Some(11))]
    );
    let patterns = (
        Arc::new(StringViewArray::from(vec![Some("HH"), Some("mm")])) as ArrayRef,
        KqlType::String,
    );
    assert_eq!(
        call_rows("format_datetime", vec![dates(), patterns])
            .into_iter()
            .map(text)
            .collect::<Vec<_>>(),
        ["10", "11"]
    );
}
