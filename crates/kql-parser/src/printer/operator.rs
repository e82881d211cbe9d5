//! Tabular operators: what follows a `|`, printed without the `|`.

use std::fmt;

use super::query::{Parenthesized, write_params};
use super::{Pattern, comma, is_ident_shaped, joined};
use crate::ast::{
    As, ColumnPattern, Evaluate, ExpandItem, ExprKind, Join, MakeSeries, MvApply, MvExpand,
    NamedExpr, NullsOrder, Operator, OperatorKind, OperatorParam, Parse, ParseKv, ParsePart,
    Rename, Render, RenderProperty, ReorderItem, ReorderOrder, SeriesAggregate, SeriesRange,
    SortKey, SortOrder, Summarize, Top, TopNestedLevel,
};

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

/// Writes `keyword` then ` items` when there are any.
fn keyword_list<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    keyword: &str,
    items: &[T],
) -> fmt::Result {
    f.write_str(keyword)?;
    if !items.is_empty() {
        write!(f, " {}", comma(items))?;
    }
    Ok(())
}

impl fmt::Display for OperatorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OperatorKind::Where(predicate) => write!(f, "where {predicate}"),
            OperatorKind::Project(items) => keyword_list(f, "project", items),
            OperatorKind::ProjectAway(patterns) => keyword_list(f, "project-away", patterns),
            OperatorKind::ProjectKeep(patterns) => keyword_list(f, "project-keep", patterns),
            OperatorKind::ProjectByNames(names) => keyword_list(f, "project-by-names", names),
            OperatorKind::ProjectRename(renames) => keyword_list(f, "project-rename", renames),
            OperatorKind::ProjectReorder(items) => keyword_list(f, "project-reorder", items),
            OperatorKind::Extend(items) => keyword_list(f, "extend", items),
            OperatorKind::Summarize(summarize) => summarize.fmt(f),
            OperatorKind::Distinct(items) => keyword_list(f, "distinct", items),
            OperatorKind::Count => f.write_str("count"),
            OperatorKind::Take(count) => write!(f, "take {count}"),
            OperatorKind::Top(top) => top.fmt(f),
            OperatorKind::Sort(keys) => write!(f, "sort by {}", comma(keys)),
            OperatorKind::Join(join) => write_join(f, "join", join),
            OperatorKind::Lookup(join) => write_join(f, "lookup", join),
            OperatorKind::Union(union) => union.fmt(f),
            OperatorKind::MvExpand(expand) => expand.fmt(f),
            OperatorKind::MvApply(apply) => apply.fmt(f),
            OperatorKind::Parse(parse) => write_parse(f, "parse", parse),
            OperatorKind::ParseWhere(parse) => write_parse(f, "parse-where", parse),
            OperatorKind::ParseKv(parse) => parse.fmt(f),
            OperatorKind::MakeSeries(series) => series.fmt(f),
            OperatorKind::Render(render) => render.fmt(f),
            OperatorKind::As(as_) => as_.fmt(f),
            OperatorKind::GetSchema => f.write_str("getschema"),
            OperatorKind::Serialize(items) => keyword_list(f, "serialize", items),
            OperatorKind::Sample(count) => write!(f, "sample {count}"),
            OperatorKind::SampleDistinct { count, column } => {
                write!(f, "sample-distinct {count} of {column}")
            }
            OperatorKind::TopNested(levels) => write!(f, "{}", comma(levels)),
            OperatorKind::Search(search) => search.fmt(f),
            OperatorKind::Evaluate(evaluate) => evaluate.fmt(f),
            OperatorKind::Invoke(call) => write!(f, "invoke {call}"),
        }
    }
}

/// `Name = expr`, `(A, B) = expr` or `expr`.
impl fmt::Display for NamedExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.names.as_slice() {
            [] => {}
            [name] => write!(f, "{name} = ")?,
            names => write!(f, "({}) = ", comma(names))?,
        }
        self.expr.fmt(f)
    }
}

/// `name=value`. The name is printed as written: hint names are dotted (`hint.strategy`) and
/// some option names are keywords (`kind`), and the parser reads them raw in this position.
/// `name=value`. A value that is a plain word (`kind=inner`, `kind=regex`,
/// `hint.strategy=shuffle`) is printed raw, even when it is a word a column name would need
/// quoted for.
impl fmt::Display for OperatorParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value.kind {
            ExprKind::Name(word)
                if is_ident_shaped(&word.name)
                    && !matches!(word.name.as_str(), "true" | "false") =>
            {
                write!(f, "{}={}", self.name.name, word.name)
            }
            _ => write!(f, "{}={}", self.name.name, self.value),
        }
    }
}

impl fmt::Display for ColumnPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Pattern(&self.pattern).fmt(f)
    }
}

impl fmt::Display for ReorderItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pattern.fmt(f)?;
        match self.order {
            None => Ok(()),
            Some(ReorderOrder::Asc) => f.write_str(" asc"),
            Some(ReorderOrder::Desc) => f.write_str(" desc"),
            Some(ReorderOrder::GrannyAsc) => f.write_str(" granny-asc"),
            Some(ReorderOrder::GrannyDesc) => f.write_str(" granny-desc"),
        }
    }
}

impl fmt::Display for Rename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.new, self.old)
    }
}

impl fmt::Display for SortOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        })
    }
}

impl fmt::Display for NullsOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NullsOrder::First => "nulls first",
            NullsOrder::Last => "nulls last",
        })
    }
}

/// `expr [asc|desc] [nulls first|last]`: order and null placement only as written, so a
/// default stays a default.
impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)?;
        if let Some(order) = self.order {
            write!(f, " {order}")?;
        }
        if let Some(nulls) = self.nulls {
            write!(f, " {nulls}")?;
        }
        Ok(())
    }
}

/// `summarize [params] [aggregates] [by keys]`.
impl fmt::Display for Summarize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("summarize")?;
        write_params(f, &self.params)?;
        if !self.aggregates.is_empty() {
            write!(f, " {}", comma(&self.aggregates))?;
        }
        if !self.by.is_empty() {
            write!(f, " by {}", comma(&self.by))?;
        }
        Ok(())
    }
}

impl fmt::Display for Top {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "top {} by {}", self.count, self.by)
    }
}

/// `join` / `lookup [params] (right) on conditions`; the right side is always parenthesized so
/// its operators cannot swallow the `on`. ` on …` is left out when there are no conditions.
fn write_join(f: &mut fmt::Formatter<'_>, keyword: &str, join: &Join) -> fmt::Result {
    f.write_str(keyword)?;
    write_params(f, &join.params)?;
    write!(f, " {}", Parenthesized(&join.right))?;
    if !join.on.is_empty() {
        write!(f, " on {}", comma(&join.on))?;
    }
    Ok(())
}

/// `[Name =] expr [to typeof(T)]`.
impl fmt::Display for ExpandItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.name {
            write!(f, "{name} = ")?;
        }
        self.expr.fmt(f)?;
        if let Some(ty) = &self.to_type {
            write!(f, " to typeof({ty})")?;
        }
        Ok(())
    }
}

/// Writes `keyword [params] items [limit n]`, shared by `mv-expand` and `mv-apply`.
fn write_expand(
    f: &mut fmt::Formatter<'_>,
    keyword: &str,
    params: &[OperatorParam],
    items: &[ExpandItem],
    limit: Option<&crate::ast::Expr>,
) -> fmt::Result {
    f.write_str(keyword)?;
    write_params(f, params)?;
    if !items.is_empty() {
        write!(f, " {}", comma(items))?;
    }
    if let Some(limit) = limit {
        write!(f, " limit {limit}")?;
    }
    Ok(())
}

impl fmt::Display for MvExpand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expand(
            f,
            "mv-expand",
            &self.params,
            &self.items,
            self.limit.as_ref(),
        )
    }
}

/// `mv-apply [params] items [limit n] on (op | op)`.
impl fmt::Display for MvApply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expand(
            f,
            "mv-apply",
            &self.params,
            &self.items,
            self.limit.as_ref(),
        )?;
        write!(f, " on ({})", joined(&self.subquery, " | "))
    }
}

impl fmt::Display for ParsePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParsePart::Text(text) => super::literal::Quoted(text).fmt(f),
            ParsePart::Column(column) => column.fmt(f),
            ParsePart::UntypedColumn(name) => name.fmt(f),
            ParsePart::Star => f.write_str("*"),
        }
    }
}

/// `parse` / `parse-where [params] expr with part part …`.
fn write_parse(f: &mut fmt::Formatter<'_>, keyword: &str, parse: &Parse) -> fmt::Result {
    f.write_str(keyword)?;
    write_params(f, &parse.params)?;
    write!(f, " {} with", parse.expr)?;
    parse
        .pattern
        .iter()
        .try_for_each(|part| write!(f, " {part}"))
}

/// `parse-kv expr as (columns) [with (params)]`.
impl fmt::Display for ParseKv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parse-kv {} as ({})", self.expr, comma(&self.columns))?;
        if !self.with.is_empty() {
            write!(f, " with ({})", comma(&self.with))?;
        }
        Ok(())
    }
}

/// `[Name =] agg [default = value]`.
impl fmt::Display for SeriesAggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.agg.fmt(f)?;
        if let Some(default) = &self.default {
            write!(f, " default = {default}")?;
        }
        Ok(())
    }
}

/// ` [from a] [to b] step s` or ` in range(a, b, s)`, with its leading space.
impl fmt::Display for SeriesRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeriesRange::FromTo { from, to, step } => {
                if let Some(from) = from {
                    write!(f, " from {from}")?;
                }
                if let Some(to) = to {
                    write!(f, " to {to}")?;
                }
                write!(f, " step {step}")
            }
            SeriesRange::InRange { start, stop, step } => {
                write!(f, " in range({start}, {stop}, {step})")
            }
        }
    }
}

/// `make-series [params] aggregates on axis range [by keys]`.
impl fmt::Display for MakeSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("make-series")?;
        write_params(f, &self.params)?;
        write!(
            f,
            " {} on {}{}",
            comma(&self.aggregates),
            self.on,
            self.range
        )?;
        if !self.by.is_empty() {
            write!(f, " by {}", comma(&self.by))?;
        }
        Ok(())
    }
}

/// `name=value, value`: names are printed raw, like operator parameters (`kind` is one).
impl fmt::Display for RenderProperty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name.name, comma(&self.values))
    }
}

/// `render chart [with (props)]`; the chart kind is printed raw.
impl fmt::Display for Render {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "render {}", self.chart.name)?;
        if !self.with.is_empty() {
            write!(f, " with ({})", comma(&self.with))?;
        }
        Ok(())
    }
}

impl fmt::Display for As {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("as")?;
        write_params(f, &self.params)?;
        write!(f, " {}", self.name)
    }
}

/// `top-nested [n] of [Name =] expr [with others = v] by [Name =] agg [asc|desc]`.
impl fmt::Display for TopNestedLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("top-nested")?;
        if let Some(count) = &self.count {
            write!(f, " {count}")?;
        }
        write!(f, " of {}", self.of)?;
        if let Some(others) = &self.others {
            write!(f, " with others = {others}")?;
        }
        write!(f, " by {}", self.by)?;
        if let Some(order) = self.order {
            write!(f, " {order}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Evaluate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("evaluate")?;
        write_params(f, &self.params)?;
        write!(f, " {}", self.plugin)
    }
}
