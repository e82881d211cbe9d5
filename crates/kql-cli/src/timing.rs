//! Running a query text with its phases timed. The parser reads the whole text in one pass and
//! the planner plans its statements together (a `let` binds names for the statements after
//! it), so parse and plan are timed for the whole text; execution is timed per statement. For
//! the usual one-statement query these are that statement's times.
//!
//! Each statement's table goes to the caller as soon as it is computed, so a batch's results
//! are written and dropped one by one instead of all held in memory until the last statement.

use std::time::{Duration, Instant};

use kql_engine::{Engine, PlannedQuery, ResultTable};

use crate::error::Failure;

/// How long each phase took.
#[derive(Debug, Default)]
pub(crate) struct Timings {
    pub(crate) parse: Duration,
    pub(crate) plan: Duration,
    /// Per result table: its name, execution time and row count.
    pub(crate) statements: Vec<(String, Duration, usize)>,
}

impl Timings {
    /// The engine's time: parse, plan and every statement's execution, without the time spent
    /// writing results between statements.
    pub(crate) fn total(&self) -> Duration {
        self.parse + self.plan + self.statements.iter().map(|s| s.1).sum::<Duration>()
    }
}

/// Parses and plans `text`, timing both; the statements' plans come back in order.
pub(crate) fn plan(engine: &Engine, text: &str) -> Result<(Vec<PlannedQuery>, Timings), Failure> {
    let start = Instant::now();
    let script = kql_parser::parse(text).map_err(|e| Failure::engine(e.into(), text))?;
    let parsed = Instant::now();
    let planned = engine
        .plan_script(&script)
        .map_err(|e| Failure::engine(e, text))?;
    let timings = Timings {
        parse: parsed - start,
        plan: parsed.elapsed(),
        ..Timings::default()
    };
    Ok((planned, timings))
}

/// Runs the planned statements of `text` in order, timing each, and hands each result table to
/// `each` before the next statement starts. Stops at the first error, of a statement or of
/// `each`.
pub(crate) async fn execute(
    engine: &Engine,
    text: &str,
    planned: Vec<PlannedQuery>,
    timings: &mut Timings,
    mut each: impl FnMut(ResultTable) -> Result<(), Failure>,
) -> Result<(), Failure> {
    for p in planned {
        let started = Instant::now();
        let table = engine
            .execute(p)
            .await
            .map_err(|e| Failure::engine(e, text))?;
        timings
            .statements
            .push((table.name.clone(), started.elapsed(), table.row_count()));
        each(table)?;
    }
    Ok(())
}

/// Prints the timings to stderr.
pub(crate) fn report(t: &Timings, load: Option<Duration>) {
    eprint!("{}", render(t, load));
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn rows(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// The timings as text, one line per phase.
pub(crate) fn render(t: &Timings, load: Option<Duration>) -> String {
    let mut out = String::new();
    if let Some(load) = load {
        out.push_str(&format!("timing: load {}\n", ms(load)));
    }
    if let [(name, execute, n)] = t.statements.as_slice() {
        out.push_str(&format!(
            "timing: {name}: parse {}, plan {}, execute {}, {}\n",
            ms(t.parse),
            ms(t.plan),
            ms(*execute),
            rows(*n)
        ));
    } else {
        out.push_str(&format!(
            "timing: parse {}, plan {} (all {} statements)\n",
            ms(t.parse),
            ms(t.plan),
            t.statements.len()
        ));
        for (i, (name, execute, n)) in t.statements.iter().enumerate() {
            out.push_str(&format!(
                "timing: statement {} ({name}): execute {}, {}\n",
                i + 1,
                ms(*execute),
                rows(*n)
            ));
        }
    }
    out.push_str(&format!("timing: total {}\n", ms(t.total())));
    out
}
