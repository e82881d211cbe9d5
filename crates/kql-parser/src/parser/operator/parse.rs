//! `parse`, `parse-where` and `parse-kv`.

use super::{column_decls, params, type_name};
use crate::ast::{ColumnDecl, OperatorKind, Parse, ParseKv, ParsePart};
use crate::parser::expr::expect_expr;
use crate::parser::ident::ident;
use crate::parser::input::{Input, PResult, expect, expect_symbol, hard, keyword, symbol};
use crate::parser::literal::{peek_string, string_literal};
use crate::parser::query::with_params;

/// Production: `parse = ("parse" | "parse-where") { operator_param } expression "with"
/// parse_part { parse_part }` with `parse_part = string_literal | "*" | identifier [":"
/// type_name]`.
pub(super) fn parse(i: Input<'_>, where_: bool) -> PResult<'_, OperatorKind> {
    let op = if where_ { "parse-where" } else { "parse" };
    let (i, params) = params(i, &["kind", "flags"])?;
    let (i, expr) = expect_expr(i, &format!("to parse after '{op}'"))?;
    let (mut i, _) = expect(
        i,
        format!("'with' and a pattern after the expression of '{op}'"),
        |r| keyword(r, "with"),
    )?;
    let mut pattern = Vec::new();
    loop {
        if peek_string(i) {
            let (rest, (text, _)) = string_literal(i)?;
            pattern.push(ParsePart::Text(text));
            i = rest;
        } else if let Ok((rest, _)) = symbol(i, "*") {
            pattern.push(ParsePart::Star);
            i = rest;
        } else if let Ok((rest, name)) = ident(i) {
            if let Ok((rest, _)) = symbol(rest, ":") {
                let (rest, ty) = expect(rest, "a type after ':'", type_name)?;
                pattern.push(ParsePart::Column(ColumnDecl { name, ty }));
                i = rest;
            } else {
                pattern.push(ParsePart::UntypedColumn(name));
                i = rest;
            }
        } else {
            break;
        }
    }
    if pattern.is_empty() {
        return hard(&i, format!("a pattern after 'with' in '{op}'"));
    }
    let parse = Parse {
        params,
        expr,
        pattern,
    };
    Ok((
        i,
        if where_ {
            OperatorKind::ParseWhere(parse)
        } else {
            OperatorKind::Parse(parse)
        },
    ))
}

/// Production: `parse_kv = "parse-kv" expression "as" "(" column_decl { "," column_decl } ")" [
/// with_params ]`.
pub(super) fn parse_kv(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, expr) = expect_expr(i, "to parse after 'parse-kv'")?;
    let (i, _) = expect(i, "'as' and the keys of 'parse-kv'", |r| keyword(r, "as"))?;
    let (i, _) = expect_symbol(i, "(", "after 'as'")?;
    let (i, columns) = column_decls(i, "in parse-kv")?;
    let (i, _) = expect_symbol(i, ")", "to close the keys of 'parse-kv'")?;
    let (i, with) = with_params(i)?;
    Ok((
        i,
        OperatorKind::ParseKv(ParseKv {
            expr,
            columns,
            with,
        }),
    ))
}
