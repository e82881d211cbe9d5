//! The command line: `kql [OPTIONS] [QUERY]` and `kql explain [QUERY]`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Failure;

/// Run KQL (the Kusto Query Language) over log files: JSON lines, Azure diagnostic-settings and
/// Log Analytics exports, saved query-API responses, Parquet and CSV.
///
/// The query comes from QUERY, from --file, or from standard input; with none of them on a
/// terminal, kql starts an interactive shell. Without --data, a bundled sample of Azure ML logs
/// (AmlComputeJobEvent, AmlComputeClusterEvent, AmlComputeClusterNodeEvent, traces) is loaded,
/// its timestamps moved so that the newest events are five minutes old.
#[derive(Debug, Parser)]
#[command(
    name = "kql",
    version,
    disable_help_subcommand = true,
    after_help = "Examples:\n  \
        kql 'AmlComputeJobEvent | where TimeGenerated > ago(5d) and EventType == \"JobFailed\" | take 5'\n  \
        kql --data logs/ 'traces | where customDimensions.Level == \"ERROR\" | count'\n  \
        kql --data Jobs=export.jsonl.gz --output json 'Jobs | summarize count() by ClusterName'\n  \
        echo 'print 1' | kql\n  \
        kql explain 'traces | take 5'"
)]
pub(crate) struct Cli {
    /// The query. Several tabular statements separated by ';' give several result tables.
    pub(crate) query: Option<String>,

    /// Read the query from FILE ('-' for standard input).
    #[arg(short = 'f', long = "file", value_name = "FILE", global = true)]
    pub(crate) file: Option<PathBuf>,

    /// Load a file or directory as tables (repeatable). A file is one table named by its stem; a
    /// directory is one table per stem, or one table (named by the folder, or by the Azure
    /// category of an `insights-logs-<category>` tree) when it holds the parts of one table.
    /// NAME=PATH names the table; '-' reads JSON lines from standard input.
    #[arg(
        short = 'd',
        long = "data",
        value_name = "[NAME=]PATH",
        global = true,
        action = clap::ArgAction::Append
    )]
    pub(crate) data: Vec<String>,

    /// Result format [default: table].
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT", global = true)]
    pub(crate) output: Option<Format>,

    /// Write the results to FILE instead of standard output.
    #[arg(long, value_name = "FILE", global = true)]
    pub(crate) out: Option<PathBuf>,

    /// Print the parse, plan and execution time of each statement, and the total, to stderr.
    #[arg(long, global = true)]
    pub(crate) timing: bool,

    /// Print the logical and physical plans instead of running the query.
    #[arg(long, global = true)]
    pub(crate) explain: bool,

    /// Skip rows of the data that do not parse or do not fit their columns (reported on stderr)
    /// instead of failing.
    #[arg(long, global = true)]
    pub(crate) skip_bad_rows: bool,

    /// Show at most N rows per table in the table format (0: all) [default: 1000 on a
    /// terminal, else all].
    #[arg(long, value_name = "N", global = true)]
    pub(crate) max_rows: Option<usize>,

    /// Threads a query runs on [default: all cores].
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,

    /// Fix now() (and ago()) at this datetime, e.g. 2026-01-01T00:00:00Z, for reproducible
    /// results; the bundled sample is moved relative to it.
    #[arg(long, value_name = "DATETIME", global = true)]
    pub(crate) now: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the query's canonical text and its logical, optimized and physical plans.
    Explain {
        /// The query (or --file, or standard input).
        query: Option<String>,
        /// Also run each statement and show the physical plan with what every operator did:
        /// rows out, time spent, and for Parquet scans the row groups and pages pruned.
        #[arg(long)]
        analyze: bool,
    },
}

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A boxed table fitted to the terminal.
    Table,
    /// CSV (RFC 4180) with a header row.
    Csv,
    /// The Log Analytics query-API response: {"tables":[{"name","columns","rows"}]}.
    Json,
    /// One JSON object per row, keyed by column name.
    Jsonl,
    /// Parquet (to --out FILE, or to standard output when it is not a terminal).
    Parquet,
}

impl Cli {
    /// `--now` in nanoseconds since the Unix epoch.
    pub(crate) fn now_nanos(&self) -> Result<Option<i64>, Failure> {
        let Some(text) = &self.now else {
            return Ok(None);
        };
        kql_parser::temporal::parse_datetime(text)
            .and_then(|ticks| ticks.checked_mul(100))
            .map(Some)
            .ok_or_else(|| Failure::Usage(format!("--now: '{text}' is not a datetime")))
    }

    /// The thread count as the engine takes it.
    pub(crate) fn threads(&self) -> Option<usize> {
        self.threads.map(usize::from)
    }
}
