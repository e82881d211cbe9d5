//! `top-nested`: hierarchical top-N. Each level groups the rows of the groups kept at the level
//! above by one more expression, ranks those groups by an aggregate, and keeps the first N
//! (descending unless `asc`; all without N). The result has a row per group kept at the last
//! level, with every level's value and aggregate: `of1, agg1, of2, agg2, …`.
//!
//! Planned level by level: the aggregate by (the keys so far), joined to the groups kept above
//! (keys compared with null equal to null, as grouping does), numbered within its parent group,
//! and cut at N. `with others = …` is refused by name.

use datafusion::common::{JoinType, NullEquality};
use datafusion::logical_expr::{Expr, SortExpr};
use kql_functions::KqlType;
use kql_parser::Span;
use kql_parser::ast::{Ident, NamedExpr, SortOrder, Summarize, TopNestedLevel};

use crate::error::{OrInternal, PResult, codes, error};
use crate::naming::{Namer, derived_name};
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

impl Planner<'_> {
    pub(super) fn top_nested(
        &mut self,
        levels: &[TopNestedLevel],
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        // The grouping values, as hidden columns after the input's.
        let mut namer = Namer::with_taken(input.columns.iter().map(|c| c.name.clone()));
        let mut keyed = input;
        let mut keys: Vec<String> = Vec::new();
        let mut key_names: Vec<String> = Vec::new();
        let mut out_namer = Namer::default();
        for (k, level) in levels.iter().enumerate() {
            if let Some(others) = &level.others {
                return Err(error(
                    codes::UNSUPPORTED,
                    "top-nested 'with others' is not supported yet",
                    others.span,
                ));
            }
            let hidden = format!("__kql_top_nested_key{k}");
            let value = self.expr(&level.of.expr, &keyed)?;
            let schema = keyed.plan.schema().clone();
            let mut exprs: Vec<Expr> = keyed.columns.iter().map(|c| column_ref(&c.name)).collect();
            exprs.push(crate::expr::finish(&value, &schema).alias(&hidden));
            let mut columns = keyed.columns.clone();
            columns.push(KqlColumn::new(hidden.clone(), value.ty));
            keyed = keyed.project(exprs, columns, span)?;
            let name = match level.of.names.as_slice() {
                [n] => n.name.clone(),
                _ => derived_name(&level.of.expr, true).unwrap_or_else(|| namer.column()),
            };
            key_names.push(out_namer.claim(&name));
            keys.push(hidden);
        }

        // Level by level: the kept groups with their ancestors' values and aggregates.
        let mut kept: Option<Tabular> = None;
        let mut agg_names: Vec<String> = Vec::new();
        for (k, level) in levels.iter().enumerate() {
            let by = keys[..=k]
                .iter()
                .map(|key| NamedExpr::unnamed(kql_parser::ast::Expr::name(key, level.of.span)))
                .collect();
            let agg_hidden = format!("__kql_top_nested_agg{k}");
            let aggregate = NamedExpr {
                names: vec![Ident::new(agg_hidden.clone(), level.by.span)],
                expr: level.by.expr.clone(),
                span: level.by.span,
            };
            let summarize = Summarize {
                params: Vec::new(),
                aggregates: vec![aggregate],
                by,
            };
            let grouped = self.summarize(&summarize, keyed.clone(), span)?;
            let agg_name = match level.by.names.as_slice() {
                [n] => n.name.clone(),
                _ => format!("aggregated_{}", key_names[k]),
            };
            agg_names.push(out_namer.claim(&agg_name));

            // Only the groups under a group kept above, with the ancestors' aggregates.
            let mut current = grouped;
            if let Some(parent) = kept.take() {
                let parent_keys: Vec<&str> = keys[..k].iter().map(String::as_str).collect();
                let renamed: Vec<Expr> = parent
                    .columns
                    .iter()
                    .map(|c| {
                        let e = column_ref(&c.name);
                        if parent_keys.contains(&c.name.as_str()) {
                            e.alias(format!("{}_parent", c.name))
                        } else {
                            e
                        }
                    })
                    .collect();
                let parent_plan = parent
                    .builder()
                    .project(renamed)
                    .or_internal(span)?
                    .build()
                    .or_internal(span)?;
                let right_keys: Vec<String> =
                    parent_keys.iter().map(|k| format!("{k}_parent")).collect();
                let joined = current
                    .builder()
                    .join_detailed(
                        parent_plan,
                        JoinType::Inner,
                        (
                            parent_keys
                                .iter()
                                .map(|k| k.to_string())
                                .collect::<Vec<_>>(),
                            right_keys,
                        ),
                        None,
                        NullEquality::NullEqualsNull,
                    )
                    .or_internal(span)?
                    .build()
                    .or_internal(span)?;
                let mut columns = current.columns.clone();
                columns.extend(
                    parent
                        .columns
                        .iter()
                        .filter(|c| !parent_keys.contains(&c.name.as_str()))
                        .cloned(),
                );
                let exprs = columns.iter().map(|c| column_ref(&c.name)).collect();
                current = Tabular {
                    plan: joined,
                    columns: columns.clone(),
                }
                .project(exprs, columns, span)?;
            }

            // Numbered within the parent group by the aggregate, cut at N.
            if let Some(count) = &level.count {
                let n = self.row_count(count, "top-nested")?;
                let asc = level.order == Some(SortOrder::Asc);
                let order: Vec<SortExpr> = vec![column_ref(&agg_hidden).sort(asc, !asc)];
                let partition: Vec<Expr> = keys[..k].iter().map(|k| column_ref(k)).collect();
                current = current.first_of_each(n, partition, order, span)?;
            }
            kept = Some(current);
        }
        let Some(result) = kept else {
            return Err(error(
                codes::INVALID_QUERY,
                "top-nested needs a level",
                span,
            ));
        };

        // Each level's value and aggregate, in level order, ordered like the levels.
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        let mut sorts = Vec::new();
        for (k, level) in levels.iter().enumerate() {
            let key_ty = result
                .column(&keys[k])
                .map_or(KqlType::String, |(_, c)| c.ty);
            exprs.push(column_ref(&keys[k]).alias(&key_names[k]));
            columns.push(KqlColumn::new(key_names[k].clone(), key_ty));
            let agg_hidden = format!("__kql_top_nested_agg{k}");
            let agg_ty = result
                .column(&agg_hidden)
                .map_or(KqlType::Long, |(_, c)| c.ty);
            exprs.push(column_ref(&agg_hidden).alias(&agg_names[k]));
            columns.push(KqlColumn::new(agg_names[k].clone(), agg_ty));
            let asc = level.order == Some(SortOrder::Asc);
            sorts.push(column_ref(&agg_hidden).sort(asc, !asc));
            sorts.push(column_ref(&keys[k]).sort(true, false));
        }
        let plan = result
            .builder()
            .sort(sorts)
            .or_internal(span)?
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }
}
