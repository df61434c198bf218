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

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheets")
}

/// The `.ods` fixtures: shipped rubrics written as `.xlsx` by `convert`,
/// opened and saved as `.ods` by LibreOffice (see the folder's README).
fn ods_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ods"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read(&p).unwrap())
        })
        .collect();
    all.sort();
    all
}

#[test]
fn a_shipped_rubric_saved_as_ods_by_libreoffice_compiles_to_the_bundle_of_its_toml() {
    let all = ods_fixtures();
    assert!(all.len() >= 3, "{}", all.len());
    let library = library();
    for (stem, ods) in all {
        let (name, text) = library
            .iter()
            .find(|(name, _)| *name == format!("{stem}.toml"))
            .unwrap_or_else(|| panic!("{stem}.ods has no shipped rubric of its name"));
        let book = read_workbook(&ods, SheetLimits::default()).unwrap_or_else(|e| panic!("{e}"));
        let toml = toml_from_workbook(&book);
        assert!(toml.problems.is_empty(), "{name}: {:?}", toml.problems);
        assert_eq!(
            bundle(name, &toml.text),
            bundle(name, text),
            "{name}: the .ods compiles to another bundle\n{}",
            toml.text
        );
        // The same sheets and cells as the .xlsx the rubric is written as.
        let xlsx = write_xlsx(&workbook_from_toml(text).unwrap()).unwrap();
        let from_xlsx = read_workbook(&xlsx, SheetLimits::default()).unwrap();
        let names = |b: &kiosk::sheet::Workbook| -> Vec<String> {
            b.sheets.iter().map(|s| s.name.clone()).collect()
        };
        assert_eq!(names(&book), names(&from_xlsx), "{name}");
        assert_eq!(toml.text, toml_from_workbook(&from_xlsx).text, "{name}");
    }
}

/// The gut check's `.ods` fixture with `edit` applied to its `content.xml`.
fn tampered_ods(edit: impl Fn(&str) -> String) -> Vec<u8> {
    let ods = std::fs::read(fixtures().join("30-cross-team-gut-check.ods")).unwrap();
    let mut all = parts(&ods);
    let found = all
        .iter_mut()
        .find(|(name, _)| name == "content.xml")
        .unwrap();
    found.1 = edit(std::str::from_utf8(&found.1).unwrap()).into_bytes();
    zipped(&all)
}

/// Replaces the first occurrence of `from` (which must be there).
fn first(xml: &str, from: &str, to: &str) -> String {
    assert!(xml.contains(from), "{from} is not in content.xml");
    xml.replacen(from, to, 1)
}

#[test]
fn a_mistake_in_an_ods_cell_is_reported_at_that_cell() {
    let ods = std::fs::read(fixtures().join("30-cross-team-gut-check.ods")).unwrap();
    let book = read_workbook(&ods, SheetLimits::default()).unwrap();
    // Where the first `yes-no` is, by the sheets as read.
    let (sheet, row, column) = book
        .sheets
        .iter()
        .find_map(|s| {
            s.rows.iter().enumerate().find_map(|(r, cells)| {
                let c = cells
                    .iter()
                    .position(|c| *c == Cell::Text("yes-no".into()))?;
                Some((s.name.clone(), r + 2, c))
            })
        })
        .unwrap();
    let bad =
        tampered_ods(|xml| first(xml, "<text:p>yes-no</text:p>", "<text:p>yes-nope</text:p>"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gut.ods");
    std::fs::write(&path, bad).unwrap();
    let sources = kiosk::sheet::read_sources(&[path]).unwrap();
    let Err(kiosk::sheet::SourcesError::Located(found)) = sources.compile() else {
        panic!("expected located errors");
    };
    let column = kiosk::sheet::column_name(column);
    assert_eq!(found[0].at, format!("{sheet}!{column}{row}"), "{found:?}");
    assert!(found[0].message.contains("yes-nope"), "{found:?}");
}

fn ods_refused(bytes: &[u8]) -> String {
    match read_workbook(bytes, SheetLimits::default()) {
        Ok(_) => panic!("a hostile .ods was read"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn hostile_ods_files_are_refused_before_the_work_they_would_cause() {
    let mimetype = (
        "mimetype".to_owned(),
        b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
    );
    // A zip bomb: content.xml of 64 MiB of zeros, a few tens of kilobytes packed.
    let bomb = zipped(&[
        mimetype.clone(),
        ("content.xml".into(), vec![0u8; 64 << 20]),
    ]);
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let message = ods_refused(&bomb);
    assert!(message.contains("unpacks to more than"), "{message}");
    // No content.xml at all.
    let message = ods_refused(&zipped(&[mimetype]));
    assert!(message.contains("no content.xml"), "{message}");
    // A formula, whose cached value could say anything.
    let formula = tampered_ods(|xml| {
        first(
            xml,
            r#"<table:table-cell table:style-name="ce1" office:value-type="string""#,
            r#"<table:table-cell table:formula="of:=WEBSERVICE(&quot;http://example.com&quot;)" table:style-name="ce1" office:value-type="string""#,
        )
    });
    let message = ods_refused(&formula);
    assert!(
        message.contains("rubric!A1 holds a formula (`=WEBSERVICE(\"http://example.com\")`)"),
        "{message}"
    );
    // A cell repeated to the last column of a spreadsheet: refused, not made 16,384 times.
    let wide = tampered_ods(|xml| {
        first(
            xml,
            r#"<table:table-cell table:style-name="ce1" office:value-type="string""#,
            r#"<table:table-cell table:number-columns-repeated="16384" table:style-name="ce1" office:value-type="string""#,
        )
    });
    let message = ods_refused(&wide);
    assert!(
        message.contains("rubric!CW1: a rubric's sheet ends at row 2000 and column CV"),
        "{message}"
    );
    // A row of text repeated a million times.
    let tall = tampered_ods(|xml| {
        first(
            xml,
            r#"<table:table-row table:style-name="ro1">"#,
            r#"<table:table-row table:style-name="ro1" table:number-rows-repeated="1048576">"#,
        )
    });
    let message = ods_refused(&tall);
    assert!(
        message.contains("rubric!A2001: a rubric's sheet ends at row 2000"),
        "{message}"
    );
    // Within the bounds, but 8,000 characters copied 100 x 2,000 times.
    let long = "x".repeat(8_000);
    let copies = tampered_ods(|xml| {
        let cells = format!(
            r#"<table:table-row table:number-rows-repeated="1999"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>{long}</text:p></table:table-cell></table:table-row>"#
        );
        let row = r#"<table:table-row table:style-name="ro1">"#;
        first(xml, row, &format!("{cells}{row}"))
    });
    let message = ods_refused(&copies);
    assert!(
        message.contains("unpacks to more than 33554432 bytes of cell text"),
        "{message}"
    );
}

#[test]
fn damaged_or_locked_ods_files_are_refused_saying_what_is_wrong() {
    // A repeat count that is not one.
    let zero = tampered_ods(|xml| {
        first(
            xml,
            r#"<table:table-row table:style-name="ro1">"#,
            r#"<table:table-row table:number-rows-repeated="0">"#,
        )
    });
    let message = ods_refused(&zero);
    assert!(message.contains("repeated \"0\" times"), "{message}");
    // Damaged XML, and a password-protected file.
    let damaged = tampered_ods(|xml| first(xml, "</table:table-row>", "</table:table-cell>"));
    assert!(
        ods_refused(&damaged).contains("content.xml is damaged near byte"),
        "{}",
        ods_refused(&damaged)
    );
    let ods = std::fs::read(fixtures().join("30-cross-team-gut-check.ods")).unwrap();
    let mut locked = parts(&ods);
    let manifest = locked
        .iter_mut()
        .find(|(n, _)| n == "META-INF/manifest.xml")
        .unwrap();
    let text = String::from_utf8(manifest.1.clone()).unwrap();
    manifest.1 = first(
        &text,
        "</manifest:manifest>",
        r#"<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#,
    )
    .into_bytes();
    assert!(ods_refused(&zipped(&locked)).contains("password"));
    // Too many sheets.
    let many = tampered_ods(|xml| {
        let extra: String = (0..30)
            .map(|i| format!(r#"<table:table table:name="s{i}"/>"#))
            .collect();
        first(
            xml,
            "</office:spreadsheet>",
            &format!("{extra}</office:spreadsheet>"),
        )
    });
    assert!(
        ods_refused(&many).contains("has 34 sheets; a rubric has at most 20"),
        "{}",
        ods_refused(&many)
    );
}

#[test]
fn convert_turns_an_ods_into_the_toml_and_says_it_writes_xlsx_only() {
    let dir = tempfile::tempdir().unwrap();
    let ods = dir.path().join("gut.ods");
    std::fs::copy(fixtures().join("30-cross-team-gut-check.ods"), &ods).unwrap();
    let toml = dir.path().join("gut.toml");
    let run = |args: &[&std::path::Path]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rubric-kiosk"))
            .arg("convert")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[&ods, "-o".as_ref(), &toml]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&toml).unwrap();
    let name = "30-cross-team-gut-check.toml";
    assert_eq!(bundle("gut.toml", &text), bundle(name, &shipped(name)));
    // An .ods is not written: the message says how to get one, and nothing is.
    let back = dir.path().join("back.ods");
    let out = run(&[&toml, "-o".as_ref(), &back]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("convert writes .xlsx, not .ods"), "{said}");
    assert!(!back.exists());
}

#[test]
fn a_shared_string_table_shorter_than_it_looks_is_refused_not_a_panic() {
    // An `<si>` without text is no string to calamine, so the table holds
    // one string fewer than it has `<si>` entries, and the cell naming the
    // last one pointed past calamine's table (the fuzz target found a
    // mutation that did this; calamine panicked on it).
    let short = tampered("xl/sharedStrings.xml", |xml| {
        let last = xml.rfind("<si>").unwrap();
        format!("{}<si/></sst>", &xml[..last])
    });
    let message = refused(&short);
    assert!(
        message.contains("names shared string 54, but the table holds 54"),
        "{message}"
    );
    let found = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/regressions/sheet_file/shared-string-table-shorter-than-its-si-count"),
    )
    .unwrap();
    // The fuzz input is one byte picking the part, then the part.
    let mutated = tampered("xl/sharedStrings.xml", |_| {
        String::from_utf8_lossy(&found[1..]).into_owned()
    });
    let message = refused(&mutated);
    assert!(message.contains("names shared string"), "{message}");
}

#[test]
fn a_cell_reference_that_is_not_one_is_refused_not_a_panic() {
    // calamine subtracts a range's start from its end and adds up a
    // reference's digits unchecked: both overflowed (the fuzz target found
    // the first, a dimension `K1:B10`).
    let set_dimension = |to: &'static str| {
        tampered("xl/worksheets/sheet2.xml", move |xml| {
            let start = xml.find(r#"<dimension ref=""#).unwrap() + 16;
            let end = start + xml[start..].find('"').unwrap();
            format!("{}{to}{}", &xml[..start], &xml[end..])
        })
    };
    let message = refused(&set_dimension("K1:B10"));
    assert!(
        message.contains("xl/worksheets/sheet2.xml of the spreadsheet holds the cell reference `K1:B10`, which is not one"),
        "{message}"
    );
    let message = refused(&set_dimension("A99999999999"));
    assert!(message.contains("`A99999999999`"), "{message}");
    let far_row = tampered("xl/worksheets/sheet2.xml", |xml| {
        first(xml, r#"<row r="1""#, r#"<row r="99999999999""#)
    });
    assert!(refused(&far_row).contains("`99999999999`"));
}
