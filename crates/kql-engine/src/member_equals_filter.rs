//! A logical optimizer rule: in a filter, `json_as_text(d, path…) = "literal"` becomes
//! [`kql_functions::member_equals`]'s predicate, which skips the JSON parse of every row whose
//! text cannot hold the literal.
//!
//! The predicate gives `false` where the comparison gives null, so it replaces only comparisons
//! whose value decides whether a row is kept: the filter's condition itself, and the operands of
//! `and`/`or` within it (there null and false keep the same rows). Under `not`, in a `case`, or as
//! a function argument, the comparison is left as it is.

use datafusion::common::tree_node::Transformed;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{BinaryExpr, Expr, LogicalPlan, Operator};
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};
use kql_functions::member_equals::json_text_equals;

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct MemberEqualsFilter;

impl OptimizerRule for MemberEqualsFilter {
    fn name(&self) -> &str {
        "kql_member_equals_filter"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn rewrite(
        &self,
        plan: LogicalPlan,
        _config: &dyn OptimizerConfig,
    ) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Filter(mut filter) = plan else {
            return Ok(Transformed::no(plan));
        };
        let predicate = std::mem::replace(
            &mut filter.predicate,
            Expr::Literal(ScalarValue::Null, None),
        );
        let rewritten = decisive(predicate);
        filter.predicate = rewritten.data;
        Ok(Transformed::new_transformed(
            LogicalPlan::Filter(filter),
            rewritten.transformed,
        ))
    }
}

/// `e`, a condition whose null and false mean the same, with its member comparisons replaced.
fn decisive(e: Expr) -> Transformed<Expr> {
    match e {
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if matches!(op, Operator::And | Operator::Or) =>
        {
            let left = decisive(*left);
            let right = decisive(*right);
            let transformed = left.transformed || right.transformed;
            Transformed::new_transformed(
                Expr::BinaryExpr(BinaryExpr::new(
                    Box::new(left.data),
                    op,
                    Box::new(right.data),
                )),
                transformed,
            )
        }
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Eq,
            right,
        }) => match member_equals(&left, &right).or_else(|| member_equals(&right, &left)) {
            Some(predicate) => Transformed::yes(predicate),
            None => Transformed::no(Expr::BinaryExpr(BinaryExpr::new(left, Operator::Eq, right))),
        },
        other => Transformed::no(other),
    }
}

/// The predicate for `member = literal`, when `member` is `json_as_text(d, path…)` and
/// `literal` a non-empty string (an empty one is in every text: nothing to skip).
fn member_equals(member: &Expr, literal: &Expr) -> Option<Expr> {
    let Expr::ScalarFunction(f) = member else {
        return None;
    };
    if f.func.name() != "json_as_text" {
        return None;
    }
    let Expr::Literal(
        ScalarValue::Utf8(Some(text))
        | ScalarValue::LargeUtf8(Some(text))
        | ScalarValue::Utf8View(Some(text)),
        _,
    ) = literal
    else {
        return None;
    };
    let (json, path) = f.args.split_first()?;
    // A path taken from a column (`d[k]`) pairs row by row with the JSON, which the predicate's
    // subset of rows would break: only constant paths.
    if text.is_empty() || path.is_empty() || !path.iter().all(|p| matches!(p, Expr::Literal(..))) {
        return None;
    }
    Some(json_text_equals(json.clone(), text, path.to_vec()))
}
