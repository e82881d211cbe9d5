//! Working a kernel out once per distinct text of a batch instead of once per row.
//!
//! Log columns repeat a handful of values: `_ResourceId` holds one id per workspace, and
//! `split(_ResourceId, "/")[8]` is how the Azure ML docs' running-nodes query (q5) names the
//! workspace. DuckDB evaluates a function over a dictionary-encoded vector once per dictionary
//! entry; this engine's Parquet and JSON readers give it plain text, so the kernel looks each row's
//! text up among the texts it has already seen. That pays when the work is dearer than hashing the
//! text (finding the ninth part of a resource id: 48 ns against 16 for the lookup, per row) and the
//! values repeat; on a column whose values do not repeat, the memo gives up after a trial, or once
//! it holds as many texts as it keeps and meets another, and costs only the hashing before that.

use std::collections::HashMap;

/// The results of a kernel for the texts of one batch seen so far.
pub(crate) struct Memo<'a, V> {
    /// Seeded per memo, so that texts built to collide cannot be planted in a log.
    seen: HashMap<&'a str, V, foldhash::fast::RandomState>,
    /// Rows looked up, and how many of them were found (the trial reads them at its end).
    looked_up: usize,
    found: usize,
    on: bool,
}

impl<'a, V: Copy> Memo<'a, V> {
    /// Rows after which the memo stays on only if at least 7 in 8 of them repeated a text: a
    /// lookup that misses costs a hash on top of the work, and on a column of texts that repeat
    /// only now and then (a job's three events) hashing every row cost more than it saved.
    const TRIAL_ROWS: usize = 256;
    /// Distinct texts kept; a new text after that turns the memo off for the batch.
    const MAX_TEXTS: usize = 1024;

    /// A memo that is used only when `on`: a kernel whose result depends on more than the
    /// text (a per-row delimiter) passes `false`.
    pub(crate) fn new(on: bool) -> Self {
        Self {
            seen: HashMap::default(),
            looked_up: 0,
            found: 0,
            on,
        }
    }

    /// `work(text)`, remembered.
    #[inline]
    pub(crate) fn get_or(&mut self, text: &'a str, work: impl FnOnce(&'a str) -> V) -> V {
        if !self.on {
            return work(text);
        }
        self.looked_up += 1;
        let v = match self.seen.get(text) {
            Some(v) => {
                self.found += 1;
                *v
            }
            None => {
                let v = work(text);
                if self.seen.len() < Self::MAX_TEXTS {
                    self.seen.insert(text, v);
                } else {
                    self.turn_off();
                }
                v
            }
        };
        if self.looked_up == Self::TRIAL_ROWS && self.found * 8 < self.looked_up * 7 {
            self.turn_off();
        }
        v
    }

    fn turn_off(&mut self) {
        self.on = false;
        self.seen = HashMap::default();
    }

    /// Whether rows are still looked up.
    #[cfg(test)]
    fn is_on(&self) -> bool {
        self.on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(texts: &[String], calls: &mut usize) -> (Vec<usize>, bool) {
        let mut memo = Memo::new(true);
        let out = texts
            .iter()
            .map(|t| {
                memo.get_or(t, |t| {
                    *calls += 1;
                    t.len()
                })
            })
            .collect();
        (out, memo.is_on())
    }

    #[test]
    fn repeated_texts_are_worked_out_once() {
        let texts: Vec<String> = (0..5000).map(|i| format!("ws-{}", i % 3)).collect();
        let mut calls = 0;
        let (out, on) = run(&texts, &mut calls);
        assert_eq!(out, texts.iter().map(String::len).collect::<Vec<_>>());
        assert_eq!(calls, 3);
        assert!(on);
    }

    #[test]
    fn texts_that_do_not_repeat_turn_the_memo_off() {
        let texts: Vec<String> = (0..5000).map(|i| format!("run-{i}")).collect();
        let mut calls = 0;
        let (out, on) = run(&texts, &mut calls);
        assert_eq!(out, texts.iter().map(String::len).collect::<Vec<_>>());
        assert_eq!(calls, 5000);
        assert!(!on);
    }

    #[test]
    fn a_text_beyond_the_cap_turns_the_memo_off() {
        // Each text eight times in a row: 7 in 8 rows repeat, so the memo passes its trial; the
        // first text after MAX_TEXTS of them turns it off.
        let kept = Memo::<usize>::MAX_TEXTS;
        for rows in [8 * kept, 8 * kept + 1] {
            let texts: Vec<String> = (0..rows).map(|i| format!("t{}", i / 8)).collect();
            let mut calls = 0;
            let (out, on) = run(&texts, &mut calls);
            assert_eq!(out, texts.iter().map(String::len).collect::<Vec<_>>());
            assert_eq!(on, rows == 8 * kept, "{rows} rows");
            assert_eq!(calls, rows.div_ceil(8));
        }
    }

    #[test]
    fn texts_that_repeat_now_and_then_turn_the_memo_off() {
        // Each text two or three times in a row (a job's events): the trial's last row is a
        // repeat in the first and a new text in the second.
        for times in [2, 3] {
            let texts: Vec<String> = (0..3000).map(|i| format!("job-{}", i / times)).collect();
            let mut calls = 0;
            let (out, on) = run(&texts, &mut calls);
            assert_eq!(out, texts.iter().map(String::len).collect::<Vec<_>>());
            assert!(!on, "{times} times");
        }
    }

    #[test]
    fn an_off_memo_works_out_every_row() {
        let texts = ["a", "a", "a"];
        let mut memo = Memo::new(false);
        let mut calls = 0;
        for t in texts {
            memo.get_or(t, |t| {
                calls += 1;
                t.len()
            });
        }
        assert_eq!(calls, 3);
    }
}
