#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod answer;
pub mod codec;
pub mod crc;
pub mod flow;
pub mod golden;
pub mod limits;
pub mod model;
#[cfg(feature = "alloc")]
pub mod owned;
pub mod prose;
pub mod score;
pub mod seq;
pub mod validate;
pub mod visibility;

pub use answer::{Answer, AnswerError, Answers};
pub use codec::{Bundle, BundleError, Header, KeyId, SignatureBlock, TrustedKey};
pub use flow::{FlowError, Progress, Runner};
pub use limits::Limit;
pub use model::{BundlePayload, Rubric};
pub use score::{
    contributions, full_max, score, Contribution, DimensionScore, OutcomeFit, ScoreResult, Verdict,
};
pub use seq::Seq;
pub use validate::{validate_payload, validate_rubric, Issue, Location, Problem};
pub use visibility::{visible_items, VisibleSet};
