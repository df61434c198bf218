//! Writing a workbook as `.xlsx`.

use rust_xlsxwriter::{Format, Workbook as Xlsx, XlsxError};

use super::model::{Cell, Workbook};

/// Why a spreadsheet could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The writer refused (a sheet name too long, say).
    #[error("the spreadsheet cannot be written: {0}")]
    Xlsx(#[from] XlsxError),
}

/// The `.xlsx` bytes of `book`: one worksheet per sheet, the header row in bold.
pub fn write_xlsx(book: &Workbook) -> Result<Vec<u8>, WriteError> {
    let mut xlsx = Xlsx::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for sheet in &book.sheets {
        let out = xlsx.add_worksheet();
        out.set_name(&sheet.name)?;
        for (c, key) in sheet.header.iter().enumerate() {
            out.write_string_with_format(0, c as u16, key, &bold)?;
            out.set_column_width(c as u16, if key == "id" || key.len() < 8 { 16 } else { 40 })?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(text) => {
                        out.write_string_with_format(r, c, text, &wrap)?;
                    }
                    Cell::Int(n) => {
                        out.write_number(r, c, *n as f64)?;
                    }
                    Cell::Float(x) => {
                        out.write_number(r, c, *x)?;
                    }
                    Cell::Bool(b) => {
                        out.write_boolean(r, c, *b)?;
                    }
                }
            }
        }
        out.set_freeze_panes(1, 0)?;
    }
    Ok(xlsx.save_to_buffer()?)
}
