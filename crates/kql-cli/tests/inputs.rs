//! Every input format `--data` reads, built in temporary folders from small data written here,
//! and what happens to bad rows: all through the real binary.

mod common;

use common::{arg, columns, json, kql, rows, stdout, write, write_gz};
use predicates::prelude::*;
use serde_json::json;

const JOBS: &str = r#"{"TimeGenerated":"2024-05-01T10:00:00Z","ClusterName":"gpu","EventType":"JobFailed","Count":3,"Props":{"a":1}}
{"TimeGenerated":"2024-05-01T11:00:00.5Z","ClusterName":"cpu","EventType":"JobSucceeded","Count":4,"Props":{"a":2}}
"#;

#[test]
fn json_lines_with_an_inferred_schema() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "jobs.jsonl", JOBS);
    let v = json(&[&arg(&file)], "jobs | order by Count asc");
    assert_eq!(
        columns(&v),
        [
            ("TimeGenerated", "datetime"),
            ("ClusterName", "string"),
            ("EventType", "string"),
            ("Count", "long"),
            ("Props", "dynamic"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        rows(&v),
        [
            json!(["2024-05-01T10:00:00Z", "gpu", "JobFailed", 3, "{\"a\":1}"]),
            json!([
                "2024-05-01T11:00:00.5Z",
                "cpu",
                "JobSucceeded",
                4,
                "{\"a\":2}"
            ]),
        ]
    );
    // `.ndjson` and `.json` are JSON lines too; NAME=PATH names the table.
    let nd = write(dir.path(), "x.ndjson", JOBS);
    let v = json(&[&format!("Jobs={}", arg(&nd))], "Jobs | count");
    assert_eq!(rows(&v), [json!([2])]);
}

#[test]
fn gzipped_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_gz(dir.path(), "jobs.jsonl.gz", JOBS);
    let v = json(&[&arg(&file)], "jobs | summarize sum(Count)");
    assert_eq!(rows(&v), [json!([7])]);
}

#[test]
fn documented_azure_tables_get_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    // Only three of the 32 columns, and a count as a string.
    let file = write(
        dir.path(),
        "AmlComputeJobEvent.jsonl",
        "{\"TimeGenerated\":\"2024-05-01T10:00:00Z\",\"EventType\":\"JobFailed\",\"_BilledSize\":\"12\"}\n",
    );
    let v = json(&[&arg(&file)], "AmlComputeJobEvent | getschema | count");
    assert_eq!(rows(&v), [json!([32])]);
    let v = json(
        &[&arg(&file)],
        "AmlComputeJobEvent | project EventType, JobName, _BilledSize, TimeGenerated",
    );
    assert_eq!(
        columns(&v)[2],
        ("_BilledSize".to_string(), "real".to_string())
    );
    assert_eq!(
        rows(&v),
        [json!(["JobFailed", "", 12.0, "2024-05-01T10:00:00Z"])]
    );
}

/// Diagnostic settings write hourly blobs under
/// `insights-logs-<category>/resourceId=/SUBSCRIPTIONS/…/y=/m=/d=/h=/m=00/PT1H.json`.
#[test]
fn an_azure_diagnostic_settings_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("insights-logs-amlcomputejobevent");
    let blob = |hour: &str| {
        format!(
            "resourceId=/SUBSCRIPTIONS/0000-AB/RESOURCEGROUPS/RG-ML/PROVIDERS/MICROSOFT.MACHINELEARNINGSERVICES/WORKSPACES/WS-PROD/y=2024/m=05/d=01/h={hour}/m=00/PT1H.json"
        )
    };
    let record = |time: &str, event: &str, cluster: &str| {
        format!(
            r#"{{"time":"{time}","resourceId":"/SUBSCRIPTIONS/0000-AB/RESOURCEGROUPS/RG-ML/PROVIDERS/MICROSOFT.MACHINELEARNINGSERVICES/WORKSPACES/WS-PROD","category":"AmlComputeJobEvent","operationName":"{event}","properties":{{"EventType":"{event}","ClusterName":"{cluster}","jobErrorMessage":"boom"}}}}"#
        )
    };
    // JSON lines (since 2018) …
    write(
        &root,
        &blob("10"),
        &format!(
            "{}\n{}\n",
            record("2024-05-01T10:02:03.000Z", "JobFailed", "gpu-cluster"),
            record("2024-05-01T10:40:00.000Z", "JobSubmitted", "cpu-cluster")
        ),
    );
    // … and the older `{"records": [...]}` form, pretty-printed.
    write(
        &root,
        &blob("11"),
        &format!(
            "{{\n  \"records\": [\n    {}\n  ]\n}}\n",
            record("2024-05-01T11:00:00.000Z", "JobRunning", "gpu-cluster")
        ),
    );
    // The storage account root holds the container; the category names the table.
    let v = json(
        &[&arg(dir.path())],
        "AmlComputeJobEvent | order by TimeGenerated asc \
         | project TimeGenerated, Type, OperationName, EventType, ClusterName, JobErrorMessage, \
                   _ResourceId, _SubscriptionId, SourceSystem, Workspace = tostring(split(_ResourceId, '/')[8])",
    );
    assert_eq!(
        rows(&v),
        [
            json!([
                "2024-05-01T10:02:03Z",
                "AmlComputeJobEvent",
                "JobFailed",
                "JobFailed",
                "gpu-cluster",
                "boom",
                "/subscriptions/0000-ab/resourcegroups/rg-ml/providers/microsoft.machinelearningservices/workspaces/ws-prod",
                "0000-ab",
                "Azure",
                "ws-prod"
            ]),
            json!([
                "2024-05-01T10:40:00Z",
                "AmlComputeJobEvent",
                "JobSubmitted",
                "JobSubmitted",
                "cpu-cluster",
                "boom",
                "/subscriptions/0000-ab/resourcegroups/rg-ml/providers/microsoft.machinelearningservices/workspaces/ws-prod",
                "0000-ab",
                "Azure",
                "ws-prod"
            ]),
            json!([
                "2024-05-01T11:00:00Z",
                "AmlComputeJobEvent",
                "JobRunning",
                "JobRunning",
                "gpu-cluster",
                "boom",
                "/subscriptions/0000-ab/resourcegroups/rg-ml/providers/microsoft.machinelearningservices/workspaces/ws-prod",
                "0000-ab",
                "Azure",
                "ws-prod"
            ]),
        ]
    );
    // Pointing at the container, or at one blob, gives the same table name.
    let v = json(&[&arg(&root)], "AmlComputeJobEvent | count");
    assert_eq!(rows(&v), [json!([3])]);
    let v = json(
        &[&arg(&root.join(blob("10")))],
        "AmlComputeJobEvent | count",
    );
    assert_eq!(rows(&v), [json!([2])]);
}

#[test]
fn flat_application_insights_records() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "insights-logs-apptraces/PT1H.json",
        r#"{"records":[{"time":"2021-04-30T16:11:14.9011503Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.INSIGHTS/COMPONENTS/APP","Type":"AppTraces","AppRoleName":"throwerror","Properties":{"LogLevel":"Information","Category":"Host"},"Message":"hello","SeverityLevel":1,"ItemCount":1}]}"#,
    );
    let v = json(
        &[&arg(file.parent().unwrap())],
        "AppTraces | project TimeGenerated, Type, AppRoleName, Level = tostring(Properties.LogLevel), Message, SeverityLevel, OperationId",
    );
    assert_eq!(
        columns(&v)[5],
        ("SeverityLevel".to_string(), "int".to_string())
    );
    assert_eq!(
        rows(&v),
        [json!([
            "2021-04-30T16:11:14.9011503Z",
            "AppTraces",
            "throwerror",
            "Information",
            "hello",
            1,
            ""
        ])]
    );
}

#[test]
fn a_saved_query_api_response() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "saved.json",
        r#"{"tables":[{"name":"PrimaryResult",
            "columns":[{"name":"timestamp","type":"datetime"},{"name":"duration","type":"real"},
                       {"name":"customDimensions","type":"dynamic"},{"name":"itemCount","type":"int"},
                       {"name":"took","type":"timespan"}],
            "rows":[["2018-07-11T19:05:00.019Z",9.8013,"{\"LogLevel\":\"Error\"}",1,"00:00:01.5000000"],
                    ["2018-07-11T19:06:00Z","NaN",null,2,null]]}]}"#,
    );
    let v = json(
        &[&arg(&file)],
        "saved | extend Level = tostring(customDimensions.LogLevel)",
    );
    assert_eq!(
        columns(&v),
        [
            ("timestamp", "datetime"),
            ("duration", "real"),
            ("customDimensions", "dynamic"),
            ("itemCount", "int"),
            ("took", "timespan"),
            ("Level", "string"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        rows(&v),
        [
            json!([
                "2018-07-11T19:05:00.019Z",
                9.8013,
                "{\"LogLevel\":\"Error\"}",
                1,
                "00:00:01.5000000",
                "Error"
            ]),
            json!(["2018-07-11T19:06:00Z", "NaN", null, 2, null, ""]),
        ]
    );
    // Our own JSON output reads back as the same table.
    let out = stdout(&["--data", &arg(&file), "-o", "json", "saved"]);
    let again = write(dir.path(), "again.json", &out);
    let v2 = json(&[&arg(&again)], "again");
    assert_eq!(rows(&v2), rows(&json(&[&arg(&file)], "saved")));
}

#[test]
fn csv_with_a_header() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "events.csv",
        "Name,Count,When,Props\r\n\"gpu, large\",3,2024-05-01T10:00:00Z,\"{\"\"a\"\":1}\"\r\ncpu,4,,[1]\r\n",
    );
    let v = json(&[&arg(&file)], "events");
    assert_eq!(
        columns(&v),
        [
            ("Name", "string"),
            ("Count", "long"),
            ("When", "datetime"),
            ("Props", "dynamic")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        rows(&v),
        [
            json!(["gpu, large", 3, "2024-05-01T10:00:00Z", "{\"a\":1}"]),
            json!(["cpu", 4, null, "[1]"]),
        ]
    );
    let gz = write_gz(dir.path(), "more.csv.gz", "a,b\n1,x\n");
    let v = json(&[&arg(&gz)], "more");
    assert_eq!(rows(&v), [json!([1, "x"])]);
}

#[test]
fn parquet_files_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    let src = write(dir.path(), "src/jobs.jsonl", JOBS);
    // Parquet written by kql itself, as parts of one table in a folder.
    let parts = dir.path().join("jobs_parquet");
    std::fs::create_dir_all(&parts).unwrap();
    for (i, query) in ["jobs | where Count == 3", "jobs | where Count == 4"]
        .iter()
        .enumerate()
    {
        kql()
            .args(["--data", &arg(&src), "-o", "parquet", "--out"])
            .arg(parts.join(format!("part-{i:05}.parquet")))
            .arg(query)
            .assert()
            .success();
    }
    let v = json(&[&arg(&parts)], "jobs_parquet | order by Count asc");
    assert_eq!(
        columns(&v),
        [
            ("TimeGenerated", "datetime"),
            ("ClusterName", "string"),
            ("EventType", "string"),
            ("Count", "long"),
            ("Props", "dynamic"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        rows(&v),
        rows(&json(&[&arg(&src)], "jobs | order by Count asc"))
    );
    // A single file is named by its stem; a documented table gets its documented columns.
    let one = dir.path().join("AmlComputeJobEvent.parquet");
    kql()
        .args(["--data", &arg(&src), "-o", "parquet", "--out"])
        .arg(&one)
        .arg("jobs | project TimeGenerated, EventType, ClusterName")
        .assert()
        .success();
    let v = json(
        &[&arg(&one)],
        "AmlComputeJobEvent | where EventType == 'JobFailed' | project ClusterName, JobName, TimeGenerated",
    );
    assert_eq!(rows(&v), [json!(["gpu", "", "2024-05-01T10:00:00Z"])]);
}

#[test]
fn a_folder_of_tables() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "logs/jobs.jsonl", JOBS);
    write_gz(
        dir.path(),
        "logs/traces.jsonl.gz",
        "{\"timestamp\":\"2024-05-01T10:00:00Z\",\"message\":\"hi\"}\n",
    );
    write(dir.path(), "logs/nodes.csv", "NodeId,Up\nn1,true\n");
    let logs = arg(&dir.path().join("logs"));
    let v = json(
        &[&logs],
        "union (jobs | count | extend T = 'jobs'), (traces | count | extend T = 'traces'), \
         (nodes | count | extend T = 'nodes') | order by T asc",
    );
    assert_eq!(
        rows(&v),
        [
            json!([2, "jobs"]),
            json!([1, "nodes"]),
            json!([1, "traces"])
        ]
    );
    // A name for a folder of several tables is a usage error.
    kql()
        .args(["--data", &format!("X={logs}"), "print 1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("names one table"));
}

#[test]
fn json_lines_from_standard_input() {
    kql()
        .args(["--data", "T=-", "-o", "csv", "T | summarize sum(Count)"])
        .write_stdin(JOBS)
        .assert()
        .success()
        .stdout("sum_Count\r\n7\r\n");
    // Standard input cannot hold both the data and the query.
    kql()
        .args(["--data", "-"])
        .write_stdin(JOBS)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give the query as an argument"));
}

#[test]
fn a_bad_line_fails_the_load_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.jsonl",
        "{\"a\":1}\n{\"a\":2}\n{\"a\": 3\n{\"a\":4}\n",
    );
    kql()
        .current_dir(dir.path())
        .args(["--data", "bad.jsonl", "bad | count"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("error: bad.jsonl:3: invalid JSON (column 7): EOF while parsing an object\n");
    // A value that does not fit its column's type.
    write(
        dir.path(),
        "AmlComputeJobEvent.jsonl",
        "{\"TimeGenerated\":\"2024-05-01T10:00:00Z\"}\n{\"TimeGenerated\":\"yesterday\"}\n",
    );
    kql()
        .current_dir(dir.path())
        .args(["--data", "AmlComputeJobEvent.jsonl", "AmlComputeJobEvent | count"])
        .assert()
        .code(1)
        .stderr(
            "error: AmlComputeJobEvent.jsonl:2: column 'TimeGenerated': expected a datetime, got \"yesterday\"\n",
        );
}

#[test]
fn a_line_that_is_not_utf8_is_a_bad_row_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"{\"a\":1}\r\n\n{\"a\":\"".to_vec();
    bytes.extend_from_slice(&[0xff]);
    bytes.extend_from_slice(b"\"}\n{\"a\":4}\n");
    std::fs::write(dir.path().join("bytes.jsonl"), bytes).unwrap();
    kql()
        .current_dir(dir.path())
        .args(["--data", "bytes.jsonl", "bytes | count"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: bytes.jsonl:3: invalid UTF-8",
        ));
    kql()
        .current_dir(dir.path())
        .args([
            "--skip-bad-rows",
            "--data",
            "bytes.jsonl",
            "-o",
            "csv",
            "bytes | summarize n = count(), s = sum(a)",
        ])
        .assert()
        .success()
        .stdout("n,s\r\n2,5\r\n")
        .stderr(predicate::str::starts_with(
            "1 bad row skipped in bytes.jsonl (line 3: invalid UTF-8",
        ));
}

#[test]
fn skip_bad_rows_reports_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.jsonl",
        "{\"a\":1}\n{\"a\":2}\n{\"a\": 3\n{\"a\":4}\n",
    );
    kql()
        .current_dir(dir.path())
        .args(["--skip-bad-rows", "--data", "bad.jsonl", "-o", "csv", "bad | summarize n = count(), s = sum(a)"])
        .assert()
        .success()
        .stdout("n,s\r\n3,7\r\n")
        .stderr("1 bad row skipped in bad.jsonl (line 3: invalid JSON (column 7): EOF while parsing an object)\n");
    write(dir.path(), "bad.csv", "a,b\n1,x\n2\n3,z\n");
    kql()
        .current_dir(dir.path())
        .args(["--skip-bad-rows", "--data", "bad.csv", "-o", "csv", "bad | count"])
        .assert()
        .success()
        .stdout("Count\r\n2\r\n")
        .stderr("1 bad row skipped in bad.csv (line 3: expected 2 fields (as the header has), found 1)\n");
}
