//! `format_datetime` and `format_timespan` patterns: .NET-style custom format strings as the KQL
//! docs list them (`yyyy-MM-dd [HH:mm:ss.fffffff]`, `d.hh:mm:ss`).
//!
//! A pattern is a run-length list of specifier letters; anything else (the documented separators
//! ` / - : , . _ [ ]`, and any other character) is copied. As in .NET, `'…'`/`"…"` quote literal
//! text and `\` escapes one character.

use chrono::{Datelike, Timelike};

use super::calendar::{self, NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MINUTE, NANOS_PER_SECOND};

/// One element of a pattern: a specifier letter repeated `count` times, or literal text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    Spec(char, usize),
    Text(String),
}

/// Splits a pattern into specifier runs and literal text. `letters` are the specifier letters of
/// the value's type; a run of `f`/`F` longer than 7 is split, since there are only 7 digits.
pub(crate) fn tokenize(pattern: &str, letters: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if letters.contains(c) {
            let mut count = 1;
            while chars.peek() == Some(&c) {
                chars.next();
                count += 1;
            }
            if !text.is_empty() {
                tokens.push(Token::Text(std::mem::take(&mut text)));
            }
            if matches!(c, 'f' | 'F') {
                while count > 7 {
                    tokens.push(Token::Spec(c, 7));
                    count -= 7;
                }
            }
            tokens.push(Token::Spec(c, count));
        } else if c == '\'' || c == '"' {
            for q in chars.by_ref() {
                if q == c {
                    break;
                }
                text.push(q);
            }
        } else if c == '\\' {
            if let Some(next) = chars.next() {
                text.push(next);
            }
        } else {
            text.push(c);
        }
    }
    if !text.is_empty() {
        tokens.push(Token::Text(text));
    }
    tokens
}

/// The first `count` of the 7 fraction digits (`f`), or the same without trailing zeros (`F`).
fn push_fraction(out: &mut String, ticks: i64, count: usize, trim: bool) {
    let digits = format!("{ticks:07}");
    let mut digits = &digits[..count.min(7)];
    if trim {
        digits = digits.trim_end_matches('0');
        // .NET drops the decimal point before an `F` that prints nothing: `ss.FFF` of a whole
        // second is `05`, not `05.`.
        if digits.is_empty() && out.ends_with('.') {
            out.pop();
        }
    }
    out.push_str(digits);
}

fn push_number(out: &mut String, value: i64, count: usize) {
    out.push_str(&format!("{value:0count$}"));
}

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The specifier letters of `format_datetime`.
pub(crate) const DATETIME_LETTERS: &str = "dfFhHmMsyt";

/// The specifier letters of `format_timespan`.
pub(crate) const TIMESPAN_LETTERS: &str = "dfFhHms";

/// `format_datetime` of `ns` with a tokenized pattern; `None` out of range.
pub(crate) fn format_datetime(ns: i64, tokens: &[Token]) -> Option<String> {
    let dt = calendar::naive(ns)?;
    let ticks = ns.rem_euclid(NANOS_PER_SECOND) / 100;
    let mut out = String::with_capacity(32);
    for token in tokens {
        match token {
            Token::Text(text) => out.push_str(text),
            Token::Spec(c, n) => {
                let n = *n;
                match c {
                    'd' => match n {
                        1 | 2 => push_number(&mut out, i64::from(dt.day()), n),
                        3 => out.push_str(
                            &DAY_NAMES[dt.weekday().num_days_from_sunday() as usize][..3],
                        ),
                        _ => out.push_str(DAY_NAMES[dt.weekday().num_days_from_sunday() as usize]),
                    },
                    'f' => push_fraction(&mut out, ticks, n, false),
                    'F' => push_fraction(&mut out, ticks, n, true),
                    'h' => {
                        let h = i64::from(dt.hour() % 12);
                        push_number(&mut out, if h == 0 { 12 } else { h }, n.min(2));
                    }
                    'H' => push_number(&mut out, i64::from(dt.hour()), n.min(2)),
                    'm' => push_number(&mut out, i64::from(dt.minute()), n.min(2)),
                    's' => push_number(&mut out, i64::from(dt.second()), n.min(2)),
                    'M' => match n {
                        1 | 2 => push_number(&mut out, i64::from(dt.month()), n),
                        3 => out.push_str(&MONTH_NAMES[dt.month0() as usize][..3]),
                        _ => out.push_str(MONTH_NAMES[dt.month0() as usize]),
                    },
                    'y' => {
                        let year = i64::from(dt.year());
                        if n <= 2 {
                            push_number(&mut out, year % 100, n);
                        } else {
                            push_number(&mut out, year, n);
                        }
                    }
                    't' => {
                        let pm = dt.hour() >= 12;
                        out.push_str(match (pm, n) {
                            (false, 1) => "A",
                            (true, 1) => "P",
                            (false, _) => "AM",
                            (true, _) => "PM",
                        });
                    }
                    other => out.push(*other),
                }
            }
        }
    }
    Some(out)
}

/// `format_timespan` of `ns` with a tokenized pattern. The fields are those of the magnitude; a
/// negative timespan gets a leading `-` (the docs show no negative example; dropping the sign
/// would print two different values the same way).
pub(crate) fn format_timespan(ns: i64, tokens: &[Token]) -> String {
    let mut out = String::with_capacity(24);
    if ns < 0 {
        out.push('-');
    }
    let abs = ns.unsigned_abs();
    let days = abs / NANOS_PER_DAY as u64;
    let rem = abs % NANOS_PER_DAY as u64;
    let hours = rem / NANOS_PER_HOUR as u64;
    let minutes = rem % NANOS_PER_HOUR as u64 / NANOS_PER_MINUTE as u64;
    let seconds = rem % NANOS_PER_MINUTE as u64 / NANOS_PER_SECOND as u64;
    let ticks = (rem % NANOS_PER_SECOND as u64 / 100) as i64;
    for token in tokens {
        match token {
            Token::Text(text) => out.push_str(text),
            Token::Spec(c, n) => {
                let n = *n;
                match c {
                    'd' => out.push_str(&format!("{days:0n$}")),
                    'f' => push_fraction(&mut out, ticks, n, false),
                    'F' => push_fraction(&mut out, ticks, n, true),
                    'h' | 'H' => push_number(&mut out, hours as i64, n.min(2)),
                    'm' => push_number(&mut out, minutes as i64, n.min(2)),
                    's' => push_number(&mut out, seconds as i64, n.min(2)),
                    other => out.push(*other),
                }
            }
        }
    }
    out
}
