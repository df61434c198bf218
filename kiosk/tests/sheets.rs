//! Rubrics as spreadsheets: every shipped rubric written as `.xlsx`, read
//! back and compiled gives the same bundle byte for byte; problems name
//! their cell; hostile files are refused before the work they would cause.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use kiosk::sheet::{
    read_workbook, toml_from_workbook, workbook_from_toml, write_xlsx, Cell, SheetLimits,
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

/// The text of one shipped rubric, by its file name.
fn shipped(file: &str) -> String {
    library()
        .into_iter()
        .find(|(name, _)| name == file)
        .map(|(_, text)| text)
        .unwrap_or_else(|| panic!("no {file} in the library"))
}

#[test]
fn every_shipped_rubric_survives_a_spreadsheet_byte_for_byte() {
    let all = library();
    assert_eq!(all.len(), 19);
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

/// The parts of an `.xlsx`, to tamper with one.
fn parts(xlsx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).unwrap();
            (part.name().to_owned(), bytes)
        })
        .collect()
}

fn zipped(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The shipped gut check as a spreadsheet, with `edit` applied to the XML of
/// its sheet named `item` (the third sheet) or another part.
fn tampered(part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let text = &shipped("30-cross-team-gut-check.toml");
    assert!(text.contains("cross-team-gut-check"));
    let xlsx = write_xlsx(&workbook_from_toml(text).unwrap()).unwrap();
    let mut all = parts(&xlsx);
    let found = all.iter_mut().find(|(name, _)| name == part).unwrap();
    found.1 = edit(std::str::from_utf8(&found.1).unwrap()).into_bytes();
    zipped(&all)
}

fn refused(bytes: &[u8]) -> String {
    match read_workbook(bytes, SheetLimits::default()) {
        Ok(_) => panic!("a hostile spreadsheet was read"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn hostile_spreadsheets_are_refused_before_the_work_they_would_cause() {
    // Not a spreadsheet at all.
    assert!(
        refused(b"id = \"x\"").contains("not an .xlsx"),
        "{}",
        refused(b"x")
    );
    // A zip bomb: one part of 64 MiB of zeros, a few tens of kilobytes packed.
    let bomb = zipped(&[("xl/worksheets/sheet1.xml".into(), vec![0u8; 64 << 20])]);
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    assert!(refused(&bomb).contains("unpacks to more than"));
    // A cell claimed at the last column and row of a spreadsheet.
    let far = tampered("xl/worksheets/sheet2.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576" t="b"><v>1</v></c></row></sheetData>"#,
        )
    });
    let message = refused(&far);
    assert!(message.contains("item!XFD1048576"), "{message}");
    // A formula, whose cached value could say anything.
    let formula = tampered("xl/worksheets/sheet2.xml", |xml| {
        xml.replace("</sheetData>", r#"<row r="9"><c r="A9"><f>HYPERLINK("http://example.com")</f><v>0</v></c></row></sheetData>"#)
    });
    let message = refused(&formula);
    assert!(message.contains("item!A9 holds a formula"), "{message}");
    // A shared string that points nowhere.
    let nowhere = tampered("xl/worksheets/sheet2.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="9"><c r="A9" t="s"><v>99999</v></c></row></sheetData>"#,
        )
    });
    assert!(
        refused(&nowhere).contains("names shared string 99999"),
        "{}",
        refused(&nowhere)
    );
    // Too many sheets.
    let many = tampered("xl/workbook.xml", |xml| {
        let extra: String = (10..40)
            .map(|i| format!(r#"<sheet name="s{i}" sheetId="{i}" r:id="rId1"/>"#))
            .collect();
        xml.replace("</sheets>", &format!("{extra}</sheets>"))
    });
    assert!(refused(&many).contains("sheets"), "{}", refused(&many));
    // A file larger than the limit is refused before it is opened.
    let limits = SheetLimits {
        file_bytes: 100,
        ..SheetLimits::default()
    };
    assert!(read_workbook(&far, limits)
        .unwrap_err()
        .to_string()
        .contains("at most 100"));
}

#[test]
fn a_mistake_in_a_cell_is_reported_at_that_cell() {
    let text = &shipped("30-cross-team-gut-check.toml");
    let mut book = workbook_from_toml(text).unwrap();
    let items = book.sheets.iter_mut().find(|s| s.name == "item").unwrap();
    let kind = items.header.iter().position(|h| h == "kind").unwrap();
    items.rows[2][kind] = Cell::Text("yes-nope".into());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gut.xlsx");
    std::fs::write(&path, write_xlsx(&book).unwrap()).unwrap();
    let sources = kiosk::sheet::read_sources(&[path]).unwrap();
    let Err(kiosk::sheet::SourcesError::Located(found)) = sources.compile() else {
        panic!("expected located errors");
    };
    let column = kiosk::sheet::column_name(kind);
    assert_eq!(found[0].at, format!("item!{column}4"), "{found:?}");
    assert!(found[0].message.contains("yes-nope"), "{found:?}");

    // A broken list in a cell is that cell's problem, before any compiling.
    let items = book.sheets.iter_mut().find(|s| s.name == "item").unwrap();
    items.rows[2][kind] = Cell::Text("yes-no".into());
    let prompt = items.header.iter().position(|h| h == "prompt").unwrap();
    items.rows[1][prompt] = Cell::Text("[unclosed".into());
    let toml = toml_from_workbook(&book);
    let column = kiosk::sheet::column_name(prompt);
    assert_eq!(toml.problems.len(), 1);
    assert_eq!(toml.problems[0].0, format!("item!{column}3"));

    // An option whose item does not exist is said, not dropped.
    let mut fit = workbook_from_toml(&shipped("70-staff-archetype.toml")).unwrap();
    let options = fit
        .sheets
        .iter_mut()
        .find(|s| s.name == "item.option")
        .unwrap();
    options.rows[0][0] = Cell::Text("no-such-item".into());
    let toml = toml_from_workbook(&fit);
    assert_eq!(toml.problems.len(), 1, "{:?}", toml.problems);
    assert_eq!(toml.problems[0].0, "item.option!A2");
    assert!(toml.problems[0].1.contains("no-such-item"));
}
