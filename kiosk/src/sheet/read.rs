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

use super::model::{column_name, Cell, CellRef, Sheet, Workbook};
use super::shared_strings::{count_shared_strings, largest_shared_index};

/// The limits of a spreadsheet a rubric can be. A real rubric is a few
/// sheets of tens of rows; these leave room a hundred times over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Bytes of the file itself.
    pub file_bytes: usize,
    /// Parts in the zip container.
    pub zip_parts: usize,
    /// Bytes of all parts together, decompressed.
    pub unpacked_bytes: u64,
    /// Sheets.
    pub sheets: usize,
    /// Rows of a sheet, the header included.
    pub rows: u32,
    /// Columns of a sheet.
    pub columns: u32,
    /// Characters of one cell.
    pub cell_chars: usize,
}

impl Default for SheetLimits {
    fn default() -> Self {
        SheetLimits {
            file_bytes: 4 << 20,
            zip_parts: 200,
            unpacked_bytes: 32 << 20,
            sheets: 20,
            rows: 2_000,
            columns: 100,
            cell_chars: 8_192,
        }
    }
}

/// Why a spreadsheet was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Larger than [`SheetLimits::file_bytes`].
    #[error("the file is {size} bytes; a rubric's spreadsheet may be at most {limit}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not a zip container (an `.xlsx` or `.ods` is one).
    #[error("this is not an .xlsx or .ods spreadsheet: {0}")]
    NotZip(zip::result::ZipError),
    /// Too many parts, or too much once decompressed.
    #[error("the spreadsheet unpacks to more than {limit} {what}; refused before reading further")]
    Unpacks {
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
    /// The spreadsheet reader refused it.
    #[error("the spreadsheet cannot be read: {0}")]
    Xlsx(#[from] calamine::XlsxError),
    /// A cell names a shared string past the end of the table.
    #[error("the part {part} of the spreadsheet names shared string {index}, but the table holds {count}: the file is damaged")]
    SharedString {
        /// The part (a sheet's XML).
        part: String,
        /// The index named.
        index: usize,
        /// How many there are.
        count: usize,
    },
    /// A cell reference that is not one (`r="A99999999999"`, `ref="K1:B10"`).
    #[error("the part {part} of the spreadsheet holds the cell reference `{reference}`, which is not one: the file is damaged")]
    Reference {
        /// The part.
        part: String,
        /// The reference, as written.
        reference: String,
    },
    /// Two parts of the zip by the same name (letter case aside).
    #[error("the spreadsheet holds two parts named {part}: the file is damaged")]
    DuplicatePart {
        /// The name.
        part: String,
    },
    /// The spreadsheet reader gave up on a malformed file.
    #[error(
        "the spreadsheet is malformed (a reference inside it points nowhere) and cannot be read"
    )]
    ReaderFailed,
    /// Too many sheets.
    #[error("the spreadsheet has {found} sheets; a rubric has at most {limit}")]
    TooManySheets {
        /// How many.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// A cell past the row or column limit.
    #[error("{cell}: a rubric's sheet ends at row {rows} and column {columns}")]
    OutOfBounds {
        /// The cell.
        cell: String,
        /// The row limit.
        rows: u32,
        /// The column limit, by name.
        columns: String,
    },
    /// A cell's text is longer than the limit.
    #[error("{cell}: the text is longer than {limit} characters")]
    LongCell {
        /// The cell.
        cell: String,
        /// The limit.
        limit: usize,
    },
    /// A formula: rubrics hold values, and a formula's cached result may not be what it says.
    #[error("{cell} holds a formula (`={formula}`); type the value itself")]
    Formula {
        /// The cell.
        cell: String,
        /// The formula.
        formula: String,
    },
    /// A date, duration or error value.
    #[error("{cell} holds a {what}; rubric cells hold text, whole numbers or true/false")]
    Unsupported {
        /// The cell.
        cell: String,
        /// What it holds.
        what: &'static str,
    },
    /// An `.ods` whose `content.xml` is not well-formed XML.
    #[error("the spreadsheet's content.xml is damaged near byte {offset}: {error}")]
    OdsXml {
        /// Where in `content.xml`.
        offset: u64,
        /// What the XML reader found.
        error: quick_xml::Error,
    },
    /// An `.ods` whose `content.xml` stops in the middle of a sheet.
    #[error("the spreadsheet's content.xml ends in the middle of a sheet: the file is damaged")]
    OdsEnds,
    /// An `.ods` without its `content.xml`.
    #[error(
        "the spreadsheet has no content.xml, where an .ods keeps its sheets: the file is damaged"
    )]
    OdsWithoutContent,
    /// An `.ods` saved with a password: its content is encrypted.
    #[error("the spreadsheet is protected with a password; save it again without one")]
    Encrypted,
    /// A sheet without a name (`table:name`).
    #[error("a sheet of the spreadsheet has no name")]
    UnnamedSheet,
    /// A sheet inside a cell of another.
    #[error("the sheet {sheet} has another sheet inside a cell; rubric cells hold plain values")]
    NestedSheet {
        /// The outer sheet.
        sheet: String,
    },
    /// A repeat count that is not a whole number of at least 1.
    #[error("{cell}: a cell or row is repeated \"{count}\" times, which is not a count")]
    Repeats {
        /// The first cell repeated.
        cell: String,
        /// The count as written.
        count: String,
    },
    /// A header cell that is not text.
    #[error("{cell}: the first row names the keys, so it holds text")]
    Header {
        /// The cell.
        cell: String,
    },
}

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

/// A sheet from its cells by row: the first row names the keys.
pub(super) fn sheet_from_grid(name: &str, grid: Vec<Vec<Cell>>) -> Result<Sheet, ReadError> {
    let mut rows = grid.into_iter();
    let header = rows
        .next()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(c, cell)| match cell {
            Cell::Text(text) => Ok(text.trim().to_owned()),
            Cell::Empty => Ok(String::new()),
            _ => Err(ReadError::Header {
                cell: at(name, 0, c as u32),
            }),
        })
        .collect::<Result<Vec<String>, _>>()?;
    Ok(Sheet {
        name: name.to_owned(),
        header,
        rows: rows.collect(),
    })
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

pub(super) fn at(sheet: &str, row: u32, column: u32) -> String {
    CellRef {
        sheet,
        row: row as usize,
        column: column as usize,
    }
    .to_string()
}
