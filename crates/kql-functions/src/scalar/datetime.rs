//! Datetime and timespan functions: `ago`, `now`, `bin`, `startofday`, `datetime_diff`, …

use datafusion::common::ScalarValue;
use datafusion::logical_expr::Expr;
use datafusion::prelude::lit;

use crate::{KqlType, LowerContext, Param, Registry, Returns, ScalarFunction, Signature};

/// Registers the datetime functions.
pub(crate) fn register(r: &mut Registry) {
    r.add_scalar(ScalarFunction {
        name: "now",
        doc: "The current UTC time, the same everywhere in one query; plus an optional offset.",
        signatures: vec![
            Signature::new(
                [Param::Of(KqlType::Timespan)],
                Returns::Type(KqlType::Datetime),
            )
            .optional(1),
        ],
        lower: |ctx, _, args| {
            let now = now_literal(ctx);
            Ok(match args.into_iter().next() {
                Some(offset) => now + offset.expr,
                None => now,
            })
        },
    });
    r.add_scalar(ScalarFunction {
        name: "ago",
        doc: "`now()` minus the timespan.",
        signatures: vec![Signature::new(
            [Param::Of(KqlType::Timespan)],
            Returns::Type(KqlType::Datetime),
        )],
        lower: |ctx, _, mut args| Ok(now_literal(ctx) - args.remove(0).expr),
    });
}

/// `now()` of the query as a literal.
pub fn now_literal(ctx: &LowerContext) -> Expr {
    lit(ScalarValue::TimestampNanosecond(
        Some(ctx.now_nanos),
        Some("UTC".into()),
    ))
}
