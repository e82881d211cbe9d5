//! Timespan × number and timespan ÷ number, which DataFusion has no kernel for. Results are
//! rounded to the 100 ns tick; overflow and division by zero give null.

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{ArrayRef, Int64Array};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::calendar::NANOS_PER_TICK;
use super::{i64s, shared, timespan_array};
use crate::udf::{KernelUdf, reals};

fn duration() -> DataType {
    DataType::Duration(TimeUnit::Nanosecond)
}

/// Ticks (as a real) back to nanoseconds, rounded to the nearest tick; `None` out of range.
fn ticks_to_nanos(ticks: f64) -> Option<i64> {
    let ticks = ticks.round();
    if !ticks.is_finite() || ticks.abs() >= (i64::MAX / NANOS_PER_TICK) as f64 {
        return None;
    }
    (ticks as i64).checked_mul(NANOS_PER_TICK)
}

/// `a / b` rounded to the nearest integer, halves away from zero.
fn div_round(a: i128, b: i128) -> i128 {
    let q = a / b;
    let r = a % b;
    if 2 * r.abs() >= b.abs() {
        q + if (a < 0) == (b < 0) { 1 } else { -1 }
    } else {
        q
    }
}

fn mul_long(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (ts, n) = (i64s(&a[0])?, i64s(&a[1])?);
    let out: Int64Array = ts
        .iter()
        .zip(n.iter())
        .map(|(t, n)| t?.checked_mul(n?))
        .collect();
    Ok(timespan_array(out))
}

fn mul_real(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (ts, n) = (i64s(&a[0])?, reals(&a[1])?);
    let out: Int64Array = ts
        .iter()
        .zip(n.iter())
        .map(|(t, n)| ticks_to_nanos(t? as f64 / NANOS_PER_TICK as f64 * n?))
        .collect();
    Ok(timespan_array(out))
}

fn div_long(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (ts, n) = (i64s(&a[0])?, i64s(&a[1])?);
    let out: Int64Array = ts
        .iter()
        .zip(n.iter())
        .map(|(t, n)| {
            let n = n.filter(|n| *n != 0)?;
            let ticks = div_round(i128::from(t? / NANOS_PER_TICK), i128::from(n));
            i64::try_from(ticks).ok()?.checked_mul(NANOS_PER_TICK)
        })
        .collect();
    Ok(timespan_array(out))
}

fn div_real(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (ts, n) = (i64s(&a[0])?, reals(&a[1])?);
    let out: Int64Array = ts
        .iter()
        .zip(n.iter())
        .map(|(t, n)| {
            let n = n.filter(|n| *n != 0.0)?;
            ticks_to_nanos(t? as f64 / NANOS_PER_TICK as f64 / n)
        })
        .collect();
    Ok(timespan_array(out))
}

pub(crate) fn mul_long_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_timespan_mul_long",
            vec![duration(), DataType::Int64],
            duration(),
            mul_long,
        )
    })
}

pub(crate) fn mul_real_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_timespan_mul_real",
            vec![duration(), DataType::Float64],
            duration(),
            mul_real,
        )
    })
}

pub(crate) fn div_long_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_timespan_div_long",
            vec![duration(), DataType::Int64],
            duration(),
            div_long,
        )
    })
}

pub(crate) fn div_real_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_timespan_div_real",
            vec![duration(), DataType::Float64],
            duration(),
            div_real,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::div_round;

    #[test]
    fn rounding_division_goes_half_away_from_zero() {
        assert_eq!(div_round(7, 2), 4);
        assert_eq!(div_round(-7, 2), -4);
        assert_eq!(div_round(7, -2), -4);
        assert_eq!(div_round(6, 4), 2);
        assert_eq!(div_round(5, 4), 1);
        assert_eq!(div_round(-5, 4), -1);
    }
}
