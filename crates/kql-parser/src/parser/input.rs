//! The parser's input type, error type and token-level helpers.
//!
//! Parsers are plain functions `fn(Input) -> PResult<T>` in nom's style. A soft
//! `nom::Err::Error` means "this alternative does not apply here" and lets the caller try
//! another; a hard `nom::Err::Failure` means the input committed to a construct and is wrong, and
//! carries the message the user will see. `expect`-style helpers turn the first into the second
//! once a construct is recognised, so errors say what was expected where.

use std::borrow::Cow;
use std::cell::Cell;

use nom::Input as _;
use nom_locate::LocatedSpan;

use crate::{Code, Diagnostic, Span};

/// Query text with its byte offset from the start.
pub(crate) type Input<'a> = LocatedSpan<&'a str>;

/// The result of every parser function.
pub(crate) type PResult<'a, T> = nom::IResult<Input<'a>, T, PError>;

/// A parse error: where, and what was expected there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PError {
    pub(crate) offset: usize,
    pub(crate) kind: PErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PErrorKind {
    /// Raised by a nom primitive; says nothing useful by itself.
    Nom,
    /// "expected {0}".
    Expected(Cow<'static, str>),
    /// A complete diagnostic (bad literal, unknown operator, …).
    Diagnostic(Box<Diagnostic>),
}

impl nom::error::ParseError<Input<'_>> for PError {
    fn from_error_kind(input: Input<'_>, _kind: nom::error::ErrorKind) -> Self {
        PError {
            offset: input.location_offset(),
            kind: PErrorKind::Nom,
        }
    }

    fn append(_input: Input<'_>, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two failed alternatives, the one that got further says more.
    fn or(self, other: Self) -> Self {
        match (self.offset.cmp(&other.offset), &self.kind) {
            (std::cmp::Ordering::Less, _) => other,
            (std::cmp::Ordering::Equal, PErrorKind::Nom) => other,
            _ => self,
        }
    }
}

impl PError {
    pub(crate) fn expected(offset: usize, what: impl Into<Cow<'static, str>>) -> Self {
        PError {
            offset,
            kind: PErrorKind::Expected(what.into()),
        }
    }

    pub(crate) fn diagnostic(diagnostic: Diagnostic) -> Self {
        PError {
            offset: diagnostic.span.start,
            kind: PErrorKind::Diagnostic(Box::new(diagnostic)),
        }
    }

    /// The user-facing diagnostic, given the whole query text.
    pub(crate) fn into_diagnostic(self, text: &str) -> Diagnostic {
        match self.kind {
            PErrorKind::Diagnostic(diagnostic) => *diagnostic,
            PErrorKind::Expected(what) => {
                let (found, span) = found_at(text, self.offset);
                Diagnostic::new(
                    Code::SYNTAX,
                    format!("expected {what}, found {found}"),
                    span,
                )
            }
            PErrorKind::Nom => {
                let (found, span) = found_at(text, self.offset);
                Diagnostic::new(Code::SYNTAX, format!("unexpected {found}"), span)
            }
        }
    }
}

/// Describes the token at `offset` ("'foo'", "end of query") and its span, for messages.
pub(crate) fn found_at(text: &str, offset: usize) -> (String, Span) {
    let rest = text.get(offset..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of query".to_string(), Span::point(offset));
    };
    let len = if first == '"' || first == '\'' {
        // A whole string literal on this line, so the caret underlines it.
        rest[1..].find([first, '\n']).map_or(rest.len(), |end| {
            1 + end + usize::from(rest[1 + end..].starts_with(first))
        })
    } else if is_ident_char(first) {
        rest.find(|c: char| !is_ident_char(c)).unwrap_or(rest.len())
    } else {
        const SYMBOLS: &[&str] = &["==", "!=", "<=", ">=", "=~", "!~", "..", "<>"];
        SYMBOLS
            .iter()
            .find(|s| rest.starts_with(*s))
            .map_or(first.len_utf8(), |s| s.len())
    };
    let token = &rest[..len];
    (format!("'{token}'"), Span::new(offset, offset + len))
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub(crate) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Byte offset of the input's first character.
pub(crate) fn offset(i: &Input<'_>) -> usize {
    i.location_offset()
}

/// The span from `start` to where `i` begins.
pub(crate) fn span_from(start: usize, i: &Input<'_>) -> Span {
    Span::new(start, offset(i).max(start))
}

/// Moves `n` bytes forward.
pub(crate) fn advance<'a>(i: Input<'a>, n: usize) -> Input<'a> {
    i.take_from(n)
}

/// Skips white space and `//` comments.
pub(crate) fn ws(i: Input<'_>) -> Input<'_> {
    let mut i = i;
    loop {
        let text = *i.fragment();
        let trimmed = text.trim_start();
        let mut skip = text.len() - trimmed.len();
        if trimmed.starts_with("//") {
            skip += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if skip == 0 {
            return i;
        }
        i = advance(i, skip);
    }
}

/// Whether only white space and comments remain.
pub(crate) fn at_end(i: &Input<'_>) -> bool {
    ws(*i).fragment().is_empty()
}

/// A soft error at the first token of `i`.
pub(crate) fn soft<T>(i: &Input<'_>, what: impl Into<Cow<'static, str>>) -> PResult<'static, T> {
    Err(nom::Err::Error(PError::expected(offset(&ws(*i)), what)))
}

/// A hard error at the first token of `i`: "expected {what}, found …".
pub(crate) fn hard<T>(i: &Input<'_>, what: impl Into<Cow<'static, str>>) -> PResult<'static, T> {
    Err(nom::Err::Failure(PError::expected(offset(&ws(*i)), what)))
}

/// A hard error with a complete diagnostic.
pub(crate) fn hard_diag<T>(diagnostic: Diagnostic) -> PResult<'static, T> {
    Err(nom::Err::Failure(PError::diagnostic(diagnostic)))
}

/// Runs `parser`; if it does not apply (a soft error), fails hard with "expected {what}".
pub(crate) fn expect<'a, T>(
    i: Input<'a>,
    what: impl Into<Cow<'static, str>>,
    parser: impl FnOnce(Input<'a>) -> PResult<'a, T>,
) -> PResult<'a, T> {
    match parser(i) {
        Err(nom::Err::Error(e)) => {
            // A soft error further in says more (e.g. "expected ')'") than the generic one.
            let start = offset(&ws(i));
            if e.offset > start && !matches!(e.kind, PErrorKind::Nom) {
                Err(nom::Err::Failure(e))
            } else {
                hard(&i, what)
            }
        }
        other => other,
    }
}

/// Punctuation `symbol`, not followed by any character of `not_followed_by` (so `=` does not
/// match the start of `==`).
pub(crate) fn symbol_not_before<'a>(
    i: Input<'a>,
    symbol: &'static str,
    not_followed_by: &str,
) -> PResult<'a, Span> {
    let i = ws(i);
    let text = *i.fragment();
    let matches = text.starts_with(symbol)
        && !text[symbol.len()..]
            .chars()
            .next()
            .is_some_and(|c| not_followed_by.contains(c));
    if matches {
        let start = offset(&i);
        let rest = advance(i, symbol.len());
        Ok((rest, Span::new(start, start + symbol.len())))
    } else {
        soft(&i, format!("'{symbol}'"))
    }
}

/// Punctuation such as `(`, `,`, `|`.
pub(crate) fn symbol<'a>(i: Input<'a>, symbol: &'static str) -> PResult<'a, Span> {
    symbol_not_before(i, symbol, "")
}

/// `=` that is not `==` or `=~`.
pub(crate) fn equals(i: Input<'_>) -> PResult<'_, Span> {
    symbol_not_before(i, "=", "=~")
}

/// Punctuation that must be there: a hard error otherwise, saying what it was for.
pub(crate) fn expect_symbol<'a>(
    i: Input<'a>,
    sym: &'static str,
    context: &str,
) -> PResult<'a, Span> {
    match symbol(i, sym) {
        Ok(ok) => Ok(ok),
        Err(_) => hard(&i, format!("'{sym}' {context}")),
    }
}

/// A keyword: the exact (case-sensitive) word, not followed by an identifier character.
pub(crate) fn keyword<'a>(i: Input<'a>, word: &'static str) -> PResult<'a, Span> {
    let i = ws(i);
    let text = *i.fragment();
    let matches = text.starts_with(word)
        && !text[word.len()..]
            .chars()
            .next()
            .is_some_and(|c| is_ident_char(c) || c == '-');
    if matches {
        let start = offset(&i);
        Ok((advance(i, word.len()), Span::new(start, start + word.len())))
    } else {
        soft(&i, format!("'{word}'"))
    }
}

/// Whether the next token is the keyword `word`.
pub(crate) fn peek_keyword(i: Input<'_>, word: &'static str) -> bool {
    keyword(i, word).is_ok()
}

/// Whether the next token is `sym`.
pub(crate) fn peek_symbol(i: Input<'_>, sym: &'static str) -> bool {
    symbol(i, sym).is_ok()
}

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// How deeply expressions and queries may nest. Deeper input is rejected with an error rather
/// than risking the stack; real queries stay far below it.
pub(crate) const MAX_DEPTH: usize = 96;

/// Runs `f` one nesting level deeper: counts the level against [`MAX_DEPTH`] and makes sure there
/// is stack for it. Debug-build frames of a recursive-descent parser are large (tens of KiB per
/// level of parentheses) and tokio worker threads have 2 MiB, so the stack grows on the heap when
/// it runs low instead of overflowing.
pub(crate) fn nested<'a, T>(i: &Input<'a>, f: impl FnOnce() -> PResult<'a, T>) -> PResult<'a, T> {
    let _guard = DepthGuard::enter(i)?;
    stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, f)
}

/// Counts one level of nesting while alive.
pub(crate) struct DepthGuard(());

impl DepthGuard {
    pub(crate) fn enter(i: &Input<'_>) -> Result<Self, nom::Err<PError>> {
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        let guard = DepthGuard(());
        if depth > MAX_DEPTH {
            let at = offset(&ws(*i));
            return Err(nom::Err::Failure(PError::diagnostic(
                Diagnostic::new(
                    Code::TOO_DEEP,
                    format!("the query nests more than {MAX_DEPTH} levels deep"),
                    Span::point(at),
                )
                .with_help("split the query with `let` statements"),
            )));
        }
        Ok(guard)
    }

    /// Resets the counter before a new parse.
    pub(crate) fn reset() {
        DEPTH.with(|d| d.set(0));
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}
