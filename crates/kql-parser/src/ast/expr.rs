//! Scalar expressions.

use super::{Ident, Literal, Query, TypeName};
use crate::Span;

/// A scalar expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// The text it was parsed from.
    pub span: Span,
}

impl Expr {
    /// An expression of a kind at a span.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// A reference to `name` (a column, `let` name or parameter), for queries the planner writes
    /// itself when it rewrites an operator into others.
    pub fn name(name: impl Into<String>, span: Span) -> Self {
        Self::new(ExprKind::Name(Ident::new(name, span)), span)
    }

    /// A call `function(args…)` with positional arguments, for the same use.
    pub fn call(function: &str, args: Vec<Expr>, span: Span) -> Self {
        let args = args
            .into_iter()
            .map(|value| Arg { name: None, value })
            .collect();
        Self::new(
            ExprKind::Call(Call {
                name: Ident::new(function, span),
                args,
            }),
            span,
        )
    }
}

/// The kinds of scalar expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal value.
    Literal(Literal),
    /// A column, `let` name or parameter; also `$left` / `$right` in join conditions.
    Name(Ident),
    /// `target.name` or `target['name']` (a string index is kept as [`ExprKind::Index`]).
    Member {
        /// The value whose member is read.
        target: Box<Expr>,
        /// The member.
        name: Ident,
    },
    /// `target[index]`: a dynamic array element (negative counts from the end) or bag key.
    Index {
        /// The value indexed.
        target: Box<Expr>,
        /// The index or key.
        index: Box<Expr>,
    },
    /// A function call, built-in or user-defined.
    Call(Call),
    /// `-x`, `+x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
    },
    /// `left op right`.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `expr between (low .. high)` / `expr !between (low .. high)`.
    Between {
        /// The value tested.
        expr: Box<Expr>,
        /// Lower bound (inclusive).
        low: Box<Expr>,
        /// Upper bound (inclusive).
        high: Box<Expr>,
        /// `!between`.
        negated: bool,
    },
    /// `expr in (a, b)`, `!in`, `in~`, `!in~`, `has_any`, `has_all`.
    List {
        /// The operator.
        op: ListOp,
        /// The value tested.
        expr: Box<Expr>,
        /// The list; an item may be a dynamic array or a subquery.
        items: Vec<Expr>,
    },
    /// `*` as an argument (`arg_max(x, *)`, `distinct *`).
    Star,
    /// A tabular expression in scalar position: `toscalar(T | count)`, `x in (T | project y)`.
    Subquery(Box<Query>),
}

/// A call `name(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The function's name.
    pub name: Ident,
    /// The arguments in order.
    pub args: Vec<Arg>,
}

/// One argument of a call: positional, or named (`name = value`).
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The name, for a named argument.
    pub name: Option<Ident>,
    /// The value.
    pub value: Expr,
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Plus,
}

/// Infix operators, from the loosest binding to the tightest (as Kusto.Language's parser has
/// them): `or`; `and`; `==` `!=`; `<` `<=` `>` `>=`; `+ -`; `* / %`; `=~` `!~` and the string
/// operators (`has`, `contains`, `startswith`, …, `matches regex`). See [`Precedence`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Or,
    And,
    /// `==`: case-sensitive.
    Eq,
    /// `!=` (also written `<>`).
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    /// `=~`: case-insensitive string equality.
    EqTilde,
    /// `!~`.
    NotEqTilde,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Contains,
    NotContains,
    ContainsCs,
    NotContainsCs,
    Has,
    NotHas,
    HasCs,
    NotHasCs,
    HasPrefix,
    NotHasPrefix,
    HasPrefixCs,
    NotHasPrefixCs,
    HasSuffix,
    NotHasSuffix,
    HasSuffixCs,
    NotHasSuffixCs,
    StartsWith,
    NotStartsWith,
    StartsWithCs,
    NotStartsWithCs,
    EndsWith,
    NotEndsWith,
    EndsWithCs,
    NotEndsWithCs,
    /// `matches regex`.
    MatchesRegex,
}

/// Binding strength of infix operators: higher binds tighter.
///
/// The levels follow Kusto.Language's `QueryParser` (`ParseLogicalOrExpression` down to
/// `ParseStringOperation`): `or` and `and`, `+ -` and `* / %` are left-associative and chain;
/// equality, relational and string operators take one operator per level and do not chain
/// (`a == b == c` is an error, `a < b == c` is `(a < b) == c`). String operators bind tighter
/// than arithmetic: `1 + 2 has "3"` is `1 + (2 has "3")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precedence {
    /// `or`.
    Or = 1,
    /// `and`.
    And = 2,
    /// `==`, `!=`/`<>`, and the list and range tests `in`, `!in`, `in~`, `!in~`, `has_any`,
    /// `has_all`, `between`, `!between`: not associative.
    Equality = 3,
    /// `<`, `<=`, `>`, `>=`: not associative.
    Relational = 4,
    /// `+ -`.
    Additive = 5,
    /// `* / %`.
    Multiplicative = 6,
    /// `=~`, `!~`, `has`, `contains`, `startswith`, `endswith`, `hasprefix`, `hassuffix` (and
    /// their `!` and `_cs` forms), `matches regex`: not associative; the operands are unary
    /// expressions.
    StringOp = 7,
    /// `-x`.
    Unary = 8,
    /// `.member`, `[index]`, calls, literals, names.
    Primary = 9,
}

impl Precedence {
    /// Whether operators of this level chain left-associatively (`a - b - c`); the others take
    /// at most one operator (`a == b == c` does not parse).
    pub fn chains(self) -> bool {
        matches!(
            self,
            Self::Or | Self::And | Self::Additive | Self::Multiplicative
        )
    }

    /// The next tighter level.
    pub fn tighter(self) -> Precedence {
        match self {
            Self::Or => Self::And,
            Self::And => Self::Equality,
            Self::Equality => Self::Relational,
            Self::Relational => Self::Additive,
            Self::Additive => Self::Multiplicative,
            Self::Multiplicative => Self::StringOp,
            Self::StringOp => Self::Unary,
            Self::Unary | Self::Primary => Self::Primary,
        }
    }
}

impl BinaryOp {
    /// Every infix operator with its KQL spelling. Word operators come before their prefixes
    /// (`hasprefix_cs` before `hasprefix` before `has`) so a longest-match scan can use this order.
    pub const ALL: &'static [(BinaryOp, &'static str)] = &[
        (BinaryOp::NotContainsCs, "!contains_cs"),
        (BinaryOp::NotContains, "!contains"),
        (BinaryOp::ContainsCs, "contains_cs"),
        (BinaryOp::Contains, "contains"),
        (BinaryOp::NotHasPrefixCs, "!hasprefix_cs"),
        (BinaryOp::NotHasPrefix, "!hasprefix"),
        (BinaryOp::NotHasSuffixCs, "!hassuffix_cs"),
        (BinaryOp::NotHasSuffix, "!hassuffix"),
        (BinaryOp::NotHasCs, "!has_cs"),
        (BinaryOp::NotHas, "!has"),
        (BinaryOp::HasPrefixCs, "hasprefix_cs"),
        (BinaryOp::HasPrefix, "hasprefix"),
        (BinaryOp::HasSuffixCs, "hassuffix_cs"),
        (BinaryOp::HasSuffix, "hassuffix"),
        (BinaryOp::HasCs, "has_cs"),
        (BinaryOp::Has, "has"),
        (BinaryOp::NotStartsWithCs, "!startswith_cs"),
        (BinaryOp::NotStartsWith, "!startswith"),
        (BinaryOp::StartsWithCs, "startswith_cs"),
        (BinaryOp::StartsWith, "startswith"),
        (BinaryOp::NotEndsWithCs, "!endswith_cs"),
        (BinaryOp::NotEndsWith, "!endswith"),
        (BinaryOp::EndsWithCs, "endswith_cs"),
        (BinaryOp::EndsWith, "endswith"),
        (BinaryOp::MatchesRegex, "matches regex"),
        (BinaryOp::Or, "or"),
        (BinaryOp::And, "and"),
        (BinaryOp::Eq, "=="),
        (BinaryOp::NotEq, "!="),
        (BinaryOp::LtEq, "<="),
        (BinaryOp::GtEq, ">="),
        (BinaryOp::Lt, "<"),
        (BinaryOp::Gt, ">"),
        (BinaryOp::EqTilde, "=~"),
        (BinaryOp::NotEqTilde, "!~"),
        (BinaryOp::Add, "+"),
        (BinaryOp::Sub, "-"),
        (BinaryOp::Mul, "*"),
        (BinaryOp::Div, "/"),
        (BinaryOp::Mod, "%"),
    ];

    /// The operator as KQL spells it.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(op, _)| *op == self)
            .map(|(_, s)| *s)
            .unwrap_or("?")
    }

    /// How tightly the operator binds.
    pub fn precedence(self) -> Precedence {
        match self {
            Self::Or => Precedence::Or,
            Self::And => Precedence::And,
            Self::Eq | Self::NotEq => Precedence::Equality,
            Self::Lt | Self::LtEq | Self::Gt | Self::GtEq => Precedence::Relational,
            Self::Add | Self::Sub => Precedence::Additive,
            Self::Mul | Self::Div | Self::Mod => Precedence::Multiplicative,
            _ => Precedence::StringOp,
        }
    }

    /// Whether the operator is spelled as a word (`has`, `contains`) rather than a symbol, so a
    /// scanner must check that no identifier character follows it.
    pub fn is_word(self) -> bool {
        self.as_str()
            .trim_start_matches('!')
            .starts_with(|c: char| c.is_ascii_alphabetic())
    }
}

/// Operators whose right side is a parenthesized list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListOp {
    /// `in`: case-sensitive membership.
    In,
    /// `!in`.
    NotIn,
    /// `in~`: case-insensitive membership.
    InCi,
    /// `!in~`.
    NotInCi,
    /// `has_any`: any of the terms.
    HasAny,
    /// `has_all`: all of the terms.
    HasAll,
}

impl ListOp {
    /// Every list operator with its spelling, longest first.
    pub const ALL: &'static [(ListOp, &'static str)] = &[
        (ListOp::NotInCi, "!in~"),
        (ListOp::NotIn, "!in"),
        (ListOp::InCi, "in~"),
        (ListOp::In, "in"),
        (ListOp::HasAny, "has_any"),
        (ListOp::HasAll, "has_all"),
    ];

    /// The operator as KQL spells it.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(op, _)| *op == self)
            .map(|(_, s)| *s)
            .unwrap_or("?")
    }
}

/// `to typeof(T)` in `mv-expand` / `mv-apply`.
pub type TypeOf = TypeName;
