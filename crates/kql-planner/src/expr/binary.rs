//! Infix operators: arithmetic, comparisons with KQL's null rules, string operators, and the
//! list operators `in`, `!in`, `in~`, `has_any`, `has_all`.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, Operator as DfOp, binary_expr, cast, when};
use datafusion::prelude::{coalesce, lit, nullif};
use kql_functions::scalar::{datetime as dt, string as st};
use kql_functions::{FunctionError, KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{BinaryOp, Expr as AstExpr, ExprKind, ListOp};

use super::constant;
use crate::Tabular;
use crate::error::{OrInternal, PResult, codes, error};
use crate::planner::Planner;

impl Planner<'_> {
    pub(crate) fn binary(
        &mut self,
        op: BinaryOp,
        left: &AstExpr,
        right: &AstExpr,
        span: Span,
        input: &Tabular,
    ) -> PResult<TypedExpr> {
        let l = self.expr(left, input)?;
        let r = self.expr(right, input)?;
        use BinaryOp::*;
        match op {
            And | Or => {
                let l = as_bool(l, left.span)?;
                let r = as_bool(r, right.span)?;
                let e = if op == And { l.and(r) } else { l.or(r) };
                Ok(TypedExpr::new(e, KqlType::Bool))
            }
            Add | Sub | Mul | Div | Mod => arithmetic(op, l, r, span),
            Eq | NotEq | Lt | LtEq | Gt | GtEq => compare(op, l, r, span),
            EqTilde | NotEqTilde => {
                let e = st::equals_ci(l.to_text(), r.to_text());
                Ok(bool_result(e, op == NotEqTilde))
            }
            MatchesRegex => {
                let e = st::matches_regex(l.to_text(), r.to_text())
                    .map_err(|e| function_error(e, right.span))?;
                Ok(TypedExpr::new(e, KqlType::Bool))
            }
            _ => {
                let (f, case_sensitive, negated) = string_operator(op);
                let e = f(l.to_text(), r.to_text(), case_sensitive);
                Ok(bool_result(e, negated))
            }
        }
    }

    /// `expr in (…)`, `!in`, `in~`, `!in~`, `has_any`, `has_all`.
    pub(crate) fn list(
        &mut self,
        op: ListOp,
        expr: &AstExpr,
        items: &[AstExpr],
        span: Span,
        input: &Tabular,
    ) -> PResult<TypedExpr> {
        let left = self.expr(expr, input)?;
        // `x in (T | project y)`: a subquery.
        if let [item] = items
            && let ExprKind::Subquery(q) = &item.kind
        {
            if !matches!(op, ListOp::In | ListOp::NotIn) {
                return Err(error(
                    codes::UNSUPPORTED,
                    format!("'{}' with a subquery is not supported", op.as_str()),
                    item.span,
                ));
            }
            let t = self.query(q)?;
            let Some(first) = t.columns.first().cloned() else {
                return Err(error(
                    codes::INVALID_QUERY,
                    "the subquery has no columns",
                    item.span,
                ));
            };
            let plan = t
                .builder()
                .project(vec![crate::tabular::column_ref(&first.name)])
                .or_internal(item.span)?
                .build()
                .or_internal(item.span)?;
            let target = if left.ty == KqlType::Dynamic
                || first.ty != left.ty && first.ty == KqlType::String
            {
                left.convert_to(first.ty)
            } else {
                left.expr.clone()
            };
            let negated = op == ListOp::NotIn;
            let e = Expr::InSubquery(datafusion::logical_expr::expr::InSubquery::new(
                Box::new(target),
                datafusion::logical_expr::Subquery {
                    subquery: std::sync::Arc::new(plan),
                    outer_ref_columns: Vec::new(),
                    spans: Default::default(),
                },
                negated,
            ));
            return Ok(bool_result_with_null(e, negated));
        }
        let mut values: Vec<TypedExpr> = Vec::new();
        for item in items {
            let v = self.expr(item, input)?;
            // A dynamic array among the items stands for its elements.
            if v.ty == KqlType::Dynamic
                && let Some(ScalarValue::Utf8(Some(json))) = constant(&v.expr)
                && let Ok(serde_json::Value::Array(elements)) =
                    serde_json::from_str::<serde_json::Value>(&json)
            {
                for element in elements {
                    values.push(json_element(element));
                }
                continue;
            }
            values.push(v);
        }
        match op {
            ListOp::HasAny | ListOp::HasAll => {
                let terms = values.iter().map(TypedExpr::to_text).collect();
                let e = if op == ListOp::HasAny {
                    st::has_any(left.to_text(), terms)
                } else {
                    st::has_all(left.to_text(), terms)
                };
                Ok(TypedExpr::new(e, KqlType::Bool))
            }
            ListOp::InCi | ListOp::NotInCi => {
                let e = st::in_ci(
                    left.to_text(),
                    values.iter().map(TypedExpr::to_text).collect(),
                );
                Ok(bool_result(e, op == ListOp::NotInCi))
            }
            ListOp::In | ListOp::NotIn => {
                let negated = op == ListOp::NotIn;
                if values.is_empty() {
                    return Ok(TypedExpr::new(lit(negated), KqlType::Bool));
                }
                // Compare in the items' type when the left side is dynamic, else in the left's.
                let target = if left.ty == KqlType::Dynamic {
                    values
                        .iter()
                        .map(|v| v.ty)
                        .find(|t| *t != KqlType::Dynamic)
                        .unwrap_or(KqlType::String)
                } else {
                    left.ty
                };
                let left_expr = convert_for_compare(&left, target, span)?;
                let mut list = Vec::with_capacity(values.len());
                for v in &values {
                    list.push(convert_for_compare(v, target, span)?);
                }
                let e = Expr::InList(datafusion::logical_expr::expr::InList::new(
                    Box::new(left_expr),
                    list,
                    negated,
                ));
                Ok(bool_result_with_null(e, negated))
            }
        }
    }
}

/// A JSON array element as a typed literal, for `x in (dynamic([…]))`.
fn json_element(v: serde_json::Value) -> TypedExpr {
    match v {
        serde_json::Value::Bool(b) => TypedExpr::new(lit(b), KqlType::Bool),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => TypedExpr::new(lit(i), KqlType::Long),
            None => TypedExpr::new(lit(n.as_f64().unwrap_or(f64::NAN)), KqlType::Real),
        },
        serde_json::Value::String(s) => TypedExpr::new(lit(s), KqlType::String),
        serde_json::Value::Null => TypedExpr::new(lit(ScalarValue::Utf8(None)), KqlType::Dynamic),
        other => TypedExpr::new(lit(other.to_string()), KqlType::Dynamic),
    }
}

fn function_error(e: FunctionError, span: Span) -> kql_parser::Diagnostic {
    crate::error::function_error(e, span, &[])
}

/// The string operator function for `op`, whether it is case-sensitive, and whether it is negated.
/// A string operator's implementation: `(left, right, case_sensitive) -> bool`.
type StringOperator = fn(Expr, Expr, bool) -> Expr;

fn string_operator(op: BinaryOp) -> (StringOperator, bool, bool) {
    use BinaryOp::*;
    match op {
        Has => (st::has, false, false),
        NotHas => (st::has, false, true),
        HasCs => (st::has, true, false),
        NotHasCs => (st::has, true, true),
        HasPrefix => (st::hasprefix, false, false),
        NotHasPrefix => (st::hasprefix, false, true),
        HasPrefixCs => (st::hasprefix, true, false),
        NotHasPrefixCs => (st::hasprefix, true, true),
        HasSuffix => (st::hassuffix, false, false),
        NotHasSuffix => (st::hassuffix, false, true),
        HasSuffixCs => (st::hassuffix, true, false),
        NotHasSuffixCs => (st::hassuffix, true, true),
        Contains => (st::contains, false, false),
        NotContains => (st::contains, false, true),
        ContainsCs => (st::contains, true, false),
        NotContainsCs => (st::contains, true, true),
        StartsWith => (st::startswith, false, false),
        NotStartsWith => (st::startswith, false, true),
        StartsWithCs => (st::startswith, true, false),
        NotStartsWithCs => (st::startswith, true, true),
        EndsWith => (st::endswith, false, false),
        NotEndsWith => (st::endswith, false, true),
        EndsWithCs => (st::endswith, true, false),
        _ => (st::endswith, true, true),
    }
}

/// A boolean operand (`and`, `or`, `where`): bool as is, dynamic read as bool.
pub(crate) fn as_bool(v: TypedExpr, span: Span) -> PResult<Expr> {
    match v.ty {
        KqlType::Bool => Ok(v.expr),
        KqlType::Dynamic => Ok(v.convert_to(KqlType::Bool)),
        t => Err(error(
            codes::TYPE_MISMATCH,
            format!("expected a bool, got a {t}"),
            span,
        )),
    }
}

fn bool_result(e: Expr, negated: bool) -> TypedExpr {
    TypedExpr::new(
        if negated { Expr::Not(Box::new(e)) } else { e },
        KqlType::Bool,
    )
}

/// `in`/`!in` give false/true for a null value instead of SQL's null.
fn bool_result_with_null(e: Expr, negated: bool) -> TypedExpr {
    TypedExpr::new(coalesce(vec![e, lit(negated)]), KqlType::Bool)
}

/// The type both sides of a comparison are compared in.
fn comparison_type(l: KqlType, r: KqlType) -> Option<KqlType> {
    use KqlType::*;
    match (l, r) {
        (a, b) if a == b => Some(a),
        (a, b) if a.is_numeric() && b.is_numeric() => KqlType::numeric_join(a, b),
        (Dynamic, t) | (t, Dynamic) => Some(t),
        (String, Guid) | (Guid, String) => Some(String),
        _ => None,
    }
}

fn convert_for_compare(v: &TypedExpr, target: KqlType, span: Span) -> PResult<Expr> {
    if v.ty == target {
        return Ok(v.expr.clone());
    }
    match comparison_type(v.ty, target) {
        Some(_) if v.ty.is_numeric() && target.is_numeric() => {
            Ok(cast(v.expr.clone(), target.to_arrow()))
        }
        Some(_) => Ok(v.convert_to(target)),
        None => Err(error(
            codes::TYPE_MISMATCH,
            format!("cannot compare a {} with a {target}", v.ty),
            span,
        )),
    }
}

/// Whether `v` is a constant non-empty string.
fn non_empty_text(v: &TypedExpr) -> bool {
    v.ty == KqlType::String
        && matches!(
            constant(&v.expr),
            Some(ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s))) if !s.is_empty()
        )
}

/// Comparisons. `==` is false when exactly one side is null and null when both are; `!=` is true
/// when exactly one side is null and null when both are (KQL's rules, unlike SQL's).
fn compare(op: BinaryOp, l: TypedExpr, r: TypedExpr, span: Span) -> PResult<TypedExpr> {
    let Some(ty) = comparison_type(l.ty, r.ty) else {
        let mut d = error(
            codes::TYPE_MISMATCH,
            format!("cannot compare a {} with a {}", l.ty, r.ty),
            span,
        );
        if l.ty == KqlType::Datetime && r.ty == KqlType::String
            || r.ty == KqlType::Datetime && l.ty == KqlType::String
        {
            d = d.with_help("write the date as datetime(2026-01-01)");
        }
        return Err(d);
    };
    let equality = matches!(op, BinaryOp::Eq | BinaryOp::NotEq);
    let (a, b) = match (non_empty_text(&l), non_empty_text(&r)) {
        // `d.key == "x"`: a missing member compares like "" would, so the text needs no
        // `coalesce` (which the simplifier turns into a CASE that parses the JSON twice).
        (false, true) if equality && ty == KqlType::String && l.ty == KqlType::Dynamic => {
            (l.text_or_null(), r.expr.clone())
        }
        (true, false) if equality && ty == KqlType::String && r.ty == KqlType::Dynamic => {
            (l.expr.clone(), r.text_or_null())
        }
        _ => (
            convert_for_compare(&l, ty, span)?,
            convert_for_compare(&r, ty, span)?,
        ),
    };
    let df_op = match op {
        BinaryOp::Eq => DfOp::Eq,
        BinaryOp::NotEq => DfOp::NotEq,
        BinaryOp::Lt => DfOp::Lt,
        BinaryOp::LtEq => DfOp::LtEq,
        BinaryOp::Gt => DfOp::Gt,
        _ => DfOp::GtEq,
    };
    let raw = binary_expr(a.clone(), df_op, b.clone());
    let e = match op {
        BinaryOp::Eq | BinaryOp::NotEq => {
            let one_null_result = op == BinaryOp::NotEq;
            let b_const = constant(&b);
            let a_const = constant(&a);
            match (a_const, b_const) {
                // Against a non-null constant only "one side null" can happen.
                (_, Some(c)) | (Some(c), _) if !c.is_null() => {
                    coalesce(vec![raw, lit(one_null_result)])
                }
                _ => {
                    let both_null = a.clone().is_null().and(b.clone().is_null());
                    let fallback = when(both_null, lit(ScalarValue::Boolean(None)))
                        .otherwise(lit(one_null_result))
                        .or_internal(span)?;
                    coalesce(vec![raw, fallback])
                }
            }
        }
        _ => raw,
    };
    Ok(TypedExpr::new(e, KqlType::Bool))
}

/// `+ - * / %` with KQL's types: integer operations stay integer (`7 / 2` is 3), `%` is never
/// negative, division by zero gives null, and datetimes and timespans combine as KQL allows.
fn arithmetic(op: BinaryOp, l: TypedExpr, r: TypedExpr, span: Span) -> PResult<TypedExpr> {
    use KqlType::*;
    let to_real = |v: &TypedExpr| {
        if v.ty == Dynamic {
            TypedExpr::new(v.convert_to(Real), Real)
        } else {
            v.clone()
        }
    };
    let (l, r) = (to_real(&l), to_real(&r));
    let mismatch = || {
        let mut d = error(
            codes::TYPE_MISMATCH,
            format!(
                "cannot apply '{}' to a {} and a {}",
                op.as_str(),
                l.ty,
                r.ty
            ),
            span,
        );
        if op == BinaryOp::Add && (l.ty == String || r.ty == String) {
            d = d.with_help("use strcat() to join strings");
        }
        d
    };
    if let Some(ty) = KqlType::numeric_join(l.ty, r.ty) {
        let a = cast_if(l.expr.clone(), l.ty, ty);
        let b = cast_if(r.expr.clone(), r.ty, ty);
        let e = match op {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div if ty == Real => a / b,
            BinaryOp::Div => a / nullif(b, zero(ty)),
            _ => {
                // KQL's modulo is never negative: -14 % 12 is 10.
                let m = a % nullif(b.clone(), zero(ty));
                when(
                    m.clone().lt(zero(ty)),
                    m.clone() + datafusion::functions::expr_fn::abs(b),
                )
                .otherwise(m)
                .or_internal(span)?
            }
        };
        return Ok(TypedExpr::new(e, ty));
    }
    let e = match (op, l.ty, r.ty) {
        (BinaryOp::Sub, Datetime, Datetime) => {
            return Ok(TypedExpr::new(l.expr - r.expr, Timespan));
        }
        (BinaryOp::Add | BinaryOp::Sub, Datetime, Timespan) => {
            let e = if op == BinaryOp::Add {
                l.expr + r.expr
            } else {
                l.expr - r.expr
            };
            return Ok(TypedExpr::new(e, Datetime));
        }
        (BinaryOp::Add, Timespan, Datetime) => {
            return Ok(TypedExpr::new(r.expr + l.expr, Datetime));
        }
        (BinaryOp::Add, Timespan, Timespan) => l.expr + r.expr,
        (BinaryOp::Sub, Timespan, Timespan) => l.expr - r.expr,
        (BinaryOp::Mul, Timespan, n) if n.is_numeric() => dt::timespan_mul(l.expr, r.expr, n),
        (BinaryOp::Mul, n, Timespan) if n.is_numeric() => dt::timespan_mul(r.expr, l.expr, n),
        (BinaryOp::Div, Timespan, n) if n.is_numeric() => dt::timespan_div(l.expr, r.expr, n),
        (BinaryOp::Div, Timespan, Timespan) => {
            return Ok(TypedExpr::new(dt::timespan_ratio(l.expr, r.expr), Real));
        }
        (BinaryOp::Mod, Timespan, Timespan) => {
            let a = cast(l.expr, Long.to_arrow());
            let b = cast(r.expr, Long.to_arrow());
            cast(a % nullif(b, lit(0i64)), Timespan.to_arrow())
        }
        _ => return Err(mismatch()),
    };
    Ok(TypedExpr::new(e, Timespan))
}

fn cast_if(e: Expr, from: KqlType, to: KqlType) -> Expr {
    if from == to {
        e
    } else {
        cast(e, to.to_arrow())
    }
}

fn zero(ty: KqlType) -> Expr {
    match ty {
        KqlType::Int => lit(0i32),
        KqlType::Long => lit(0i64),
        KqlType::Decimal => cast(lit(0i64), ty.to_arrow()),
        _ => lit(0.0f64),
    }
}
