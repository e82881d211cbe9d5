//! Names bound by `let`, `as`, `declare query_parameters` and function parameters.

use std::collections::HashMap;
use std::rc::Rc;

use kql_functions::TypedExpr;
use kql_parser::ast::Function;

use crate::Tabular;

/// What a name is bound to.
#[derive(Clone, Debug)]
pub(crate) enum Binding {
    /// A scalar value, inlined where it is used.
    Scalar(TypedExpr),
    /// A tabular value, whose plan is reused where it is used.
    Tabular(Tabular),
    /// A user-defined function or view, inlined at each call.
    Function(Rc<Function>),
}

/// Nested scopes: the query's, then one per function call being inlined.
#[derive(Debug, Default)]
pub(crate) struct Scopes {
    stack: Vec<HashMap<String, Binding>>,
}

impl Scopes {
    /// One empty scope.
    pub(crate) fn new() -> Self {
        Self {
            stack: vec![HashMap::new()],
        }
    }

    /// Binds `name` in the innermost scope (a later `let` of the same name shadows it).
    pub(crate) fn bind(&mut self, name: &str, binding: Binding) {
        if let Some(scope) = self.stack.last_mut() {
            scope.insert(name.to_string(), binding);
        }
    }

    /// The innermost binding of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Binding> {
        self.stack.iter().rev().find_map(|s| s.get(name))
    }

    /// Enters a function body.
    pub(crate) fn push(&mut self) {
        self.stack.push(HashMap::new());
    }

    /// Leaves a function body.
    pub(crate) fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// Every bound name, for "did you mean".
    pub(crate) fn names(&self) -> Vec<String> {
        self.stack.iter().flat_map(|s| s.keys().cloned()).collect()
    }
}
