//! Time zones: `datetime_utc_to_local` and `datetime_local_to_utc` with IANA zone names
//! (`chrono-tz`).

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, NaiveDateTime, TimeZone as _};
use chrono_tz::Tz;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampNanosecondType};
use datafusion::logical_expr::ScalarUDF;

use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

fn utc() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()))
}

/// The wall-clock time in `zone` of the UTC instant `nanos`.
fn to_local(nanos: i64, zone: Tz) -> Option<i64> {
    let local = zone.timestamp_nanos(nanos).naive_local();
    local.and_utc().timestamp_nanos_opt()
}

/// The UTC instant of the wall-clock time `nanos` in `zone`; for a time that occurs twice (the
/// hour after clocks go back) the earlier, for one that does not exist (clocks go forward) the
/// same wall time one hour later, as .NET's conversion does.
fn to_utc(nanos: i64, zone: Tz) -> Option<i64> {
    let wall: NaiveDateTime = DateTime::from_timestamp_nanos(nanos).naive_utc();
    let resolved = zone.from_local_datetime(&wall).earliest().or_else(|| {
        zone.from_local_datetime(&(wall + chrono::Duration::hours(1)))
            .earliest()
    })?;
    resolved.timestamp_nanos_opt()
}

macro_rules! zone_udf {
    ($name:ident, $udf:literal, $f:expr) => {
        fn $name() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| {
                KernelUdf::new($udf, vec![utc(), DataType::Utf8], utc(), |a| {
                    let times = a[0].as_primitive::<TimestampNanosecondType>();
                    let zones = a[1].as_string::<i32>();
                    let f: fn(i64, Tz) -> Option<i64> = $f;
                    let out: TimestampNanosecondArray = (0..times.len())
                        .map(|i| {
                            if times.is_null(i) || zones.is_null(i) {
                                return None;
                            }
                            let zone: Tz = zones.value(i).parse().ok()?;
                            f(times.value(i), zone)
                        })
                        .collect();
                    Ok(Arc::new(out.with_timezone("UTC")) as ArrayRef)
                })
                .into_udf()
            }))
        }
    };
}

zone_udf!(utc_to_local_udf, "kql_datetime_utc_to_local", to_local);
zone_udf!(local_to_utc_udf, "kql_datetime_local_to_utc", to_utc);

/// Registers the time-zone conversions.
pub(super) fn register(r: &mut Registry) {
    let sig = || {
        vec![Signature::new(
            [Param::Of(KqlType::Datetime), Param::Of(KqlType::String)],
            Returns::Type(KqlType::Datetime),
        )]
    };
    r.add_scalar(ScalarFunction {
        name: "datetime_utc_to_local",
        doc: "The wall-clock time in an IANA time zone (\"Europe/Paris\") of a UTC datetime; \
              null for an unknown zone.",
        signatures: sig(),
        lower: |_, _, mut a| {
            let zone = a.remove(1).to_text();
            Ok(utc_to_local_udf().call(vec![a.remove(0).expr, zone]))
        },
    });
    r.add_scalar(ScalarFunction {
        name: "datetime_local_to_utc",
        doc: "The UTC datetime of a wall-clock time in an IANA time zone; null for an unknown \
              zone.",
        signatures: sig(),
        lower: |_, _, mut a| {
            let zone = a.remove(1).to_text();
            Ok(local_to_utc_udf().call(vec![a.remove(0).expr, zone]))
        },
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000_000_000;

    #[test]
    fn conversions_follow_daylight_saving() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        // 2024-07-01T12:00Z is 14:00 in Paris (UTC+2), 2024-01-01T12:00Z is 13:00 (UTC+1).
        let july = 1_719_835_200 * 1_000_000_000;
        let january = 1_704_110_400 * 1_000_000_000;
        assert_eq!(to_local(july, paris), Some(july + 2 * HOUR));
        assert_eq!(to_local(january, paris), Some(january + HOUR));
        assert_eq!(to_utc(july + 2 * HOUR, paris), Some(july));
        // 2024-03-31 02:30 does not exist in Paris: read as 03:30 local, 01:30Z.
        let gap = 1_711_852_200 * 1_000_000_000; // 2024-03-31T02:30:00 as a wall time
        assert_eq!(to_utc(gap, paris), Some(gap - HOUR));
    }
}
