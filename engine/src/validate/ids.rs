//! [`IdSet`]: finds a repeated id in one pass, without an allocator.
//!
//! A small open-addressing hash table on the stack: `N` ids at most, in a
//! table of `2N` slots, so a lookup probes a slot or two and checking a list
//! for duplicates is linear in its length.

/// The ids seen so far of one list, in order; at most `N` of them.
pub(super) struct IdSet<'a, const N: usize> {
    ids: heapless::Vec<&'a str, N>,
    /// `2N` slots (pairs, as arrays cannot be sized `2 * N` yet): slot ->
    /// 1 + position in `ids`, 0 for an empty slot. At most half of the slots
    /// are used, so probing always ends at an empty one.
    slots: [[u8; 2]; N],
}

/// A hash of the length and of the first and last (up to) eight bytes: O(1)
/// per id, whatever its length. Ids that share those bytes just probe
/// further; equality is always checked on the whole id.
fn hash(id: &str) -> usize {
    let bytes = id.as_bytes();
    // The first (up to) eight bytes of `part`, big-endian: one load when
    // there are eight.
    let word = |part: &[u8]| match part.first_chunk::<8>() {
        Some(eight) => u64::from_be_bytes(*eight),
        None => part.iter().fold(0u64, |w, b| (w << 8) | u64::from(*b)),
    };
    let head = word(bytes);
    let tail = word(&bytes[bytes.len().saturating_sub(8)..]);
    let mixed =
        (head ^ tail.rotate_left(29) ^ bytes.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 32) as usize
}

impl<'a, const N: usize> IdSet<'a, N> {
    pub(super) fn new() -> Self {
        // Positions are stored as 1 + position in a u8.
        const { assert!(N > 0 && N < 255) };
        IdSet {
            ids: heapless::Vec::new(),
            slots: [[0; 2]; N],
        }
    }

    /// Adds `id`; returns the position of an earlier equal id if there is
    /// one (the id is then not added again). Past `N` ids nothing is added
    /// and `None` is returned: the list's own limit is reported elsewhere.
    pub(super) fn insert(&mut self, id: &'a str) -> Option<usize> {
        let slots = 2 * N;
        let mut slot = hash(id) % slots;
        loop {
            match usize::from(self.slots[slot / 2][slot % 2]) {
                0 => break,
                used => {
                    let at = used - 1;
                    if self.ids.get(at) == Some(&id) {
                        return Some(at);
                    }
                }
            }
            slot = (slot + 1) % slots;
        }
        let position = self.ids.len();
        if self.ids.push(id).is_ok() {
            self.slots[slot / 2][slot % 2] = (position + 1) as u8;
        }
        None
    }

    /// Number of distinct ids added.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.ids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;

    #[test]
    fn a_repeat_names_the_first_position() {
        let mut set: IdSet<'_, 8> = IdSet::new();
        assert_eq!(set.insert("a"), None);
        assert_eq!(set.insert("b"), None);
        assert_eq!(set.insert("a"), Some(0));
        assert_eq!(set.insert("c"), None);
        assert_eq!(set.insert("b"), Some(1));
        assert_eq!(set.len(), 3);
        assert_eq!(set.insert("c"), Some(2));
    }

    #[test]
    fn a_full_table_of_colliding_ids_still_finds_every_repeat() {
        let names: [&str; 64] = core::array::from_fn(|i| {
            const ALL: &str = "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ#";
            &ALL[i..i + 1]
        });
        let mut set: IdSet<'_, 64> = IdSet::new();
        for name in names {
            assert_eq!(set.insert(name), None);
        }
        for (i, name) in names.iter().enumerate() {
            assert_eq!(set.insert(name), Some(i));
        }
        assert_eq!(set.insert("one more"), None);
        assert_eq!(set.len(), 64);
    }
}
