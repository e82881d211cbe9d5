//! Tabular expressions and their sources.

use std::fmt;

use super::{Pattern, comma};
use crate::ast::{
    Datatable, Externaldata, OperatorParam, Query, Range, Search, Source, SourceKind, Union,
};

/// A query on one line, as every query nested in another construct prints.
pub(crate) struct Inline<'a>(pub(crate) &'a Query);

impl fmt::Display for Inline<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

/// A query in parentheses: `(T | take 1)`.
pub(crate) struct Parenthesized<'a>(pub(crate) &'a Query);

impl fmt::Display for Parenthesized<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:#})", self.0)
    }
}

/// Writes ` name=value` for each parameter: the separating space comes first, so a keyword
/// followed by its parameters is `keyword` then this.
pub(crate) fn write_params(f: &mut fmt::Formatter<'_>, params: &[OperatorParam]) -> fmt::Result {
    params.iter().try_for_each(|param| write!(f, " {param}"))
}

/// The source, then one `| operator` per line; with `{:#}`, all on one line with ` | ` between
/// the parts.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sep = if f.alternate() { " | " } else { "\n| " };
        write!(f, "{}", self.source)?;
        self.operators
            .iter()
            .try_for_each(|op| write!(f, "{sep}{op}"))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A query's first table is never a pattern: only `union` and `search in` read `*`.
            SourceKind::Table(name) => name.fmt(f),
            SourceKind::Call(call) => call.fmt(f),
            SourceKind::Datatable(datatable) => datatable.fmt(f),
            SourceKind::Print(items) => {
                f.write_str("print")?;
                if !items.is_empty() {
                    write!(f, " {}", comma(items))?;
                }
                Ok(())
            }
            SourceKind::Range(range) => range.fmt(f),
            SourceKind::Union(union) => union.fmt(f),
            SourceKind::Paren(query) => Parenthesized(query).fmt(f),
            SourceKind::Materialize(query) => write!(f, "materialize{}", Parenthesized(query)),
            SourceKind::Externaldata(externaldata) => externaldata.fmt(f),
            SourceKind::Search(search) => search.fmt(f),
            SourceKind::Evaluate(evaluate) => evaluate.fmt(f),
        }
    }
}

impl fmt::Display for Datatable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "datatable({}) [{}]",
            comma(&self.columns),
            comma(&self.values)
        )
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "range {} from {} to {} step {}",
            self.column, self.from, self.to, self.step
        )
    }
}

/// One input of `union`: a plain table name (or wildcard pattern) bare, anything else in
/// parentheses so its `|` and `,` stay inside it.
struct UnionItem<'a>(&'a Query);

impl fmt::Display for UnionItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.source.kind {
            SourceKind::Table(name) if self.0.operators.is_empty() => Pattern(&name.name).fmt(f),
            _ => Parenthesized(self.0).fmt(f),
        }
    }
}

impl fmt::Display for Union {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("union")?;
        write_params(f, &self.params)?;
        if !self.tables.is_empty() {
            write!(f, " {}", comma(self.tables.iter().map(UnionItem)))?;
        }
        Ok(())
    }
}

impl fmt::Display for Externaldata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "externaldata ({}) [{}]",
            comma(&self.columns),
            comma(&self.uris)
        )?;
        if !self.with.is_empty() {
            write!(f, " with ({})", comma(&self.with))?;
        }
        Ok(())
    }
}

impl fmt::Display for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("search")?;
        write_params(f, &self.params)?;
        if !self.tables.is_empty() {
            let tables = self.tables.iter().map(|name| Pattern(&name.name));
            write!(f, " in ({})", comma(tables))?;
        }
        write!(f, " {}", self.predicate)
    }
}
