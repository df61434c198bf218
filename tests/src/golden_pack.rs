//! The golden cases as the firmware embeds them: `cases.bin` packed with a
//! small LZ77 (`golden/cases.lz`), which the firmware unpacks one case at a
//! time in a buffer of about 1.7 KB. The cases repeat names, ids and answer
//! patterns, so the packed file is under half the size, and the flash saved
//! leaves room for more rubrics within the firmware's 64 KiB.
//!
//! The format is a run of tokens. A token byte below `0x80` is followed by
//! that many plus one literal bytes (1 to 128). A token byte `0x80 | n` is a
//! copy of `n + 3` bytes (3 to 130) from an LEB128 offset (1 to
//! [`WINDOW`]) back in the unpacked output. The decoder in
//! `engine/firmware/src/main.rs` uses the same constants.

/// How far back a copy may reach.
pub const WINDOW: usize = 1024;
/// The shortest copy.
pub const MIN_COPY: usize = 3;
/// The longest copy.
pub const MAX_COPY: usize = 0x7F + MIN_COPY;
/// The longest literal run.
pub const MAX_LITERAL: usize = 0x80;
/// The largest encoded case the firmware's buffer holds at once.
pub const MAX_CASE_BYTES: usize = 512;

/// Why packed bytes could not be unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnpackError {
    /// The bytes end inside a token.
    #[error("the packed cases end inside a token at byte {at}")]
    Truncated {
        /// Where the token started.
        at: usize,
    },
    /// A copy reaches before the start of the output or beyond the window.
    #[error("a copy at byte {at} reaches {offset} bytes back, outside the output")]
    BadOffset {
        /// Where the token started.
        at: usize,
        /// How far back it reaches.
        offset: usize,
    },
}

/// The longest earlier match for `data[at..]` within the window: (length, offset).
fn longest_match(data: &[u8], at: usize) -> (usize, usize) {
    let mut best = (0, 0);
    for from in at.saturating_sub(WINDOW)..at {
        let len = data[from..]
            .iter()
            .zip(&data[at..])
            .take(MAX_COPY)
            .take_while(|(a, b)| a == b)
            .count();
        if len > best.0 {
            best = (len, at - from);
        }
    }
    best
}

fn flush_literals(out: &mut Vec<u8>, literals: &[u8]) {
    for run in literals.chunks(MAX_LITERAL) {
        out.push((run.len() - 1) as u8);
        out.extend_from_slice(run);
    }
}

fn push_offset(out: &mut Vec<u8>, mut offset: usize) {
    loop {
        let low = (offset & 0x7F) as u8;
        offset >>= 7;
        if offset == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Packs `data` (greedy: the longest match at each position).
pub fn pack(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut literal_from = 0;
    let mut at = 0;
    while at < data.len() {
        let (len, offset) = longest_match(data, at);
        if len < MIN_COPY {
            at += 1;
            continue;
        }
        flush_literals(&mut out, &data[literal_from..at]);
        out.push(0x80 | (len - MIN_COPY) as u8);
        push_offset(&mut out, offset);
        at += len;
        literal_from = at;
    }
    flush_literals(&mut out, &data[literal_from..]);
    out
}

/// Unpacks what [`pack`] wrote.
pub fn unpack(packed: &[u8]) -> Result<Vec<u8>, UnpackError> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(&token) = packed.get(at) {
        let start = at;
        at += 1;
        if token < 0x80 {
            let end = at + usize::from(token) + 1;
            let run = packed
                .get(at..end)
                .ok_or(UnpackError::Truncated { at: start })?;
            out.extend_from_slice(run);
            at = end;
            continue;
        }
        let mut offset = 0usize;
        let mut shift = 0;
        loop {
            let byte = *packed.get(at).ok_or(UnpackError::Truncated { at: start })?;
            at += 1;
            offset |= usize::from(byte & 0x7F) << shift;
            shift += 7;
            if byte & 0x80 == 0 || shift > 14 {
                break;
            }
        }
        if offset == 0 || offset > WINDOW || offset > out.len() {
            return Err(UnpackError::BadOffset { at: start, offset });
        }
        for _ in 0..usize::from(token & 0x7F) + MIN_COPY {
            out.push(out[out.len() - offset]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_round_trips_repeats_overlaps_and_long_literals() {
        let mut data = b"abcabcabcabcabc-a-b-".to_vec();
        data.extend((0..=255u8).cycle().take(700));
        data.extend(std::iter::repeat_n(7u8, 300));
        for input in [&data[..], b"", b"x", b"xyxyxyxyxy"] {
            let packed = pack(input);
            assert_eq!(unpack(&packed).unwrap(), input);
        }
        assert!(pack(&data).len() < data.len());
    }

    #[test]
    fn unpacking_refuses_truncated_tokens_and_copies_outside_the_output() {
        assert_eq!(unpack(&[3, 1, 2]), Err(UnpackError::Truncated { at: 0 }));
        assert_eq!(unpack(&[0x80]), Err(UnpackError::Truncated { at: 0 }));
        assert_eq!(
            unpack(&[0, 9, 0x80, 2]),
            Err(UnpackError::BadOffset { at: 2, offset: 2 })
        );
        assert_eq!(
            unpack(&[0x80, 0]),
            Err(UnpackError::BadOffset { at: 0, offset: 0 })
        );
    }
}
