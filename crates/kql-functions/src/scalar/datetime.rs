//! Datetime and timespan functions: `ago`, `now`, `startofday`, `datetime_diff`,
//! `format_datetime`, …, and the timespan arithmetic DataFusion lacks (`timespan_mul`, …), which
//! the planner calls for `*`, `/` and unary `-`.
//!
//! Calendar work runs in kernels over `i64` nanoseconds with chrono (see `calendar`); a part or
//! unit argument (`'day'`, `'month'`) that is a literal is checked when planning, one that comes
//! from a column gives null for a name KQL does not know.

mod arith;
mod calendar;
mod format;
mod zones;

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int32Array, Int64Array, StringArray, StringBuilder,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Int64Type, TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue};
use datafusion::functions::expr_fn as df;
use datafusion::logical_expr::{Expr, ScalarUDF, cast as cast_expr, try_cast};
use datafusion::prelude::lit;

use crate::udf::{KernelUdf, reals, utf8};
use crate::{
    FunctionError, KqlType, LowerContext, Param, Registry, Returns, ScalarFunction, Signature,
    TypedExpr,
};
use calendar::{Part, Unit};

const DATETIME: Param = Param::Of(KqlType::Datetime);
const TIMESPAN: Param = Param::Of(KqlType::Timespan);
const LONG: Param = Param::Of(KqlType::Long);
const REAL: Param = Param::Of(KqlType::Real);
const STRING: Param = Param::Of(KqlType::String);

/// Registers the datetime functions.
pub(crate) fn register(r: &mut Registry) {
    zones::register(r);
    r.add_scalar(ScalarFunction {
        name: "now",
        doc: "The current UTC time, the same everywhere in one query; plus an optional offset.",
        signatures: vec![
            Signature::new(
                [Param::Of(KqlType::Timespan)],
                Returns::Type(KqlType::Datetime),
            )
            .optional(1),
        ],
        lower: |ctx, _, args| {
            let now = now_literal(ctx);
            Ok(match args.into_iter().next() {
                Some(offset) => now + offset.expr,
                None => now,
            })
        },
    });
    r.add_scalar(ScalarFunction {
        name: "ago",
        doc: "`now()` minus the timespan.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Timespan)],
            Returns::Type(KqlType::Datetime),
        )],
        lower: |ctx, _, mut args| Ok(now_literal(ctx) - args.remove(0).expr),
    });
    register_periods(r);
    register_parts(r);
    register_arithmetic(r);
    register_construction(r);
    register_formatting(r);
}

/// `now()` of the query as a literal.
pub fn now_literal(ctx: &LowerContext) -> Expr {
    lit(ScalarValue::TimestampNanosecond(
        Some(ctx.now_nanos),
        Some("UTC".into()),
    ))
}

// ------------------------------------------------------------------------------------------------
// Timespan arithmetic for the planner.

/// `timespan * number` (and `number * timespan`): a timespan, rounded to the tick; null on
/// overflow. `n_type` is the number's KQL type (`int`/`long` multiply exactly, `real` and
/// `decimal` through a real).
pub fn timespan_mul(ts: Expr, n: Expr, n_type: KqlType) -> Expr {
    if n_type.is_integer() {
        arith::mul_long_udf().call(vec![ts, try_cast(n, DataType::Int64)])
    } else {
        arith::mul_real_udf().call(vec![ts, number_as_real(n, n_type)])
    }
}

/// `timespan / number`: a timespan, rounded to the nearest tick; null when the number is zero.
pub fn timespan_div(ts: Expr, n: Expr, n_type: KqlType) -> Expr {
    if n_type.is_integer() {
        arith::div_long_udf().call(vec![ts, try_cast(n, DataType::Int64)])
    } else {
        arith::div_real_udf().call(vec![ts, number_as_real(n, n_type)])
    }
}

/// `timespan / timespan`: how many times `b` fits in `a`, a real (`1d / 5h` is 4.8); null when
/// `b` is zero.
pub fn timespan_ratio(a: Expr, b: Expr) -> Expr {
    cast_expr(a, DataType::Float64) / df::nullif(cast_expr(b, DataType::Float64), lit(0.0_f64))
}

/// `-timespan`.
pub fn timespan_neg(ts: Expr) -> Expr {
    cast_expr(
        Expr::Negative(Box::new(cast_expr(ts, DataType::Int64))),
        KqlType::Timespan.to_arrow(),
    )
}

fn number_as_real(n: Expr, n_type: KqlType) -> Expr {
    match n_type {
        KqlType::Real => n,
        KqlType::Dynamic => TypedExpr::new(n, n_type).convert_to(KqlType::Real),
        _ => try_cast(n, DataType::Float64),
    }
}

// ------------------------------------------------------------------------------------------------
// Shared kernel plumbing (also used by `math` and `conversion`).

/// The UDF in `cell`, made on first use.
pub(crate) fn shared(
    cell: &'static OnceLock<Arc<ScalarUDF>>,
    make: fn() -> KernelUdf,
) -> Arc<ScalarUDF> {
    Arc::clone(cell.get_or_init(|| make().into_udf()))
}

/// The values of an integer, datetime or timespan array as `i64` (nanoseconds for the last two).
pub(crate) fn i64s(array: &ArrayRef) -> Result<Int64Array> {
    Ok(cast(array, &DataType::Int64)?
        .as_primitive::<Int64Type>()
        .clone())
}

/// Text values, whatever the string encoding.
pub(crate) fn texts(array: &ArrayRef) -> Result<StringArray> {
    Ok(utf8(array)?.as_string::<i32>().clone())
}

/// Nanoseconds since the epoch as a KQL `datetime` array.
pub(crate) fn datetime_array(values: Int64Array) -> ArrayRef {
    Arc::new(
        values
            .reinterpret_cast::<TimestampNanosecondType>()
            .with_timezone("UTC"),
    )
}

/// Nanoseconds as a KQL `timespan` array.
pub(crate) fn timespan_array(values: Int64Array) -> ArrayRef {
    Arc::new(values.reinterpret_cast::<DurationNanosecondType>())
}

pub(crate) fn utc() -> DataType {
    KqlType::Datetime.to_arrow()
}

fn duration() -> DataType {
    KqlType::Timespan.to_arrow()
}

/// Remembers the last name looked up, since a part or unit is nearly always the same literal on
/// every row.
struct NameCache<T> {
    last: Option<(String, Option<T>)>,
}

impl<T: Copy> NameCache<T> {
    fn new() -> Self {
        Self { last: None }
    }

    fn get(&mut self, name: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        match &self.last {
            Some((last, value)) if last == name => *value,
            _ => {
                let value = parse(name);
                self.last = Some((name.to_string(), value));
                value
            }
        }
    }
}

/// A literal string argument, for checking part and unit names when planning.
pub(crate) fn literal_text(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Literal(
            ScalarValue::Utf8(Some(s))
            | ScalarValue::Utf8View(Some(s))
            | ScalarValue::LargeUtf8(Some(s)),
            _,
        ) => Some(s),
        _ => None,
    }
}

fn invalid(name: &str, message: String) -> FunctionError {
    FunctionError::Invalid {
        name: name.to_string(),
        message,
    }
}

/// Checks a literal unit name against those `allowed`.
fn check_unit(function: &str, expr: &Expr, allowed: &[Unit]) -> Result<(), FunctionError> {
    if let Some(text) = literal_text(expr)
        && !Unit::parse(text).is_some_and(|u| allowed.contains(&u))
    {
        return Err(invalid(function, format!("unknown period '{text}'")));
    }
    Ok(())
}

const ALL_UNITS: [Unit; 11] = [
    Unit::Year,
    Unit::Quarter,
    Unit::Month,
    Unit::Week,
    Unit::Day,
    Unit::Hour,
    Unit::Minute,
    Unit::Second,
    Unit::Millisecond,
    Unit::Microsecond,
    Unit::Nanosecond,
];

// ------------------------------------------------------------------------------------------------
// startof… / endof…

fn period_kernel(a: &[ArrayRef], f: fn(Unit, i64, i64) -> Option<i64>) -> Result<ArrayRef> {
    let (units, ts, offsets) = (texts(&a[0])?, i64s(&a[1])?, i64s(&a[2])?);
    let mut cache = NameCache::new();
    let out: Int64Array = (0..ts.len())
        .map(|i| {
            if units.is_null(i) || ts.is_null(i) || offsets.is_null(i) {
                return None;
            }
            let unit = cache.get(units.value(i), Unit::parse)?;
            f(unit, ts.value(i), offsets.value(i))
        })
        .collect();
    Ok(datetime_array(out))
}

fn start_of_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_startof",
            vec![DataType::Utf8, utc(), DataType::Int64],
            utc(),
            |a| period_kernel(a, calendar::start_of),
        )
    })
}

fn end_of_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_endof",
            vec![DataType::Utf8, utc(), DataType::Int64],
            utc(),
            |a| period_kernel(a, calendar::end_of),
        )
    })
}

fn period_call(udf: Arc<ScalarUDF>, unit: &str, args: Vec<TypedExpr>) -> Expr {
    let mut args = args.into_iter().map(|a| a.expr);
    let date = args.next().unwrap_or(lit(ScalarValue::Null));
    let offset = args.next().unwrap_or(lit(0_i64));
    udf.call(vec![lit(unit), date, offset])
}

fn register_periods(r: &mut Registry) {
    let signatures =
        || vec![Signature::new([DATETIME, LONG], Returns::Type(KqlType::Datetime)).optional(1)];
    let entries: [(&'static str, &'static str, crate::ScalarLowering); 8] = [
        (
            "startofday",
            "The start of the day holding the date, shifted by an optional number of days.",
            |_, _, a| Ok(period_call(start_of_udf(), "day", a)),
        ),
        (
            "startofweek",
            "The start (Sunday) of the week holding the date, shifted by an optional number of weeks.",
            |_, _, a| Ok(period_call(start_of_udf(), "week", a)),
        ),
        (
            "startofmonth",
            "The start of the month holding the date, shifted by an optional number of months.",
            |_, _, a| Ok(period_call(start_of_udf(), "month", a)),
        ),
        (
            "startofyear",
            "The start of the year holding the date, shifted by an optional number of years.",
            |_, _, a| Ok(period_call(start_of_udf(), "year", a)),
        ),
        (
            "endofday",
            "The last tick of the day holding the date, shifted by an optional number of days.",
            |_, _, a| Ok(period_call(end_of_udf(), "day", a)),
        ),
        (
            "endofweek",
            "The last tick (Saturday) of the week holding the date, shifted by an optional number of weeks.",
            |_, _, a| Ok(period_call(end_of_udf(), "week", a)),
        ),
        (
            "endofmonth",
            "The last tick of the month holding the date, shifted by an optional number of months.",
            |_, _, a| Ok(period_call(end_of_udf(), "month", a)),
        ),
        (
            "endofyear",
            "The last tick of the year holding the date, shifted by an optional number of years.",
            |_, _, a| Ok(period_call(end_of_udf(), "year", a)),
        ),
    ];
    for (name, doc, lower) in entries {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: signatures(),
            lower,
        });
    }
}

// ------------------------------------------------------------------------------------------------
// Parts: dayofmonth, getyear, datetime_part, …

fn part_kernel(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (parts, ts) = (texts(&a[0])?, i64s(&a[1])?);
    let mut cache = NameCache::new();
    let out: Int32Array = (0..ts.len())
        .map(|i| {
            if parts.is_null(i) || ts.is_null(i) {
                return None;
            }
            cache.get(parts.value(i), Part::parse)?.of(ts.value(i))
        })
        .collect();
    Ok(Arc::new(out))
}

fn part_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_datetime_part",
            vec![DataType::Utf8, utc()],
            DataType::Int32,
            part_kernel,
        )
    })
}

fn part_call(part: &str, mut args: Vec<TypedExpr>) -> Expr {
    part_udf().call(vec![lit(part), args.remove(0).expr])
}

fn day_of_week_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new("kql_dayofweek", vec![utc()], duration(), |a| {
            let ts = i64s(&a[0])?;
            let out: Int64Array = ts.iter().map(|t| t.map(calendar::day_of_week)).collect();
            Ok(timespan_array(out))
        })
    })
}

fn register_parts(r: &mut Registry) {
    let one = || vec![Signature::new([DATETIME], Returns::Type(KqlType::Int))];
    let entries: [(&'static str, &'static str, crate::ScalarLowering); 8] = [
        ("dayofmonth", "The day of the month, 1 to 31.", |_, _, a| {
            Ok(part_call("day", a))
        }),
        ("dayofyear", "The day of the year, 1 to 366.", |_, _, a| {
            Ok(part_call("dayofyear", a))
        }),
        ("hourofday", "The hour of the day, 0 to 23.", |_, _, a| {
            Ok(part_call("hour", a))
        }),
        ("getmonth", "The month, 1 to 12.", |_, _, a| {
            Ok(part_call("month", a))
        }),
        ("monthofyear", "The month, 1 to 12.", |_, _, a| {
            Ok(part_call("month", a))
        }),
        ("getyear", "The year.", |_, _, a| Ok(part_call("year", a))),
        (
            "week_of_year",
            "The ISO 8601 week number: week 1 holds the year's first Thursday.",
            |_, _, a| Ok(part_call("week_of_year", a)),
        ),
        (
            "datetime_part",
            "A part of the date as an int: year, quarter, month, week_of_year, day, dayofyear, hour, minute, second, millisecond, microsecond or nanosecond.",
            |_, _, mut a| {
                let date = a.remove(1).expr;
                let part = a.remove(0).expr;
                if let Some(text) = literal_text(&part)
                    && Part::parse(text).is_none()
                {
                    return Err(invalid("datetime_part", format!("unknown part '{text}'")));
                }
                Ok(part_udf().call(vec![part, date]))
            },
        ),
    ];
    for (name, doc, lower) in entries {
        let signatures = if name == "datetime_part" {
            vec![Signature::new(
                [STRING, DATETIME],
                Returns::Type(KqlType::Int),
            )]
        } else {
            one()
        };
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures,
            lower,
        });
    }
    r.add_scalar_alias("datepart", "datetime_part");
    r.add_scalar(ScalarFunction {
        name: "dayofweek",
        doc: "The time since the start of the preceding Sunday, in whole days: a timespan.",
        signatures: vec![Signature::new([DATETIME], Returns::Type(KqlType::Timespan))],
        lower: |_, _, mut a| Ok(day_of_week_udf().call(vec![a.remove(0).expr])),
    });
}

// ------------------------------------------------------------------------------------------------
// datetime_diff, datetime_add

fn diff_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_datetime_diff",
            vec![DataType::Utf8, utc(), utc()],
            DataType::Int64,
            |a| {
                let (units, x, y) = (texts(&a[0])?, i64s(&a[1])?, i64s(&a[2])?);
                let mut cache = NameCache::new();
                let out: Int64Array = (0..x.len())
                    .map(|i| {
                        if units.is_null(i) || x.is_null(i) || y.is_null(i) {
                            return None;
                        }
                        let unit = cache.get(units.value(i), Unit::parse)?;
                        calendar::diff(unit, x.value(i), y.value(i))
                    })
                    .collect();
                Ok(Arc::new(out))
            },
        )
    })
}

fn add_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_datetime_add",
            vec![DataType::Utf8, DataType::Int64, utc()],
            utc(),
            |a| {
                let (units, amounts, ts) = (texts(&a[0])?, i64s(&a[1])?, i64s(&a[2])?);
                let mut cache = NameCache::new();
                let out: Int64Array = (0..ts.len())
                    .map(|i| {
                        if units.is_null(i) || amounts.is_null(i) || ts.is_null(i) {
                            return None;
                        }
                        let unit = cache.get(units.value(i), Unit::parse)?;
                        calendar::add(unit, amounts.value(i), ts.value(i))
                    })
                    .collect();
                Ok(datetime_array(out))
            },
        )
    })
}

fn register_arithmetic(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "datetime_diff",
        doc: "How many periods (year, quarter, month, week, day, hour, minute, second, millisecond, microsecond, nanosecond) lie between two datetimes, counting calendar boundaries.",
        signatures: vec![Signature::new(
            [STRING, DATETIME, DATETIME],
            Returns::Type(KqlType::Long),
        )],
        lower: |_, _, args| {
            let [unit, a, b]: [TypedExpr; 3] = args
                .try_into()
                .map_err(|_| invalid("datetime_diff", "takes 3 arguments".into()))?;
            check_unit("datetime_diff", &unit.expr, &ALL_UNITS)?;
            Ok(diff_udf().call(vec![unit.expr, a.expr, b.expr]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "datetime_add",
        doc: "The datetime plus an amount of periods (year, quarter, month, week, day, hour, minute, second, millisecond, microsecond, nanosecond); months clamp the day.",
        signatures: vec![Signature::new(
            [STRING, LONG, DATETIME],
            Returns::Type(KqlType::Datetime),
        )],
        lower: |_, _, args| {
            let [unit, amount, date]: [TypedExpr; 3] = args
                .try_into()
                .map_err(|_| invalid("datetime_add", "takes 3 arguments".into()))?;
            check_unit("datetime_add", &unit.expr, &ALL_UNITS)?;
            Ok(add_udf().call(vec![unit.expr, amount.expr, date.expr]))
        },
    });
}

// ------------------------------------------------------------------------------------------------
// make_datetime, make_timespan, unixtime_*_todatetime

fn make_datetime_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_make_datetime",
            vec![
                DataType::Int64,
                DataType::Int64,
                DataType::Int64,
                DataType::Int64,
                DataType::Int64,
                DataType::Float64,
            ],
            utc(),
            |a| {
                let ints = a[..5].iter().map(i64s).collect::<Result<Vec<_>>>()?;
                let seconds = reals(&a[5])?;
                let out: Int64Array = (0..seconds.len())
                    .map(|i| {
                        if seconds.is_null(i) || ints.iter().any(|c| c.is_null(i)) {
                            return None;
                        }
                        let v = |c: usize| ints[c].value(i);
                        calendar::make_datetime(v(0), v(1), v(2), v(3), v(4), seconds.value(i))
                    })
                    .collect();
                Ok(datetime_array(out))
            },
        )
    })
}

fn make_timespan_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_make_timespan",
            vec![
                DataType::Int64,
                DataType::Int64,
                DataType::Int64,
                DataType::Float64,
            ],
            duration(),
            |a| {
                let ints = a[..3].iter().map(i64s).collect::<Result<Vec<_>>>()?;
                let seconds = reals(&a[3])?;
                let out: Int64Array = (0..seconds.len())
                    .map(|i| {
                        if seconds.is_null(i) || ints.iter().any(|c| c.is_null(i)) {
                            return None;
                        }
                        let v = |c: usize| ints[c].value(i);
                        calendar::make_timespan(v(0), v(1), v(2), seconds.value(i))
                    })
                    .collect();
                Ok(timespan_array(out))
            },
        )
    })
}

/// Whole units since the epoch; the second argument is the unit in nanoseconds. A datetime has
/// 100 ns ticks, so nanoseconds are cut to the tick (towards zero, as integer division does).
fn unixtime_long_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_unixtime_long_todatetime",
            vec![DataType::Int64, DataType::Int64],
            utc(),
            |a| {
                let (values, units) = (i64s(&a[0])?, i64s(&a[1])?);
                let out: Int64Array = values
                    .iter()
                    .zip(units.iter())
                    .map(|(v, unit)| {
                        let ns = v?.checked_mul(unit?)?;
                        Some(ns / calendar::NANOS_PER_TICK * calendar::NANOS_PER_TICK)
                    })
                    .collect();
                Ok(datetime_array(out))
            },
        )
    })
}

/// Fractional units since the epoch, rounded to the nearest tick.
fn unixtime_real_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_unixtime_real_todatetime",
            vec![DataType::Float64, DataType::Int64],
            utc(),
            |a| {
                let (values, units) = (reals(&a[0])?, i64s(&a[1])?);
                let out: Int64Array = values
                    .iter()
                    .zip(units.iter())
                    .map(|(v, unit)| {
                        let (v, unit) = (v?, unit?);
                        // Scale by an exact power of ten: multiplying by 0.01 would round.
                        let ticks = if unit >= calendar::NANOS_PER_TICK {
                            v * (unit / calendar::NANOS_PER_TICK) as f64
                        } else {
                            v / (calendar::NANOS_PER_TICK / unit) as f64
                        }
                        .round();
                        if !ticks.is_finite() || ticks.abs() >= 9.2e16 {
                            return None;
                        }
                        (ticks as i64).checked_mul(calendar::NANOS_PER_TICK)
                    })
                    .collect();
                Ok(datetime_array(out))
            },
        )
    })
}

fn unixtime_call(sig: usize, value: Expr, unit_nanos: i64) -> Expr {
    if sig == 0 {
        unixtime_long_udf().call(vec![value, lit(unit_nanos)])
    } else {
        unixtime_real_udf().call(vec![value, lit(unit_nanos)])
    }
}

fn register_construction(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "make_datetime",
        doc: "A datetime from year, month, day [, hour, minute [, second]]; null when a field is out of range.",
        signatures: vec![
            Signature::new([LONG, LONG, LONG], Returns::Type(KqlType::Datetime)),
            Signature::new(
                [LONG, LONG, LONG, LONG, LONG, REAL],
                Returns::Type(KqlType::Datetime),
            )
            .optional(1),
        ],
        lower: |_, _, args| {
            let mut args: Vec<Expr> = args.into_iter().map(|a| a.expr).collect();
            while args.len() < 5 {
                args.push(lit(0_i64));
            }
            if args.len() < 6 {
                args.push(lit(0.0_f64));
            }
            Ok(make_datetime_udf().call(args))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "make_timespan",
        doc: "A timespan from hour, minute [, second], or from day, hour, minute, second.",
        signatures: vec![
            Signature::new([LONG, LONG, REAL], Returns::Type(KqlType::Timespan)).optional(1),
            Signature::new([LONG, LONG, LONG, REAL], Returns::Type(KqlType::Timespan)),
        ],
        lower: |_, _, args| {
            let mut args: Vec<Expr> = args.into_iter().map(|a| a.expr).collect();
            match args.len() {
                2 => {
                    args.insert(0, lit(0_i64));
                    args.push(lit(0.0_f64));
                }
                3 => args.insert(0, lit(0_i64)),
                _ => {}
            }
            Ok(make_timespan_udf().call(args))
        },
    });
    let signatures = || {
        vec![
            Signature::new([LONG], Returns::Type(KqlType::Datetime)),
            Signature::new([REAL], Returns::Type(KqlType::Datetime)),
        ]
    };
    let entries: [(&'static str, &'static str, crate::ScalarLowering); 4] = [
        (
            "unixtime_seconds_todatetime",
            "The datetime that many seconds after 1970-01-01.",
            |_, sig, mut a| {
                Ok(unixtime_call(
                    sig,
                    a.remove(0).expr,
                    calendar::NANOS_PER_SECOND,
                ))
            },
        ),
        (
            "unixtime_milliseconds_todatetime",
            "The datetime that many milliseconds after 1970-01-01.",
            |_, sig, mut a| {
                Ok(unixtime_call(
                    sig,
                    a.remove(0).expr,
                    calendar::NANOS_PER_MILLISECOND,
                ))
            },
        ),
        (
            "unixtime_microseconds_todatetime",
            "The datetime that many microseconds after 1970-01-01.",
            |_, sig, mut a| {
                Ok(unixtime_call(
                    sig,
                    a.remove(0).expr,
                    calendar::NANOS_PER_MICROSECOND,
                ))
            },
        ),
        (
            "unixtime_nanoseconds_todatetime",
            "The datetime that many nanoseconds after 1970-01-01, to the tick.",
            |_, sig, mut a| Ok(unixtime_call(sig, a.remove(0).expr, 1)),
        ),
    ];
    for (name, doc, lower) in entries {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: signatures(),
            lower,
        });
    }
}

// ------------------------------------------------------------------------------------------------
// format_datetime, format_timespan

/// Formats each row with its pattern, tokenizing a pattern only when it changes.
fn format_kernel(
    a: &[ArrayRef],
    letters: &str,
    format: fn(i64, &[format::Token]) -> Option<String>,
) -> Result<ArrayRef> {
    let (values, patterns) = (i64s(&a[0])?, texts(&a[1])?);
    let mut out = StringBuilder::with_capacity(values.len(), values.len() * 20);
    let mut last: Option<(String, Vec<format::Token>)> = None;
    for i in 0..values.len() {
        if values.is_null(i) || patterns.is_null(i) {
            // KQL strings are never null: a missing value formats as "".
            out.append_value("");
            continue;
        }
        let pattern = patterns.value(i);
        if last.as_ref().is_none_or(|(p, _)| p != pattern) {
            last = Some((pattern.to_string(), format::tokenize(pattern, letters)));
        }
        let tokens = last.as_ref().map_or(&[][..], |(_, t)| t.as_slice());
        out.append_value(format(values.value(i), tokens).unwrap_or_default());
    }
    Ok(Arc::new(out.finish()))
}

fn format_datetime_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_format_datetime_pattern",
            vec![utc(), DataType::Utf8],
            DataType::Utf8,
            |a| format_kernel(a, format::DATETIME_LETTERS, format::format_datetime),
        )
    })
}

fn format_timespan_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_format_timespan_pattern",
            vec![duration(), DataType::Utf8],
            DataType::Utf8,
            |a| {
                format_kernel(a, format::TIMESPAN_LETTERS, |ns, tokens| {
                    Some(format::format_timespan(ns, tokens))
                })
            },
        )
    })
}

fn register_formatting(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "format_datetime",
        doc: "The datetime as text in a format such as 'yyyy-MM-dd [HH:mm:ss.fff]' (d, dd, f…fffffff, F…FFFFFFF, h, hh, H, HH, m, mm, M, MM, MMM, MMMM, s, ss, y, yy, yyyy, tt).",
        signatures: vec![Signature::new(
            [DATETIME, STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, mut a| {
            let pattern = a.remove(1).expr;
            Ok(format_datetime_udf().call(vec![a.remove(0).expr, pattern]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "format_timespan",
        doc: "The timespan as text in a format such as 'd.hh:mm:ss.fff' (d…dddddddd, f…fffffff, F…FFFFFFF, h, hh, H, HH, m, mm, s, ss).",
        signatures: vec![Signature::new(
            [TIMESPAN, STRING],
            Returns::Type(KqlType::String),
        )],
        lower: |_, _, mut a| {
            let pattern = a.remove(1).expr;
            Ok(format_timespan_udf().call(vec![a.remove(0).expr, pattern]))
        },
    });
}

#[cfg(test)]
pub(crate) mod tests;
