//! Tab completion in the shell. What fits where: after `|` an operator; at the start of a
//! statement a table (or `let`, `print`, …); elsewhere a column of the tables the query names
//! (all tables' when it names none), a function (scalar or aggregate, completed with `(`) or a
//! keyword; after `.` at the start a command; after `.schema` a table; after `.load` a path.
//! Names are always read fresh from the engine, so tables loaded with `.load` complete at once.

use std::collections::BTreeSet;
use std::sync::Arc;

use kql_engine::Engine;
use rustyline::Context;
use rustyline::completion::{Completer, FilenameCompleter, Pair};

/// Words that may start a statement besides a table name.
const STATEMENT_STARTS: &[&str] = &[
    "let",
    "set",
    "print",
    "range",
    "datatable",
    "union",
    "declare",
    "evaluate",
];

/// Keywords inside operators and expressions.
const KEYWORDS: &[&str] = &[
    "by",
    "on",
    "kind",
    "with",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "and",
    "or",
    "not",
    "in",
    "has",
    "has_any",
    "has_all",
    "hasprefix",
    "hassuffix",
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "matches",
    "regex",
    "between",
    "true",
    "false",
    "inner",
    "innerunique",
    "leftouter",
    "rightouter",
    "fullouter",
    "leftanti",
    "rightanti",
    "leftsemi",
    "rightsemi",
    "typeof",
    "bool",
    "int",
    "long",
    "real",
    "decimal",
    "string",
    "datetime",
    "timespan",
    "guid",
    "dynamic",
];

/// The shell's commands.
const COMMANDS: &[&str] = &[
    ".tables", ".schema", ".load", ".output", ".timing", ".help", ".quit",
];

/// Completes KQL against an engine's tables and functions.
pub(super) struct KqlCompleter {
    engine: Arc<Engine>,
    functions: Vec<String>,
    files: FilenameCompleter,
}

impl KqlCompleter {
    pub(super) fn new(engine: Arc<Engine>) -> Self {
        let registry = engine.registry();
        let functions: BTreeSet<String> = registry
            .scalars()
            .iter()
            .map(|f| f.name.to_string())
            .chain(registry.aggregates().iter().map(|f| f.name.to_string()))
            .collect();
        Self {
            engine,
            functions: functions.into_iter().collect(),
            files: FilenameCompleter::new(),
        }
    }

    /// The candidates for the word that ends at `pos` in `line`: where it starts, and the
    /// completions.
    pub(super) fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        let start = word_start(before);
        let word = &before[start..];
        let head = before[..start].trim_end();

        // Dot commands.
        if line.trim_start().starts_with('.') {
            let command = line.trim_start();
            if !command[..pos.saturating_sub(line.len() - command.len())].contains(' ') {
                let at = line.len() - command.len();
                return (at, matching(COMMANDS.iter().copied(), &before[at..], ""));
            }
            if command.starts_with(".schema") {
                return (
                    start,
                    matching(self.tables().iter().map(String::as_str), word, ""),
                );
            }
            if command.starts_with(".output") {
                let formats = ["table", "csv", "json", "jsonl"];
                return (start, matching(formats.iter().copied(), word, ""));
            }
            return (start, Vec::new());
        }

        let tables = self.tables();
        let previous = head.chars().last();
        if previous == Some('|') {
            return (
                start,
                matching(kql_parser::operator_names().iter().copied(), word, ""),
            );
        }
        let starts_statement = head.is_empty()
            || matches!(previous, Some(';' | '('))
            || head.ends_with("union")
            || head.ends_with("join")
            || head.ends_with("lookup")
            || head.ends_with(',') && line[..start].contains("union");
        if starts_statement {
            let words = tables
                .iter()
                .map(String::as_str)
                .chain(STATEMENT_STARTS.iter().copied());
            return (start, matching(words, word, ""));
        }
        let named: Vec<&String> = tables.iter().filter(|t| mentions(line, t)).collect();
        let sources: Vec<&String> = if named.is_empty() {
            tables.iter().collect()
        } else {
            named
        };
        let mut columns: BTreeSet<String> = BTreeSet::new();
        for t in sources {
            for c in self.engine.table_columns(t).unwrap_or_default() {
                columns.insert(c.name);
            }
        }
        let mut out = matching(columns.iter().map(String::as_str), word, "");
        out.extend(matching(
            self.functions.iter().map(String::as_str),
            word,
            "(",
        ));
        out.extend(matching(KEYWORDS.iter().copied(), word, ""));
        out.extend(matching(tables.iter().map(String::as_str), word, ""));
        dedup(&mut out);
        (start, out)
    }

    fn tables(&self) -> Vec<String> {
        self.engine.table_names()
    }
}

impl Completer for KqlCompleter {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if line.trim_start().starts_with(".load ") {
            return self.files.complete(line, pos, ctx);
        }
        Ok(self.candidates(line, pos))
    }
}

/// Where the word before the cursor starts: names are letters, digits and `_`; operators also
/// have `-` (`mv-expand`).
fn word_start(before: &str) -> usize {
    let mut start = before.len();
    for (i, c) in before.char_indices().rev() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            start = i;
        } else {
            break;
        }
    }
    // A '-' is part of a name only inside it (`mv-expand`), not in front (`x -y`).
    while before[start..].starts_with('-') {
        start += 1;
    }
    start
}

/// Whether `text` names `table` as a whole word.
fn mentions(text: &str, table: &str) -> bool {
    text.match_indices(table).any(|(i, _)| {
        let before = text[..i].chars().last();
        let after = text[i + table.len()..].chars().next();
        let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        boundary(before) && boundary(after)
    })
}

/// Candidates that start with `word` (exact case first; ignoring case when none does).
fn matching<'a>(
    words: impl Iterator<Item = &'a str> + Clone,
    word: &str,
    suffix: &str,
) -> Vec<Pair> {
    let pair = |w: &str| Pair {
        display: w.to_string(),
        replacement: format!("{w}{suffix}"),
    };
    let exact: Vec<Pair> = words
        .clone()
        .filter(|w| w.starts_with(word) && *w != word)
        .map(pair)
        .collect();
    if !exact.is_empty() || word.is_empty() {
        return exact;
    }
    let lower = word.to_lowercase();
    words
        .filter(|w| w.to_lowercase().starts_with(&lower) && *w != word)
        .map(pair)
        .collect()
}

fn dedup(pairs: &mut Vec<Pair>) {
    let mut seen = BTreeSet::new();
    pairs.retain(|p| seen.insert(p.replacement.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Arc<Engine> {
        use datafusion::arrow::array::{Int64Array, StringArray};
        use datafusion::arrow::datatypes::{DataType, Field, Schema};
        use datafusion::arrow::record_batch::RecordBatch;
        let schema = Arc::new(Schema::new(vec![
            Field::new("ClusterName", DataType::Utf8, false),
            Field::new("Count", DataType::Int64, false),
        ]));
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec!["a"])),
                Arc::new(Int64Array::from(vec![1])),
            ],
        )
        .unwrap();
        let engine = Engine::new();
        engine.register_batches("Jobs", vec![batch]).unwrap();
        Arc::new(engine)
    }

    fn complete(line: &str) -> Vec<String> {
        let c = KqlCompleter::new(engine());
        c.candidates(line, line.len())
            .1
            .into_iter()
            .map(|p| p.replacement)
            .collect()
    }

    #[test]
    fn tables_at_the_start() {
        assert_eq!(complete("Jo"), ["Jobs"]);
        assert_eq!(complete("jo"), ["Jobs"]);
    }

    #[test]
    fn operators_after_a_pipe() {
        assert_eq!(complete("Jobs | whe"), ["where"]);
        assert_eq!(complete("Jobs | mv-e"), ["mv-expand"]);
        assert!(complete("Jobs | ").contains(&"summarize".to_string()));
    }

    #[test]
    fn columns_functions_and_keywords() {
        assert_eq!(complete("Jobs | where Clu"), ["ClusterName"]);
        assert!(complete("Jobs | summarize cou").contains(&"count(".to_string()));
        assert!(complete("Jobs | summarize count() b").contains(&"by".to_string()));
    }

    #[test]
    fn commands() {
        assert_eq!(complete(".sch"), [".schema"]);
        assert_eq!(complete(".schema J"), ["Jobs"]);
    }
}
