//! Scalar expressions: from the AST to typed DataFusion expressions, with KQL's semantics.

mod binary;
mod call;
mod literal;
mod predicate;
mod window;

use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::{Expr, ExprSchemable as _, cast};
use datafusion::prelude::lit;
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{Expr as AstExpr, ExprKind, Ident, UnaryOp};

pub(crate) use predicate::filter_predicate;
pub(crate) use window::{PendingWindow, WINDOW_FUNCTIONS};

use crate::Tabular;
use crate::error::{PResult, codes, error};
use crate::planner::Planner;
use crate::scope::Binding;

pub(crate) use binary::as_bool as binary_as_bool;
pub(crate) use literal::literal;

impl Planner<'_> {
    /// Lowers a scalar expression over the columns of `input`.
    pub(crate) fn expr(&mut self, e: &AstExpr, input: &Tabular) -> PResult<TypedExpr> {
        match &e.kind {
            ExprKind::Literal(l) => literal(l, e.span),
            ExprKind::Name(id) => self.name(id, input),
            ExprKind::Member { target, name } => {
                let t = self.expr(target, input)?;
                self.dynamic_step(t, lit(name.name.as_str()), target.span)
            }
            ExprKind::Index { target, index } => {
                let t = self.expr(target, input)?;
                let step = self.index_step(index, input)?;
                self.dynamic_step(t, step, target.span)
            }
            ExprKind::Call(call) => self.call(call, e.span, input),
            ExprKind::Unary { op, operand } => {
                let v = self.expr(operand, input)?;
                match op {
                    UnaryOp::Plus => Ok(v),
                    UnaryOp::Neg => match v.ty {
                        t if t.is_numeric() => {
                            Ok(TypedExpr::new(Expr::Negative(Box::new(v.expr)), t))
                        }
                        KqlType::Timespan => Ok(TypedExpr::new(
                            kql_functions::scalar::datetime::timespan_neg(v.expr),
                            KqlType::Timespan,
                        )),
                        KqlType::Dynamic => Ok(TypedExpr::new(
                            Expr::Negative(Box::new(v.convert_to(KqlType::Real))),
                            KqlType::Real,
                        )),
                        t => Err(error(
                            codes::TYPE_MISMATCH,
                            format!("cannot negate a {t}"),
                            e.span,
                        )),
                    },
                }
            }
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right, e.span, input),
            ExprKind::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let ge = self.binary(kql_parser::ast::BinaryOp::GtEq, expr, low, e.span, input)?;
                let le = self.binary(kql_parser::ast::BinaryOp::LtEq, expr, high, e.span, input)?;
                let both = ge.expr.and(le.expr);
                Ok(TypedExpr::new(
                    if *negated {
                        Expr::Not(Box::new(both))
                    } else {
                        both
                    },
                    KqlType::Bool,
                ))
            }
            ExprKind::List { op, expr, items } => self.list(*op, expr, items, e.span, input),
            ExprKind::Star => Err(error(
                codes::INVALID_QUERY,
                "'*' is only allowed as an argument, as in arg_max(x, *)",
                e.span,
            )),
            ExprKind::Subquery(_) => Err(error(
                codes::TYPE_MISMATCH,
                "a tabular expression is not allowed here; use toscalar() for a single value",
                e.span,
            )),
        }
    }

    /// A column of the input, else a scalar `let`, else an error with a suggestion.
    fn name(&mut self, id: &Ident, input: &Tabular) -> PResult<TypedExpr> {
        if let Some(c) = input.column_expr(&id.name) {
            return Ok(c);
        }
        match self.scopes.get(&id.name) {
            Some(Binding::Scalar(v)) => return Ok(v.clone()),
            Some(Binding::Tabular(_)) => {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    format!("'{}' is a table, not a scalar value", id.name),
                    id.span,
                )
                .with_help("use toscalar() to take a single value from a table"));
            }
            Some(Binding::Function(_)) => {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    format!("'{}' is a function; call it with ()", id.name),
                    id.span,
                ));
            }
            None => {}
        }
        if id.name == "$left" || id.name == "$right" {
            return Err(error(
                codes::INVALID_QUERY,
                format!(
                    "{} is only meaningful in the 'on' clause of a join",
                    id.name
                ),
                id.span,
            ));
        }
        let mut candidates: Vec<String> = input.names().map(str::to_string).collect();
        candidates.extend(self.scopes.names());
        let mut d = error(
            codes::UNKNOWN_COLUMN,
            format!("unknown column '{}'", id.name),
            id.span,
        );
        if let Some(s) =
            kql_parser::suggest::closest(&id.name, candidates.iter().map(String::as_str))
        {
            d = d.with_span_label(format!("did you mean '{s}'?"));
        }
        Err(d)
    }

    /// One step into a `dynamic` value: `t.key` or `t[index]`.
    fn dynamic_step(&self, t: TypedExpr, step: Expr, target_span: Span) -> PResult<TypedExpr> {
        if t.ty != KqlType::Dynamic {
            return Err(error(
                codes::TYPE_MISMATCH,
                format!(
                    "member access needs a dynamic value, but this is a {}",
                    t.ty
                ),
                target_span,
            )
            .with_help(if t.ty == KqlType::String {
                "use parse_json() to read a string as dynamic"
            } else {
                "only dynamic values (JSON) have members"
            }));
        }
        Ok(t.dynamic_step(step))
    }

    /// The step of `t[index]`: a key (string) or a position (long; negative counts from the end).
    fn index_step(&mut self, index: &AstExpr, input: &Tabular) -> PResult<Expr> {
        let v = self.expr(index, input)?;
        if let Some(c) = constant(&v.expr) {
            return match c {
                ScalarValue::Utf8(Some(s)) if v.ty == KqlType::String => Ok(lit(s)),
                ScalarValue::Int64(Some(n)) => Ok(lit(n)),
                ScalarValue::Int32(Some(n)) => Ok(lit(i64::from(n))),
                _ => Err(error(
                    codes::TYPE_MISMATCH,
                    format!("an index must be a string or an integer, not {}", v.ty),
                    index.span,
                )),
            };
        }
        match v.ty {
            KqlType::String => Ok(v.expr),
            t if t.is_integer() => Ok(cast(v.expr, KqlType::Long.to_arrow())),
            KqlType::Dynamic => Ok(v.to_text()),
            t => Err(error(
                codes::TYPE_MISMATCH,
                format!("an index must be a string or an integer, not {t}"),
                index.span,
            )),
        }
    }
}

/// The value of a constant expression (a literal, possibly cast or negated), if it is one.
pub(crate) fn constant(e: &Expr) -> Option<ScalarValue> {
    match e {
        Expr::Literal(v, _) => Some(v.clone()),
        Expr::Cast(c) => constant(&c.expr).and_then(|v| v.cast_to(c.field.data_type()).ok()),
        Expr::TryCast(c) => constant(&c.expr).and_then(|v| v.cast_to(c.field.data_type()).ok()),
        Expr::Negative(inner) => constant(inner).and_then(|v| v.arithmetic_negate().ok()),
        Expr::Alias(a) => constant(&a.expr),
        _ => None,
    }
}

/// `expr` with the canonical Arrow type of `ty`, cast only where its type differs.
pub(crate) fn finish(te: &TypedExpr, schema: &DFSchema) -> Expr {
    let want = te.ty.to_arrow();
    match te.expr.get_type(schema) {
        Ok(have) if have == want => te.expr.clone(),
        _ => cast(te.expr.clone(), want),
    }
}

/// `expr` cast to the canonical Arrow type of `ty` (when there is no schema to check against).
pub(crate) fn canonical(expr: Expr, ty: KqlType) -> Expr {
    if let Some(v) = constant(&expr)
        && v.data_type() == ty.to_arrow()
    {
        return expr;
    }
    cast(expr, ty.to_arrow())
}
