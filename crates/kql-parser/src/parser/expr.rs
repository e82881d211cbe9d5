//! Scalar expressions, by precedence climbing, with Kusto.Language's levels (loosest first):
//! `or` < `and` < `== != in between …` < `< <= > >=` < `+ -` < `* / %` < `=~ !~ has contains …`
//! < unary < postfix. Equality, relational and string operators do not chain.

use super::ident::{ident, word};
use super::input::{
    Input, PResult, advance, expect, expect_symbol, hard, is_ident_char, keyword, nested, offset,
    peek_symbol, soft, symbol, symbol_not_before, ws,
};
use super::literal::{
    bool_literal, number, peek_string, quoted_string, string_literal, typed_literal,
};
use super::query::tabular_or_scalar;
use crate::Span;
use crate::ast::{
    Arg, BinaryOp, Call, Expr, ExprKind, ListOp, Literal, Precedence, ScalarType, UnaryOp,
};

/// Words that cannot start an expression, so `where and` reports a missing expression rather than
/// reading `and` as a column.
const NOT_AN_EXPRESSION: &[&str] = &["and", "or", "by"];

/// A scalar expression.
///
/// Production: `expression = or_expr`.
pub(crate) fn expr(i: Input<'_>) -> PResult<'_, Expr> {
    nested(&i, || binary(i, Precedence::Or))
}

/// An expression without equality, relational operators, `and`, `or` (arithmetic and string
/// operators only): where a keyword such as `in` follows
/// (`make-series … on Axis in range(…)`).
///
/// Production: `additive`.
pub(crate) fn additive_expr(i: Input<'_>) -> PResult<'_, Expr> {
    nested(&i, || binary(i, Precedence::Additive))
}

/// An expression, or a hard error "expected an expression {context}".
pub(crate) fn expect_expr<'a>(i: Input<'a>, context: &str) -> PResult<'a, Expr> {
    expect(i, format!("an expression {context}"), expr)
}

/// Binary operators at `level` and tighter.
///
/// Productions: `or_expr = and_expr { "or" and_expr }`, `and_expr = equality { "and" equality
/// }`, `relational = additive [ relational_op additive ]`, `additive = multiplicative { ("+" |
/// "-") multiplicative }`, `multiplicative = string_op_expr { ("*" | "/" | "%")
/// string_op_expr }`, `string_op_expr = unary [ string_op unary ]`.
fn binary(i: Input<'_>, level: Precedence) -> PResult<'_, Expr> {
    match level {
        Precedence::Equality => return equality(i),
        Precedence::Unary | Precedence::Primary => return unary(i),
        _ => {}
    }
    let next = level.tighter();
    let (mut i, mut left) = binary(i, next)?;
    loop {
        let Some((rest, op, _)) = infix_at(i, level) else {
            return Ok((i, left));
        };
        let (rest, right) = expect(
            rest,
            format!("an expression after '{}'", op.as_str()),
            |r| binary(r, next),
        )?;
        let span = left.span.to(right.span);
        left = Expr::new(
            ExprKind::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            span,
        );
        i = rest;
        if !level.chains() {
            // `a < b < c`: the second operator is left for the caller, which reports it.
            return Ok((i, left));
        }
    }
}

/// The infix operator of precedence `level` at the start of `i`, if any.
fn infix_at(i: Input<'_>, level: Precedence) -> Option<(Input<'_>, BinaryOp, Span)> {
    let i = ws(i);
    let text = *i.fragment();
    let start = offset(&i);
    for &(op, spelling) in BinaryOp::ALL {
        if op.precedence() != level {
            continue;
        }
        let Some(after) = text.strip_prefix(spelling) else {
            continue;
        };
        if op.is_word() && after.starts_with(is_ident_char) {
            continue;
        }
        // `/` and `//` (a comment) were told apart by `ws`; `-` and `->` do not occur in KQL.
        if !op.is_word() && is_symbol_prefix_of_longer(spelling, after) {
            continue;
        }
        return Some((
            advance(i, spelling.len()),
            op,
            Span::new(start, start + spelling.len()),
        ));
    }
    if level == Precedence::Equality && text.starts_with("<>") {
        return Some((advance(i, 2), BinaryOp::NotEq, Span::new(start, start + 2)));
    }
    // `matches regex` may have any white space between its words.
    if level == Precedence::StringOp
        && let Ok((rest, _)) = keyword(i, "matches")
        && let Ok((rest, end)) = keyword(rest, "regex")
    {
        return Some((rest, BinaryOp::MatchesRegex, Span::new(start, end.end)));
    }
    None
}

/// `<` must not match the start of `<=` or `<>`, nor `>` the start of `>=`.
fn is_symbol_prefix_of_longer(spelling: &str, after: &str) -> bool {
    match spelling {
        "<" => after.starts_with(['=', '>']),
        ">" => after.starts_with('='),
        _ => false,
    }
}

/// The equality level: `relational [ list_op "(" items ")" | ["!"] "between" "(" expression
/// ".." expression ")" | ("==" | "!=" | "<>") relational ]`. One operator at most: equality
/// does not chain.
///
/// Production: `equality`.
fn equality(i: Input<'_>) -> PResult<'_, Expr> {
    let (i, left) = binary(i, Precedence::Relational)?;
    // List operators: in, !in, in~, !in~, has_any, has_all.
    if let Some((rest, op)) = list_op_at(i) {
        let (rest, _) = expect_symbol(rest, "(", &format!("after '{}'", op.as_str()))?;
        let (rest, items) = list_items(rest, op)?;
        let (rest, close) =
            expect_symbol(rest, ")", &format!("to close the '{}' list", op.as_str()))?;
        let span = left.span.to(close);
        return Ok((
            rest,
            Expr::new(
                ExprKind::List {
                    op,
                    expr: Box::new(left),
                    items,
                },
                span,
            ),
        ));
    }
    let (between_input, negated) = match symbol(i, "!") {
        Ok((rest, _)) if peek_between(rest) => (rest, true),
        _ => (i, false),
    };
    if let Ok((rest, _)) = keyword(between_input, "between") {
        let name = if negated { "!between" } else { "between" };
        let (rest, _) = expect_symbol(rest, "(", &format!("after '{name}'"))?;
        // The bounds are whole expressions (Kusto's `ParseRequiredExpressionCouple`); ".."
        // is no operator, so each stops before it.
        let (rest, low) = expect(rest, format!("the lower bound of '{name}'"), expr)?;
        let (rest, _) = expect_symbol(rest, "..", "between the bounds")?;
        let (rest, high) = expect(rest, format!("the upper bound of '{name}'"), expr)?;
        let (rest, close) = expect_symbol(rest, ")", &format!("to close '{name}'"))?;
        let span = left.span.to(close);
        return Ok((
            rest,
            Expr::new(
                ExprKind::Between {
                    expr: Box::new(left),
                    low: Box::new(low),
                    high: Box::new(high),
                    negated,
                },
                span,
            ),
        ));
    }
    let Some((rest, op, _)) = infix_at(i, Precedence::Equality) else {
        return Ok((i, left));
    };
    let (rest, right) = expect(
        rest,
        format!("an expression after '{}'", op.as_str()),
        |r| binary(r, Precedence::Relational),
    )?;
    let span = left.span.to(right.span);
    Ok((
        rest,
        Expr::new(
            ExprKind::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            span,
        ),
    ))
}

fn peek_between(i: Input<'_>) -> bool {
    // `!between` is written without a space.
    i.fragment().starts_with("between") && keyword(i, "between").is_ok()
}

fn list_op_at(i: Input<'_>) -> Option<(Input<'_>, ListOp)> {
    let i = ws(i);
    let text = *i.fragment();
    for &(op, spelling) in ListOp::ALL {
        if let Some(after) = text.strip_prefix(spelling)
            && (spelling.ends_with('~')
                || !after.starts_with(|c: char| is_ident_char(c) || c == '-'))
        {
            return Some((advance(i, spelling.len()), op));
        }
    }
    None
}

/// The items of an `in (…)` list: expressions or one tabular expression.
fn list_items<'a>(i: Input<'a>, op: ListOp) -> PResult<'a, Vec<Expr>> {
    let mut items = Vec::new();
    if peek_symbol(i, ")") {
        return Ok((i, items));
    }
    let mut i = i;
    loop {
        let (rest, item) = expect(
            i,
            format!("a value in the '{}' list", op.as_str()),
            tabular_or_scalar_expr,
        )?;
        items.push(item);
        match symbol(rest, ",") {
            Ok((rest, _)) => i = rest,
            Err(_) => return Ok((rest, items)),
        }
    }
}

/// An expression or a tabular expression (as [`ExprKind::Subquery`]), where both may appear:
/// call arguments and `in` lists.
pub(crate) fn tabular_or_scalar_expr(i: Input<'_>) -> PResult<'_, Expr> {
    let (rest, value) = tabular_or_scalar(i)?;
    Ok((rest, value.into_expr()))
}

/// `-x`, `+x`, or a postfix expression.
///
/// Production: `unary = ("-" | "+") unary | postfix`.
fn unary(i: Input<'_>) -> PResult<'_, Expr> {
    let start = offset(&ws(i));
    for (sym, op) in [("-", UnaryOp::Neg), ("+", UnaryOp::Plus)] {
        if let Ok((rest, _)) = symbol(i, sym) {
            let (rest, operand) = nested(&rest, || {
                expect(rest, format!("an expression after '{sym}'"), unary)
            })?;
            let span = Span::new(start, operand.span.end);
            return Ok((
                rest,
                Expr::new(
                    ExprKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                    span,
                ),
            ));
        }
    }
    postfix(i)
}

/// A primary followed by member accesses, indexes and calls.
///
/// Production: `postfix = primary { "." member | "." "[" expression "]" | "[" expression "]" }`.
fn postfix(i: Input<'_>) -> PResult<'_, Expr> {
    let (mut i, mut target) = primary(i)?;
    loop {
        let text = *i.fragment();
        // Member access: `.name` or `.['name']` directly after the target; `.[expr]` with
        // anything but a string inside is an index (Kusto's bracketed path selector).
        if text.starts_with('.') && !text.starts_with("..") {
            let after = advance(i, 1);
            if ws(after).fragment().starts_with('[') && !is_bracketed_name(after) {
                let (rest, index) = bracket_index(after)?;
                let span = Span::new(target.span.start, offset(&rest));
                target = Expr::new(
                    ExprKind::Index {
                        target: Box::new(target),
                        index: Box::new(index),
                    },
                    span,
                );
                i = rest;
                continue;
            }
            let (rest, name) = expect(after, "a member name after '.'", ident)?;
            let span = Span::new(target.span.start, name.span.end);
            target = Expr::new(
                ExprKind::Member {
                    target: Box::new(target),
                    name,
                },
                span,
            );
            i = rest;
            continue;
        }
        if ws(i).fragment().starts_with('[') {
            let (rest, index) = bracket_index(i)?;
            let span = Span::new(target.span.start, offset(&rest));
            target = Expr::new(
                ExprKind::Index {
                    target: Box::new(target),
                    index: Box::new(index),
                },
                span,
            );
            i = rest;
            continue;
        }
        return Ok((i, target));
    }
}

/// `[ expression ]` after an indexed value.
fn bracket_index(i: Input<'_>) -> PResult<'_, Expr> {
    let (rest, _) = symbol(i, "[")?;
    let (rest, index) = expect_expr(rest, "as the index")?;
    let (rest, _) = expect_symbol(rest, "]", "to close the index")?;
    Ok((rest, index))
}

/// Whether `[` at `i` starts a bracketed name `['…']` / `["…"]`: a string literal directly
/// inside, then `]`.
fn is_bracketed_name(i: Input<'_>) -> bool {
    let i = ws(i);
    let text = *i.fragment();
    if !(text.starts_with("['") || text.starts_with("[\"")) {
        return false;
    }
    match quoted_string(advance(i, 1)) {
        Ok((rest, _)) => peek_symbol(rest, "]"),
        Err(_) => false,
    }
}

/// Literals, names, calls, `(expression)` and `*`.
///
/// Production: `primary = literal | typed_literal | call | identifier | "(" expression ")" | "*"`.
fn primary(i: Input<'_>) -> PResult<'_, Expr> {
    let i = ws(i);
    let start = offset(&i);
    let text = *i.fragment();
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        let (rest, lit) = number(i)?;
        return Ok((rest, literal_expr(lit, start, &rest)));
    }
    if peek_string(i) {
        let (rest, (value, span)) = string_literal(i)?;
        return Ok((
            rest,
            Expr::new(ExprKind::Literal(Literal::String(value)), span),
        ));
    }
    if let Ok((rest, b)) = bool_literal(i) {
        return Ok((rest, literal_expr(Literal::Bool(Some(b)), start, &rest)));
    }
    if text.starts_with('(') {
        let (rest, _) = symbol(i, "(")?;
        let (rest, inner) = expect_expr(rest, "after '('")?;
        let (rest, close) = expect_symbol(rest, ")", "to close '('")?;
        // The span covers the parentheses, so a caret under `(a + b)` shows all of it.
        return Ok((rest, Expr::new(inner.kind, Span::new(start, close.end))));
    }
    if text.starts_with('*') {
        let (rest, span) = symbol(i, "*")?;
        return Ok((rest, Expr::new(ExprKind::Star, span)));
    }
    if text.starts_with('[') || text.starts_with('$') {
        let (rest, name) = ident(i)?;
        let span = name.span;
        return Ok((rest, Expr::new(ExprKind::Name(name), span)));
    }
    let Ok((after_word, (w, _))) = word(i) else {
        return soft(&i, "an expression");
    };
    if NOT_AN_EXPRESSION.contains(&w) {
        return soft(&i, "an expression");
    }
    if peek_symbol(after_word, "(") {
        if let Some(ty) = ScalarType::from_name(w)
            && ty != ScalarType::String
        {
            let (rest, lit) = typed_literal(after_word, ty, w)?;
            return Ok((rest, literal_expr(lit, start, &rest)));
        }
        let (rest, name) = ident(i)?;
        let (rest, args) = call_args(rest, &name.name)?;
        let span = Span::new(start, offset(&rest));
        return Ok((rest, Expr::new(ExprKind::Call(Call { name, args }), span)));
    }
    let (rest, name) = ident(i)?;
    let span = name.span;
    Ok((rest, Expr::new(ExprKind::Name(name), span)))
}

fn literal_expr(lit: Literal, start: usize, rest: &Input<'_>) -> Expr {
    Expr::new(ExprKind::Literal(lit), Span::new(start, offset(rest)))
}

/// `( [arg { "," arg }] )` where `arg = [name "="] (expression | tabular_expression) | "*"`.
///
/// Production: `call_arguments`.
pub(crate) fn call_args<'a>(i: Input<'a>, function: &str) -> PResult<'a, Vec<Arg>> {
    nested(&i, || call_args_inner(i, function))
}

fn call_args_inner<'a>(i: Input<'a>, function: &str) -> PResult<'a, Vec<Arg>> {
    let (mut i, _) = symbol(i, "(")?;
    let mut args = Vec::new();
    if let Ok((rest, _)) = symbol(i, ")") {
        return Ok((rest, args));
    }
    loop {
        let (rest, name) = match named_arg_name(i) {
            Some((rest, name)) => (rest, Some(name)),
            None => (i, None),
        };
        let (rest, value) = expect(
            rest,
            format!("an argument of {function}()"),
            tabular_or_scalar_expr,
        )?;
        args.push(Arg { name, value });
        if let Ok((rest, _)) = symbol(rest, ",") {
            i = rest;
            continue;
        }
        return match symbol(rest, ")") {
            Ok((rest, _)) => Ok((rest, args)),
            Err(_) => hard(
                &rest,
                format!("',' or ')' in the arguments of {function}()"),
            ),
        };
    }
}

/// `name =` at the start of a named argument.
fn named_arg_name(i: Input<'_>) -> Option<(Input<'_>, crate::ast::Ident)> {
    let (rest, name) = ident(i).ok()?;
    let (rest, _) = symbol_not_before(rest, "=", "=~").ok()?;
    Some((rest, name))
}
