//! A tabular value being planned: a DataFusion plan and the KQL columns it outputs.

use std::sync::Arc;

use datafusion::common::Column;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{
    Expr, ExprFunctionExt as _, LogicalPlan, LogicalPlanBuilder, SortExpr, cast, lit,
};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;

use crate::error::{OrInternal, PResult};

/// A column of a tabular result: its KQL name and type.
#[derive(Clone, Debug, PartialEq)]
pub struct KqlColumn {
    /// The name, exactly as KQL shows it.
    pub name: String,
    /// The KQL type.
    pub ty: KqlType,
}

impl KqlColumn {
    /// A column.
    pub fn new(name: impl Into<String>, ty: KqlType) -> Self {
        Self {
            name: name.into(),
            ty,
        }
    }
}

/// A plan whose output fields are unqualified and named as `columns`, in the same order, each
/// with the canonical Arrow type of its KQL type.
#[derive(Clone, Debug)]
pub struct Tabular {
    /// The plan.
    pub plan: LogicalPlan,
    /// Its columns.
    pub columns: Vec<KqlColumn>,
}

impl Tabular {
    /// The column called `name`, with its position.
    pub fn column(&self, name: &str) -> Option<(usize, &KqlColumn)> {
        self.columns
            .iter()
            .enumerate()
            .find(|(_, c)| c.name == name)
    }

    /// A reference to column `name` as a typed expression.
    pub fn column_expr(&self, name: &str) -> Option<TypedExpr> {
        self.column(name)
            .map(|(_, c)| TypedExpr::new(column_ref(&c.name), c.ty))
    }

    /// The column names, for "did you mean".
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// A builder over this plan.
    pub fn builder(&self) -> LogicalPlanBuilder {
        LogicalPlanBuilder::new_from_arc(Arc::new(self.plan.clone()))
    }

    /// This plan projected to `exprs`, which the caller names and types as `columns`.
    pub(crate) fn project(
        &self,
        exprs: Vec<Expr>,
        columns: Vec<KqlColumn>,
        span: Span,
    ) -> PResult<Tabular> {
        let plan = self
            .builder()
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }
}

impl Tabular {
    /// This plan with a `row_number()` column `name` (a long) after its columns, numbered within
    /// `partition` in `order` (without an order, as the rows come).
    pub(crate) fn with_row_number(
        &self,
        name: &str,
        partition: Vec<Expr>,
        order: Vec<SortExpr>,
        span: Span,
    ) -> PResult<Tabular> {
        let mut number = row_number().partition_by(partition);
        if !order.is_empty() {
            number = number.order_by(order);
        }
        let number = number.build().or_internal(span)?.alias(name);
        let plan = self
            .builder()
            .window(vec![number])
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let mut columns = self.columns.clone();
        columns.push(KqlColumn::new(name, KqlType::Long));
        let exprs = columns
            .iter()
            .map(|c| {
                if c.name == name {
                    cast(column_ref(name), KqlType::Long.to_arrow()).alias(name)
                } else {
                    column_ref(&c.name)
                }
            })
            .collect();
        Tabular {
            plan,
            columns: columns.clone(),
        }
        .project(exprs, columns, span)
    }

    /// The first `n` rows of each group of `partition` in `order`.
    pub(crate) fn first_of_each(
        &self,
        n: usize,
        partition: Vec<Expr>,
        order: Vec<SortExpr>,
        span: Span,
    ) -> PResult<Tabular> {
        const RANK: &str = "__kql_rank_in_group";
        let ranked = self.with_row_number(RANK, partition, order, span)?;
        let plan = ranked
            .builder()
            .filter(column_ref(RANK).lt_eq(lit(i64::try_from(n).unwrap_or(i64::MAX))))
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let exprs = self.columns.iter().map(|c| column_ref(&c.name)).collect();
        Tabular {
            plan,
            columns: ranked.columns,
        }
        .project(exprs, self.columns.clone(), span)
    }
}

/// An unqualified column reference, with the name taken literally (no SQL parsing or case
/// folding).
pub(crate) fn column_ref(name: &str) -> Expr {
    Expr::Column(Column::new_unqualified(name))
}
