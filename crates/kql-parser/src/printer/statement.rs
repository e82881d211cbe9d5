//! Statements and `let` values.

use std::fmt;

use super::query::Inline;
use super::{comma, joined};
use crate::ast::{
    Function, Let, LetValue, Param, ParamType, Script, Set, Statement, StatementKind,
};

/// The statements separated by `;` and a line break, without a trailing `;`.
impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", joined(&self.statements, ";\n"))
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatementKind::Let(binding) => binding.fmt(f),
            StatementKind::Set(set) => set.fmt(f),
            StatementKind::DeclareQueryParameters(params) => {
                write!(f, "declare query_parameters({})", comma(params))
            }
            // The only place a query prints one operator per line.
            StatementKind::Query(query) => write!(f, "{query}"),
        }
    }
}

impl fmt::Display for Let {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "let {} = {}", self.name, self.value)
    }
}

impl fmt::Display for LetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LetValue::Expr(expr) => expr.fmt(f),
            LetValue::Query(query) => Inline(query).fmt(f),
            LetValue::Function(function) => function.fmt(f),
        }
    }
}

/// `[view ](params) { let …; … body }`, on one line.
impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_view {
            f.write_str("view ")?;
        }
        write!(f, "({}) {{ ", comma(&self.params))?;
        self.lets
            .iter()
            .try_for_each(|binding| write!(f, "{binding}; "))?;
        write!(f, "{} }}", self.body)
    }
}

/// `name: type [= default]`.
impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.ty)?;
        if let Some(default) = &self.default {
            write!(f, " = {default}")?;
        }
        Ok(())
    }
}

/// A scalar type, or `(columns[, *])` / `(*)` for a table.
impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamType::Scalar(ty) => ty.fmt(f),
            ParamType::Tabular { columns, any } => {
                write!(f, "({}", comma(columns))?;
                match (columns.is_empty(), any) {
                    (_, false) => {}
                    (true, true) => f.write_str("*")?,
                    (false, true) => f.write_str(", *")?,
                }
                f.write_str(")")
            }
        }
    }
}

/// `set name [= value]`; the option name is printed raw, as it may be dotted.
impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("set ")?;
        f.write_str(&self.name.name)?;
        if let Some(value) = &self.value {
            write!(f, " = {value}")?;
        }
        Ok(())
    }
}
