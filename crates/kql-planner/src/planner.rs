//! The planner: statements in order, each query statement to a [`PlannedQuery`].

use std::rc::Rc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, LogicalPlan};
use kql_functions::{KqlType, LowerContext, Registry, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{
    Expr as AstExpr, ExprKind, Function, Let, LetValue, Param, ParamType, Script, Set,
    StatementKind,
};

use crate::error::{PResult, codes, error};
use crate::scope::{Binding, Scopes};
use crate::{Catalog, KqlColumn, Tabular};

/// An aggregate found while lowering a `summarize` item.
#[derive(Clone, Debug)]
pub(crate) struct SinkAggregate {
    /// The DataFusion aggregate expression.
    pub(crate) expr: Expr,
    /// The internal column it is computed into.
    pub(crate) alias: String,
    /// The KQL function, for its value over no rows.
    pub(crate) function: String,
    /// Its result type.
    pub(crate) ty: KqlType,
}

/// One tabular result of a query text: what to run and what it returns.
#[derive(Clone, Debug)]
pub struct PlannedQuery {
    /// The plan to execute.
    pub plan: LogicalPlan,
    /// The result's columns with their KQL types.
    pub columns: Vec<KqlColumn>,
    /// The result's table name: `PrimaryResult` for the first unnamed result, `Table_N` for the
    /// others, or the name given by `as`.
    pub name: String,
    /// The statement's text.
    pub span: Span,
}

/// Plans query texts against a catalog.
pub struct Planner<'a> {
    pub(crate) catalog: &'a dyn Catalog,
    pub(crate) registry: &'a Registry,
    pub(crate) ctx: LowerContext,
    pub(crate) scopes: Scopes,
    /// The name `as` gave the result being planned.
    pub(crate) result_name: Option<String>,
    /// Aggregates found while lowering a `summarize` item.
    pub(crate) aggregate_sink: Option<Vec<SinkAggregate>>,
    /// Window functions (`prev`, `row_cumsum`, …) found while lowering an `extend` item: each
    /// window expression with the name of the column that holds its result.
    pub(crate) window_sink: Option<Vec<crate::expr::PendingWindow>>,
}

impl<'a> Planner<'a> {
    /// A planner over `catalog`, with `now()` fixed at `now_nanos` (nanoseconds since the Unix
    /// epoch) unless the query sets `query_now`.
    pub fn new(catalog: &'a dyn Catalog, registry: &'a Registry, now_nanos: i64) -> Self {
        Self {
            catalog,
            registry,
            ctx: LowerContext { now_nanos },
            scopes: Scopes::new(),
            result_name: None,
            aggregate_sink: None,
            window_sink: None,
        }
    }

    /// Plans every statement; returns one [`PlannedQuery`] per tabular statement, in order.
    pub fn plan_script(&mut self, script: &Script) -> PResult<Vec<PlannedQuery>> {
        let mut results = Vec::new();
        for statement in &script.statements {
            match &statement.kind {
                StatementKind::Let(l) => self.bind_let(l)?,
                StatementKind::Set(s) => self.set(s)?,
                StatementKind::DeclareQueryParameters(params) => self.declare(params)?,
                StatementKind::Query(q) => {
                    self.result_name = None;
                    let tabular = self.query(q)?;
                    let name = self.result_name.take().unwrap_or_else(|| {
                        if results.is_empty() {
                            "PrimaryResult".to_string()
                        } else {
                            format!("Table_{}", results.len())
                        }
                    });
                    results.push(PlannedQuery {
                        plan: tabular.plan,
                        columns: tabular.columns,
                        name,
                        span: statement.span,
                    });
                }
            }
        }
        if results.is_empty() {
            return Err(error(
                codes::INVALID_QUERY,
                "the query has no tabular statement to return",
                script.span,
            )
            .with_help("end the query with a tabular expression, e.g. `T | take 10`"));
        }
        Ok(results)
    }

    /// `let name = value`.
    pub(crate) fn bind_let(&mut self, l: &Let) -> PResult<()> {
        let binding = match &l.value {
            LetValue::Function(f) => Binding::Function(Rc::new(f.clone())),
            LetValue::Query(q) => Binding::Tabular(self.query(q)?),
            LetValue::Expr(e) => match self.tabular_name_or_call(e)? {
                Some(t) => Binding::Tabular(t),
                None => Binding::Scalar(self.expr(e, &Tabular::empty())?),
            },
        };
        self.scopes.bind(&l.name.name, binding);
        Ok(())
    }

    /// If `e` is a bare name or call that denotes a table, its plan.
    pub(crate) fn tabular_name_or_call(&mut self, e: &AstExpr) -> PResult<Option<Tabular>> {
        match &e.kind {
            ExprKind::Name(id) => {
                if matches!(self.scopes.get(&id.name), Some(Binding::Tabular(_)))
                    || (self.scopes.get(&id.name).is_none()
                        && self.catalog.table(&id.name).is_some())
                {
                    return self.table(id).map(Some);
                }
                Ok(None)
            }
            ExprKind::Call(call) => match self.scopes.get(&call.name.name) {
                Some(Binding::Function(f)) if self.is_tabular_function(f) => {
                    let f = Rc::clone(f);
                    self.call_tabular_function(&f, call, e.span).map(Some)
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// `set option = value`: `query_now` fixes `now()`; other options do not change results.
    fn set(&mut self, s: &Set) -> PResult<()> {
        if s.name.name != "query_now" {
            return Ok(());
        }
        let Some(value) = &s.value else {
            return Err(error(
                codes::INVALID_VALUE,
                "query_now needs a datetime value",
                s.name.span,
            ));
        };
        let lowered = self.expr(value, &Tabular::empty())?;
        match (&lowered.ty, crate::expr::constant(&lowered.expr)) {
            (KqlType::Datetime, Some(ScalarValue::TimestampNanosecond(Some(ns), _))) => {
                self.ctx.now_nanos = ns;
                Ok(())
            }
            _ => Err(error(
                codes::INVALID_VALUE,
                "query_now must be a constant datetime, e.g. datetime(2026-01-01)",
                value.span,
            )),
        }
    }

    /// `declare query_parameters(…)`: each parameter is bound to its default value.
    fn declare(&mut self, params: &[Param]) -> PResult<()> {
        for p in params {
            let Some(default) = &p.default else {
                return Err(error(
                    codes::INVALID_QUERY,
                    format!("query parameter '{}' has no value", p.name.name),
                    p.name.span,
                )
                .with_help("give it a default value: `name: type = value`"));
            };
            let value = self.expr(default, &Tabular::empty())?;
            let value = match &p.ty {
                ParamType::Scalar(t) => {
                    let ty = KqlType::from_scalar_type(t.ty);
                    TypedExpr::new(value.convert_to(ty), ty)
                }
                ParamType::Tabular { .. } => {
                    return Err(error(
                        codes::UNSUPPORTED,
                        "tabular query parameters are not supported",
                        p.name.span,
                    ));
                }
            };
            self.scopes.bind(&p.name.name, Binding::Scalar(value));
        }
        Ok(())
    }

    /// Binds a function's parameters to the call's arguments and runs `f` in that scope.
    pub(crate) fn with_function_scope<T>(
        &mut self,
        function: &Function,
        call: &kql_parser::ast::Call,
        call_span: Span,
        input: &Tabular,
        body: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        if call.args.len() > function.params.len() {
            return Err(error(
                codes::BAD_ARGUMENTS,
                format!(
                    "{}() takes {} argument{}, got {}",
                    call.name.name,
                    function.params.len(),
                    if function.params.len() == 1 { "" } else { "s" },
                    call.args.len()
                ),
                call_span,
            ));
        }
        let mut bindings = Vec::new();
        for (i, param) in function.params.iter().enumerate() {
            let arg = call
                .args
                .iter()
                .find(|a| a.name.as_ref().is_some_and(|n| n.name == param.name.name))
                .or_else(|| call.args.get(i).filter(|a| a.name.is_none()));
            let binding = match (&param.ty, arg) {
                (ParamType::Tabular { .. }, Some(arg)) => match &arg.value.kind {
                    ExprKind::Name(id) => Binding::Tabular(self.table(id)?),
                    ExprKind::Subquery(q) => Binding::Tabular(self.query(q)?),
                    _ => {
                        return Err(error(
                            codes::TYPE_MISMATCH,
                            format!("parameter '{}' takes a table", param.name.name),
                            arg.value.span,
                        ));
                    }
                },
                (ParamType::Scalar(t), Some(arg)) => {
                    let ty = KqlType::from_scalar_type(t.ty);
                    let value = self.expr(&arg.value, input)?;
                    Binding::Scalar(TypedExpr::new(value.convert_to(ty), ty))
                }
                (ParamType::Scalar(t), None) => match &param.default {
                    Some(default) => {
                        let ty = KqlType::from_scalar_type(t.ty);
                        let value = self.expr(default, &Tabular::empty())?;
                        Binding::Scalar(TypedExpr::new(value.convert_to(ty), ty))
                    }
                    None => {
                        return Err(error(
                            codes::BAD_ARGUMENTS,
                            format!(
                                "{}() needs a value for '{}'",
                                call.name.name, param.name.name
                            ),
                            call_span,
                        ));
                    }
                },
                (ParamType::Tabular { .. }, None) => {
                    return Err(error(
                        codes::BAD_ARGUMENTS,
                        format!(
                            "{}() needs a table for '{}'",
                            call.name.name, param.name.name
                        ),
                        call_span,
                    ));
                }
            };
            bindings.push((param.name.name.clone(), binding));
        }
        self.scopes.push();
        for (name, binding) in bindings {
            self.scopes.bind(&name, binding);
        }
        let result = (|| {
            for l in &function.lets {
                self.bind_let(l)?;
            }
            body(self)
        })();
        self.scopes.pop();
        result
    }

    /// Calls a user function whose body is tabular.
    pub(crate) fn call_tabular_function(
        &mut self,
        function: &Function,
        call: &kql_parser::ast::Call,
        span: Span,
    ) -> PResult<Tabular> {
        self.with_function_scope(function, call, span, &Tabular::empty(), |p| match function
            .body
            .as_ref()
        {
            LetValue::Query(q) => p.query(q),
            LetValue::Expr(e) => match p.tabular_name_or_call(e)? {
                Some(t) => Ok(t),
                None => Err(error(
                    codes::TYPE_MISMATCH,
                    "the function does not return a table",
                    e.span,
                )),
            },
            LetValue::Function(f) => Err(error(
                codes::UNSUPPORTED,
                "a function cannot return a function",
                f.span,
            )),
        })
    }
}

impl Planner<'_> {
    /// Whether calling `f` gives a table: its body is a query or a table parameter
    /// ([`FunctionExt::body_is_tabular`]), or names a table or tabular `let`, or calls another
    /// function that gives a table (`let g = (n:long) { f(1, n) }`).
    pub(crate) fn is_tabular_function(&self, f: &Function) -> bool {
        self.is_tabular_function_at(f, 0)
    }

    fn is_tabular_function_at(&self, f: &Function, depth: usize) -> bool {
        if f.body_is_tabular() {
            return true;
        }
        let LetValue::Expr(e) = f.body.as_ref() else {
            return false;
        };
        let is_param = |name: &str| f.params.iter().any(|p| p.name.name == name);
        match &e.kind {
            ExprKind::Name(id) if !is_param(&id.name) => match self.scopes.get(&id.name) {
                Some(Binding::Tabular(_)) => true,
                None => self.catalog.table(&id.name).is_some(),
                _ => false,
            },
            ExprKind::Call(call) if depth < 64 => match self.scopes.get(&call.name.name) {
                Some(Binding::Function(g)) => self.is_tabular_function_at(g, depth + 1),
                _ => false,
            },
            _ => false,
        }
    }
}

/// Whether a function's body is a tabular expression.
pub(crate) trait FunctionExt {
    fn body_is_tabular(&self) -> bool;
}

impl FunctionExt for Function {
    fn body_is_tabular(&self) -> bool {
        match self.body.as_ref() {
            LetValue::Query(_) => true,
            // A bare name is tabular when it names a table parameter (or in a view).
            LetValue::Expr(e) => match &e.kind {
                ExprKind::Name(id) => {
                    self.is_view
                        || self.params.iter().any(|p| {
                            p.name.name == id.name && matches!(p.ty, ParamType::Tabular { .. })
                        })
                }
                _ => false,
            },
            LetValue::Function(_) => false,
        }
    }
}
