//! Scalar expressions, printed with the fewest parentheses the precedence rules allow.

use std::fmt;

use super::{Name, comma, is_ident_shaped, query::Inline};
use crate::ast::{Arg, Call, Expr, ExprKind, Literal, Precedence, UnaryOp};

/// How tightly an expression binds as an operand, from its outermost node.
fn precedence(expr: &Expr) -> Precedence {
    match &expr.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Between { .. } | ExprKind::List { .. } => Precedence::Equality,
        ExprKind::Unary { .. } => Precedence::Unary,
        ExprKind::Literal(_)
        | ExprKind::Name(_)
        | ExprKind::Member { .. }
        | ExprKind::Index { .. }
        | ExprKind::Call(_)
        | ExprKind::Star
        | ExprKind::Subquery(_) => Precedence::Primary,
    }
}

/// An expression, in parentheses when `paren` is set.
struct Operand<'a> {
    expr: &'a Expr,
    paren: bool,
}

impl fmt::Display for Operand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.paren {
            write!(f, "({})", self.expr)
        } else {
            self.expr.fmt(f)
        }
    }
}

/// The left operand of a binary operator of precedence `parent`: in parentheses when it binds
/// more loosely, or at the same level when that level does not chain (`(a == b) == c`,
/// `(a < b) < c`, `(a has b) has c`).
fn left(expr: &Expr, parent: Precedence) -> Operand<'_> {
    let own = precedence(expr);
    Operand {
        expr,
        paren: own < parent || (own == parent && !parent.chains()),
    }
}

/// The right operand of a binary operator of precedence `parent`: an operand of the same
/// precedence needs parentheses too, since without them it would associate to the left (or,
/// for a level that does not chain, not parse).
fn right(expr: &Expr, parent: Precedence) -> Operand<'_> {
    Operand {
        expr,
        paren: precedence(expr) <= parent,
    }
}

/// The target of `.member` / `[index]`: anything looser than a primary is parenthesized, and
/// so are number literals, whose `.` would be read as a decimal point (`(5).x`, not `5.x`).
fn target(expr: &Expr) -> Operand<'_> {
    let number = matches!(
        expr.kind,
        ExprKind::Literal(Literal::Long(_) | Literal::Real(_) | Literal::Timespan(_))
    );
    Operand {
        expr,
        paren: precedence(expr) < Precedence::Primary || number,
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(literal) => literal.fmt(f),
            ExprKind::Name(name) => name.fmt(f),
            ExprKind::Member { target: t, name } => write!(f, "{}.{name}", target(t)),
            ExprKind::Index { target: t, index } => write!(f, "{}[{index}]", target(t)),
            ExprKind::Call(call) => call.fmt(f),
            ExprKind::Unary { op, operand } => {
                let sign = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Plus => "+",
                };
                // `--x` would not lex as two minus signs, and `-a + b` means `(-a) + b`.
                let paren = matches!(
                    operand.kind,
                    ExprKind::Unary { .. }
                        | ExprKind::Binary { .. }
                        | ExprKind::Between { .. }
                        | ExprKind::List { .. }
                );
                write!(
                    f,
                    "{sign}{}",
                    Operand {
                        expr: operand,
                        paren
                    }
                )
            }
            ExprKind::Binary {
                op,
                left: l,
                right: r,
            } => {
                let p = op.precedence();
                write!(f, "{} {} {}", left(l, p), op.as_str(), right(r, p))
            }
            ExprKind::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let bang = if *negated { "!" } else { "" };
                write!(
                    f,
                    "{} {bang}between ({low} .. {high})",
                    left(expr, Precedence::Equality)
                )
            }
            ExprKind::List { op, expr, items } => write!(
                f,
                "{} {} ({})",
                left(expr, Precedence::Equality),
                op.as_str(),
                comma(items)
            ),
            ExprKind::Star => f.write_str("*"),
            ExprKind::Subquery(query) => Inline(query).fmt(f),
        }
    }
}

/// `name(args)`. A function name is printed bare whenever it is identifier-shaped, keywords
/// included: `not(x)` is a call, not the keyword.
impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_ident_shaped(&self.name.name) {
            f.write_str(&self.name.name)?;
        } else {
            Name(&self.name.name).fmt(f)?;
        }
        write!(f, "({})", comma(&self.args))
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} = {}", self.value),
            None => self.value.fmt(f),
        }
    }
}
