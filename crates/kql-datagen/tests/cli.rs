//! The binary's contract: files named after tables, clear errors and non-zero exits.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns may unwrap too"
)]

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kql-datagen"))
}

#[test]
fn writes_the_requested_files() {
    let dir = std::env::temp_dir().join(format!("kql-datagen-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = bin()
        .args([
            "--rows",
            "50",
            "--seed",
            "1",
            "--now",
            "2026-01-01T00:00:00Z",
        ])
        .args([
            "--format",
            "parquet",
            "--tables",
            "traces,AmlComputeJobEvent",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["AmlComputeJobEvent.parquet", "traces.parquet"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_fail_with_a_message() {
    for args in [
        vec!["--rows", "ten", "--out", "x"],
        vec!["--format", "csv", "--out", "x"],
        vec!["--now", "yesterday", "--out", "x"],
        vec!["--rows", "10"],
        vec!["--tables", "Nope", "--out", "x"],
        vec!["--bogus"],
    ] {
        let out = bin().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
    }
    let out = bin()
        .args(["--rows", "0", "--out"])
        .arg(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rows must be at least 1"));
    let help = bin().arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--format"));
}
