//! Rubrics as spreadsheets: every shipped rubric written as `.xlsx`, read
//! back and compiled gives the same bundle byte for byte; problems name
//! their cell; hostile files are refused before the work they would cause.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::io::Write;
use std::path::PathBuf;

use kiosk::sheet::{
    read_workbook, toml_from_workbook, workbook_from_toml, write_xlsx, Cell, ReadError,
    SheetLimits,
};
use rubrics::Source;

fn bundle(name: &str, text: &str) -> Vec<u8> {
    let payload = match rubrics::compile(&[Source::in_memory(name, text)]) {
        Ok(p) => p,
        Err(e) => panic!("{name}: {e}\n{text}"),
    };
    rubrics::bundle_bytes(&payload, None).unwrap()
}

fn library() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../rubrics/library");
    let mut all: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn every_shipped_rubric_survives_a_spreadsheet_byte_for_byte() {
    let all = library();
    assert_eq!(all.len(), 15);
    for (name, text) in all {
        let book = workbook_from_toml(&text).unwrap();
        let xlsx = write_xlsx(&book).unwrap();
        let back = read_workbook(&xlsx, SheetLimits::default()).unwrap();
        let toml = toml_from_workbook(&back);
        assert!(toml.problems.is_empty(), "{name}: {:?}", toml.problems);
        assert_eq!(
            bundle(&name, &toml.text),
            bundle(&name, &text),
            "{name}: the spreadsheet compiles to another bundle\n{}",
            toml.text
        );
    }
}
