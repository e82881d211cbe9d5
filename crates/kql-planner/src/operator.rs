//! Tabular operators: one module per operator (or family), each a function from the input
//! [`Tabular`] to the output one.

mod evaluate;
mod join;
mod make_series;
mod mv_apply;
mod mv_expand;
mod parse;
mod parse_kv;
mod project;
mod search;
mod sort;
mod summarize;
mod top_nested;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder};
use datafusion::prelude::lit;
use kql_functions::KqlType;
use kql_parser::Span;
use kql_parser::ast::{Operator, OperatorKind};

use crate::error::{OrInternal, PResult, codes, error};
use crate::expr::finish;
use crate::planner::Planner;
use crate::scope::Binding;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

impl Planner<'_> {
    /// Applies one operator.
    pub(crate) fn operator(&mut self, op: &Operator, input: Tabular) -> PResult<Tabular> {
        let span = op.span;
        match &op.kind {
            OperatorKind::Where(predicate) => {
                // `where * has "x"`: the operator over every column.
                let expanded;
                let predicate = if search::has_star_operand(predicate) {
                    expanded = search::expand_star(predicate, &input.columns)?;
                    &expanded
                } else {
                    predicate
                };
                let p = self.expr(predicate, &input)?;
                let p = crate::expr::binary_as_bool(p, predicate.span)?;
                let plan = input
                    .builder()
                    .filter(crate::expr::filter_predicate(p))
                    .or_internal(span)?
                    .build()
                    .or_internal(span)?;
                Ok(Tabular {
                    plan,
                    columns: input.columns,
                })
            }
            OperatorKind::Project(items) => self.project(items, input, span),
            OperatorKind::ProjectAway(patterns) => project::project_away(patterns, input, span),
            OperatorKind::ProjectKeep(patterns) => project::project_keep(patterns, input, span),
            OperatorKind::ProjectByNames(names) => self.project_by_names(names, input, span),
            OperatorKind::ProjectRename(renames) => project::project_rename(renames, input, span),
            OperatorKind::ProjectReorder(items) => project::project_reorder(items, input, span),
            OperatorKind::Extend(items) => self.extend(items, input, span),
            OperatorKind::Summarize(s) => self.summarize(s, input, span),
            OperatorKind::Distinct(columns) => self.distinct(columns, input, span),
            OperatorKind::Count => {
                let plan = input
                    .builder()
                    .aggregate(
                        Vec::<Expr>::new(),
                        vec![
                            datafusion::functions_aggregate::expr_fn::count(lit(1i64))
                                .alias("Count"),
                        ],
                    )
                    .or_internal(span)?
                    .build()
                    .or_internal(span)?;
                Ok(Tabular {
                    plan,
                    columns: vec![KqlColumn::new("Count", KqlType::Long)],
                })
            }
            OperatorKind::Take(n) => {
                let n = self.row_count(n, "take")?;
                let plan = input
                    .builder()
                    .limit(0, Some(n))
                    .or_internal(span)?
                    .build()
                    .or_internal(span)?;
                Ok(Tabular {
                    plan,
                    columns: input.columns,
                })
            }
            OperatorKind::Top(top) => self.top(top, input, span),
            OperatorKind::Sort(keys) => self.sort(keys, input, span),
            OperatorKind::Join(j) => self.join(j, input, span, false),
            OperatorKind::Lookup(j) => self.join(j, input, span, true),
            OperatorKind::Union(u) => self.union(Some(input), u, span),
            OperatorKind::MvExpand(m) => self.mv_expand(m, input, span),
            OperatorKind::MvApply(m) => self.mv_apply(m, input, span),
            OperatorKind::MakeSeries(m) => self.make_series(m, input, span),
            OperatorKind::Invoke(call) => self.invoke(call, input, span),
            OperatorKind::Evaluate(e) => self.evaluate(e, input, span),
            OperatorKind::Search(s) => self.search(s, input, span),
            OperatorKind::TopNested(levels) => self.top_nested(levels, input, span),
            OperatorKind::Sample(n) => {
                let n = self.row_count(n, "sample")?;
                random_rows(input, n, span)
            }
            OperatorKind::SampleDistinct { count, column } => {
                let n = self.row_count(count, "sample-distinct")?;
                let distinct = self.distinct(std::slice::from_ref(column), input, span)?;
                random_rows(distinct, n, span)
            }
            OperatorKind::Parse(p) => self.parse(p, input, span, false),
            OperatorKind::ParseWhere(p) => self.parse(p, input, span, true),
            OperatorKind::ParseKv(p) => self.parse_kv(p, input, span),
            OperatorKind::GetSchema => getschema(&input, span),
            OperatorKind::As(a) => {
                self.scopes
                    .bind(&a.name.name, Binding::Tabular(input.clone()));
                self.result_name = Some(a.name.name.clone());
                Ok(input)
            }
            // Rows are already in a fixed order once sorted; serialize adds nothing to compute.
            OperatorKind::Serialize(items) if items.is_empty() => Ok(input),
            // `serialize x = row_number()`: the items are computed as `extend` computes them.
            OperatorKind::Serialize(items) => self.extend(items, input, span),
            // A chart hint for clients: the rows are the result.
            OperatorKind::Render(_) => Ok(input),
        }
    }

    /// `T | invoke f(a, b)`: `f(T, a, b)`, for a function whose first parameter is a table.
    fn invoke(
        &mut self,
        call: &kql_parser::ast::Call,
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        const INPUT: &str = "__kql_invoke_input";
        let function = match self.scopes.get(&call.name.name) {
            Some(Binding::Function(f)) => std::rc::Rc::clone(f),
            _ => {
                return Err(error(
                    codes::UNKNOWN_FUNCTION,
                    format!("'{}' is not a function defined with let", call.name.name),
                    call.name.span,
                ));
            }
        };
        if !matches!(
            function.params.first().map(|p| &p.ty),
            Some(kql_parser::ast::ParamType::Tabular { .. })
        ) {
            return Err(error(
                codes::TYPE_MISMATCH,
                format!(
                    "invoke passes the input as the first argument, but the first parameter of \
                     '{}' is not a table",
                    call.name.name
                ),
                call.name.span,
            ));
        }
        let mut args = vec![kql_parser::ast::Arg {
            name: None,
            value: kql_parser::ast::Expr::name(INPUT, span),
        }];
        args.extend(call.args.iter().cloned());
        let with_input = kql_parser::ast::Call {
            name: call.name.clone(),
            args,
        };
        self.scopes.push();
        self.scopes.bind(INPUT, Binding::Tabular(input));
        let result = self.call_tabular_function(&function, &with_input, span);
        self.scopes.pop();
        result
    }

    /// A row count (`take 5`, `top 10 by …`): a non-negative constant.
    pub(crate) fn row_count(&mut self, e: &kql_parser::ast::Expr, op: &str) -> PResult<usize> {
        let v = self.expr(e, &Tabular::empty())?;
        match crate::expr::constant(&v.expr) {
            Some(ScalarValue::Int64(Some(n))) if n >= 0 => Ok(n as usize),
            Some(ScalarValue::Int32(Some(n))) if n >= 0 => Ok(n as usize),
            _ => Err(error(
                codes::INVALID_VALUE,
                format!("the row count of '{op}' must be a constant, non-negative integer"),
                e.span,
            )),
        }
    }

    /// `extend`: each item is evaluated against the columns so far (so later items see earlier
    /// ones); an existing name is replaced in place.
    fn extend(
        &mut self,
        items: &[kql_parser::ast::NamedExpr],
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let items = self.expand_tuples(items, &input)?;
        let mut current = input;
        let mut namer =
            crate::naming::Namer::with_taken(current.columns.iter().map(|c| c.name.clone()));
        for item in &items {
            // Window functions in the item are computed in a window node under the projection.
            let outer_sink = self.window_sink.replace(Vec::new());
            let value = self.expr(&item.expr, &current);
            let windows = std::mem::replace(&mut self.window_sink, outer_sink).unwrap_or_default();
            let value = value?;
            // One window node per level: a window whose arguments read another window's result
            // (`row_cumsum(x, name != prev(name))`) is computed in a node above it.
            let levels = windows.iter().map(|w| w.level).max().map_or(0, |l| l + 1);
            let mut plan = current.plan.clone();
            for level in 0..levels {
                let exprs: Vec<Expr> = windows
                    .iter()
                    .filter(|w| w.level == level)
                    .map(|w| w.expr.clone().alias(&w.alias))
                    .collect();
                let mut builder = datafusion::logical_expr::LogicalPlanBuilder::from(plan);
                if level > 0 {
                    // A projection between window nodes: DataFusion's common-subexpression pass
                    // treats adjacent window nodes as one, which a window reading another's
                    // result breaks.
                    let fields: Vec<Expr> = builder
                        .schema()
                        .fields()
                        .iter()
                        .map(|f| column_ref(f.name()))
                        .collect();
                    builder = builder.project(fields).or_internal(span)?;
                }
                plan = builder
                    .window(exprs)
                    .or_internal(span)?
                    .build()
                    .or_internal(span)?;
            }
            if levels > 0 {
                current = Tabular {
                    plan,
                    columns: current.columns,
                };
            }
            // An unnamed bare column keeps its name, so the column is replaced in place.
            let name = match (&item.expr.kind, item.names.is_empty()) {
                (kql_parser::ast::ExprKind::Name(id), true)
                    if current.column(&id.name).is_some() =>
                {
                    id.name.clone()
                }
                _ => namer.name_item(item, false, "extend")?,
            };
            let schema = current.plan.schema().clone();
            let new_expr = finish(&value, &schema).alias(&name);
            let mut exprs = Vec::with_capacity(current.columns.len() + 1);
            let mut columns = Vec::with_capacity(current.columns.len() + 1);
            let mut replaced = false;
            for c in &current.columns {
                if c.name == name {
                    exprs.push(new_expr.clone());
                    columns.push(KqlColumn::new(name.clone(), value.ty));
                    replaced = true;
                } else {
                    exprs.push(column_ref(&c.name));
                    columns.push(c.clone());
                }
            }
            if !replaced {
                exprs.push(new_expr);
                columns.push(KqlColumn::new(name, value.ty));
            }
            current = current.project(exprs, columns, span)?;
        }
        Ok(current)
    }

    /// `project`: exactly the listed columns and expressions, in order.
    fn project(
        &mut self,
        items: &[kql_parser::ast::NamedExpr],
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let items = self.expand_tuples(items, &input)?;
        let schema = input.plan.schema().clone();
        let mut namer = crate::naming::Namer::default();
        let mut exprs = Vec::new();
        let mut columns = Vec::new();
        for item in &items {
            let value = self.expr(&item.expr, &input)?;
            if let [n] = item.names.as_slice()
                && namer.is_taken(&n.name)
            {
                return Err(error(
                    codes::INVALID_QUERY,
                    format!("column '{}' is projected twice", n.name),
                    n.span,
                ));
            }
            let name = namer.name_item(item, false, "project")?;
            exprs.push(finish(&value, &schema).alias(&name));
            columns.push(KqlColumn::new(name, value.ty));
        }
        input.project(exprs, columns, span)
    }

    /// `distinct a, b` / `distinct *`.
    fn distinct(
        &mut self,
        items: &[kql_parser::ast::Expr],
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let schema = input.plan.schema().clone();
        let mut keys = Vec::new();
        let mut columns = Vec::new();
        let mut namer = crate::naming::Namer::default();
        for item in items {
            if matches!(item.kind, kql_parser::ast::ExprKind::Star) {
                for c in &input.columns {
                    keys.push(column_ref(&c.name).alias(&c.name));
                    columns.push(c.clone());
                    namer.claim_exact(&c.name);
                }
                continue;
            }
            let v = self.expr(item, &input)?;
            let name = match crate::naming::derived_name(item, false) {
                Some(n) => namer.claim(&n),
                None => namer.column(),
            };
            keys.push(finish(&v, &schema).alias(&name));
            columns.push(KqlColumn::new(name, v.ty));
        }
        let plan = input
            .builder()
            .aggregate(keys, Vec::<Expr>::new())
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }
}

/// `n` rows of `input` picked at random (`sample`): each run may pick others. The random key
/// is a column of its own, so a later `count` that needs no column still has one to sort.
fn random_rows(input: Tabular, n: usize, span: Span) -> PResult<Tabular> {
    const KEY: &str = "__kql_sample_key";
    let mut exprs: Vec<Expr> = input.columns.iter().map(|c| column_ref(&c.name)).collect();
    exprs.push(datafusion::functions::math::expr_fn::random().alias(KEY));
    let plan = input
        .builder()
        .project(exprs)
        .or_internal(span)?
        .sort_with_limit(vec![column_ref(KEY).sort(true, false)], Some(n))
        .or_internal(span)?
        .build()
        .or_internal(span)?;
    let keyed = Tabular {
        plan,
        columns: input.columns.clone(),
    };
    let exprs = input.columns.iter().map(|c| column_ref(&c.name)).collect();
    keyed.project(exprs, input.columns, span)
}

/// `getschema`: one row per column: name, ordinal, .NET type, KQL type.
fn getschema(input: &Tabular, span: Span) -> PResult<Tabular> {
    let columns = vec![
        KqlColumn::new("ColumnName", KqlType::String),
        KqlColumn::new("ColumnOrdinal", KqlType::Int),
        KqlColumn::new("DataType", KqlType::String),
        KqlColumn::new("ColumnType", KqlType::String),
    ];
    let rows: Vec<Vec<Expr>> = input
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                lit(c.name.as_str()),
                lit(i32::try_from(i).unwrap_or(i32::MAX)),
                lit(c.ty.dotnet_name()),
                lit(c.ty.name()),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Err(error(
            codes::INVALID_QUERY,
            "getschema of a table with no columns",
            span,
        ));
    }
    let names: Vec<Expr> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| column_ref(&format!("column{}", i + 1)).alias(&c.name))
        .collect();
    let plan = LogicalPlanBuilder::values(rows)
        .or_internal(span)?
        .project(names)
        .or_internal(span)?
        .build()
        .or_internal(span)?;
    Ok(Tabular { plan, columns })
}
