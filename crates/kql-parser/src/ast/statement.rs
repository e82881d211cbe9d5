//! Statements: `let`, `set`, `declare`, and tabular expression statements.

use super::{ColumnDecl, Expr, Ident, Query, TypeName};
use crate::Span;

/// A whole query text: statements separated by `;`.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    /// The statements in order.
    pub statements: Vec<Statement>,
    /// The whole text.
    pub span: Span,
}

/// One statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// What kind of statement.
    pub kind: StatementKind,
    /// Its text, without the `;`.
    pub span: Span,
}

/// The kinds of statement.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    /// `let name = …`.
    Let(Let),
    /// `set option [= value]`.
    Set(Set),
    /// `declare query_parameters(…)`.
    DeclareQueryParameters(Vec<Param>),
    /// A tabular expression whose result is returned.
    Query(Query),
}

/// `let name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    /// The bound name.
    pub name: Ident,
    /// What it is bound to.
    pub value: LetValue,
}

/// The right-hand side of a `let`.
///
/// `let x = T;` with a bare name (or a call without `|`) is kept as [`LetValue::Expr`]: only the
/// binder knows whether `T` is a table or a scalar.
#[derive(Clone, Debug, PartialEq)]
pub enum LetValue {
    /// A scalar expression, or a bare name or call.
    Expr(Expr),
    /// A tabular expression.
    Query(Query),
    /// A function (`(a: long) { … }`) or view (`view () { … }`).
    Function(Function),
}

/// A user-defined function or view.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Declared parameters.
    pub params: Vec<Param>,
    /// `let` statements inside the body.
    pub lets: Vec<Let>,
    /// The body's result.
    pub body: Box<LetValue>,
    /// Declared with `view`.
    pub is_view: bool,
    /// From the parameter list to the closing brace.
    pub span: Span,
}

/// A declared parameter: `name: type [= default]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Parameter name.
    pub name: Ident,
    /// Its type.
    pub ty: ParamType,
    /// The default value.
    pub default: Option<Expr>,
}

/// The type of a parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamType {
    /// A scalar type.
    Scalar(TypeName),
    /// A table: `(*)` accepts any schema (empty list), `(a: long, b: string)` requires columns.
    Tabular {
        /// The required columns; empty for `(*)`.
        columns: Vec<ColumnDecl>,
        /// Whether the declaration was `(*)` or ends with `*`.
        any: bool,
    },
}

/// `set name [= value]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Set {
    /// The option, possibly dotted.
    pub name: Ident,
    /// Its value; `set notruncation;` has none.
    pub value: Option<Expr>,
}
