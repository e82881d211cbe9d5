//! `kql`: run the Kusto Query Language over log files (JSON lines, Azure exports, Parquet, CSV)
//! from a terminal, a script or a pipe; with no query on a terminal, an interactive shell.
//!
//! Exit status: 0 on success, 1 for an error in the query or the data (shown with a caret under
//! the query text, or as `file:line: what`), 2 for a usage error. A panic (101) is a bug.

// A command line prints: results to stdout, messages to stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod data;
mod error;
mod output;
mod repl;
mod timing;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use kql_engine::{Engine, EngineOptions};

use crate::args::{Cli, Command};
use crate::error::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return Failure::Other(format!("cannot start: {e}")).report(),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let explain = cli.explain || matches!(cli.command, Some(Command::Explain { .. }));
    let analyze = matches!(cli.command, Some(Command::Explain { analyze: true, .. }));
    let query_arg = match &cli.command {
        Some(Command::Explain { query, .. }) => query.clone().or(cli.query.clone()),
        None => cli.query.clone(),
    };
    let data_from_stdin = cli
        .data
        .iter()
        .any(|d| data::DataSpec::parse(d).path.as_os_str() == "-");
    let query_from_stdin =
        query_arg.is_none() && cli.file.as_ref().is_none_or(|f| f.as_os_str() == "-");
    if data_from_stdin && query_from_stdin {
        return Err(Failure::Usage(
            "--data - reads the data from standard input: give the query as an argument or \
             with -f FILE"
                .into(),
        ));
    }
    let query = query_text(query_arg, &cli)?;
    let now_nanos = cli.now_nanos()?;
    let engine = Engine::with_options(EngineOptions {
        threads: cli
            .threads()
            .unwrap_or_else(|| EngineOptions::default().threads),
        now_nanos,
    });
    for warning in engine.setting_warnings() {
        eprintln!("warning: {warning}");
    }
    let settings = data::LoadSettings {
        skip_bad_rows: cli.skip_bad_rows,
        progress: std::io::stderr().is_terminal(),
        now_nanos,
    };
    let load_started = std::time::Instant::now();
    if cli.data.is_empty() {
        data::load_sample(&engine, &settings)?;
    } else {
        for spec in &cli.data {
            data::load_spec(&engine, &data::DataSpec::parse(spec), &settings).await?;
        }
    }
    let load_time = load_started.elapsed();

    let Some(query) = query else {
        if explain {
            return Err(Failure::Usage("explain needs a query".into()));
        }
        return repl::run(Arc::new(engine), &cli, settings).await;
    };
    if explain {
        let plans = if analyze {
            engine.explain_analyze(&query).await
        } else {
            engine.explain(&query).await
        }
        .map_err(|e| Failure::engine(e, &query))?;
        return output::print_text(&plans);
    }
    let (planned, mut timings) = timing::plan(&engine, &query)?;
    let mut writer = output::ResultWriter::new(&output::Settings::from_cli(&cli), planned.len())?;
    timing::execute(&engine, &query, planned, &mut timings, |table| {
        writer.write(&table)
    })
    .await?;
    writer.finish()?;
    if cli.timing {
        timing::report(&timings, Some(load_time));
    }
    Ok(())
}

/// The query: the argument, `-f FILE` (`-` for standard input), or standard input when it is
/// not a terminal; `None` means interactive.
fn query_text(arg: Option<String>, cli: &Cli) -> Result<Option<String>, Failure> {
    if let Some(q) = arg {
        return Ok(Some(q));
    }
    if let Some(path) = &cli.file {
        if path.as_os_str() == "-" {
            return read_stdin().map(Some);
        }
        return std::fs::read_to_string(path)
            .map(Some)
            .map_err(|e| Failure::Other(format!("cannot read {}: {e}", path.display())));
    }
    if !std::io::stdin().is_terminal() {
        return read_stdin().map(Some);
    }
    Ok(None)
}

fn read_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::Other(format!("cannot read the query from standard input: {e}")))?;
    Ok(text)
}
