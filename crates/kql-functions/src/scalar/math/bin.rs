//! `bin` / `floor` / `bin_at` kernels: floor to a multiple of the bin size, counted from a fixed
//! point (0, the zero timespan or the Unix epoch for `bin`). A null, zero or negative bin size
//! gives null (the docs say so for null and negative sizes; zero has no bins at all).

use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, Float64Array, Int64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use crate::scalar::datetime::{datetime_array, i64s, shared, timespan_array, utc};
use crate::udf::{KernelUdf, reals};

/// `fixed + floor((value - fixed) / size) * size` in integers, exactly; `None` when the size is
/// not positive or the result leaves `i64`.
pub(crate) fn bin_i64(value: i64, size: i64, fixed: i64) -> Option<i64> {
    if size <= 0 {
        return None;
    }
    let (value, size, fixed) = (i128::from(value), i128::from(size), i128::from(fixed));
    let binned = fixed + (value - fixed).div_euclid(size) * size;
    i64::try_from(binned).ok()
}

/// The same for reals.
pub(crate) fn bin_f64(value: f64, size: f64, fixed: f64) -> Option<f64> {
    // `!(size > 0)` rather than `size <= 0` so that a NaN size is rejected too.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    if !(size > 0.0) {
        return None;
    }
    Some(fixed + ((value - fixed) / size).floor() * size)
}

fn int_rows(a: &[ArrayRef]) -> Result<Int64Array> {
    let (values, sizes, fixed) = (i64s(&a[0])?, i64s(&a[1])?, i64s(&a[2])?);
    Ok((0..values.len())
        .map(|i| {
            if values.is_null(i) || sizes.is_null(i) || fixed.is_null(i) {
                return None;
            }
            bin_i64(values.value(i), sizes.value(i), fixed.value(i))
        })
        .collect())
}

fn real_rows(a: &[ArrayRef]) -> Result<ArrayRef> {
    let (values, sizes, fixed) = (reals(&a[0])?, reals(&a[1])?, reals(&a[2])?);
    let out: Float64Array = (0..values.len())
        .map(|i| {
            if values.is_null(i) || sizes.is_null(i) || fixed.is_null(i) {
                return None;
            }
            bin_f64(values.value(i), sizes.value(i), fixed.value(i))
        })
        .collect();
    Ok(Arc::new(out))
}

/// `bin_at(long, long, long)`.
pub(crate) fn long_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_bin_long",
            vec![DataType::Int64; 3],
            DataType::Int64,
            |a| Ok(Arc::new(int_rows(a)?)),
        )
    })
}

/// `bin_at(real, real, real)`.
pub(crate) fn real_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_bin_real",
            vec![DataType::Float64; 3],
            DataType::Float64,
            real_rows,
        )
    })
}

/// `bin_at(timespan, timespan, timespan)`.
pub(crate) fn timespan_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        let ts = crate::KqlType::Timespan.to_arrow();
        KernelUdf::new("kql_bin_timespan", vec![ts.clone(); 3], ts, |a| {
            Ok(timespan_array(int_rows(a)?))
        })
    })
}

/// `bin_at(datetime, timespan, datetime)`.
pub(crate) fn datetime_udf() -> Arc<ScalarUDF> {
    static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
    shared(&UDF, || {
        KernelUdf::new(
            "kql_bin_datetime",
            vec![utc(), crate::KqlType::Timespan.to_arrow(), utc()],
            utc(),
            |a| Ok(datetime_array(int_rows(a)?)),
        )
    })
}
