//! End-to-end tests: every `*.test` file under `testdata/e2e/`, one test per case, run against
//! one engine holding the committed sample (`testdata/sample/`, loaded with the Azure tables'
//! documented schemas) with `now()` fixed at the sample's generation time, 2026-01-01T00:00:00Z.
//!
//! A case is `=== title`, the query, then the expected outcome:
//!
//! ```text
//! --- result            (rows in any order)   or   --- result ordered
//! Name:string | Count:long
//! gpu-cluster | 3
//! ```
//!
//! one header line (`name:type`, `|`-separated) and one line per row, values in KQL's text forms
//! (datetimes `2026-01-01T00:00:00Z`, timespans `1.02:03:04`, dynamic as compact JSON, `null`);
//! or `--- error` and the rendered diagnostic. Expected results are worked out by hand or with an
//! independent script, never copied from the engine's output.
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Float64Type, Int32Type, Int64Type, TimestampNanosecondType,
};
use kql_engine::{Engine, EngineOptions, KqlColumn, KqlType, ResultTable};
use libtest_mimic::{Arguments, Failed, Trial};

/// 2026-01-01T00:00:00Z: the `now` the sample was generated with.
const SAMPLE_NOW_NANOS: i64 = 1_767_225_600_000_000_000;

#[derive(Clone, Debug)]
enum Expect {
    Rows { ordered: bool, text: String },
    Error(String),
}

#[derive(Clone, Debug)]
struct Case {
    query: String,
    expect: Expect,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_cases(path: &Path) -> Vec<(String, Case)> {
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
            let at = lines
                .iter()
                .position(|l| l.starts_with("--- "))
                .unwrap_or_else(|| {
                    panic!("{}: case '{title}' has no expected section", path.display())
                });
            let body = lines[at + 1..].join("\n").trim().to_string();
            let expect = match lines[at].trim() {
                "--- result" => Expect::Rows {
                    ordered: false,
                    text: body,
                },
                "--- result ordered" => Expect::Rows {
                    ordered: true,
                    text: body,
                },
                "--- error" => Expect::Error(body),
                other => panic!("{}: unknown section '{other}'", path.display()),
            };
            let query = lines[..at].join("\n").trim().to_string();
            (title, Case { query, expect })
        })
        .collect()
}

/// The engine with the sample tables.
fn engine() -> Engine {
    let engine = Engine::with_options(EngineOptions {
        now_nanos: Some(SAMPLE_NOW_NANOS),
        ..EngineOptions::default()
    });
    for table in kql_datagen::Table::ALL {
        let schema = table.schema();
        let columns: Vec<KqlColumn> = schema
            .fields()
            .iter()
            .map(|f| KqlColumn::new(f.name().clone(), KqlType::from_field(f).unwrap()))
            .collect();
        let path = root()
            .join("testdata/sample")
            .join(format!("{}.jsonl", table.name()));
        let options = kql_engine::load::JsonLinesOptions {
            schema: Some(columns),
            ..Default::default()
        };
        engine
            .register_json_lines(table.name(), &path, &options)
            .unwrap();
    }
    engine
}

/// A value in the text form the test files use.
fn cell(array: &dyn Array, row: usize, ty: KqlType) -> String {
    if array.is_null(row) {
        return if ty == KqlType::String {
            String::new()
        } else {
            "null".into()
        };
    }
    match array.data_type() {
        DataType::Boolean => array.as_boolean().value(row).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Float64 => {
            kql_functions::udf::real_text(array.as_primitive::<Float64Type>().value(row))
        }
        DataType::Timestamp(_, _) => kql_parser::temporal::format_datetime(
            array
                .as_primitive::<TimestampNanosecondType>()
                .value(row)
                .div_euclid(100),
        ),
        DataType::Duration(_) => kql_parser::temporal::format_timespan(
            array.as_primitive::<DurationNanosecondType>().value(row) / 100,
        ),
        DataType::Utf8 => array.as_string::<i32>().value(row).to_string(),
        other => format!("<{other}>"),
    }
}

fn render(table: &ResultTable) -> (String, Vec<String>) {
    let header = table
        .columns
        .iter()
        .map(|c| format!("{}:{}", c.name, c.ty))
        .collect::<Vec<_>>()
        .join(" | ");
    let mut rows = Vec::new();
    for batch in &table.batches {
        for row in 0..batch.num_rows() {
            let cells: Vec<String> = table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| cell(batch.column(i).as_ref(), row, c.ty))
                .collect();
            rows.push(cells.join(" | "));
        }
    }
    (header, rows)
}

fn normalize(line: &str) -> String {
    line.split('|')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" | ")
}

fn check(engine: &Engine, case: &Case) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(engine.query(&case.query));
    match (&case.expect, outcome) {
        (Expect::Error(expected), Err(e)) => {
            let actual = e.render(&case.query);
            let trim = |s: &str| {
                s.lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string()
            };
            if trim(&actual) == trim(expected) {
                Ok(())
            } else {
                Err(format!(
                    "{}\n\n--- expected error\n{expected}\n--- actual error\n{actual}",
                    case.query
                )
                .into())
            }
        }
        (Expect::Error(expected), Ok(r)) => {
            let (h, rows) = render(&r.tables[0]);
            Err(format!(
                "{}\n\nexpected the error\n{expected}\nbut got\n{h}\n{}",
                case.query,
                rows.join("\n")
            )
            .into())
        }
        (Expect::Rows { .. }, Err(e)) => {
            Err(format!("{}\n\n{}", case.query, e.render(&case.query)).into())
        }
        (Expect::Rows { ordered, text }, Ok(r)) => {
            let table = r.tables.last().unwrap();
            let (header, mut rows) = render(table);
            let mut lines = text.lines().map(normalize);
            let want_header = lines.next().unwrap_or_default();
            let mut want_rows: Vec<String> = lines.filter(|l| !l.is_empty()).collect();
            if !ordered {
                rows.sort();
                want_rows.sort();
            }
            let rows: Vec<String> = rows.iter().map(|r| normalize(r)).collect();
            if normalize(&header) == want_header && rows == want_rows {
                Ok(())
            } else {
                Err(format!(
                    "{}\n\n--- expected\n{want_header}\n{}\n--- actual\n{header}\n{}",
                    case.query,
                    want_rows.join("\n"),
                    rows.join("\n")
                )
                .into())
            }
        }
    }
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
    let engine = Arc::new(engine());
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/e2e"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    files.sort();
    let mut trials = Vec::new();
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        for (n, (title, case)) in read_cases(file).into_iter().enumerate() {
            let engine = Arc::clone(&engine);
            let name = format!("{stem}::{:03}_{}", n + 1, slug(&title));
            trials.push(Trial::test(name, move || check(&engine, &case)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
