//! Calls: built-in functions through the registry, user functions by inlining, `toscalar`, and
//! aggregates (inside `summarize` only).

use std::rc::Rc;
use std::sync::Arc;

use datafusion::logical_expr::{Expr, Subquery};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{Call, ExprKind, LetValue};

use crate::Tabular;
use crate::error::{OrInternal, PResult, codes, error, function_error};
use crate::planner::Planner;
use crate::scope::Binding;
use crate::tabular::column_ref;

impl Planner<'_> {
    pub(crate) fn call(&mut self, call: &Call, span: Span, input: &Tabular) -> PResult<TypedExpr> {
        let name = call.name.name.as_str();
        if let Some(Binding::Function(f)) = self.scopes.get(name) {
            let f = Rc::clone(f);
            return self.with_function_scope(&f, call, span, input, |p| match f.body.as_ref() {
                LetValue::Expr(e) => p.expr(e, input),
                LetValue::Query(_) | LetValue::Function(_) => Err(error(
                    codes::TYPE_MISMATCH,
                    format!("'{name}' returns a table; use it as a tabular source"),
                    span,
                )),
            });
        }
        match name {
            "toscalar" => return self.toscalar(call, span),
            // `column_names_of(T)`: the names of a table's columns, as a `dynamic` array.
            "column_names_of" => {
                let [arg] = call.args.as_slice() else {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        "column_names_of() takes one table",
                        span,
                    ));
                };
                let Some(table) = self.tabular_name_or_call(&arg.value)? else {
                    return Err(error(
                        codes::TYPE_MISMATCH,
                        "column_names_of() takes a table, a tabular let or a call of a tabular function",
                        arg.value.span,
                    ));
                };
                let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
                let json = serde_json::Value::from(names).to_string();
                return Ok(TypedExpr::new(
                    datafusion::prelude::lit(json),
                    KqlType::Dynamic,
                ));
            }
            // `extract(regex, group, text, typeof(T))`, `percentile_tdigest(d, p, typeof(T))`:
            // the value without the last argument, converted to T.
            _ if TYPED_RESULT.contains(&(name, call.args.len())) => {
                let target = &call.args[call.args.len() - 1].value;
                let Some(ty) = type_of_arg(target) else {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        format!("{name}()'s last argument must be typeof(<type>)"),
                        target.span,
                    ));
                };
                let mut value_call = call.clone();
                value_call.args.pop();
                let value = self.call(&value_call, span, input)?;
                return Ok(TypedExpr::new(value.convert_to(ty), ty));
            }
            "not" => {
                let [arg] = call.args.as_slice() else {
                    return Err(error(codes::BAD_ARGUMENTS, "not() takes 1 argument", span));
                };
                let v = self.expr(&arg.value, input)?;
                let b = super::binary::as_bool(v, arg.value.span)?;
                return Ok(TypedExpr::new(Expr::Not(Box::new(b)), KqlType::Bool));
            }
            _ => {}
        }
        if super::WINDOW_FUNCTIONS.contains(&name) {
            return self.window_call(call, span, input);
        }
        // A name that is both (`hll_merge(s)` merges a column's sketches in summarize, and
        // `hll_merge(s1, s2)` two sketches anywhere) is the aggregate where one can stand.
        let aggregate_here = self.registry.scalar(name).is_none()
            || (self.aggregate_sink.is_some() && call.args.len() == 1);
        if self.registry.aggregate(name).is_some() && aggregate_here {
            return self.aggregate_call(call, span, input);
        }
        let (args, spans) = self.lower_args(call, input)?;
        let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
        let resolved = self
            .registry
            .resolve_scalar(name, &types)
            .map_err(|e| function_error(e, call.name.span, &spans))?;
        self.registry
            .lower_scalar(&resolved, &self.ctx, args)
            .map_err(|e| function_error(e, span, &spans))
    }

    /// An aggregate call: lowered into the `summarize` being planned, and replaced by a
    /// reference to its result column.
    fn aggregate_call(&mut self, call: &Call, span: Span, input: &Tabular) -> PResult<TypedExpr> {
        let name = call.name.name.as_str();
        if self.aggregate_sink.is_none() {
            return Err(error(
                codes::INVALID_QUERY,
                format!("{name}() is an aggregate function: use it in summarize"),
                span,
            ));
        }
        // Arguments are evaluated per row, outside the aggregation.
        let sink = self.aggregate_sink.take();
        let lowered = (|| {
            let (args, spans) = self.lower_args(call, input)?;
            let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
            let resolved = self
                .registry
                .resolve_aggregate(name, &types)
                .map_err(|e| function_error(e, call.name.span, &spans))?;
            self.registry
                .lower_aggregate(&resolved, &self.ctx, args)
                .map_err(|e| function_error(e, span, &spans))
        })();
        self.aggregate_sink = sink;
        let lowered = lowered?;
        let Some(sink) = self.aggregate_sink.as_mut() else {
            return Err(error(codes::INTERNAL, "aggregate outside summarize", span));
        };
        let alias = format!("__kql_agg{}", sink.len());
        sink.push(crate::planner::SinkAggregate {
            expr: lowered.expr,
            alias: alias.clone(),
            function: name.to_string(),
            ty: lowered.ty,
        });
        Ok(TypedExpr::new(column_ref(&alias), lowered.ty))
    }

    /// The arguments of a built-in call, lowered, with their spans for error messages. Built-ins
    /// take neither named arguments nor `*` (the functions that take `*` are planned apart).
    fn lower_args(&mut self, call: &Call, input: &Tabular) -> PResult<(Vec<TypedExpr>, Vec<Span>)> {
        let name = call.name.name.as_str();
        let mut args = Vec::with_capacity(call.args.len());
        let mut spans = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            if let Some(n) = &arg.name {
                return Err(error(
                    codes::BAD_ARGUMENTS,
                    format!("{name}() does not take named arguments ('{}')", n.name),
                    n.span,
                ));
            }
            if matches!(arg.value.kind, ExprKind::Star) {
                return Err(error(
                    codes::BAD_ARGUMENTS,
                    format!("{name}() does not take '*'"),
                    arg.value.span,
                ));
            }
            args.push(self.expr(&arg.value, input)?);
            spans.push(arg.value.span);
        }
        Ok((args, spans))
    }

    /// `toscalar(query)`: the first column of the first row.
    fn toscalar(&mut self, call: &Call, span: Span) -> PResult<TypedExpr> {
        let [arg] = call.args.as_slice() else {
            return Err(error(
                codes::BAD_ARGUMENTS,
                "toscalar() takes 1 argument",
                span,
            ));
        };
        let t = match &arg.value.kind {
            ExprKind::Subquery(q) => self.query(q)?,
            ExprKind::Name(id) => self.table(id)?,
            _ => {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    "toscalar() takes a tabular expression",
                    arg.value.span,
                ));
            }
        };
        let Some(first) = t.columns.first().cloned() else {
            return Err(error(
                codes::INVALID_QUERY,
                "toscalar() of a table with no columns",
                span,
            ));
        };
        let plan = t
            .builder()
            .project(vec![column_ref(&first.name)])
            .or_internal(span)?
            .limit(0, Some(1))
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let e = Expr::ScalarSubquery(Subquery {
            subquery: Arc::new(plan),
            outer_ref_columns: Vec::new(),
            spans: Default::default(),
        });
        Ok(TypedExpr::new(e, first.ty))
    }
}

/// Functions whose call with this many arguments ends in `typeof(T)`, the type to convert the
/// value of the call without it to.
const TYPED_RESULT: &[(&str, usize)] = &[("extract", 4), ("percentile_tdigest", 3)];

/// The type of a `typeof(T)` argument.
fn type_of_arg(e: &kql_parser::ast::Expr) -> Option<KqlType> {
    let ExprKind::Call(c) = &e.kind else {
        return None;
    };
    let [arg] = c.args.as_slice() else {
        return None;
    };
    match &arg.value.kind {
        ExprKind::Name(id) if c.name.name == "typeof" => {
            kql_parser::ast::ScalarType::from_name(&id.name).map(KqlType::from_scalar_type)
        }
        _ => None,
    }
}
