//! `sort by` / `order by`, and `top n by`.

use super::{comma_list, sort_key};
use crate::ast::{OperatorKind, Top};
use crate::parser::expr::expect_expr;
use crate::parser::input::{Input, PResult, expect, keyword};

/// Production: `sort = ("sort" | "order") "by" sort_key { "," sort_key }`.
pub(super) fn sort<'a>(i: Input<'a>, name: &str) -> PResult<'a, OperatorKind> {
    let (i, _) = expect(i, format!("'by' after '{name}'"), |r| keyword(r, "by"))?;
    let (i, keys) = comma_list(i, |r| sort_key(r, "to sort by"))?;
    Ok((i, OperatorKind::Sort(keys)))
}

/// Production: `top = "top" expression "by" sort_key`.
pub(super) fn top(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, count) = expect_expr(i, "(the row count) after 'top'")?;
    let (i, _) = expect(i, "'by' after the row count of 'top'", |r| keyword(r, "by"))?;
    let (i, by) = sort_key(i, "after 'by'")?;
    Ok((i, OperatorKind::Top(Top { count, by })))
}
