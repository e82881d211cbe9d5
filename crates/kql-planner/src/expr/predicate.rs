//! Predicates of `where`: where a null answer drops the row just as false does.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{BinaryExpr, Expr, Operator};

/// `p` with each `coalesce(x, false)` in a positive position (the predicate itself, or an
/// operand of its `and`/`or` tree) replaced by `x`.
///
/// KQL's comparisons are never null (`d.key == "x"` is false for a missing key), which the
/// planner writes as `coalesce(x = "x", false)`. As a filter that is the same as `x = "x"`, and
/// DataFusion's simplifier would otherwise rewrite it to `x IS NOT NULL AND x`, evaluating `x`
/// (for a `dynamic` member: parsing the JSON) twice per row. Under `not` the `coalesce` stays.
pub(crate) fn filter_predicate(p: Expr) -> Expr {
    match p {
        Expr::BinaryExpr(BinaryExpr { left, op, right })
            if matches!(op, Operator::And | Operator::Or) =>
        {
            Expr::BinaryExpr(BinaryExpr {
                left: Box::new(filter_predicate(*left)),
                op,
                right: Box::new(filter_predicate(*right)),
            })
        }
        Expr::ScalarFunction(f)
            if f.func.name() == "coalesce"
                && f.args.len() == 2
                && matches!(
                    &f.args[1],
                    Expr::Literal(ScalarValue::Boolean(Some(false)), _)
                ) =>
        {
            let mut args = f.args;
            args.swap_remove(0)
        }
        p => p,
    }
}

#[cfg(test)]
mod tests {
    use datafusion::prelude::{coalesce, col, lit};

    use super::filter_predicate;

    #[test]
    fn coalesce_to_false_goes_in_positive_positions_only() {
        let eq = col("a").eq(lit("x"));
        let wrapped = coalesce(vec![eq.clone(), lit(false)]);
        assert_eq!(filter_predicate(wrapped.clone()), eq);
        assert_eq!(
            filter_predicate(wrapped.clone().and(col("b")).or(wrapped.clone())),
            eq.clone().and(col("b")).or(eq.clone())
        );
        let negated = !wrapped.clone();
        assert_eq!(filter_predicate(negated.clone()), negated);
        let to_true = coalesce(vec![eq, lit(true)]);
        assert_eq!(filter_predicate(to_true.clone()), to_true);
    }
}
