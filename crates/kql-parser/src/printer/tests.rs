//! Exact-text tests of the canonical printer on hand-built trees.

use super::Pattern;
use crate::Span;
use crate::ast::*;

fn sp() -> Span {
    Span::default()
}

fn id(name: &str) -> Ident {
    Ident::new(name, sp())
}

fn e(kind: ExprKind) -> Expr {
    Expr::new(kind, sp())
}

fn name(n: &str) -> Expr {
    e(ExprKind::Name(id(n)))
}

fn lit(literal: Literal) -> Expr {
    e(ExprKind::Literal(literal))
}

fn long(v: i64) -> Expr {
    lit(Literal::Long(Some(v)))
}

fn string(s: &str) -> Expr {
    lit(Literal::String(s.into()))
}

fn bin(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    e(ExprKind::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    })
}

fn neg(operand: Expr) -> Expr {
    e(ExprKind::Unary {
        op: UnaryOp::Neg,
        operand: Box::new(operand),
    })
}

fn call(n: &str, args: Vec<Expr>) -> Call {
    Call {
        name: id(n),
        args: args
            .into_iter()
            .map(|value| Arg { name: None, value })
            .collect(),
    }
}

fn call_e(n: &str, args: Vec<Expr>) -> Expr {
    e(ExprKind::Call(call(n, args)))
}

fn member(target: Expr, n: &str) -> Expr {
    e(ExprKind::Member {
        target: Box::new(target),
        name: id(n),
    })
}

fn ty(t: ScalarType) -> TypeName {
    TypeName { ty: t, span: sp() }
}

fn col(n: &str, t: ScalarType) -> ColumnDecl {
    ColumnDecl {
        name: id(n),
        ty: ty(t),
    }
}

fn named(names: &[&str], expr: Expr) -> NamedExpr {
    NamedExpr {
        names: names.iter().map(|n| id(n)).collect(),
        expr,
        span: sp(),
    }
}

fn param(n: &str, value: Expr) -> OperatorParam {
    OperatorParam { name: id(n), value }
}

fn table(n: &str) -> Source {
    Source {
        kind: SourceKind::Table(id(n)),
        span: sp(),
    }
}

fn op(kind: OperatorKind) -> Operator {
    Operator { kind, span: sp() }
}

fn query(source: Source, operators: Vec<OperatorKind>) -> Query {
    Query {
        source,
        operators: operators.into_iter().map(op).collect(),
        span: sp(),
    }
}

fn stmt(kind: StatementKind) -> Statement {
    Statement { kind, span: sp() }
}

fn script(statements: Vec<StatementKind>) -> Script {
    Script {
        statements: statements.into_iter().map(stmt).collect(),
        span: sp(),
    }
}

fn key(expr: Expr, order: Option<SortOrder>, nulls: Option<NullsOrder>) -> SortKey {
    SortKey { expr, order, nulls }
}

fn pat(p: &str) -> ColumnPattern {
    ColumnPattern {
        pattern: p.into(),
        span: sp(),
    }
}

fn text(x: &impl std::fmt::Display) -> String {
    x.to_string()
}

// ---------------------------------------------------------------- precedence

#[test]
fn precedence_parenthesizes_looser_left_operand() {
    let x = bin(
        BinaryOp::Mul,
        bin(BinaryOp::Add, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&x), "(a + b) * c");
}

#[test]
fn precedence_right_operand_of_same_level_is_parenthesized() {
    let x = bin(
        BinaryOp::Sub,
        name("a"),
        bin(BinaryOp::Sub, name("b"), name("c")),
    );
    assert_eq!(text(&x), "a - (b - c)");
}

#[test]
fn precedence_left_associative_chain_has_no_parentheses() {
    let x = bin(
        BinaryOp::Sub,
        bin(BinaryOp::Sub, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&x), "a - b - c");
}

#[test]
fn precedence_tighter_operands_need_no_parentheses() {
    let x = bin(
        BinaryOp::Add,
        bin(BinaryOp::Mul, name("a"), name("b")),
        bin(BinaryOp::Div, name("c"), name("d")),
    );
    assert_eq!(text(&x), "a * b + c / d");
    let y = bin(
        BinaryOp::Or,
        bin(BinaryOp::And, name("a"), name("b")),
        bin(BinaryOp::Eq, name("c"), long(1)),
    );
    assert_eq!(text(&y), "a and b or c == 1");
}

#[test]
fn precedence_or_under_and() {
    let x = bin(
        BinaryOp::And,
        bin(BinaryOp::Or, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&x), "(a or b) and c");
}

#[test]
fn precedence_comparisons_do_not_associate() {
    let l = bin(
        BinaryOp::Eq,
        bin(BinaryOp::Eq, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&l), "(a == b) == c");
    let r = bin(
        BinaryOp::Has,
        name("a"),
        bin(BinaryOp::Lt, name("b"), name("c")),
    );
    assert_eq!(text(&r), "a has (b < c)");
    let between = e(ExprKind::Between {
        expr: Box::new(bin(BinaryOp::Eq, name("a"), name("b"))),
        low: Box::new(long(1)),
        high: Box::new(long(2)),
        negated: false,
    });
    assert_eq!(text(&between), "(a == b) between (1 .. 2)");
    let cmp_of_in = bin(
        BinaryOp::Eq,
        e(ExprKind::List {
            op: ListOp::In,
            expr: Box::new(name("x")),
            items: vec![long(1)],
        }),
        lit(Literal::Bool(Some(true))),
    );
    assert_eq!(text(&cmp_of_in), "(x in (1)) == true");
}

#[test]
fn precedence_follows_kusto_levels() {
    // Relational binds tighter than equality.
    let eq_of_lt = bin(
        BinaryOp::Eq,
        bin(BinaryOp::Gt, name("a"), long(0)),
        lit(Literal::Bool(Some(true))),
    );
    assert_eq!(text(&eq_of_lt), "a > 0 == true");
    let lt_of_eq = bin(
        BinaryOp::Lt,
        bin(BinaryOp::Eq, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&lt_of_eq), "(a == b) < c");
    // String operators bind tighter than arithmetic.
    let add_of_has = bin(
        BinaryOp::Add,
        long(1),
        bin(BinaryOp::Has, long(2), string("3")),
    );
    assert_eq!(text(&add_of_has), "1 + 2 has \"3\"");
    let has_of_add = bin(
        BinaryOp::EqTilde,
        bin(BinaryOp::Add, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&has_of_add), "(a + b) =~ c");
    // Relational operators do not chain.
    let lt_of_lt = bin(
        BinaryOp::Lt,
        bin(BinaryOp::Lt, name("a"), name("b")),
        name("c"),
    );
    assert_eq!(text(&lt_of_lt), "(a < b) < c");
}

#[test]
fn reserved_words_are_quoted_as_names_but_not_as_functions() {
    for word in [
        "where", "project", "extend", "count", "union", "search", "evaluate",
    ] {
        assert_eq!(text(&name(word)), format!("['{word}']"));
        assert_eq!(text(&call_e(word, vec![])), format!("{word}()"));
    }
}

#[test]
fn unary_minus_parenthesizes_compound_operands() {
    assert_eq!(
        text(&neg(bin(BinaryOp::Add, name("a"), name("b")))),
        "-(a + b)"
    );
    assert_eq!(text(&neg(neg(long(5)))), "-(-5)");
    assert_eq!(text(&neg(name("x"))), "-x");
    let plus = e(ExprKind::Unary {
        op: UnaryOp::Plus,
        operand: Box::new(call_e("f", vec![])),
    });
    assert_eq!(text(&plus), "+f()");
    // Unary binds tighter than any binary operator.
    assert_eq!(
        text(&bin(BinaryOp::Mul, neg(name("a")), neg(name("b")))),
        "-a * -b"
    );
}

#[test]
fn not_is_a_call() {
    let x = call_e("not", vec![name("x")]);
    assert_eq!(text(&x), "not(x)");
    let y = call_e("not", vec![bin(BinaryOp::Or, name("a"), name("b"))]);
    assert_eq!(text(&y), "not(a or b)");
}

#[test]
fn calls_with_named_and_star_arguments() {
    let c = Call {
        name: id("bag_pack"),
        args: vec![
            Arg {
                name: None,
                value: name("a"),
            },
            Arg {
                name: None,
                value: e(ExprKind::Star),
            },
            Arg {
                name: Some(id("n")),
                value: long(3),
            },
        ],
    };
    assert_eq!(text(&c), "bag_pack(a, *, n = 3)");
    let odd = call("my func", vec![]);
    assert_eq!(text(&odd), "['my func']()");
}

#[test]
fn member_and_index() {
    assert_eq!(text(&member(name("d"), "a")), "d.a");
    assert_eq!(text(&member(name("d"), "odd name")), "d.['odd name']");
    assert_eq!(text(&member(name("$left"), "Key")), "$left.Key");
    let idx = e(ExprKind::Index {
        target: Box::new(member(call_e("parse_json", vec![name("s")]), "items")),
        index: Box::new(neg(long(1))),
    });
    assert_eq!(text(&idx), "parse_json(s).items[-1]");
    let idx2 = e(ExprKind::Index {
        target: Box::new(bin(BinaryOp::Add, name("a"), name("b"))),
        index: Box::new(string("k")),
    });
    assert_eq!(text(&idx2), "(a + b)[\"k\"]");
    let m = member(neg(name("a")), "b");
    assert_eq!(text(&m), "(-a).b");
}

#[test]
fn between_and_lists() {
    let b = e(ExprKind::Between {
        expr: Box::new(name("x")),
        low: Box::new(long(1)),
        high: Box::new(bin(BinaryOp::Add, long(5), long(5))),
        negated: true,
    });
    assert_eq!(text(&b), "x !between (1 .. 5 + 5)");
    let l = e(ExprKind::List {
        op: ListOp::NotInCi,
        expr: Box::new(name("x")),
        items: vec![string("a"), string("b")],
    });
    assert_eq!(text(&l), "x !in~ (\"a\", \"b\")");
    let sub = e(ExprKind::List {
        op: ListOp::In,
        expr: Box::new(name("x")),
        items: vec![e(ExprKind::Subquery(Box::new(query(
            table("T"),
            vec![OperatorKind::Project(vec![named(&[], name("y"))])],
        ))))],
    });
    assert_eq!(text(&sub), "x in (T | project y)");
    let scalar = call_e(
        "toscalar",
        vec![e(ExprKind::Subquery(Box::new(query(
            table("T"),
            vec![OperatorKind::Count],
        ))))],
    );
    assert_eq!(text(&scalar), "toscalar(T | count)");
}

#[test]
fn string_and_regex_operators_spacing() {
    assert_eq!(
        text(&bin(BinaryOp::Has, name("a"), string("x"))),
        "a has \"x\""
    );
    assert_eq!(
        text(&bin(BinaryOp::MatchesRegex, name("a"), string("x"))),
        "a matches regex \"x\""
    );
    assert_eq!(
        text(&bin(BinaryOp::NotStartsWithCs, name("a"), string("x"))),
        "a !startswith_cs \"x\""
    );
}

// ---------------------------------------------------------------- literals

fn lit_text(literal: Literal) -> String {
    literal.to_string()
}

#[test]
fn literal_longs_and_ints() {
    assert_eq!(lit_text(Literal::Long(Some(0))), "0");
    assert_eq!(lit_text(Literal::Long(Some(42))), "42");
    assert_eq!(lit_text(Literal::Long(Some(-5))), "long(-5)");
    assert_eq!(
        lit_text(Literal::Long(Some(i64::MIN))),
        "long(-9223372036854775808)"
    );
    assert_eq!(lit_text(Literal::Long(None)), "long(null)");
    assert_eq!(lit_text(Literal::Int(Some(5))), "int(5)");
    assert_eq!(lit_text(Literal::Int(Some(-5))), "int(-5)");
    assert_eq!(lit_text(Literal::Int(None)), "int(null)");
}

#[test]
fn literal_reals() {
    assert_eq!(lit_text(Literal::Real(Some(1.0))), "1.0");
    assert_eq!(lit_text(Literal::Real(Some(0.0))), "0.0");
    assert_eq!(lit_text(Literal::Real(Some(2.5))), "2.5");
    assert_eq!(lit_text(Literal::Real(Some(1e300))), "1e300");
    assert_eq!(lit_text(Literal::Real(Some(1.5e-7))), "1.5e-7");
    assert_eq!(lit_text(Literal::Real(Some(-1.5))), "real(-1.5)");
    assert_eq!(lit_text(Literal::Real(Some(-0.0))), "real(-0.0)");
    assert_eq!(lit_text(Literal::Real(Some(f64::NAN))), "real(nan)");
    assert_eq!(lit_text(Literal::Real(Some(f64::INFINITY))), "real(+inf)");
    assert_eq!(
        lit_text(Literal::Real(Some(f64::NEG_INFINITY))),
        "real(-inf)"
    );
    assert_eq!(lit_text(Literal::Real(None)), "real(null)");
}

#[test]
fn literal_decimal_bool_guid() {
    assert_eq!(
        lit_text(Literal::Decimal(Some("-1.25".into()))),
        "decimal(-1.25)"
    );
    assert_eq!(lit_text(Literal::Decimal(None)), "decimal(null)");
    assert_eq!(lit_text(Literal::Bool(Some(true))), "true");
    assert_eq!(lit_text(Literal::Bool(Some(false))), "false");
    assert_eq!(lit_text(Literal::Bool(None)), "bool(null)");
    assert_eq!(
        lit_text(Literal::Guid(Some(
            "74be27de-1e4e-49d9-b579-fe0b331d3642".into()
        ))),
        "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)"
    );
    assert_eq!(lit_text(Literal::Guid(None)), "guid(null)");
}

#[test]
fn literal_strings_escape() {
    assert_eq!(lit_text(Literal::String("plain".into())), "\"plain\"");
    assert_eq!(
        lit_text(Literal::String("a\"b\\c\nd\re\tf".into())),
        r#""a\"b\\c\nd\re\tf""#
    );
    assert_eq!(
        lit_text(Literal::String("x\u{1}y\u{7f}".into())),
        r#""x\u0001y\u007f""#
    );
    assert_eq!(lit_text(Literal::String("it's é".into())), "\"it's é\"");
    assert_eq!(lit_text(Literal::String(String::new())), "\"\"");
}

#[test]
fn literal_datetimes() {
    // 2017-01-01T00:00:00Z is 1483228800 seconds after the epoch.
    let ticks = 1_483_228_800 * 10_000_000;
    assert_eq!(
        lit_text(Literal::Datetime(Some(ticks))),
        "datetime(2017-01-01T00:00:00Z)"
    );
    assert_eq!(
        lit_text(Literal::Datetime(Some(ticks + 1_234_500))),
        "datetime(2017-01-01T00:00:00.12345Z)"
    );
    assert_eq!(
        lit_text(Literal::Datetime(Some(0))),
        "datetime(1970-01-01T00:00:00Z)"
    );
    assert_eq!(lit_text(Literal::Datetime(None)), "datetime(null)");
}

#[test]
fn literal_timespans() {
    const SEC: i64 = 10_000_000;
    let ts = |t| lit_text(Literal::Timespan(Some(t)));
    assert_eq!(ts(0), "0d");
    assert_eq!(ts(2 * 86_400 * SEC), "2d");
    assert_eq!(ts(36 * 3_600 * SEC), "36h");
    assert_eq!(ts(90 * 60 * SEC), "90m");
    assert_eq!(ts(30 * SEC), "30s");
    assert_eq!(ts(1_500 * 10_000), "1500ms");
    assert_eq!(ts(250 * 10), "250microsecond");
    assert_eq!(ts(7), "7tick");
    assert_eq!(ts(-3_600 * SEC), "timespan(-01:00:00)");
    assert_eq!(
        ts(-(86_400 * SEC + 2 * 3_600 * SEC + 3 * 60 * SEC + 4 * SEC + 5)),
        "timespan(-1.02:03:04.0000005)"
    );
    assert_eq!(lit_text(Literal::Timespan(None)), "timespan(null)");
}

#[test]
fn literal_dynamics() {
    let d = |v| lit_text(Literal::Dynamic(v));
    assert_eq!(d(Dynamic::Null), "dynamic(null)");
    assert_eq!(d(Dynamic::Bool(true)), "dynamic(true)");
    assert_eq!(d(Dynamic::Long(-3)), "dynamic(-3)");
    assert_eq!(d(Dynamic::Real(1.5)), "dynamic(1.5)");
    assert_eq!(d(Dynamic::String("a\"b".into())), r#"dynamic("a\"b")"#);
    assert_eq!(d(Dynamic::Array(vec![])), "dynamic([])");
    assert_eq!(d(Dynamic::Object(vec![])), "dynamic({})");
    assert_eq!(
        d(Dynamic::Array(vec![
            Dynamic::Long(1),
            Dynamic::Real(2.0),
            Dynamic::String("x".into()),
            Dynamic::Null
        ])),
        r#"dynamic([1, 2.0, "x", null])"#
    );
    assert_eq!(
        d(Dynamic::Object(vec![
            ("k".into(), Dynamic::Long(1)),
            (
                "k2".into(),
                Dynamic::Array(vec![Dynamic::Bool(false), Dynamic::Object(vec![])])
            ),
            ("when".into(), Dynamic::Datetime(0)),
            ("for".into(), Dynamic::Timespan(-10_000_000)),
        ])),
        r#"dynamic({"k": 1, "k2": [false, {}], "when": datetime(1970-01-01T00:00:00Z), "for": timespan(-00:00:01)})"#
    );
}

// ---------------------------------------------------------------- names

#[test]
fn ident_quoting() {
    assert_eq!(text(&id("Col_1")), "Col_1");
    assert_eq!(text(&id("_x")), "_x");
    assert_eq!(text(&id("$left")), "$left");
    assert_eq!(text(&id("$right")), "$right");
    assert_eq!(text(&id("$other")), "['$other']");
    assert_eq!(text(&id("by")), "['by']");
    assert_eq!(text(&id("has_any")), "['has_any']");
    assert_eq!(text(&id("limit")), "['limit']");
    assert_eq!(text(&id("By")), "By");
    assert_eq!(text(&id("1abc")), "['1abc']");
    assert_eq!(text(&id("my col")), "['my col']");
    assert_eq!(text(&id("it's")), r"['it\'s']");
    assert_eq!(text(&id(r"a\b")), r"['a\\b']");
    assert_eq!(text(&id("")), "['']");
    assert_eq!(text(&id("é")), "['é']");
}

#[test]
fn table_names_with_wildcards_print_raw_only_in_union() {
    // A query's first table is a name, never a pattern.
    assert_eq!(text(&table("Aml*")), "['Aml*']");
    assert_eq!(text(&table("My Table")), "['My Table']");
    assert_eq!(text(&Pattern("Aml*")), "Aml*");
    assert_eq!(text(&Pattern("My *Table")), "['My *Table']");
    assert_eq!(text(&Pattern("1*")), "['1*']");
    let u = Union {
        params: vec![param("withsource", name("SourceTable"))],
        tables: vec![
            query(table("A"), vec![]),
            query(table("Aml*"), vec![]),
            query(table("B"), vec![OperatorKind::Take(long(1))]),
        ],
    };
    assert_eq!(
        text(&u),
        "union withsource=SourceTable A, Aml*, (B | take 1)"
    );
}

#[test]
fn types_and_column_decls() {
    assert_eq!(text(&ScalarType::Datetime), "datetime");
    assert_eq!(text(&col("when", ScalarType::Timespan)), "when: timespan");
    assert_eq!(text(&col("by", ScalarType::Bool)), "['by']: bool");
}

// ---------------------------------------------------------------- operators

#[test]
fn join_prints_parenthesized_right_side() {
    let join = Join {
        params: vec![
            param("kind", name("inner")),
            param("hint.strategy", name("shuffle")),
        ],
        right: Box::new(query(
            table("R"),
            vec![
                OperatorKind::Where(bin(BinaryOp::Gt, name("x"), long(1))),
                OperatorKind::Take(long(5)),
            ],
        )),
        on: vec![
            name("a"),
            bin(
                BinaryOp::Eq,
                member(name("$left"), "b"),
                member(name("$right"), "c"),
            ),
        ],
    };
    let q = script(vec![StatementKind::Query(query(
        table("T"),
        vec![OperatorKind::Join(join.clone())],
    ))]);
    assert_eq!(
        text(&q),
        "T\n| join kind=inner hint.strategy=shuffle (R | where x > 1 | take 5) on a, $left.b == $right.c"
    );
    let lookup = Join {
        params: vec![],
        right: Box::new(query(table("R"), vec![])),
        on: vec![name("k")],
    };
    assert_eq!(text(&op(OperatorKind::Lookup(lookup))), "lookup (R) on k");
}

#[test]
fn summarize_with_and_without_by() {
    let count = named(&["n"], call_e("count", vec![]));
    let with_by = OperatorKind::Summarize(Summarize {
        params: vec![],
        aggregates: vec![count.clone(), named(&[], call_e("max", vec![name("x")]))],
        by: vec![
            named(&[], name("k")),
            named(
                &["day"],
                call_e(
                    "bin",
                    vec![name("ts"), lit(Literal::Timespan(Some(864_000_000_000)))],
                ),
            ),
        ],
    });
    assert_eq!(
        text(&with_by),
        "summarize n = count(), max(x) by k, day = bin(ts, 1d)"
    );
    let without_by = OperatorKind::Summarize(Summarize {
        params: vec![param("hint.shufflekey", name("k"))],
        aggregates: vec![count],
        by: vec![],
    });
    assert_eq!(text(&without_by), "summarize hint.shufflekey=k n = count()");
    let only_by = OperatorKind::Summarize(Summarize {
        params: vec![],
        aggregates: vec![],
        by: vec![named(&[], name("a")), named(&[], name("b"))],
    });
    assert_eq!(text(&only_by), "summarize by a, b");
}

#[test]
fn project_family() {
    assert_eq!(
        text(&OperatorKind::Project(vec![
            named(&[], name("a")),
            named(&["b"], bin(BinaryOp::Add, name("x"), long(1))),
            named(&["c", "d"], call_e("f", vec![])),
        ])),
        "project a, b = x + 1, (c, d) = f()"
    );
    assert_eq!(
        text(&OperatorKind::ProjectAway(vec![
            pat("a"),
            pat("b*"),
            pat("my col")
        ])),
        "project-away a, b*, ['my col']"
    );
    assert_eq!(
        text(&OperatorKind::ProjectKeep(vec![pat("a*")])),
        "project-keep a*"
    );
    assert_eq!(
        text(&OperatorKind::ProjectRename(vec![Rename {
            new: id("New"),
            old: id("Old"),
        }])),
        "project-rename New = Old"
    );
    assert_eq!(
        text(&OperatorKind::ProjectReorder(vec![
            ReorderItem {
                pattern: pat("a"),
                order: Some(ReorderOrder::Asc),
            },
            ReorderItem {
                pattern: pat("b*"),
                order: Some(ReorderOrder::GrannyDesc),
            },
            ReorderItem {
                pattern: pat("c"),
                order: None,
            },
        ])),
        "project-reorder a asc, b* granny-desc, c"
    );
    assert_eq!(
        text(&OperatorKind::Extend(vec![named(&["x"], long(1))])),
        "extend x = 1"
    );
}

#[test]
fn simple_operators() {
    assert_eq!(
        text(&OperatorKind::Distinct(vec![name("a"), name("b")])),
        "distinct a, b"
    );
    assert_eq!(
        text(&OperatorKind::Distinct(vec![e(ExprKind::Star)])),
        "distinct *"
    );
    assert_eq!(text(&OperatorKind::Count), "count");
    assert_eq!(text(&OperatorKind::GetSchema), "getschema");
    assert_eq!(text(&OperatorKind::Take(long(10))), "take 10");
    assert_eq!(text(&OperatorKind::Sample(long(3))), "sample 3");
    assert_eq!(
        text(&OperatorKind::SampleDistinct {
            count: long(3),
            column: name("c"),
        }),
        "sample-distinct 3 of c"
    );
    assert_eq!(text(&OperatorKind::Serialize(vec![])), "serialize");
    assert_eq!(
        text(&OperatorKind::Serialize(vec![named(
            &["rn"],
            call_e("row_number", vec![])
        )])),
        "serialize rn = row_number()"
    );
    assert_eq!(
        text(&OperatorKind::As(As {
            params: vec![param("hint.materialized", lit(Literal::Bool(Some(true))))],
            name: id("X"),
        })),
        "as hint.materialized=true X"
    );
    assert_eq!(
        text(&OperatorKind::Invoke(call("f", vec![long(1)]))),
        "invoke f(1)"
    );
    assert_eq!(
        text(&OperatorKind::Evaluate(Evaluate {
            params: vec![param("hint.distribution", name("per_node"))],
            plugin: call("bag_unpack", vec![name("d")]),
        })),
        "evaluate hint.distribution=per_node bag_unpack(d)"
    );
}

#[test]
fn sort_and_top() {
    assert_eq!(
        text(&OperatorKind::Sort(vec![
            key(name("a"), Some(SortOrder::Asc), Some(NullsOrder::First)),
            key(name("b"), None, None),
            key(name("c"), None, Some(NullsOrder::Last)),
        ])),
        "sort by a asc nulls first, b, c nulls last"
    );
    assert_eq!(
        text(&OperatorKind::Top(Top {
            count: long(5),
            by: key(name("x"), Some(SortOrder::Desc), None),
        })),
        "top 5 by x desc"
    );
}

#[test]
fn mv_expand_and_mv_apply() {
    let items = vec![
        ExpandItem {
            name: Some(id("name")),
            expr: name("e"),
            to_type: Some(ty(ScalarType::Long)),
        },
        ExpandItem {
            name: None,
            expr: name("e2"),
            to_type: None,
        },
    ];
    assert_eq!(
        text(&OperatorKind::MvExpand(MvExpand {
            params: vec![param("bagexpansion", name("array"))],
            items: items.clone(),
            limit: Some(long(10)),
        })),
        "mv-expand bagexpansion=array name = e to typeof(long), e2 limit 10"
    );
    assert_eq!(
        text(&OperatorKind::MvApply(MvApply {
            params: vec![],
            items,
            limit: None,
            subquery: vec![
                op(OperatorKind::Top(Top {
                    count: long(1),
                    by: key(name("e2"), None, None),
                })),
                op(OperatorKind::Count),
            ],
        })),
        "mv-apply name = e to typeof(long), e2 on (top 1 by e2 | count)"
    );
}

#[test]
fn parse_family() {
    let p = Parse {
        params: vec![param("kind", name("regex"))],
        expr: name("Msg"),
        pattern: vec![
            ParsePart::Text("id=".into()),
            ParsePart::Column(col("Id", ScalarType::Long)),
            ParsePart::Star,
            ParsePart::UntypedColumn(id("Rest")),
        ],
    };
    assert_eq!(
        text(&OperatorKind::Parse(p.clone())),
        "parse kind=regex Msg with \"id=\" Id: long * Rest"
    );
    assert_eq!(
        text(&OperatorKind::ParseWhere(p)),
        "parse-where kind=regex Msg with \"id=\" Id: long * Rest"
    );
    let kv = ParseKv {
        expr: name("s"),
        columns: vec![col("a", ScalarType::Long), col("b", ScalarType::String)],
        with: vec![
            param("pair_delimiter", string(",")),
            param("kv_delimiter", string("=")),
        ],
    };
    assert_eq!(
        text(&OperatorKind::ParseKv(kv.clone())),
        "parse-kv s as (a: long, b: string) with (pair_delimiter=\",\", kv_delimiter=\"=\")"
    );
    assert_eq!(
        text(&OperatorKind::ParseKv(ParseKv { with: vec![], ..kv })),
        "parse-kv s as (a: long, b: string)"
    );
}

#[test]
fn make_series_forms() {
    let ms = MakeSeries {
        params: vec![param("kind", name("nonempty"))],
        aggregates: vec![
            SeriesAggregate {
                agg: named(&["n"], call_e("count", vec![])),
                default: Some(long(0)),
            },
            SeriesAggregate {
                agg: named(&[], call_e("avg", vec![name("x")])),
                default: None,
            },
        ],
        on: name("ts"),
        range: SeriesRange::FromTo {
            from: Some(name("a")),
            to: Some(name("b")),
            step: lit(Literal::Timespan(Some(36_000_000_000))),
        },
        by: vec![named(&[], name("k"))],
    };
    assert_eq!(
        text(&OperatorKind::MakeSeries(ms.clone())),
        "make-series kind=nonempty n = count() default = 0, avg(x) on ts from a to b step 1h by k"
    );
    let bare = MakeSeries {
        params: vec![],
        range: SeriesRange::FromTo {
            from: None,
            to: None,
            step: long(1),
        },
        by: vec![],
        ..ms.clone()
    };
    assert_eq!(
        text(&OperatorKind::MakeSeries(bare)),
        "make-series n = count() default = 0, avg(x) on ts step 1"
    );
    let in_range = MakeSeries {
        params: vec![],
        range: SeriesRange::InRange {
            start: long(0),
            stop: long(10),
            step: long(2),
        },
        by: vec![],
        ..ms
    };
    assert_eq!(
        text(&OperatorKind::MakeSeries(in_range)),
        "make-series n = count() default = 0, avg(x) on ts in range(0, 10, 2)"
    );
}

#[test]
fn render_forms() {
    assert_eq!(
        text(&OperatorKind::Render(Render {
            chart: id("timechart"),
            with: vec![],
        })),
        "render timechart"
    );
    assert_eq!(
        text(&OperatorKind::Render(Render {
            chart: id("columnchart"),
            with: vec![
                RenderProperty {
                    name: id("title"),
                    values: vec![string("x")],
                },
                RenderProperty {
                    name: id("ycolumns"),
                    values: vec![name("a"), name("b")],
                },
                RenderProperty {
                    name: id("kind"),
                    values: vec![name("stacked")],
                },
            ],
        })),
        "render columnchart with (title=\"x\", ycolumns=a, b, kind=stacked)"
    );
}

#[test]
fn top_nested_levels() {
    let levels = vec![
        TopNestedLevel {
            count: Some(long(3)),
            of: named(&["name"], name("e")),
            others: Some(string("Other")),
            by: named(&["total"], call_e("sum", vec![name("x")])),
            order: Some(SortOrder::Asc),
        },
        TopNestedLevel {
            count: None,
            of: named(&[], name("f")),
            others: None,
            by: named(&[], call_e("count", vec![])),
            order: None,
        },
    ];
    assert_eq!(
        text(&OperatorKind::TopNested(levels)),
        "top-nested 3 of name = e with others = \"Other\" by total = sum(x) asc, top-nested of f by count()"
    );
}

#[test]
fn search_forms() {
    let s = Search {
        params: vec![param("kind", name("case_sensitive"))],
        tables: vec![id("A"), id("B*")],
        predicate: string("err"),
    };
    assert_eq!(
        text(&OperatorKind::Search(s.clone())),
        "search kind=case_sensitive in (A, B*) \"err\""
    );
    assert_eq!(
        text(&OperatorKind::Search(Search {
            params: vec![],
            tables: vec![],
            ..s
        })),
        "search \"err\""
    );
}

// ---------------------------------------------------------------- sources

#[test]
fn sources() {
    let src = |kind| text(&Source { kind, span: sp() });
    assert_eq!(
        src(SourceKind::Datatable(Datatable {
            columns: vec![col("a", ScalarType::Long), col("b", ScalarType::String)],
            values: vec![long(1), string("x"), long(2), string("y")],
        })),
        "datatable(a: long, b: string) [1, \"x\", 2, \"y\"]"
    );
    assert_eq!(
        src(SourceKind::Print(vec![
            named(&["a"], long(1)),
            named(&[], long(2))
        ])),
        "print a = 1, 2"
    );
    assert_eq!(
        src(SourceKind::Range(Range {
            column: id("x"),
            from: long(1),
            to: long(10),
            step: long(2),
        })),
        "range x from 1 to 10 step 2"
    );
    assert_eq!(
        src(SourceKind::Paren(Box::new(query(
            table("T"),
            vec![OperatorKind::Count]
        )))),
        "(T | count)"
    );
    assert_eq!(
        src(SourceKind::Materialize(Box::new(query(
            table("T"),
            vec![OperatorKind::Take(long(1))]
        )))),
        "materialize(T | take 1)"
    );
    assert_eq!(
        src(SourceKind::Call(call("table", vec![string("T")]))),
        "table(\"T\")"
    );
    let ext = Externaldata {
        columns: vec![col("a", ScalarType::String)],
        uris: vec![string("uri1"), string("uri2")],
        with: vec![param("format", string("csv"))],
    };
    assert_eq!(
        src(SourceKind::Externaldata(ext.clone())),
        "externaldata (a: string) [\"uri1\", \"uri2\"] with (format=\"csv\")"
    );
    assert_eq!(
        src(SourceKind::Externaldata(Externaldata {
            with: vec![],
            ..ext
        })),
        "externaldata (a: string) [\"uri1\", \"uri2\"]"
    );
    assert_eq!(
        src(SourceKind::Union(Union {
            params: vec![],
            tables: vec![query(table("A"), vec![]), query(table("B"), vec![])],
        })),
        "union A, B"
    );
}

#[test]
fn query_display_forms() {
    let q = query(
        table("T"),
        vec![
            OperatorKind::Where(bin(BinaryOp::Eq, name("x"), string("y"))),
            OperatorKind::Take(long(5)),
        ],
    );
    assert_eq!(format!("{q}"), "T\n| where x == \"y\"\n| take 5");
    assert_eq!(format!("{q:#}"), "T | where x == \"y\" | take 5");
}

// ---------------------------------------------------------------- statements

#[test]
fn let_function_with_lets_and_body() {
    let function = Function {
        params: vec![
            Param {
                name: id("a"),
                ty: ParamType::Scalar(ty(ScalarType::Long)),
                default: None,
            },
            Param {
                name: id("b"),
                ty: ParamType::Scalar(ty(ScalarType::String)),
                default: Some(string("x")),
            },
        ],
        lets: vec![Let {
            name: id("y"),
            value: LetValue::Expr(long(1)),
        }],
        body: Box::new(LetValue::Query(query(
            table("T"),
            vec![OperatorKind::Where(bin(BinaryOp::Gt, name("c"), name("y")))],
        ))),
        is_view: false,
        span: sp(),
    };
    let s = script(vec![
        StatementKind::Let(Let {
            name: id("f"),
            value: LetValue::Function(function),
        }),
        StatementKind::Query(query(
            e_source_call("f", vec![long(1)]),
            vec![OperatorKind::Count],
        )),
    ]);
    assert_eq!(
        text(&s),
        "let f = (a: long, b: string = \"x\") { let y = 1; T | where c > y };\nf(1)\n| count"
    );
}

fn e_source_call(n: &str, args: Vec<Expr>) -> Source {
    Source {
        kind: SourceKind::Call(call(n, args)),
        span: sp(),
    }
}

#[test]
fn let_view_and_tabular_params() {
    let view = Function {
        params: vec![],
        lets: vec![],
        body: Box::new(LetValue::Expr(name("T"))),
        is_view: true,
        span: sp(),
    };
    assert_eq!(
        text(&Let {
            name: id("v"),
            value: LetValue::Function(view),
        }),
        "let v = view () { T }"
    );
    let tab = |columns, any| Param {
        name: id("T"),
        ty: ParamType::Tabular { columns, any },
        default: None,
    };
    assert_eq!(text(&tab(vec![], true)), "T: (*)");
    assert_eq!(
        text(&tab(
            vec![col("a", ScalarType::Long), col("b", ScalarType::String)],
            false
        )),
        "T: (a: long, b: string)"
    );
    assert_eq!(
        text(&tab(vec![col("a", ScalarType::Long)], true)),
        "T: (a: long, *)"
    );
}

#[test]
fn let_set_declare_statements() {
    let s = script(vec![
        StatementKind::Set(Set {
            name: id("query_now"),
            value: Some(lit(Literal::Datetime(Some(0)))),
        }),
        StatementKind::Set(Set {
            name: id("notruncation"),
            value: None,
        }),
        StatementKind::DeclareQueryParameters(vec![
            Param {
                name: id("a"),
                ty: ParamType::Scalar(ty(ScalarType::Long)),
                default: Some(long(5)),
            },
            Param {
                name: id("b"),
                ty: ParamType::Scalar(ty(ScalarType::String)),
                default: None,
            },
        ]),
        StatementKind::Let(Let {
            name: id("x"),
            value: LetValue::Expr(bin(BinaryOp::Mul, long(2), long(3))),
        }),
        StatementKind::Let(Let {
            name: id("Q"),
            value: LetValue::Query(query(table("T"), vec![OperatorKind::Take(long(1))])),
        }),
        StatementKind::Query(query(table("Q"), vec![])),
    ]);
    assert_eq!(
        text(&s),
        "set query_now = datetime(1970-01-01T00:00:00Z);\n\
         set notruncation;\n\
         declare query_parameters(a: long = 5, b: string);\n\
         let x = 2 * 3;\n\
         let Q = T | take 1;\n\
         Q"
    );
}
