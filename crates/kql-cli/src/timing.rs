//! Running a query text with its phases timed. The parser reads the whole text in one pass and
//! the planner plans its statements together (a `let` binds names for the statements after
//! it), so parse and plan are timed for the whole text; execution is timed per statement. For
//! the usual one-statement query these are that statement's times.

use std::time::{Duration, Instant};

use kql_engine::{Engine, EngineError, QueryResult};

/// How long each phase took.
#[derive(Debug, Default)]
pub(crate) struct Timings {
    pub(crate) parse: Duration,
    pub(crate) plan: Duration,
    /// Per result table: its name, execution time and row count.
    pub(crate) statements: Vec<(String, Duration, usize)>,
    pub(crate) total: Duration,
}

/// Parses, plans and runs `text`, timing each phase.
pub(crate) async fn run(
    engine: &Engine,
    text: &str,
) -> Result<(QueryResult, Timings), EngineError> {
    let start = Instant::now();
    let script = kql_parser::parse(text)?;
    let parsed = Instant::now();
    let planned = engine.plan_script(&script)?;
    let mut timings = Timings {
        parse: parsed - start,
        plan: parsed.elapsed(),
        ..Timings::default()
    };
    let mut tables = Vec::with_capacity(planned.len());
    for p in planned {
        let started = Instant::now();
        let table = engine.execute(p).await?;
        timings
            .statements
            .push((table.name.clone(), started.elapsed(), table.row_count()));
        tables.push(table);
    }
    timings.total = start.elapsed();
    Ok((QueryResult { tables }, timings))
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
    out.push_str(&format!("timing: total {}\n", ms(t.total)));
    out
}
