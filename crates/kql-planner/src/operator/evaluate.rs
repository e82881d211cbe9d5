//! `evaluate`: the plugins whose output columns are known when planning. `narrow()` turns every
//! cell into a row (`Row`, `Column`, `Value` as text). Plugins whose columns come from the data
//! (`bag_unpack`, `pivot`) would need the data before planning, and are refused by name.

use datafusion::functions::core::expr_fn::{get_field, named_struct};
use datafusion::functions_nested::expr_fn::make_array;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, lit};
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
/// number, the column's name and its value as text, in row and then column order. The rows are
/// numbered once and each fans out into its cells by an unnest, so every cell of a row gets the
/// same number.
fn narrow(input: Tabular, span: Span) -> PResult<Tabular> {
    const ROW: &str = "__kql_narrow_row";
    const CELLS: &str = "__kql_narrow_cells";
    if input.columns.is_empty() {
        return Err(error(
            codes::INVALID_QUERY,
            "narrow() of a table with no columns",
            span,
        ));
    }
    // Each cell carries its column's position (for the order) and name.
    let cells: Vec<Expr> = input
        .columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            named_struct(vec![
                lit("k"),
                lit(i64::try_from(k).unwrap_or(i64::MAX)),
                lit("c"),
                lit(c.name.as_str()),
                lit("v"),
                TypedExpr::new(column_ref(&c.name), c.ty).to_text(),
            ])
        })
        .collect();
    let plan = input
        .with_row_number(ROW, vec![], vec![], span)?
        .builder()
        .project(vec![column_ref(ROW), make_array(cells).alias(CELLS)])
        .or_internal(span)?
        .unnest_column(datafusion::common::Column::new_unqualified(CELLS))
        .or_internal(span)?
        .build()
        .or_internal(span)?;
    let exprs = vec![
        (column_ref(ROW) - lit(1i64)).alias("Row"),
        get_field(column_ref(CELLS), "c").alias("Column"),
        get_field(column_ref(CELLS), "v").alias("Value"),
    ];
    let plan = LogicalPlanBuilder::from(plan)
        .sort(vec![
            column_ref(ROW).sort(true, false),
            get_field(column_ref(CELLS), "k").sort(true, false),
        ])
        .or_internal(span)?
        .project(exprs)
        .or_internal(span)?
        .build()
        .or_internal(span)?;
    Ok(Tabular {
        plan,
        columns: vec![
            KqlColumn::new("Row", KqlType::Long),
            KqlColumn::new("Column", KqlType::String),
            KqlColumn::new("Value", KqlType::String),
        ],
    })
}
