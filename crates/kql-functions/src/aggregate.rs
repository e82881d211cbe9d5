//! Aggregate functions for `summarize`: `count`, `sum`, `avg`, `dcount`, `make_list`, …

use datafusion::functions_aggregate::expr_fn as agg;
use datafusion::logical_expr::cast;
use datafusion::prelude::lit;

use crate::{AggregateFunction, KqlType, Param, Registry, Returns, Signature};

/// Registers every aggregate function.
pub(crate) fn register_all(r: &mut Registry) {
    r.add_aggregate(AggregateFunction {
        name: "count",
        doc: "The number of rows in the group.",
        signatures: vec![Signature::new([], Returns::Type(KqlType::Long))],
        lower: |_, _, _| Ok(agg::count(lit(1i64))),
        column_name: "count_",
    });
    r.add_aggregate(AggregateFunction {
        name: "sum",
        doc: "The sum of the values.",
        signatures: vec![Signature::new(
            [Param::Summable],
            Returns::Custom(|t| match t.first() {
                Some(KqlType::Int) => KqlType::Long,
                Some(t) => *t,
                None => KqlType::Long,
            }),
        )],
        lower: |_, _, mut args| {
            let a = args.remove(0);
            let e = if a.ty == KqlType::Int {
                cast(a.expr, KqlType::Long.to_arrow())
            } else {
                a.expr
            };
            Ok(agg::sum(e))
        },
        column_name: "sum_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "min",
        doc: "The smallest value.",
        signatures: vec![Signature::new([Param::Scalar], Returns::SameAs(0))],
        lower: |_, _, mut args| Ok(agg::min(args.remove(0).expr)),
        column_name: "min_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "max",
        doc: "The largest value.",
        signatures: vec![Signature::new([Param::Scalar], Returns::SameAs(0))],
        lower: |_, _, mut args| Ok(agg::max(args.remove(0).expr)),
        column_name: "max_{}",
    });
    r.add_aggregate(AggregateFunction {
        name: "avg",
        doc: "The mean of the values (real for numbers, timespan for timespans).",
        signatures: vec![Signature::new([Param::Summable], Returns::RealOr(0))],
        lower: |_, _, mut args| {
            let a = args.remove(0);
            let e = if a.ty.is_numeric() {
                cast(a.expr, KqlType::Real.to_arrow())
            } else {
                a.expr
            };
            Ok(agg::avg(e))
        },
        column_name: "avg_{}",
    });
}
