//! `mv-expand`: one row per element of dynamic arrays or bags, the other columns repeated.

use datafusion::common::Column;
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::Expr;
use kql_functions::scalar::dynamic::{INDEX_FIELD, mv_expand, value_field};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{ExprKind, MvExpand};

use crate::error::{OrInternal, PResult, codes, error};
use crate::naming::{Namer, derived_name};
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// The internal column holding each row's list of expansions.
const EXPANSIONS: &str = "__kql_mv_expand";

impl Planner<'_> {
    pub(super) fn mv_expand(
        &mut self,
        m: &MvExpand,
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let mut bag_as_array = false;
        let mut index_name: Option<String> = None;
        for p in &m.params {
            let value = match &p.value.kind {
                ExprKind::Name(n) => n.name.as_str(),
                _ => "",
            };
            match (p.name.name.as_str(), value) {
                ("kind" | "bagexpansion", "bag") => bag_as_array = false,
                ("kind" | "bagexpansion", "array") => bag_as_array = true,
                ("with_itemindex", name) if !name.is_empty() => index_name = Some(name.to_string()),
                _ => {
                    return Err(error(
                        codes::INVALID_VALUE,
                        format!("'{}={value}' is not an option of mv-expand", p.name.name),
                        p.value.span,
                    ));
                }
            }
        }
        let limit = match &m.limit {
            Some(e) => i64::try_from(self.row_count(e, "mv-expand")?).unwrap_or(i64::MAX),
            None => i64::MAX,
        };
        let mut namer = Namer::with_taken(input.columns.iter().map(|c| c.name.clone()));
        let mut items: Vec<(String, Option<KqlType>)> = Vec::new();
        let mut values: Vec<Expr> = Vec::new();
        for item in &m.items {
            let value = self.expr(&item.expr, &input)?;
            if value.ty != KqlType::Dynamic {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    format!(
                        "mv-expand expands dynamic arrays and bags, not a {}",
                        value.ty
                    ),
                    item.expr.span,
                ));
            }
            let name = match (&item.name, derived_name(&item.expr, false)) {
                (Some(n), _) => n.name.clone(),
                // A column keeps its name (and is replaced in place).
                (None, Some(n)) if input.column(&n).is_some() => n,
                (None, Some(n)) => namer.claim(&n),
                (None, None) => namer.column(),
            };
            items.push((
                name,
                item.to_type
                    .as_ref()
                    .map(|t| KqlType::from_scalar_type(t.ty)),
            ));
            values.push(value.expr);
        }
        let mut exprs: Vec<Expr> = input.columns.iter().map(|c| column_ref(&c.name)).collect();
        exprs.push(mv_expand(values, bag_as_array, limit).alias(EXPANSIONS));
        let unnested = input
            .builder()
            .project(exprs)
            .or_internal(span)?
            .unnest_column(Column::new_unqualified(EXPANSIONS))
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let expanded = |k: usize, to: Option<KqlType>| {
            let value = TypedExpr::new(
                get_field(column_ref(EXPANSIONS), value_field(k)),
                KqlType::Dynamic,
            );
            match to {
                Some(t) => TypedExpr::new(crate::expr::canonical(value.convert_to(t), t), t),
                None => value,
            }
        };
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for c in &input.columns {
            match items.iter().position(|(n, _)| *n == c.name) {
                Some(k) => {
                    let v = expanded(k, items[k].1);
                    exprs.push(v.expr.alias(&c.name));
                    columns.push(KqlColumn::new(c.name.clone(), v.ty));
                }
                None => {
                    exprs.push(column_ref(&c.name));
                    columns.push(c.clone());
                }
            }
        }
        for (k, (name, to)) in items.iter().enumerate() {
            if input.column(name).is_none() {
                let v = expanded(k, *to);
                exprs.push(v.expr.alias(name));
                columns.push(KqlColumn::new(name.clone(), v.ty));
            }
        }
        if let Some(name) = index_name {
            exprs.push(get_field(column_ref(EXPANSIONS), INDEX_FIELD).alias(&name));
            columns.push(KqlColumn::new(name, KqlType::Long));
        }
        let plan = datafusion::logical_expr::LogicalPlanBuilder::from(unnested)
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }
}
