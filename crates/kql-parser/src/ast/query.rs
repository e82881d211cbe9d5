//! Tabular expressions: a source followed by `| operator`s.

use super::{ColumnDecl, Expr, Ident, NamedExpr, Operator, OperatorParam};
use crate::Span;

/// A tabular expression: `Source | op | op …`.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// Where the rows come from.
    pub source: Source,
    /// The operators, applied left to right.
    pub operators: Vec<Operator>,
    /// The whole tabular expression.
    pub span: Span,
}

impl Query {
    /// A query that is its source alone (`T`), spanning the source's text.
    pub fn of_source(kind: SourceKind, span: Span) -> Self {
        Self {
            source: Source { kind, span },
            operators: Vec::new(),
            span,
        }
    }
}

/// The start of a tabular expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// What kind of source.
    pub kind: SourceKind,
    /// Its text.
    pub span: Span,
}

/// The kinds of source.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceKind {
    /// A table or tabular `let` name: `AmlComputeJobEvent`, `['My Table']`. Inside `union` and
    /// `search in (…)` the name may hold `*` wildcards.
    Table(Ident),
    /// A call of a tabular function: `MyFunction(1, "x")`, `table("T")`.
    Call(super::Call),
    /// `datatable(a: long, b: string) [1, "x", …]`.
    Datatable(Datatable),
    /// `print a = 1, 2`.
    Print(Vec<NamedExpr>),
    /// `range x from 1 to 10 step 1`.
    Range(Range),
    /// `union T1, T2` at the start of a query.
    Union(Union),
    /// `( query )`.
    Paren(Box<Query>),
    /// `materialize(query)`.
    Materialize(Box<Query>),
    /// `externaldata (…) [ … ]`.
    Externaldata(Externaldata),
    /// `search …` at the start of a query.
    Search(Search),
    /// `evaluate plugin(…)` at the start of a query: a plugin that produces rows by itself
    /// (`evaluate sql_request(…)`).
    Evaluate(super::Evaluate),
}

/// `datatable(columns) [values]`: values fill the rows column by column, row after row.
#[derive(Clone, Debug, PartialEq)]
pub struct Datatable {
    /// The columns.
    pub columns: Vec<ColumnDecl>,
    /// The values, row-major.
    pub values: Vec<Expr>,
}

/// `range column from start to stop step step`.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// Name of the single output column.
    pub column: Ident,
    /// First value.
    pub from: Expr,
    /// Last value (inclusive).
    pub to: Expr,
    /// Increment.
    pub step: Expr,
}

/// `union [params] T1, (query), T*`.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// `kind=`, `withsource=`, `isfuzzy=`, hints.
    pub params: Vec<OperatorParam>,
    /// The inputs; names may hold wildcards.
    pub tables: Vec<Query>,
}

/// `externaldata (columns) [uris] [with (params)]`. Parsed so queries that use it get a clear
/// "not supported" from the planner instead of a syntax error.
#[derive(Clone, Debug, PartialEq)]
pub struct Externaldata {
    /// The declared schema.
    pub columns: Vec<ColumnDecl>,
    /// Storage connection strings.
    pub uris: Vec<Expr>,
    /// `with (format="csv", …)`.
    pub with: Vec<OperatorParam>,
}

/// `search [kind=…] [in (T1, T2)] predicate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    /// `kind=case_sensitive` and the like.
    pub params: Vec<OperatorParam>,
    /// `in (T1, T2)`; empty when absent.
    pub tables: Vec<Ident>,
    /// The predicate; a bare string literal means "any column has this term".
    pub predicate: Expr,
}
