//! A tabular value being planned: a DataFusion plan and the KQL columns it outputs.

use std::sync::Arc;

use datafusion::common::Column;
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder};
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

/// An unqualified column reference, with the name taken literally (no SQL parsing or case
/// folding).
pub(crate) fn column_ref(name: &str) -> Expr {
    Expr::Column(Column::new_unqualified(name))
}
