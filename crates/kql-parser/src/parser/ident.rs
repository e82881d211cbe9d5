//! Identifiers: `Name`, `['odd name']`, `$left`, and dotted option names.

use super::input::{
    Input, PResult, advance, hard_diag, is_ident_char, is_ident_start, offset, soft, ws,
};
use super::literal::quoted_string;
use crate::ast::Ident;
use crate::{Code, Diagnostic, Span};

/// A plain word `[A-Za-z_][A-Za-z0-9_]*`, with no keyword check.
///
/// Production: `word`.
pub(crate) fn word(i: Input<'_>) -> PResult<'_, (&str, Span)> {
    let i = ws(i);
    let text = *i.fragment();
    if !text.starts_with(is_ident_start) {
        return soft(&i, "a name");
    }
    let len = text.find(|c: char| !is_ident_char(c)).unwrap_or(text.len());
    let start = offset(&i);
    Ok((
        advance(i, len),
        (&text[..len], Span::new(start, start + len)),
    ))
}

/// A name: a word, `$left`/`$right`/`$table`, or a bracketed name `['any text']` / `["any text"]`.
///
/// Production: `identifier`.
pub(crate) fn ident(i: Input<'_>) -> PResult<'_, Ident> {
    let i = ws(i);
    let text = *i.fragment();
    let start = offset(&i);
    if text.starts_with("['") || text.starts_with("[\"") {
        let (rest, (name, _)) = quoted_string(advance(i, 1))?;
        let rest = ws(rest);
        if !rest.fragment().starts_with(']') {
            return hard_diag(Diagnostic::new(
                Code::SYNTAX,
                "expected ']' to close the bracketed name",
                Span::point(offset(&rest)),
            ));
        }
        let rest = advance(rest, 1);
        let end = offset(&rest);
        return Ok((rest, Ident::new(name, Span::new(start, end))));
    }
    // `$table`: the column `search` and `union withsource` name rows' tables with.
    for special in ["$left", "$right", "$table"] {
        if text.starts_with(special) && !text[special.len()..].starts_with(is_ident_char) {
            return Ok((
                advance(i, special.len()),
                Ident::new(special, Span::new(start, start + special.len())),
            ));
        }
    }
    let (rest, (name, span)) = word(i)?;
    Ok((rest, Ident::new(name, span)))
}

/// An option name, possibly dotted: `kind`, `hint.strategy`, `query_now`.
///
/// Production: `option_name`.
pub(crate) fn dotted_name(i: Input<'_>) -> PResult<'_, Ident> {
    let (mut rest, (first, span)) = word(i)?;
    let mut name = first.to_string();
    let mut end = span.end;
    while rest.fragment().starts_with('.') {
        match word(advance(rest, 1)) {
            Ok((after, (part, part_span))) if part_span.start == end + 1 => {
                name.push('.');
                name.push_str(part);
                end = part_span.end;
                rest = after;
            }
            _ => break,
        }
    }
    Ok((rest, Ident::new(name, Span::new(span.start, end))))
}

/// A column name or wildcard pattern: `Col`, `Col*`, `*Id`, `*`, `['odd']`.
///
/// Production: `column_pattern`.
pub(crate) fn column_pattern(i: Input<'_>) -> PResult<'_, (String, Span)> {
    let i = ws(i);
    if i.fragment().starts_with('[') {
        let (rest, id) = ident(i)?;
        return Ok((rest, (id.name, id.span)));
    }
    let text = *i.fragment();
    let len = text
        .find(|c: char| !(is_ident_char(c) || c == '*'))
        .unwrap_or(text.len());
    if len == 0 || text.starts_with(|c: char| c.is_ascii_digit()) {
        return soft(&i, "a column name or pattern");
    }
    let start = offset(&i);
    Ok((
        advance(i, len),
        (text[..len].to_string(), Span::new(start, start + len)),
    ))
}
