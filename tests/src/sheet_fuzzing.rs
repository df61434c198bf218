//! The spreadsheet reader's fuzz target (`fuzz/fuzz_targets/sheet_file.rs`)
//! and its replay (`tests/tests/fuzz_replay.rs`) share this function: a
//! rubric spreadsheet from a USB stick is read within the limits, turned
//! into TOML and compiled. Any of these may refuse it; none may panic.

use kiosk::sheet::{read_workbook, toml_from_workbook, SheetLimits};

/// A fuzz target: a name and the function it runs on each input.
pub type Target = fn(&[u8]);

/// The targets of this file.
pub const TARGETS: [(&str, Target); 1] = [("sheet_file", sheet_file)];

/// One input: the bytes of a would-be `.xlsx`.
pub fn sheet_file(data: &[u8]) {
    let Ok(book) = read_workbook(data, SheetLimits::default()) else {
        return;
    };
    let toml = toml_from_workbook(&book);
    let _ = rubrics::compile(&[rubrics::Source::in_memory("fuzz.xlsx", &toml.text)]);
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
