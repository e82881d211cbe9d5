//! Where queries come from (argument, file, standard input), statements, the bundled sample,
//! explain, timing, and how errors are shown: all through the real binary.

mod common;

use common::{arg, json, kql, rows, stdout, write};
use predicates::prelude::*;

#[test]
fn query_from_the_argument() {
    assert_eq!(stdout(&["-o", "csv", "print x = 1 + 1"]), "x\r\n2\r\n");
}

#[test]
fn query_from_standard_input() {
    kql()
        .args(["-o", "json"])
        .write_stdin("print 1\n")
        .assert()
        .success()
        .stdout(
            "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"print_0\",\"type\":\"long\"}],\"rows\":[[1]]}]}\n",
        );
}

#[test]
fn query_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "q.kql", "let n = 20;\nprint n = n + 1\n");
    assert_eq!(stdout(&["-o", "csv", "-f", &arg(&file)]), "n\r\n21\r\n");
    // `-f -` is standard input.
    kql()
        .args(["-o", "csv", "-f", "-"])
        .write_stdin("print s = 'a'")
        .assert()
        .success()
        .stdout("s\r\na\r\n");
}

#[test]
fn several_statements_give_several_tables() {
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "-o",
        "json",
        "let x = 2; print a = x; print b = x * 3 | extend c = 'z'",
    ]))
    .unwrap();
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    assert_eq!(tables[0]["name"], "PrimaryResult");
    assert_eq!(tables[0]["rows"], serde_json::json!([[2]]));
    assert_eq!(tables[1]["name"], "Table_1");
    assert_eq!(tables[1]["rows"], serde_json::json!([[6, "z"]]));
    // One table after another in the other formats.
    assert_eq!(
        stdout(&["-o", "csv", "print a = 1; print b = 2"]),
        "a\r\n1\r\n\r\nb\r\n2\r\n"
    );
}

#[test]
fn the_bundled_sample_is_recent() {
    // The example: failed jobs of the last five days, on the clock's now.
    let v = json(
        &[],
        "AmlComputeJobEvent | where TimeGenerated > ago(5d) and EventType == \"JobFailed\" | take 5",
    );
    assert_eq!(rows(&v).len(), 5);
    let newest = json(
        &[],
        "union (AmlComputeJobEvent | project t = TimeGenerated), \
               (AmlComputeClusterEvent | project t = TimeGenerated), \
               (AmlComputeClusterNodeEvent | project t = TimeGenerated), \
               (traces | project t = timestamp) \
         | summarize newest = max(t) | project minutes = (now() - newest) / 1m",
    );
    let minutes = rows(&newest)[0][0].as_f64().unwrap();
    assert!(
        (4.9..6.0).contains(&minutes),
        "newest event {minutes} minutes old"
    );
}

#[test]
fn the_nine_documented_queries_return_rows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/queries");
    let mut ran = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.starts_with('q') && name.ends_with(".kql")) {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&["-o", "json", "-f", &arg(&path)])).unwrap();
        assert!(!rows(&v).is_empty(), "{name} returned no rows");
        ran += 1;
    }
    assert_eq!(ran, 9);
}

#[test]
fn a_fixed_now_moves_the_sample_with_it() {
    let out = stdout(&[
        "--now",
        "2030-06-01T00:00:00Z",
        "-o",
        "csv",
        "union AmlComputeJobEvent, (traces | extend TimeGenerated = timestamp) \
         | summarize newest = max(TimeGenerated)",
    ]);
    assert_eq!(out, "newest\r\n2030-05-31T23:55:00Z\r\n");
}

#[test]
fn a_query_error_shows_a_caret_and_exits_1() {
    kql()
        .write_stdin("AmlComputeJobEvent\n| where EvntType == \"JobFailed\"")
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "error[KQL0104]: unknown column 'EvntType'\n  |\n2 | | where EvntType == \"JobFailed\"\n  |         ^^^^^^^^ did you mean 'EventType'?\n",
        );
    kql()
        .arg("print 1 +")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("error[KQL0001]: "));
}

#[test]
fn usage_errors_exit_2() {
    kql().arg("--no-such-flag").assert().code(2);
    kql().args(["--output", "yaml", "print 1"]).assert().code(2);
    kql().args(["--now", "soon", "print 1"]).assert().code(2);
}

#[test]
fn missing_data_is_an_error() {
    kql()
        .args(["--data", "/no/such/file.jsonl", "print 1"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: --data /no/such/file.jsonl: ",
        ));
    let dir = tempfile::tempdir().unwrap();
    let notes = write(dir.path(), "notes.txt", "hello");
    kql()
        .args(["--data", &arg(&notes), "print 1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown file type"));
}

#[test]
fn explain_prints_the_plans() {
    for args in [
        vec!["explain", "traces | where severityLevel > 2 | count"],
        vec!["--explain", "traces | where severityLevel > 2 | count"],
    ] {
        let out = stdout(&args);
        assert!(out.contains("== PrimaryResult: logical plan"), "{out}");
        assert!(out.contains("== PrimaryResult: physical plan"), "{out}");
        assert!(out.contains("severityLevel"), "{out}");
    }
}

#[test]
fn explain_analyze_runs_the_query_and_shows_each_operators_metrics() {
    let out = stdout(&[
        "explain",
        "--analyze",
        "traces | where severityLevel > 2 | count",
    ]);
    assert!(out.contains("== PrimaryResult: 1 rows; optimize "), "{out}");
    assert!(out.contains("FilterExec"), "{out}");
    assert!(out.contains("metrics=[output_rows="), "{out}");
}

#[test]
fn datafusion_settings_come_from_the_environment() {
    // A setting that does not parse is left out and said; the others still apply.
    let out = kql()
        .env("DATAFUSION_EXECUTION_BATCH_SIZE", "not a number")
        .env("DATAFUSION_EXECUTION_TARGET_PARTITIONS", "7")
        .args([
            "explain",
            "AmlComputeJobEvent | summarize count() by EventType",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("warning: ignoring DATAFUSION_EXECUTION_BATCH_SIZE: "),
        "{err}"
    );
    let plans = String::from_utf8(out.stdout).unwrap();
    assert!(plans.contains("Hash([EventType@0], 7)"), "{plans}");
}

#[test]
fn timing_goes_to_stderr() {
    let out = kql()
        .args(["--timing", "-o", "csv", "print 1; print 2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "print_0\r\n1\r\n\r\nprint_0\r\n2\r\n"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("timing: parse "), "{err}");
    assert!(
        err.contains("timing: statement 1 (PrimaryResult): execute "),
        "{err}"
    );
    assert!(
        err.contains("timing: statement 2 (Table_1): execute "),
        "{err}"
    );
    assert!(err.contains("timing: total "), "{err}");
}
