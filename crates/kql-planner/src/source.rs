//! Sources: table scans, `datatable`, `print`, `range`, `union`, parenthesized queries, calls of
//! tabular functions.

use std::rc::Rc;

use datafusion::common::{Column, DFSchema, ScalarValue, TableReference};
use datafusion::logical_expr::{EmptyRelation, Expr, LogicalPlan, LogicalPlanBuilder, cast};
use datafusion::prelude::lit;
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{Datatable, Ident, Query, Range, Source, SourceKind, Union};

use crate::error::{OrInternal, PResult, codes, error};
use crate::naming::{Namer, wildcard_match};
use crate::planner::Planner;
use crate::scope::Binding;
use crate::shredded;
use crate::tabular::column_ref;
use crate::{KqlColumn, ShreddedMember, Tabular};

impl Tabular {
    /// No columns, one row: the input of `print` and of scalar `let`s.
    pub(crate) fn empty() -> Self {
        Tabular {
            plan: LogicalPlanBuilder::empty(true).build().unwrap_or_else(|_| {
                LogicalPlan::EmptyRelation(EmptyRelation {
                    produce_one_row: true,
                    schema: std::sync::Arc::new(DFSchema::empty()),
                })
            }),
            columns: Vec::new(),
        }
    }
}

impl Planner<'_> {
    /// A tabular expression: its source, then each operator.
    ///
    /// A table's shredded `dynamic` members (see [`crate::shredded`]) are read from their child
    /// columns by the operators that start the query, up to the first that cannot read them.
    pub(crate) fn query(&mut self, q: &Query) -> PResult<Tabular> {
        let (mut t, mut members) = match (&q.source.kind, q.operators.first()) {
            (SourceKind::Table(id), Some(op)) if shredded::reads_members(&op.kind) => {
                self.table_with_members(id)?
            }
            _ => (self.source(&q.source)?, Vec::new()),
        };
        for op in &q.operators {
            if !members.is_empty() && !shredded::reads_members(&op.kind) {
                t = shredded::drop_members(t, op.span)?;
                members.clear();
            }
            t = self.operator(op, t)?;
            if !members.is_empty() {
                t.plan = shredded::read_members(t.plan, &members, op.span)?;
                if !shredded::keeps_members(&op.kind) {
                    if t.plan.schema().fields().len() != t.columns.len() {
                        t = shredded::drop_members(t, op.span)?;
                    }
                    members.clear();
                }
            }
        }
        if !members.is_empty() {
            t = shredded::drop_members(t, q.span)?;
        }
        Ok(t)
    }

    fn source(&mut self, s: &Source) -> PResult<Tabular> {
        match &s.kind {
            SourceKind::Table(id) => self.table(id),
            SourceKind::Call(call) => match self.scopes.get(&call.name.name) {
                Some(Binding::Function(f)) => {
                    let f = Rc::clone(f);
                    if !self.is_tabular_function(&f) {
                        return Err(error(
                            codes::TYPE_MISMATCH,
                            format!("'{}' returns a scalar, not a table", call.name.name),
                            s.span,
                        ));
                    }
                    self.call_tabular_function(&f, call, s.span)
                }
                _ if call.name.name == "table" => self.table_function(call, s.span),
                _ => Err(error(
                    codes::UNKNOWN_TABLE,
                    format!("unknown tabular function '{}'", call.name.name),
                    call.name.span,
                )),
            },
            SourceKind::Datatable(d) => self.datatable(d, s.span),
            SourceKind::Print(items) => {
                let input = Tabular::empty();
                let items = self.expand_tuples(items, &input)?;
                let mut namer = Namer::default();
                let mut exprs = Vec::new();
                let mut columns = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let value = self.expr(&item.expr, &input)?;
                    let name = match item.names.as_slice() {
                        [] => namer.claim(&format!("print_{i}")),
                        [n] => namer.claim(&n.name),
                        _ => {
                            return Err(error(
                                codes::UNSUPPORTED,
                                "tuple names in print are not supported",
                                item.span,
                            ));
                        }
                    };
                    exprs.push(crate::expr::canonical(value.expr.clone(), value.ty).alias(&name));
                    columns.push(KqlColumn::new(name, value.ty));
                }
                input.project(exprs, columns, s.span)
            }
            SourceKind::Range(r) => self.range(r, s.span),
            SourceKind::Union(u) => self.union(None, u, s.span),
            SourceKind::Paren(q) | SourceKind::Materialize(q) => self.query(q),
            SourceKind::Externaldata(_) => Err(error(
                codes::UNSUPPORTED,
                "externaldata is not supported: register the data with the engine instead",
                s.span,
            )),
            SourceKind::Search(search) => self.search_source(search, s.span),
            SourceKind::Evaluate(e) => Err(error(
                codes::UNSUPPORTED,
                format!("the '{}' plugin is not supported", e.plugin.name.name),
                s.span,
            )),
        }
    }

    /// A table, tabular `let`, or `as` name.
    pub(crate) fn table(&mut self, id: &Ident) -> PResult<Tabular> {
        self.scan(id, false).map(|(t, _)| t)
    }

    /// [`Self::table`], with the child columns of a table's shredded members after its columns.
    fn table_with_members(&mut self, id: &Ident) -> PResult<(Tabular, Vec<ShreddedMember>)> {
        self.scan(id, true)
    }

    fn scan(&mut self, id: &Ident, with_members: bool) -> PResult<(Tabular, Vec<ShreddedMember>)> {
        match self.scopes.get(&id.name) {
            Some(Binding::Tabular(t)) => return Ok((t.clone(), Vec::new())),
            Some(Binding::Function(f)) if f.params.is_empty() && self.is_tabular_function(f) => {
                let f = Rc::clone(f);
                let call = kql_parser::ast::Call {
                    name: id.clone(),
                    args: Vec::new(),
                };
                return Ok((self.call_tabular_function(&f, &call, id.span)?, Vec::new()));
            }
            _ => {}
        }
        let Some(entry) = self.catalog.table(&id.name) else {
            let mut names = self.catalog.table_names();
            names.extend(self.scopes.names());
            let mut d = error(
                codes::UNKNOWN_TABLE,
                format!("unknown table '{}'", id.name),
                id.span,
            );
            if let Some(s) =
                kql_parser::suggest::closest(&id.name, names.iter().map(String::as_str))
            {
                d = d.with_span_label(format!("did you mean '{s}'?"));
            }
            return Err(d);
        };
        let reference = TableReference::bare(id.name.as_str());
        let builder = LogicalPlanBuilder::scan(reference.clone(), entry.source.clone(), None)
            .or_internal(id.span)?;
        let schema = builder.schema().clone();
        let mut exprs = Vec::with_capacity(entry.columns.len());
        for column in &entry.columns {
            let field = Expr::Column(Column::new(Some(reference.clone()), column.name.as_str()));
            let arrow = schema
                .field_with_unqualified_name(&column.name)
                .map(|f| f.data_type().clone())
                .or_internal(id.span)?;
            let expr = if arrow == column.ty.to_arrow() {
                field
            } else {
                cast(field, column.ty.to_arrow())
            };
            exprs.push(expr.alias(&column.name));
        }
        let members = if with_members {
            entry.members
        } else {
            Vec::new()
        };
        for m in &members {
            let field = Expr::Column(Column::new(Some(reference.clone()), m.field.as_str()));
            exprs.push(field.alias(&m.field));
        }
        let plan = builder
            .project(exprs)
            .or_internal(id.span)?
            .build()
            .or_internal(id.span)?;
        let t = Tabular {
            plan,
            columns: entry.columns,
        };
        Ok((t, members))
    }

    fn table_function(&mut self, call: &kql_parser::ast::Call, span: Span) -> PResult<Tabular> {
        match call.args.as_slice() {
            [arg] => match &arg.value.kind {
                kql_parser::ast::ExprKind::Literal(kql_parser::ast::Literal::String(name)) => {
                    self.table(&Ident::new(name.clone(), arg.value.span))
                }
                _ => Err(error(
                    codes::INVALID_VALUE,
                    "table() takes a constant table name",
                    arg.value.span,
                )),
            },
            _ => Err(error(
                codes::BAD_ARGUMENTS,
                "table() takes 1 argument",
                span,
            )),
        }
    }

    fn datatable(&mut self, d: &Datatable, span: Span) -> PResult<Tabular> {
        let columns: Vec<KqlColumn> = d
            .columns
            .iter()
            .map(|c| KqlColumn::new(c.name.name.clone(), KqlType::from_scalar_type(c.ty.ty)))
            .collect();
        if columns.is_empty() || !d.values.len().is_multiple_of(columns.len()) {
            return Err(error(
                codes::INVALID_VALUE,
                format!(
                    "datatable has {} values, not a multiple of its {} columns",
                    d.values.len(),
                    columns.len()
                ),
                span,
            ));
        }
        let input = Tabular::empty();
        let mut rows = Vec::new();
        for row in d.values.chunks(columns.len()) {
            let mut cells = Vec::new();
            for (value, column) in row.iter().zip(&columns) {
                let lowered = self.expr(value, &input)?;
                if !datatable_value_fits(lowered.ty, column.ty)
                    && crate::expr::constant(&lowered.expr).is_none_or(|v| !v.is_null())
                {
                    return Err(error(
                        codes::TYPE_MISMATCH,
                        format!(
                            "a {} value in the {} column '{}'",
                            lowered.ty, column.ty, column.name
                        ),
                        value.span,
                    ));
                }
                cells.push(cast(lowered.convert_to(column.ty), column.ty.to_arrow()));
            }
            rows.push(cells);
        }
        let names: Vec<Expr> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| column_ref(&format!("column{}", i + 1)).alias(&c.name))
            .collect();
        let plan = if rows.is_empty() {
            let fields: Vec<_> = columns.iter().map(|c| c.ty.to_field(&c.name)).collect();
            let schema = DFSchema::from_unqualified_fields(fields.into(), Default::default())
                .or_internal(span)?;
            LogicalPlan::EmptyRelation(EmptyRelation {
                produce_one_row: false,
                schema: std::sync::Arc::new(schema),
            })
        } else {
            LogicalPlanBuilder::values(rows)
                .or_internal(span)?
                .project(names)
                .or_internal(span)?
                .build()
                .or_internal(span)?
        };
        Ok(Tabular { plan, columns })
    }

    fn range(&mut self, r: &Range, span: Span) -> PResult<Tabular> {
        let input = Tabular::empty();
        let from = self.expr(&r.from, &input)?;
        let to = self.expr(&r.to, &input)?;
        let step = self.expr(&r.step, &input)?;
        let name = r.column.name.clone();
        let (series, ty) = match (from.ty, to.ty, step.ty) {
            (a, b, c) if a.is_numeric() && b.is_numeric() && c.is_numeric() => {
                let ty = if [a, b, c].iter().any(|t| !t.is_integer()) {
                    KqlType::Real
                } else {
                    KqlType::Long
                };
                let args: Vec<Expr> = [&from, &to, &step]
                    .iter()
                    .map(|v| cast(v.expr.clone(), ty.to_arrow()))
                    .collect();
                if ty == KqlType::Real {
                    return Err(error(
                        codes::UNSUPPORTED,
                        "range over real numbers is not supported yet",
                        span,
                    ));
                }
                (
                    datafusion::functions_nested::expr_fn::gen_series(
                        args[0].clone(),
                        args[1].clone(),
                        args[2].clone(),
                    ),
                    ty,
                )
            }
            (KqlType::Datetime, KqlType::Datetime, KqlType::Timespan) => {
                let step = cast(
                    step.expr.clone(),
                    datafusion::arrow::datatypes::DataType::Interval(
                        datafusion::arrow::datatypes::IntervalUnit::MonthDayNano,
                    ),
                );
                (
                    datafusion::functions_nested::expr_fn::gen_series(
                        from.expr.clone(),
                        to.expr.clone(),
                        step,
                    ),
                    KqlType::Datetime,
                )
            }
            (KqlType::Timespan, KqlType::Timespan, KqlType::Timespan) => {
                let as_long = |e: &TypedExpr| cast(e.expr.clone(), KqlType::Long.to_arrow());
                let series = datafusion::functions_nested::expr_fn::gen_series(
                    as_long(&from),
                    as_long(&to),
                    as_long(&step),
                );
                (series, KqlType::Timespan)
            }
            _ => {
                return Err(error(
                    codes::TYPE_MISMATCH,
                    format!(
                        "range needs numbers, or datetimes with a timespan step; got {}, {}, {}",
                        from.ty, to.ty, step.ty
                    ),
                    span,
                ));
            }
        };
        let inner = format!("__kql_range_{name}");
        let plan = Tabular::empty()
            .builder()
            .project(vec![series.alias(&inner)])
            .or_internal(span)?
            .unnest_column(Column::new_unqualified(inner.as_str()))
            .or_internal(span)?
            .project(vec![cast(column_ref(&inner), ty.to_arrow()).alias(&name)])
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular {
            plan,
            columns: vec![KqlColumn::new(name, ty)],
        })
    }

    /// `union` as a source (`first` is None) or as an operator over `first`.
    pub(crate) fn union(
        &mut self,
        first: Option<Tabular>,
        u: &Union,
        span: Span,
    ) -> PResult<Tabular> {
        let mut kind_inner = false;
        let mut fuzzy = false;
        let mut source_column: Option<String> = None;
        for p in &u.params {
            let value = match &p.value.kind {
                kql_parser::ast::ExprKind::Name(n) => n.name.clone(),
                kql_parser::ast::ExprKind::Literal(kql_parser::ast::Literal::String(s)) => {
                    s.clone()
                }
                kql_parser::ast::ExprKind::Literal(kql_parser::ast::Literal::Bool(Some(b))) => {
                    b.to_string()
                }
                _ => String::new(),
            };
            match p.name.name.as_str() {
                "kind" => kind_inner = value == "inner",
                "withsource" => source_column = Some(value),
                "isfuzzy" => fuzzy = value == "true",
                _ => {}
            }
        }
        let mut inputs: Vec<(String, Tabular)> = Vec::new();
        if let Some(t) = first {
            inputs.push((String::new(), t));
        }
        // With isfuzzy=true, an input naming a table (or view) that does not exist is left out.
        let skip = |e: &kql_parser::Diagnostic| fuzzy && e.code == codes::UNKNOWN_TABLE;
        for item in &u.tables {
            match &item.source.kind {
                SourceKind::Table(id) if item.operators.is_empty() && id.name.contains('*') => {
                    // Tables, and views (`let V = view () { … }`), whose names match.
                    let mut names: Vec<String> = self
                        .catalog
                        .table_names()
                        .into_iter()
                        .chain(self.scopes.names().into_iter().filter(|n| {
                            matches!(
                                self.scopes.get(n),
                                Some(Binding::Function(f)) if f.is_view && f.params.is_empty()
                            )
                        }))
                        .filter(|n| wildcard_match(&id.name, n))
                        .collect();
                    names.sort();
                    names.dedup();
                    if names.is_empty() && !fuzzy {
                        return Err(error(
                            codes::UNKNOWN_TABLE,
                            format!("no table matches '{}'", id.name),
                            id.span,
                        ));
                    }
                    for n in names {
                        let t = self.table(&Ident::new(n.clone(), id.span))?;
                        inputs.push((n, t));
                    }
                }
                SourceKind::Table(id) if item.operators.is_empty() => match self.table(id) {
                    Ok(t) => inputs.push((id.name.clone(), t)),
                    Err(e) if skip(&e) => {}
                    Err(e) => return Err(e),
                },
                _ => {
                    let name = derived_source_name(item);
                    match self.query(item) {
                        Ok(t) => inputs.push((name, t)),
                        Err(e) if skip(&e) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        if inputs.is_empty() {
            return Err(error(
                codes::UNKNOWN_TABLE,
                "none of the union's tables exists",
                span,
            ));
        }
        // The union's columns: for kind=outer every column of any input, in order of first
        // appearance; for kind=inner only those every input has. A name that inputs give
        // different types is split into one column per type, `name_type` (KQL: `x_long`,
        // `x_int`), numbered where that name is already a column (`x_long1`).
        let mut types_of: Vec<(String, Vec<KqlType>)> = Vec::new();
        for (_, t) in &inputs {
            for c in &t.columns {
                match types_of.iter_mut().find(|(n, _)| *n == c.name) {
                    Some((_, types)) if !types.contains(&c.ty) => types.push(c.ty),
                    Some(_) => {}
                    None => types_of.push((c.name.clone(), vec![c.ty])),
                }
            }
        }
        let split = |name: &str| {
            types_of
                .iter()
                .any(|(n, types)| n == name && types.len() > 1)
        };
        let mut namer = crate::naming::Namer::with_taken(
            types_of
                .iter()
                .filter(|(_, types)| types.len() == 1)
                .map(|(n, _)| n.clone()),
        );
        let mut renamed: Vec<((String, KqlType), String)> = Vec::new();
        for (name, types) in &types_of {
            if types.len() > 1 {
                for ty in types {
                    let new_name = namer.claim(&format!("{name}_{}", ty.name()));
                    renamed.push(((name.clone(), *ty), new_name));
                }
            }
        }
        // The output name of each input column.
        let output_name = |c: &KqlColumn| -> String {
            if split(&c.name) {
                renamed
                    .iter()
                    .find(|((n, ty), _)| *n == c.name && *ty == c.ty)
                    .map_or_else(|| c.name.clone(), |(_, new)| new.clone())
            } else {
                c.name.clone()
            }
        };
        let mut columns: Vec<KqlColumn> = Vec::new();
        for (_, t) in &inputs {
            for c in &t.columns {
                let name = output_name(c);
                if !columns.iter().any(|x| x.name == name) {
                    columns.push(KqlColumn::new(name, c.ty));
                }
            }
        }
        if kind_inner {
            columns.retain(|c| {
                inputs
                    .iter()
                    .all(|(_, t)| t.columns.iter().any(|x| output_name(x) == c.name))
            });
        }
        let mut out_columns = columns.clone();
        if let Some(name) = &source_column {
            out_columns.insert(0, KqlColumn::new(name.clone(), KqlType::String));
        }
        let mut builder: Option<LogicalPlanBuilder> = None;
        for (name, t) in &inputs {
            let mut exprs = Vec::new();
            if let Some(col) = &source_column {
                exprs.push(lit(name.as_str()).alias(col));
            }
            for c in &columns {
                let e = match t.columns.iter().find(|x| output_name(x) == c.name) {
                    Some(x) => column_ref(&x.name),
                    // KQL strings have no null: a missing string column reads as "".
                    None if c.ty == KqlType::String => lit(""),
                    None => lit(ScalarValue::try_from(&c.ty.to_arrow()).or_internal(span)?),
                };
                exprs.push(cast(e, c.ty.to_arrow()).alias(&c.name));
            }
            let plan = t
                .builder()
                .project(exprs)
                .or_internal(span)?
                .build()
                .or_internal(span)?;
            builder = Some(match builder {
                None => LogicalPlanBuilder::from(plan),
                Some(b) => b.union(plan).or_internal(span)?,
            });
        }
        let plan = match builder {
            Some(b) => b.build().or_internal(span)?,
            None => {
                return Err(error(
                    codes::INVALID_QUERY,
                    "union needs at least one table",
                    span,
                ));
            }
        };
        Ok(Tabular {
            plan,
            columns: out_columns,
        })
    }
}

/// Whether a datatable value of type `value` may stand in a column of type `column`.
fn datatable_value_fits(value: KqlType, column: KqlType) -> bool {
    value == column
        || (column.is_numeric() && value.is_numeric())
        || column == KqlType::Dynamic
        || (column == KqlType::Guid && value == KqlType::String)
}

/// The `withsource` name of a parenthesized union item: the table it starts from.
fn derived_source_name(q: &Query) -> String {
    match &q.source.kind {
        SourceKind::Table(id) => id.name.clone(),
        SourceKind::Paren(inner) => derived_source_name(inner),
        _ => "union_arg".to_string(),
    }
}
