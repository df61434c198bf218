//! Reading a spreadsheet from a file that may be hostile (it can come from a
//! USB stick like a bundle): every limit is checked before the work it
//! bounds. The zip container is opened and each part decompressed once,
//! counted, before the spreadsheet reader sees it (a zip bomb stops at the
//! limit); cells are read one at a time and refused past the row and column
//! limits (a sheet claiming a cell at XFD1048576 allocates nothing); a
//! formula is refused rather than trusted for its cached value.
//!
//! `.xlsx` cells are read by calamine; `.ods` (a zip whose `mimetype` part
//! says so) by [`super::ods`], which checks the limits as it reads.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use super::grid::{at, sheet_from_grid};
pub use super::grid::{ReadError, SheetLimits};
use super::model::{column_name, Cell, Sheet, Workbook};
use super::shared_strings::{count_shared_strings, largest_shared_index};

/// Reads an `.xlsx` or `.ods` spreadsheet's sheets within `limits`.
pub fn read_workbook(bytes: &[u8], limits: SheetLimits) -> Result<Workbook, ReadError> {
    if bytes.len() > limits.file_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: limits.file_bytes,
        });
    }
    let unpacked = check_zip(bytes, limits)?;
    if unpacked.ods {
        if unpacked.encrypted {
            return Err(ReadError::Encrypted);
        }
        let content = unpacked.content.ok_or(ReadError::OdsWithoutContent)?;
        return super::ods::read_content(&content, limits);
    }
    // calamine 0.30 panics on some malformed files (a shared string index
    // past the end of the table, found by this crate's hostile tests): the
    // panic is contained here and reported as a file that cannot be read.
    match std::panic::catch_unwind(|| read_checked(bytes, limits)) {
        Ok(read) => read,
        Err(_) => Err(ReadError::ReaderFailed),
    }
}

fn read_checked(bytes: &[u8], limits: SheetLimits) -> Result<Workbook, ReadError> {
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
    let names = xlsx.sheet_names();
    if names.len() > limits.sheets {
        return Err(ReadError::TooManySheets {
            found: names.len(),
            limit: limits.sheets,
        });
    }
    let mut sheets = Vec::new();
    for name in names {
        refuse_formulas(&mut xlsx, &name)?;
        sheets.push(read_sheet(&mut xlsx, &name, limits)?);
    }
    Ok(Workbook { sheets })
}

/// What [`check_zip`] kept of the parts it unpacked.
struct Unpacked {
    /// The `mimetype` part says OpenDocument spreadsheet.
    ods: bool,
    /// An `.ods` file's `content.xml`, where its sheets are.
    content: Option<Vec<u8>>,
    /// The manifest lists encrypted parts (a password-protected `.ods`).
    encrypted: bool,
}

/// Decompresses every part once, counting, before anything parses them; for
/// an `.xlsx`, checks that no cell names a shared string that is not there.
fn check_zip(bytes: &[u8], limits: SheetLimits) -> Result<Unpacked, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(ReadError::NotZip)?;
    if zip.len() > limits.zip_parts {
        return Err(ReadError::Unpacks {
            what: "parts",
            limit: limits.zip_parts as u64,
        });
    }
    let mut kept = Unpacked {
        ods: false,
        content: None,
        encrypted: false,
    };
    let mut names = std::collections::HashSet::new();
    let mut total = 0u64;
    let mut shared_strings = 0usize;
    let mut largest_index: Option<(usize, String)> = None;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(ReadError::NotZip)?;
        let exact = part.name().to_owned();
        // As calamine finds a part: by name, any case, `\\` as `/`.
        let name = exact.replace('\\', "/").to_ascii_lowercase();
        if !names.insert(name.clone()) {
            return Err(ReadError::DuplicatePart { part: exact });
        }
        let room = limits.unpacked_bytes - total;
        let mut bytes = Vec::new();
        (&mut part)
            .take(room + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::NotZip(zip::result::ZipError::Io(e)))?;
        total += bytes.len() as u64;
        if total > limits.unpacked_bytes {
            return Err(ReadError::Unpacks {
                what: "bytes",
                limit: limits.unpacked_bytes,
            });
        }
        match exact.as_str() {
            "mimetype" => kept.ods = bytes == super::ods::MIMETYPE,
            "META-INF/manifest.xml" => {
                kept.encrypted = contains(&bytes, b"encryption-data");
            }
            "content.xml" if kept.content.is_none() => {
                kept.content = Some(bytes);
                continue;
            }
            _ => {}
        }
        if name == "xl/sharedstrings.xml" {
            shared_strings = count_shared_strings(&bytes);
        } else if name.ends_with(".xml") {
            if !kept.ods {
                super::references::check_references(&name, &bytes)?;
            }
            if let Some(found) = largest_shared_index(&bytes) {
                if largest_index.as_ref().is_none_or(|(n, _)| found > *n) {
                    largest_index = Some((found, name));
                }
            }
        }
    }
    match largest_index {
        Some((index, part)) if !kept.ods && index >= shared_strings => {
            Err(ReadError::SharedString {
                part,
                index,
                count: shared_strings,
            })
        }
        _ => Ok(kept),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn refuse_formulas(xlsx: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<(), ReadError> {
    let mut cells = xlsx.worksheet_cells_reader(name)?;
    while let Some(cell) = cells.next_formula()? {
        let formula = cell.get_value();
        if !formula.is_empty() {
            let (row, column) = cell.get_position();
            return Err(ReadError::Formula {
                cell: at(name, row, column),
                formula: formula.chars().take(80).collect(),
            });
        }
    }
    Ok(())
}

fn read_sheet(
    xlsx: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: SheetLimits,
) -> Result<Sheet, ReadError> {
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    let mut cells = xlsx.worksheet_cells_reader(name)?;
    while let Some(cell) = cells.next_cell()? {
        let (row, column) = cell.get_position();
        if row >= limits.rows || column >= limits.columns {
            return Err(ReadError::OutOfBounds {
                cell: at(name, row, column),
                rows: limits.rows,
                columns: column_name(limits.columns as usize - 1),
            });
        }
        let value = value(cell.get_value(), name, row, column, limits)?;
        let (row, column) = (row as usize, column as usize);
        if grid.len() <= row {
            grid.resize_with(row + 1, Vec::new);
        }
        if grid[row].len() <= column {
            grid[row].resize(column + 1, Cell::Empty);
        }
        grid[row][column] = value;
    }
    sheet_from_grid(name, grid)
}

fn value(
    data: &DataRef<'_>,
    sheet: &str,
    row: u32,
    column: u32,
    limits: SheetLimits,
) -> Result<Cell, ReadError> {
    let text = |s: &str| {
        if s.chars().count() > limits.cell_chars {
            Err(ReadError::LongCell {
                cell: at(sheet, row, column),
                limit: limits.cell_chars,
            })
        } else {
            Ok(Cell::Text(s.to_owned()))
        }
    };
    let unsupported = |what| {
        Err(ReadError::Unsupported {
            cell: at(sheet, row, column),
            what,
        })
    };
    match data {
        DataRef::Empty => Ok(Cell::Empty),
        DataRef::Int(n) => Ok(Cell::Int(*n)),
        DataRef::Float(x) => Ok(Cell::Float(*x)),
        DataRef::Bool(b) => Ok(Cell::Bool(*b)),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) => unsupported("date"),
        DataRef::DurationIso(_) => unsupported("duration"),
        DataRef::Error(_) => unsupported("spreadsheet error value"),
    }
}
