//! `search` and `*` as the left side of a string operator (`where * has "x"`).
//!
//! Both are rewritten into an ordinary `where` predicate before planning. A string term on its
//! own in a `search` predicate means "some column has it": `has` for a plain term, `hasprefix`
//! for `"err*"`, `hassuffix` for `"*err"`, `contains` for `"*err*"`, and a regular expression
//! for a `*` inside (`"te*ar"`), over every column (non-string ones by their text). The
//! comparisons are case-insensitive unless `kind=case_sensitive`. `* op "x"` is `op` over every
//! column, joined by `or`. Terms combine with `and`, `or` and `not()` as any predicate does.
//!
//! As a source (`search "x"`, `search in (T1, T2) "x"`) the rows come from the tables (all of
//! them without `in`), with the table's name in the column `$table`.

use kql_functions::KqlType;
use kql_parser::Span;
use kql_parser::ast::{
    Arg, BinaryOp, Call, Expr, ExprKind, Ident, Literal, Operator, OperatorKind, OperatorParam,
    Query, Search, SourceKind, Union,
};

use crate::error::{PResult, codes, error};
use crate::planner::Planner;
use crate::{KqlColumn, Tabular};

/// The column naming each row's table when `search` reads tables.
const TABLE_COLUMN: &str = "$table";

impl Planner<'_> {
    /// `T | search …`.
    pub(super) fn search(&mut self, s: &Search, input: Tabular, span: Span) -> PResult<Tabular> {
        if !s.tables.is_empty() {
            return Err(error(
                codes::INVALID_QUERY,
                "search after '|' reads its input: 'in (…)' is only for a search that starts a \
                 query",
                span,
            ));
        }
        let case_sensitive = case_sensitive(s)?;
        let predicate = search_predicate(&s.predicate, &input.columns, case_sensitive)?;
        let op = Operator {
            kind: OperatorKind::Where(predicate),
            span,
        };
        self.operator(&op, input)
    }

    /// `search [in (T1, …)] …` starting a query.
    pub(crate) fn search_source(&mut self, s: &Search, span: Span) -> PResult<Tabular> {
        let case_sensitive = case_sensitive(s)?;
        let mut names: Vec<Ident> = s.tables.clone();
        if names.is_empty() {
            let mut all = self.catalog.table_names();
            all.sort();
            names = all.into_iter().map(|n| Ident::new(n, span)).collect();
        }
        if names.is_empty() {
            return Err(error(
                codes::UNKNOWN_TABLE,
                "there are no tables to search",
                span,
            ));
        }
        let tables = names
            .into_iter()
            .map(|name| {
                let span = name.span;
                Query::of_source(SourceKind::Table(name), span)
            })
            .collect();
        let union = Union {
            params: vec![OperatorParam {
                name: Ident::new("withsource", span),
                value: Expr::name(TABLE_COLUMN, span),
            }],
            tables,
        };
        let rows = self.union(None, &union, span)?;
        let searched: Vec<KqlColumn> = rows
            .columns
            .iter()
            .filter(|c| c.name != TABLE_COLUMN)
            .cloned()
            .collect();
        let predicate = search_predicate(&s.predicate, &searched, case_sensitive)?;
        let op = Operator {
            kind: OperatorKind::Where(predicate),
            span,
        };
        self.operator(&op, rows)
    }
}

fn case_sensitive(s: &Search) -> PResult<bool> {
    let mut sensitive = false;
    for p in &s.params {
        let value = match &p.value.kind {
            ExprKind::Name(n) => n.name.as_str(),
            _ => "",
        };
        match (p.name.name.as_str(), value) {
            ("kind", "case_sensitive") => sensitive = true,
            ("kind", "case_insensitive" | "default") => sensitive = false,
            _ => {
                return Err(error(
                    codes::INVALID_VALUE,
                    format!("'{}={value}' is not an option of search", p.name.name),
                    p.value.span,
                ));
            }
        }
    }
    Ok(sensitive)
}

/// A `search` predicate as a `where` predicate over `columns`.
fn search_predicate(e: &Expr, columns: &[KqlColumn], case_sensitive: bool) -> PResult<Expr> {
    let span = e.span;
    Ok(match &e.kind {
        ExprKind::Literal(Literal::String(term)) => {
            any_column_has(term, columns, case_sensitive, span)
        }
        ExprKind::Binary { op, left, right } if matches!(op, BinaryOp::And | BinaryOp::Or) => {
            Expr::new(
                ExprKind::Binary {
                    op: *op,
                    left: Box::new(search_predicate(left, columns, case_sensitive)?),
                    right: Box::new(search_predicate(right, columns, case_sensitive)?),
                },
                span,
            )
        }
        ExprKind::Call(call) if call.name.name == "not" && call.args.len() == 1 => {
            let inner = search_predicate(&call.args[0].value, columns, case_sensitive)?;
            Expr::call("not", vec![inner], span)
        }
        _ => expand_star(e, columns)?,
    })
}

/// `e` with each `* op x` replaced by `op` over every column, joined by `or`.
pub(crate) fn expand_star(e: &Expr, columns: &[KqlColumn]) -> PResult<Expr> {
    let span = e.span;
    Ok(match &e.kind {
        ExprKind::Binary { op, left, right } if matches!(left.kind, ExprKind::Star) => {
            if !is_string_operator(*op) {
                return Err(error(
                    codes::INVALID_QUERY,
                    "'*' stands for every column only on the left of a string operator \
                     (has, contains, startswith, ==, …)",
                    left.span,
                ));
            }
            any_of(columns, span, |column| {
                Expr::new(
                    ExprKind::Binary {
                        op: *op,
                        left: Box::new(column),
                        right: right.clone(),
                    },
                    span,
                )
            })
        }
        ExprKind::Binary { op, left, right } => Expr::new(
            ExprKind::Binary {
                op: *op,
                left: Box::new(expand_star(left, columns)?),
                right: Box::new(expand_star(right, columns)?),
            },
            span,
        ),
        ExprKind::Call(call) if call.name.name == "not" => {
            let args = call
                .args
                .iter()
                .map(|a| {
                    Ok(Arg {
                        name: a.name.clone(),
                        value: expand_star(&a.value, columns)?,
                    })
                })
                .collect::<PResult<Vec<_>>>()?;
            Expr::new(
                ExprKind::Call(Call {
                    name: call.name.clone(),
                    args,
                }),
                span,
            )
        }
        _ => e.clone(),
    })
}

/// Whether `e` holds a `*` operand anywhere `expand_star` would replace it.
pub(crate) fn has_star_operand(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Binary { left, right, .. } => {
            matches!(left.kind, ExprKind::Star) || has_star_operand(left) || has_star_operand(right)
        }
        ExprKind::Call(call) if call.name.name == "not" => {
            call.args.iter().any(|a| has_star_operand(&a.value))
        }
        _ => false,
    }
}

fn is_string_operator(op: BinaryOp) -> bool {
    !matches!(
        op,
        BinaryOp::Or
            | BinaryOp::And
            | BinaryOp::Lt
            | BinaryOp::LtEq
            | BinaryOp::Gt
            | BinaryOp::GtEq
            | BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::Mul
            | BinaryOp::Div
            | BinaryOp::Mod
    )
}

/// "Some column has `term`", with `*` wildcards as `search` reads them.
fn any_column_has(term: &str, columns: &[KqlColumn], case_sensitive: bool, span: Span) -> Expr {
    let starts = term.starts_with('*');
    let ends = term.len() > 1 && term.ends_with('*');
    let inner = term.trim_start_matches('*').trim_end_matches('*');
    let (op, needle) = if inner.contains('*') {
        let pattern: Vec<String> = inner.split('*').map(regex::escape).collect();
        let flags = if case_sensitive { "" } else { "(?i)" };
        (
            BinaryOp::MatchesRegex,
            format!("{flags}{}", pattern.join(".*")),
        )
    } else {
        let op = match (starts, ends, case_sensitive) {
            (true, true, false) => BinaryOp::Contains,
            (true, true, true) => BinaryOp::ContainsCs,
            (false, true, false) => BinaryOp::HasPrefix,
            (false, true, true) => BinaryOp::HasPrefixCs,
            (true, false, false) => BinaryOp::HasSuffix,
            (true, false, true) => BinaryOp::HasSuffixCs,
            (false, false, false) => BinaryOp::Has,
            (false, false, true) => BinaryOp::HasCs,
        };
        (op, inner.to_string())
    };
    let needle = Expr::new(ExprKind::Literal(Literal::String(needle)), span);
    any_of(columns, span, |column| {
        Expr::new(
            ExprKind::Binary {
                op,
                left: Box::new(column),
                right: Box::new(needle.clone()),
            },
            span,
        )
    })
}

/// `test(column)` over every column (non-string ones as `tostring(column)`), joined by `or`;
/// `false` for no columns.
fn any_of(columns: &[KqlColumn], span: Span, test: impl Fn(Expr) -> Expr) -> Expr {
    let mut tests = columns.iter().map(|c| {
        let column = Expr::name(&c.name, span);
        let text = if c.ty == KqlType::String {
            column
        } else {
            Expr::call("tostring", vec![column], span)
        };
        test(text)
    });
    let Some(first) = tests.next() else {
        return Expr::new(ExprKind::Literal(Literal::Bool(Some(false))), span);
    };
    tests.fold(first, |acc, t| {
        Expr::new(
            ExprKind::Binary {
                op: BinaryOp::Or,
                left: Box::new(acc),
                right: Box::new(t),
            },
            span,
        )
    })
}
