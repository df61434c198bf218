//! Rubrics as spreadsheets: a rubric's TOML laid out as sheets with the same
//! keys (`rubric`, `section`, `item`, `item.option`, `dimension`, `outcome`,
//! `band`, `verdict.cell`), written as `.xlsx`, and read back from `.xlsx`
//! or `.ods` into the TOML the compiler reads, with each line of it traced
//! to the cell it came from so that errors name the cell (`item!C7`).
//!
//! Cells hold plain values: text, whole numbers, true/false. A value that is
//! a list or a table in the TOML (`levels`, `range`, `weights`, `show-if`,
//! `floor`, an action list) is written in its cell as the TOML would write
//! it: `["Never", "Sometimes"]`, `{ scope = 1 }`. Sub-tables of a row
//! (a band's `actions`) are columns with dotted names (`actions.week`).

mod from_toml;
mod grid;
mod model;
mod ods;
mod read;
mod references;
mod shared_strings;
mod sources;
mod to_toml;
mod write;

pub use from_toml::{workbook_from_toml, ToSheetError};
pub use model::{column_name, Cell, CellRef, Sheet, Workbook};
pub use read::{read_workbook, ReadError, SheetLimits};
pub use sources::{is_spreadsheet, read_sources, Located, Sources, SourcesError};
pub use to_toml::{toml_from_workbook, SheetToml};
pub use write::{write_xlsx, WriteError};
