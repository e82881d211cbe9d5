//! Window functions over serialized rows: `prev`, `next`, `row_number`, `row_cumsum`,
//! `row_rank_dense`, `row_rank_min` and `row_window_session` (the restartable ones are scans of
//! [`kql_functions::window`]).
//!
//! KQL evaluates them in the order the rows arrive (after `sort`, `top`, `serialize`, …). Each
//! call lowers to a DataFusion window expression with no partition and no order, which
//! DataFusion computes over its input in arrival order; the engine keeps that order by not
//! splitting single-partition plans round-robin (see the engine's session settings). The call is
//! replaced by a reference to the window's result column, which the `extend` being planned
//! computes in a window node before its projection.

use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::sum::sum_udaf;
use datafusion::functions_window::expr_fn::{lag, lead, row_number};
use datafusion::logical_expr::expr::WindowFunction;
use datafusion::logical_expr::{
    Expr, ExprFunctionExt as _, WindowFrame, WindowFrameBound, WindowFrameUnits,
    WindowFunctionDefinition, cast,
};
use datafusion::prelude::lit;
use kql_functions::window::{RowScanKind, row_scan};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::Call;

use super::constant;
use crate::Tabular;
use crate::error::{OrInternal, PResult, codes, error};
use crate::planner::Planner;
use crate::tabular::column_ref;

/// The window functions this planner lowers.
pub(crate) const WINDOW_FUNCTIONS: &[&str] = &[
    "prev",
    "next",
    "row_number",
    "row_cumsum",
    "row_rank_dense",
    "row_rank_min",
    "row_window_session",
];

/// A window function of the `extend` item being planned, computed in a window node under its
/// projection; `level` orders the nodes (0 first), for windows that read other windows.
#[derive(Debug)]
pub(crate) struct PendingWindow {
    pub(crate) expr: Expr,
    pub(crate) alias: String,
    pub(crate) level: usize,
}

impl Planner<'_> {
    /// A call of a window function inside an `extend` (or `serialize`) item.
    pub(crate) fn window_call(
        &mut self,
        call: &Call,
        span: Span,
        input: &Tabular,
    ) -> PResult<TypedExpr> {
        let name = call.name.name.as_str();
        if self.window_sink.is_none() {
            return Err(error(
                codes::INVALID_QUERY,
                format!("{name}() works on serialized rows: use it in extend or serialize"),
                span,
            ));
        }
        let mut args = Vec::with_capacity(call.args.len());
        for a in &call.args {
            args.push((self.expr(&a.value, input)?, a.value.span));
        }
        let constant_long = |i: usize, default: i64| -> PResult<i64> {
            match args.get(i) {
                None => Ok(default),
                Some((v, s)) => match constant(&v.expr) {
                    Some(ScalarValue::Int64(Some(n))) => Ok(n),
                    Some(ScalarValue::Int32(Some(n))) => Ok(i64::from(n)),
                    _ => Err(error(
                        codes::INVALID_VALUE,
                        format!("{name}()'s argument {} must be a constant integer", i + 1),
                        *s,
                    )),
                },
            }
        };
        let (window, ty) = match name {
            "prev" | "next" => {
                let Some((value, _)) = args.first() else {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        format!("{name}() needs a column"),
                        span,
                    ));
                };
                let offset = constant_long(1, 1)?;
                let default = match args.get(2) {
                    None => None,
                    Some((d, s)) => {
                        let converted = if d.ty == value.ty {
                            d.expr.clone()
                        } else {
                            d.convert_to(value.ty)
                        };
                        match constant(&converted) {
                            Some(v) => Some(v.cast_to(&value.ty.to_arrow()).or_internal(*s)?),
                            None => {
                                return Err(error(
                                    codes::INVALID_VALUE,
                                    format!("{name}()'s default must be a constant"),
                                    *s,
                                ));
                            }
                        }
                    }
                };
                let f = if name == "prev" { lag } else { lead };
                (f(value.expr.clone(), Some(offset), default), value.ty)
            }
            "row_number" if args.len() > 1 => {
                let start = constant_long(0, 1)?;
                let restart = restart_flag(&args[1])?;
                let scan = row_scan(RowScanKind::RowNumber, vec![lit(start), restart]);
                return self.push_window(scan, KqlType::Long, span, |e| e);
            }
            "row_rank_dense" | "row_rank_min" => {
                let Some((value, s)) = args.first() else {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        format!("{name}() needs a column"),
                        span,
                    ));
                };
                if value.ty == KqlType::Dynamic {
                    return Err(error(
                        codes::TYPE_MISMATCH,
                        format!("{name}() cannot rank dynamic values; convert them first"),
                        *s,
                    ));
                }
                let mut scan_args = vec![value.expr.clone()];
                if let Some(r) = args.get(1) {
                    scan_args.push(restart_flag(r)?);
                }
                let kind = if name == "row_rank_dense" {
                    RowScanKind::RankDense
                } else {
                    RowScanKind::RankMin
                };
                return self.push_window(row_scan(kind, scan_args), KqlType::Long, span, |e| e);
            }
            "row_window_session" => {
                let [(t, ts), (first, fs), (between, bs), rest @ ..] = args.as_slice() else {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        "row_window_session() takes a datetime, the longest session, the longest \
                         gap and an optional restart condition",
                        span,
                    ));
                };
                let checks = [
                    (t, *ts, KqlType::Datetime),
                    (first, *fs, KqlType::Timespan),
                    (between, *bs, KqlType::Timespan),
                ];
                for (v, s, want) in checks {
                    if v.ty != want {
                        return Err(error(
                            codes::TYPE_MISMATCH,
                            format!("row_window_session() needs a {want} here, got a {}", v.ty),
                            s,
                        ));
                    }
                }
                for (v, s) in [(first, *fs), (between, *bs)] {
                    if constant(&v.expr).is_none() {
                        return Err(error(
                            codes::INVALID_VALUE,
                            "row_window_session()'s distances must be constants",
                            s,
                        ));
                    }
                }
                let mut scan_args = vec![t.expr.clone(), first.expr.clone(), between.expr.clone()];
                if let Some(r) = rest.first() {
                    scan_args.push(restart_flag(r)?);
                }
                let scan = row_scan(RowScanKind::WindowSession, scan_args);
                return self.push_window(scan, KqlType::Datetime, span, |e| e);
            }
            "row_number" => {
                let start = constant_long(0, 1)?;
                let shift = start.saturating_sub(1);
                return self.push_window(row_number(), KqlType::Long, span, move |n| {
                    cast(n, KqlType::Long.to_arrow()) + lit(shift)
                });
            }
            _ => {
                let Some((value, s)) = args.first() else {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        "row_cumsum() needs a column",
                        span,
                    ));
                };
                if !value.ty.is_numeric() {
                    return Err(error(
                        codes::TYPE_MISMATCH,
                        format!("row_cumsum() needs a number, got a {}", value.ty),
                        *s,
                    ));
                }
                let ty = if value.ty == KqlType::Int {
                    KqlType::Long
                } else {
                    value.ty
                };
                if let Some(r) = args.get(1) {
                    let kind = match ty {
                        KqlType::Long => RowScanKind::CumSumLong,
                        KqlType::Real => RowScanKind::CumSumReal,
                        other => {
                            return Err(error(
                                codes::UNSUPPORTED,
                                format!("row_cumsum() with a restart condition of a {other}"),
                                *s,
                            ));
                        }
                    };
                    let scan = row_scan(kind, vec![value.expr.clone(), restart_flag(r)?]);
                    return self.push_window(scan, ty, span, |e| e);
                }
                let running = WindowFrame::new_bounds(
                    WindowFrameUnits::Rows,
                    WindowFrameBound::Preceding(ScalarValue::UInt64(None)),
                    WindowFrameBound::CurrentRow,
                );
                let sum = Expr::from(WindowFunction::new(
                    WindowFunctionDefinition::AggregateUDF(sum_udaf()),
                    vec![cast(value.expr.clone(), ty.to_arrow())],
                ))
                .window_frame(running)
                .build()
                .or_internal(span)?;
                (sum, ty)
            }
        };
        self.push_window(window, ty, span, |e| e)
    }

    /// Records `window` (a bare window function: DataFusion's window node takes nothing else)
    /// for the `extend` being planned; the call's value is `finish` of its result column.
    fn push_window(
        &mut self,
        window: Expr,
        ty: KqlType,
        span: Span,
        finish: impl FnOnce(Expr) -> Expr,
    ) -> PResult<TypedExpr> {
        let Some(sink) = self.window_sink.as_mut() else {
            return Err(error(codes::INTERNAL, "window outside extend", span));
        };
        // Above every window whose result it reads.
        let reads = window.column_refs();
        let level = sink
            .iter()
            .filter(|w| reads.iter().any(|c| c.name == w.alias))
            .map(|w| w.level + 1)
            .max()
            .unwrap_or(0);
        let alias = format!("__kql_win{}", sink.len());
        sink.push(PendingWindow {
            expr: window,
            alias: alias.clone(),
            level,
        });
        Ok(TypedExpr::new(finish(column_ref(&alias)), ty))
    }
}

/// A restart condition: a bool (a null one does not restart).
fn restart_flag((value, span): &(TypedExpr, Span)) -> PResult<Expr> {
    if value.ty != KqlType::Bool {
        return Err(error(
            codes::TYPE_MISMATCH,
            format!("the restart condition must be a bool, got a {}", value.ty),
            *span,
        ));
    }
    Ok(value.expr.clone())
}
