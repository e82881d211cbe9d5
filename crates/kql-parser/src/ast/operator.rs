//! Tabular operators: what follows a `|`.

use super::{Call, ColumnDecl, Expr, Ident, Query, Search, TypeName, Union};
use crate::Span;

/// One `| operator`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operator {
    /// What kind of operator.
    pub kind: OperatorKind,
    /// Its text, from the operator name to its last argument.
    pub span: Span,
}

/// An expression with an optional name: `Name = expr`, `(A, B) = expr`, or just `expr`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedExpr {
    /// Zero names (unnamed), one (`Name = …`) or several (`(A, B) = …`).
    pub names: Vec<Ident>,
    /// The expression.
    pub expr: Expr,
    /// The whole item.
    pub span: Span,
}

impl NamedExpr {
    /// `expr` without a name, spanning the expression.
    pub fn unnamed(expr: Expr) -> Self {
        let span = expr.span;
        Self {
            names: Vec::new(),
            expr,
            span,
        }
    }

    /// `name = expr`, spanning the expression.
    pub fn named(name: impl Into<String>, expr: Expr) -> Self {
        let span = expr.span;
        Self {
            names: vec![Ident::new(name, span)],
            expr,
            span,
        }
    }
}

/// `name = value` options of operators: `kind=inner`, `withsource=T`, `hint.strategy=shuffle`.
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorParam {
    /// The option name, dotted for hints.
    pub name: Ident,
    /// The value: a name or a literal.
    pub value: Expr,
}

/// A column name or a wildcard pattern such as `Col*` (in `project-away`, `project-keep`,
/// `project-reorder`).
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnPattern {
    /// The name or pattern; `*` matches any run of characters.
    pub pattern: String,
    /// Where it was written.
    pub span: Span,
}

/// `asc` / `desc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Ascending.
    Asc,
    /// Descending (the default of `sort` and `top`).
    Desc,
}

/// `nulls first` / `nulls last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NullsOrder {
    /// Nulls before values.
    First,
    /// Nulls after values.
    Last,
}

/// One key of `sort by` / `top … by`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    /// What to sort on.
    pub expr: Expr,
    /// Order as written; `None` means the default (descending).
    pub order: Option<SortOrder>,
    /// Null placement as written; `None` means the default for the order.
    pub nulls: Option<NullsOrder>,
}

/// Orders of `project-reorder`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReorderOrder {
    /// `asc`.
    Asc,
    /// `desc`.
    Desc,
    /// `granny-asc`: natural order (`a2` before `a10`).
    GrannyAsc,
    /// `granny-desc`.
    GrannyDesc,
}

/// One item of `project-reorder`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReorderItem {
    /// Column name or pattern.
    pub pattern: ColumnPattern,
    /// How to order the columns the pattern matches.
    pub order: Option<ReorderOrder>,
}

/// `new = old` in `project-rename`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rename {
    /// The new name.
    pub new: Ident,
    /// The existing column.
    pub old: Ident,
}

/// The kinds of tabular operator.
#[derive(Clone, Debug, PartialEq)]
pub enum OperatorKind {
    /// `where predicate` (also `filter`).
    Where(Expr),
    /// `project a, b = expr`.
    Project(Vec<NamedExpr>),
    /// `project-away Col, Col*`.
    ProjectAway(Vec<ColumnPattern>),
    /// `project-keep Col, Col*`.
    ProjectKeep(Vec<ColumnPattern>),
    /// `project-by-names "Name", dynamic(["A", "B*"])`: the columns named (or matched by a
    /// wildcard pattern) by constant strings and arrays of them.
    ProjectByNames(Vec<Expr>),
    /// `project-rename New = Old`.
    ProjectRename(Vec<Rename>),
    /// `project-reorder Col asc, Col*`.
    ProjectReorder(Vec<ReorderItem>),
    /// `extend a = expr`.
    Extend(Vec<NamedExpr>),
    /// `summarize aggs by keys`.
    Summarize(Summarize),
    /// `distinct a, b` or `distinct *` (a single [`ExprKind::Star`](super::ExprKind::Star)).
    Distinct(Vec<Expr>),
    /// `count`.
    Count,
    /// `take n` (also `limit n`).
    Take(Expr),
    /// `top n by expr [asc|desc] [nulls first|last]`.
    Top(Top),
    /// `sort by …` (also `order by`).
    Sort(Vec<SortKey>),
    /// `join [params] (right) on …`.
    Join(Join),
    /// `lookup [kind=…] (right) on …`.
    Lookup(Join),
    /// `union [params] T, …`.
    Union(Union),
    /// `mv-expand …`.
    MvExpand(MvExpand),
    /// `mv-apply … on (subquery)`.
    MvApply(MvApply),
    /// `parse [kind=…] expr with pattern`.
    Parse(Parse),
    /// `parse-where [kind=…] expr with pattern`.
    ParseWhere(Parse),
    /// `parse-kv expr as (columns) [with (…)]`.
    ParseKv(ParseKv),
    /// `make-series …`.
    MakeSeries(MakeSeries),
    /// `render chart [with (…)]`.
    Render(Render),
    /// `as [hints] Name`.
    As(As),
    /// `getschema`.
    GetSchema,
    /// `serialize [Name = expr, …]`.
    Serialize(Vec<NamedExpr>),
    /// `sample n`.
    Sample(Expr),
    /// `sample-distinct n of column`.
    SampleDistinct {
        /// How many values.
        count: Expr,
        /// Of which column.
        column: Expr,
    },
    /// `top-nested … of … by …, top-nested …`.
    TopNested(Vec<TopNestedLevel>),
    /// `search …` after a `|`.
    Search(Search),
    /// `evaluate [hints] plugin(args)`.
    Evaluate(Evaluate),
    /// `invoke function(args)`.
    Invoke(Call),
}

/// `summarize [hints] [aggregates] [by keys]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Summarize {
    /// `hint.strategy=shuffle` and the like.
    pub params: Vec<OperatorParam>,
    /// The aggregates, named or not.
    pub aggregates: Vec<NamedExpr>,
    /// The group keys, named or not.
    pub by: Vec<NamedExpr>,
}

/// `top count by key`.
#[derive(Clone, Debug, PartialEq)]
pub struct Top {
    /// How many rows.
    pub count: Expr,
    /// The key.
    pub by: SortKey,
}

/// `join` and `lookup`: `[params] right on conditions`.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// `kind=`, hints.
    pub params: Vec<OperatorParam>,
    /// The right side.
    pub right: Box<Query>,
    /// `on` items: a column name, or `$left.A == $right.B`, possibly joined with `and`.
    pub on: Vec<Expr>,
}

/// One expanded item of `mv-expand` / `mv-apply`: `[Name =] expr [to typeof(T)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpandItem {
    /// The output column name, if given.
    pub name: Option<Ident>,
    /// The array or bag to expand.
    pub expr: Expr,
    /// `to typeof(T)`.
    pub to_type: Option<TypeName>,
}

/// `mv-expand [params] items [limit n]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MvExpand {
    /// `bagexpansion=`, `with_itemindex=`, `kind=`.
    pub params: Vec<OperatorParam>,
    /// What to expand.
    pub items: Vec<ExpandItem>,
    /// `limit n`.
    pub limit: Option<Expr>,
}

/// `mv-apply [params] items [limit n] on (subquery)`.
#[derive(Clone, Debug, PartialEq)]
pub struct MvApply {
    /// `with_itemindex=` and the like.
    pub params: Vec<OperatorParam>,
    /// What to expand.
    pub items: Vec<ExpandItem>,
    /// `limit n`.
    pub limit: Option<Expr>,
    /// The operators applied to each row's expansion.
    pub subquery: Vec<Operator>,
}

/// One part of a `parse` pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum ParsePart {
    /// A literal string (for `kind=regex`, a regular expression).
    Text(String),
    /// A column to capture into, with an optional type.
    Column(ColumnDecl),
    /// A column without type: captured as `string`.
    UntypedColumn(Ident),
    /// `*`: skip anything.
    Star,
}

/// `parse` / `parse-where`.
#[derive(Clone, Debug, PartialEq)]
pub struct Parse {
    /// `kind=simple|regex|relaxed`, `flags=…`.
    pub params: Vec<OperatorParam>,
    /// The text to parse.
    pub expr: Expr,
    /// The pattern.
    pub pattern: Vec<ParsePart>,
}

/// `parse-kv expr as (columns) [with (params)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseKv {
    /// The text to parse.
    pub expr: Expr,
    /// The keys to extract and their types.
    pub columns: Vec<ColumnDecl>,
    /// `pair_delimiter=`, `kv_delimiter=`, `quote=`, `escape=`, `greedy=`, `regex=`.
    pub with: Vec<OperatorParam>,
}

/// One aggregate of `make-series`: `[Name =] agg [default = value]`.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesAggregate {
    /// The aggregate.
    pub agg: NamedExpr,
    /// The value for empty bins.
    pub default: Option<Expr>,
}

/// The axis range of `make-series`.
#[derive(Clone, Debug, PartialEq)]
pub enum SeriesRange {
    /// `[from start] [to end] step step`.
    FromTo {
        /// Start of the axis.
        from: Option<Expr>,
        /// End of the axis (exclusive).
        to: Option<Expr>,
        /// Bin size.
        step: Expr,
    },
    /// The older `in range(start, stop, step)`.
    InRange {
        /// Start of the axis.
        start: Expr,
        /// End of the axis.
        stop: Expr,
        /// Bin size.
        step: Expr,
    },
}

/// `make-series [params] aggregates on axis range [by keys]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MakeSeries {
    /// `kind=nonempty`, hints.
    pub params: Vec<OperatorParam>,
    /// The aggregates.
    pub aggregates: Vec<SeriesAggregate>,
    /// The axis column.
    pub on: Expr,
    /// The axis range.
    pub range: SeriesRange,
    /// Group keys.
    pub by: Vec<NamedExpr>,
}

/// `render chart [with (props)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Render {
    /// The chart kind: `timechart`, `barchart`, …
    pub chart: Ident,
    /// The properties; a property with several values (`ycolumns = a, b`) has a list.
    pub with: Vec<RenderProperty>,
}

/// A `render` property.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderProperty {
    /// Its name.
    pub name: Ident,
    /// Its value or values.
    pub values: Vec<Expr>,
}

/// `as [hint.materialized=true] Name`.
#[derive(Clone, Debug, PartialEq)]
pub struct As {
    /// Hints.
    pub params: Vec<OperatorParam>,
    /// The name the result gets.
    pub name: Ident,
}

/// One level of `top-nested`: `top-nested [n] of [Name =] expr [with others = v] by [Name =]
/// agg [asc|desc]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TopNestedLevel {
    /// How many values to keep; all when absent.
    pub count: Option<Expr>,
    /// The grouping expression.
    pub of: NamedExpr,
    /// `with others = value`.
    pub others: Option<Expr>,
    /// The aggregate that ranks the groups.
    pub by: NamedExpr,
    /// Ranking order.
    pub order: Option<SortOrder>,
}

/// `evaluate [hints] plugin(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluate {
    /// Hints.
    pub params: Vec<OperatorParam>,
    /// The plugin call.
    pub plugin: Call,
}
