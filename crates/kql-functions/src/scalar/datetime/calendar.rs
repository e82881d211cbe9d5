//! Calendar arithmetic on datetimes held as nanoseconds since the Unix epoch, in UTC.
//!
//! KQL's datetimes have 100 ns ticks, so every result here lands on a tick; values outside what
//! an `i64` of nanoseconds holds (about 1677 to 2262) give `None`, which the kernels turn into
//! null.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

pub(crate) const NANOS_PER_TICK: i64 = 100;
pub(crate) const NANOS_PER_MICROSECOND: i64 = 1_000;
pub(crate) const NANOS_PER_MILLISECOND: i64 = 1_000_000;
pub(crate) const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub(crate) const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
pub(crate) const NANOS_PER_HOUR: i64 = 60 * NANOS_PER_MINUTE;
pub(crate) const NANOS_PER_DAY: i64 = 24 * NANOS_PER_HOUR;
pub(crate) const NANOS_PER_WEEK: i64 = 7 * NANOS_PER_DAY;

/// The UTC date and time of `ns` nanoseconds since the epoch.
pub(crate) fn naive(ns: i64) -> Option<NaiveDateTime> {
    let secs = ns.div_euclid(NANOS_PER_SECOND);
    let sub = ns.rem_euclid(NANOS_PER_SECOND) as u32;
    DateTime::from_timestamp(secs, sub).map(|dt| dt.naive_utc())
}

/// Nanoseconds since the epoch of a UTC date and time.
pub(crate) fn nanos(dt: NaiveDateTime) -> Option<i64> {
    dt.and_utc().timestamp_nanos_opt()
}

/// A period of `datetime_diff`, `datetime_add` and the `startof…`/`endof…` family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

impl Unit {
    /// The unit KQL spells `name` (any case, as the docs allow).
    pub(crate) fn parse(name: &str) -> Option<Self> {
        const NAMES: [(&str, Unit); 11] = [
            ("year", Unit::Year),
            ("quarter", Unit::Quarter),
            ("month", Unit::Month),
            ("week", Unit::Week),
            ("day", Unit::Day),
            ("hour", Unit::Hour),
            ("minute", Unit::Minute),
            ("second", Unit::Second),
            ("millisecond", Unit::Millisecond),
            ("microsecond", Unit::Microsecond),
            ("nanosecond", Unit::Nanosecond),
        ];
        let name = name.trim();
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, u)| *u)
    }

    /// The length of a unit that is a fixed number of nanoseconds (weeks and shorter).
    fn fixed_nanos(self) -> Option<i64> {
        Some(match self {
            Self::Week => NANOS_PER_WEEK,
            Self::Day => NANOS_PER_DAY,
            Self::Hour => NANOS_PER_HOUR,
            Self::Minute => NANOS_PER_MINUTE,
            Self::Second => NANOS_PER_SECOND,
            Self::Millisecond => NANOS_PER_MILLISECOND,
            Self::Microsecond => NANOS_PER_MICROSECOND,
            Self::Nanosecond => 1,
            Self::Year | Self::Quarter | Self::Month => return None,
        })
    }

    /// How many months a calendar unit spans.
    fn months(self) -> Option<i64> {
        match self {
            Self::Year => Some(12),
            Self::Quarter => Some(3),
            Self::Month => Some(1),
            _ => None,
        }
    }
}

/// A part `datetime_part` extracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Year,
    Quarter,
    Month,
    WeekOfYear,
    Day,
    DayOfYear,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

impl Part {
    /// The part KQL spells `name`, in any case (`dayOfYear` in the docs' example).
    pub(crate) fn parse(name: &str) -> Option<Self> {
        const NAMES: [(&str, Part); 12] = [
            ("year", Part::Year),
            ("quarter", Part::Quarter),
            ("month", Part::Month),
            ("week_of_year", Part::WeekOfYear),
            ("day", Part::Day),
            ("dayofyear", Part::DayOfYear),
            ("hour", Part::Hour),
            ("minute", Part::Minute),
            ("second", Part::Second),
            ("millisecond", Part::Millisecond),
            ("microsecond", Part::Microsecond),
            ("nanosecond", Part::Nanosecond),
        ];
        let name = name.trim();
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, p)| *p)
    }

    /// The part of the datetime `ns`. Sub-second parts count only within their second
    /// (`millisecond` of `…03.7654321` is 765, not 3765).
    pub(crate) fn of(self, ns: i64) -> Option<i32> {
        let dt = naive(ns)?;
        let sub = ns.rem_euclid(NANOS_PER_SECOND);
        Some(match self {
            Self::Year => dt.year(),
            Self::Quarter => (dt.month0() / 3 + 1) as i32,
            Self::Month => dt.month() as i32,
            Self::WeekOfYear => dt.iso_week().week() as i32,
            Self::Day => dt.day() as i32,
            Self::DayOfYear => dt.ordinal() as i32,
            Self::Hour => dt.hour() as i32,
            Self::Minute => dt.minute() as i32,
            Self::Second => dt.second() as i32,
            Self::Millisecond => (sub / NANOS_PER_MILLISECOND) as i32,
            Self::Microsecond => (sub / NANOS_PER_MICROSECOND) as i32,
            Self::Nanosecond => sub as i32,
        })
    }
}

/// Days since the epoch of the day holding `ns`.
fn epoch_day(ns: i64) -> i64 {
    ns.div_euclid(NANOS_PER_DAY)
}

/// Days since the preceding Sunday (the epoch, 1970-01-01, was a Thursday).
fn days_since_sunday(day: i64) -> i64 {
    (day + 4).rem_euclid(7)
}

/// `dayofweek`: the time since the start of the preceding Sunday, in whole days.
pub(crate) fn day_of_week(ns: i64) -> i64 {
    days_since_sunday(epoch_day(ns)) * NANOS_PER_DAY
}

/// The first instant of the period `unit` holding `ns`, shifted by `offset` periods. Weeks start
/// on Sunday.
pub(crate) fn start_of(unit: Unit, ns: i64, offset: i64) -> Option<i64> {
    match unit {
        Unit::Day => epoch_day(ns)
            .checked_add(offset)?
            .checked_mul(NANOS_PER_DAY),
        Unit::Week => {
            let day = epoch_day(ns);
            let sunday = day - days_since_sunday(day);
            sunday
                .checked_add(offset.checked_mul(7)?)?
                .checked_mul(NANOS_PER_DAY)
        }
        Unit::Month | Unit::Quarter | Unit::Year => {
            let dt = naive(ns)?;
            let month0 = match unit {
                Unit::Month => dt.month0(),
                Unit::Quarter => dt.month0() / 3 * 3,
                _ => 0,
            };
            let months = unit.months()?;
            let first = i64::from(dt.year()) * 12 + i64::from(month0);
            let (year, month0) = split_months(first.checked_add(offset.checked_mul(months)?)?)?;
            nanos(NaiveDate::from_ymd_opt(year, month0 + 1, 1)?.and_time(NaiveTime::MIN))
        }
        _ => None,
    }
}

/// The last tick of the period `unit` holding `ns`, shifted by `offset` periods: one tick before
/// the next period starts (`2017-01-01T23:59:59.9999999Z` for a day).
pub(crate) fn end_of(unit: Unit, ns: i64, offset: i64) -> Option<i64> {
    start_of(unit, ns, offset.checked_add(1)?)?.checked_sub(NANOS_PER_TICK)
}

/// A count of months since year 0 as (year, 0-based month).
fn split_months(total: i64) -> Option<(i32, u32)> {
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    Some((year, total.rem_euclid(12) as u32))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// `datetime_add`: `amount` units after `ns`. Adding months keeps the time of day and clamps the
/// day to the target month's length (Jan 31 + 1 month is Feb 28 or 29), as .NET's `AddMonths`,
/// which Kusto follows, does.
pub(crate) fn add(unit: Unit, amount: i64, ns: i64) -> Option<i64> {
    if let Some(months) = unit.months() {
        let dt = naive(ns)?;
        let total = (i64::from(dt.year()) * 12 + i64::from(dt.month0()))
            .checked_add(amount.checked_mul(months)?)?;
        let (year, month0) = split_months(total)?;
        let day = dt.day().min(days_in_month(year, month0 + 1));
        let date = NaiveDate::from_ymd_opt(year, month0 + 1, day)?;
        return nanos(date.and_time(dt.time()));
    }
    let step = unit.fixed_nanos()?;
    let delta = amount.checked_mul(step)?;
    // A datetime has 100 ns ticks: a nanosecond amount counts in whole ticks.
    let delta = if unit == Unit::Nanosecond {
        delta / NANOS_PER_TICK * NANOS_PER_TICK
    } else {
        delta
    };
    ns.checked_add(delta)
}

/// `datetime_diff`: how many `unit` boundaries lie between `b` and `a` (`a - b`), counting
/// calendar periods rather than elapsed time: from 2000-12-31 to 2017-01-01 is 17 years, from
/// 23:59 to 01:00 the next day 2 hours. Weeks start on Sunday.
pub(crate) fn diff(unit: Unit, a: i64, b: i64) -> Option<i64> {
    match unit {
        Unit::Year | Unit::Quarter | Unit::Month => {
            let (da, db) = (naive(a)?, naive(b)?);
            let index = |d: NaiveDateTime| -> i64 {
                let year = i64::from(d.year());
                match unit {
                    Unit::Year => year,
                    Unit::Quarter => year * 4 + i64::from(d.month0() / 3),
                    _ => year * 12 + i64::from(d.month0()),
                }
            };
            Some(index(da) - index(db))
        }
        Unit::Week => {
            let start = |ns: i64| {
                let day = epoch_day(ns);
                day - days_since_sunday(day)
            };
            Some((start(a) - start(b)) / 7)
        }
        Unit::Nanosecond => a.checked_sub(b),
        _ => {
            let step = unit.fixed_nanos()?;
            Some(a.div_euclid(step) - b.div_euclid(step))
        }
    }
}

/// `make_datetime`: null unless every field is in range (year 0 to 9999, a real date, hour 0 to
/// 23, minute 0 to 59, second from 0 up to 60). Seconds are rounded to the tick.
pub(crate) fn make_datetime(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: f64,
) -> Option<i64> {
    if !(0..=9999).contains(&year)
        || !(0..24).contains(&hour)
        || !(0..60).contains(&minute)
        || !(0.0..60.0).contains(&second)
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )?;
    let midnight = nanos(date.and_time(NaiveTime::MIN))?;
    let ticks = (second * 1e7).round() as i64;
    midnight
        .checked_add(hour * NANOS_PER_HOUR + minute * NANOS_PER_MINUTE)?
        .checked_add(ticks.checked_mul(NANOS_PER_TICK)?)
}

/// `make_timespan`: days, hours, minutes and seconds added up, as .NET's `TimeSpan` constructor
/// does (fields out of their usual range carry over); null on overflow. Seconds are rounded to
/// the tick.
pub(crate) fn make_timespan(days: i64, hours: i64, minutes: i64, seconds: f64) -> Option<i64> {
    let ticks = (seconds * 1e7).round();
    if !ticks.is_finite() || ticks.abs() >= 9.2e16 {
        return None;
    }
    days.checked_mul(NANOS_PER_DAY)?
        .checked_add(hours.checked_mul(NANOS_PER_HOUR)?)?
        .checked_add(minutes.checked_mul(NANOS_PER_MINUTE)?)?
        .checked_add((ticks as i64).checked_mul(NANOS_PER_TICK)?)
}
