//! Operators with short arguments: `distinct`, `render`, `as`, `serialize`, `sample-distinct`,
//! `evaluate`, `invoke`.

use super::{comma_list, named_expr_list, params};
use crate::ast::{As, Call, Evaluate, OperatorKind, Render, RenderProperty};
use crate::parser::expr::{call_args, expect_expr};
use crate::parser::ident::ident;
use crate::parser::input::{
    Input, PResult, at_end, equals, expect, expect_symbol, hard, keyword, peek_symbol, symbol,
};

/// Production: `distinct = "distinct" ( "*" | expression { "," expression } )`.
pub(super) fn distinct(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, _hints) = params(i, &[])?;
    let (i, columns) = comma_list(i, |r| expect_expr(r, "after 'distinct'"))?;
    Ok((i, OperatorKind::Distinct(columns)))
}

/// Production: `render = "render" identifier [ "with" "(" render_property { "," render_property }
/// ")" ]`, `render_property = identifier "=" expression { "," expression-not-followed-by-"=" }`.
pub(super) fn render(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, chart) = expect(i, "a chart type after 'render'", ident)?;
    let Ok((i, _)) = keyword(i, "with") else {
        return Ok((
            i,
            OperatorKind::Render(Render {
                chart,
                with: Vec::new(),
            }),
        ));
    };
    let (mut i, _) = expect_symbol(i, "(", "after 'with'")?;
    let mut with = Vec::new();
    loop {
        let (rest, name) = expect(i, "a render property name", ident)?;
        let (rest, _) = expect(rest, format!("'=' after '{}'", name.name), equals)?;
        let (mut rest, first) = expect_expr(rest, "as the property value")?;
        let mut values = vec![first];
        // `ycolumns = a, b` lists values until the next `name =`.
        while let Ok((after_comma, _)) = symbol(rest, ",") {
            let next_is_property = ident(after_comma).and_then(|(r, _)| equals(r)).is_ok();
            if next_is_property {
                break;
            }
            let (after, value) = expect_expr(after_comma, "as the property value")?;
            values.push(value);
            rest = after;
        }
        with.push(RenderProperty { name, values });
        match symbol(rest, ",") {
            Ok((after, _)) => i = after,
            Err(_) => {
                let (after, _) = expect_symbol(rest, ")", "to close the render properties")?;
                return Ok((after, OperatorKind::Render(Render { chart, with })));
            }
        }
    }
}

/// Production: `as = "as" { operator_param } identifier`.
pub(super) fn as_(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, params) = params(i, &[])?;
    let (i, name) = expect(i, "a name after 'as'", ident)?;
    Ok((i, OperatorKind::As(As { params, name })))
}

/// Production: `serialize = "serialize" [ named_expression { "," named_expression } ]`.
pub(super) fn serialize(i: Input<'_>) -> PResult<'_, OperatorKind> {
    if at_end(&i) || peek_symbol(i, "|") || peek_symbol(i, ";") || peek_symbol(i, ")") {
        return Ok((i, OperatorKind::Serialize(Vec::new())));
    }
    let (i, items) = named_expr_list(i, "after 'serialize'")?;
    Ok((i, OperatorKind::Serialize(items)))
}

/// Production: `sample_distinct = "sample-distinct" expression "of" expression`.
pub(super) fn sample_distinct(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, count) = expect_expr(i, "after 'sample-distinct'")?;
    let (i, _) = expect(i, "'of' in 'sample-distinct'", |r| keyword(r, "of"))?;
    let (i, column) = expect_expr(i, "after 'of'")?;
    Ok((i, OperatorKind::SampleDistinct { count, column }))
}

/// A call `name(args)` for `evaluate` and `invoke`.
fn call<'a>(i: Input<'a>, op: &str) -> PResult<'a, Call> {
    let (i, name) = expect(i, format!("a function name after '{op}'"), ident)?;
    if !peek_symbol(i, "(") {
        return hard(&i, format!("'(' after '{}'", name.name));
    }
    let (i, args) = call_args(i, &name.name)?;
    Ok((i, Call { name, args }))
}

/// Production: `evaluate = "evaluate" { operator_param } call`.
pub(super) fn evaluate(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, evaluate) = evaluate_body(i)?;
    Ok((i, OperatorKind::Evaluate(evaluate)))
}

/// The part of `evaluate` after the keyword, as an operator or a source.
pub(crate) fn evaluate_body(i: Input<'_>) -> PResult<'_, Evaluate> {
    let (i, params) = params(i, &[])?;
    let (i, plugin) = call(i, "evaluate")?;
    Ok((i, Evaluate { params, plugin }))
}

/// Production: `invoke = "invoke" call`.
pub(super) fn invoke(i: Input<'_>) -> PResult<'_, OperatorKind> {
    let (i, c) = call(i, "invoke")?;
    Ok((i, OperatorKind::Invoke(c)))
}
