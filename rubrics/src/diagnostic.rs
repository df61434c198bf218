//! Diagnostics that point at a file, line and column.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
    /// A suggestion, if there is one ("did you mean `prompt`?").
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A problem found while reading one source, located by byte range
/// (turned into a [`Diagnostic`] by [`Found::locate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range in the source.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// A suggestion.
    pub help: Option<String>,
}

impl Found {
    /// A problem at `span`.
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Found {
            span,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Resolves the byte offset into a line and column of `text`.
    pub fn locate(self, file: &Path, text: &str) -> Diagnostic {
        let (line, column) = line_column(text, self.span.start);
        Diagnostic {
            file: file.to_path_buf(),
            line,
            column,
            message: self.message,
            help: self.help,
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Most edits a suggestion may be away from the word: a third of the longest
/// id ([`rubric_engine::limits::MAX_ID_BYTES`]). Keys and ids are never
/// longer, so this only stops a long hostile word from costing quadratic time.
pub const MAX_SUGGESTION_EDITS: usize = rubric_engine::limits::MAX_ID_BYTES / 3;

/// Edit distance counting an adjacent swap as one edit (optimal string
/// alignment), for did-you-mean suggestions: `titel` is one edit from `title`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (chars(a), chars(b));
    let limit = a.len().max(b.len());
    bounded_distance(&a, &b, limit).unwrap_or(limit)
}

/// The edit distance of `a` and `b` if it is at most `limit`. Only the cells
/// within `limit` of the diagonal are computed, three rows at a time, so the
/// cost is O(min(n, m)) memory and O(max(n, m) * limit) time.
fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    // Rows follow the longer string, so a row is as long as the shorter one.
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if a.len() - b.len() > limit {
        return None;
    }
    // Anything above `limit` is as good as infinite.
    let far = limit + 1;
    let width = b.len() + 1;
    let mut before = vec![far; width];
    let mut above: Vec<usize> = (0..width).map(|j| j.min(far)).collect();
    let mut row = vec![far; width];
    for i in 1..=a.len() {
        // The band of this row; `from - 1 <= b.len()` as the lengths differ by at most `limit`.
        let from = i.saturating_sub(limit).max(1);
        let to = (i + limit).min(b.len());
        // The cells just outside the band are read by the next rows: mark
        // them, rather than clearing the whole row, to stay linear.
        row[from - 1] = if from == 1 { i.min(far) } else { far };
        if let Some(cell) = row.get_mut(to + 1) {
            *cell = far;
        }
        let mut best = row[from - 1];
        for j in from..=to {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d.min(far);
            best = best.min(row[j]);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut above);
        std::mem::swap(&mut above, &mut row);
    }
    above.get(b.len()).copied().filter(|&d| d <= limit)
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// The closest candidate to `word`, if it is close enough to be a likely typo:
/// at most a third of the longer of the two (and at least one edit) away, and
/// never more than [`MAX_SUGGESTION_EDITS`]. Candidates whose length alone is
/// too far off are skipped before any distance is computed, so the cost is
/// linear in the length of the word and of the candidates.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let word_len = word.chars().count();
    let mut word_chars = None;
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        let limit = (candidate.len().max(word.len()) / 3).clamp(1, MAX_SUGGESTION_EDITS);
        if word_len.abs_diff(candidate.chars().count()) > limit {
            continue;
        }
        let word_chars = word_chars.get_or_insert_with(|| chars(word));
        let Some(d) = bounded_distance(word_chars, &chars(candidate), limit) else {
            continue;
        };
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 3));
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(did_you_mean("promt", ["prompt", "help"]), Some("prompt"));
        assert_eq!(did_you_mean("colour", ["prompt", "help"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("titel", "title"), 1);
    }

    #[test]
    fn the_nearest_candidate_wins_and_the_first_of_equals() {
        // Two edits from `rank`, one from `range`: the nearer one, wherever it stands.
        assert_eq!(did_you_mean("rangs", ["ranks", "range"]), Some("ranks"));
        assert_eq!(did_you_mean("rangx", ["rank", "range"]), Some("range"));
        // Equally near: the first offered.
        assert_eq!(did_you_mean("bat", ["cat", "hat"]), Some("cat"));
        assert_eq!(did_you_mean("bat", ["hat", "cat"]), Some("hat"));
    }

    #[test]
    fn a_short_word_is_allowed_one_edit_per_three_letters() {
        // Five letters: one edit suggests, two do not.
        assert_eq!(did_you_mean("levek", ["level"]), Some("level"));
        assert_eq!(did_you_mean("levxx", ["level"]), None);
        // Six letters: two edits suggest, three do not.
        assert_eq!(did_you_mean("prxmpx", ["prompt"]), Some("prompt"));
        assert_eq!(did_you_mean("prxxpx", ["prompt"]), None);
        // Nine letters: three edits suggest, four do not.
        assert_eq!(did_you_mean("doxxxents", ["documents"]), Some("documents"));
        assert_eq!(did_you_mean("dxxxxents", ["documents"]), None);
    }

    /// The full matrix, as `edit_distance` was first written: the reference.
    fn full_matrix_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
    }

    /// Every string of up to `len` letters from `alphabet`.
    fn words(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn the_banded_distance_agrees_with_the_full_matrix_within_its_limit() {
        let all = words(&['a', 'b', 'é'], 5);
        for a in all.iter().step_by(3) {
            let a_chars: Vec<char> = a.chars().collect();
            for b in all.iter().step_by(7) {
                let b_chars: Vec<char> = b.chars().collect();
                let full = full_matrix_distance(a, b);
                assert_eq!(edit_distance(a, b), full, "{a} {b}");
                for limit in 0..=4 {
                    let banded = bounded_distance(&a_chars, &b_chars, limit);
                    let expected = (full <= limit).then_some(full);
                    assert_eq!(banded, expected, "{a} {b} within {limit}");
                }
            }
        }
    }

    #[test]
    fn a_long_word_gets_a_suggestion_only_when_it_is_a_near_miss() {
        let id = "a".repeat(40) + "-b";
        let typo = "a".repeat(40) + "b-";
        assert_eq!(did_you_mean(&typo, [id.as_str(), "b"]), Some(id.as_str()));
        // A hostile word far longer than any candidate is skipped by length.
        let huge = "a".repeat(300_000);
        assert_eq!(did_you_mean(&huge, [id.as_str(), "b"]), None);
        // Two long words that differ in every place are not a typo of each other.
        let (x, y) = ("x".repeat(20_000), "y".repeat(20_000));
        assert_eq!(did_you_mean(&x, [y.as_str()]), None);
        // One edit in a long word is still found, within the edit cap.
        let mut near = y.clone();
        near.replace_range(500..501, "z");
        assert_eq!(
            did_you_mean(&near, [x.as_str(), y.as_str()]),
            Some(y.as_str())
        );
    }
}
