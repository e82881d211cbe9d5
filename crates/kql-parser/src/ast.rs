//! The abstract syntax tree of a KQL query text.
//!
//! Every statement, source, operator and expression carries the [`Span`](crate::Span) of the text
//! it came from. Keywords with aliases are normalized (`filter` → `where`, `limit` → `take`,
//! `order by` → `sort by`, type aliases such as `double` → `real`), so later stages match on one
//! form; the canonical printer (`Display`) prints that form.

mod expr;
mod literal;
mod operator;
mod query;
mod statement;

pub use expr::*;
pub use literal::*;
pub use operator::*;
pub use query::*;
pub use statement::*;

use crate::Span;

/// A name: a column, table, function, `let` binding or parameter.
///
/// `name` is the name itself, without the `['…']` quoting the query may have used.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it stands in the query.
    pub span: Span,
}

impl Ident {
    /// A name at a span.
    pub fn new(name: impl Into<String>, span: Span) -> Self {
        Self {
            name: name.into(),
            span,
        }
    }
}

/// The scalar types of KQL, under their canonical names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `bool` (alias `boolean`).
    Bool,
    /// `int`: 32-bit signed integer.
    Int,
    /// `long`: 64-bit signed integer.
    Long,
    /// `real` (alias `double`): 64-bit float.
    Real,
    /// `decimal`: 128-bit decimal.
    Decimal,
    /// `string`.
    String,
    /// `datetime` (alias `date`).
    Datetime,
    /// `timespan` (alias `time`).
    Timespan,
    /// `guid` (alias `uniqueid`).
    Guid,
    /// `dynamic`: JSON-like value.
    Dynamic,
}

impl ScalarType {
    /// Looks a type name up, aliases included. Type names are case-sensitive like all KQL
    /// keywords.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "bool" | "boolean" => Self::Bool,
            "int" => Self::Int,
            "long" => Self::Long,
            "real" | "double" => Self::Real,
            "decimal" => Self::Decimal,
            "string" => Self::String,
            "datetime" | "date" => Self::Datetime,
            "timespan" | "time" => Self::Timespan,
            "guid" | "uniqueid" => Self::Guid,
            "dynamic" => Self::Dynamic,
            _ => return None,
        })
    }

    /// The canonical name, as `getschema` and the query API print it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Bool => "bool",
            Self::Int => "int",
            Self::Long => "long",
            Self::Real => "real",
            Self::Decimal => "decimal",
            Self::String => "string",
            Self::Datetime => "datetime",
            Self::Timespan => "timespan",
            Self::Guid => "guid",
            Self::Dynamic => "dynamic",
        }
    }
}

/// A type as written in the query (`long`, `string`), with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeName {
    /// The type.
    pub ty: ScalarType,
    /// Where it was written.
    pub span: Span,
}

/// `name: type`, as in `datatable(name: string)`, `parse-kv … as (name: long)`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDecl {
    /// Column name.
    pub name: Ident,
    /// Column type.
    pub ty: TypeName,
}
