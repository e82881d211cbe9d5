//! `join` (all nine kinds, `innerunique` by default) and `lookup`.

use datafusion::common::{Column, TableReference};
use datafusion::logical_expr::{Expr, JoinType, LogicalPlanBuilder};
use datafusion::prelude::{coalesce, lit};
use kql_parser::Span;
use kql_parser::ast::{BinaryOp, Expr as AstExpr, ExprKind, Join};

use crate::error::{OrInternal, PResult, codes, error};
use crate::naming::Namer;
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

const LEFT: &str = "__kql_left";
const RIGHT: &str = "__kql_right";

/// Which columns a join kind outputs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Both,
    LeftOnly,
    RightOnly,
}

impl Planner<'_> {
    pub(super) fn join(
        &mut self,
        j: &Join,
        left: Tabular,
        span: Span,
        lookup: bool,
    ) -> PResult<Tabular> {
        let op = if lookup { "lookup" } else { "join" };
        let mut kind = if lookup {
            "leftouter".to_string()
        } else {
            "innerunique".to_string()
        };
        for p in &j.params {
            if p.name.name == "kind" {
                match &p.value.kind {
                    ExprKind::Name(n) => kind = n.name.clone(),
                    _ => {
                        return Err(error(
                            codes::INVALID_VALUE,
                            "kind= takes a join kind",
                            p.value.span,
                        ));
                    }
                }
            }
        }
        let (join_type, output, dedup_left) = match (lookup, kind.as_str()) {
            (false, "innerunique") => (JoinType::Inner, Output::Both, true),
            (_, "inner") => (JoinType::Inner, Output::Both, false),
            (_, "leftouter") => (JoinType::Left, Output::Both, false),
            (false, "rightouter") => (JoinType::Right, Output::Both, false),
            (false, "fullouter") => (JoinType::Full, Output::Both, false),
            (false, "leftanti" | "anti" | "leftantisemi") => {
                (JoinType::LeftAnti, Output::LeftOnly, false)
            }
            (false, "rightanti" | "rightantisemi") => {
                (JoinType::RightAnti, Output::RightOnly, false)
            }
            (false, "leftsemi") => (JoinType::LeftSemi, Output::LeftOnly, false),
            (false, "rightsemi") => (JoinType::RightSemi, Output::RightOnly, false),
            _ => {
                return Err(error(
                    codes::INVALID_VALUE,
                    format!("'{kind}' is not a kind of {op}"),
                    j.params
                        .iter()
                        .find(|p| p.name.name == "kind")
                        .map_or(span, |p| p.value.span),
                ));
            }
        };
        let right = self.query(&j.right)?;
        let mut keys = Vec::new();
        for on in &j.on {
            collect_keys(on, &mut keys)?;
        }
        for (l, r, key_span) in &keys {
            let lc = left
                .column(l)
                .ok_or_else(|| unknown(l, &left, *key_span, "left"))?
                .1
                .clone();
            let rc = right
                .column(r)
                .ok_or_else(|| unknown(r, &right, *key_span, "right"))?
                .1
                .clone();
            let comparable = lc.ty == rc.ty || (lc.ty.is_numeric() && rc.ty.is_numeric());
            if !comparable {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    format!(
                        "cannot join {} key '{}' with {} key '{}'",
                        lc.ty, l, rc.ty, r
                    ),
                    *key_span,
                ));
            }
        }
        // innerunique: one left row per key value.
        let left_plan = if dedup_left {
            let on: Vec<Expr> = keys.iter().map(|(l, _, _)| column_ref(l)).collect();
            let select: Vec<Expr> = left.columns.iter().map(|c| column_ref(&c.name)).collect();
            left.builder()
                .distinct_on(on, select, None)
                .or_internal(span)?
                .build()
                .or_internal(span)?
        } else {
            left.plan.clone()
        };
        let left_ref = TableReference::bare(LEFT);
        let right_ref = TableReference::bare(RIGHT);
        let l_alias = LogicalPlanBuilder::from(left_plan)
            .alias(left_ref.clone())
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let r_alias = right
            .builder()
            .alias(right_ref.clone())
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let on: Vec<Expr> = keys
            .iter()
            .map(|(l, r, _)| {
                Expr::Column(Column::new(Some(left_ref.clone()), l.as_str())).eq(Expr::Column(
                    Column::new(Some(right_ref.clone()), r.as_str()),
                ))
            })
            .collect();
        let joined = LogicalPlanBuilder::from(l_alias)
            .join_on(r_alias, join_type, on)
            .or_internal(span)?;
        let mut namer = Namer::default();
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        // An outer join's unmatched side has no values; KQL strings have no null, so they read "".
        let fill = |e: Expr, c: &KqlColumn, outer: bool| {
            if outer && c.ty == kql_functions::KqlType::String {
                coalesce(vec![e, lit("")])
            } else {
                e
            }
        };
        let left_outer = matches!(join_type, JoinType::Right | JoinType::Full);
        let right_outer = matches!(join_type, JoinType::Left | JoinType::Full);
        if output != Output::RightOnly {
            for c in &left.columns {
                namer.claim_exact(&c.name);
                let e = Expr::Column(Column::new(Some(left_ref.clone()), c.name.as_str()));
                exprs.push(fill(e, c, left_outer).alias(&c.name));
                columns.push(c.clone());
            }
        }
        if output != Output::LeftOnly {
            for c in &right.columns {
                // lookup drops the right side's keys: they equal the left's.
                if lookup && keys.iter().any(|(_, r, _)| *r == c.name) {
                    continue;
                }
                let name = namer.claim(&c.name);
                let e = Expr::Column(Column::new(Some(right_ref.clone()), c.name.as_str()));
                exprs.push(fill(e, c, right_outer).alias(&name));
                columns.push(KqlColumn::new(name, c.ty));
            }
        }
        let plan = joined
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }
}

fn unknown(name: &str, t: &Tabular, span: Span, side: &str) -> kql_parser::Diagnostic {
    let mut d = error(
        codes::UNKNOWN_COLUMN,
        format!("the {side} side has no column '{name}'"),
        span,
    );
    if let Some(s) = kql_parser::suggest::closest(name, t.names()) {
        d = d.with_span_label(format!("did you mean '{s}'?"));
    }
    d
}

/// The key pairs of an `on` item: `Col`, `$left.A == $right.B` (either way round), joined by `and`.
fn collect_keys(e: &AstExpr, out: &mut Vec<(String, String, Span)>) -> PResult<()> {
    match &e.kind {
        ExprKind::Name(id) => {
            out.push((id.name.clone(), id.name.clone(), e.span));
            Ok(())
        }
        ExprKind::Binary {
            op: BinaryOp::And,
            left,
            right,
        } => {
            collect_keys(left, out)?;
            collect_keys(right, out)
        }
        ExprKind::Binary {
            op: BinaryOp::Eq,
            left,
            right,
        } => match (side_column(left), side_column(right)) {
            (Some(("$left", l)), Some(("$right", r)))
            | (Some(("$right", r)), Some(("$left", l))) => {
                out.push((l, r, e.span));
                Ok(())
            }
            _ => Err(on_error(e.span)),
        },
        _ => Err(on_error(e.span)),
    }
}

fn side_column(e: &AstExpr) -> Option<(&'static str, String)> {
    if let ExprKind::Member { target, name } = &e.kind
        && let ExprKind::Name(side) = &target.kind
    {
        return match side.name.as_str() {
            "$left" => Some(("$left", name.name.clone())),
            "$right" => Some(("$right", name.name.clone())),
            _ => None,
        };
    }
    None
}

fn on_error(span: Span) -> kql_parser::Diagnostic {
    error(
        codes::UNSUPPORTED,
        "a join condition must be a column name or $left.Column == $right.Column",
        span,
    )
}
