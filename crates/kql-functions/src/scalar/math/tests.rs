//! Expected values come from the examples and rules of the KQL docs
//! (MicrosoftDocs/dataexplorer-docs, `data-explorer/kusto/query/<name>-function.md`).

use datafusion::common::ScalarValue;
use kql_parser::temporal;

use crate::testing::{arg, call, l};
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

fn f64_of(v: ScalarValue) -> f64 {
    match v {
        ScalarValue::Float64(Some(x)) => x,
        other => panic!("not a real: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn bin_numbers() {
    // bin-function.md: `bin(4.5, 1)` is 4.
    assert_eq!(
        call("bin", vec![real(4.5), l(1)]),
        ScalarValue::Float64(Some(4.0))
    );
    // Floors, so negative values go down.
    assert_eq!(
        call("bin", vec![real(-4.5), l(1)]),
        ScalarValue::Float64(Some(-5.0))
    );
    assert_eq!(call("bin", vec![l(17), l(5)]), ScalarValue::Int64(Some(15)));
    assert_eq!(call("bin", vec![l(-1), l(5)]), ScalarValue::Int64(Some(-5)));
    assert_eq!(
        call("bin", vec![int(7), int(2)]),
        ScalarValue::Int64(Some(6))
    );
    assert_eq!(
        call("bin", vec![l(7), real(2.5)]),
        ScalarValue::Float64(Some(5.0))
    );
    // `floor` is the same function.
    assert_eq!(
        call("floor", vec![real(4.5), l(1)]),
        ScalarValue::Float64(Some(4.0))
    );
    // round-function.md: `bin(2.15, 1)` is 2.
    assert_eq!(
        call("bin", vec![real(2.15), l(1)]),
        ScalarValue::Float64(Some(2.0))
    );
}

#[test]
fn bin_with_a_bad_size_is_null() {
    // bin-function.md: a null or negative bin size gives null; so does zero.
    assert_eq!(call("bin", vec![l(5), l(-1)]), ScalarValue::Int64(None));
    assert_eq!(call("bin", vec![l(5), l(0)]), ScalarValue::Int64(None));
    assert_eq!(
        call(
            "bin",
            vec![l(5), arg(ScalarValue::Int64(None), KqlType::Long)]
        ),
        ScalarValue::Int64(None)
    );
    assert_eq!(
        call("bin", vec![real(5.0), real(0.0)]),
        ScalarValue::Float64(None)
    );
    assert_eq!(
        call("bin", vec![real(5.0), real(f64::NAN)]),
        ScalarValue::Float64(None)
    );
    assert_eq!(span(call("bin", vec![ts("1h"), ts("0s")])), "null");
    assert_eq!(iso(call("bin", vec![dt("2017-01-01"), ts("-1d")])), "null");
    assert_eq!(
        call(
            "bin",
            vec![arg(ScalarValue::Int64(None), KqlType::Long), l(5)]
        ),
        ScalarValue::Int64(None)
    );
}

#[test]
fn bin_timespans_and_datetimes() {
    // bin-function.md
    assert_eq!(span(call("bin", vec![ts("16d"), ts("7d")])), "14.00:00:00");
    assert_eq!(span(call("bin", vec![ts("90m"), ts("1h")])), "01:00:00");
    assert_eq!(
        iso(call("bin", vec![dt("1970-05-11 13:45:07"), ts("1d")])),
        "1970-05-11T00:00:00Z"
    );
    for (date, day) in [
        ("2007-04-08 10:00", "2007-04-08T00:00:00Z"),
        ("2007-04-11 23:59:59.9999999", "2007-04-11T00:00:00Z"),
        ("1969-12-31 13:00", "1969-12-31T00:00:00Z"),
    ] {
        assert_eq!(iso(call("bin", vec![dt(date), ts("1d")])), day, "{date}");
    }
    assert_eq!(
        iso(call("bin", vec![dt("2017-05-15 10:20:00"), ts("15m")])),
        "2017-05-15T10:15:00Z"
    );
}

#[test]
fn bin_at_examples() {
    // bin-at-function.md
    assert_eq!(
        call("bin_at", vec![real(6.5), real(2.5), l(7)]),
        ScalarValue::Float64(Some(4.5))
    );
    assert_eq!(
        span(call("bin_at", vec![ts("1h"), ts("1d"), ts("12h")])),
        "-12:00:00"
    );
    assert_eq!(
        iso(call(
            "bin_at",
            vec![
                dt("2017-05-15 10:20:00.0"),
                ts("1d"),
                dt("1970-01-01 12:00:00.0")
            ]
        )),
        "2017-05-14T12:00:00Z"
    );
    assert_eq!(
        iso(call(
            "bin_at",
            vec![
                dt("2017-05-17 10:20:00.0"),
                ts("7d"),
                dt("2017-06-04 00:00:00.0")
            ]
        )),
        "2017-05-14T00:00:00Z"
    );
    for (date, bin) in [
        ("2018-02-24T15:14", "2018-02-24T15:14:00Z"),
        ("2018-02-24T15:24", "2018-02-24T15:14:00Z"),
        ("2018-02-23T16:14", "2018-02-23T15:14:00Z"),
        ("2018-02-23T17:29", "2018-02-23T15:14:00Z"),
        ("2018-02-26T15:14", "2018-02-26T15:14:00Z"),
    ] {
        assert_eq!(
            iso(call(
                "bin_at",
                vec![dt(date), ts("1d"), dt("2018-02-24 15:14:00.0000000")]
            )),
            bin,
            "{date}"
        );
    }
    assert_eq!(
        call("bin_at", vec![l(7), l(5), l(1)]),
        ScalarValue::Int64(Some(6))
    );
}

#[test]
fn round_examples() {
    // round-function.md
    for (x, digits, want) in [
        (2.98765, Some(3), 2.988),
        (2.15, Some(1), 2.2),
        (2.15, None, 2.0),
        (-50.55, Some(-2), -100.0),
        (21.5, Some(-1), 20.0),
    ] {
        let mut args = vec![real(x)];
        args.extend(digits.map(l));
        assert_eq!(
            call("round", args),
            ScalarValue::Float64(Some(want)),
            "{x} {digits:?}"
        );
    }
    // Integers stay integers.
    assert_eq!(
        call("round", vec![l(1234), l(-2)]),
        ScalarValue::Int64(Some(1200))
    );
    assert_eq!(
        call("round", vec![l(1250), l(-2)]),
        ScalarValue::Int64(Some(1300))
    );
    assert_eq!(call("round", vec![l(7)]), ScalarValue::Int64(Some(7)));
    // Halves go away from zero.
    assert_eq!(
        call("round", vec![real(2.5)]),
        ScalarValue::Float64(Some(3.0))
    );
    assert_eq!(
        call("round", vec![real(-2.5)]),
        ScalarValue::Float64(Some(-3.0))
    );
}

#[test]
fn ceiling_examples() {
    // ceiling-function.md
    assert_eq!(
        call("ceiling", vec![real(-1.1)]),
        ScalarValue::Float64(Some(-1.0))
    );
    assert_eq!(call("ceiling", vec![l(0)]), ScalarValue::Int64(Some(0)));
    assert_eq!(
        call("ceiling", vec![real(0.9)]),
        ScalarValue::Float64(Some(1.0))
    );
}

#[test]
// The docs print 17 significant digits.
#[allow(clippy::excessive_precision)]
fn exponents_and_logarithms() {
    // exp-function.md, log-function.md, log10-function.md, log2-function.md, pow-function.md.
    // The docs print 7.389056.
    assert!((f64_of(call("exp", vec![l(2)])) - 7.389056).abs() < 1e-6);
    assert!(close(f64_of(call("log", vec![l(5)])), 1.6094379124341003));
    assert!(close(
        f64_of(call("log10", vec![l(5)])),
        0.69897000433601886
    ));
    assert!(close(f64_of(call("log2", vec![l(5)])), 2.3219280948873622));
    assert_eq!(
        call("pow", vec![l(2), l(3)]),
        ScalarValue::Float64(Some(8.0))
    );
    assert_eq!(call("exp2", vec![l(3)]), ScalarValue::Float64(Some(8.0)));
    assert_eq!(call("exp10", vec![l(2)]), ScalarValue::Float64(Some(100.0)));
    // Negative arguments give null.
    for name in ["log", "log10", "log2", "sqrt"] {
        assert_eq!(
            call(name, vec![real(-1.0)]),
            ScalarValue::Float64(None),
            "{name}"
        );
    }
    assert_eq!(call("sqrt", vec![l(16)]), ScalarValue::Float64(Some(4.0)));
    assert_eq!(
        call("log", vec![arg(ScalarValue::Float64(None), KqlType::Real)]),
        ScalarValue::Float64(None)
    );
}

#[test]
fn signs_and_special_values() {
    // sign-function.md
    assert_eq!(call("sign", vec![l(-42)]), ScalarValue::Float64(Some(-1.0)));
    assert_eq!(call("sign", vec![l(0)]), ScalarValue::Float64(Some(0.0)));
    assert_eq!(
        call("sign", vec![real(11.2)]),
        ScalarValue::Float64(Some(1.0))
    );
    // isnan-function.md, isinf-function.md, isfinite-function.md: -1.0/0, 0.0/0, 1.0/0.
    for (x, nan, inf) in [
        (f64::NEG_INFINITY, false, true),
        (f64::NAN, true, false),
        (f64::INFINITY, false, true),
        (-1.0, false, false),
    ] {
        assert_eq!(
            call("isnan", vec![real(x)]),
            ScalarValue::Boolean(Some(nan)),
            "{x}"
        );
        assert_eq!(
            call("isinf", vec![real(x)]),
            ScalarValue::Boolean(Some(inf)),
            "{x}"
        );
        assert_eq!(
            call("isfinite", vec![real(x)]),
            ScalarValue::Boolean(Some(!nan && !inf)),
            "{x}"
        );
    }
    assert_eq!(call("isnan", vec![l(1)]), ScalarValue::Boolean(Some(false)));
    assert_eq!(
        call("pi", vec![]),
        ScalarValue::Float64(Some(std::f64::consts::PI))
    );
}

#[test]
fn min_of_and_max_of() {
    // min-of-function.md, max-of-function.md
    let args = || vec![l(10), l(1), l(-3), l(17)];
    assert_eq!(call("min_of", args()), ScalarValue::Int64(Some(-3)));
    assert_eq!(call("max_of", args()), ScalarValue::Int64(Some(17)));
    let null_int = || arg(ScalarValue::Int32(None), KqlType::Int);
    for (a, b, min, max) in [
        (Some(5), Some(2), Some(2), Some(5)),
        (None, Some(3), Some(3), Some(3)),
        (Some(1), None, Some(1), Some(1)),
        (None, None, None, None),
    ] {
        let v = |x: Option<i32>| x.map_or_else(null_int, int);
        assert_eq!(call("min_of", vec![v(a), v(b)]), ScalarValue::Int32(min));
        assert_eq!(call("max_of", vec![v(a), v(b)]), ScalarValue::Int32(max));
    }
    assert_eq!(
        iso(call(
            "max_of",
            vec![dt("2024-12-15 07:15:22"), dt("2024-12-15 07:15:24")]
        )),
        "2024-12-15T07:15:24Z"
    );
    // Mixed numbers join: an int and a real give a real.
    assert_eq!(
        call("min_of", vec![int(3), real(2.5)]),
        ScalarValue::Float64(Some(2.5))
    );
    // Different non-numeric types are an error when planning.
    let registry = crate::Registry::new();
    let resolved = registry
        .resolve_scalar("min_of", &[KqlType::Datetime, KqlType::Long])
        .expect("resolves");
    let ctx = crate::LowerContext { now_nanos: 0 };
    assert!(
        registry
            .lower_scalar(&resolved, &ctx, vec![dt("2017-01-01"), l(1)])
            .is_err()
    );
}

#[test]
fn binning_and_rounding_over_columns() {
    use crate::scalar::datetime::tests::{call_rows, datetimes, longs, timespans};

    let values = longs(&[Some(17), Some(-1), None, Some(9)]);
    let sizes = longs(&[Some(5), Some(5), Some(5), Some(0)]);
    assert_eq!(
        call_rows("bin", vec![values, sizes]),
        [
            ScalarValue::Int64(Some(15)),
            ScalarValue::Int64(Some(-5)),
            ScalarValue::Int64(None),
            ScalarValue::Int64(None),
        ]
    );
    let dates = datetimes(&[Some("2017-05-15 10:20"), Some("2017-05-15 10:20"), None]);
    let sizes = timespans(&[Some("1h"), Some("1d"), Some("1d")]);
    assert_eq!(
        call_rows("bin", vec![dates, sizes])
            .into_iter()
            .map(iso)
            .collect::<Vec<_>>(),
        ["2017-05-15T10:00:00Z", "2017-05-15T00:00:00Z", "null"]
    );
    let values = longs(&[Some(1234), Some(1250), Some(-1250)]);
    let digits = longs(&[Some(-2), Some(-2), Some(-2)]);
    assert_eq!(
        call_rows("round", vec![values, digits]),
        [
            ScalarValue::Int64(Some(1200)),
            ScalarValue::Int64(Some(1300)),
            ScalarValue::Int64(Some(-1300)),
        ]
    );
}

#[test]
fn decimals_keep_their_type() {
    let decimal = |text: &str| {
        arg(
            ScalarValue::try_from_string(text.to_string(), &KqlType::Decimal.to_arrow())
                .expect("decimal"),
            KqlType::Decimal,
        )
    };
    let value = |text: &str| {
        ScalarValue::try_from_string(text.to_string(), &KqlType::Decimal.to_arrow())
            .expect("decimal")
    };
    // round-function.md: `round(2.15, 1)` is 2.2; a decimal holds 2.15 exactly.
    assert_eq!(call("round", vec![decimal("2.15"), l(1)]), value("2.2"));
    assert_eq!(call("round", vec![decimal("-50.55"), l(-2)]), value("-100"));
    assert_eq!(call("ceiling", vec![decimal("-1.1")]), value("-1"));
    assert_eq!(call("abs", vec![decimal("-1.5")]), value("1.5"));
}
