//! What both spreadsheet readers (`.xlsx` in [`super::read`], `.ods` in
//! [`super::ods`]) and the reference checks share: the limits, the reasons
//! a file is refused, and the sheet built from its cells.

use super::model::{Cell, CellRef, Sheet};

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

pub(super) fn at(sheet: &str, row: u32, column: u32) -> String {
    CellRef {
        sheet,
        row: row as usize,
        column: column as usize,
    }
    .to_string()
}
