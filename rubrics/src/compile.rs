//! Compiling sources into a bundle: parse, check with the engine's own
//! validation, encode deterministically, optionally sign.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rubric_engine::codec::{encode_v5, expand_bundle, sign_container, Prose};
use rubric_engine::owned::{BundlePayload, Rubric};
use rubric_engine::{validate_rubric, Bundle, BundleError, Issue, Location, Problem};

use crate::diagnostic::{Diagnostic, Found};
use crate::keys::SecretKey;
use crate::source::{parse, Parsed, Spans};

/// Largest rubric source file read, in bytes. The largest shipped source is
/// about 12 KB, and a bundle payload is capped at 1 MiB
/// ([`rubric_engine::limits::MAX_PAYLOAD_BYTES`]).
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;

/// One source file and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where it came from (used in diagnostics).
    pub path: PathBuf,
    /// Its contents.
    pub text: String,
}

impl Source {
    /// A source held in memory (a test, a fuzz input, an editor buffer);
    /// `name` stands in for the path in diagnostics.
    pub fn in_memory(name: &str, text: &str) -> Self {
        Source {
            path: PathBuf::from(name),
            text: text.to_string(),
        }
    }
}

/// Why compiling failed.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// A file or folder could not be read.
    // The cause is part of the message, not a `source`, so that a report of
    // the whole chain does not say it twice.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        error: io::Error,
    },
    /// No `.toml` sources were found.
    #[error("no .toml rubric sources found in {0}")]
    NoSources(String),
    /// A source file is larger than [`MAX_SOURCE_BYTES`].
    #[error("{} is larger than the limit of {limit} bytes for a rubric source", path.display())]
    SourceTooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, [`MAX_SOURCE_BYTES`].
        limit: usize,
    },
    /// Every rubric is valid on its own, but the bundle they make together
    /// would be refused by the decoder (its payload is too large, say).
    #[error("the compiled bundle would be refused by every kiosk: {0}")]
    Refused(BundleError),
    /// The payload could not be encoded.
    #[error("cannot encode the bundle: {0}")]
    Encode(postcard::Error),
    /// The sources have problems; every one is listed.
    #[error("{}", render(.0))]
    Diagnostics(Vec<Diagnostic>),
}

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!("{} error(s)", diagnostics.len()));
    out
}

/// Expands files and folders (their `*.toml` files, sorted by name) and reads them.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>, CompileError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |error| CompileError::Io { path, error }
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(path)
                .map_err(io_err(path))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(CompileError::NoSources(names.join(", ")));
    }
    files
        .into_iter()
        .map(|path| {
            let bytes = read_limited(&path, MAX_SOURCE_BYTES)?;
            let text = String::from_utf8(bytes).map_err(|e| CompileError::Io {
                path: path.clone(),
                error: io::Error::new(io::ErrorKind::InvalidData, format!("not UTF-8 text: {e}")),
            })?;
            Ok(Source { path, text })
        })
        .collect()
}

/// Reads at most `limit` bytes of `path`, refusing a larger file by name.
fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, CompileError> {
    let io_err = |error| CompileError::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut bytes = Vec::new();
    fs::File::open(path)
        .map_err(io_err)?
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() > limit {
        return Err(CompileError::SourceTooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// Compiles sources into a payload, collecting every problem of every file.
pub fn compile(sources: &[Source]) -> Result<BundlePayload, CompileError> {
    let mut diagnostics = Vec::new();
    let mut rubrics: Vec<(Rubric, &Source, Spans)> = Vec::new();
    for source in sources {
        match parse(&source.text) {
            Err(found) => diagnostics.extend(
                found
                    .into_iter()
                    .map(|f| f.locate(&source.path, &source.text)),
            ),
            Ok(Parsed { rubric, spans }) => {
                let problems = engine_check(&rubric, &spans);
                if problems.is_empty() {
                    rubrics.push((rubric, source, spans));
                } else {
                    diagnostics.extend(
                        problems
                            .into_iter()
                            .map(|f| f.locate(&source.path, &source.text)),
                    );
                }
            }
        }
    }
    for (i, (rubric, source, spans)) in rubrics.iter().enumerate() {
        if let Some((_, first, _)) = rubrics[..i].iter().find(|(r, _, _)| r.id == rubric.id) {
            diagnostics.push(
                Found::new(
                    spans.rubric.clone(),
                    format!(
                        "rubric id `{}` is already used by {}",
                        rubric.id,
                        first.path.display()
                    ),
                )
                .help("every rubric in a bundle needs its own id")
                .locate(&source.path, &source.text),
            );
        }
    }
    let limit = rubric_engine::limits::MAX_RUBRICS;
    if rubrics.len() > limit {
        if let Some((_, source, spans)) = rubrics.get(limit) {
            diagnostics.push(
                Found::new(
                    spans.rubric.clone(),
                    format!(
                        "a bundle holds at most {limit} rubrics; this is number {}",
                        limit + 1
                    ),
                )
                .locate(&source.path, &source.text),
            );
        }
    }
    if !diagnostics.is_empty() {
        return Err(CompileError::Diagnostics(diagnostics));
    }
    let payload = BundlePayload {
        rubrics: rubrics.into_iter().map(|(r, _, _)| r).collect(),
    };
    decodes(&payload)?;
    Ok(payload)
}

/// Refuses a payload the decoder would refuse: limits that hold for the
/// bundle as a whole (its payload size) and not for any one rubric. Both
/// what the device reads (the structure) and what a host reads (the texts
/// expanded back into the payload) are checked.
fn decodes(payload: &BundlePayload) -> Result<(), CompileError> {
    let bytes = bundle_bytes(payload, None).map_err(CompileError::Encode)?;
    let checked = Bundle::decode(&bytes)
        .and_then(|_| expand_bundle(&bytes))
        .and_then(|inline| Bundle::decode(&inline).map(|_| ()));
    checked.map_err(CompileError::Refused)
}

/// Encodes a payload into bundle bytes (format version 5: the structure,
/// then the texts of all rubrics compressed as one stream), signed if a key
/// is given.
/// The same payload always gives the same bytes.
pub fn bundle_bytes(
    payload: &BundlePayload,
    key: Option<&SecretKey>,
) -> Result<Vec<u8>, postcard::Error> {
    encode_bundle(payload, Prose::Included, key)
}

/// Like [`bundle_bytes`], with the texts left out when `prose` is
/// [`Prose::Omitted`]: the structure alone, for a device that only scores
/// (format version 3, or 4 when a verdict has a fallback outcome: with no
/// texts, version 5 would add nothing, and older firmware keeps reading it).
pub fn encode_bundle(
    payload: &BundlePayload,
    prose: Prose,
    key: Option<&SecretKey>,
) -> Result<Vec<u8>, postcard::Error> {
    let bytes = encode_v5(payload, prose)?;
    match key {
        None => Ok(bytes),
        // The bytes were just written, so their container is sound.
        Some(key) => sign_container(&bytes, key.key_id(), |message| key.sign(message))
            .map_err(|_| postcard::Error::SerializeBufferFull),
    }
}

/// Runs the engine's validation on one rubric and turns each issue into a
/// located, worded problem.
fn engine_check(rubric: &Rubric, spans: &Spans) -> Vec<Found> {
    let bytes = match rubric.encode() {
        Ok(bytes) => bytes,
        Err(e) => {
            return vec![Found::new(
                spans.rubric.clone(),
                format!("cannot encode this rubric: {e}"),
            )]
        }
    };
    let view: rubric_engine::Rubric<'_> = match postcard::from_bytes(&bytes) {
        Ok(view) => view,
        Err(e) => {
            return vec![Found::new(
                spans.rubric.clone(),
                format!("cannot encode this rubric: {e}"),
            )]
        }
    };
    let mut issues = Vec::new();
    validate_rubric(&view, 0, &mut |issue| issues.push(issue));
    issues
        .into_iter()
        .map(|issue| word(rubric, spans, &view, issue))
        .collect()
}

fn span_of(spans: &Spans, at: Location) -> std::ops::Range<usize> {
    let pick = |list: &Vec<std::ops::Range<usize>>, i: u8| list.get(usize::from(i)).cloned();
    let span = match at {
        Location::Bundle | Location::Rubric => None,
        Location::Caveat(i) => pick(&spans.caveats, i),
        Location::Section(i) => pick(&spans.sections, i),
        Location::Item(i) => pick(&spans.items, i),
        Location::Option { item, option } => spans
            .options
            .get(usize::from(item))
            .and_then(|o| pick(o, option)),
        Location::Dimension(i) => pick(&spans.dimensions, i),
        Location::Outcome(i) => pick(&spans.outcomes, i),
        Location::Band(i) => pick(&spans.bands, i),
        Location::VerdictRule => Some(spans.verdict.clone()),
        Location::GridCell(i) => pick(&spans.cells, i),
        _ => None,
    };
    span.unwrap_or_else(|| spans.rubric.clone())
}

/// The id of band `i`, or `?` when there is none.
fn band_id(rubric: &Rubric, i: u8) -> &str {
    rubric
        .bands
        .get(usize::from(i))
        .map_or("?", |b| b.id.as_str())
}

/// The id of dimension `i`, or `?` when there is none.
fn dimension_id(rubric: &Rubric, i: u8) -> &str {
    rubric
        .dimensions
        .get(usize::from(i))
        .map_or("?", |d| d.id.as_str())
}

/// How a diagnostic names the place an engine issue points at: "item `x`",
/// "band `y`", "[verdict]" ...
fn location_name(rubric: &Rubric, at: Location) -> String {
    let band_id = |i: u8| band_id(rubric, i);
    let dim_id = |i: u8| dimension_id(rubric, i);
    match at {
        Location::Item(i) => format!(
            "item `{}`",
            rubric
                .items
                .get(usize::from(i))
                .map_or("?", |x| x.id.as_str())
        ),
        Location::Band(i) => format!("band `{}`", band_id(i)),
        Location::Dimension(i) => format!("dimension `{}`", dim_id(i)),
        Location::Section(i) => format!(
            "section `{}`",
            rubric
                .sections
                .get(usize::from(i))
                .map_or("?", |x| x.id.as_str())
        ),
        Location::Outcome(i) => format!(
            "outcome `{}`",
            rubric
                .outcomes
                .get(usize::from(i))
                .map_or("?", |x| x.id.as_str())
        ),
        Location::Option { item, option } => {
            let item = rubric.items.get(usize::from(item));
            let option_id = item
                .and_then(|it| match &it.kind {
                    rubric_engine::owned::ItemKind::Single { options }
                    | rubric_engine::owned::ItemKind::Multi { options } => {
                        options.get(usize::from(option)).map(|o| o.id.clone())
                    }
                    _ => None,
                })
                .unwrap_or_default();
            format!(
                "option `{option_id}` of item `{}`",
                item.map_or("?", |x| x.id.as_str())
            )
        }
        Location::VerdictRule => "[verdict]".to_string(),
        Location::GridCell(i) => format!("verdict cell {}", i + 1),
        _ => format!("rubric `{}`", rubric.id),
    }
}

fn word(rubric: &Rubric, spans: &Spans, view: &rubric_engine::Rubric<'_>, issue: Issue) -> Found {
    let band_id = |i: u8| band_id(rubric, i);
    let dim_id = |i: u8| dimension_id(rubric, i);
    let what = location_name(rubric, issue.at);
    let mut span = span_of(spans, issue.at);
    let message = match issue.problem {
        Problem::BandGap { from, to } => {
            let d = match issue.at {
                Location::Dimension(d) => d,
                _ => 0,
            };
            let ends = rubric.bands.iter().find(|b| {
                b.scope == rubric_engine::model::BandScope::Dimension(d)
                    && from > 0
                    && b.hi == from - 1
            });
            let starts = rubric.bands.iter().find(|b| {
                b.scope == rubric_engine::model::BandScope::Dimension(d)
                    && b.lo == to.saturating_add(1)
            });
            // Point at the band right after the gap, where the author will look.
            let after = starts
                .or(ends)
                .and_then(|b| rubric.bands.iter().position(|x| std::ptr::eq(x, b)));
            if let Some(i) = after {
                span = span_of(spans, Location::Band(i as u8));
            }
            let scores = if from == to {
                format!("score {from} has")
            } else {
                format!("scores {from}-{to} have")
            };
            match (ends, starts) {
                (Some(a), Some(b)) => format!(
                    "band `{}` ends at {} but `{}` starts at {}: {scores} no band",
                    a.id, a.hi, b.id, b.lo
                ),
                (Some(a), None) => format!(
                    "band `{}` ends at {} but the highest possible score is {to}: {scores} no band",
                    a.id, a.hi
                ),
                (None, Some(b)) => format!("band `{}` starts at {}: {scores} no band", b.id, b.lo),
                (None, None) => format!("{what}: {scores} no band"),
            }
        }
        Problem::BandOverlap { other, from, to } => {
            format!(
                "band `{}` and band `{}` both cover {from}-{to}; each score needs exactly one band",
                band_id(other),
                band_id_at(rubric, issue.at)
            )
        }
        Problem::BandBeyondRange { hi, top } => {
            let d = match rubric.bands.get(band_index(issue.at)).map(|b| b.scope) {
                Some(rubric_engine::model::BandScope::Dimension(d)) => dim_id(d),
                _ => "?",
            };
            format!("{what} ends at {hi}, but dimension `{d}` can only reach {top}")
        }
        Problem::GridCellCount {
            x_band,
            y_band,
            found,
        } => format!(
            "[verdict] has {found} cells for first = `{}` and second = `{}`; give exactly one",
            band_id(x_band),
            band_id(y_band)
        ),
        Problem::DuplicateId { .. } => {
            format!("{what}: this id is already used; ids must be unique")
        }
        Problem::DuplicateOutcomeBand { first } => {
            let outcome = match rubric.bands.get(band_index(issue.at)).map(|b| b.scope) {
                Some(rubric_engine::model::BandScope::Outcome(o)) => rubric
                    .outcomes
                    .get(usize::from(o))
                    .map_or("?", |o| o.id.as_str()),
                _ => "?",
            };
            format!(
                "{what}: outcome `{outcome}` already has band `{}`; an outcome has at most one band",
                band_id(first)
            )
        }
        // At the verdict rule itself (not a grid cell), only a floor names a band.
        Problem::WrongBandScope { band } if issue.at == Location::VerdictRule => {
            let dimension = match rubric.verdict_rule {
                rubric_engine::owned::VerdictRule::DimensionWithFloor { dimension, .. } => {
                    dim_id(dimension)
                }
                _ => "?",
            };
            format!(
                "[verdict]: the floor's `at-most` must be a band of dimension `{dimension}`, and `{}` is not",
                band_id(band)
            )
        }
        Problem::NoBands { dimension } => format!(
            "the verdict uses dimension `{}`, which has no bands",
            dim_id(dimension)
        ),
        other => format!("{what}: {other}"),
    };
    let _ = view;
    Found::new(span, message)
}

fn band_index(at: Location) -> usize {
    match at {
        Location::Band(i) => usize::from(i),
        _ => usize::MAX,
    }
}

fn band_id_at(rubric: &Rubric, at: Location) -> &str {
    rubric
        .bands
        .get(band_index(at))
        .map_or("?", |b| b.id.as_str())
}
