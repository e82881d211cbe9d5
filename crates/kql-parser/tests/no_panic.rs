//! No input may panic or hang the parser: random text, and valid queries cut, spliced and
//! mutated, must all give `Ok` or a `Diagnostic` whose span lies inside the text. Whatever parses
//! must print canonical KQL that parses again. Case count: `PROPTEST_CASES` (CI sets a bound).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use kql_parser::{parse, parse_expression};
use proptest::prelude::*;

/// Every query of the data-driven parser tests.
fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/parser");
    let mut queries = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "test") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for block in text.split("\n=== ").skip(1) {
            let body = block.split_once('\n').map_or("", |(_, rest)| rest);
            let query = body.split("\n--- ").next().unwrap_or("");
            queries.push(query.to_string());
        }
    }
    assert!(
        queries.len() > 100,
        "the corpus should hold the parser test queries"
    );
    queries
}

fn check(text: &str) {
    match parse(text) {
        Ok(script) => {
            let printed = script.to_string();
            if let Err(d) = parse(&printed) {
                panic!("{text:?} parsed, but its canonical form does not:\n{printed}\n{d}");
            }
        }
        Err(d) => {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{text:?}: {d:?}"
            );
            // Rendering must not panic either, whatever the span.
            let _ = d.render(text);
        }
    }
    let _ = parse_expression(text);
}

/// `PROPTEST_CASES` if set (CI sets it), else a quick default for local runs.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Characters that KQL uses, weighted towards the structural ones.
const ALPHABET: &[&str] = &[
    "T",
    "x",
    "a1",
    " ",
    " ",
    "\n",
    "|",
    "|",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ".",
    "..",
    ":",
    "=",
    "==",
    "!",
    "~",
    "<",
    ">",
    "+",
    "-",
    "*",
    "/",
    "%",
    "'",
    "\"",
    "@",
    "h",
    "`",
    "\\",
    "$left",
    "where",
    "project",
    "summarize",
    "by",
    "let",
    "1",
    "2.5",
    "1d",
    "e",
    "0x",
    "and",
    "or",
    "in",
    "has",
    "between",
    "datetime(",
    "dynamic(",
    "//",
    "é",
    "\u{0}",
    "join",
    "on",
];

fn token() -> impl Strategy<Value = String> {
    prop::sample::select(ALPHABET).prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn random_token_soup(tokens in prop::collection::vec(token(), 0..40)) {
        check(&tokens.concat());
    }

    #[test]
    fn arbitrary_unicode(text in "\\PC{0,80}") {
        check(&text);
    }

    #[test]
    fn mutated_valid_queries(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        insert in token(),
        delete in 0usize..4,
    ) {
        let corpus = corpus();
        let query = pick.get(&corpus);
        let boundaries: Vec<usize> = (0..=query.len()).filter(|i| query.is_char_boundary(*i)).collect();
        let at = *cut.get(&boundaries);
        let end = boundaries.iter().copied().find(|b| *b >= at + delete).unwrap_or(query.len());
        let mutated = format!("{}{}{}", &query[..at], insert, &query[end..]);
        check(&mutated);
        // Every prefix of a valid query is a plausible half-typed query in a REPL.
        check(&query[..at]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [10_000, 1_000, 200] {
        for (open, close) in [("(", ")"), ("f(", ")"), ("-", ""), ("a[", "]")] {
            let text = format!("print {}1{}", open.repeat(depth), close.repeat(depth));
            let err = parse(&text).unwrap_err();
            assert!(
                err.message.contains("nests more than"),
                "{open}: {}",
                err.message
            );
        }
        let text = format!("print dynamic({}1{})", "[".repeat(depth), "]".repeat(depth));
        assert!(
            parse(&text)
                .unwrap_err()
                .message
                .contains("nests more than")
        );
        let text = format!("T{}", " | where (1 == 1)".repeat(depth));
        // A long pipeline is not nesting.
        assert!(parse(&text).is_ok());
        let text = format!("{}T{}", "(".repeat(depth), ")".repeat(depth));
        assert!(parse(&text).is_err());
    }
}

#[test]
fn moderate_nesting_parses() {
    let text = format!("print {}1{}", "(".repeat(40), ")".repeat(40));
    assert!(parse(&text).is_ok());
    let text = format!("print {}1{}", "f(".repeat(30), ")".repeat(30));
    assert!(parse(&text).is_ok());
}
