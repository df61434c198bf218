//! [`Seq`]: a lazily decoded, zero-copy sequence inside a bundle payload.
//!
//! Nested lists (items of a rubric, options of an item, ...) are stored as a
//! postcard byte string whose content is a varint element count followed by the
//! postcard encoding of each element. Decoding a bundle therefore never needs
//! an allocator or a fixed-capacity buffer sized for the largest rubric: a
//! `Seq` is just a borrowed slice, and elements are decoded one at a time when
//! iterated. Bundles are walked completely by validation before use, so a `Seq`
//! reached through a validated [`crate::Bundle`] always decodes cleanly.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A borrowed, lazily decoded sequence of `T`.
pub struct Seq<'a, T> {
    bytes: &'a [u8],
    _elem: PhantomData<fn() -> T>,
}

impl<'a, T> Clone for Seq<'a, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<'a, T> Copy for Seq<'a, T> {}

impl<'a, T> PartialEq for Seq<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<'a, T> Eq for Seq<'a, T> {}

impl<'a, T> Seq<'a, T> {
    /// An empty sequence.
    pub const EMPTY: Seq<'static, T> = Seq {
        bytes: &[0],
        _elem: PhantomData,
    };

    /// Wraps raw sequence bytes (a varint count followed by the elements).
    /// Nothing is checked here; use [`Seq::try_iter`] to check.
    pub const fn from_raw(bytes: &'a [u8]) -> Self {
        Seq {
            bytes,
            _elem: PhantomData,
        }
    }

    /// The raw bytes, as stored in the bundle.
    pub const fn raw(&self) -> &'a [u8] {
        self.bytes
    }

    fn split_count(&self) -> Option<(usize, &'a [u8])> {
        postcard::take_from_bytes::<u16>(self.bytes)
            .ok()
            .map(|(n, rest)| (usize::from(n), rest))
    }

    /// The declared number of elements (0 if the count itself is malformed).
    pub fn len(&self) -> usize {
        self.split_count().map_or(0, |(n, _)| n)
    }

    /// True when the sequence has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a, T: Deserialize<'a>> Seq<'a, T> {
    /// Iterates the elements, stopping early at the first malformed one.
    ///
    /// On a sequence from a validated bundle this yields every element.
    pub fn iter(&self) -> SeqIter<'a, T> {
        let (remaining, rest) = self.split_count().unwrap_or((0, &[]));
        SeqIter {
            rest,
            remaining,
            _elem: PhantomData,
        }
    }

    /// Iterates the elements, reporting malformed bytes as errors. After the
    /// last element, any unconsumed byte is reported as
    /// [`SeqError::TrailingBytes`].
    pub fn try_iter(&self) -> TrySeqIter<'a, T> {
        match self.split_count() {
            Some((remaining, rest)) => TrySeqIter {
                rest,
                remaining,
                failed: false,
                _elem: PhantomData,
            },
            None => TrySeqIter {
                rest: &[],
                remaining: 0,
                failed: true,
                _elem: PhantomData,
            },
        }
    }

    /// The element at `index`, decoding the elements before it.
    pub fn get(&self, index: usize) -> Option<T> {
        self.iter().nth(index)
    }
}

/// Why a sequence could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SeqError {
    /// The count or an element is not valid postcard for its type.
    Malformed,
    /// Bytes remain after the declared number of elements.
    TrailingBytes,
}

/// Iterator returned by [`Seq::iter`].
pub struct SeqIter<'a, T> {
    rest: &'a [u8],
    remaining: usize,
    _elem: PhantomData<fn() -> T>,
}

impl<'a, T: Deserialize<'a>> Iterator for SeqIter<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        match postcard::take_from_bytes::<T>(self.rest) {
            Ok((value, rest)) => {
                self.rest = rest;
                self.remaining -= 1;
                Some(value)
            }
            Err(_) => {
                self.remaining = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining))
    }
}

/// Iterator returned by [`Seq::try_iter`].
pub struct TrySeqIter<'a, T> {
    rest: &'a [u8],
    remaining: usize,
    failed: bool,
    _elem: PhantomData<fn() -> T>,
}

impl<'a, T> TrySeqIter<'a, T> {
    /// The declared number of elements not yet yielded (0 if the count
    /// itself is malformed): on a new iterator, what [`Seq::len`] returns,
    /// without decoding the count a second time.
    pub fn declared(&self) -> usize {
        self.remaining
    }
}

impl<'a, T: Deserialize<'a>> Iterator for TrySeqIter<'a, T> {
    type Item = Result<T, SeqError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            self.failed = false;
            self.rest = &[];
            return Some(Err(SeqError::Malformed));
        }
        if self.remaining == 0 {
            if self.rest.is_empty() {
                return None;
            }
            self.rest = &[];
            return Some(Err(SeqError::TrailingBytes));
        }
        match postcard::take_from_bytes::<T>(self.rest) {
            Ok((value, rest)) => {
                self.rest = rest;
                self.remaining -= 1;
                Some(Ok(value))
            }
            Err(_) => {
                self.remaining = 0;
                self.rest = &[];
                Some(Err(SeqError::Malformed))
            }
        }
    }
}

impl<'a, T> fmt::Debug for Seq<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Seq(len {}, {} bytes)", self.len(), self.bytes.len())
    }
}

impl<'a, T> Serialize for Seq<'a, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.bytes)
    }
}

impl<'de: 'a, 'a, T> Deserialize<'de> for Seq<'a, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BorrowedBytes;
        impl<'de> Visitor<'de> for BorrowedBytes {
            type Value = &'de [u8];
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("borrowed sequence bytes")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
                Ok(v)
            }
        }
        deserializer
            .deserialize_bytes(BorrowedBytes)
            .map(Seq::from_raw)
    }
}

/// Encodes a list of elements as [`Seq`] bytes (host side).
#[cfg(feature = "alloc")]
pub fn encode_seq<T: Serialize>(items: &[T]) -> Result<alloc::vec::Vec<u8>, postcard::Error> {
    let count =
        u16::try_from(items.len()).map_err(|_| postcard::Error::SerializeSeqLengthUnknown)?;
    let mut out = postcard::to_allocvec(&count)?;
    for item in items {
        out.extend_from_slice(&postcard::to_allocvec(item)?);
    }
    Ok(out)
}
