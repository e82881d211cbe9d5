//! Shredded `dynamic` members: queries that read a member's child column give exactly the rows
//! the same query gives when it parses the JSON (`take` first keeps the child columns out).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::util::pretty::pretty_format_batches;
use kql_engine::{Engine, KqlColumn, KqlType};

/// Rows that test the reading of JSON: escapes (in keys too), duplicate keys, JSON null, nested values,
/// numbers as written, arrays, scalars, SQL null, and JSON that breaks off before or after the
/// member.
const ROWS: &[Option<&str>] = &[
    Some(r#"{"a":"x","b":1}"#),
    Some(r#"{"a":"X","b":"1"}"#),
    Some(r#"{"a":null,"b":[1, 2]}"#),
    Some(r#"{"b":{"c":"x"}}"#),
    Some(r#"{"a":"x\"y","a":"dup","b":true}"#),
    Some(r#"{"a":"\u00e9t\u00e9 x","b":null}"#),
    Some(r#"["x", "y"]"#),
    Some(r#""a string""#),
    None,
    Some(""),
    Some(r#"{"a":"x","b":tru}"#),
    Some(r#"{"b":1.50,"a":2e3}"#),
    Some(r#"{"c":[1,{"a":"x"}],"a":"x y","b":-0}"#),
    Some(r#"{"a":}"#),
    Some(r#"{"b":"x", "a" : { "n" : [ 1 ] } }"#),
    Some(r#"{"a":"x","b":1} trailing"#),
    Some(r#"{"\u0061":"x y","b":"k\"ey"}"#),
    Some(r#"{"b\q":1,"a":"x"}"#),
];

/// A table `T` of `copies` times [`ROWS`]: once, its members are shredded as text; repeated, as
/// dictionaries (their values repeat).
fn engine(copies: usize) -> Engine {
    let engine = Engine::new();
    let rows: Vec<Option<&str>> = ROWS.repeat(copies);
    let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(0..rows.len() as i64));
    let d: ArrayRef = Arc::new(StringArray::from(rows));
    let columns = vec![
        KqlColumn::new("id", KqlType::Long),
        KqlColumn::new("d", KqlType::Dynamic),
    ];
    let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(vec![
        KqlType::Long.to_field("id"),
        KqlType::Dynamic.to_field("d"),
    ]));
    let batch = RecordBatch::try_new(schema, vec![ids, d]).unwrap();
    engine.register_columns("T", columns, vec![batch]).unwrap();
    engine
}

fn run(engine: &Engine, query: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = runtime
        .block_on(engine.query(query))
        .unwrap_or_else(|e| panic!("{}", e.render(query)));
    let table = &result.tables[0];
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{}:{}", c.name, c.ty))
        .collect();
    format!(
        "{}\n{}",
        names.join(" | "),
        pretty_format_batches(&table.batches).unwrap()
    )
}

/// The operators after `T`: each is run as `T | ops` (reading child columns) and as
/// `T | take 1000 | ops` (parsing JSON).
const QUERIES: &[&str] = &[
    "where d.a == 'x' | project id",
    "where d.a != 'x' | project id",
    "where d.a == '' | project id",
    "where tostring(d.a) == '' | project id",
    "where d.a =~ 'X' and d.b == '1' | project id",
    "where d.a has 'x' or d.b contains '1' | project id",
    "where not(d.a == 'x') | project id",
    "where isnotempty(tostring(d.a)) | project id",
    "project id, a = tostring(d.a), b = tostring(d.b), c = tostring(d.b.c), raw = d.a",
    "extend a = strcat(d.a, '|', d.b), n = toint(d.b) | project id, a, n",
    "where id >= 0 | where d.b != 'x' | extend s = tostring(d.a) | project id, s",
    "summarize n = count(), ids = make_set(id) by a = tostring(d.a) | sort by a asc",
    "summarize n = countif(d.a == 'x') by b = tostring(d.b) | sort by b asc",
    "where d.a in ('x', 'X', '2e3') | project id",
    "where d.a startswith 'x' | sort by id | project id, d",
];

#[test]
fn child_columns_give_the_rows_json_parsing_gives() {
    for copies in [1, 40] {
        let engine = engine(copies);
        for ops in QUERIES {
            let sort = if ops.starts_with("summarize") {
                ""
            } else {
                " | sort by id asc"
            };
            let shredded = run(&engine, &format!("T | {ops}{sort}"));
            let parsed = run(&engine, &format!("T | take 100000 | {ops}{sort}"));
            assert_eq!(shredded, parsed, "T | {ops} ({copies} copies)");
        }
    }
}

#[test]
fn frequent_members_are_read_from_child_columns() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for (copies, dictionary) in [(1, false), (40, true)] {
        let engine = engine(copies);
        let plan = runtime
            .block_on(engine.explain("T | where d.a == 'x' | extend b = tostring(d.b)"))
            .unwrap();
        let optimized = plan.split("optimized logical plan").nth(1).unwrap();
        assert!(optimized.contains("__kql_member:d:a"), "{plan}");
        assert!(optimized.contains("__kql_member:d:b"), "{plan}");
        assert!(!optimized.contains("json_as_text"), "{plan}");
        assert_eq!(optimized.contains("Dictionary"), dictionary, "{plan}");
    }
    let engine = engine(1);
    // A member after a `take` is parsed, and child columns never reach the result.
    let plan = runtime
        .block_on(engine.explain("T | take 5 | where d.a == 'x'"))
        .unwrap();
    assert!(plan.contains("json_as_text(d, Utf8(\"a\"))"), "{plan}");
    let all = run(&engine, "T | where d.a == 'x'");
    assert!(!all.contains("__kql_member"), "{all}");
    assert!(all.starts_with("id:long | d:dynamic\n"), "{all}");
}

#[test]
fn child_column_names_never_collide() {
    // `['d:a'].b` and `d.['a:b']` would both be `__kql_member:d:a:b`: only the first is
    // shredded, and both still read their own member.
    let engine = Engine::new();
    let first: ArrayRef = Arc::new(StringArray::from(vec![r#"{"b":"one"}"#; 3]));
    let second: ArrayRef = Arc::new(StringArray::from(vec![r#"{"a:b":"two"}"#; 3]));
    let columns = vec![
        KqlColumn::new("d:a", KqlType::Dynamic),
        KqlColumn::new("d", KqlType::Dynamic),
    ];
    let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(vec![
        KqlType::Dynamic.to_field("d:a"),
        KqlType::Dynamic.to_field("d"),
    ]));
    let batch = RecordBatch::try_new(schema, vec![first, second]).unwrap();
    engine.register_columns("T", columns, vec![batch]).unwrap();
    let out = run(
        &engine,
        "T | where ['d:a'].b == 'one' and d['a:b'] == 'two' | summarize n = count()",
    );
    assert!(out.contains("| 3 |"), "{out}");
}
