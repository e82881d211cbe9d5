//! `mv-expand` and `mv-apply`.

use super::{comma_list, operator, params, type_name};
use crate::ast::{ExpandItem, MvApply, MvExpand, OperatorKind};
use crate::parser::expr::expect_expr;
use crate::parser::ident::ident;
use crate::parser::input::{Input, PResult, equals, expect, expect_symbol, keyword, symbol};

/// `[name "="] expression ["to" "typeof" "(" type_name ")"]`.
///
/// Production: `expand_item`.
fn expand_item<'a>(i: Input<'a>, op: &str) -> PResult<'a, ExpandItem> {
    let (i, name) = match ident(i) {
        Ok((rest, name)) => match equals(rest) {
            Ok((rest, _)) => (rest, Some(name)),
            Err(_) => (i, None),
        },
        Err(_) => (i, None),
    };
    let (i, expr) = expect_expr(i, &format!("to expand after '{op}'"))?;
    let (i, to_type) = match keyword(i, "to") {
        Ok((rest, _)) => {
            let (rest, _) = expect(rest, "'typeof' after 'to'", |r| keyword(r, "typeof"))?;
            let (rest, _) = expect_symbol(rest, "(", "after 'typeof'")?;
            let (rest, ty) = expect(rest, "a type name in typeof()", type_name)?;
            let (rest, _) = expect_symbol(rest, ")", "to close typeof(")?;
            (rest, Some(ty))
        }
        Err(_) => (i, None),
    };
    Ok((
        i,
        ExpandItem {
            name,
            expr,
            to_type,
        },
    ))
}

fn limit(i: Input<'_>) -> PResult<'_, Option<crate::ast::Expr>> {
    match keyword(i, "limit") {
        Ok((rest, _)) => {
            let (rest, e) = expect_expr(rest, "after 'limit'")?;
            Ok((rest, Some(e)))
        }
        Err(_) => Ok((i, None)),
    }
}

/// Production: `mv_expand = "mv-expand" { operator_param } expand_item { "," expand_item } [
/// "limit" expression ]`.
pub(super) fn mv_expand(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, params) = params(i, &["bagexpansion", "with_itemindex", "kind"])?;
    let (i, items) = comma_list(i, |r| expand_item(r, "mv-expand"))?;
    let (i, limit) = limit(i)?;
    Ok((
        i,
        OperatorKind::MvExpand(MvExpand {
            params,
            items,
            limit,
        }),
    ))
}

/// Production: `mv_apply = "mv-apply" { operator_param } expand_item { "," expand_item } [ "limit"
/// expression ] "on" "(" operator { "|" operator } ")"`.
pub(super) fn mv_apply(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, params) = params(i, &["with_itemindex", "kind", "bagexpansion"])?;
    let (i, items) = comma_list(i, |r| expand_item(r, "mv-apply"))?;
    let (i, limit) = limit(i)?;
    let (i, _) = expect(i, "'on' and the subquery of 'mv-apply'", |r| {
        keyword(r, "on")
    })?;
    let (i, _) = expect_symbol(i, "(", "after 'on'")?;
    let (mut i, first) = operator(i)?;
    let mut subquery = vec![first];
    while let Ok((rest, _)) = symbol(i, "|") {
        let (rest, op) = operator(rest)?;
        subquery.push(op);
        i = rest;
    }
    let (i, _) = expect_symbol(i, ")", "or '|' in the subquery of 'mv-apply'")?;
    Ok((
        i,
        OperatorKind::MvApply(MvApply {
            params,
            items,
            limit,
            subquery,
        }),
    ))
}
