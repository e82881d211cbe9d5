//! Window functions over serialized rows: `prev`, `next`, `row_number`, `row_cumsum`.
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
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::Call;

use super::constant;
use crate::Tabular;
use crate::error::{OrInternal, PResult, codes, error};
use crate::planner::Planner;
use crate::tabular::column_ref;

/// The window functions this planner lowers.
pub(crate) const WINDOW_FUNCTIONS: &[&str] = &["prev", "next", "row_number", "row_cumsum"];

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
            "row_number" => {
                if args.len() > 1 {
                    return Err(error(
                        codes::UNSUPPORTED,
                        "row_number() with a restart condition is not supported yet",
                        args[1].1,
                    ));
                }
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
                if args.len() > 1 {
                    return Err(error(
                        codes::UNSUPPORTED,
                        "row_cumsum() with a restart condition is not supported yet",
                        args[1].1,
                    ));
                }
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
        let alias = format!("__kql_win{}", sink.len());
        sink.push((window, alias.clone()));
        Ok(TypedExpr::new(finish(column_ref(&alias)), ty))
    }
}
