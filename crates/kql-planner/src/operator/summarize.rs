//! `summarize`: group keys first, then aggregates. An aggregate may sit inside a scalar
//! expression (`summarize round(avg(x), 2)`): the aggregates are computed by one DataFusion
//! `Aggregate`, and the expressions around them by a projection after it.

use datafusion::logical_expr::Expr;
use datafusion::prelude::{coalesce, lit};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{Call, ExprKind, Literal, NamedExpr, Summarize};

use crate::error::{OrInternal, PResult, codes, error, function_error};
use crate::expr::finish;
use crate::naming::{Namer, derived_name};
use crate::planner::{Planner, SinkAggregate};
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// One output column of the aggregate part: its name and the expression over aggregate results.
struct Output {
    name: String,
    value: TypedExpr,
}

impl Planner<'_> {
    pub(super) fn summarize(
        &mut self,
        s: &Summarize,
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let schema = input.plan.schema().clone();
        let mut namer = Namer::default();
        let mut group_exprs = Vec::new();
        let mut key_columns = Vec::new();
        for key in &s.by {
            let v = self.expr(&key.expr, &input)?;
            if v.ty == KqlType::Dynamic {
                // Grouping compares the JSON text, as KQL compares dynamic values.
            }
            let name = namer.name_item(key, true, "summarize by")?;
            group_exprs.push(finish(&v, &schema).alias(&name));
            key_columns.push(KqlColumn::new(name, v.ty));
        }
        let mut aggregates: Vec<SinkAggregate> = Vec::new();
        let mut outputs: Vec<Output> = Vec::new();
        for item in &s.aggregates {
            if let ExprKind::Call(call) = &item.expr.kind {
                match call.name.name.as_str() {
                    "arg_max" | "arg_min" => {
                        self.arg_extreme(
                            call,
                            item,
                            &input,
                            &key_columns,
                            &mut aggregates,
                            &mut outputs,
                            &mut namer,
                        )?;
                        continue;
                    }
                    "percentiles" | "percentilesw" | "percentiles_array" | "percentilesw_array" => {
                        self.percentiles(
                            call,
                            item,
                            &input,
                            &mut aggregates,
                            &mut outputs,
                            &mut namer,
                        )?;
                        continue;
                    }
                    _ => {}
                }
            }
            let before = aggregates.len();
            self.aggregate_sink = Some(std::mem::take(&mut aggregates));
            let lowered = self.expr(&item.expr, &input);
            aggregates = self.aggregate_sink.take().unwrap_or_default();
            let value = lowered?;
            let refs = value.expr.column_refs();
            if aggregates.len() == before {
                return Err(error(
                    codes::INVALID_QUERY,
                    "each summarize item needs an aggregate function, such as count() or sum(x)",
                    item.expr.span,
                ));
            }
            if let Some(c) = refs.iter().find(|c| !c.name.starts_with("__kql_agg")) {
                return Err(error(
                    codes::INVALID_QUERY,
                    format!(
                        "column '{}' must be inside an aggregate function or in 'by'",
                        c.name
                    ),
                    item.expr.span,
                ));
            }
            let name = match item.names.as_slice() {
                [] => self.aggregate_name(&item.expr, &mut namer),
                [n] => {
                    namer.claim_exact(&n.name);
                    n.name.clone()
                }
                _ => {
                    return Err(error(
                        codes::INVALID_QUERY,
                        "tuple names are for arg_max, arg_min and percentiles",
                        item.span,
                    ));
                }
            };
            outputs.push(Output { name, value });
        }
        let agg_exprs: Vec<Expr> = aggregates
            .iter()
            .map(|a| a.expr.clone().alias(&a.alias))
            .collect();
        let aggregated = input
            .builder()
            .aggregate(group_exprs, agg_exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        // KQL's values over no rows: 0 for counts, sums and spreads, [] for make_*, else null.
        let mut defaults: Vec<Expr> = key_columns.iter().map(|k| column_ref(&k.name)).collect();
        for a in &aggregates {
            let value = column_ref(&a.alias);
            defaults.push(match empty_default(&a.function, a.ty) {
                Some(d) => coalesce(vec![value, d]).alias(&a.alias),
                None => value,
            });
        }
        let aggregated = datafusion::logical_expr::LogicalPlanBuilder::from(aggregated)
            .project(defaults)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        let agg_schema = aggregated.schema().clone();
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for k in &key_columns {
            exprs.push(column_ref(&k.name));
            columns.push(k.clone());
        }
        for o in &outputs {
            exprs.push(finish(&o.value, &agg_schema).alias(&o.name));
            columns.push(KqlColumn::new(o.name.clone(), o.value.ty));
        }
        let plan = datafusion::logical_expr::LogicalPlanBuilder::from(aggregated)
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }

    /// The default name of an unnamed aggregate item: the function's pattern (`avg_{}`,
    /// `percentile_{}_{1}`) with its first argument's name and second argument's value (or
    /// name, for `covariance_{}_{1}`), else
    /// `ColumnN`.
    fn aggregate_name(&self, e: &kql_parser::ast::Expr, namer: &mut Namer) -> String {
        let ExprKind::Call(call) = &e.kind else {
            return namer.column();
        };
        let Some(f) = self.registry.aggregate(&call.name.name) else {
            return namer.column();
        };
        let arg = call
            .args
            .first()
            .and_then(|a| derived_name(&a.value, false))
            .unwrap_or_default();
        let second = call
            .args
            .get(1)
            .map(|a| match percentile_suffix(&a.value) {
                // `covariance(x, y)`: a column's name where `percentile(x, 95)` has a number.
                s if s.is_empty() => derived_name(&a.value, false).unwrap_or_default(),
                s => s,
            })
            .unwrap_or_default();
        let third = call
            .args
            .get(2)
            .map(|a| percentile_suffix(&a.value))
            .unwrap_or_default();
        let name = f
            .column_name
            .replace("{}", &arg)
            .replace("{1}", &second)
            .replace("{2}", &third);
        namer.claim(&name)
    }

    /// `arg_max(by, col, …)` / `arg_min`: the `by` value and the other columns at the row where
    /// `by` is largest (smallest); `*` stands for every column not in `by` of summarize.
    #[allow(clippy::too_many_arguments)]
    fn arg_extreme(
        &mut self,
        call: &Call,
        item: &NamedExpr,
        input: &Tabular,
        keys: &[KqlColumn],
        aggregates: &mut Vec<SinkAggregate>,
        outputs: &mut Vec<Output>,
        namer: &mut Namer,
    ) -> PResult<()> {
        let max = call.name.name == "arg_max";
        let Some((by_arg, rest)) = call.args.split_first() else {
            return Err(error(
                codes::BAD_ARGUMENTS,
                format!("{}() needs the expression to maximize", call.name.name),
                item.span,
            ));
        };
        if rest.is_empty() {
            return Err(error(
                codes::BAD_ARGUMENTS,
                format!("{}() needs the columns to return, or *", call.name.name),
                item.span,
            ));
        }
        let by = self.expr(&by_arg.value, input)?;
        let by_name = derived_name(&by_arg.value, false);
        let mut values: Vec<(Option<String>, TypedExpr)> = Vec::new();
        for arg in rest {
            if matches!(arg.value.kind, ExprKind::Star) {
                for c in &input.columns {
                    let is_key = keys.iter().any(|k| k.name == c.name);
                    if !is_key && Some(&c.name) != by_name.as_ref() {
                        values.push((
                            Some(c.name.clone()),
                            TypedExpr::new(column_ref(&c.name), c.ty),
                        ));
                    }
                }
            } else {
                values.push((
                    derived_name(&arg.value, false),
                    self.expr(&arg.value, input)?,
                ));
            }
        }
        let mut explicit = item.names.iter().map(|n| n.name.clone());
        let function = call.name.name.clone();
        let mut push =
            |name: String, expr: Expr, ty: KqlType, aggregates: &mut Vec<SinkAggregate>| {
                let alias = format!("__kql_agg{}", aggregates.len());
                aggregates.push(SinkAggregate {
                    expr,
                    alias: alias.clone(),
                    function: function.clone(),
                    ty,
                });
                outputs.push(Output {
                    name,
                    value: TypedExpr::new(column_ref(&alias), ty),
                });
            };
        let by_out = match explicit.next() {
            Some(n) => n,
            None => match &by_name {
                Some(n) => namer.claim(n),
                None => namer.claim(if max { "max_" } else { "min_" }),
            },
        };
        let by_agg = if max {
            datafusion::functions_aggregate::expr_fn::max(by.expr.clone())
        } else {
            datafusion::functions_aggregate::expr_fn::min(by.expr.clone())
        };
        push(by_out, by_agg, by.ty, aggregates);
        for (name, value) in values {
            let out = match explicit.next() {
                Some(n) => n,
                None => match name {
                    Some(n) => namer.claim(&n),
                    None => namer.column(),
                },
            };
            let ty = value.ty;
            let e = kql_functions::aggregate::arg_extreme(by.clone(), value, max);
            push(out, e, ty, aggregates);
        }
        Ok(())
    }

    /// `percentiles(x, p1, p2, …)` and `percentilesw(x, weight, p1, p2, …)`: one column per
    /// percentile; `percentiles_array` and `percentilesw_array` (whose percentiles may also be one
    /// `dynamic` array): one column holding the array of them.
    fn percentiles(
        &mut self,
        call: &Call,
        item: &NamedExpr,
        input: &Tabular,
        aggregates: &mut Vec<SinkAggregate>,
        outputs: &mut Vec<Output>,
        namer: &mut Namer,
    ) -> PResult<()> {
        let weighted = call.name.name.starts_with("percentilesw");
        let as_array = call.name.name.ends_with("_array");
        let (value_arg, weight_arg, ps) = match (weighted, call.args.as_slice()) {
            (false, [value, ps @ ..]) if !ps.is_empty() => (value, None, ps),
            (true, [value, weight, ps @ ..]) if !ps.is_empty() => (value, Some(weight), ps),
            _ => {
                return Err(error(
                    codes::BAD_ARGUMENTS,
                    format!(
                        "{}() needs a value{} and percentiles",
                        call.name.name,
                        if weighted { ", a weight" } else { "" }
                    ),
                    item.span,
                ));
            }
        };
        let value = self.expr(&value_arg.value, input)?;
        let weight = match weight_arg {
            Some(w) => Some(self.expr(&w.value, input)?),
            None => None,
        };
        let base = derived_name(&value_arg.value, false).unwrap_or_default();
        let mut explicit = item.names.iter().map(|n| n.name.clone());
        // Each percentile with its span and column-name suffix; a `dynamic` array of them (the
        // array forms) gives one per element.
        let mut percents: Vec<(TypedExpr, Span, String)> = Vec::new();
        for p in ps {
            let pv = self.expr(&p.value, input)?;
            if as_array && pv.ty == KqlType::Dynamic {
                let numbers: Option<Vec<f64>> = match crate::expr::constant(&pv.expr) {
                    Some(datafusion::common::ScalarValue::Utf8(Some(text))) => {
                        serde_json::from_str::<Vec<serde_json::Value>>(&text)
                            .ok()
                            .and_then(|xs| xs.iter().map(serde_json::Value::as_f64).collect())
                    }
                    _ => None,
                };
                let Some(numbers) = numbers else {
                    return Err(error(
                        codes::INVALID_VALUE,
                        "the percentiles must be a constant array of numbers",
                        p.value.span,
                    ));
                };
                for n in numbers {
                    let suffix = n.to_string().replace('.', "_");
                    percents.push((
                        TypedExpr::new(datafusion::prelude::lit(n), KqlType::Real),
                        p.value.span,
                        suffix,
                    ));
                }
            } else {
                percents.push((pv, p.value.span, percentile_suffix(&p.value)));
            }
        }
        let mut array_items: Vec<TypedExpr> = Vec::new();
        for (pv, p_span, suffix) in percents {
            let (function, args) = match &weight {
                Some(w) => ("percentilew", vec![value.clone(), w.clone(), pv]),
                None => ("percentile", vec![value.clone(), pv]),
            };
            let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
            let mut spans = vec![value_arg.value.span];
            spans.extend(weight_arg.map(|w| w.value.span));
            spans.push(p_span);
            let resolved = self
                .registry
                .resolve_aggregate(function, &types)
                .map_err(|e| function_error(e, call.name.span, &spans))?;
            let lowered = self
                .registry
                .lower_aggregate(&resolved, &self.ctx, args)
                .map_err(|e| function_error(e, p_span, &[]))?;
            let alias = format!("__kql_agg{}", aggregates.len());
            aggregates.push(SinkAggregate {
                expr: lowered.expr,
                alias: alias.clone(),
                function: "percentile".into(),
                ty: lowered.ty,
            });
            let value = TypedExpr::new(column_ref(&alias), lowered.ty);
            if as_array {
                array_items.push(value);
                continue;
            }
            let name = explicit
                .next()
                .unwrap_or_else(|| namer.claim(&format!("percentile_{base}_{suffix}")));
            outputs.push(Output { name, value });
        }
        if as_array {
            let types: Vec<KqlType> = array_items.iter().map(|a| a.ty).collect();
            let resolved = self
                .registry
                .resolve_scalar("pack_array", &types)
                .map_err(|e| function_error(e, call.name.span, &[]))?;
            let value = self
                .registry
                .lower_scalar(&resolved, &self.ctx, array_items)
                .map_err(|e| function_error(e, call.name.span, &[]))?;
            let name = explicit
                .next()
                .unwrap_or_else(|| namer.claim(&format!("percentile_{base}")));
            outputs.push(Output { name, value });
        }
        Ok(())
    }
}

/// The value of an aggregate over no rows, where it is not null (summarize-operator.md, "Default
/// values of aggregations").
fn empty_default(function: &str, ty: KqlType) -> Option<Expr> {
    const ZERO: &[&str] = &[
        "count",
        "countif",
        "dcount",
        "dcountif",
        "count_distinct",
        "sum",
        "sumif",
        "variance",
        "varianceif",
        "stdev",
        "stdevif",
    ];
    const EMPTY_ARRAY: &[&str] = &[
        "make_bag",
        "make_bag_if",
        "make_list",
        "make_list_if",
        "make_set",
        "make_set_if",
    ];
    if ZERO.contains(&function) {
        Some(match ty {
            KqlType::Int => lit(0i32),
            KqlType::Real => lit(0.0f64),
            KqlType::Timespan => lit(datafusion::common::ScalarValue::DurationNanosecond(Some(0))),
            _ => lit(0i64),
        })
    } else if EMPTY_ARRAY.contains(&function) {
        Some(lit("[]"))
    } else {
        None
    }
}

/// `95` → `95`, `99.9` → `99_9`, as KQL names percentile columns.
fn percentile_suffix(e: &kql_parser::ast::Expr) -> String {
    match &e.kind {
        ExprKind::Literal(Literal::Long(Some(n))) => n.to_string(),
        ExprKind::Literal(Literal::Int(Some(n))) => n.to_string(),
        ExprKind::Literal(Literal::Real(Some(r))) => format!("{r}").replace('.', "_"),
        _ => String::new(),
    }
}
