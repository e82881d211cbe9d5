//! `evaluate`: the plugins whose output columns are known when planning. `narrow()` turns every
//! cell into a row (`Row`, `Column`, `Value` as text). Plugins whose columns come from the data
//! (`bag_unpack`, `pivot`) would need the data before planning, and are refused by name.

use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, cast, lit};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::Evaluate;

use crate::error::{OrInternal, PResult, codes, error};
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

impl Planner<'_> {
    pub(super) fn evaluate(
        &mut self,
        e: &Evaluate,
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let plugin = &e.plugin;
        match plugin.name.name.as_str() {
            "narrow" if plugin.args.is_empty() => narrow(input, span),
            "narrow" => Err(error(
                codes::BAD_ARGUMENTS,
                "narrow() takes no arguments",
                plugin.name.span,
            )),
            other => Err(error(
                codes::UNSUPPORTED,
                format!("the '{other}' plugin of evaluate is not supported"),
                plugin.name.span,
            )),
        }
    }
}

/// `evaluate narrow()`: for each input row (numbered from 0) and column, a row of the row's
/// number, the column's name and its value as text, in row and then column order.
fn narrow(input: Tabular, span: Span) -> PResult<Tabular> {
    const ROW: &str = "__kql_narrow_row";
    let number = row_number().alias(ROW);
    let numbered = input
        .builder()
        .window(vec![number])
        .or_internal(span)?
        .build()
        .or_internal(span)?;
    let mut builder: Option<LogicalPlanBuilder> = None;
    for (k, c) in input.columns.iter().enumerate() {
        let value = TypedExpr::new(column_ref(&c.name), c.ty).to_text();
        let exprs: Vec<Expr> = vec![
            (cast(column_ref(ROW), KqlType::Long.to_arrow()) - lit(1i64)).alias("Row"),
            lit(c.name.as_str()).alias("Column"),
            value.alias("Value"),
            lit(i64::try_from(k).unwrap_or(i64::MAX)).alias("__kql_narrow_column"),
        ];
        let plan = LogicalPlanBuilder::from(numbered.clone())
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        builder = Some(match builder {
            None => LogicalPlanBuilder::from(plan),
            Some(b) => b.union(plan).or_internal(span)?,
        });
    }
    let Some(builder) = builder else {
        return Err(error(
            codes::INVALID_QUERY,
            "narrow() of a table with no columns",
            span,
        ));
    };
    let plan = builder
        .sort(vec![
            column_ref("Row").sort(true, false),
            column_ref("__kql_narrow_column").sort(true, false),
        ])
        .or_internal(span)?
        .build()
        .or_internal(span)?;
    let columns = vec![
        KqlColumn::new("Row", KqlType::Long),
        KqlColumn::new("Column", KqlType::String),
        KqlColumn::new("Value", KqlType::String),
    ];
    let exprs = columns.iter().map(|c| column_ref(&c.name)).collect();
    Tabular {
        plan,
        columns: columns.clone(),
    }
    .project(exprs, columns, span)
}
