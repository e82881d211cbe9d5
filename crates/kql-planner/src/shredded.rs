//! Reading shredded `dynamic` members ([`ShreddedMember`]) instead of parsing JSON.
//!
//! A query that starts from a table with shredded members scans their child columns too, after
//! its KQL columns. While they are there, `json_as_text(d, "key")` over the unchanged column
//! `d` is replaced by a reference to the child column. `where` keeps every input field, so a
//! chain of `where`s keeps them; `extend`, `project` and `summarize` read them and, building
//! their output from explicit expressions, drop them; before any other operator, and at the
//! end of the query, they are projected away, so no other code sees more fields than columns.
//!
//! The rewrite is sound because a child column is in a plan only as long as nothing has
//! redefined its `dynamic` column: every operator that could (`extend`, `project`, …) drops
//! the child columns in the same step.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::common::tree_node::{Transformed, TreeNode as _};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan, cast};
use kql_parser::Span;
use kql_parser::ast::OperatorKind;

use crate::error::{OrInternal, PResult};
use crate::tabular::column_ref;
use crate::{ShreddedMember, Tabular};

/// Whether `op` may read the child columns of its input (and so is planned with them there).
pub(crate) fn reads_members(op: &OperatorKind) -> bool {
    matches!(
        op,
        OperatorKind::Where(_)
            | OperatorKind::Extend(_)
            | OperatorKind::Project(_)
            | OperatorKind::Summarize(_)
    )
}

/// Whether `op`'s output keeps every field of its input (so the child columns stay).
pub(crate) fn keeps_members(op: &OperatorKind) -> bool {
    matches!(op, OperatorKind::Where(_))
}

/// `t` without the child columns after its KQL columns.
pub(crate) fn drop_members(t: Tabular, span: Span) -> PResult<Tabular> {
    let exprs = t.columns.iter().map(|c| column_ref(&c.name)).collect();
    let columns = t.columns.clone();
    t.project(exprs, columns, span)
}

/// `plan` with `json_as_text(d, "key")` replaced by the child column of that member wherever
/// the child column is among the inputs of the node.
pub(crate) fn read_members(
    plan: LogicalPlan,
    members: &[ShreddedMember],
    span: Span,
) -> PResult<LogicalPlan> {
    plan.transform_up(|node| {
        // Each present member with the type of its child column: text, or a dictionary of
        // text (members with few distinct values), which is read as text.
        let present: Vec<(&ShreddedMember, bool)> = members
            .iter()
            .filter_map(|m| {
                node.inputs().iter().find_map(|i| {
                    i.schema()
                        .field_with_unqualified_name(&m.field)
                        .ok()
                        .map(|f| (m, matches!(f.data_type(), DataType::Dictionary(..))))
                })
            })
            .collect();
        if present.is_empty() {
            return Ok(Transformed::no(node));
        }
        let names = NamePreserver::new(&node);
        let rewritten = node.map_expressions(|e| {
            let name = names.save(&e);
            let e = e.transform_up(|e| match member_field(&e, &present) {
                Some((field, false)) => Ok(Transformed::yes(column_ref(field))),
                Some((field, true)) => {
                    Ok(Transformed::yes(cast(column_ref(field), DataType::Utf8)))
                }
                None => Ok(Transformed::no(e)),
            })?;
            Ok(e.update_data(|e| name.restore(e)))
        })?;
        if rewritten.transformed {
            rewritten.map_data(LogicalPlan::recompute_schema)
        } else {
            Ok(rewritten)
        }
    })
    .map(|t| t.data)
    .or_internal(span)
}

/// The child column that `e` reads (and whether it is a dictionary), if `e` is
/// `json_as_text(d, "key")` of a present member.
fn member_field<'a>(e: &Expr, present: &[(&'a ShreddedMember, bool)]) -> Option<(&'a str, bool)> {
    let Expr::ScalarFunction(f) = e else {
        return None;
    };
    if f.func.name() != "json_as_text" {
        return None;
    }
    let [
        Expr::Column(c),
        Expr::Literal(ScalarValue::Utf8(Some(key)), _),
    ] = f.args.as_slice()
    else {
        return None;
    };
    if c.relation.is_some() {
        return None;
    }
    present
        .iter()
        .find(|(m, _)| m.column == c.name && m.key == *key)
        .map(|(m, dictionary)| (m.field.as_str(), *dictionary))
}
