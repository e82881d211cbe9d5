//! The nom parser: query text to [`Script`].
//!
//! Submodules follow the grammar (`grammar/kql.ebnf`): tokens and errors in `input`, names in
//! `ident`, literals in `literal`, scalar expressions in `expr`, tabular expressions in `query`,
//! one file per group of operators under `operator/`, statements in `statement`.

pub(crate) mod expr;
pub(crate) mod ident;
pub(crate) mod input;
pub(crate) mod literal;
pub(crate) mod operator;
pub(crate) mod query;
pub(crate) mod statement;

use input::{DepthGuard, Input, PError, at_end, found_at, offset, symbol, ws};

use crate::ast::{Expr, Script};
use crate::{Code, Diagnostic, Span};

/// Every tabular operator name the parser reads (`where`, `mv-expand`, …), sorted: for
/// completion in interactive tools and for documentation.
pub fn operator_names() -> &'static [&'static str] {
    operator::OPERATORS
}

/// Parses a whole query text: statements separated by `;`.
///
/// Production: `script = [ statement { ";" statement } ] [ ";" ] EOF`.
#[allow(
    clippy::result_large_err,
    reason = "a diagnostic is the cold path; callers want it by value"
)]
pub fn parse(text: &str) -> Result<Script, Diagnostic> {
    DepthGuard::reset();
    let mut i = Input::new(text);
    let mut statements = Vec::new();
    loop {
        while let Ok((rest, _)) = symbol(i, ";") {
            i = rest;
        }
        if at_end(&i) {
            break;
        }
        let (rest, stmt) = statement::statement(i).map_err(|e| to_diagnostic(e, text))?;
        statements.push(stmt);
        i = rest;
        if at_end(&i) {
            break;
        }
        if symbol(i, ";").is_err() {
            return Err(trailing(text, offset(&ws(i)), "';' or '|'"));
        }
    }
    if statements.is_empty() {
        return Err(Diagnostic::new(
            Code::EMPTY_QUERY,
            "the query is empty",
            Span::point(text.len()),
        ));
    }
    Ok(Script {
        statements,
        span: Span::new(0, text.len()),
    })
}

/// Parses one scalar expression, such as a `where` predicate, with nothing after it.
#[allow(clippy::result_large_err, reason = "as for parse")]
pub fn parse_expression(text: &str) -> Result<Expr, Diagnostic> {
    DepthGuard::reset();
    let i = Input::new(text);
    let (rest, e) =
        input::expect(i, "an expression", expr::expr).map_err(|e| to_diagnostic(e, text))?;
    if !at_end(&rest) {
        return Err(trailing(text, offset(&ws(rest)), "an operator"));
    }
    Ok(e)
}

fn trailing(text: &str, at: usize, expected: &str) -> Diagnostic {
    let (found, span) = found_at(text, at);
    Diagnostic::new(
        Code::TRAILING_INPUT,
        format!("expected {expected} or the end of the query, found {found}"),
        span,
    )
    .with_span_label("the query could not be read past here")
}

fn to_diagnostic(e: nom::Err<PError>, text: &str) -> Diagnostic {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e.into_diagnostic(text),
        nom::Err::Incomplete(_) => Diagnostic::new(
            Code::SYNTAX,
            "unexpected end of query",
            Span::point(text.len()),
        ),
    }
}
