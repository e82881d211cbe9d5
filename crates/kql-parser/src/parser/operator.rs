//! Tabular operators: the dispatch on the operator's name after `|`, and the pieces several
//! operators share (options, named expressions, sort keys, column declarations).

mod join;
mod make_series;
mod mv;
mod parse;
mod project;
mod simple;
mod sort;
mod summarize;
mod top_nested;

pub(crate) use simple::evaluate_body;

use super::expr::expect_expr;
use super::ident::{dotted_name, ident};
use super::input::{
    Input, PResult, advance, equals, expect, hard, hard_diag, is_ident_char, is_ident_start,
    keyword, offset, span_from, symbol, ws,
};
use super::literal::{bool_literal, number, peek_string, string_literal};
use crate::ast::{
    ColumnDecl, Expr, ExprKind, Ident, Literal, NamedExpr, NullsOrder, Operator, OperatorKind,
    OperatorParam, ScalarType, SortKey, SortOrder, TypeName,
};
use crate::{Code, Diagnostic, Span};

/// Every tabular operator name this parser reads.
pub(crate) const OPERATORS: &[&str] = &[
    "as",
    "count",
    "distinct",
    "evaluate",
    "extend",
    "filter",
    "getschema",
    "invoke",
    "join",
    "limit",
    "lookup",
    "make-series",
    "mv-apply",
    "mv-expand",
    "order",
    "parse",
    "parse-kv",
    "parse-where",
    "project",
    "project-away",
    "project-by-names",
    "project-keep",
    "project-rename",
    "project-reorder",
    "render",
    "sample",
    "sample-distinct",
    "search",
    "serialize",
    "sort",
    "summarize",
    "take",
    "top",
    "top-nested",
    "union",
    "where",
];

/// Operators of KQL that this parser knows by name but does not read yet.
const NOT_SUPPORTED: &[&str] = &[
    "consume",
    "facet",
    "find",
    "fork",
    "graph-match",
    "graph-shortest-paths",
    "make-graph",
    "partition",
    "project-smart",
    "reduce",
    "scan",
    "top-hitters",
    "lookup-hint",
    "assert-schema",
    "macro-expand",
    "mv-apply-hint",
    "graph-to-table",
    "graph-mark-components",
    "execute",
];

/// One operator after `|`.
///
/// Production: `operator = where | project | … ` (see the grammar for each).
pub(crate) fn operator(i: Input<'_>) -> PResult<'_, Operator> {
    let i = ws(i);
    let start = offset(&i);
    let text = *i.fragment();
    if !text.starts_with(is_ident_start) {
        return hard(&i, "an operator after '|'");
    }
    let len = text
        .find(|c: char| !(is_ident_char(c) || c == '-'))
        .unwrap_or(text.len());
    let name = &text[..len];
    let name_span = Span::new(start, start + len);
    let rest = advance(i, len);
    let (rest, kind) = match name {
        "where" | "filter" => {
            let (r, e) = expect_expr(rest, &format!("after '{name}'"))?;
            (r, OperatorKind::Where(e))
        }
        "project" => project::project(rest)?,
        "project-away" => project::project_away(rest)?,
        "project-keep" => project::project_keep(rest)?,
        "project-by-names" => project::project_by_names(rest)?,
        "project-rename" => project::project_rename(rest)?,
        "project-reorder" => project::project_reorder(rest)?,
        "extend" => {
            let (r, items) = named_expr_list(rest, "after 'extend'")?;
            (r, OperatorKind::Extend(items))
        }
        "summarize" => summarize::summarize(rest)?,
        "distinct" => simple::distinct(rest)?,
        "count" => (rest, OperatorKind::Count),
        "take" | "limit" => {
            let (r, e) = expect_expr(rest, &format!("after '{name}'"))?;
            (r, OperatorKind::Take(e))
        }
        "top" => sort::top(rest)?,
        "sort" | "order" => sort::sort(rest, name)?,
        "join" => join::join(rest)?,
        "lookup" => join::lookup(rest)?,
        "union" => {
            let (r, u) = super::query::union_body(rest)?;
            (r, OperatorKind::Union(u))
        }
        "mv-expand" => mv::mv_expand(rest)?,
        "mv-apply" => mv::mv_apply(rest)?,
        "parse" => parse::parse(rest, false)?,
        "parse-where" => parse::parse(rest, true)?,
        "parse-kv" => parse::parse_kv(rest)?,
        "make-series" => make_series::make_series(rest)?,
        "render" => simple::render(rest)?,
        "as" => simple::as_(rest)?,
        "getschema" => (rest, OperatorKind::GetSchema),
        "serialize" => simple::serialize(rest)?,
        "sample" => {
            let (r, e) = expect_expr(rest, "after 'sample'")?;
            (r, OperatorKind::Sample(e))
        }
        "sample-distinct" => simple::sample_distinct(rest)?,
        "top-nested" => top_nested::top_nested(rest)?,
        "search" => {
            let (r, s) = super::query::search_body(rest)?;
            (r, OperatorKind::Search(s))
        }
        "evaluate" => simple::evaluate(rest)?,
        "invoke" => simple::invoke(rest)?,
        _ => return unknown_operator(name, name_span),
    };
    let span = span_from(start, &rest);
    Ok((rest, Operator { kind, span }))
}

fn unknown_operator<T>(name: &str, span: Span) -> PResult<'static, T> {
    if NOT_SUPPORTED.contains(&name) {
        return hard_diag(Diagnostic::new(
            Code::UNSUPPORTED,
            format!("the '{name}' operator is not supported"),
            span,
        ));
    }
    let mut diagnostic = Diagnostic::new(
        Code::UNKNOWN_OPERATOR,
        format!("unknown operator '{name}'"),
        span,
    );
    if let Some(suggestion) = crate::suggest::closest(name, OPERATORS.iter().copied()) {
        diagnostic = diagnostic.with_span_label(format!("did you mean '{suggestion}'?"));
        if suggestion.eq_ignore_ascii_case(name) {
            diagnostic = diagnostic.with_help("KQL keywords are case-sensitive");
        }
    }
    hard_diag(diagnostic)
}

/// Options `name=value` at the start of an operator. Only names in `allowed`, or starting with
/// `hint.`, are options; anything else is left for the operator's own arguments (so
/// `summarize kind = count()` still names an aggregate `kind`).
///
/// Production: `operator_param = option_name "=" (identifier | literal)`.
pub(crate) fn params<'a>(i: Input<'a>, allowed: &[&str]) -> PResult<'a, Vec<OperatorParam>> {
    let mut out = Vec::new();
    let mut i = i;
    loop {
        let Ok((rest, name)) = dotted_name(i) else {
            return Ok((i, out));
        };
        if !(allowed.contains(&name.name.as_str()) || name.name.starts_with("hint.")) {
            return Ok((i, out));
        }
        let Ok((rest, _)) = equals(rest) else {
            return Ok((i, out));
        };
        let (rest, value) = expect(rest, format!("a value for '{}'", name.name), param_value)?;
        out.push(OperatorParam { name, value });
        i = rest;
    }
}

/// The value of an option: a name, a string, a number or a bool.
fn param_value(i: Input<'_>) -> PResult<'_, Expr> {
    let i = ws(i);
    let start = offset(&i);
    if peek_string(i) {
        let (rest, (s, span)) = string_literal(i)?;
        return Ok((rest, Expr::new(ExprKind::Literal(Literal::String(s)), span)));
    }
    if let Ok((rest, b)) = bool_literal(i) {
        return Ok((
            rest,
            Expr::new(
                ExprKind::Literal(Literal::Bool(Some(b))),
                span_from(start, &rest),
            ),
        ));
    }
    if let Ok((rest, lit)) = number(i) {
        return Ok((
            rest,
            Expr::new(ExprKind::Literal(lit), span_from(start, &rest)),
        ));
    }
    let (rest, id) = ident(i)?;
    let span = id.span;
    Ok((rest, Expr::new(ExprKind::Name(id), span)))
}

/// `[name "=" | "(" name { "," name } ")" "="] expression`.
///
/// Production: `named_expression`.
pub(crate) fn named_expr<'a>(i: Input<'a>, context: &str) -> PResult<'a, NamedExpr> {
    let start = offset(&ws(i));
    let (i, names) = match assigned_names(i) {
        Some((rest, names)) => (rest, names),
        None => (i, Vec::new()),
    };
    let context = if names.is_empty() {
        context.to_string()
    } else {
        "after '='".to_string()
    };
    let (rest, expr) = expect_expr(i, &context)?;
    let span = Span::new(start, expr.span.end.max(start));
    Ok((rest, NamedExpr { names, expr, span }))
}

/// `name =` or `(a, b) =` before an expression.
fn assigned_names(i: Input<'_>) -> Option<(Input<'_>, Vec<Ident>)> {
    if let Ok((rest, name)) = ident(i) {
        if let Ok((rest, _)) = equals(rest) {
            return Some((rest, vec![name]));
        }
        return None;
    }
    let (mut rest, _) = symbol(i, "(").ok()?;
    let mut names = Vec::new();
    loop {
        let (after, name) = ident(rest).ok()?;
        names.push(name);
        if let Ok((after, _)) = symbol(after, ",") {
            rest = after;
            continue;
        }
        let (after, _) = symbol(after, ")").ok()?;
        let (after, _) = equals(after).ok()?;
        return Some((after, names));
    }
}

/// `named_expression { "," named_expression }`.
pub(crate) fn named_expr_list<'a>(i: Input<'a>, context: &str) -> PResult<'a, Vec<NamedExpr>> {
    let (mut i, first) = named_expr(i, context)?;
    let mut items = vec![first];
    while let Ok((rest, _)) = symbol(i, ",") {
        let (rest, item) = named_expr(rest, "after ','")?;
        items.push(item);
        i = rest;
    }
    Ok((i, items))
}

/// `[asc | desc] [nulls (first | last)]` after a sort expression.
///
/// Production: `sort_key = expression [ "asc" | "desc" ] [ "nulls" ( "first" | "last" ) ]`.
pub(crate) fn sort_key<'a>(i: Input<'a>, context: &str) -> PResult<'a, SortKey> {
    let (i, expr) = expect_expr(i, context)?;
    let (i, order) = sort_order(i);
    let (i, nulls) = match keyword(i, "nulls") {
        Ok((rest, _)) => {
            if let Ok((rest, _)) = keyword(rest, "first") {
                (rest, Some(NullsOrder::First))
            } else if let Ok((rest, _)) = keyword(rest, "last") {
                (rest, Some(NullsOrder::Last))
            } else {
                return hard(&rest, "'first' or 'last' after 'nulls'");
            }
        }
        Err(_) => (i, None),
    };
    Ok((i, SortKey { expr, order, nulls }))
}

/// `asc` / `desc`, if present.
pub(crate) fn sort_order(i: Input<'_>) -> (Input<'_>, Option<SortOrder>) {
    if let Ok((rest, _)) = keyword(i, "asc") {
        (rest, Some(SortOrder::Asc))
    } else if let Ok((rest, _)) = keyword(i, "desc") {
        (rest, Some(SortOrder::Desc))
    } else {
        (i, None)
    }
}

/// A scalar type name, with its aliases.
///
/// Production: `type_name`.
pub(crate) fn type_name(i: Input<'_>) -> PResult<'_, TypeName> {
    let (rest, (w, span)) = super::ident::word(i)?;
    match ScalarType::from_name(w) {
        Some(ty) => Ok((rest, TypeName { ty, span })),
        None => hard_diag(
            Diagnostic::new(Code::SYNTAX, format!("unknown type '{w}'"), span).with_help(
                "the types are bool, int, long, real, decimal, string, datetime, timespan, guid, dynamic",
            ),
        ),
    }
}

/// `name ":" type`.
///
/// Production: `column_decl = identifier ":" type_name`.
pub(crate) fn column_decl<'a>(i: Input<'a>, context: &str) -> PResult<'a, ColumnDecl> {
    let (i, name) = expect(i, format!("a column name {context}"), ident)?;
    let (i, _) = expect(i, format!("':' and a type after '{}'", name.name), |r| {
        symbol(r, ":")
    })?;
    let (i, ty) = expect(i, "a type name", type_name)?;
    Ok((i, ColumnDecl { name, ty }))
}

/// `column_decl { "," column_decl }`.
pub(crate) fn column_decls<'a>(i: Input<'a>, context: &str) -> PResult<'a, Vec<ColumnDecl>> {
    let (mut i, first) = column_decl(i, context)?;
    let mut out = vec![first];
    while let Ok((rest, _)) = symbol(i, ",") {
        // `(a: long, *)` in a table parameter: the `*` belongs to the caller.
        if symbol(rest, "*").is_ok() {
            break;
        }
        let (rest, decl) = column_decl(rest, context)?;
        out.push(decl);
        i = rest;
    }
    Ok((i, out))
}

/// A comma-separated list of at least one item.
pub(crate) fn comma_list<'a, T>(
    i: Input<'a>,
    mut item: impl FnMut(Input<'a>) -> PResult<'a, T>,
) -> PResult<'a, Vec<T>> {
    let (mut i, first) = item(i)?;
    let mut out = vec![first];
    while let Ok((rest, _)) = symbol(i, ",") {
        let (rest, next) = item(rest)?;
        out.push(next);
        i = rest;
    }
    Ok((i, out))
}
