//! `parse` and `parse-where`: columns extracted from a string by a pattern of constants,
//! captures and `*` wildcards, all compiled into one regular expression evaluated once per row.
//!
//! - `kind=simple` (the default): constants are literal text; `*` and a capture are lazy
//!   (`.*?`), a capture that ends the pattern takes the rest, and a number capture matches only a
//!   number; the match is anchored at the start. A typed capture that does not convert makes the
//!   whole row unparsed.
//! - `kind=regex`: constants are regular expressions; `*` and captures are greedy unless
//!   `flags=U` (ungreedy) is given, as the documentation's examples show.
//! - `kind=relaxed`: as simple, but a capture that does not convert is null on its own.
//!
//! An unparsed row keeps its other columns; its captures are empty strings or nulls.
//! `parse-where` drops unparsed rows instead.

use datafusion::functions::expr_fn::regexp_match;
use datafusion::functions_nested::expr_fn::array_element;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, when};
use datafusion::prelude::{coalesce, lit};
use kql_functions::{KqlType, TypedExpr};
use kql_parser::Span;
use kql_parser::ast::{ExprKind, Literal, Parse, ParsePart};

use crate::error::{OrInternal, PResult, codes, error};
use crate::expr::finish;
use crate::planner::Planner;
use crate::tabular::column_ref;
use crate::{KqlColumn, Tabular};

/// The internal column holding each row's captures.
const CAPTURES: &str = "__kql_parse";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Simple,
    Regex,
    Relaxed,
}

impl Planner<'_> {
    pub(super) fn parse(
        &mut self,
        p: &Parse,
        input: Tabular,
        span: Span,
        where_: bool,
    ) -> PResult<Tabular> {
        let mut kind = Kind::Simple;
        let mut flags = String::new();
        for param in &p.params {
            let value = match &param.value.kind {
                ExprKind::Name(n) => n.name.clone(),
                ExprKind::Literal(Literal::String(s)) => s.clone(),
                _ => String::new(),
            };
            match (param.name.name.as_str(), value.as_str()) {
                ("kind", "simple") => kind = Kind::Simple,
                ("kind", "regex") => kind = Kind::Regex,
                ("kind", "relaxed") => kind = Kind::Relaxed,
                ("flags", f) if f.chars().all(|c| "Uimsx".contains(c)) => flags = f.to_string(),
                _ => {
                    return Err(error(
                        codes::INVALID_VALUE,
                        format!("'{}={value}' is not an option of parse", param.name.name),
                        param.value.span,
                    ));
                }
            }
        }
        let text = self.expr(&p.expr, &input)?;
        let text = text.to_text();
        // The regular expression and the captured columns, in order. Columns are named groups,
        // so groups in a user's regex (kind=regex) do not shift them.
        let lazy = kind != Kind::Regex;
        let any = if lazy { ".*?" } else { ".*" };
        let mut regex = String::from("^");
        if !flags.is_empty() && kind == Kind::Regex {
            regex = format!("(?{flags})^");
        }
        let mut captures: Vec<(String, KqlType)> = Vec::new();
        let parts = &p.pattern;
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            match part {
                ParsePart::Text(t) if kind == Kind::Regex => regex.push_str(&non_capturing(t)),
                ParsePart::Text(t) => regex.push_str(&regex::escape(t)),
                ParsePart::Star => regex.push_str(any),
                ParsePart::Column(_) | ParsePart::UntypedColumn(_) => {
                    let (name, ty) = match part {
                        ParsePart::Column(c) => {
                            (c.name.name.clone(), KqlType::from_scalar_type(c.ty.ty))
                        }
                        ParsePart::UntypedColumn(id) => (id.name.clone(), KqlType::String),
                        _ => unreachable_part(),
                    };
                    if captures.iter().any(|(n, _)| *n == name) {
                        return Err(error(
                            codes::INVALID_QUERY,
                            format!("'{name}' is captured twice"),
                            span,
                        ));
                    }
                    let number = match ty {
                        KqlType::Int | KqlType::Long => Some(r"-?\d+"),
                        KqlType::Real | KqlType::Decimal => {
                            Some(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
                        }
                        _ => None,
                    };
                    let body = match number {
                        // Strict kinds match a number by its shape ("27", not "27, x"); relaxed
                        // prefers a number but lets anything else through, to become null.
                        Some(n) if kind == Kind::Relaxed => format!("{n}|.*?"),
                        Some(n) => n.to_string(),
                        None if last && lazy => ".*".to_string(),
                        None => any.to_string(),
                    };
                    regex.push_str(&format!("(?P<__kql_c{}>{body})", captures.len()));
                    captures.push((name, ty));
                }
            }
        }
        let compiled = match regex::Regex::new(&regex) {
            Ok(r) => r,
            Err(_) => {
                return Err(error(
                    codes::INVALID_VALUE,
                    format!("the parse pattern is not a valid regular expression: {regex}"),
                    span,
                ));
            }
        };
        if captures.is_empty() {
            return Err(error(
                codes::INVALID_QUERY,
                "the parse pattern captures no column",
                span,
            ));
        }
        // regexp_match lists every group in order; find where each column's group is.
        let positions: Vec<i64> = (0..captures.len())
            .map(|k| {
                let name = format!("__kql_c{k}");
                compiled
                    .capture_names()
                    .skip(1)
                    .position(|n| n == Some(name.as_str()))
                    .map_or(0, |p| p as i64 + 1)
            })
            .collect();
        let mut exprs: Vec<Expr> = input.columns.iter().map(|c| column_ref(&c.name)).collect();
        exprs.push(regexp_match(text, lit(regex), None).alias(CAPTURES));
        let matched = input
            .builder()
            .project(exprs)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        // Each capture converted to its type; in simple mode a failed conversion unparses the row.
        let typed: Vec<TypedExpr> = captures
            .iter()
            .enumerate()
            .map(|(i, (_, ty))| {
                let raw = TypedExpr::new(
                    array_element(column_ref(CAPTURES), lit(positions[i])),
                    KqlType::String,
                );
                TypedExpr::new(raw.convert_to(*ty), *ty)
            })
            .collect();
        let mut parsed = column_ref(CAPTURES).is_not_null();
        if kind == Kind::Simple {
            for t in &typed {
                if t.ty != KqlType::String {
                    parsed = parsed.and(t.expr.clone().is_not_null());
                }
            }
        }
        let matched_schema = matched.schema().clone();
        let mut out: Vec<Expr> = Vec::new();
        let mut columns: Vec<KqlColumn> = Vec::new();
        let value_of = |i: usize| -> PResult<Expr> {
            let t = &typed[i];
            let value = finish(t, &matched_schema);
            if t.ty == KqlType::String {
                // Strings are never null: an unparsed row captures "".
                return when(parsed.clone(), coalesce(vec![value, lit("")]))
                    .otherwise(lit(""))
                    .or_internal(span);
            }
            let null =
                lit(datafusion::common::ScalarValue::try_from(&t.ty.to_arrow())
                    .or_internal(span)?);
            when(parsed.clone(), value)
                .otherwise(null)
                .or_internal(span)
        };
        for c in &input.columns {
            match captures.iter().position(|(n, _)| *n == c.name) {
                Some(i) => {
                    out.push(value_of(i)?.alias(&c.name));
                    columns.push(KqlColumn::new(c.name.clone(), captures[i].1));
                }
                None => {
                    out.push(column_ref(&c.name));
                    columns.push(c.clone());
                }
            }
        }
        for (i, (name, ty)) in captures.iter().enumerate() {
            if input.column(name).is_none() {
                out.push(value_of(i)?.alias(name));
                columns.push(KqlColumn::new(name.clone(), *ty));
            }
        }
        let mut builder = LogicalPlanBuilder::from(matched);
        if where_ {
            builder = builder.filter(parsed.clone()).or_internal(span)?;
        }
        let plan = builder
            .project(out)
            .or_internal(span)?
            .build()
            .or_internal(span)?;
        Ok(Tabular { plan, columns })
    }
}

/// The match above only sees capture parts; this keeps it exhaustive without a panic.
fn unreachable_part() -> (String, KqlType) {
    (String::new(), KqlType::String)
}

/// A user's regular expression with its groups made non-capturing: `regexp_match` lists only
/// the groups that took part in a match, so an optional group of the user's (`(previous)?`) that
/// did not would shift every column's capture after it.
fn non_capturing(regex: &str) -> String {
    let mut out = String::with_capacity(regex.len() + 8);
    let mut chars = regex.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '(' if !in_class => {
                out.push('(');
                if chars.peek() == Some(&'?') {
                    // `(?P<name>…)` and `(?<name>…)` capture too; other `(?…)` forms do not.
                    let rest: String = chars.clone().take(3).collect();
                    if rest.starts_with("?P<")
                        || (rest.starts_with("?<")
                            && !rest.starts_with("?<=")
                            && !rest.starts_with("?<!"))
                    {
                        for n in chars.by_ref() {
                            if n == '>' {
                                break;
                            }
                        }
                        out.push_str("?:");
                    }
                } else {
                    out.push_str("?:");
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::non_capturing;

    #[test]
    fn user_groups_stop_capturing() {
        assert_eq!(non_capturing("(.*?)[a-z]*="), "(?:.*?)[a-z]*=");
        assert_eq!(
            non_capturing(r".*?(previous)?lockTime="),
            r".*?(?:previous)?lockTime="
        );
        assert_eq!(non_capturing(r"\(x\)[(]"), r"\(x\)[(]");
        assert_eq!(
            non_capturing(r"(?i)a(?:b)(?P<n>c)(?<m>d)"),
            r"(?i)a(?:b)(?:c)(?:d)"
        );
        assert_eq!(non_capturing(r"[]()](a)"), r"[]()](?:a)");
    }
}
