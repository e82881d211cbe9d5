//! `mv-apply`: each row's arrays expanded into a subtable, a subquery applied to every subtable
//! on its own, and the results given the row's other columns.
//!
//! Planned as one query over all rows at once: every row gets a number, its subtable keeps it in
//! a hidden group column (and the row's other columns in hidden columns of their own, carried
//! through every operator), and each operator of the subquery acts per group. Row-wise operators
//! (`where`, `extend`, `parse`, `mv-expand`, …) need nothing; the others are rewritten:
//! `summarize … by k` groups by the row too, `project` and `distinct` keep it, `count` counts
//! per row, `take n` and `top n by k` number the rows of each group, and `sort` orders within
//! each group. Operators that combine tables (`join`, `union`, …) are refused inside `mv-apply`.
//!
//! The order within a group is a hidden column too ([`SEQ`]): the element's position in its
//! array, renumbered by `sort` and `top`, gone after `summarize`. An explicit column, because an
//! order that only lives in the row stream is not something the optimizer keeps. The results come in input-row order, each row's in that order.

use datafusion::logical_expr::{Expr, SortExpr};
use datafusion::prelude::lit;
use kql_functions::KqlType;
use kql_parser::Span;
use kql_parser::ast::{
    ExprKind, Ident, MvApply, MvExpand, NamedExpr, Operator, OperatorKind, OperatorParam, Summarize,
};

use crate::error::{OrInternal, PResult, codes, error};
use crate::naming::derived_name;
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// The hidden column numbering the input rows (the group of each subtable row).
const ROW: &str = "__kql_apply_row";
/// The position of a subtable row within its group (see the module documentation).
const SEQ: &str = "__kql_apply_seq";
/// The prefix of the input's other columns carried along in the subtable.
const PASSTHROUGH: &str = "__kql_apply_in";
/// A per-group row number, for `take` and `top`.
const RANK: &str = "__kql_apply_rank";

impl Planner<'_> {
    pub(super) fn mv_apply(&mut self, m: &MvApply, input: Tabular, span: Span) -> PResult<Tabular> {
        if input.column(ROW).is_some() {
            return Err(error(
                codes::UNSUPPORTED,
                "mv-apply inside the subquery of another mv-apply is not supported",
                span,
            ));
        }
        // The input, its rows numbered.
        let numbered = input.with_row_number(ROW, Vec::new(), Vec::new(), span)?;

        // The subtables: the row number, the expanded columns, the item index, and the position
        // (the item index again, or a hidden one when none is asked for).
        let user_index = m.params.iter().find_map(|p| match &p.value.kind {
            ExprKind::Name(n) if p.name.name == "with_itemindex" => Some(n.name.clone()),
            _ => None,
        });
        let mut params = m.params.clone();
        if user_index.is_none() {
            params.push(OperatorParam {
                name: Ident::new("with_itemindex", span),
                value: kql_parser::ast::Expr::name(SEQ, span),
            });
        }
        let expand = MvExpand {
            params,
            items: m.items.clone(),
            limit: m.limit.clone(),
        };
        let mut expanded = self.mv_expand(&expand, numbered.clone(), span)?;
        if let Some(index) = &user_index {
            let mut exprs: Vec<Expr> = expanded
                .columns
                .iter()
                .map(|c| column_ref(&c.name))
                .collect();
            exprs.push(column_ref(index).alias(SEQ));
            let mut columns = expanded.columns.clone();
            columns.push(KqlColumn::new(SEQ, KqlType::Long));
            expanded = expanded.project(exprs, columns, span)?;
        }
        let mut names: Vec<String> = vec![ROW.to_string(), SEQ.to_string()];
        for item in &m.items {
            let name = match (&item.name, derived_name(&item.expr, false)) {
                (Some(n), _) => Some(n.name.clone()),
                (None, Some(n)) if input.column(&n).is_some() => Some(n),
                _ => None,
            };
            names.extend(name);
        }
        // Unnamed expressions got fresh names, and the item index has its own: every column the
        // input did not have belongs to the subtable. The input's other columns ride along
        // under hidden names ([`passthrough`]), so the results need no join back to the input
        // rows (which would number them a second time, not necessarily alike).
        let expanded_names: Vec<String> = names.iter().skip(2).cloned().collect();
        let mut exprs = Vec::new();
        let mut subtable_columns: Vec<KqlColumn> = Vec::new();
        for c in &expanded.columns {
            if names.contains(&c.name) || numbered.column(&c.name).is_none() {
                exprs.push(column_ref(&c.name));
                subtable_columns.push(c.clone());
            }
        }
        let kept: Vec<&KqlColumn> = input
            .columns
            .iter()
            .filter(|c| !expanded_names.contains(&c.name))
            .collect();
        for (i, c) in kept.iter().enumerate() {
            exprs.push(column_ref(&c.name).alias(passthrough(i)));
            subtable_columns.push(KqlColumn::new(passthrough(i), c.ty));
        }
        let mut current = expanded.project(exprs, subtable_columns, span)?;

        for op in &m.subquery {
            current = self.grouped_operator(op, current, kept.len())?;
            let complete = current.column(ROW).is_some()
                && (0..kept.len()).all(|i| current.column(&passthrough(i)).is_some());
            if !complete {
                return Err(error(
                    codes::UNSUPPORTED,
                    "this operator removes columns mv-apply needs to group its rows",
                    op.span,
                ));
            }
        }

        // The input's other columns, then the subquery's, in input-row order.
        let mut exprs = Vec::new();
        let mut columns: Vec<KqlColumn> = Vec::new();
        for (i, c) in kept.iter().enumerate() {
            exprs.push(column_ref(&passthrough(i)).alias(&c.name));
            columns.push((*c).clone());
        }
        let mut namer = crate::naming::Namer::with_taken(columns.iter().map(|c| c.name.clone()));
        for c in &current.columns {
            if is_hidden(&c.name) {
                continue;
            }
            let name = namer.claim(&c.name);
            exprs.push(column_ref(&c.name).alias(&name));
            columns.push(KqlColumn::new(name, c.ty));
        }
        let plan = current
            .builder()
            .sort(group_order(&current))
            .or_internal(span)?
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }

    /// One operator of an `mv-apply` subquery, acting on each group of [`ROW`] on its own.
    fn grouped_operator(
        &mut self,
        op: &Operator,
        input: Tabular,
        passthroughs: usize,
    ) -> PResult<Tabular> {
        let span = op.span;
        let name = |n: &str| kql_parser::ast::Expr::name(n, span);
        let keep = |n: &str| NamedExpr::unnamed(name(n));
        let has_seq = input.column(SEQ).is_some();
        // `take_any(c)` named `c`: a group's value of a column that is the same on all its rows.
        let carry = |n: &str| {
            NamedExpr::named(
                n,
                kql_parser::ast::Expr::call("take_any", vec![name(n)], span),
            )
        };
        match &op.kind {
            OperatorKind::Where(_)
            | OperatorKind::Extend(_)
            | OperatorKind::MvExpand(_)
            | OperatorKind::Parse(_)
            | OperatorKind::ParseWhere(_)
            | OperatorKind::ParseKv(_)
            | OperatorKind::ProjectRename(_)
            | OperatorKind::ProjectAway(_)
            | OperatorKind::Render(_) => self.operator(op, input),
            OperatorKind::Project(items) => {
                let mut items = items.clone();
                items.push(keep(ROW));
                if has_seq {
                    items.push(keep(SEQ));
                }
                items.extend((0..passthroughs).map(|i| keep(&passthrough(i))));
                self.operator(&with_kind(op, OperatorKind::Project(items)), input)
            }
            OperatorKind::Summarize(s) => {
                let mut by = s.by.clone();
                by.push(keep(ROW));
                let mut aggregates = s.aggregates.clone();
                aggregates.extend((0..passthroughs).map(|i| carry(&passthrough(i))));
                let s = Summarize {
                    params: s.params.clone(),
                    aggregates,
                    by,
                };
                self.operator(&with_kind(op, OperatorKind::Summarize(s)), input)
            }
            OperatorKind::Count => {
                let count = kql_parser::ast::Expr::call("count", Vec::new(), span);
                let mut aggregates = vec![NamedExpr::named("Count", count)];
                aggregates.extend((0..passthroughs).map(|i| carry(&passthrough(i))));
                let s = Summarize {
                    params: Vec::new(),
                    aggregates,
                    by: vec![keep(ROW)],
                };
                self.operator(&with_kind(op, OperatorKind::Summarize(s)), input)
            }
            OperatorKind::Distinct(items) => {
                // `distinct *` means the visible columns, not the position.
                let mut items: Vec<kql_parser::ast::Expr> =
                    if items.iter().any(|i| matches!(i.kind, ExprKind::Star)) {
                        input
                            .columns
                            .iter()
                            .filter(|c| !is_hidden(&c.name))
                            .map(|c| name(&c.name))
                            .collect()
                    } else {
                        items.clone()
                    };
                items.push(name(ROW));
                // One value per row: they change nothing about which rows are distinct.
                items.extend((0..passthroughs).map(|i| name(&passthrough(i))));
                self.operator(&with_kind(op, OperatorKind::Distinct(items)), input)
            }
            OperatorKind::Sort(keys) => {
                let mut order = self.sort_exprs(keys, &input)?;
                if has_seq {
                    order.push(column_ref(SEQ).sort(true, false));
                }
                renumbered(&input, order, None, span)
            }
            OperatorKind::Take(n) => {
                let n = self.row_count(n, "take")?;
                let order = if has_seq {
                    vec![column_ref(SEQ).sort(true, false)]
                } else {
                    Vec::new()
                };
                renumbered(&input, order, Some(n), span)
            }
            OperatorKind::Top(top) => {
                let n = self.row_count(&top.count, "top")?;
                let mut order = self.sort_exprs(std::slice::from_ref(&top.by), &input)?;
                if has_seq {
                    order.push(column_ref(SEQ).sort(true, false));
                }
                renumbered(&input, order, Some(n), span)
            }
            _ => Err(error(
                codes::UNSUPPORTED,
                "this operator is not supported in the subquery of mv-apply (supported: where, \
                 extend, project, project-away, project-rename, summarize, count, distinct, \
                 take, top, sort, parse, mv-expand)",
                span,
            )),
        }
    }
}

/// The hidden name of the `i`th input column the subtable carries along.
fn passthrough(i: usize) -> String {
    format!("{PASSTHROUGH}{i}")
}

/// Whether a column is one of mv-apply's own: the row number, the position, a carried column.
fn is_hidden(name: &str) -> bool {
    name == ROW || name == SEQ || name.starts_with(PASSTHROUGH)
}

/// The order of the subquery's results: by input row, then by position where there is one.
fn group_order(t: &Tabular) -> Vec<SortExpr> {
    let mut order = vec![column_ref(ROW).sort(true, false)];
    if t.column(SEQ).is_some() {
        order.push(column_ref(SEQ).sort(true, false));
    }
    order
}

/// `op` with another kind, at the same place.
fn with_kind(op: &Operator, kind: OperatorKind) -> Operator {
    Operator {
        kind,
        span: op.span,
    }
}

/// `input` with its position ([`SEQ`]) renumbered within each group in `order` (else as the
/// rows come), keeping the first `limit` of each group if given.
fn renumbered(
    input: &Tabular,
    order: Vec<SortExpr>,
    limit: Option<usize>,
    span: Span,
) -> PResult<Tabular> {
    // The window reads the old position (for ties) before it is replaced.
    let ranked = input.with_row_number(RANK, vec![column_ref(ROW)], order, span)?;
    let mut columns: Vec<KqlColumn> = input
        .columns
        .iter()
        .filter(|c| c.name != SEQ)
        .cloned()
        .collect();
    let mut exprs: Vec<Expr> = columns.iter().map(|c| column_ref(&c.name)).collect();
    exprs.push(column_ref(RANK).alias(SEQ));
    columns.push(KqlColumn::new(SEQ, KqlType::Long));
    let plan = match limit {
        Some(n) => ranked
            .builder()
            .filter(column_ref(RANK).lt_eq(lit(i64::try_from(n).unwrap_or(i64::MAX))))
            .or_internal(span)?
            .build()
            .or_internal(span)?,
        None => ranked.plan,
    };
    Tabular {
        plan,
        columns: ranked.columns,
    }
    .project(exprs, columns, span)
}
