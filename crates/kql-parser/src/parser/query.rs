//! Tabular expressions: sources (`T`, `datatable`, `print`, `range`, `union`, …) and the
//! `| operator` pipeline after them.

use super::expr::{call_args, expect_expr, expr};
use super::ident::{column_pattern, ident, word};
use super::input::{
    Input, PResult, expect, expect_symbol, hard_diag, keyword, nested, offset, peek_keyword,
    peek_symbol, soft, span_from, symbol, ws,
};
use super::literal::string_literal;
use super::operator::{column_decls, evaluate_body, named_expr_list, operator, params};
use crate::ast::{
    BinaryOp, Datatable, Expr, ExprKind, Externaldata, Ident, LetValue, ListOp, Literal, Query,
    Range, Search, Source, SourceKind, Union,
};
use crate::{Code, Diagnostic, Span};

impl LetValue {
    /// The value as an expression: a tabular value becomes [`ExprKind::Subquery`].
    pub(crate) fn into_expr(self) -> Expr {
        match self {
            LetValue::Expr(e) => e,
            LetValue::Query(q) => {
                let span = q.span;
                Expr::new(ExprKind::Subquery(Box::new(q)), span)
            }
            LetValue::Function(f) => {
                // Functions only appear on the right of `let`; never reached from here.
                Expr::new(ExprKind::Literal(Literal::Bool(None)), f.span)
            }
        }
    }
}

/// Words that start a tabular expression and nothing else.
/// A column may still be called `print` or `range`, so the word only counts when what follows
/// it could not follow a name in an expression.
fn starts_tabular(i: Input<'_>) -> bool {
    let Ok((after, (w, _))) = word(i) else {
        return false;
    };
    match w {
        "datatable" | "materialize" => peek_symbol(after, "("),
        "print" | "union" | "externaldata" | "search" => !ends_a_name(after),
        "range" => !ends_a_name(after) && !peek_symbol(after, "("),
        "evaluate" => starts_plugin_call(after),
        "find" => starts_find(after),
        _ => false,
    }
}

/// Whether what follows a word at `after` could only follow a name in an expression, so the
/// word is a name rather than the keyword that starts a tabular source.
fn ends_a_name(after: Input<'_>) -> bool {
    let next = ws(after).fragment().chars().next();
    next.is_none_or(|c| "),];.[=!<>+-*/%|".contains(c))
}

/// After `evaluate`: a plugin call `name(` or a `hint.` option, which no expression has after a
/// name.
fn starts_plugin_call(after: Input<'_>) -> bool {
    let Ok((rest, (w, _))) = word(after) else {
        return false;
    };
    if w == "hint" && rest.fragment().starts_with('.') {
        return true;
    }
    let operator_word = BinaryOp::ALL
        .iter()
        .map(|(_, s)| *s)
        .chain(ListOp::ALL.iter().map(|(_, s)| *s))
        .chain(["and", "or", "between", "matches"])
        .any(|s| s == w);
    !operator_word && peek_symbol(rest, "(")
}

/// After `find`: `where`, `withsource=` or `in (…) where`, which no expression has after a
/// name (`find in (1, 2)` alone is a membership test).
fn starts_find(after: Input<'_>) -> bool {
    if peek_keyword(after, "where") || peek_keyword(after, "withsource") {
        return true;
    }
    let Ok((rest, _)) = keyword(after, "in") else {
        return false;
    };
    let rest = ws(rest);
    if !rest.fragment().starts_with('(') {
        return false;
    }
    skip_group(rest.fragment())
        .is_some_and(|len| peek_keyword(super::input::advance(rest, len), "where"))
}

/// The span of a cross-database or cross-cluster reference at the start of `i`:
/// `database("d").T`, `cluster("c").database("d").T`.
fn cross_database_reference(i: Input<'_>) -> Option<Span> {
    let i = ws(i);
    let start = offset(&i);
    let (after, (w, _)) = word(i).ok()?;
    if !matches!(w, "cluster" | "database") || !peek_symbol(after, "(") {
        return None;
    }
    let (mut rest, _) = call_args(after, w).ok()?;
    let is_dot = |r: &Input<'_>| r.fragment().starts_with('.') && !r.fragment().starts_with("..");
    if !is_dot(&rest) {
        return None;
    }
    // The rest of the chain: `.database("d")`, `.T`, `.['odd name']`.
    while is_dot(&rest) {
        let Ok((after, name)) = ident(super::input::advance(rest, 1)) else {
            break;
        };
        rest = after;
        if peek_symbol(rest, "(") {
            match call_args(rest, &name.name) {
                Ok((after, _)) => rest = after,
                Err(_) => break,
            }
        }
    }
    Some(Span::new(start, offset(&rest)))
}

/// A hard KQL0008 error if `i` starts with a cross-database reference.
pub(crate) fn reject_cross_database(i: Input<'_>) -> Result<(), nom::Err<super::input::PError>> {
    match cross_database_reference(i) {
        Some(span) => Err(nom::Err::Failure(super::input::PError::diagnostic(
            Diagnostic::new(
                Code::UNSUPPORTED,
                "cross-database references are not supported",
                span,
            )
            .with_span_label("a table in another database or cluster")
            .with_help("this engine reads only its own tables: refer to the table by its name"),
        ))),
        None => Ok(()),
    }
}

/// Whether the parenthesized text starting at `i` (which starts with `(`) is a tabular
/// expression: it holds a `|` outside any inner brackets and strings, or starts with a tabular
/// keyword. A linear scan, so nested parentheses are parsed once rather than tried both ways.
fn parenthesized_is_tabular(i: Input<'_>) -> bool {
    let i = ws(i);
    let text = *i.fragment();
    let Some(inner) = text.strip_prefix('(') else {
        return false;
    };
    let inner_input = super::input::advance(i, 1);
    let first = ws(inner_input);
    if starts_tabular(first) {
        return true;
    }
    if first.fragment().starts_with('(') {
        // `((T | count))`: the first inner group decides.
        return parenthesized_is_tabular(first) && {
            let after = skip_group(first.fragment()).unwrap_or(0);
            let rest = &first.fragment()[after..];
            rest.trim_start().starts_with([')', '|'])
        };
    }
    let mut depth = 0usize;
    let mut chars = inner.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            '|' if depth == 0 => return true,
            '\'' | '"' => {
                while let Some((_, d)) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// The length of the bracket group at the start of `text` (which starts with `(`), if closed.
fn skip_group(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (pos, c) in text.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(pos + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where both may stand (`let` values, call arguments, `in` lists): a tabular expression or a
/// scalar one. A bare name or call without `|` stays an expression; the binder decides.
///
/// Production: `tabular_or_scalar = tabular_expression | expression`.
pub(crate) fn tabular_or_scalar(i: Input<'_>) -> PResult<'_, LetValue> {
    reject_cross_database(i)?;
    if starts_tabular(i) {
        let (rest, q) = query(i)?;
        return Ok((rest, LetValue::Query(q)));
    }
    if peek_symbol(i, "(") && parenthesized_is_tabular(i) {
        // `(T | where …)` is a query; `(1 + 2)` and `(x)` are expressions.
        let (rest, q) = query(i)?;
        return Ok((rest, LetValue::Query(q)));
    }
    let (rest, e) = expr(i)?;
    if !peek_symbol(rest, "|") {
        return Ok((rest, LetValue::Expr(e)));
    }
    let source = expr_to_source(e)?;
    let start = source.span.start;
    let (rest, operators) = pipeline(rest)?;
    let span = span_from(start, &rest);
    Ok((
        rest,
        LetValue::Query(Query {
            source,
            operators,
            span,
        }),
    ))
}

fn expr_to_source(e: Expr) -> Result<Source, nom::Err<super::input::PError>> {
    let span = e.span;
    let kind = match e.kind {
        ExprKind::Name(name) => SourceKind::Table(name),
        ExprKind::Call(call) => SourceKind::Call(call),
        _ => {
            return Err(nom::Err::Failure(super::input::PError::diagnostic(
                Diagnostic::new(
                    Code::SYNTAX,
                    "a tabular expression must start with a table name, a function call or a tabular source",
                    span,
                )
                .with_span_label("this is a scalar expression")
                .with_help("'|' passes a table to the next operator"),
            )));
        }
    };
    Ok(Source { kind, span })
}

/// A tabular expression: a source and its operators.
///
/// Production: `tabular_expression = source { "|" operator }`.
pub(crate) fn query(i: Input<'_>) -> PResult<'_, Query> {
    nested(&i, || query_inner(i))
}

fn query_inner(i: Input<'_>) -> PResult<'_, Query> {
    let start = offset(&ws(i));
    let (rest, source) = source(i)?;
    let (rest, operators) = pipeline(rest)?;
    let span = span_from(start, &rest);
    Ok((
        rest,
        Query {
            source,
            operators,
            span,
        },
    ))
}

/// A tabular expression where one is required: a hard error otherwise.
pub(crate) fn expect_query<'a>(i: Input<'a>, context: &str) -> PResult<'a, Query> {
    expect(
        i,
        format!("a tabular expression {context} (a table name, datatable, print, range, union, …)"),
        query,
    )
}

/// `{ "|" operator }`.
///
/// Production: `pipeline`.
pub(crate) fn pipeline(i: Input<'_>) -> PResult<'_, Vec<crate::ast::Operator>> {
    let mut operators = Vec::new();
    let mut i = i;
    while let Ok((rest, _)) = symbol(i, "|") {
        let (rest, op) = operator(rest)?;
        operators.push(op);
        i = rest;
    }
    Ok((i, operators))
}

/// Where rows come from.
///
/// Production: `source = datatable | print | range | union | materialize | externaldata | search
/// | "(" tabular_expression ")" | call | table_name`.
fn source(i: Input<'_>) -> PResult<'_, Source> {
    let i = ws(i);
    let start = offset(&i);
    fn done(start: usize, rest: Input<'_>, kind: SourceKind) -> PResult<'_, Source> {
        let span = span_from(start, &rest);
        Ok((rest, Source { kind, span }))
    }
    if peek_symbol(i, "(") {
        let (rest, _) = symbol(i, "(")?;
        let (rest, inner) = query(rest)?;
        // Soft: `(x + 1)` is not a query, and the caller may try an expression instead.
        let (rest, _) = symbol(rest, ")")?;
        return done(start, rest, SourceKind::Paren(Box::new(inner)));
    }
    let (after, w) = match word(i) {
        Ok((after, (w, _))) => (after, w),
        Err(_) if i.fragment().starts_with('[') => (i, ""),
        Err(_) => return soft(&i, "a tabular expression"),
    };
    match w {
        "datatable" if peek_symbol(after, "(") => {
            let (rest, datatable) = datatable(after)?;
            return done(start, rest, SourceKind::Datatable(datatable));
        }
        "print" => {
            let (rest, items) = named_expr_list(after, "after 'print'")?;
            return done(start, rest, SourceKind::Print(items));
        }
        "range" if !peek_symbol(after, "(") => {
            let (rest, range) = range(after)?;
            return done(start, rest, SourceKind::Range(range));
        }
        "union" => {
            let (rest, union) = union_body(after)?;
            return done(start, rest, SourceKind::Union(union));
        }
        "materialize" if peek_symbol(after, "(") => {
            let (rest, _) = symbol(after, "(")?;
            let (rest, inner) = expect_query(rest, "inside materialize()")?;
            let (rest, _) = expect_symbol(rest, ")", "to close materialize(")?;
            return done(start, rest, SourceKind::Materialize(Box::new(inner)));
        }
        "externaldata" => {
            let (rest, ext) = externaldata(after)?;
            return done(start, rest, SourceKind::Externaldata(ext));
        }
        "search" => {
            let (rest, search) = search_body(after)?;
            return done(start, rest, SourceKind::Search(search));
        }
        "evaluate" if !ends_a_name(after) => {
            let (rest, evaluate) = evaluate_body(after)?;
            return done(start, rest, SourceKind::Evaluate(evaluate));
        }
        "find" if !ends_a_name(after) => {
            return hard_diag(Diagnostic::new(
                Code::UNSUPPORTED,
                "the 'find' operator is not supported",
                Span::new(start, start + w.len()),
            ));
        }
        _ => {}
    }
    reject_cross_database(i)?;
    let (rest, name) = ident(i)?;
    if peek_symbol(rest, "(") {
        let (rest, args) = call_args(rest, &name.name)?;
        return done(
            start,
            rest,
            SourceKind::Call(crate::ast::Call { name, args }),
        );
    }
    done(start, rest, SourceKind::Table(name))
}

/// `datatable ( column_decls ) [ values ]`, after the keyword.
///
/// Production: `datatable = "datatable" "(" column_decl { "," column_decl } ")" "[" [ expression
/// { "," expression } [","] ] "]"`.
fn datatable(i: Input<'_>) -> PResult<'_, Datatable> {
    let (i, _) = expect_symbol(i, "(", "after 'datatable'")?;
    let (i, columns) = column_decls(i, "in datatable")?;
    let (i, _) = expect_symbol(i, ")", "to close the datatable columns")?;
    let (mut i, _) = expect_symbol(i, "[", "before the datatable values")?;
    let mut values = Vec::new();
    loop {
        if let Ok((rest, _)) = symbol(i, "]") {
            return Ok((rest, Datatable { columns, values }));
        }
        let (rest, value) = expect_expr(i, "as a datatable value")?;
        values.push(value);
        i = rest;
        match symbol(i, ",") {
            Ok((rest, _)) => i = rest,
            Err(_) => {
                let (rest, _) = expect_symbol(i, "]", "or ',' after the datatable value")?;
                return Ok((rest, Datatable { columns, values }));
            }
        }
    }
}

/// `range Column from start to stop step step`, after the keyword.
///
/// Production: `range = "range" identifier "from" expression "to" expression "step" expression`.
fn range(i: Input<'_>) -> PResult<'_, Range> {
    let (i, column) = expect(i, "a column name after 'range'", ident)?;
    let (i, _) = expect(i, "'from' in range", |r| keyword(r, "from"))?;
    let (i, from) = expect_expr(i, "after 'from'")?;
    let (i, _) = expect(i, "'to' in range", |r| keyword(r, "to"))?;
    let (i, to) = expect_expr(i, "after 'to'")?;
    let (i, _) = expect(i, "'step' in range", |r| keyword(r, "step"))?;
    let (i, step) = expect_expr(i, "after 'step'")?;
    Ok((
        i,
        Range {
            column,
            from,
            to,
            step,
        },
    ))
}

/// The part of `union` after the keyword, as a source or an operator.
///
/// Production: `union = "union" { union_param } union_item { "," union_item }` with
/// `union_item = "(" tabular_expression ")" | table_pattern | call`.
pub(crate) fn union_body(i: Input<'_>) -> PResult<'_, Union> {
    let (mut i, params) = params(i, &["kind", "withsource", "isfuzzy"])?;
    let mut tables = Vec::new();
    loop {
        let (rest, item) = union_item(i)?;
        tables.push(item);
        match symbol(rest, ",") {
            Ok((rest, _)) => i = rest,
            Err(_) => return Ok((rest, Union { params, tables })),
        }
    }
}

fn union_item(i: Input<'_>) -> PResult<'_, Query> {
    let i = ws(i);
    let start = offset(&i);
    reject_cross_database(i)?;
    if peek_symbol(i, "(") {
        let (rest, _) = symbol(i, "(")?;
        let (rest, inner) = expect_query(rest, "in union")?;
        let (rest, _) = expect_symbol(rest, ")", "to close the union item")?;
        // Like the right side of `join`, the item is the query inside the parentheses.
        return Ok((rest, inner));
    }
    let (rest, (pattern, span)) = expect(i, "a table name or '(' in union", column_pattern)?;
    let (rest, kind) = if peek_symbol(rest, "(") && !pattern.contains('*') {
        let (rest, args) = call_args(rest, &pattern)?;
        let name = Ident::new(pattern, span);
        (rest, SourceKind::Call(crate::ast::Call { name, args }))
    } else {
        (rest, SourceKind::Table(Ident::new(pattern, span)))
    };
    let span = span_from(start, &rest);
    Ok((rest, Query::of_source(kind, span)))
}

/// `externaldata ( column_decls ) [ uri, … ] [with ( params )]`, after the keyword.
///
/// Production: `externaldata`.
fn externaldata(i: Input<'_>) -> PResult<'_, Externaldata> {
    let (i, _) = expect_symbol(i, "(", "after 'externaldata'")?;
    let (i, columns) = column_decls(i, "in externaldata")?;
    let (i, _) = expect_symbol(i, ")", "to close the externaldata columns")?;
    let (mut i, _) = expect_symbol(i, "[", "before the externaldata URIs")?;
    let mut uris = Vec::new();
    loop {
        let (rest, (uri, span)) = expect(i, "a storage URI string", string_literal)?;
        uris.push(Expr::new(ExprKind::Literal(Literal::String(uri)), span));
        match symbol(rest, ",") {
            Ok((rest, _)) => i = rest,
            Err(_) => {
                i = expect_symbol(rest, "]", "or ',' after the URI")?.0;
                break;
            }
        }
    }
    let (i, with) = with_params(i)?;
    Ok((
        i,
        Externaldata {
            columns,
            uris,
            with,
        },
    ))
}

/// `[with ( name = value, … )]`.
///
/// Production: `with_params`.
pub(crate) fn with_params(i: Input<'_>) -> PResult<'_, Vec<crate::ast::OperatorParam>> {
    let Ok((i, _)) = keyword(i, "with") else {
        return Ok((i, Vec::new()));
    };
    let (mut i, _) = expect_symbol(i, "(", "after 'with'")?;
    let mut out = Vec::new();
    if let Ok((rest, _)) = symbol(i, ")") {
        return Ok((rest, out));
    }
    loop {
        let (rest, name) = expect(i, "a property name", super::ident::dotted_name)?;
        let (rest, _) = expect(rest, "'=' after the property name", super::input::equals)?;
        let (rest, value) = expect_expr(rest, "as the property value")?;
        out.push(crate::ast::OperatorParam { name, value });
        match symbol(rest, ",") {
            Ok((rest, _)) => i = rest,
            Err(_) => {
                let (rest, _) = expect_symbol(rest, ")", "to close 'with ('")?;
                return Ok((rest, out));
            }
        }
    }
}

/// The part of `search` after the keyword.
///
/// Production: `search = "search" { search_param } [ "in" "(" table_pattern { "," table_pattern }
/// ")" ] expression`.
pub(crate) fn search_body(i: Input<'_>) -> PResult<'_, Search> {
    let (i, params) = params(i, &["kind"])?;
    let mut tables = Vec::new();
    let mut i = i;
    if peek_keyword(i, "in") {
        let (rest, _) = keyword(i, "in")?;
        let (mut rest, _) = expect_symbol(rest, "(", "after 'search in'")?;
        loop {
            let (after, (pattern, span)) = expect(rest, "a table name", column_pattern)?;
            tables.push(Ident::new(pattern, span));
            match symbol(after, ",") {
                Ok((after, _)) => rest = after,
                Err(_) => {
                    rest = expect_symbol(after, ")", "to close 'in ('")?.0;
                    break;
                }
            }
        }
        i = rest;
    }
    let (i, predicate) = expect_expr(i, "to search for")?;
    Ok((
        i,
        Search {
            params,
            tables,
            predicate,
        },
    ))
}
