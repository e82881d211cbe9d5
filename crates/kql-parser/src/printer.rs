//! The canonical printer: `Display` for the AST.
//!
//! Printing a tree gives KQL text that the parser reads back to the same tree (spans aside), in
//! one canonical spelling: aliases normalized, the fewest parentheses the precedence rules allow,
//! strings double-quoted. Tests, diagnostics and the planner's error messages can therefore show
//! a query the way the parser understood it.
//!
//! A top-level query statement prints one operator per line (`T\n| where x\n| take 5`); every
//! query nested inside another construct prints on one line with ` | ` between its parts. A
//! [`Query`](crate::ast::Query) printed on its own uses the multi-line form, or the one-line form
//! with the alternate flag (`{:#}`).

mod expr;
mod literal;
mod operator;
mod query;
mod statement;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::ast::{ColumnDecl, Ident, ScalarType, TypeName};

/// Words that must be quoted to be a name: the parser reads them as keywords where a name could
/// stand, or Kusto reserves them (a keyword for which Kusto.Language's `SyntaxFacts` has no
/// `canBeIdentifier`, or a tabular operator's name), so a bare `where` is no column in Kusto.
/// Function names are printed bare all the same (`count()`, `range(…)`): see [`Call`]'s printer.
///
/// [`Call`]: crate::ast::Call
const KEYWORDS: &[&str] = &[
    // Parser keywords.
    "and",
    "or",
    "not",
    "by",
    "on",
    "with",
    "of",
    "to",
    "from",
    "step",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "kind",
    "let",
    "set",
    "true",
    "false",
    "in",
    "between",
    "has",
    "has_any",
    "has_all",
    "contains",
    "startswith",
    "endswith",
    "hasprefix",
    "hassuffix",
    "matches",
    "typeof",
    "default",
    "limit",
    // Tabular operators and sources.
    "as",
    "count",
    "datatable",
    "declare",
    "distinct",
    "evaluate",
    "extend",
    "externaldata",
    "external_data",
    "facet",
    "filter",
    "find",
    "fork",
    "getschema",
    "invoke",
    "join",
    "lookup",
    "materialize",
    "order",
    "parse",
    "partition",
    "print",
    "project",
    "range",
    "reduce",
    "render",
    "sample",
    "scan",
    "search",
    "serialize",
    "sort",
    "summarize",
    "take",
    "top",
    "toscalar",
    "totable",
    "union",
    "where",
    // Other words Kusto reserves in queries.
    "contains_cs",
    "containscs",
    "endswith_cs",
    "has_cs",
    "hasprefix_cs",
    "hassuffix_cs",
    "like",
    "likecs",
    "notcontains",
    "notcontainscs",
    "notlike",
    "notlikecs",
    "regex",
    "startswith_cs",
    "isfuzzy",
    "withsource",
    "with_itemindex",
    "with_source",
    "bagexpansion",
];

/// Whether `name` has the shape of an identifier: `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_ident_shaped(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `name` can be written without `['…']`: identifier-shaped and not a keyword, or one of
/// the join side names `$left` / `$right`, or `search`'s `$table`.
pub(crate) fn is_bare_name(name: &str) -> bool {
    matches!(name, "$left" | "$right" | "$table")
        || (is_ident_shaped(name) && !KEYWORDS.contains(&name))
}

/// A name, printed bare when it can be and as `['…']` otherwise.
///
/// Used for names that are plain strings in the AST (column patterns), as well as by
/// [`Ident`]'s own `Display`.
pub(crate) struct Name<'a>(pub(crate) &'a str);

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_bare_name(self.0) {
            return f.write_str(self.0);
        }
        f.write_str("['")?;
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\'' => f.write_str("\\'")?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("']")
    }
}

/// A name that may hold `*` wildcards (table names in `union` and `search in (…)`, column
/// patterns): printed raw when it does, since the parser reads wildcards only unquoted. A name
/// with a `*` that a bare pattern cannot spell (`['My *Table']`) is quoted like any name.
pub(crate) struct Pattern<'a>(pub(crate) &'a str);

/// Whether `name` is a wildcard pattern the parser reads unquoted: identifier characters and
/// `*`, at least one `*`, not starting with a digit.
fn is_bare_pattern(name: &str) -> bool {
    name.contains('*')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '*')
}

impl fmt::Display for Pattern<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_bare_pattern(self.0) {
            f.write_str(self.0)
        } else {
            Name(self.0).fmt(f)
        }
    }
}

/// Items displayed one after another with a separator between them.
///
/// The iterator is cloned for each formatting, so borrowing iterators (`slice.iter()`, maps
/// with capture-free closures) are the intended input.
pub(crate) struct Joined<I> {
    items: I,
    sep: &'static str,
}

/// Displays `items` separated by `sep`.
pub(crate) fn joined<I>(items: I, sep: &'static str) -> Joined<I>
where
    I: IntoIterator + Clone,
    I::Item: fmt::Display,
{
    Joined { items, sep }
}

impl<I> fmt::Display for Joined<I>
where
    I: IntoIterator + Clone,
    I::Item: fmt::Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.items.clone().into_iter().enumerate() {
            if i > 0 {
                f.write_str(self.sep)?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// Displays `items` separated by `", "`.
pub(crate) fn comma<I>(items: I) -> Joined<I>
where
    I: IntoIterator + Clone,
    I::Item: fmt::Display,
{
    joined(items, ", ")
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Name(&self.name).fmt(f)
    }
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.ty.fmt(f)
    }
}

impl fmt::Display for ColumnDecl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.ty)
    }
}
