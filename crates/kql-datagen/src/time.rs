//! The time window all tables share, and timestamp text in the form Log Analytics exports.

use crate::GenConfig;

pub(crate) const SECOND: i64 = 1_000_000_000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;
pub(crate) const DAY: i64 = 24 * HOUR;
/// KQL datetimes have 100 ns ticks; finer digits would never survive a round trip.
pub(crate) const TICK: i64 = 100;

/// Where the data lives in time. Seed queries ask for `ago(1d)` … `ago(8d)`, so ten days of
/// history covers them all, and the newest rows are minutes old, as in a live workspace.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// Oldest possible event.
    pub(crate) start: i64,
    /// Latest time a new job is submitted or a cluster/node event is stamped.
    pub(crate) last_start: i64,
    /// Nothing happens after this; jobs that would finish later are cut short.
    pub(crate) cutoff: i64,
}

impl Window {
    pub(crate) fn new(config: &GenConfig) -> Self {
        // `validate` bounds the year, so this cannot overflow; 0 is a harmless fallback.
        let now = round_tick(config.now.timestamp_nanos_opt().unwrap_or(0));
        Self {
            start: now - 10 * DAY,
            last_start: now - 5 * MINUTE,
            cutoff: now - 2 * MINUTE,
        }
    }

    /// The time of item `i` of `n` spread evenly over the window with jitter `u` in `[0, 1)`:
    /// sorted by construction, so these tables need no sorting step.
    /// The last item lands in the final three minutes, so even a small table's newest row is
    /// minutes old.
    pub(crate) fn spread(&self, i: usize, n: usize, u: f64) -> i64 {
        let span = (self.last_start - self.start) as f64;
        let mut t = self.start + (span * (i as f64 + u) / n.max(1) as f64) as i64;
        if i + 1 >= n {
            t = t.max(self.last_start - (u * (3 * MINUTE) as f64) as i64);
        }
        round_tick(t.min(self.last_start))
    }
}

pub(crate) fn round_tick(ns: i64) -> i64 {
    ns - ns.rem_euclid(TICK)
}

pub(crate) fn secs(s: f64) -> i64 {
    round_tick((s * SECOND as f64) as i64)
}

/// Appends `2026-01-01T10:02:03.1234567Z`: seven fractional digits, as Log Analytics exports
/// datetimes. Hand-rolled because chrono's formatter dominated the JSON writer's profile.
pub(crate) fn push_iso8601(out: &mut String, ns: i64) {
    let secs = ns.div_euclid(SECOND);
    let ticks = ns.rem_euclid(SECOND) / TICK;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    push_num(out, y, 4);
    out.push('-');
    push_num(out, m, 2);
    out.push('-');
    push_num(out, d, 2);
    out.push('T');
    push_num(out, sod / 3600, 2);
    out.push(':');
    push_num(out, sod / 60 % 60, 2);
    out.push(':');
    push_num(out, sod % 60, 2);
    out.push('.');
    push_num(out, ticks, 7);
    out.push('Z');
}

/// Whole seconds with a `Z`, the shape of the string-typed `ClusterCreationTime`.
pub(crate) fn iso8601_seconds(ns: i64) -> String {
    let mut s = String::with_capacity(28);
    push_iso8601(&mut s, ns);
    s.truncate(19);
    s.push('Z');
    s
}

fn push_num(out: &mut String, v: i64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut v = v.unsigned_abs();
    let mut i = digits.len();
    while v > 0 {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = i.min(digits.len() - width);
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// Howard Hinnant's days-since-epoch to proleptic Gregorian date.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_matches_chrono() {
        for ns in [
            0_i64,
            1_767_225_600_123_456_700,
            951_782_400_000_000_000, // 2000-02-29
            -86_400_000_000_000,
            4_102_444_799_999_999_900,
        ] {
            let mut s = String::new();
            push_iso8601(&mut s, ns);
            let expected = chrono::DateTime::from_timestamp_nanos(ns)
                .format("%Y-%m-%dT%H:%M:%S%.9f")
                .to_string();
            // chrono has no 7-digit fraction; ticks drop the last two nanosecond digits.
            let expected = format!("{}Z", &expected[..expected.len() - 2]);
            assert_eq!(s, expected);
        }
        assert_eq!(iso8601_seconds(0), "1970-01-01T00:00:00Z");
    }
}
