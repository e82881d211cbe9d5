//! KQL's datetime and timespan text forms, in ticks (100 ns).
//!
//! Shared by the parser (`datetime(…)`, `time(…)` literals), the canonical printer and the engine
//! (`todatetime`, `totimespan`, result formatting), so a value reads and prints the same way
//! everywhere.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Ticks in one microsecond, millisecond, second, minute, hour and day.
pub const TICKS_PER_MICROSECOND: i64 = 10;
/// Ticks in one millisecond.
pub const TICKS_PER_MILLISECOND: i64 = 10_000;
/// Ticks in one second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks in one minute.
pub const TICKS_PER_MINUTE: i64 = 60 * TICKS_PER_SECOND;
/// Ticks in one hour.
pub const TICKS_PER_HOUR: i64 = 60 * TICKS_PER_MINUTE;
/// Ticks in one day.
pub const TICKS_PER_DAY: i64 = 24 * TICKS_PER_HOUR;

/// The timespan units KQL accepts after a number (`5d`, `1.5h`, `10microseconds`), with their
/// length in ticks: Kusto.Language's `TimespanSuffixes`, longest spellings first. Units shorter
/// than a tick (the nanosecond ones) are fractions; [`ticks_of`] rounds to whole ticks.
pub const TIMESPAN_UNITS: &[(&str, f64)] = &[
    ("microseconds", TICKS_PER_MICROSECOND as f64),
    ("milliseconds", TICKS_PER_MILLISECOND as f64),
    ("nanoseconds", 0.01),
    ("microsecond", TICKS_PER_MICROSECOND as f64),
    ("millisecond", TICKS_PER_MILLISECOND as f64),
    ("nanosecond", 0.01),
    ("microsec", TICKS_PER_MICROSECOND as f64),
    ("millisec", TICKS_PER_MILLISECOND as f64),
    ("nanosec", 0.01),
    ("minutes", TICKS_PER_MINUTE as f64),
    ("seconds", TICKS_PER_SECOND as f64),
    ("micros", TICKS_PER_MICROSECOND as f64),
    ("millis", TICKS_PER_MILLISECOND as f64),
    ("minute", TICKS_PER_MINUTE as f64),
    ("second", TICKS_PER_SECOND as f64),
    ("micro", TICKS_PER_MICROSECOND as f64),
    ("milli", TICKS_PER_MILLISECOND as f64),
    ("nanos", 0.01),
    ("hours", TICKS_PER_HOUR as f64),
    ("ticks", 1.0),
    ("nano", 0.01),
    ("tick", 1.0),
    ("hour", TICKS_PER_HOUR as f64),
    ("days", TICKS_PER_DAY as f64),
    ("day", TICKS_PER_DAY as f64),
    ("min", TICKS_PER_MINUTE as f64),
    ("sec", TICKS_PER_SECOND as f64),
    ("hrs", TICKS_PER_HOUR as f64),
    ("hr", TICKS_PER_HOUR as f64),
    ("ms", TICKS_PER_MILLISECOND as f64),
    ("d", TICKS_PER_DAY as f64),
    ("h", TICKS_PER_HOUR as f64),
    ("m", TICKS_PER_MINUTE as f64),
    ("s", TICKS_PER_SECOND as f64),
];

/// Looks up a timespan unit spelled exactly `unit`: its length in ticks.
pub fn timespan_unit(unit: &str) -> Option<f64> {
    TIMESPAN_UNITS
        .iter()
        .find(|(name, _)| *name == unit)
        .map(|(_, ticks)| *ticks)
}

/// `amount` units of `unit_ticks` ticks each, rounded to the nearest tick; `None` on overflow.
pub fn ticks_of(amount: f64, unit_ticks: f64) -> Option<i64> {
    // A fractional unit divides by its whole inverse (100 nanoseconds a tick), which is exact
    // for whole amounts where multiplying by 0.01 is not.
    let ticks = if unit_ticks < 1.0 {
        amount / (1.0 / unit_ticks).round()
    } else {
        amount * unit_ticks
    }
    .round();
    (ticks.is_finite() && ticks.abs() < i64::MAX as f64).then_some(ticks as i64)
}

/// Parses the text of a datetime in any format KQL documents (`scalar-data-types/datetime.md`,
/// `todatetime-function.md`): ISO 8601 (`2015-12-31`, `2015-12-31 23:59:59.9`,
/// `2015-12-31T23:59:59.9999999Z`, with an optional UTC offset), the sortable forms with an
/// optional zone (`2014-11-08 15:05:25 GMT`, `2014-11-08T15:05 GMT`), RFC 822
/// (`Sat, 8 Nov 14 15:05:02 GMT`), RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`) and the US date
/// `MM-DD-YYYY` (`12-02-2022` is December 2). Returns ticks since the Unix epoch, in UTC.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    parse_iso8601(text)
        .or_else(|| parse_us_date(text))
        .or_else(|| parse_rfc_822_850(text))
}

/// The literal form `datetime(2025, 6, 14)`: year, month and day, optionally hour, minute and
/// second (with a fraction), separated by commas. Returns ticks since the Unix epoch.
pub fn parse_datetime_parts(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(3..=6).contains(&parts.len()) {
        return None;
    }
    let int = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(int(parts[0])?).ok()?,
        int(parts[1])?,
        int(parts[2])?,
    )?;
    let hour = parts.get(3).map_or(Some(0), |h| int(h))?;
    let minute = parts.get(4).map_or(Some(0), |m| int(m))?;
    let (second, nanos) = match parts.get(5) {
        None => (0, 0),
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
            if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let nanos = if fraction.is_empty() {
                0
            } else {
                format!("{fraction:0<9}").parse().ok()?
            };
            (int(whole)?, nanos)
        }
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    datetime_ticks(date.and_time(time))
}

/// `text` without a trailing UTC zone name (`GMT`, `UTC`, `Z`) and the white space before it.
fn strip_zone(text: &str) -> &str {
    ["GMT", "UTC", "Z"]
        .iter()
        .find_map(|zone| text.strip_suffix(zone))
        .unwrap_or(text)
        .trim_end()
}

/// The US date `MM-DD-YYYY` or `MM/DD/YYYY` (one- or two-digit month and day, four-digit
/// year), as in `todatetime('12-02-2022')`, optionally followed by a time `HH:MM[:SS[.f]]`, as
/// .NET's invariant culture reads and writes it (`02/17/2016 08:40:00`).
fn parse_us_date(text: &str) -> Option<i64> {
    let (date, time) = match text.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let separator = if date.contains('/') { '/' } else { '-' };
    let mut parts = date.split(separator);
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lengths: &[usize]| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some()
        || !digits(month, &[1, 2])
        || !digits(day, &[1, 2])
        || !digits(year, &[4])
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)?;
    let time = match time {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(strip_zone(t), "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(strip_zone(t), "%H:%M"))
            .ok()?,
    };
    datetime_ticks(date.and_time(time))
}

fn parse_iso8601(text: &str) -> Option<i64> {
    if !text.as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    // An explicit offset: chrono reads RFC 3339 and friends.
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return datetime_ticks(dt.naive_utc());
    }
    if let Ok(dt) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return datetime_ticks(dt.naive_utc());
    }
    // The sortable forms may end in a zone name: `2014-11-08 15:05:25 GMT`.
    let text = strip_zone(text);
    const FORMATS: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y%m%dT%H%M%S",
    ];
    for format in FORMATS {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return datetime_ticks(dt);
        }
    }
    for format in ["%Y-%m-%d", "%Y%m%d", "%Y-%m"] {
        let probe;
        let (text, format) = if format == "%Y-%m" {
            probe = format!("{text}-01");
            (probe.as_str(), "%Y-%m-%d")
        } else {
            (text, format)
        };
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return datetime_ticks(date.and_time(NaiveTime::MIN));
        }
    }
    None
}

/// RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`) and RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`), with
/// or without the weekday, the seconds and the `GMT`/`UTC`/`Z` zone.
fn parse_rfc_822_850(text: &str) -> Option<i64> {
    let text = match text.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(|c| c.is_ascii_alphabetic()) => rest.trim(),
        _ => text,
    };
    let text = strip_zone(text);
    let (date, time) = text.rsplit_once(' ')?;
    let date = date.trim().replace('-', " ");
    let mut parts = date.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = month_number(parts.next()?)?;
    let year_text = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    let mut year: i32 = year_text.parse().ok()?;
    if year_text.len() <= 2 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    datetime_ticks(date.and_time(time))
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn datetime_ticks(dt: NaiveDateTime) -> Option<i64> {
    let utc = dt.and_utc();
    utc.timestamp()
        .checked_mul(TICKS_PER_SECOND)?
        .checked_add(i64::from(utc.nanosecond() / 100))
}

/// The UTC date and time of `ticks` since the Unix epoch, if in chrono's range.
pub fn ticks_to_naive(ticks: i64) -> Option<NaiveDateTime> {
    let secs = ticks.div_euclid(TICKS_PER_SECOND);
    let nanos = (ticks.rem_euclid(TICKS_PER_SECOND) * 100) as u32;
    DateTime::from_timestamp(secs, nanos).map(|dt| dt.naive_utc())
}

/// ISO 8601 in UTC as Log Analytics prints it: `2017-01-01T00:00:00Z`, with fractional seconds
/// (up to 7 digits, trailing zeros dropped) only when they are not zero.
pub fn format_datetime(ticks: i64) -> String {
    let Some(dt) = ticks_to_naive(ticks) else {
        return format!("<datetime out of range: {ticks} ticks>");
    };
    let mut out = String::with_capacity(28);
    push_seconds(&mut out, &dt);
    push_fraction(&mut out, ticks.rem_euclid(TICKS_PER_SECOND));
    out.push('Z');
    out
}

/// `yyyy-MM-ddTHH:mm:ss`, written from the fields: chrono's `format` parses its pattern at every
/// call, which was most of the cost of printing a datetime column.
fn push_seconds(out: &mut String, dt: &NaiveDateTime) {
    use chrono::Datelike;
    use std::fmt::Write;
    if !(0..=9999).contains(&dt.year()) {
        // chrono's signed, widened years (`+10000`, `-0001`).
        let _ = write!(out, "{}", dt.format("%Y-%m-%dT%H:%M:%S"));
        return;
    }
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
}

fn push_fraction(out: &mut String, sub_second_ticks: i64) {
    if sub_second_ticks != 0 {
        use std::fmt::Write;
        let _ = write!(out, ".{sub_second_ticks:07}");
        // The fraction has a digit other than 0, so the trim stops inside it.
        let kept = out.trim_end_matches('0').len();
        out.truncate(kept);
    }
}

/// ISO 8601 in UTC with all seven fractional digits, as `tostring()` of a datetime gives it:
/// `2017-01-01T00:00:00.0000000Z`.
pub fn format_datetime_full(ticks: i64) -> String {
    let Some(dt) = ticks_to_naive(ticks) else {
        return format!("<datetime out of range: {ticks} ticks>");
    };
    use std::fmt::Write;
    let mut out = String::with_capacity(28);
    push_seconds(&mut out, &dt);
    // Writing to a String cannot fail.
    let _ = write!(out, ".{:07}Z", ticks.rem_euclid(TICKS_PER_SECOND));
    out
}

/// A timespan as KQL prints it: `[-][d.]hh:mm:ss[.fffffff]` (fraction only when not zero).
pub fn format_timespan(ticks: i64) -> String {
    let mut out = String::new();
    if ticks < 0 {
        out.push('-');
    }
    let abs = ticks.unsigned_abs();
    let day = TICKS_PER_DAY as u64;
    let days = abs / day;
    let rem = abs % day;
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    let hours = rem / TICKS_PER_HOUR as u64;
    let minutes = rem % TICKS_PER_HOUR as u64 / TICKS_PER_MINUTE as u64;
    let seconds = rem % TICKS_PER_MINUTE as u64 / TICKS_PER_SECOND as u64;
    out.push_str(&format!("{hours:02}:{minutes:02}:{seconds:02}"));
    let fraction = rem % TICKS_PER_SECOND as u64;
    if fraction != 0 {
        out.push_str(&format!(".{fraction:07}"));
    }
    out
}

/// Parses the text inside `time(…)` / `timespan(…)` and of `totimespan("…")`:
/// `[-][d.]hh:mm[:ss[.fffffff]]`, a number with a unit (`2d`, `1.5h`), or a bare number of days.
pub fn parse_timespan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let ticks = if body.contains(':') {
        parse_clock_timespan(body)?
    } else {
        let split = body
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(body.len());
        let (number, unit) = body.split_at(split);
        let amount: f64 = number.parse().ok()?;
        let unit_ticks = if unit.is_empty() {
            TICKS_PER_DAY as f64
        } else {
            timespan_unit(unit.trim())?
        };
        ticks_of(amount, unit_ticks)?
    };
    Some(if negative { -ticks } else { ticks })
}

fn parse_clock_timespan(text: &str) -> Option<i64> {
    let (days, clock) = match text.split_once(':') {
        Some((head, _)) if head.contains('.') => {
            let (days, rest) = text.split_once('.')?;
            (days.parse::<i64>().ok()?, rest)
        }
        _ => (0, text),
    };
    let mut parts = clock.split(':');
    let hours: i64 = parts.next()?.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let (seconds, fraction) = match parts.next() {
        Some(s) => match s.split_once('.') {
            Some((whole, frac)) => (whole.parse::<i64>().ok()?, frac),
            None => (s.parse::<i64>().ok()?, ""),
        },
        None => (0, ""),
    };
    if parts.next().is_some() || minutes >= 60 || seconds >= 60 || fraction.len() > 7 {
        return None;
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let fraction_ticks: i64 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<7}").parse().ok()?
    };
    days.checked_mul(TICKS_PER_DAY)?
        .checked_add(hours.checked_mul(TICKS_PER_HOUR)?)?
        .checked_add(minutes * TICKS_PER_MINUTE + seconds * TICKS_PER_SECOND + fraction_ticks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(text: &str) -> String {
        parse_datetime(text)
            .map(format_datetime)
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn iso_8601_forms() {
        assert_eq!(dt("2015-12-31"), "2015-12-31T00:00:00Z");
        assert_eq!(dt("2015-12-31 23:59:59.9"), "2015-12-31T23:59:59.9Z");
        assert_eq!(
            dt("2015-12-31T23:59:59.1234567Z"),
            "2015-12-31T23:59:59.1234567Z"
        );
        assert_eq!(dt("2014-05-25T08:20"), "2014-05-25T08:20:00Z");
        assert_eq!(dt("2014-11-08 15:55"), "2014-11-08T15:55:00Z");
        assert_eq!(dt("2014-11-08T15:55:55+02:00"), "2014-11-08T13:55:55Z");
        assert_eq!(dt("2014-11-08 15:55:55 +02:00"), "2014-11-08T13:55:55Z");
        assert_eq!(dt("0001-01-01"), "0001-01-01T00:00:00Z");
        assert_eq!(dt("1969-12-31 23:59:59.5"), "1969-12-31T23:59:59.5Z");
    }

    #[test]
    fn sortable_forms_with_a_zone() {
        assert_eq!(dt("2014-11-08 15:05:25"), "2014-11-08T15:05:25Z");
        assert_eq!(dt("2014-11-08 15:05:25 GMT"), "2014-11-08T15:05:25Z");
        assert_eq!(dt("2014-11-08 15:05"), "2014-11-08T15:05:00Z");
        assert_eq!(dt("2014-11-08 15:05 GMT"), "2014-11-08T15:05:00Z");
        assert_eq!(dt("2014-11-08T15:05:25"), "2014-11-08T15:05:25Z");
        assert_eq!(dt("2014-11-08T15:05:25 GMT"), "2014-11-08T15:05:25Z");
        assert_eq!(dt("2014-11-08T15:05"), "2014-11-08T15:05:00Z");
        assert_eq!(dt("2014-11-08T15:05 GMT"), "2014-11-08T15:05:00Z");
        assert_eq!(dt("2014-11-08T15:05 UTC"), "2014-11-08T15:05:00Z");
        // %n and %e: month and day without a leading zero.
        assert_eq!(dt("2014-1-8 15:05:25 GMT"), "2014-01-08T15:05:25Z");
        assert_eq!(dt("2014-11-08 15:05 PST"), "none");
    }

    #[test]
    fn us_dates() {
        assert_eq!(dt("12-02-2022"), "2022-12-02T00:00:00Z");
        assert_eq!(dt("01-01-2022"), "2022-01-01T00:00:00Z");
        assert_eq!(dt("1-31-2022"), "2022-01-31T00:00:00Z");
        for text in [
            "13-01-2022",
            "02-30-2022",
            "12-02-202",
            "12-02-2022-1",
            "12--2022",
        ] {
            assert_eq!(parse_datetime(text), None, "{text}");
        }
    }

    #[test]
    fn rfc_822_and_850_forms() {
        for text in [
            "Sat, 8 Nov 14 15:05:02 GMT",
            "Sat, 8 Nov 14 15:05:02",
            "8 Nov 14 15:05:02 GMT",
            "Saturday, 08-Nov-14 15:05:02 GMT",
            "08-Nov-14 15:05:02",
        ] {
            assert_eq!(dt(text), "2014-11-08T15:05:02Z", "{text}");
        }
        assert_eq!(dt("Sat, 8 Nov 14 15:05"), "2014-11-08T15:05:00Z");
        assert_eq!(dt("Saturday, 08-Nov-14 15:05 GMT"), "2014-11-08T15:05:00Z");
    }

    #[test]
    fn garbage_is_not_a_datetime() {
        for text in [
            "",
            "garbage",
            "2015-13-01",
            "2015-02-30",
            "12:00",
            "Sat, 8 Foo 14 15:05",
        ] {
            assert_eq!(parse_datetime(text), None, "{text}");
        }
    }

    #[test]
    fn timespan_text_forms() {
        assert_eq!(
            parse_timespan("1.02:03:04"),
            Some(TICKS_PER_DAY + 2 * TICKS_PER_HOUR + 3 * TICKS_PER_MINUTE + 4 * TICKS_PER_SECOND)
        );
        assert_eq!(parse_timespan("00:00:00.5"), Some(TICKS_PER_SECOND / 2));
        assert_eq!(parse_timespan("-01:30"), Some(-90 * TICKS_PER_MINUTE));
        assert_eq!(parse_timespan("2d"), Some(2 * TICKS_PER_DAY));
        assert_eq!(parse_timespan("1.5h"), Some(90 * TICKS_PER_MINUTE));
        assert_eq!(parse_timespan("2"), Some(2 * TICKS_PER_DAY));
        assert_eq!(parse_timespan("10microseconds"), Some(100));
        assert_eq!(parse_timespan("3millisec"), Some(3 * TICKS_PER_MILLISECOND));
        assert_eq!(parse_timespan("2micro"), Some(20));
        assert_eq!(parse_timespan("2micros"), Some(20));
        assert_eq!(parse_timespan("2microsec"), Some(20));
        assert_eq!(parse_timespan("300nanoseconds"), Some(3));
        assert_eq!(parse_timespan("100nano"), Some(1));
        assert_eq!(parse_timespan("1nanos"), Some(0));
        assert_eq!(parse_timespan("250nanosec"), Some(3));
        assert_eq!(parse_timespan("1:60"), None);
        assert_eq!(parse_timespan("abc"), None);
    }

    #[test]
    fn us_dates_with_slashes_and_times() {
        assert_eq!(dt("02/17/2016 08:40:00"), "2016-02-17T08:40:00Z");
        assert_eq!(dt("2/7/2016"), "2016-02-07T00:00:00Z");
        assert_eq!(dt("12-02-2022 10:30"), "2022-12-02T10:30:00Z");
        assert_eq!(dt("13/02/2016"), "none");
        assert_eq!(dt("02/17/2016 08:40:00, "), "none");
    }

    #[test]
    fn full_datetime_text_has_seven_digits() {
        assert_eq!(format_datetime_full(0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(format_datetime_full(-1), "1969-12-31T23:59:59.9999999Z");
        assert_eq!(
            format_datetime_full(TICKS_PER_SECOND + 5_000_000),
            "1970-01-01T00:00:01.5000000Z"
        );
    }

    #[test]
    fn datetime_text_pads_each_field_and_widens_years_past_9999() {
        assert_eq!(dt("0001-01-01"), "0001-01-01T00:00:00Z");
        assert_eq!(
            dt("9999-12-31 23:59:59.9999999"),
            "9999-12-31T23:59:59.9999999Z"
        );
        assert_eq!(dt("2024-03-05 07:08:09.01"), "2024-03-05T07:08:09.01Z");
        let year_10000 = 253_402_300_800 * TICKS_PER_SECOND;
        assert_eq!(format_datetime(year_10000), "+10000-01-01T00:00:00Z");
        assert_eq!(
            format_datetime_full(-62_135_596_800 * TICKS_PER_SECOND - 1),
            "0000-12-31T23:59:59.9999999Z"
        );
    }

    #[test]
    fn timespan_formatting() {
        assert_eq!(format_timespan(0), "00:00:00");
        assert_eq!(
            format_timespan(TICKS_PER_DAY + TICKS_PER_SECOND),
            "1.00:00:01"
        );
        assert_eq!(format_timespan(-TICKS_PER_HOUR - 1), "-01:00:00.0000001");
        assert_eq!(
            format_timespan(15 * TICKS_PER_MILLISECOND),
            "00:00:00.0150000"
        );
    }
}
