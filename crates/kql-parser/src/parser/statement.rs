//! Statements: `let`, `set`, `declare query_parameters`, and query statements; the script.

use super::expr::expect_expr;
use super::ident::{dotted_name, ident};
use super::input::{
    Input, PResult, equals, expect, expect_symbol, hard, keyword, offset, peek_keyword,
    peek_symbol, span_from, symbol, ws,
};
use super::operator::{column_decls, type_name};
use super::query::{expect_query, tabular_or_scalar};
use crate::ast::{Function, Let, LetValue, Param, ParamType, Set, Statement, StatementKind};

/// One statement.
///
/// Production: `statement = let_statement | set_statement | declare_statement |
/// tabular_expression`.
pub(crate) fn statement(i: Input<'_>) -> PResult<'_, Statement> {
    let start = offset(&ws(i));
    let (rest, kind) = if peek_keyword(i, "let") {
        let (rest, l) = let_statement(i)?;
        (rest, StatementKind::Let(l))
    } else if peek_keyword(i, "set") {
        let (rest, s) = set_statement(i)?;
        (rest, StatementKind::Set(s))
    } else if peek_keyword(i, "declare") {
        let (rest, params) = declare_statement(i)?;
        (rest, StatementKind::DeclareQueryParameters(params))
    } else {
        let (rest, q) = expect_query(i, "or a statement")?;
        (rest, StatementKind::Query(q))
    };
    let span = span_from(start, &rest);
    Ok((rest, Statement { kind, span }))
}

/// Production: `let_statement = "let" identifier "=" ( function | view | tabular_or_scalar )`.
pub(crate) fn let_statement(i: Input<'_>) -> PResult<'_, Let> {
    let (i, _) = keyword(i, "let")?;
    let (i, name) = expect(i, "a name after 'let'", ident)?;
    let (i, _) = expect(i, format!("'=' after 'let {}'", name.name), equals)?;
    let (i, value) = let_value(i, &name.name)?;
    Ok((i, Let { name, value }))
}

fn let_value<'a>(i: Input<'a>, name: &str) -> PResult<'a, LetValue> {
    if peek_keyword(i, "view") {
        let (rest, _) = keyword(i, "view")?;
        let (rest, f) = function(rest, true)?;
        return Ok((rest, LetValue::Function(f)));
    }
    match function(i, false) {
        Ok((rest, f)) => return Ok((rest, LetValue::Function(f))),
        Err(nom::Err::Error(_)) => {}
        Err(e) => return Err(e),
    }
    expect(i, format!("a value for '{name}'"), tabular_or_scalar)
}

/// `( params ) { body }`. Soft until the `{` is seen, so `let x = (1 + 2);` is an expression.
///
/// Production: `function = "(" [ param { "," param } ] ")" "{" { let_statement ";" }
/// tabular_or_scalar [";"] "}"`; `view = "view" function`.
fn function(i: Input<'_>, is_view: bool) -> PResult<'_, Function> {
    super::input::nested(&i, || function_inner(i, is_view))
}

fn function_inner(i: Input<'_>, is_view: bool) -> PResult<'_, Function> {
    let start = offset(&ws(i));
    let (i, params) = if is_view {
        let (i, _) = expect_symbol(i, "(", "after 'view'")?;
        param_list_rest(i)?
    } else {
        let (i, _) = symbol(i, "(")?;
        // `(name:` or `() {` starts a function; anything else is a parenthesized expression.
        let empty_then_body = symbol(i, ")").and_then(|(r, _)| symbol(r, "{")).is_ok();
        let typed_param = ident(i).and_then(|(r, _)| symbol(r, ":")).is_ok();
        if !empty_then_body && !typed_param {
            return Err(nom::Err::Error(super::input::PError::expected(
                start,
                "a function",
            )));
        }
        param_list_rest(i)?
    };
    if !peek_symbol(i, "{") {
        let what = if is_view { "view" } else { "function" };
        return hard(&i, format!("'{{' and the body of the {what}"));
    }
    let (mut i, _) = symbol(i, "{")?;
    let mut lets = Vec::new();
    while peek_keyword(i, "let") {
        let (rest, l) = let_statement(i)?;
        lets.push(l);
        let (rest, _) = expect_symbol(rest, ";", "after the 'let' statement")?;
        i = rest;
    }
    let (i, body) = expect(
        i,
        "the function body (an expression or a tabular expression)",
        tabular_or_scalar,
    )?;
    let i = match symbol(i, ";") {
        Ok((rest, _)) => rest,
        Err(_) => i,
    };
    let (i, _) = expect_symbol(i, "}", "to close the function body")?;
    let span = span_from(start, &i);
    Ok((
        i,
        Function {
            params,
            lets,
            body: Box::new(body),
            is_view,
            span,
        },
    ))
}

/// The parameters after `(` up to and including `)`.
fn param_list_rest(i: Input<'_>) -> PResult<'_, Vec<Param>> {
    let mut params = Vec::new();
    if let Ok((rest, _)) = symbol(i, ")") {
        return Ok((rest, params));
    }
    let mut i = i;
    loop {
        let (rest, p) = param(i)?;
        params.push(p);
        match symbol(rest, ",") {
            Ok((rest, _)) => i = rest,
            Err(_) => {
                let (rest, _) = expect_symbol(rest, ")", "or ',' after the parameter")?;
                return Ok((rest, params));
            }
        }
    }
}

/// `name ":" type [ "=" default ]` or `name ":" "(" ( "*" | column_decl { "," column_decl } [ ","
/// "*" ] ) ")"`.
///
/// Production: `param`.
fn param(i: Input<'_>) -> PResult<'_, Param> {
    let (i, name) = ident(i)?;
    let (i, _) = symbol(i, ":")?;
    if let Ok((rest, _)) = symbol(i, "(") {
        if let Ok((rest, _)) = symbol(rest, "*") {
            let (rest, _) = expect_symbol(rest, ")", "after '*'")?;
            let ty = ParamType::Tabular {
                columns: Vec::new(),
                any: true,
            };
            return Ok((
                rest,
                Param {
                    name,
                    ty,
                    default: None,
                },
            ));
        }
        let (rest, columns) = column_decls(rest, "in the table parameter")?;
        let (rest, any) = match symbol(rest, ",") {
            Ok((after, _)) => {
                let (after, _) = expect_symbol(after, "*", "after ',' in the table parameter")?;
                (after, true)
            }
            Err(_) => (rest, false),
        };
        let (rest, _) = expect_symbol(rest, ")", "to close the table parameter")?;
        let ty = ParamType::Tabular { columns, any };
        return Ok((
            rest,
            Param {
                name,
                ty,
                default: None,
            },
        ));
    }
    let (i, ty) = expect(i, "a type after ':'", type_name)?;
    let (i, default) = match equals(i) {
        Ok((rest, _)) => {
            let (rest, e) = expect_expr(rest, "(the default value) after '='")?;
            (rest, Some(e))
        }
        Err(_) => (i, None),
    };
    Ok((
        i,
        Param {
            name,
            ty: ParamType::Scalar(ty),
            default,
        },
    ))
}

/// Production: `set_statement = "set" option_name [ "=" expression ]`.
fn set_statement(i: Input<'_>) -> PResult<'_, Set> {
    let (i, _) = keyword(i, "set")?;
    let (i, name) = expect(i, "an option name after 'set'", dotted_name)?;
    let (i, value) = match equals(i) {
        Ok((rest, _)) => {
            let (rest, e) = expect_expr(rest, &format!("(the value of '{}')", name.name))?;
            (rest, Some(e))
        }
        Err(_) => (i, None),
    };
    Ok((i, Set { name, value }))
}

/// Production: `declare_statement = "declare" "query_parameters" "(" param { "," param } ")"`.
fn declare_statement(i: Input<'_>) -> PResult<'_, Vec<crate::ast::Param>> {
    let (i, _) = keyword(i, "declare")?;
    let (i, _) = expect(i, "'query_parameters' after 'declare'", |r| {
        keyword(r, "query_parameters")
    })?;
    let (i, _) = expect_symbol(i, "(", "after 'query_parameters'")?;
    let (i, params) = match param_list_rest(i) {
        Ok(ok) => ok,
        Err(nom::Err::Error(_)) => return hard(&i, "a parameter 'name: type'"),
        Err(e) => return Err(e),
    };
    let _ = type_name;
    Ok((i, params))
}
