//! Evaluating lowered expressions in unit tests: one row, no table.

use datafusion::arrow::array::Array;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder};
use datafusion::prelude::SessionContext;

use crate::{KqlType, LowerContext, Registry, TypedExpr};

/// 2026-01-01T00:00:00Z, the `now()` of every test.
pub(crate) const TEST_NOW_NANOS: i64 = 1_767_225_600_000_000_000;

/// Evaluates `expr` over one empty row.
pub(crate) fn eval(expr: Expr) -> ScalarValue {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let ctx = SessionContext::new();
        let plan = LogicalPlanBuilder::empty(true)
            .project(vec![expr.alias("v")])
            .expect("project")
            .build()
            .expect("build");
        let batches = datafusion::dataframe::DataFrame::new(ctx.state(), plan)
            .collect()
            .await
            .expect("collect");
        let column = batches[0].column(0);
        assert_eq!(column.len(), 1);
        ScalarValue::try_from_array(column, 0).expect("scalar")
    })
}

/// Calls the scalar function `name` on typed arguments and evaluates it.
pub(crate) fn call(name: &str, args: Vec<TypedExpr>) -> ScalarValue {
    let registry = Registry::new();
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let resolved = registry
        .resolve_scalar(name, &types)
        .unwrap_or_else(|e| panic!("{e}"));
    let ctx = LowerContext {
        now_nanos: TEST_NOW_NANOS,
    };
    let lowered = registry
        .lower_scalar(&resolved, &ctx, args)
        .unwrap_or_else(|e| panic!("{e}"));
    eval(lowered.expr)
}

/// A typed literal argument.
pub(crate) fn arg(value: impl Into<ScalarValue>, ty: KqlType) -> TypedExpr {
    TypedExpr::new(datafusion::prelude::lit(value.into()), ty)
}

/// A string argument.
pub(crate) fn s(value: &str) -> TypedExpr {
    arg(value, KqlType::String)
}

/// A long argument.
pub(crate) fn l(value: i64) -> TypedExpr {
    arg(value, KqlType::Long)
}

#[test]
fn strlen_counts_characters() {
    assert_eq!(
        call("strlen", vec![s("héllo")]),
        ScalarValue::Int64(Some(5))
    );
    assert_eq!(
        call("tolower", vec![s("AbC")]),
        ScalarValue::Utf8(Some("abc".into()))
    );
    assert_eq!(call("abs", vec![l(-3)]), ScalarValue::Int64(Some(3)));
    assert_eq!(
        call(
            "tostring",
            vec![arg(
                ScalarValue::DurationNanosecond(Some(90_000_000_000)),
                KqlType::Timespan
            )]
        ),
        ScalarValue::Utf8(Some("00:01:30".into()))
    );
}
