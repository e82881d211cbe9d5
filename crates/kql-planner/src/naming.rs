//! KQL's names for result columns that the query does not name.
//!
//! - A column reference keeps its name; a member path `customDimensions.x` becomes
//!   `customDimensions_x`, and a conversion of one (`tostring(customDimensions.x)`) too.
//! - In `summarize … by`, a `bin()` (or `bin_at`, `floor`) of a column keeps the column's name.
//! - Aggregates follow their function's pattern: `count_`, `avg_X`, `percentile_X_95`.
//! - Anything else is `Column1`, `Column2`, … and `print` values are `print_0`, `print_1`, ….
//! - A name already taken gets a numeric suffix: `x1`, `x2`, ….

use kql_parser::ast::{Expr, ExprKind, Literal, NamedExpr};

use crate::error::{PResult, codes, error};

/// Functions whose unnamed result takes the name of their (first) argument.
const NAME_PRESERVING: &[&str] = &[
    "tostring",
    "toint",
    "tolong",
    "todouble",
    "toreal",
    "tobool",
    "toboolean",
    "todatetime",
    "totimespan",
    "todecimal",
    "toguid",
    "todynamic",
    "parse_json",
    "toobject",
];

/// Functions named after themselves and their first argument (`dcount_hll(merged)` is
/// `dcount_hll_merged`), as Kusto names the readers of sketches.
const PREFIXING: &[&str] = &[
    "dcount_hll",
    "percentile_tdigest",
    "percentrank_tdigest",
    "rank_tdigest",
];

/// Functions that keep their first argument's name as a `summarize` key.
const KEY_NAME_PRESERVING: &[&str] = &["bin", "bin_at", "floor"];

/// The name KQL derives from an expression, if it derives one (else the caller numbers it).
pub(crate) fn derived_name(e: &Expr, as_group_key: bool) -> Option<String> {
    match &e.kind {
        ExprKind::Name(id) => Some(id.name.clone()),
        ExprKind::Member { target, name } => {
            derived_name(target, false).map(|t| format!("{t}_{}", name.name))
        }
        ExprKind::Index { target, index } => {
            let key = match &index.kind {
                ExprKind::Literal(Literal::String(s)) => s.clone(),
                ExprKind::Literal(Literal::Long(Some(n))) => n.to_string(),
                _ => return None,
            };
            derived_name(target, false).map(|t| format!("{t}_{key}"))
        }
        ExprKind::Call(call) => {
            let name = call.name.name.as_str();
            let inherits = NAME_PRESERVING.contains(&name)
                || (as_group_key && KEY_NAME_PRESERVING.contains(&name));
            let first = || {
                call.args
                    .first()
                    .and_then(|a| derived_name(&a.value, false))
            };
            if inherits {
                first()
            } else if PREFIXING.contains(&name) {
                first().map(|a| format!("{name}_{a}"))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Hands out names for one operator's output: numbered `Column1…` and suffixes for clashes.
#[derive(Default, Debug)]
pub(crate) struct Namer {
    taken: Vec<String>,
    next_column: usize,
}

impl Namer {
    /// A namer that already holds `names` (e.g. the columns `extend` keeps).
    pub(crate) fn with_taken(names: impl IntoIterator<Item = String>) -> Self {
        Self {
            taken: names.into_iter().collect(),
            next_column: 0,
        }
    }

    /// Claims `name`, or `name1`, `name2`, … if it is taken.
    pub(crate) fn claim(&mut self, name: &str) -> String {
        let unique = if self.is_taken(name) {
            (1..)
                .map(|n| format!("{name}{n}"))
                .find(|candidate| !self.is_taken(candidate))
                .unwrap_or_else(|| name.to_string())
        } else {
            name.to_string()
        };
        self.taken.push(unique.clone());
        unique
    }

    /// Claims `name` exactly (an explicit `Name = …`): the caller handles replacement.
    pub(crate) fn claim_exact(&mut self, name: &str) {
        if !self.is_taken(name) {
            self.taken.push(name.to_string());
        }
    }

    /// The next free `ColumnN`.
    pub(crate) fn column(&mut self) -> String {
        loop {
            self.next_column += 1;
            let name = format!("Column{}", self.next_column);
            if !self.is_taken(&name) {
                self.taken.push(name.clone());
                return name;
            }
        }
    }

    /// The output name of a `[Name =] expr` item: its explicit name, else the name KQL derives
    /// from the expression, else the next `ColumnN`. `operator` names the operator in the error
    /// for tuple names, which only some aggregates produce.
    pub(crate) fn name_item(
        &mut self,
        item: &NamedExpr,
        as_group_key: bool,
        operator: &str,
    ) -> PResult<String> {
        match item.names.as_slice() {
            [] => Ok(match derived_name(&item.expr, as_group_key) {
                Some(n) => self.claim(&n),
                None => self.column(),
            }),
            [n] => {
                self.claim_exact(&n.name);
                Ok(n.name.clone())
            }
            _ => Err(error(
                codes::UNSUPPORTED,
                format!("tuple names in {operator} are not supported yet"),
                item.span,
            )),
        }
    }

    /// Whether `name` is taken.
    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.taken.iter().any(|t| t == name)
    }
}

/// Whether `name` matches a `project-away` style pattern where `*` is any run of characters.
pub(crate) fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || !name[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Time*", "TimeGenerated"));
        assert!(wildcard_match("*Id", "TenantId"));
        assert!(wildcard_match("*", "x"));
        assert!(wildcard_match("a*b*c", "aXbYc"));
        assert!(!wildcard_match("a*b*c", "aXcYb"));
        assert!(!wildcard_match("Time*", "Type"));
        assert!(wildcard_match("Level", "Level"));
    }

    #[test]
    fn clashes_get_suffixes() {
        let mut n = Namer::with_taken(["x".to_string()]);
        assert_eq!(n.claim("x"), "x1");
        assert_eq!(n.claim("x"), "x2");
        assert_eq!(n.column(), "Column1");
        assert_eq!(n.column(), "Column2");
    }
}
