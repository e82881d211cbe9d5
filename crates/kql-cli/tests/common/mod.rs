//! Helpers shared by the tests that run the real `kql` binary.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `kql` binary, with a fixed `now()` unless a test wants the clock.
pub(crate) fn kql() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kql"));
    cmd.env_remove("KQL_HISTORY").env("NO_COLOR", "1");
    cmd
}

/// Runs `kql` with `args`, expecting success; its stdout.
pub(crate) fn stdout(args: &[&str]) -> String {
    let out = kql().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "kql {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The query-API JSON of a query over `--data` arguments, parsed.
pub(crate) fn json(data: &[&str], query: &str) -> serde_json::Value {
    let mut args: Vec<&str> = Vec::new();
    for d in data {
        args.push("--data");
        args.push(d);
    }
    args.extend(["--output", "json", query]);
    serde_json::from_str(&stdout(&args)).unwrap()
}

/// The rows of the first table of a query-API response.
pub(crate) fn rows(response: &serde_json::Value) -> Vec<serde_json::Value> {
    response["tables"][0]["rows"].as_array().unwrap().clone()
}

/// `(name, type)` of the columns of the first table.
pub(crate) fn columns(response: &serde_json::Value) -> Vec<(String, String)> {
    response["tables"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["type"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Writes `text` to `dir/name` (making folders), returning the path.
pub(crate) fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// Writes `text` gzipped to `dir/name`.
pub(crate) fn write_gz(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
    path
}

/// A path as an argument.
pub(crate) fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}
