//! `join` and `lookup`.

use super::{comma_list, params};
use crate::ast::{Join, OperatorKind, Query, SourceKind};
use crate::parser::expr::expect_expr;
use crate::parser::ident::ident;
use crate::parser::input::{
    Input, PResult, expect, expect_symbol, hard, keyword, peek_symbol, symbol, ws,
};
use crate::parser::query::expect_query;

/// Production: `join = "join" { operator_param } join_right "on" join_condition { "," … }`.
pub(super) fn join(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, j) = join_body(i, "join")?;
    Ok((i, OperatorKind::Join(j)))
}

/// Production: `lookup = "lookup" { operator_param } join_right "on" join_condition { "," … }`.
pub(super) fn lookup(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, j) = join_body(i, "lookup")?;
    Ok((i, OperatorKind::Lookup(j)))
}

fn join_body<'a>(i: Input<'a>, op: &str) -> PResult<'a, Join> {
    let (i, params) = params(i, &["kind"])?;
    let (i, right) = join_right(i, op)?;
    let (i, _) = expect(i, format!("'on' after the right side of '{op}'"), |r| {
        keyword(r, "on")
    })?;
    let (i, on) = comma_list(i, |r| expect_expr(r, "after 'on'"))?;
    Ok((
        i,
        Join {
            params,
            right: Box::new(right),
            on,
        },
    ))
}

/// `( tabular_expression )` or a bare table name.
///
/// Production: `join_right = "(" tabular_expression ")" | table_name`.
fn join_right<'a>(i: Input<'a>, op: &str) -> PResult<'a, Query> {
    if peek_symbol(i, "(") {
        let (i, _) = symbol(i, "(")?;
        let (i, q) = expect_query(i, &format!("as the right side of '{op}'"))?;
        let (i, _) = expect_symbol(i, ")", &format!("to close the right side of '{op}'"))?;
        return Ok((i, q));
    }
    crate::parser::query::reject_cross_database(i)?;
    let what = format!("the right side of '{op}': a table name or '(' query ')'");
    if keyword(i, "on").is_ok() {
        return hard(&i, what);
    }
    // `$left` and `$right` name the sides inside the join condition; they are not tables.
    let i = ws(i);
    if i.fragment().starts_with('$') {
        return hard(&i, what);
    }
    let (i, name) = expect(i, what, ident)?;
    let span = name.span;
    Ok((i, Query::of_source(SourceKind::Table(name), span)))
}
