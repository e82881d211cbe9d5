//! `project-away`, `project-keep`, `project-rename`, `project-reorder`: column selection by name
//! and wildcard pattern.

use kql_parser::Span;
use kql_parser::ast::{ColumnPattern, Rename, ReorderItem, ReorderOrder};

use crate::error::{PResult, codes, error};
use crate::naming::wildcard_match;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// Checks that a pattern without wildcards names an existing column (KQL reports those).
fn check_exists(p: &ColumnPattern, input: &Tabular) -> PResult<()> {
    if !p.pattern.contains('*') && input.column(&p.pattern).is_none() {
        let mut d = error(
            codes::UNKNOWN_COLUMN,
            format!("unknown column '{}'", p.pattern),
            p.span,
        );
        if let Some(s) = kql_parser::suggest::closest(&p.pattern, input.names()) {
            d = d.with_span_label(format!("did you mean '{s}'?"));
        }
        return Err(d);
    }
    Ok(())
}

fn select(input: Tabular, keep: impl Fn(&KqlColumn) -> bool, span: Span) -> PResult<Tabular> {
    let columns: Vec<KqlColumn> = input.columns.iter().filter(|c| keep(c)).cloned().collect();
    let exprs = columns
        .iter()
        .map(|c| column_ref(&c.name))
        .collect::<Vec<_>>();
    input.project(exprs, columns, span)
}

pub(super) fn project_away(
    patterns: &[ColumnPattern],
    input: Tabular,
    span: Span,
) -> PResult<Tabular> {
    for p in patterns {
        check_exists(p, &input)?;
    }
    select(
        input,
        |c| !patterns.iter().any(|p| wildcard_match(&p.pattern, &c.name)),
        span,
    )
}

pub(super) fn project_keep(
    patterns: &[ColumnPattern],
    input: Tabular,
    span: Span,
) -> PResult<Tabular> {
    for p in patterns {
        check_exists(p, &input)?;
    }
    select(
        input,
        |c| patterns.iter().any(|p| wildcard_match(&p.pattern, &c.name)),
        span,
    )
}

/// Renames keep each column's position.
pub(super) fn project_rename(renames: &[Rename], input: Tabular, span: Span) -> PResult<Tabular> {
    for r in renames {
        check_exists(
            &ColumnPattern {
                pattern: r.old.name.clone(),
                span: r.old.span,
            },
            &input,
        )?;
    }
    let mut exprs = Vec::new();
    let mut columns = Vec::new();
    for c in &input.columns {
        let new = renames
            .iter()
            .find(|r| r.old.name == c.name)
            .map(|r| r.new.name.clone());
        let name = new.unwrap_or_else(|| c.name.clone());
        if columns.iter().any(|x: &KqlColumn| x.name == name) {
            return Err(error(
                codes::INVALID_QUERY,
                format!("column '{name}' would appear twice"),
                span,
            ));
        }
        exprs.push(column_ref(&c.name).alias(&name));
        columns.push(KqlColumn::new(name, c.ty));
    }
    input.project(exprs, columns, span)
}

/// The listed columns first (a pattern's matches ordered as asked), then the rest as they were.
pub(super) fn project_reorder(
    items: &[ReorderItem],
    input: Tabular,
    span: Span,
) -> PResult<Tabular> {
    let mut ordered: Vec<KqlColumn> = Vec::new();
    for item in items {
        check_exists(&item.pattern, &input)?;
        let mut matched: Vec<KqlColumn> = input
            .columns
            .iter()
            .filter(|c| {
                wildcard_match(&item.pattern.pattern, &c.name)
                    && !ordered.iter().any(|o| o.name == c.name)
            })
            .cloned()
            .collect();
        match item.order {
            Some(ReorderOrder::Asc) => matched.sort_by(|a, b| a.name.cmp(&b.name)),
            Some(ReorderOrder::Desc) => matched.sort_by(|a, b| b.name.cmp(&a.name)),
            Some(ReorderOrder::GrannyAsc) => matched.sort_by(|a, b| natural_cmp(&a.name, &b.name)),
            Some(ReorderOrder::GrannyDesc) => matched.sort_by(|a, b| natural_cmp(&b.name, &a.name)),
            None => {}
        }
        ordered.extend(matched);
    }
    for c in &input.columns {
        if !ordered.iter().any(|o| o.name == c.name) {
            ordered.push(c.clone());
        }
    }
    let exprs = ordered
        .iter()
        .map(|c| column_ref(&c.name))
        .collect::<Vec<_>>();
    input.project(exprs, ordered, span)
}

/// "Granny" order: digit runs compare as numbers, so `a2` comes before `a10`.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let mut ai = a.chars().peekable();
    let mut bi = b.chars().peekable();
    loop {
        match (ai.peek().copied(), bi.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let mut na = String::new();
                while let Some(c) = ai.peek().copied().filter(char::is_ascii_digit) {
                    na.push(c);
                    ai.next();
                }
                let mut nb = String::new();
                while let Some(c) = bi.peek().copied().filter(char::is_ascii_digit) {
                    nb.push(c);
                    bi.next();
                }
                let ord = na.len().cmp(&nb.len()).then(na.cmp(&nb));
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
            }
            (Some(x), Some(y)) => {
                let ord = x.cmp(&y);
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                ai.next();
                bi.next();
            }
        }
    }
}

impl crate::planner::Planner<'_> {
    /// `project-by-names`: the columns named by constant strings (or wildcard patterns) and
    /// `dynamic` arrays of them, in the order named; a pattern's matches in column order; a
    /// column named twice once; a name that matches no column is ignored (as documented).
    pub(super) fn project_by_names(
        &mut self,
        names: &[kql_parser::ast::Expr],
        input: Tabular,
        span: Span,
    ) -> PResult<Tabular> {
        let mut patterns: Vec<String> = Vec::new();
        for e in names {
            let v = self.expr(e, &Tabular::empty())?;
            let not_constant = || {
                error(
                    codes::INVALID_VALUE,
                    "project-by-names takes constant column names: strings or arrays of them",
                    e.span,
                )
            };
            let text = match crate::expr::constant(&v.expr) {
                Some(datafusion::common::ScalarValue::Utf8(Some(s))) => s,
                _ => return Err(not_constant()),
            };
            match v.ty {
                kql_functions::KqlType::String => patterns.push(text),
                kql_functions::KqlType::Dynamic => {
                    let items: Vec<serde_json::Value> =
                        serde_json::from_str(&text).map_err(|_| not_constant())?;
                    for item in items {
                        let serde_json::Value::String(s) = item else {
                            return Err(not_constant());
                        };
                        patterns.push(s);
                    }
                }
                _ => return Err(not_constant()),
            }
        }
        let mut columns: Vec<KqlColumn> = Vec::new();
        for pattern in &patterns {
            for c in &input.columns {
                if wildcard_match(pattern, &c.name) && !columns.iter().any(|x| x.name == c.name) {
                    columns.push(c.clone());
                }
            }
        }
        let exprs = columns.iter().map(|c| column_ref(&c.name)).collect();
        input.project(exprs, columns, span)
    }
}
