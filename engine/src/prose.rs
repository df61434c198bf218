//! The prose section of a version 3 to 6 bundle: every text of every
//! rubric (titles, prompts, labels, explanations, actions ...; everything
//! that is not an id), kept apart from the structure and compressed: per
//! rubric in versions 3 and 4, as one stream across rubrics in versions 5 and 6.
//!
//! The structure (the postcard payload) carries each text as an empty
//! string, so the device decodes, validates and scores without ever touching
//! prose. A host expands the section back into the texts ([`crate::codec::expand`]).
//!
//! ```text
//! section, versions 3 and 4:
//!   u16 LE       R, the number of rubrics (the payload's count)
//!   R x 8 bytes  per rubric: u32 LE compressed length, u32 LE text-block length
//!   ...          the R compressed blocks, back to back, nothing after them
//! text block of one rubric (raw deflate of it is what the section holds):
//!   u16 LE       S, the number of texts (what `for_each_text` visits)
//!   S x u16 LE   byte length of each text, in that order
//!   ...          the texts' UTF-8 bytes, back to back, nothing after them
//! section, versions 5 and 6:
//!   u32 LE       D, the length of all rubrics' text blocks once decompressed
//!   ...          raw deflate of the R text blocks back to back, in bundle
//!                order (the text block of each rubric as above), nothing after
//! ```
//!
//! One stream lets the compressor find what rubrics share (labels, the
//! wording of actions), and a host inflates it once rather than per rubric.
//!
//! The order of the texts is defined once, by [`for_each_text`] (feature
//! `alloc`), which the writer and the reader both use.

use core::fmt;

use crate::limits::MAX_PROSE_BYTES;

/// Bytes before the per-rubric entries of the section table.
const COUNT_LEN: usize = 2;
/// Bytes of one per-rubric entry of the section table.
const ENTRY_LEN: usize = 8;
/// Bytes of the declared length before a version 5 stream.
const STREAM_LEN_LEN: usize = 4;

/// What can be wrong with the prose section of a version 3 bundle. Rubrics
/// are numbered from 0 in bundle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProseError {
    /// The section is shorter than its own table of lengths.
    TableTruncated {
        /// Bytes the table needs.
        needed: usize,
        /// Bytes the section has.
        found: usize,
    },
    /// The table lists a different number of rubrics than the structure holds.
    RubricCount {
        /// Rubrics in the table.
        found: usize,
        /// Rubrics in the structure.
        expected: usize,
    },
    /// The compressed lengths in the table do not add up to the section.
    PackedLengths {
        /// The sum of the compressed lengths.
        declared: usize,
        /// The bytes that follow the table.
        found: usize,
    },
    /// The texts would decompress to more than [`MAX_PROSE_BYTES`] (as the
    /// table declares them; nothing was decompressed).
    TooLarge {
        /// The declared size of all texts together.
        found: usize,
    },
    /// The compressed texts of a rubric do not decompress (damaged bytes).
    Damaged {
        /// Which rubric.
        rubric: usize,
    },
    /// The texts of a rubric decompress to another size than the table says.
    WrongLength {
        /// Which rubric.
        rubric: usize,
        /// The length the table declares.
        declared: usize,
    },
    /// The lengths at the start of a rubric's texts do not fit the texts.
    TextLengths {
        /// Which rubric.
        rubric: usize,
    },
    /// A rubric has another number of texts than its structure has places for.
    TextCount {
        /// Which rubric.
        rubric: usize,
        /// Texts in the prose section.
        found: usize,
        /// Places for texts in the structure.
        expected: usize,
    },
    /// The texts of a rubric are not UTF-8.
    NotUtf8 {
        /// Which rubric.
        rubric: usize,
        /// Offset of the first bad byte in the rubric's texts.
        offset: usize,
    },
    /// A text of a rubric ends in the middle of a character.
    SplitCharacter {
        /// Which rubric.
        rubric: usize,
        /// Which text (in the order of `for_each_text`).
        text: usize,
    },
    /// The one compressed stream of a version 5 section does not
    /// decompress (damaged bytes).
    StreamDamaged,
    /// The stream of a version 5 section decompresses to another size than
    /// the section declares.
    StreamLength {
        /// The length the section declares.
        declared: usize,
    },
    /// The texts of a version 5 section go on after the last rubric's.
    StreamTrailing {
        /// Bytes left over after the last rubric's texts.
        found: usize,
    },
    /// The bundle was made for a device and carries no texts at all.
    Omitted,
    /// The flags say the prose is omitted but a prose section follows.
    OmittedButPresent {
        /// Length of the prose section found.
        found: usize,
    },
}

impl fmt::Display for ProseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ProseError::TableTruncated { needed, found } => write!(
                f,
                "the text section is cut short: its table needs {needed} bytes, it has {found}"
            ),
            ProseError::RubricCount { found, expected } => write!(
                f,
                "the text section has texts for {found} rubrics, the bundle holds {expected}"
            ),
            ProseError::PackedLengths { declared, found } => write!(
                f,
                "the text section's table declares {declared} compressed bytes, {found} follow it"
            ),
            ProseError::TooLarge { found } => write!(
                f,
                "the texts would take {found} bytes once decompressed, over the limit of {MAX_PROSE_BYTES}"
            ),
            ProseError::Damaged { rubric } => write!(
                f,
                "the compressed texts of rubric {rubric} are damaged and do not decompress"
            ),
            ProseError::WrongLength { rubric, declared } => write!(
                f,
                "the texts of rubric {rubric} do not decompress to the {declared} bytes the table declares"
            ),
            ProseError::TextLengths { rubric } => write!(
                f,
                "the text lengths of rubric {rubric} do not add up to its texts"
            ),
            ProseError::TextCount {
                rubric,
                found,
                expected,
            } => write!(
                f,
                "rubric {rubric} has {found} texts in the text section, its structure has places for {expected}"
            ),
            ProseError::NotUtf8 { rubric, offset } => write!(
                f,
                "the texts of rubric {rubric} are not UTF-8 (bad byte at offset {offset})"
            ),
            ProseError::SplitCharacter { rubric, text } => write!(
                f,
                "text {text} of rubric {rubric} ends in the middle of a character"
            ),
            ProseError::StreamDamaged => {
                write!(f, "the compressed texts are damaged and do not decompress")
            }
            ProseError::StreamLength { declared } => write!(
                f,
                "the texts do not decompress to the {declared} bytes the text section declares"
            ),
            ProseError::StreamTrailing { found } => write!(
                f,
                "{found} bytes of texts follow the last rubric's texts"
            ),
            ProseError::Omitted => write!(
                f,
                "this bundle was made for a device and carries no texts; use the full bundle"
            ),
            ProseError::OmittedButPresent { found } => write!(
                f,
                "the bundle says its texts are omitted, yet {found} bytes of texts follow"
            ),
        }
    }
}

fn read_u16(bytes: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

fn read_u32(bytes: &[u8], at: usize) -> usize {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
}

/// The table of a prose section, checked: one entry per rubric, compressed
/// lengths that add up to the section, text lengths within [`MAX_PROSE_BYTES`].
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    section: &'a [u8],
    count: usize,
}

impl<'a> Table<'a> {
    /// Reads and checks the table of `section` for a bundle of `rubrics`
    /// rubrics. Decompresses nothing.
    pub fn read(section: &'a [u8], rubrics: usize) -> Result<Self, ProseError> {
        if section.len() < COUNT_LEN {
            return Err(ProseError::TableTruncated {
                needed: COUNT_LEN,
                found: section.len(),
            });
        }
        let count = read_u16(section, 0);
        if count != rubrics {
            return Err(ProseError::RubricCount {
                found: count,
                expected: rubrics,
            });
        }
        let table_len = COUNT_LEN + count * ENTRY_LEN;
        if section.len() < table_len {
            return Err(ProseError::TableTruncated {
                needed: table_len,
                found: section.len(),
            });
        }
        let table = Table { section, count };
        let (mut packed, mut texts) = (0usize, 0usize);
        for i in 0..count {
            let (p, t) = table.lengths(i);
            packed += p;
            texts += t;
        }
        let found = section.len() - table_len;
        if packed != found {
            return Err(ProseError::PackedLengths {
                declared: packed,
                found,
            });
        }
        if texts > MAX_PROSE_BYTES {
            return Err(ProseError::TooLarge { found: texts });
        }
        Ok(table)
    }

    /// Compressed length and text-block length of rubric `i`.
    fn lengths(&self, i: usize) -> (usize, usize) {
        let at = COUNT_LEN + i * ENTRY_LEN;
        (read_u32(self.section, at), read_u32(self.section, at + 4))
    }

    /// Rubrics in the table.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when the table lists no rubric.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Rubric `i`'s compressed block and the length it declares once
    /// decompressed. `i` must be below [`Table::len`].
    pub fn block(&self, i: usize) -> (&'a [u8], usize) {
        let mut start = COUNT_LEN + self.count * ENTRY_LEN;
        for j in 0..i {
            start += self.lengths(j).0;
        }
        let (packed, texts) = self.lengths(i);
        (&self.section[start..start + packed], texts)
    }
}

/// Reads and checks the declared length of a version 5 section (the length
/// of all text blocks once decompressed), within [`MAX_PROSE_BYTES`], and
/// returns it with the compressed stream. Decompresses nothing.
pub fn read_stream(section: &[u8]) -> Result<(usize, &[u8]), ProseError> {
    if section.len() < STREAM_LEN_LEN {
        return Err(ProseError::TableTruncated {
            needed: STREAM_LEN_LEN,
            found: section.len(),
        });
    }
    let declared = read_u32(section, 0);
    if declared > MAX_PROSE_BYTES {
        return Err(ProseError::TooLarge { found: declared });
    }
    Ok((declared, &section[STREAM_LEN_LEN..]))
}

#[cfg(feature = "alloc")]
pub use self::host::{
    fill, fill_block, for_each_text, inflate_stream, pack_section, pack_stream, take_texts,
};

#[cfg(feature = "alloc")]
mod host {
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::{ProseError, Table, COUNT_LEN, ENTRY_LEN, STREAM_LEN_LEN};
    use crate::owned::{BundlePayload, ItemKind, Rubric};

    /// Deflate level of the text blocks (miniz_oxide's scale, 0 to 10).
    const LEVEL: u8 = 10;

    /// Visits every text of `rubric` (everything that is not an id) in the
    /// one canonical order of a version 3 prose section: the rubric's title,
    /// summary and intro; each caveat; each section's title and intro; each
    /// item's prompt, help, then its descriptors, option labels or unit;
    /// each dimension's and each outcome's title and description; each
    /// band's label, explanation and actions.
    pub fn for_each_text(rubric: &mut Rubric, f: &mut dyn FnMut(&mut String)) {
        f(&mut rubric.title);
        f(&mut rubric.summary);
        f(&mut rubric.intro);
        for caveat in &mut rubric.caveats {
            f(&mut caveat.text);
        }
        for section in &mut rubric.sections {
            f(&mut section.title);
            f(&mut section.intro);
        }
        for item in &mut rubric.items {
            f(&mut item.prompt);
            f(&mut item.help);
            match &mut item.kind {
                ItemKind::Scale { descriptors, .. } => descriptors.iter_mut().for_each(&mut *f),
                ItemKind::Single { options } | ItemKind::Multi { options } => {
                    options.iter_mut().for_each(|o| f(&mut o.label));
                }
                ItemKind::Count { unit, .. } => f(unit),
                ItemKind::YesNo { .. } | ItemKind::Text => {}
            }
        }
        for dimension in &mut rubric.dimensions {
            f(&mut dimension.title);
            f(&mut dimension.description);
        }
        for outcome in &mut rubric.outcomes {
            f(&mut outcome.title);
            f(&mut outcome.description);
        }
        for band in &mut rubric.bands {
            f(&mut band.label);
            f(&mut band.explanation);
            band.actions.iter_mut().for_each(|a| f(&mut a.text));
        }
    }

    /// Moves every text out of `payload` (leaving them empty), per rubric in
    /// the order of [`for_each_text`].
    pub fn take_texts(payload: &mut BundlePayload) -> Vec<Vec<String>> {
        payload
            .rubrics
            .iter_mut()
            .map(|rubric| {
                let mut texts = Vec::new();
                for_each_text(rubric, &mut |t| texts.push(core::mem::take(t)));
                texts
            })
            .collect()
    }

    /// The text block of one rubric (see the module docs), or `None` when a
    /// text or the number of texts does not fit in 16 bits.
    fn text_block(texts: &[String]) -> Option<Vec<u8>> {
        let total: usize = texts.iter().map(String::len).sum();
        let mut out = Vec::with_capacity(COUNT_LEN + 2 * texts.len() + total);
        out.extend_from_slice(&u16::try_from(texts.len()).ok()?.to_le_bytes());
        for text in texts {
            out.extend_from_slice(&u16::try_from(text.len()).ok()?.to_le_bytes());
        }
        for text in texts {
            out.extend_from_slice(text.as_bytes());
        }
        Some(out)
    }

    /// The whole prose section for these texts (one list per rubric), or
    /// `None` when something does not fit its 16- or 32-bit length field.
    pub fn pack_section(rubrics: &[Vec<String>]) -> Option<Vec<u8>> {
        let mut table = Vec::with_capacity(COUNT_LEN + rubrics.len() * ENTRY_LEN);
        table.extend_from_slice(&u16::try_from(rubrics.len()).ok()?.to_le_bytes());
        let mut blocks = Vec::new();
        for texts in rubrics {
            let block = text_block(texts)?;
            let packed = miniz_oxide::deflate::compress_to_vec(&block, LEVEL);
            table.extend_from_slice(&u32::try_from(packed.len()).ok()?.to_le_bytes());
            table.extend_from_slice(&u32::try_from(block.len()).ok()?.to_le_bytes());
            blocks.extend_from_slice(&packed);
        }
        table.extend_from_slice(&blocks);
        Some(table)
    }

    /// The whole version 5 section for these texts (one list per rubric):
    /// the text blocks back to back, deflated as one stream. `None` when
    /// something does not fit its 16- or 32-bit length field.
    pub fn pack_stream(rubrics: &[Vec<String>]) -> Option<Vec<u8>> {
        let mut blocks = Vec::new();
        for texts in rubrics {
            blocks.extend_from_slice(&text_block(texts)?);
        }
        let packed = miniz_oxide::deflate::compress_to_vec(&blocks, LEVEL);
        let mut out = Vec::with_capacity(STREAM_LEN_LEN + packed.len());
        out.extend_from_slice(&u32::try_from(blocks.len()).ok()?.to_le_bytes());
        out.extend_from_slice(&packed);
        Some(out)
    }

    /// Decompresses a version 5 section into the rubrics' text blocks, back
    /// to back. The size is bounded by the declared length (itself within
    /// the limit) before anything is decompressed, and must be exactly it.
    pub fn inflate_stream(section: &[u8]) -> Result<Vec<u8>, ProseError> {
        let (declared, packed) = super::read_stream(section)?;
        let wrong_length = ProseError::StreamLength { declared };
        match miniz_oxide::inflate::decompress_to_vec_with_limit(packed, declared) {
            Ok(blocks) if blocks.len() == declared => Ok(blocks),
            Ok(_) => Err(wrong_length),
            Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                Err(wrong_length)
            }
            Err(_) => Err(ProseError::StreamDamaged),
        }
    }

    /// Decompresses rubric `index`'s block from `table` (versions 3 and 4)
    /// and puts its texts into `rubric` (whose texts are empty, as the
    /// structure holds them). The decompressed size is bounded by the
    /// table's declared length (itself within the limit) before anything is
    /// decompressed; the block must hold exactly the rubric's texts.
    pub fn fill(rubric: &mut Rubric, index: usize, table: &Table<'_>) -> Result<(), ProseError> {
        let (packed, declared) = table.block(index);
        let wrong_length = ProseError::WrongLength {
            rubric: index,
            declared,
        };
        let block = match miniz_oxide::inflate::decompress_to_vec_with_limit(packed, declared) {
            Ok(block) if block.len() == declared => block,
            Ok(_) => return Err(wrong_length),
            Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                return Err(wrong_length)
            }
            Err(_) => return Err(ProseError::Damaged { rubric: index }),
        };
        if fill_block(rubric, index, &block)? != block.len() {
            return Err(ProseError::TextLengths { rubric: index });
        }
        Ok(())
    }

    /// Puts the texts of rubric `index` from the text block at the start of
    /// `blocks` into `rubric` (whose texts are empty) and returns the length
    /// of that block; what follows it is left alone (the next rubric's, in a
    /// version 5 stream). The texts are checked as UTF-8 once, and their
    /// number against the structure's.
    pub fn fill_block(
        rubric: &mut Rubric,
        index: usize,
        blocks: &[u8],
    ) -> Result<usize, ProseError> {
        let lengths_wrong = ProseError::TextLengths { rubric: index };
        let Some(count) = blocks.get(..COUNT_LEN) else {
            return Err(lengths_wrong);
        };
        let count = usize::from(u16::from_le_bytes([count[0], count[1]]));
        let mut expected = 0;
        for_each_text(rubric, &mut |_| expected += 1);
        if count != expected {
            return Err(ProseError::TextCount {
                rubric: index,
                found: count,
                expected,
            });
        }
        let text_at = COUNT_LEN + 2 * count;
        let Some(lengths) = blocks.get(COUNT_LEN..text_at) else {
            return Err(lengths_wrong);
        };
        let lengths = lengths
            .chunks_exact(2)
            .map(|l| usize::from(u16::from_le_bytes([l[0], l[1]])));
        let end = text_at + lengths.clone().sum::<usize>();
        let Some(texts) = blocks.get(text_at..end) else {
            return Err(lengths_wrong);
        };
        let texts = core::str::from_utf8(texts).map_err(|e| ProseError::NotUtf8 {
            rubric: index,
            offset: text_at + e.valid_up_to(),
        })?;
        let mut lengths = lengths.enumerate();
        let mut rest = texts;
        let mut split = None;
        for_each_text(rubric, &mut |slot| {
            let Some((i, len)) = lengths.next() else {
                return;
            };
            if split.is_some() {
                return;
            }
            if !rest.is_char_boundary(len) {
                split = Some(i);
                return;
            }
            let (text, after) = rest.split_at(len);
            slot.push_str(text);
            rest = after;
        });
        match split {
            Some(text) => Err(ProseError::SplitCharacter {
                rubric: index,
                text,
            }),
            None => Ok(end),
        }
    }
}
