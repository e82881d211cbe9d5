//! The string functions through the registry. Expected values are the examples of the KQL
//! reference pages (named in each test), plus edge cases following their rules.

use datafusion::common::ScalarValue;

use crate::testing::{arg, call, l, s};
use crate::{FunctionError, KqlType, LowerContext, Registry, TypedExpr};

fn text(v: &str) -> ScalarValue {
    ScalarValue::Utf8(Some(v.into()))
}

fn long(v: i64) -> ScalarValue {
    ScalarValue::Int64(Some(v))
}

fn null_string() -> TypedExpr {
    arg(ScalarValue::Utf8(None), KqlType::String)
}

fn int(v: i32) -> TypedExpr {
    arg(ScalarValue::Int32(Some(v)), KqlType::Int)
}

fn seconds(v: i64) -> TypedExpr {
    arg(
        ScalarValue::DurationNanosecond(Some(v * 1_000_000_000)),
        KqlType::Timespan,
    )
}

fn dynamic(json: &str) -> TypedExpr {
    arg(json, KqlType::Dynamic)
}

/// The error lowering a call gives.
fn lowering_error(name: &str, args: Vec<TypedExpr>) -> FunctionError {
    let registry = Registry::new();
    let types: Vec<KqlType> = args.iter().map(|a| a.ty).collect();
    let resolved = registry
        .resolve_scalar(name, &types)
        .unwrap_or_else(|e| panic!("{e}"));
    let ctx = LowerContext { now_nanos: 0 };
    match registry.lower_scalar(&resolved, &ctx, args) {
        Ok(e) => panic!("{name} lowered to {}", e.expr),
        Err(e) => e,
    }
}

#[test]
fn strlen_page_examples() {
    assert_eq!(call("strlen", vec![s("hello")]), long(5));
    assert_eq!(call("strlen", vec![s("⒦⒰⒮⒯⒪")]), long(5));
    // A grapheme of two code points counts 2.
    assert_eq!(call("strlen", vec![s("C\u{327}edilla")]), long(8));
    assert_eq!(call("strlen", vec![null_string()]), long(0));
}

#[test]
fn tolower_toupper_page_examples() {
    assert_eq!(call("tolower", vec![s("Hello")]), text("hello"));
    assert_eq!(call("toupper", vec![s("hello")]), text("HELLO"));
    assert_eq!(call("toupper", vec![s("straße é")]), text("STRASSE É"));
    assert_eq!(call("tolower", vec![null_string()]), text(""));
    assert_eq!(call("tolower", vec![l(42)]), text("42"));
}

#[test]
fn strcat_page_examples() {
    assert_eq!(
        call("strcat", vec![s("hello"), s(" "), s("world")]),
        text("hello world")
    );
    assert_eq!(
        call("strcat", vec![s("Line 1\n"), s("Line 2\n"), s("Line 3")]),
        text("Line 1\nLine 2\nLine 3")
    );
    assert_eq!(call("strcat", vec![s("a")]), text("a"));
    assert_eq!(
        call(
            "strcat",
            vec![s("n="), l(5), s(", "), null_string(), int(7)]
        ),
        text("n=5, 7")
    );
    let too_many = vec![s("x"); 65];
    let types: Vec<KqlType> = too_many.iter().map(|a| a.ty).collect();
    assert!(matches!(
        Registry::new().resolve_scalar("strcat", &types),
        Err(FunctionError::Arity { .. })
    ));
}

#[test]
fn strcat_delim_page_example() {
    assert_eq!(
        call(
            "strcat_delim",
            vec![s("-"), l(1), s("2"), s("A"), seconds(1)]
        ),
        text("1-2-A-00:00:01")
    );
    assert_eq!(
        call("strcat_delim", vec![null_string(), s("a"), s("b")]),
        text("ab")
    );
    assert!(matches!(
        Registry::new().resolve_scalar("strcat_delim", &[KqlType::String, KqlType::String]),
        Err(FunctionError::Arity { .. })
    ));
}

#[test]
fn substring_page_examples() {
    assert_eq!(call("substring", vec![s("123456"), l(1)]), text("23456"));
    assert_eq!(call("substring", vec![s("123456"), l(2), l(2)]), text("34"));
    assert_eq!(call("substring", vec![s("ABCD"), l(0), l(2)]), text("AB"));
    assert_eq!(
        call("substring", vec![s("123456"), l(-2), l(2)]),
        text("56")
    );
    assert_eq!(
        call("substring", vec![s("123456"), int(1), int(2)]),
        text("23")
    );
    assert_eq!(call("substring", vec![l(123456), l(1)]), text("23456"));
    assert_eq!(call("substring", vec![s("héllo"), l(1), l(3)]), text("éll"));
    assert_eq!(call("substring", vec![null_string(), l(1)]), text(""));
    assert_eq!(
        call(
            "substring",
            vec![s("abc"), arg(ScalarValue::Int64(None), KqlType::Long)]
        ),
        ScalarValue::Utf8(None)
    );
}

#[test]
fn indexof_page_examples() {
    let cases: [(TypedExpr, TypedExpr, Vec<i64>, i64); 9] = [
        (s("abcdefg"), s("cde"), vec![], 2),
        (s("abcdefg"), s("cde"), vec![1, 4], 2),
        (s("abcdefg"), s("cde"), vec![1, 2], -1),
        (s("abcdefg"), s("cde"), vec![3, 4], -1),
        (s("abcdefg"), s("cde"), vec![-5], 2),
        (l(1234567), l(5), vec![1, 4], 4),
        (s("abcdefg"), s("cde"), vec![2, -1], 2),
        (s("abcdefgabcdefg"), s("cde"), vec![1, 10, 2], 9),
        (s("abcdefgabcdefg"), s("cde"), vec![1, -1, 3], -1),
    ];
    for (k, (source, lookup, rest, expected)) in cases.into_iter().enumerate() {
        let mut args = vec![source, lookup];
        args.extend(rest.into_iter().map(l));
        assert_eq!(call("indexof", args), long(expected), "idx{}", k + 1);
    }
}

#[test]
fn indexof_nulls() {
    // indexof-function.md: null when length < -1 or occurrence < 0.
    assert_eq!(
        call("indexof", vec![s("abc"), s("b"), l(0), l(-2)]),
        ScalarValue::Int64(None)
    );
    assert_eq!(
        call("indexof", vec![s("abc"), s("b"), l(0), l(-1), l(-1)]),
        ScalarValue::Int64(None)
    );
    assert_eq!(call("indexof", vec![null_string(), s("x")]), long(-1));
    assert_eq!(call("indexof", vec![s("wörld"), s("r")]), long(2));
}

#[test]
fn split_page_examples() {
    assert_eq!(
        call("split", vec![s("aa_bb"), s("_")]),
        text(r#"["aa","bb"]"#)
    );
    assert_eq!(
        call("split", vec![s("aaa_bbb_ccc"), s("_"), l(1)]),
        text(r#"["bbb"]"#)
    );
    assert_eq!(call("split", vec![s(""), s("_")]), text(r#"[""]"#));
    assert_eq!(
        call("split", vec![s("a__b"), s("_")]),
        text(r#"["a","","b"]"#)
    );
    assert_eq!(
        call("split", vec![s("aabbcc"), s("bb")]),
        text(r#"["aa","cc"]"#)
    );
}

#[test]
fn split_edges() {
    assert_eq!(
        call("split", vec![s("/a//b"), s("/")]),
        text(r#"["","a","","b"]"#)
    );
    assert_eq!(call("split", vec![s("a_b"), s("_"), l(5)]), text("[]"));
    assert_eq!(call("split", vec![s("a_b"), s("_"), l(-1)]), text("[]"));
    assert_eq!(call("split", vec![s("abc"), s("")]), text(r#"["abc"]"#));
    assert_eq!(
        call("split", vec![s(r#"a"b\c"#), s("_")]),
        text(r#"["a\"b\\c"]"#)
    );
    assert_eq!(
        call("split", vec![l(10203), s("0")]),
        text(r#"["1","2","3"]"#)
    );
    assert_eq!(call("split", vec![null_string(), s(",")]), text(r#"[""]"#));
}

#[test]
fn reverse_page_examples() {
    assert_eq!(
        call("reverse", vec![s("ABCDEFGHIJKLMNOPQRSTUVWXYZ")]),
        text("ZYXWVUTSRQPONMLKJIHGFEDCBA")
    );
    assert_eq!(call("reverse", vec![l(12345)]), text("54321"));
    assert_eq!(
        call("reverse", vec![arg(123.45f64, KqlType::Real)]),
        text("54.321")
    );
    assert_eq!(call("reverse", vec![seconds(3 * 3600)]), text("00:00:30"));
    assert_eq!(call("reverse", vec![s("héllo")]), text("olléh"));
    assert_eq!(call("reverse", vec![null_string()]), text(""));
}

#[test]
fn strrep_page_example() {
    assert_eq!(call("strrep", vec![s("ABC"), l(2)]), text("ABCABC"));
    assert_eq!(
        call("strrep", vec![l(123), l(3), s(".")]),
        text("123.123.123")
    );
    assert_eq!(
        call("strrep", vec![seconds(3), int(2), s(" ")]),
        text("00:00:03 00:00:03")
    );
    assert_eq!(call("strrep", vec![s("x"), l(0)]), ScalarValue::Utf8(None));
}

#[test]
fn replace_string_page_examples() {
    assert_eq!(
        call(
            "replace_string",
            vec![
                s("A magic trick can turn a cat into a dog"),
                s("cat"),
                s("hamster")
            ]
        ),
        text("A magic trick can turn a hamster into a dog")
    );
    assert_eq!(
        call("replace_string", vec![s("Number is 1"), s("is"), s("was")]),
        text("Number was 1")
    );
    assert_eq!(
        call("replace_string", vec![s("aaaa"), s("aa"), s("b")]),
        text("bb")
    );
    assert_eq!(
        call("replace_string", vec![s("abc"), s(""), s("x")]),
        text("abc")
    );
    assert_eq!(
        call("replace_string", vec![null_string(), s("a"), s("b")]),
        text("")
    );
}

#[test]
fn countof_page_examples() {
    assert_eq!(call("countof", vec![s("aaa"), s("a")]), long(3));
    assert_eq!(call("countof", vec![s("aaaa"), s("aa")]), long(3));
    assert_eq!(
        call("countof", vec![s("ababa"), s("ab"), s("normal")]),
        long(2)
    );
    assert_eq!(call("countof", vec![s("ababa"), s("aba")]), long(2));
    assert_eq!(
        call("countof", vec![s("ababa"), s("aba"), s("regex")]),
        long(1)
    );
    assert_eq!(
        call("countof", vec![s("abcabc"), s("a.c"), s("regex")]),
        long(2)
    );
}

#[test]
fn countof_kind_must_be_a_known_literal() {
    assert!(matches!(
        lowering_error("countof", vec![s("a"), s("a"), s("Regex")]),
        FunctionError::Invalid { .. }
    ));
    let kind = TypedExpr::new(datafusion::prelude::col("k"), KqlType::String);
    assert!(matches!(
        lowering_error("countof", vec![s("a"), s("a"), kind]),
        FunctionError::NotConstant { index: 2, .. }
    ));
    assert!(matches!(
        lowering_error("countof", vec![s("a"), s("("), s("regex")]),
        FunctionError::Invalid { .. }
    ));
}

#[test]
fn trim_page_examples() {
    assert_eq!(
        call("trim", vec![s("--"), s("--https://bing.com--")]),
        text("https://bing.com")
    );
    assert_eq!(
        call("trim", vec![s(r"[^\w]+"), s("-  Te st1// $")]),
        text("Te st1")
    );
    assert_eq!(
        call("trim", vec![s(r"\s+"), s("    Hello, world!    ")]),
        text("Hello, world!")
    );
    assert_eq!(
        call("trim_start", vec![s("https://"), s("https://bing.com")]),
        text("bing.com")
    );
    assert_eq!(
        call("trim_start", vec![s(r"[^\w]+"), s("-  Te st1// $")]),
        text("Te st1// $")
    );
    assert_eq!(
        call("trim_start", vec![s(r"\s+"), s("    Hello, world!    ")]),
        text("Hello, world!    ")
    );
    assert_eq!(
        call("trim_end", vec![s(".com"), s("bing.com")]),
        text("bing")
    );
    assert_eq!(
        call("trim_end", vec![s(r"[^\w]+"), s("-  Te st1// $")]),
        text("-  Te st1")
    );
    assert_eq!(
        call("trim_end", vec![s(r"\s+"), s("    Hello, world!    ")]),
        text("    Hello, world!")
    );
}

#[test]
fn trim_edges() {
    // "All leading and trailing matches": repeated matches go too.
    assert_eq!(call("trim", vec![s("ab"), s("ababxab")]), text("x"));
    assert_eq!(call("trim", vec![s("a|b"), s("abcab")]), text("c"));
    assert_eq!(call("trim", vec![s("x"), s("xxx")]), text(""));
    assert_eq!(call("trim", vec![s(""), s(" a ")]), text(" a "));
    assert_eq!(call("trim", vec![s("x"), null_string()]), text(""));
    assert!(matches!(
        lowering_error("trim", vec![s("a)(b"), s("x")]),
        FunctionError::Invalid { .. }
    ));
}

const USERS: [&str; 2] = [
    "User: James, Email: James@example.com, Age: 29",
    "User: David, Age: 35",
];

#[test]
fn extract_page_examples() {
    let [james, david] = USERS;
    assert_eq!(
        call("extract", vec![s("User: ([^,]+)"), l(1), s(james)]),
        text("James")
    );
    assert_eq!(
        call("extract", vec![s(r"Email: (\S+),"), l(1), s(james)]),
        text("James@example.com")
    );
    assert_eq!(call("extract", vec![s(r"\d+"), l(0), s(james)]), text("29"));
    assert_eq!(
        call("extract", vec![s("User: ([^,]+)"), l(1), s(david)]),
        text("David")
    );
    assert_eq!(
        call("extract", vec![s(r"Email: (\S+),"), l(1), s(david)]),
        ScalarValue::Utf8(None)
    );
    assert_eq!(call("extract", vec![s(r"\d+"), l(0), s(david)]), text("35"));
    for (date, month) in [
        ("15-12-2024", "12"),
        ("21-07-2023", "07"),
        ("10-03-2022", "03"),
    ] {
        assert_eq!(
            call("extract", vec![s(r"-(\d{2})-"), int(1), s(date)]),
            text(month)
        );
    }
}

#[test]
fn extract_edges() {
    assert_eq!(
        call("extract", vec![s("(a)"), l(2), s("a")]),
        ScalarValue::Utf8(None)
    );
    assert_eq!(call("extract", vec![s("(a)|(b)"), l(1), s("b")]), text(""));
    assert_eq!(
        call("extract", vec![s("^$"), l(0), null_string()]),
        text("")
    );
    assert!(matches!(
        lowering_error("extract", vec![s("(a"), l(1), s("a")]),
        FunctionError::Invalid { .. }
    ));
}

const GUID: &str = "82b8be2d-dfa7-4bd1-8f63-24ad26d31449";

#[test]
fn extract_all_page_examples() {
    assert_eq!(
        call(
            "extract_all",
            vec![s(r"(\d+)"), s("a set of numbers: 123, 567 and 789")]
        ),
        text(r#"["123","567","789"]"#)
    );
    assert_eq!(
        call("extract_all", vec![s(r"([\da-f]{2})"), s(GUID)]),
        text(
            r#"["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]"#
        )
    );
    let all_three = r#"[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]"#;
    assert_eq!(
        call("extract_all", vec![s(r"(\w)(\w+)(\w)"), s(GUID)]),
        text(all_three)
    );
    assert_eq!(
        call(
            "extract_all",
            vec![s(r"(\w)(\w+)(\w)"), dynamic("[1,3]"), s(GUID)]
        ),
        text(r#"[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]"#)
    );
    assert_eq!(
        call(
            "extract_all",
            vec![
                s(r"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)"),
                dynamic(r#"["first",2,"last"]"#),
                s(GUID)
            ]
        ),
        text(all_three)
    );
}

#[test]
fn extract_all_edges() {
    // No match: null.
    assert_eq!(
        call("extract_all", vec![s(r"(\d+)"), s("none here")]),
        ScalarValue::Utf8(None)
    );
    assert_eq!(
        call(
            "extract_all",
            vec![s(r"(\w)(\w)"), dynamic("[2]"), s("ab cd")]
        ),
        text(r#"["b","d"]"#)
    );
    assert_eq!(
        call("extract_all", vec![s(r"(\w)"), dynamic("[5]"), s("ab")]),
        ScalarValue::Utf8(None)
    );
    assert!(matches!(
        lowering_error("extract_all", vec![s("(\\d+"), s("1")]),
        FunctionError::Invalid { .. }
    ));
}

#[test]
fn replace_regex_page_example() {
    for x in 1..=5 {
        assert_eq!(
            call(
                "replace_regex",
                vec![
                    s(&format!("Number is {x}.000000")),
                    s(r"is (\d+)"),
                    s(r"was: \1")
                ]
            ),
            text(&format!("Number was: {x}.000000"))
        );
    }
}

#[test]
fn replace_regex_edges() {
    assert_eq!(
        call("replace_regex", vec![s("a1b22"), s(r"\d"), s(r"<\0>")]),
        text("a<1>b<2><2>")
    );
    assert_eq!(
        call("replace_regex", vec![s("price 5"), s(r"(\d)"), s(r"$\1")]),
        text("price $5")
    );
    assert_eq!(
        call(
            "replace_regex",
            vec![s("Hello World"), s(r"(\w+) (\w+)"), s(r"\2 \1")]
        ),
        text("World Hello")
    );
    assert!(matches!(
        lowering_error("replace_regex", vec![s("x"), s("[x"), s("y")]),
        FunctionError::Invalid { .. }
    ));
}
