//! `summarize [hints] [aggregates] [by keys]`.

use super::{named_expr_list, params};
use crate::ast::{OperatorKind, Summarize};
use crate::parser::input::{Input, PResult, hard, keyword, peek_keyword};

/// Production: `summarize = "summarize" { operator_param } [ named_expression { "," … } ] [ "by"
/// named_expression { "," … } ]`.
pub(super) fn summarize(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, params) = params(i, &[])?;
    let (i, aggregates) = if peek_keyword(i, "by") {
        (i, Vec::new())
    } else {
        named_expr_list(i, "after 'summarize'")?
    };
    let (i, by) = match keyword(i, "by") {
        Ok((rest, _)) => named_expr_list(rest, "after 'by'")?,
        Err(_) => (i, Vec::new()),
    };
    if aggregates.is_empty() && by.is_empty() {
        return hard(&i, "an aggregate or 'by' after 'summarize'");
    }
    Ok((
        i,
        OperatorKind::Summarize(Summarize {
            params,
            aggregates,
            by,
        }),
    ))
}
