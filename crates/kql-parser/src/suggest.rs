//! "Did you mean …?": the closest known name to a misspelled one. Used for operators here, and
//! for functions, tables and columns by the planner.

/// The candidate closest to `name`: a case-insensitive match first (KQL names are
/// case-sensitive, so `Where` for `where` is the commonest slip), else the nearest within edit
/// distance 2 (and shorter than the name itself, so short names do not match anything).
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(exact) = candidates.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        return Some(exact);
    }
    let lower = name.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= 2 && *d < name.len())
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            closest("EvntType", ["EventType", "TimeGenerated"]),
            Some("EventType")
        );
        assert_eq!(closest("WHERE", ["where", "extend"]), Some("where"));
        assert_eq!(closest("xyz", ["where", "extend"]), None);
        assert_eq!(closest("a", ["b"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
