//! Every output format through the real binary; the JSON is checked byte for byte against the
//! Log Analytics query-API contract.

mod common;

use common::{arg, json, kql, rows, stdout};
use predicates::prelude::*;

/// One value of every KQL type, and nulls.
const ALL_TYPES: &str = r#"print b=true, i=toint(7), l=2, r=1.5, dec=todecimal(1.5), s="x\"y", e="",
    dt=datetime(2017-01-01), dt2=datetime(2017-01-01 10:20:30.1234567), ts=time(1.02:03:04.5),
    nts=-time(00:00:01), g=toguid("0bf1a6a6-7a5e-4b0b-9d1c-3f0c1c7e9a11"),
    dyn=dynamic({"a": 1, "b": [true, null]}), nan=real(nan), inf=real(+inf), ninf=real(-inf),
    nl=long(null), nr=real(null), ndt=datetime(null), nb=bool(null)"#;

#[test]
fn json_is_the_query_api_response() {
    let expected = concat!(
        r#"{"tables":[{"name":"PrimaryResult","columns":["#,
        r#"{"name":"b","type":"bool"},{"name":"i","type":"int"},{"name":"l","type":"long"},"#,
        r#"{"name":"r","type":"real"},{"name":"dec","type":"decimal"},{"name":"s","type":"string"},"#,
        r#"{"name":"e","type":"string"},{"name":"dt","type":"datetime"},{"name":"dt2","type":"datetime"},"#,
        r#"{"name":"ts","type":"timespan"},{"name":"nts","type":"timespan"},{"name":"g","type":"guid"},"#,
        r#"{"name":"dyn","type":"dynamic"},{"name":"nan","type":"real"},{"name":"inf","type":"real"},"#,
        r#"{"name":"ninf","type":"real"},{"name":"nl","type":"long"},{"name":"nr","type":"real"},"#,
        r#"{"name":"ndt","type":"datetime"},{"name":"nb","type":"bool"}],"rows":[["#,
        r#"true,7,2,1.5,"1.5","x\"y","","2017-01-01T00:00:00Z","2017-01-01T10:20:30.1234567Z","#,
        r#""1.02:03:04.5000000","-00:00:01","0bf1a6a6-7a5e-4b0b-9d1c-3f0c1c7e9a11","#,
        r#""{\"a\":1,\"b\":[true,null]}","NaN","Infinity","-Infinity",null,null,null,null]]}]}"#,
        "\n"
    );
    assert_eq!(stdout(&["--output", "json", ALL_TYPES]), expected);
}

#[test]
fn json_of_an_empty_result_and_a_named_table() {
    assert_eq!(
        stdout(&["-o", "json", "print x = 1 | where x > 1"]),
        "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"x\",\"type\":\"long\"}],\"rows\":[]}]}\n"
    );
    assert_eq!(
        stdout(&["-o", "json", "print x = 1 | as Named"]),
        "{\"tables\":[{\"name\":\"Named\",\"columns\":[{\"name\":\"x\",\"type\":\"long\"}],\"rows\":[[1]]}]}\n"
    );
}

#[test]
fn csv_is_rfc_4180() {
    assert_eq!(
        stdout(&[
            "-o",
            "csv",
            r#"datatable(s:string, d:dynamic, t:datetime, r:real, b:bool)
               ["a,b", dynamic({"k": "v\"w"}), datetime(2020-01-01), 0.25, true,
                "line\nbreak", dynamic(null), datetime(null), real(nan), bool(null)]"#
        ]),
        "s,d,t,r,b\r\n\"a,b\",\"{\"\"k\"\":\"\"v\\\"\"w\"\"}\",2020-01-01T00:00:00Z,0.25,true\r\n\"line\nbreak\",,,NaN,\r\n"
    );
}

#[test]
fn jsonl_is_one_object_per_row() {
    assert_eq!(
        stdout(&[
            "-o",
            "jsonl",
            r#"datatable(s:string, d:dynamic, t:datetime, r:real, ts:timespan)
               ["a", dynamic({"k": [1, 2]}), datetime(2020-01-01), real(nan), 1m,
                "", dynamic(null), datetime(null), real(null), timespan(null)]"#
        ]),
        concat!(
            r#"{"s":"a","d":{"k":[1,2]},"t":"2020-01-01T00:00:00Z","r":"NaN","ts":"00:01:00"}"#,
            "\n",
            r#"{"s":"","d":null,"t":null,"r":null,"ts":null}"#,
            "\n"
        )
    );
}

#[test]
fn jsonl_loads_back_as_the_same_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&[
        "-o",
        "jsonl",
        "traces | where severityLevel == 3 | take 20 | project timestamp, message, severityLevel, customDimensions",
    ]);
    let file = dir.path().join("errors.jsonl");
    std::fs::write(&file, out).unwrap();
    let v = json(
        &[&arg(&file)],
        "errors | summarize n = count(), levels = make_set(severityLevel)",
    );
    assert_eq!(rows(&v), [serde_json::json!([20, "[3]"])]);
    let v = json(
        &[&arg(&file)],
        "errors | getschema | project ColumnName, ColumnType",
    );
    assert_eq!(
        rows(&v),
        [
            serde_json::json!(["timestamp", "datetime"]),
            serde_json::json!(["message", "string"]),
            serde_json::json!(["severityLevel", "long"]),
            serde_json::json!(["customDimensions", "dynamic"]),
        ]
    );
}

#[test]
fn table_for_people() {
    // Not a terminal: no width limit, no row count under the table.
    assert_eq!(
        stdout(&["print n = 1, s = 'a', r = 2.5"]),
        "╭───┬───┬─────╮\n│ n ┆ s ┆   r │\n╞═══╪═══╪═════╡\n│ 1 ┆ a ┆ 2.5 │\n╰───┴───┴─────╯\n"
    );
    // Several tables: each under its name.
    let out = stdout(&["print a = 1; print b = 2"]);
    assert!(out.starts_with("PrimaryResult\n╭"), "{out}");
    assert!(out.contains("\n\nTable_1\n╭"), "{out}");
    // --max-rows says how many rows were left out.
    let out = stdout(&["--max-rows", "2", "range x from 1 to 5 step 1"]);
    assert!(
        out.ends_with("│ 2 │\n╰───╯\n3 more rows not shown (2 of 5)\n"),
        "{out}"
    );
}

#[test]
fn parquet_to_a_file_and_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.parquet");
    kql()
        .args(["-o", "parquet", "--out"])
        .arg(&file)
        .arg(ALL_TYPES)
        .assert()
        .success()
        .stdout("");
    // Read back with the same KQL types and values.
    let back = json(&[&arg(&file)], "out");
    let direct = json(&[], ALL_TYPES);
    assert_eq!(back["tables"][0]["columns"], direct["tables"][0]["columns"]);
    assert_eq!(rows(&back), rows(&direct));
    // To standard output (not a terminal here): the Parquet magic at both ends.
    let out = kql()
        .args(["-o", "parquet", "print x = 1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PAR1") && out.stdout.ends_with(b"PAR1"));
    // Several tables: the first to FILE, the others to FILE_1, …
    let multi = dir.path().join("multi.parquet");
    kql()
        .args(["-o", "parquet", "--out"])
        .arg(&multi)
        .arg("print a = 1; print b = 2")
        .assert()
        .success();
    let v = json(&[&arg(&dir.path().join("multi_1.parquet"))], "multi_1");
    assert_eq!(rows(&v), [serde_json::json!([2])]);
    kql()
        .args(["-o", "parquet", "print a = 1; print b = 2"])
        .assert()
        .code(2);
}

#[test]
fn out_writes_any_format_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.csv");
    kql()
        .args(["-o", "csv", "--out"])
        .arg(&file)
        .arg("print a = 'x'")
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a\r\nx\r\n");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kql"))
        .args(["-o", "csv", "range x from 1 to 2000000 step 1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // Dropping stdout closes the pipe.
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "{status:?}: {err}");
    assert_eq!(err, "");
}

/// A batch writes each statement's table as soon as the statement is done, so its tables are
/// not all held in memory; a statement that fails at run time stops the batch after the tables
/// before it. The JSON document is then left unterminated, so that no reader takes it for a
/// whole result.
#[test]
fn a_batch_writes_each_table_when_its_statement_is_done() {
    let failing = r#"print a = 1; print s = dynamic("junk") | summarize h = hll_merge(s)"#;
    kql()
        .args(["-o", "csv", failing])
        .assert()
        .code(1)
        .stdout("a\r\n1\r\n")
        .stderr(predicate::str::contains("not an hll() sketch"));
    let out = kql().args(["-o", "json", failing]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"long"}],"rows":[[1]]}"#
    );
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    // A batch that succeeds is one whole document.
    let v = json(&[], "print a = 1; print b = 2");
    assert_eq!(v["tables"].as_array().unwrap().len(), 2);
    assert_eq!(v["tables"][1]["rows"], serde_json::json!([[2]]));
}

/// `--out FILE` appears whole or not at all: a batch that fails after its first table leaves
/// the file that was there as it was, and no temporary file beside it.
#[test]
fn out_files_appear_only_when_the_query_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.csv");
    std::fs::write(&file, "old\n").unwrap();
    let failing = r#"print a = 1; print s = dynamic("junk") | summarize h = hll_merge(s)"#;
    for format in ["csv", "json", "jsonl", "table"] {
        kql()
            .args(["-o", format, "--out"])
            .arg(&file)
            .arg(failing)
            .assert()
            .code(1)
            .stdout("");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "old\n", "{format}");
    }
    let parquet = dir.path().join("p.parquet");
    kql()
        .args(["-o", "parquet", "--out"])
        .arg(&parquet)
        .arg(failing)
        .assert()
        .code(1);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["r.csv"]);
    // A query that succeeds replaces it.
    kql()
        .args(["-o", "csv", "--out"])
        .arg(&file)
        .arg("print a = 1; print b = 2")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "a\r\n1\r\n\r\nb\r\n2\r\n"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// A file replaced by `--out` keeps its permissions.
#[cfg(unix)]
#[test]
fn out_files_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.csv");
    std::fs::write(&file, "old\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    kql()
        .args(["-o", "csv", "--out"])
        .arg(&file)
        .arg("print a = 1")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a\r\n1\r\n");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// A device is written in place, never renamed over.
#[cfg(unix)]
#[test]
fn out_to_dev_null_writes_in_place() {
    use std::os::unix::fs::FileTypeExt;
    kql()
        .args(["-o", "csv", "--out", "/dev/null", "print a = 1"])
        .assert()
        .success();
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}
