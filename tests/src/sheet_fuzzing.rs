//! The spreadsheet reader's fuzz target (`fuzz/fuzz_targets/sheet_file.rs`)
//! and its replay (`tests/tests/fuzz_replay.rs`) share this function: a
//! rubric spreadsheet from a USB stick is read within the limits, turned
//! into TOML and compiled. Any of these may refuse it; none may panic, and
//! what is accepted is within the limits.
//!
//! A zip's checksums turn nearly every change to a packed part into a
//! refused file, so most inputs are not files but one part of one: an input
//! starting with `PK` is the file itself; otherwise its first byte picks
//! the part and the rest is that part's bytes, put into a valid container
//! (stored, not packed). An even first byte: the `content.xml` of an `.ods`.
//! An odd one: one part of the gut check written as `.xlsx` (byte / 2,
//! modulo the number of parts, in the order of [`xlsx_parts`]), the others
//! as written.

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use kiosk::sheet::{read_workbook, toml_from_workbook, SheetLimits, Workbook};

/// A fuzz target: a name and the function it runs on each input.
pub type Target = fn(&[u8]);

/// The targets of this file.
pub const TARGETS: [(&str, Target); 1] = [("sheet_file", sheet_file)];

/// The rubric whose `.xlsx` parts the odd inputs replace one of.
const GUT_CHECK: &str = include_str!("../../rubrics/library/30-cross-team-gut-check.toml");

/// The `mimetype` of an `.ods`.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// One input (see the module's documentation for what its bytes are).
pub fn sheet_file(data: &[u8]) {
    let file = as_file(data);
    let limits = SheetLimits::default();
    let Ok(book) = read_workbook(&file, limits) else {
        return;
    };
    assert_within(&book, limits);
    let toml = toml_from_workbook(&book);
    let _ = rubrics::compile(&[rubrics::Source::in_memory("fuzz.xlsx", &toml.text)]);
}

/// The file an input stands for: itself, or the part it holds put into a file.
pub fn as_file(data: &[u8]) -> Vec<u8> {
    match data {
        [b'P', b'K', ..] | [] => data.to_vec(),
        [pick, part @ ..] if pick % 2 == 0 => {
            stored(&[("mimetype", ODS_MIMETYPE), ("content.xml", part)])
        }
        [pick, part @ ..] => {
            let parts = xlsx_parts();
            if parts.is_empty() {
                return Vec::new();
            }
            let chosen = usize::from(pick / 2) % parts.len();
            let all: Vec<(&str, &[u8])> = parts
                .iter()
                .enumerate()
                .map(|(i, (name, bytes))| {
                    let bytes = if i == chosen { part } else { bytes.as_slice() };
                    (name.as_str(), bytes)
                })
                .collect();
            stored(&all)
        }
    }
}

/// What was read is within the limits it was read with.
fn assert_within(book: &Workbook, limits: SheetLimits) {
    assert!(
        book.sheets.len() <= limits.sheets,
        "{} sheets",
        book.sheets.len()
    );
    for sheet in &book.sheets {
        assert!(
            sheet.rows.len() < limits.rows as usize,
            "{} rows",
            sheet.rows.len()
        );
        let widest = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
        assert!(widest.max(sheet.header.len()) <= limits.columns as usize);
        for cell in sheet.rows.iter().flatten() {
            if let kiosk::sheet::Cell::Text(text) = cell {
                assert!(text.chars().count() <= limits.cell_chars);
            }
        }
    }
}

/// A zip of `parts`, stored as they are.
fn stored(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        if out.start_file(*name, options).is_err() || out.write_all(bytes).is_err() {
            return Vec::new();
        }
    }
    out.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// The parts of the gut check written as `.xlsx`, in the order of the file.
pub fn xlsx_parts() -> &'static [(String, Vec<u8>)] {
    static PARTS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    PARTS.get_or_init(|| {
        let Ok(book) = kiosk::sheet::workbook_from_toml(GUT_CHECK) else {
            return Vec::new();
        };
        let Ok(xlsx) = kiosk::sheet::write_xlsx(&book) else {
            return Vec::new();
        };
        unzipped(&xlsx)
    })
}

/// The parts of a zip, in order (none if it does not open).
fn unzipped(file: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(file)) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let mut bytes = Vec::new();
        if part.read_to_end(&mut bytes).is_ok() {
            parts.push((part.name().to_owned(), bytes));
        }
    }
    parts
}

/// The seeds: every shipped rubric as a spreadsheet.
pub fn sheet_seeds() -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(crate::library_dir()) else {
        return Vec::new();
    };
    let mut seeds = Vec::new();
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(book) = kiosk::sheet::workbook_from_toml(&text) else {
            continue;
        };
        let Ok(bytes) = kiosk::sheet::write_xlsx(&book) else {
            continue;
        };
        let name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        seeds.push((format!("{name}.xlsx"), bytes));
    }
    seeds.sort();
    seeds
}

/// More seeds: the `.ods` fixtures (`kiosk/tests/fixtures/sheets/`), as
/// files and as their `content.xml` (after an even byte), and each part of
/// the gut check's `.xlsx` after the odd byte that picks it.
pub fn sheet_part_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let fixtures = crate::library_dir().join("../../kiosk/tests/fixtures/sheets");
    let entries = std::fs::read_dir(fixtures).into_iter().flatten();
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.extension().is_none_or(|e| e != "ods") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let parts = unzipped(&bytes);
        if let Some((_, content)) = parts.into_iter().find(|(n, _)| n == "content.xml") {
            let mut input = vec![0u8];
            input.extend(content);
            seeds.push((format!("{name}.content-xml"), input));
        }
        seeds.push((format!("{name}.ods"), bytes));
    }
    for (i, (name, bytes)) in xlsx_parts().iter().enumerate() {
        let Ok(pick) = u8::try_from(2 * i + 1) else {
            break;
        };
        let mut input = vec![pick];
        input.extend(bytes);
        let name = name.replace('/', "_");
        seeds.push((format!("xlsx-part-{i:02}-{name}"), input));
    }
    seeds.sort();
    seeds
}
