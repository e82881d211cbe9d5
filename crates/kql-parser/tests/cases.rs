//! Data-driven parser tests: every `*.test` file under `testdata/parser/`, one test per case.
//!
//! A file holds cases, each starting with a `=== title` line, then the query text, then
//! optionally one expected section:
//!
//! - no section: the query parses, and its canonical print parses back to the same AST;
//! - `--- canonical`: as above, and the canonical print is exactly the text that follows;
//! - `--- tree`: the query is one scalar expression; the text that follows is its shape as an
//!   S-expression (`(+ a (* b c))`), which makes precedence and associativity visible;
//! - `--- error`: the query does not parse; the text that follows is the rendered diagnostic.
//!
//! `KQL_BLESS=1 cargo test -p kql-parser --test cases` writes the actual output into every
//! expected section; review the diff before committing it.
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kql_parser::ast::{Expr, ExprKind, UnaryOp};
use kql_parser::{parse, parse_expression};
use libtest_mimic::{Arguments, Failed, Trial};

#[derive(Clone, Debug)]
enum Expect {
    RoundTrip,
    Canonical(String),
    Tree(String),
    Error(String),
}

#[derive(Clone, Debug)]
struct Case {
    title: String,
    query: String,
    expect: Expect,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/parser")
}

fn read_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut blocks: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("=== ") {
            blocks.push((title.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = blocks.last_mut() {
            lines.push(line);
        }
    }
    blocks
        .into_iter()
        .map(|(title, lines)| {
            let section = lines.iter().position(|l| l.starts_with("--- "));
            let (query_lines, expect) = match section {
                None => (&lines[..], Expect::RoundTrip),
                Some(at) => {
                    let body = trim_block(&lines[at + 1..]);
                    let expect = match lines[at].trim() {
                        "--- canonical" => Expect::Canonical(body),
                        "--- tree" => Expect::Tree(body),
                        "--- error" => Expect::Error(body),
                        other => panic!("{}: unknown section '{other}'", path.display()),
                    };
                    (&lines[..at], expect)
                }
            };
            Case {
                title,
                query: trim_block(query_lines),
                expect,
            }
        })
        .collect()
}

fn trim_block(lines: &[&str]) -> String {
    lines.join("\n").trim_matches('\n').trim_end().to_string()
}

/// Debug output with every span `N..M` replaced, so two ASTs compare spans aside.
fn without_spans(debug: &str) -> String {
    let chars: Vec<char> = debug.chars().collect();
    let mut out = String::with_capacity(debug.len());
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        if boundary && chars[i].is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if chars.get(j) == Some(&'.') && chars.get(j + 1) == Some(&'.') {
                let mut k = j + 2;
                while k < chars.len() && chars[k].is_ascii_digit() {
                    k += 1;
                }
                if k > j + 2 {
                    out.push('_');
                    i = k;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The S-expression shape of an expression.
fn tree(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal(l) => l.to_string(),
        ExprKind::Name(n) => n.name.clone(),
        ExprKind::Star => "*".into(),
        ExprKind::Member { target, name } => format!("(. {} {})", tree(target), name.name),
        ExprKind::Index { target, index } => format!("([] {} {})", tree(target), tree(index)),
        ExprKind::Call(call) => {
            let mut s = format!("({}", call.name.name);
            for arg in &call.args {
                match &arg.name {
                    Some(n) => write!(s, " {}={}", n.name, tree(&arg.value)).unwrap(),
                    None => write!(s, " {}", tree(&arg.value)).unwrap(),
                }
            }
            s + ")"
        }
        ExprKind::Unary { op, operand } => {
            let op = if *op == UnaryOp::Neg { "neg" } else { "pos" };
            format!("({op} {})", tree(operand))
        }
        ExprKind::Binary { op, left, right } => {
            format!("({} {} {})", op.as_str(), tree(left), tree(right))
        }
        ExprKind::Between {
            expr,
            low,
            high,
            negated,
        } => {
            let op = if *negated { "!between" } else { "between" };
            format!("({op} {} {} {})", tree(expr), tree(low), tree(high))
        }
        ExprKind::List { op, expr, items } => {
            let mut s = format!("({} {}", op.as_str(), tree(expr));
            for item in items {
                write!(s, " {}", tree(item)).unwrap();
            }
            s + ")"
        }
        ExprKind::Subquery(q) => format!("(subquery {q:#})"),
    }
}

/// Runs a case; returns the actual text of its expected section, or what went wrong.
fn run(case: &Case) -> Result<String, String> {
    match &case.expect {
        Expect::Tree(_) => {
            let e = parse_expression(&case.query).map_err(|d| d.render(&case.query))?;
            let printed = e.to_string();
            let again = parse_expression(&printed)
                .map_err(|d| format!("canonical form does not parse:\n{}", d.render(&printed)))?;
            if without_spans(&format!("{e:?}")) != without_spans(&format!("{again:?}")) {
                return Err(format!("round trip changed the tree: {printed}"));
            }
            Ok(tree(&e))
        }
        Expect::Error(_) => match parse(&case.query) {
            Ok(script) => Err(format!("expected an error, but it parsed as:\n{script}")),
            Err(d) => Ok(d.render(&case.query).trim_end().to_string()),
        },
        Expect::RoundTrip | Expect::Canonical(_) => {
            let script = parse(&case.query).map_err(|d| d.render(&case.query))?;
            let printed = script.to_string();
            let again = parse(&printed).map_err(|d| {
                format!(
                    "canonical form does not parse:\n{printed}\n{}",
                    d.render(&printed)
                )
            })?;
            if without_spans(&format!("{script:?}")) != without_spans(&format!("{again:?}")) {
                return Err(format!(
                    "the canonical form parses to a different AST:\n{printed}\n\n{script:#?}\n\n{again:#?}"
                ));
            }
            if again.to_string() != printed {
                return Err(format!("printing is not idempotent:\n{printed}\n\n{again}"));
            }
            Ok(printed)
        }
    }
}

fn check(case: &Case) -> Result<(), Failed> {
    let actual = run(case).map_err(|e| Failed::from(format!("{}\n\n{e}", case.query)))?;
    let expected = match &case.expect {
        Expect::RoundTrip => return Ok(()),
        Expect::Canonical(s) | Expect::Tree(s) | Expect::Error(s) => s,
    };
    if normalize(&actual) != normalize(expected) {
        return Err(format!(
            "{}\n\n--- expected\n{expected}\n--- actual\n{actual}\n(KQL_BLESS=1 rewrites expected sections)",
            case.query
        )
        .into());
    }
    Ok(())
}

fn normalize(s: &str) -> String {
    s.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Rewrites the expected sections of a file with the actual output.
fn bless(path: &Path, cases: &[Case]) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines().take_while(|l| !l.starts_with("=== ")) {
        out.push_str(line);
        out.push('\n');
    }
    for case in cases {
        writeln!(out, "=== {}\n{}", case.title, case.query).unwrap();
        let section = match &case.expect {
            Expect::RoundTrip => None,
            Expect::Canonical(_) => Some("canonical"),
            Expect::Tree(_) => Some("tree"),
            Expect::Error(_) => Some("error"),
        };
        if let Some(section) = section {
            let actual = run(case).unwrap_or_else(|e| format!("FAILED: {e}"));
            writeln!(out, "--- {section}\n{actual}").unwrap();
        }
        out.push('\n');
    }
    std::fs::write(path, out.trim_end().to_string() + "\n").unwrap();
}

fn slug(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

fn main() {
    let args = Arguments::from_args();
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    files.sort();
    let blessing = std::env::var_os("KQL_BLESS").is_some();
    let mut trials = Vec::new();
    for file in &files {
        if blessing {
            bless(file, &read_cases(file));
        }
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        for (n, case) in read_cases(file).into_iter().enumerate() {
            let name = format!("{stem}::{:03}_{}", n + 1, slug(&case.title));
            trials.push(Trial::test(name, move || check(&case)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
