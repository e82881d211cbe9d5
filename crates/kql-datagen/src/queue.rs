//! Time-ordered merge of events that are generated out of order.
//!
//! Jobs are produced in submission order, but a job's later events (running, finished, its traces)
//! interleave with other jobs'. Holding only the pending future events keeps memory bounded by the
//! number of concurrently active jobs rather than the table size.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<T> {
    time: i64,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    // Reversed, so the max-heap pops the earliest event; `seq` keeps ties in insertion order,
    // which makes the output deterministic.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

pub(crate) struct TimeQueue<T> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T> TimeQueue<T> {
    pub(crate) fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }

    pub(crate) fn push(&mut self, time: i64, item: T) {
        self.seq += 1;
        self.heap.push(Entry {
            time,
            seq: self.seq,
            item,
        });
    }

    /// The earliest pending event if it happens no later than `limit`.
    pub(crate) fn pop_until(&mut self, limit: i64) -> Option<(i64, T)> {
        if self.heap.peek()?.time > limit {
            return None;
        }
        self.heap.pop().map(|e| (e.time, e.item))
    }
}
