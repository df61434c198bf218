//! The workbook a rubric becomes: sheets of rows of cells, and cell names.

use std::fmt;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing: the key is absent.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// True or false.
    Bool(bool),
}

/// One sheet: a header row of keys, then one row per entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name (`item`, `band`, ...).
    pub name: String,
    /// The first row: the keys.
    pub header: Vec<String>,
    /// The rows after the header.
    pub rows: Vec<Vec<Cell>>,
}

/// A rubric as sheets, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    /// The sheets.
    pub sheets: Vec<Sheet>,
}

/// A cell's place, as a spreadsheet names it: `item!C7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRef<'a> {
    /// The sheet.
    pub sheet: &'a str,
    /// 0-based row, the header being row 0.
    pub row: usize,
    /// 0-based column.
    pub column: usize,
}

impl fmt::Display for CellRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}!{}{}",
            self.sheet,
            column_name(self.column),
            self.row + 1
        )
    }
}

/// `A`, `B`, ... `Z`, `AA`, ...: a column's name.
pub fn column_name(mut column: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8_lossy(&name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        let at = |row, column| {
            CellRef {
                sheet: "item",
                row,
                column,
            }
            .to_string()
        };
        assert_eq!(at(6, 2), "item!C7");
        assert_eq!(at(0, 25), "item!Z1");
        assert_eq!(at(0, 26), "item!AA1");
        assert_eq!(at(0, 27), "item!AB1");
        assert_eq!(at(0, 701), "item!ZZ1");
        assert_eq!(at(0, 702), "item!AAA1");
    }
}
