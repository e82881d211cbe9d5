//! Literals: numbers, timespans, strings in all their forms, `true`/`false`, typed literals
//! (`datetime(…)`, `int(null)`, `real(nan)`, `guid(…)`) and `dynamic(…)`.

use super::input::{
    Input, PResult, advance, hard, hard_diag, is_ident_char, keyword, offset, soft, symbol, ws,
};
use crate::ast::{Dynamic, Literal, ScalarType};
use crate::temporal::{
    parse_datetime, parse_datetime_parts, parse_timespan, ticks_of, timespan_unit,
};
use crate::{Code, Diagnostic, Span};

fn invalid(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::INVALID_LITERAL, message, span)
}

/// A number literal: `42`, `0x2A`, `1.5`, `1e-3`, or a timespan `5d`, `1.5h`, `100ms`.
///
/// Production: `number_literal`.
pub(crate) fn number(i: Input<'_>) -> PResult<'_, Literal> {
    let i = ws(i);
    let text = *i.fragment();
    let start = offset(&i);
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return soft(&i, "a number");
    }
    let bytes = text.as_bytes();
    if text.starts_with("0x") || text.starts_with("0X") {
        let digits = text[2..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(text.len() - 2);
        let end = 2 + digits;
        let span = Span::new(start, start + end);
        if text[end..].starts_with(is_ident_char) {
            return hard_diag(invalid(
                Span::new(start, start + end + 1),
                "invalid hexadecimal literal",
            ));
        }
        let value = i64::from_str_radix(&text[2..end], 16).map_err(|_| {
            nom::Err::Failure(super::input::PError::diagnostic(invalid(
                span,
                "invalid hexadecimal literal",
            )))
        })?;
        return Ok((advance(i, end), Literal::Long(Some(value))));
    }
    let digits_at = |from: usize| {
        text[from..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len() - from)
    };
    // `e`/`E`, an optional sign and at least one digit; its length, or 0.
    let exponent_at = |from: usize| {
        if !matches!(bytes.get(from), Some(b'e' | b'E')) {
            return 0;
        }
        let mut exp = from + 1;
        if matches!(bytes.get(exp), Some(b'+' | b'-')) {
            exp += 1;
        }
        match digits_at(exp) {
            0 => 0,
            n => exp + n - from,
        }
    };
    let int_end = digits_at(0);
    // A real, as Kusto.Language's `ScanRealLiteral` reads one: digits, then either a "." (not
    // the start of "..", so `1..5` stays two bounds) with optional fraction digits and an
    // optional exponent (`1.`, `1.5`, `1.e3`), or an exponent alone (`1e3`). It only counts
    // when no identifier character follows; `1.5h` is a timespan instead.
    let dot = bytes.get(int_end) == Some(&b'.')
        && (bytes.get(int_end + 1) != Some(&b'.') || bytes.get(int_end + 2) == Some(&b'.'));
    let real_end = if dot {
        let fraction_end = int_end + 1 + digits_at(int_end + 1);
        Some(fraction_end + exponent_at(fraction_end))
    } else {
        match exponent_at(int_end) {
            0 => None,
            n => Some(int_end + n),
        }
    };
    let (end, is_real) = match real_end {
        Some(end) if !text[end..].starts_with(is_ident_char) => (end, true),
        _ => {
            // A timespan takes a fraction only with digits after the ".": `1.h` is `1` and
            // a member `h`, as in Kusto.
            let fraction = bytes.get(int_end) == Some(&b'.') && digits_at(int_end + 1) > 0;
            let end = if fraction {
                int_end + 1 + digits_at(int_end + 1)
            } else {
                int_end
            };
            // An exponent followed by letters (`1e3x`) is reported below as a bad unit.
            (end, false)
        }
    };
    let digits = &text[..end];
    // A unit right after the number makes it a timespan.
    let unit_len = text[end..]
        .find(|c: char| !is_ident_char(c))
        .unwrap_or(text.len() - end);
    if unit_len > 0 {
        let unit = &text[end..end + unit_len];
        let span = Span::new(start, start + end + unit_len);
        let Some(unit_ticks) = timespan_unit(unit) else {
            return hard_diag(invalid(
                Span::new(start + end, start + end + unit_len),
                format!("'{unit}' is not a timespan unit"),
            )
            .with_help("timespan units are d, h, m, s, ms, microsecond, nanosecond, tick (or day, hour, minute, second, …)"));
        };
        let amount: f64 = digits.parse().map_err(|_| {
            nom::Err::Failure(super::input::PError::diagnostic(invalid(
                span,
                "invalid timespan",
            )))
        })?;
        let Some(ticks) = ticks_of(amount, unit_ticks) else {
            return hard_diag(invalid(span, "timespan literal is out of range"));
        };
        return Ok((advance(i, end + unit_len), Literal::Timespan(Some(ticks))));
    }
    let span = Span::new(start, start + end);
    let literal = if is_real {
        match digits.parse::<f64>() {
            Ok(v) if v.is_finite() => Literal::Real(Some(v)),
            _ => return hard_diag(invalid(span, "real literal is out of range")),
        }
    } else {
        match digits.parse::<i64>() {
            Ok(v) => Literal::Long(Some(v)),
            Err(_) => {
                return hard_diag(
                    invalid(span, "integer literal is out of range for long")
                        .with_help("use a real literal such as 1e19 for larger numbers"),
                );
            }
        }
    };
    Ok((advance(i, end), literal))
}

/// Where a string literal starts: `'`, `"`, `@'`, `h'`, `h@"`, ```` ``` ````; returns the
/// length of the prefix before the quote and whether escapes are off.
fn string_start(text: &str) -> Option<(usize, bool)> {
    if text.starts_with("```") {
        return Some((0, true));
    }
    let after_h = if text.starts_with(['h', 'H']) { 1 } else { 0 };
    let rest = &text[after_h..];
    if rest.starts_with('@') && rest[1..].starts_with(['\'', '"']) {
        Some((after_h + 1, true))
    } else if rest.starts_with(['\'', '"']) {
        Some((after_h, false))
    } else {
        None
    }
}

/// Whether a string literal starts here.
pub(crate) fn peek_string(i: Input<'_>) -> bool {
    string_start(ws(i).fragment()).is_some()
}

/// One string literal in any form, without concatenation: returns its value and span.
///
/// Production: `string_part`.
pub(crate) fn quoted_string(i: Input<'_>) -> PResult<'_, (String, Span)> {
    let i = ws(i);
    let text = *i.fragment();
    let start = offset(&i);
    let Some((prefix, verbatim)) = string_start(text) else {
        return soft(&i, "a string");
    };
    let unterminated = |what: &str| {
        hard_diag(
            Diagnostic::new(
                Code::UNTERMINATED_STRING,
                format!("unterminated {what}"),
                Span::new(start, start + text.len()),
            )
            .with_span_label("the literal starts here and never ends"),
        )
    };
    if let Some(body) = text.strip_prefix("```") {
        let Some(close) = body.find("```") else {
            return unterminated("multi-line string literal");
        };
        let value = body[..close].to_string();
        let end = 3 + close + 3;
        return Ok((advance(i, end), (value, Span::new(start, start + end))));
    }
    let quote = text[prefix..].chars().next().unwrap_or('"');
    let body = &text[prefix + 1..];
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((pos, c)) = chars.next() {
        if c == quote {
            // In a verbatim string a doubled quote stands for one quote.
            if verbatim && body[pos + 1..].starts_with(quote) {
                value.push(quote);
                chars.next();
                continue;
            }
            let end = prefix + 1 + pos + 1;
            return Ok((advance(i, end), (value, Span::new(start, start + end))));
        }
        if c == '\\' && !verbatim {
            let Some((epos, escaped)) = chars.next() else {
                break;
            };
            let escape_start = start + prefix + 1 + pos;
            match escaped {
                '\\' => value.push('\\'),
                '\'' => value.push('\''),
                '"' => value.push('"'),
                'n' => value.push('\n'),
                'r' => value.push('\r'),
                't' => value.push('\t'),
                'a' => value.push('\u{7}'),
                'b' => value.push('\u{8}'),
                'f' => value.push('\u{c}'),
                'v' => value.push('\u{b}'),
                '0'..='7' => {
                    // Octal, as Kusto's `ScanOctalCode`: up to three digits, the third only
                    // when the first is 0-3 (so the value stays below 256).
                    let octal = body[epos..]
                        .bytes()
                        .take(3)
                        .take_while(|b| (b'0'..=b'7').contains(b))
                        .count();
                    let len = if octal == 3 && escaped > '3' {
                        2
                    } else {
                        octal
                    };
                    let code = u32::from_str_radix(&body[epos..epos + len], 8).unwrap_or(0);
                    value.push(char::from_u32(code).unwrap_or('\0'));
                    for _ in 1..len {
                        chars.next();
                    }
                }
                'u' | 'U' | 'x' => {
                    let width = match escaped {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex_at = |from: usize| {
                        body.get(from..from + width)
                            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                    };
                    let code = hex_at(epos + 1);
                    let mut len = width;
                    let decoded = match code {
                        // A UTF-16 surrogate pair written as two `\u` escapes.
                        Some(high @ 0xD800..=0xDBFF) if escaped == 'u' => {
                            let next = epos + 1 + width;
                            let low = body[next..]
                                .strip_prefix("\\u")
                                .and_then(|_| hex_at(next + 2))
                                .filter(|low| (0xDC00..=0xDFFF).contains(low));
                            low.and_then(|low| {
                                len += 6;
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                            })
                        }
                        Some(code) => char::from_u32(code),
                        None => None,
                    };
                    match decoded {
                        Some(ch) => {
                            value.push(ch);
                            for _ in 0..len {
                                chars.next();
                            }
                        }
                        None if code.is_some() => {
                            return hard_diag(invalid(
                                Span::new(escape_start, escape_start + 2 + width),
                                format!(
                                    "invalid escape: '\\{escaped}' does not name a Unicode character"
                                ),
                            ));
                        }
                        None => {
                            let hex = body[epos + 1..]
                                .bytes()
                                .take(width)
                                .take_while(u8::is_ascii_hexdigit)
                                .count();
                            return hard_diag(invalid(
                                Span::new(escape_start, escape_start + 2 + hex),
                                format!("invalid escape: '\\{escaped}' needs {width} hex digits"),
                            ));
                        }
                    }
                }
                other => {
                    return hard_diag(
                        invalid(
                            Span::new(escape_start, escape_start + 1 + other.len_utf8()),
                            format!("unknown escape sequence '\\{other}'"),
                        )
                        .with_help("escape a backslash as '\\\\', or use a verbatim string @'…'"),
                    );
                }
            }
            continue;
        }
        value.push(c);
    }
    unterminated("string literal")
}

/// A string literal; adjacent literals (`'a' "b"`) are one string.
///
/// Production: `string_literal = string_part { string_part }`.
pub(crate) fn string_literal(i: Input<'_>) -> PResult<'_, (String, Span)> {
    let (mut rest, (mut value, mut span)) = quoted_string(i)?;
    while peek_string(rest) {
        let (after, (more, more_span)) = quoted_string(rest)?;
        value.push_str(&more);
        span = span.to(more_span);
        rest = after;
    }
    Ok((rest, (value, span)))
}

/// `true` / `false`.
///
/// Production: `bool_literal`.
pub(crate) fn bool_literal(i: Input<'_>) -> PResult<'_, bool> {
    if let Ok((rest, _)) = keyword(i, "true") {
        return Ok((rest, true));
    }
    if let Ok((rest, _)) = keyword(i, "false") {
        return Ok((rest, false));
    }
    soft(&i, "true or false")
}

/// The raw text between `(` and the matching `)`, for typed literals whose contents are not
/// expressions (`datetime(2015-12-31 23:59:59)`). Returns the trimmed text and its span.
fn raw_parenthesized<'a>(i: Input<'a>, what: &str) -> PResult<'a, (&'a str, Span)> {
    let (i, _) = match symbol(i, "(") {
        Ok(ok) => ok,
        Err(_) => return hard(&i, format!("'(' after {what}")),
    };
    let text = *i.fragment();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (pos, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => {
                let inner = &text[..pos];
                let lead = inner.len() - inner.trim_start().len();
                let trimmed = inner.trim();
                let start = offset(&i) + lead;
                return Ok((
                    advance(i, pos + 1),
                    (trimmed, Span::new(start, start + trimmed.len())),
                ));
            }
            (None, ')') => depth -= 1,
            _ => {}
        }
    }
    hard(&i, format!("')' to close {what}"))
}

fn unquote(text: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    text
}

/// A typed literal `type(value)`: `datetime(…)`, `timespan(…)`/`time(…)`, `int(…)`, `long(…)`,
/// `real(…)`/`double(…)`, `decimal(…)`, `bool(…)`, `guid(…)`, `dynamic(…)`. Called with the type
/// already recognised and the input at the `(`.
///
/// Production: `typed_literal`.
pub(crate) fn typed_literal<'a>(i: Input<'a>, ty: ScalarType, name: &str) -> PResult<'a, Literal> {
    if ty == ScalarType::Dynamic {
        let (i, _) = symbol(i, "(")?;
        let (i, value) = dynamic_value(i)?;
        let (i, _) = match symbol(i, ")") {
            Ok(ok) => ok,
            Err(_) => return hard(&i, "')' to close dynamic(…)"),
        };
        return Ok((i, Literal::Dynamic(value)));
    }
    let what = format!("{name}(…)");
    let (rest, (text, span)) = raw_parenthesized(i, &what)?;
    let is_null = text == "null";
    // The message quotes the value once: `'12-02-2022'`, not `''12-02-2022''`.
    let shown = unquote(text);
    let bad = |expected: &str| {
        hard_diag(invalid(
            span,
            format!("'{shown}' is not a valid {expected} for {name}(…)"),
        ))
    };
    let literal = match ty {
        ScalarType::Datetime => {
            if is_null {
                Literal::Datetime(None)
            } else {
                match parse_datetime(unquote(text)).or_else(|| parse_datetime_parts(text)) {
                    Some(ticks) => Literal::Datetime(Some(ticks)),
                    None => {
                        return hard_diag(
                            invalid(span, format!("'{shown}' is not a valid datetime"))
                                .with_help("write ISO 8601 (2026-01-31, 2026-01-31 12:30:00, 2026-01-31T12:30:00.5Z), RFC 822, RFC 850, MM-DD-YYYY or year, month, day[, hour, minute, second]"),
                        );
                    }
                }
            }
        }
        ScalarType::Timespan => {
            if is_null {
                Literal::Timespan(None)
            } else {
                match parse_timespan(unquote(text)) {
                    Some(ticks) => Literal::Timespan(Some(ticks)),
                    None => return bad("timespan ([d.]hh:mm[:ss[.fffffff]] or 1d, 2h, …)"),
                }
            }
        }
        ScalarType::Bool => match text {
            "null" => Literal::Bool(None),
            "true" => Literal::Bool(Some(true)),
            "false" => Literal::Bool(Some(false)),
            _ => return bad("value (true, false or null)"),
        },
        ScalarType::Int => match (is_null, text.parse::<i32>()) {
            (true, _) => Literal::Int(None),
            (_, Ok(v)) => Literal::Int(Some(v)),
            _ => return bad("int"),
        },
        ScalarType::Long => match (is_null, parse_long(text)) {
            (true, _) => Literal::Long(None),
            (_, Some(v)) => Literal::Long(Some(v)),
            _ => return bad("long"),
        },
        ScalarType::Real => match text {
            "null" => Literal::Real(None),
            "nan" | "NaN" => Literal::Real(Some(f64::NAN)),
            "inf" | "+inf" => Literal::Real(Some(f64::INFINITY)),
            "-inf" => Literal::Real(Some(f64::NEG_INFINITY)),
            _ => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Literal::Real(Some(v)),
                _ => return bad("real"),
            },
        },
        ScalarType::Decimal => {
            if is_null {
                Literal::Decimal(None)
            } else if is_decimal_text(text) {
                Literal::Decimal(Some(text.to_string()))
            } else {
                return bad("decimal");
            }
        }
        ScalarType::Guid => {
            if is_null {
                Literal::Guid(None)
            } else {
                match canonical_guid(unquote(text)) {
                    Some(g) => Literal::Guid(Some(g)),
                    None => return bad("guid (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"),
                }
            }
        }
        ScalarType::String => {
            return hard_diag(invalid(span, "string(…) is not a literal; write \"…\""));
        }
        ScalarType::Dynamic => unreachable_dynamic(),
    };
    Ok((rest, literal))
}

// `dynamic` is handled before the match; keep the match exhaustive without a panic.
fn unreachable_dynamic() -> Literal {
    Literal::Dynamic(Dynamic::Null)
}

fn parse_long(text: &str) -> Option<i64> {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else {
        // Parse with the sign so i64::MIN is representable.
        let signed = if neg {
            format!("-{digits}")
        } else {
            digits.to_string()
        };
        return signed.parse().ok();
    };
    Some(if neg { -value } else { value })
}

fn is_decimal_text(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let digits_ok = !mantissa.is_empty()
        && mantissa.chars().filter(|c| *c == '.').count() <= 1
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().any(|c| c.is_ascii_digit());
    let exp_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    digits_ok && exp_ok
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (32 hex digits, optionally without dashes) in lower
/// case, or `None`.
pub(crate) fn canonical_guid(text: &str) -> Option<String> {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    let dashes_ok = text.len() == 32
        || (text.len() == 36
            && [8, 13, 18, 23]
                .iter()
                .all(|&p| text.as_bytes().get(p) == Some(&b'-')));
    if hex.len() != 32 || !dashes_ok || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// The value inside `dynamic(…)`: JSON (strings in single or double quotes), plus
/// `datetime(…)`, `timespan(…)` and timespan literals such as `1d`.
///
/// Production: `dynamic_value`.
pub(crate) fn dynamic_value(i: Input<'_>) -> PResult<'_, Dynamic> {
    super::input::nested(&i, || dynamic_value_inner(i))
}

fn dynamic_value_inner(i: Input<'_>) -> PResult<'_, Dynamic> {
    let i = ws(i);
    let text = *i.fragment();
    if let Ok((rest, _)) = keyword(i, "null") {
        return Ok((rest, Dynamic::Null));
    }
    if let Ok((rest, b)) = bool_literal(i) {
        return Ok((rest, Dynamic::Bool(b)));
    }
    if text.starts_with('[') {
        let (mut rest, _) = symbol(i, "[")?;
        let mut items = Vec::new();
        loop {
            if let Ok((after, _)) = symbol(rest, "]") {
                return Ok((after, Dynamic::Array(items)));
            }
            let (after, item) = dynamic_value(rest)?;
            items.push(item);
            rest = after;
            match symbol(rest, ",") {
                Ok((after, _)) => rest = after,
                Err(_) => match symbol(rest, "]") {
                    Ok((after, _)) => return Ok((after, Dynamic::Array(items))),
                    Err(_) => return hard(&rest, "',' or ']' in the dynamic array"),
                },
            }
        }
    }
    if text.starts_with('{') {
        let (mut rest, _) = symbol(i, "{")?;
        let mut entries = Vec::new();
        loop {
            if let Ok((after, _)) = symbol(rest, "}") {
                return Ok((after, Dynamic::Object(entries)));
            }
            let (after, (key, _)) = match quoted_string(rest) {
                Ok(ok) => ok,
                Err(nom::Err::Error(_)) => {
                    return hard(&rest, "a quoted key in the dynamic object");
                }
                Err(e) => return Err(e),
            };
            let (after, _) = match symbol(after, ":") {
                Ok(ok) => ok,
                Err(_) => return hard(&after, "':' after the key"),
            };
            let (after, value) = dynamic_value(after)?;
            entries.push((key, value));
            rest = after;
            match symbol(rest, ",") {
                Ok((after, _)) => rest = after,
                Err(_) => match symbol(rest, "}") {
                    Ok((after, _)) => return Ok((after, Dynamic::Object(entries))),
                    Err(_) => return hard(&rest, "',' or '}' in the dynamic object"),
                },
            }
        }
    }
    if peek_string(i) {
        let (rest, (s, _)) = string_literal(i)?;
        return Ok((rest, Dynamic::String(s)));
    }
    // A dynamic literal nested in another stands for its value: `dynamic({"a": dynamic({})})`.
    if let Ok((rest, _)) = keyword(i, "dynamic")
        && let Ok((rest, _)) = symbol(rest, "(")
    {
        let (rest, value) = dynamic_value(rest)?;
        return match symbol(rest, ")") {
            Ok((rest, _)) => Ok((rest, value)),
            Err(_) => hard(&rest, "')' to close dynamic(…)"),
        };
    }
    for (name, ty) in [
        ("datetime", ScalarType::Datetime),
        ("timespan", ScalarType::Timespan),
        ("time", ScalarType::Timespan),
    ] {
        if let Ok((rest, _)) = keyword(i, name) {
            let (rest, lit) = typed_literal(rest, ty, name)?;
            return Ok((
                rest,
                match lit {
                    Literal::Datetime(Some(t)) => Dynamic::Datetime(t),
                    Literal::Timespan(Some(t)) => Dynamic::Timespan(t),
                    _ => Dynamic::Null,
                },
            ));
        }
    }
    let (negative, num_input) = match symbol(i, "-") {
        Ok((rest, _)) => (true, rest),
        Err(_) => (false, i),
    };
    match number(num_input) {
        Ok((rest, lit)) => {
            let value = match lit {
                Literal::Long(Some(v)) => Dynamic::Long(if negative { -v } else { v }),
                Literal::Real(Some(v)) => Dynamic::Real(if negative { -v } else { v }),
                Literal::Timespan(Some(v)) => Dynamic::Timespan(if negative { -v } else { v }),
                _ => Dynamic::Null,
            };
            Ok((rest, value))
        }
        Err(nom::Err::Error(_)) => hard(
            &i,
            "a dynamic value (null, a number, a string, [ … ] or { … })",
        ),
        Err(e) => Err(e),
    }
}
