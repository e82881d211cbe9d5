//! `top-nested`.

use super::{named_expr, sort_order};
use crate::ast::{OperatorKind, TopNestedLevel};
use crate::parser::expr::expect_expr;
use crate::parser::input::{Input, PResult, equals, expect, hard, keyword, symbol};

/// Production: `top_nested = top_nested_level { "," "top-nested" top_nested_level }`,
/// `top_nested_level = [ expression ] "of" named_expression [ "with" "others" "=" expression ]
/// "by" named_expression [ "asc" | "desc" ]`.
pub(super) fn top_nested(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let mut levels = Vec::new();
    let mut i = i;
    loop {
        let (rest, level) = level(i)?;
        levels.push(level);
        match symbol(rest, ",") {
            Ok((after, _)) => match keyword(after, "top-nested") {
                Ok((after, _)) => i = after,
                Err(_) => return hard(&after, "'top-nested' after ','"),
            },
            Err(_) => return Ok((rest, OperatorKind::TopNested(levels))),
        }
    }
}

fn level(i: Input<'_>) -> PResult<'_, TopNestedLevel> {
    let (i, count) = if keyword(i, "of").is_ok() {
        (i, None)
    } else {
        let (rest, e) = expect_expr(i, "(the count) or 'of' after 'top-nested'")?;
        (rest, Some(e))
    };
    let (i, _) = expect(i, "'of' in 'top-nested'", |r| keyword(r, "of"))?;
    let (i, of) = named_expr(i, "after 'of'")?;
    let (i, others) = match keyword(i, "with") {
        Ok((rest, _)) => {
            let (rest, _) = expect(rest, "'others' after 'with'", |r| keyword(r, "others"))?;
            let (rest, _) = expect(rest, "'=' after 'with others'", equals)?;
            let (rest, e) = expect_expr(rest, "after 'with others ='")?;
            (rest, Some(e))
        }
        Err(_) => (i, None),
    };
    let (i, _) = expect(i, "'by' and an aggregate in 'top-nested'", |r| {
        keyword(r, "by")
    })?;
    let (i, by) = named_expr(i, "after 'by'")?;
    let (i, order) = sort_order(i);
    Ok((
        i,
        TopNestedLevel {
            count,
            of,
            others,
            by,
            order,
        },
    ))
}
