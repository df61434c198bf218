//! Rubric authoring: TOML sources (see `FORMAT.md`) compiled into validated,
//! deterministic, optionally signed bundles for the rubric engine.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answers;
pub mod compile;
pub mod coverage;
pub mod describe;
pub mod diagnostic;
pub mod figures;
pub mod keys;
pub mod plan;
pub mod report;
pub mod source;
pub mod templates;

pub use compile::{bundle_bytes, compile, encode_bundle, read_sources, CompileError, Source};
pub use diagnostic::Diagnostic;
pub use keys::{KeyError, SecretKey};
