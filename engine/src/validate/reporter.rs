//! [`Reporter`]: counts problems, hands them to the caller's sink, and walks
//! lists decoding each element exactly once.

use serde::Deserialize;

use super::ids::IdSet;
use super::issue::{Issue, Location, Problem};
use crate::limits::{Limit, MAX_ID_BYTES, MAX_TEXT_BYTES};
use crate::seq::Seq;

/// Checks an id: non-empty, at most [`MAX_ID_BYTES`], `a-z0-9-` only.
pub fn id_problem(id: &str) -> Option<Problem> {
    if id.len() > MAX_ID_BYTES {
        Some(Problem::LimitExceeded {
            limit: Limit::IdBytes,
            found: id.len(),
        })
    } else if id.is_empty() || !id_bytes(id.as_bytes()) {
        Some(Problem::InvalidId)
    } else {
        None
    }
}

/// True when every byte of `id` is `a-z`, `0-9` or `-`. A fold without
/// early exit, on a branch-free test per byte: measured faster than a
/// short-circuiting `all` (whose exit mispredicts on ids of varied lengths)
/// and than checking eight bytes at a time.
fn id_bytes(id: &[u8]) -> bool {
    id.iter().fold(true, |ok, b| ok & id_byte(*b))
}

/// `a-z`, `0-9` or `-`, without branches.
fn id_byte(b: u8) -> bool {
    (b.wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10) | (b == b'-')
}

/// True for an empty text or one of only whitespace (of any script).
fn blank(text: &str) -> bool {
    text.chars().all(white_space)
}

/// Unicode's `White_Space`, the set `char::is_whitespace` and `trim` use,
/// spelled out: core's table for it costs about 500 bytes of device flash.
fn white_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

pub(super) struct Reporter<'r> {
    pub(super) rubric: u8,
    pub(super) sink: &'r mut dyn FnMut(Issue),
    pub(super) count: usize,
    /// What the rubric's texts must be (see [`Texts`]).
    pub(super) texts: Texts,
}

/// What validation expects of the texts (prose) of a rubric. Ids are checked
/// the same way in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Texts {
    /// Texts are in the payload: within [`MAX_TEXT_BYTES`], required ones not blank.
    #[default]
    Inline,
    /// The structure of a version 3 bundle: every text must be empty (the
    /// texts are in the prose section, checked when it is expanded).
    Empty,
}

impl<'r> Reporter<'r> {
    pub(super) fn new(rubric: u8, sink: &'r mut dyn FnMut(Issue)) -> Self {
        Reporter {
            rubric,
            sink,
            count: 0,
            texts: Texts::Inline,
        }
    }

    pub(super) fn report(&mut self, at: Location, problem: Problem) {
        self.count += 1;
        (self.sink)(Issue {
            rubric: self.rubric,
            at,
            problem,
        });
    }

    pub(super) fn text(&mut self, at: Location, text: &str, required: bool) {
        if self.texts == Texts::Empty {
            if !text.is_empty() {
                self.report(at, Problem::ProseInStructure);
            }
        } else if text.len() > MAX_TEXT_BYTES {
            self.report(
                at,
                Problem::LimitExceeded {
                    limit: Limit::TextBytes,
                    found: text.len(),
                },
            );
        } else if required && blank(text) {
            self.report(at, Problem::EmptyText);
        }
    }

    pub(super) fn id(&mut self, at: Location, id: &str) {
        if let Some(problem) = id_problem(id) {
            self.report(at, problem);
        }
    }

    /// Adds `id` to `seen`, reporting it if an earlier entry has it.
    pub(super) fn unique<'a, const N: usize>(
        &mut self,
        at: Location,
        seen: &mut IdSet<'a, N>,
        id: &'a str,
    ) {
        if let Some(first) = seen.insert(id) {
            self.report(at, Problem::DuplicateId { first: first as u8 });
        }
    }

    /// Decodes each element of `seq` exactly once, handing it to `each`.
    /// Stops (returning `None`) at a malformed element or when the list is
    /// longer than `limit`; nothing after that should be trusted.
    pub(super) fn each<'a, T: Deserialize<'a>>(
        &mut self,
        at: Location,
        seq: Seq<'a, T>,
        limit: Limit,
        mut each: impl FnMut(&mut Self, usize, T),
    ) -> Option<usize> {
        let elements = seq.try_iter();
        let declared = elements.declared();
        if declared > limit.max() {
            self.report(
                at,
                Problem::LimitExceeded {
                    limit,
                    found: declared,
                },
            );
            return None;
        }
        let mut count = 0;
        for element in elements {
            match element {
                Ok(value) => {
                    each(self, count, value);
                    count += 1;
                }
                Err(_) => {
                    self.report(at, Problem::Malformed);
                    return None;
                }
            }
        }
        Some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::{blank, id_bytes, white_space};

    #[test]
    fn id_bytes_are_lowercase_letters_digits_and_dashes() {
        let valid = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
        // Every byte value at every position of ids of 1 to 17 bytes.
        for len in 1..=17 {
            for at in 0..len {
                for b in 0..=u8::MAX {
                    let mut id = [b'k'; 17];
                    id[at] = b;
                    assert_eq!(id_bytes(&id[..len]), valid(b), "{b:#x} at {at} of {len}");
                }
            }
        }
        // Neighbours with carries in mind: two odd bytes side by side.
        for a in 0..=u8::MAX {
            for b in [
                0u8, b'-', b'/', b'9', b':', b'`', b'a', b'z', b'{', 0x7f, 0x80, 0xff,
            ] {
                let id = [b'x', a, b, b'0', b'-', b'q', b'z', b'a', b'9'];
                assert_eq!(id_bytes(&id), valid(a) && valid(b), "{a:#x} {b:#x}");
            }
        }
    }

    #[test]
    fn white_space_is_exactly_what_core_calls_whitespace() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(white_space(c), c.is_whitespace(), "{:#x}", u32::from(c));
        }
    }

    #[test]
    fn blank_texts_are_empty_or_whitespace_of_any_script() {
        for text in ["", " ", "\t\n ", "\u{3000}", "\u{a0} \u{2003}"] {
            assert!(blank(text), "{text:?}");
        }
        for text in ["x", " x", "\u{3000}x", "é", "\u{a0}ok", "-"] {
            assert!(!blank(text), "{text:?}");
        }
    }
}
