//! Registering data: Parquet and CSV files read lazily, record batches coerced to KQL's Arrow
//! types, JSON lines with bad rows.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Int32Array, StringArray, StringViewArray, TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use kql_engine::{Engine, EngineOptions, KqlType, load::JsonLinesOptions};

const NOW_NANOS: i64 = 1_767_225_600_000_000_000;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kql-engine-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// Writes `columns` (all nullable) as a Parquet file, with the writer's default settings unless
/// `props` are given.
fn write_parquet(
    path: &Path,
    columns: Vec<(&str, ArrayRef)>,
    props: Option<datafusion::parquet::file::properties::WriterProperties>,
) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer =
        datafusion::parquet::arrow::ArrowWriter::try_new(file, batch.schema(), props).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn count(engine: &Engine, query: &str) -> i64 {
    let result = runtime()
        .block_on(engine.query(query))
        .unwrap_or_else(|e| panic!("{}", e.render(query)));
    let batch = &result.tables[0].batches[0];
    batch.column(0).as_primitive::<Int64Type>().value(0)
}

#[test]
fn parquet_files_are_queried_with_kql_types() {
    let dir = temp_dir("parquet");
    let config = kql_datagen::GenConfig::new(300, 7, Utc.timestamp_nanos(NOW_NANOS));
    let formats = kql_datagen::Formats {
        jsonl: false,
        parquet: true,
    };
    kql_datagen::write_table(
        &config,
        kql_datagen::Table::AmlComputeJobEvent,
        &dir,
        formats,
    )
    .unwrap();
    let engine = Engine::with_options(EngineOptions {
        now_nanos: Some(NOW_NANOS),
        ..Default::default()
    });
    let runtime = runtime();
    runtime
        .block_on(engine.register_parquet("Jobs", dir.join("AmlComputeJobEvent.parquet")))
        .unwrap();
    // Parquet strings arrive as Utf8View; KQL sees string.
    let columns = engine.table_columns("Jobs").unwrap();
    assert!(
        columns
            .iter()
            .any(|c| c.name == "EventType" && c.ty == KqlType::String)
    );
    assert!(
        columns
            .iter()
            .any(|c| c.name == "TimeGenerated" && c.ty == KqlType::Datetime)
    );
    assert_eq!(count(&engine, "Jobs | count"), 300);
    let failed = count(
        &engine,
        r#"Jobs | where EventType == "JobFailed" and TimeGenerated > ago(30d) | count"#,
    );
    assert!(failed > 0 && failed < 300, "{failed}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A time-sorted file of 10 row groups of 100 rows (`t` ascending, `v` = row number), scanned by
/// three partitions: the row groups are dealt to them in turn, and every answer is the same as
/// reading the file in order.
#[test]
fn row_groups_of_a_sorted_parquet_file_are_dealt_to_partitions_in_turn() {
    use datafusion::arrow::array::{Int64Array, TimestampNanosecondArray};
    use datafusion::parquet::file::metadata::SortingColumn;
    use datafusion::parquet::file::properties::WriterProperties;

    let dir = temp_dir("row-groups");
    let path = dir.join("T.parquet");
    let start = NOW_NANOS - 1000 * 60_000_000_000;
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(100))
        .set_sorting_columns(Some(vec![SortingColumn {
            column_idx: 0,
            descending: false,
            nulls_first: false,
        }]))
        .build();
    write_parquet(
        &path,
        vec![
            (
                "t",
                Arc::new(
                    TimestampNanosecondArray::from_iter_values(
                        (0..1000).map(|i| start + i * 60_000_000_000),
                    )
                    .with_timezone("UTC"),
                ),
            ),
            ("v", Arc::new(Int64Array::from_iter_values(0..1000))),
        ],
        Some(props),
    );

    let engine = Engine::with_options(EngineOptions {
        threads: 3,
        now_nanos: Some(NOW_NANOS),
    });
    // A small file is split into byte ranges (as a big one is by default).
    engine
        .set_datafusion_option("datafusion.optimizer.repartition_file_min_size", "0")
        .unwrap();
    let runtime = runtime();
    runtime
        .block_on(engine.register_parquet("T", &path))
        .unwrap();

    // Rows 650..=999 (the newest 350 minutes), in the last four row groups.
    let newest = "T | where t > ago(351m) | summarize n = count(), s = sum(v)";
    let result = runtime.block_on(engine.query(newest)).unwrap();
    let batch = &result.tables[0].batches[0];
    assert_eq!(batch.column(0).as_primitive::<Int64Type>().value(0), 350);
    assert_eq!(
        batch.column(1).as_primitive::<Int64Type>().value(0),
        (650..1000).sum::<i64>()
    );
    assert_eq!(count(&engine, "T | summarize max(v) - min(v)"), 999);
    // Each partition reads its row groups in file order, so the declared order still holds.
    for (query, first) in [
        ("T | sort by t asc | take 3 | summarize sum(v)", 3),
        (
            "T | sort by t desc | take 3 | summarize sum(v)",
            999 + 998 + 997,
        ),
        (
            "T | where v % 7 == 0 | top 2 by t | summarize sum(v)",
            994 + 987,
        ),
    ] {
        assert_eq!(count(&engine, query), first, "{query}");
    }

    let plans = runtime.block_on(engine.explain(newest)).unwrap();
    assert!(plans.contains("file_groups={3 groups"), "{plans}");
    assert!(!plans.contains("T.parquet:"), "byte ranges left: {plans}");

    let bad = engine.set_datafusion_option("datafusion.no_such_setting", "1");
    assert!(
        bad.unwrap_err()
            .to_string()
            .contains("datafusion.no_such_setting"),
        "an unknown setting is refused by name"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A filter that looks a row up by an identifier-like literal is evaluated while decoding the
/// Parquet file (rows it rejects are counted as pruned by the push-down); a filter on a short
/// literal is evaluated after decoding. Both give the same rows.
#[test]
fn a_lookup_by_identifier_filters_parquet_rows_while_decoding() {
    let dir = temp_dir("lookup");
    let path = dir.join("Jobs.parquet");
    let names: Vec<String> = (0..1000)
        .map(|i| format!("automl_{i:08}_setup_job"))
        .collect();
    let states: Vec<&str> = (0..1000)
        .map(|i| if i % 10 == 0 { "Failed" } else { "Done" })
        .collect();
    write_parquet(
        &path,
        vec![
            ("JobName", Arc::new(StringArray::from(names))),
            ("State", Arc::new(StringArray::from(states))),
        ],
        None,
    );
    let engine = Engine::new();
    let runtime = runtime();
    runtime
        .block_on(engine.register_parquet("Jobs", &path))
        .unwrap();

    let lookup = r#"Jobs | where JobName == "automl_00000042_setup_job" | count"#;
    assert_eq!(count(&engine, lookup), 1);
    let analyzed = runtime.block_on(engine.explain_analyze(lookup)).unwrap();
    assert!(analyzed.contains("pushdown_rows_pruned=999"), "{analyzed}");

    let scattered = r#"Jobs | where State == "Failed" | count"#;
    assert_eq!(count(&engine, scattered), 100);
    let analyzed = runtime.block_on(engine.explain_analyze(scattered)).unwrap();
    assert!(analyzed.contains("pushdown_rows_pruned=0"), "{analyzed}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A nullable Parquet string column is read as `coalesce(column, "")` only when the footers count
/// a null in it: a column without nulls is read as it is, so filters on it reach the scan plain
/// and run on the decoded views, before the cast to text.
#[test]
fn parquet_strings_are_coalesced_only_where_the_files_hold_nulls() {
    let dir = temp_dir("nulls");
    let path = dir.join("T.parquet");
    write_parquet(
        &path,
        vec![
            (
                "full",
                Arc::new(StringArray::from(vec![Some("a"), Some("b"), Some("")])),
            ),
            (
                "holey",
                Arc::new(StringArray::from(vec![Some("x"), None, Some("")])),
            ),
        ],
        None,
    );
    let engine = Engine::new();
    let runtime = runtime();
    runtime
        .block_on(engine.register_parquet_files("T", std::slice::from_ref(&path), None))
        .unwrap();
    // The null reads as "": two empty strings.
    assert_eq!(count(&engine, "T | where holey == '' | count"), 2);
    assert_eq!(count(&engine, "T | where full == 'b' | count"), 1);
    let plans = runtime
        .block_on(engine.explain("T | where full == 'b' and holey == 'x'"))
        .unwrap();
    let physical = plans.split("physical plan").last().unwrap();
    assert!(physical.contains("full@0 = b"), "{physical}");
    // Strings are decoded as views and cast to text above the filter: only kept rows are copied.
    let cast = physical.find("CAST(full@").expect("a cast of the view");
    assert!(cast < physical.find("FilterExec").unwrap(), "{physical}");
    assert!(
        physical.contains("CASE WHEN CAST(holey@1 AS Utf8) IS NOT NULL"),
        "{physical}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A file whose columns are all read as they are, or only cast to their canonical types
/// (strings are decoded as views), with no null to coalesce, is registered as its scan: a
/// query's plan has no view of every column under it, and the planner's scan casts. One that
/// needs a coalesce still reads through one, and both answer the same.
#[test]
fn parquet_files_read_as_they_are_have_no_view_under_their_plans() {
    let dir = temp_dir("as-is");
    let plain = dir.join("Plain.parquet");
    let holey = dir.join("Holey.parquet");
    for (path, second) in [
        (
            &plain,
            StringArray::from(vec![Some("x"), Some("y"), Some("")]),
        ),
        (&holey, StringArray::from(vec![Some("x"), None, Some("")])),
    ] {
        write_parquet(
            path,
            vec![
                ("s", Arc::new(StringArray::from(vec!["a", "b", "a"]))),
                ("t", Arc::new(second)),
                ("n", Arc::new(Int32Array::from(vec![1, 2, 3]))),
            ],
            None,
        );
    }
    let engine = Engine::new();
    let runtime = runtime();
    for (name, path) in [("Plain", &plain), ("Holey", &holey)] {
        runtime
            .block_on(engine.register_parquet_files(name, std::slice::from_ref(path), None))
            .unwrap();
    }
    let logical = |table: &str| {
        let plans = runtime
            .block_on(engine.explain(&format!("{table} | where s == 'a' | project n")))
            .unwrap();
        let start = plans.find("logical plan").unwrap();
        let end = plans.find("optimized logical plan").unwrap();
        plans[start..end].to_string()
    };
    let plain_plan = logical("Plain");
    assert!(plain_plan.contains("TableScan: Plain"), "{plain_plan}");
    assert!(!plain_plan.contains("SubqueryAlias"), "{plain_plan}");
    assert!(plain_plan.contains("CAST(Plain.s AS Utf8)"), "{plain_plan}");
    let holey_plan = logical("Holey");
    assert!(holey_plan.contains("SubqueryAlias: Holey"), "{holey_plan}");
    assert!(holey_plan.contains("coalesce"), "{holey_plan}");
    assert_eq!(count(&engine, "Plain | where s == 'a' | count"), 2);
    assert_eq!(count(&engine, "Holey | where s == 'a' | count"), 2);
    assert_eq!(count(&engine, "Holey | where t == '' | count"), 2);
    assert_eq!(count(&engine, "Plain | where t == '' | count"), 1);
    assert_eq!(
        engine.table_columns("Plain").unwrap(),
        engine.table_columns("Holey").unwrap()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn csv_files_with_a_header_row() {
    let dir = temp_dir("csv");
    let path = dir.join("nodes.csv");
    std::fs::write(
        &path,
        "Node,Cores,Region\nn1,4,westus\nn2,8,eastus\nn3,16,westus\n",
    )
    .unwrap();
    let engine = Engine::new();
    let runtime = runtime();
    runtime
        .block_on(engine.register_csv("Nodes", &path))
        .unwrap();
    assert_eq!(
        count(
            &engine,
            r#"Nodes | where Region == "westus" | summarize sum(Cores)"#
        ),
        20
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn batches_are_coerced_to_kql_types() {
    // Microsecond timestamps without a zone, Utf8View strings with a null, Int32.
    let schema = Arc::new(Schema::new(vec![
        Field::new("t", DataType::Timestamp(TimeUnit::Microsecond, None), true),
        Field::new("s", DataType::Utf8View, true),
        Field::new("n", DataType::Int32, true),
    ]));
    let batch = RecordBatch::try_new(
        schema,
        vec![
            Arc::new(TimestampMicrosecondArray::from(vec![
                Some(1_767_225_600_000_000),
                None,
            ])),
            Arc::new(StringViewArray::from(vec![Some("a"), None])),
            Arc::new(Int32Array::from(vec![1, 2])),
        ],
    )
    .unwrap();
    let engine = Engine::new();
    engine.register_batches("T", vec![batch]).unwrap();
    let types: Vec<KqlType> = engine
        .table_columns("T")
        .unwrap()
        .iter()
        .map(|c| c.ty)
        .collect();
    assert_eq!(types, [KqlType::Datetime, KqlType::String, KqlType::Int]);
    // The null string reads as "", and the timestamp as a UTC datetime.
    assert_eq!(count(&engine, r#"T | where s == "" | count"#), 1);
    assert_eq!(
        count(&engine, "T | where t == datetime(2026-01-01) | count"),
        1
    );
    let runtime = runtime();
    let result = runtime.block_on(engine.query("T | project t")).unwrap();
    let column = result.tables[0].batches[0].column(0).clone();
    assert_eq!(column.data_type(), &KqlType::Datetime.to_arrow());
    assert!(column.is_null(1));
}

#[test]
fn a_bad_json_line_fails_the_load_with_its_line_or_is_counted_when_skipped() {
    let dir = temp_dir("jsonl");
    let path = dir.join("bad.jsonl");
    std::fs::write(
        &path,
        "{\"t\":\"2026-01-01T00:00:00Z\",\"n\":1}\n{\"t\":\"2026-01-01T00:01:00Z\",\"n\":2}\n{\"t\":\"yesterday\",\"n\":3}\nnot json\n",
    )
    .unwrap();
    let engine = Engine::new();
    let columns = vec![
        kql_engine::KqlColumn::new("t", KqlType::Datetime),
        kql_engine::KqlColumn::new("n", KqlType::Long),
    ];
    let strict = JsonLinesOptions {
        schema: Some(columns.clone()),
        ..Default::default()
    };
    let err = engine
        .register_json_lines("T", &path, &strict)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(":3: column 't': expected a datetime, got \"yesterday\""),
        "{err}"
    );
    let lenient = JsonLinesOptions {
        schema: Some(columns),
        skip_bad_rows: true,
        ..Default::default()
    };
    let report = engine.register_json_lines("T", &path, &lenient).unwrap();
    assert_eq!((report.rows, report.skipped), (2, 2));
    assert_eq!(report.first_errors[0].0, 3);
    assert_eq!(
        report.first_errors[1],
        (4, "expected a JSON object".to_string())
    );
    assert_eq!(count(&engine, "T | count"), 2);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A line that is not UTF-8 is a bad row like any other: the load stops at its line, or skips
/// and counts it; blank lines and CRLF line ends are not rows.
#[test]
fn a_line_that_is_not_utf8_is_reported_with_its_line() {
    let dir = temp_dir("utf8");
    let path = dir.join("bytes.jsonl");
    let mut text = b"{\"n\":1}\r\n\n   \n{\"n\":2}\n{\"n\":\"".to_vec();
    text.extend_from_slice(&[0xff, 0xfe]);
    text.extend_from_slice(b"\"}\n{\"n\":4}");
    std::fs::write(&path, text).unwrap();
    let engine = Engine::new();
    let schema = Some(vec![kql_engine::KqlColumn::new("n", KqlType::Long)]);
    let strict = JsonLinesOptions {
        schema: schema.clone(),
        ..Default::default()
    };
    let err = engine
        .register_json_lines("T", &path, &strict)
        .unwrap_err()
        .to_string();
    assert!(err.contains(":5: invalid UTF-8"), "{err}");
    let lenient = JsonLinesOptions {
        schema,
        skip_bad_rows: true,
        ..Default::default()
    };
    let report = engine.register_json_lines("T", &path, &lenient).unwrap();
    assert_eq!((report.rows, report.skipped), (3, 1));
    assert_eq!(report.first_errors[0].0, 5);
    assert_eq!(count(&engine, "T | summarize sum(n)"), 7);
    // Without a schema too: the inference passes over the line, the load counts it.
    let inferred = JsonLinesOptions {
        skip_bad_rows: true,
        ..Default::default()
    };
    let report = engine.register_json_lines("U", &path, &inferred).unwrap();
    assert_eq!((report.rows, report.skipped), (3, 1));
    // Also when the bad line comes first, and a key is first seen after it.
    let first = dir.join("first.jsonl");
    let mut text = vec![0xff, b'\n'];
    text.extend_from_slice(b"{\"n\":1,\"m\":\"x\"}\n");
    std::fs::write(&first, text).unwrap();
    let report = engine.register_json_lines("V", &first, &inferred).unwrap();
    assert_eq!((report.rows, report.skipped), (1, 1));
    assert!(
        report.ignored_fields.is_empty(),
        "{:?}",
        report.ignored_fields
    );
    assert_eq!(count(&engine, "V | where m == 'x' | summarize sum(n)"), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

/// The library's JSON lines are plain rows: keys that spell `records` or a diagnostic record's
/// fields are columns like any other (the CLI maps those for Azure exports), and a given schema
/// is the whole table: keys match exactly, and other keys are left out and reported.
#[test]
fn json_lines_are_plain_rows_and_a_schema_is_the_whole_table() {
    let dir = temp_dir("plain");
    let path = dir.join("plain.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"time":"2026-01-01T00:00:00Z","resourceId":"/r","category":"c","operationName":"o","properties":{"a":1},"records":[1]}"#,
            "\n",
            r#"{"time":"2026-01-01T00:01:00Z","resourceId":"/s","category":"d","operationName":"p","properties":{"a":2},"records":[2],"Level":"x","extra":1}"#,
            "\n"
        ),
    )
    .unwrap();
    let engine = Engine::new();
    let report = engine
        .register_json_lines("T", &path, &JsonLinesOptions::default())
        .unwrap();
    assert_eq!((report.rows, report.skipped), (2, 0));
    let names: Vec<String> = engine
        .table_columns("T")
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        [
            "time",
            "resourceId",
            "category",
            "operationName",
            "properties",
            "records",
            "Level",
            "extra"
        ]
    );
    assert_eq!(
        count(
            &engine,
            "T | where category == 'd' and toint(properties.a) == 2 | count"
        ),
        1
    );
    let schema = JsonLinesOptions {
        schema: Some(vec![
            kql_engine::KqlColumn::new("category", KqlType::String),
            kql_engine::KqlColumn::new("level", KqlType::String),
        ]),
        ..Default::default()
    };
    let report = engine.register_json_lines("U", &path, &schema).unwrap();
    assert_eq!(engine.table_columns("U").unwrap().len(), 2);
    // `Level` is not `level`: it is left out, and said so.
    assert_eq!(count(&engine, "U | where isempty(level) | count"), 2);
    assert!(
        report
            .ignored_fields
            .iter()
            .any(|f| f.starts_with("'Level' (first at ")),
        "{:?}",
        report.ignored_fields
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A file of many chunks is parsed on every core, and its batches come back in file order.
#[test]
fn json_lines_keep_their_order_across_parallel_chunks() {
    let dir = temp_dir("order");
    let path = dir.join("many.jsonl");
    let text: String = (1..=50_000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    std::fs::write(&path, text).unwrap();
    let (columns, batches, report) =
        kql_engine::load::read_json_lines(&path, &JsonLinesOptions::default()).unwrap();
    assert_eq!(columns, [kql_engine::KqlColumn::new("n", KqlType::Long)]);
    assert_eq!(report.rows, 50_000);
    assert!(
        batches.len() > 1,
        "one chunk only: the test reads nothing in parallel"
    );
    let values: Vec<i64> = batches
        .iter()
        .flat_map(|b| b.column(0).as_primitive::<Int64Type>().values().to_vec())
        .collect();
    assert_eq!(values, (1..=50_000).collect::<Vec<i64>>());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn explain_shows_the_canonical_query_and_every_plan() {
    let engine = Engine::new();
    engine
        .register_batches(
            "T",
            vec![
                RecordBatch::try_new(
                    Arc::new(Schema::new(vec![Field::new("n", DataType::Int32, false)])),
                    vec![Arc::new(Int32Array::from(vec![1, 2, 3]))],
                )
                .unwrap(),
            ],
        )
        .unwrap();
    let runtime = runtime();
    let text = runtime
        .block_on(engine.explain("T|where n>1|count"))
        .unwrap();
    for part in [
        "== KQL (canonical)\nT\n| where n > 1\n| count",
        "== PrimaryResult: logical plan",
        "== PrimaryResult: optimized logical plan",
        "== PrimaryResult: physical plan",
        "Filter",
    ] {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
    // Errors in the query come back as diagnostics, not plans.
    let err = runtime
        .block_on(engine.explain("T | where m > 1"))
        .unwrap_err();
    assert_eq!(err.diagnostic().map(|d| d.code.as_str()), Some("KQL0104"));
}
