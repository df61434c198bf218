//! Sheets back into the TOML the compiler reads, each line traced to the
//! cell it came from.

use toml::{Table, Value};

use super::from_toml::{key, quoted};
use super::model::{Cell, CellRef, Sheet, Workbook};

/// The TOML made from a workbook, with where each line came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetToml {
    /// The rubric as TOML.
    pub text: String,
    /// For each line (1-based) that starts a value: its sheet, row and column.
    origins: Vec<(usize, String, usize, usize)>,
    /// Problems found in the cells themselves, by cell.
    pub problems: Vec<(String, String)>,
}

impl SheetToml {
    /// The cell that line `line` (1-based) of [`SheetToml::text`] came from.
    pub fn cell_at(&self, line: usize) -> Option<String> {
        self.origins
            .iter()
            .rev()
            .find(|(at, ..)| *at <= line)
            .map(|(_, sheet, row, column)| {
                CellRef {
                    sheet,
                    row: *row,
                    column: *column,
                }
                .to_string()
            })
    }

    fn line(&mut self, text: &str, sheet: &str, row: usize, column: usize) {
        let at = self.text.lines().count() + 1;
        self.origins.push((at, sheet.to_owned(), row, column));
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn problem(&mut self, sheet: &str, row: usize, column: usize, message: String) {
        let cell = CellRef { sheet, row, column }.to_string();
        self.problems.push((cell, message));
    }
}

/// Writes the rubric of `book` as TOML: the `rubric` sheet's facts first,
/// then every sheet of entries (`[[item]]`, with each item's
/// `[[item.option]]` rows after it), then the tables named in the facts
/// (`[caveats]`, `[verdict]`, with `[[verdict.cell]]` after it).
pub fn toml_from_workbook(book: &Workbook) -> SheetToml {
    let mut out = SheetToml::default();
    let facts = book.sheets.iter().find(|s| s.name == "rubric");
    let mut tables: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    if let Some(facts) = facts {
        for (r, row) in facts.rows.iter().enumerate() {
            let (Some(Cell::Text(name)), Some(value)) = (row.first(), row.get(1)) else {
                if row.iter().any(|c| *c != Cell::Empty) {
                    out.problem("rubric", r + 1, 0, "a fact needs a key in column A".into());
                }
                continue;
            };
            match name.split_once('.') {
                Some((table, _)) => match tables.iter_mut().find(|(t, _)| t == table) {
                    Some((_, rows)) => rows.push((name.clone(), r)),
                    None => tables.push((table.to_owned(), vec![(name.clone(), r)])),
                },
                None => {
                    if let Some(literal) = literal(&mut out, "rubric", r + 1, 1, value) {
                        out.line(&format!("{} = {literal}", key(name)), "rubric", r + 1, 0);
                    }
                }
            }
        }
    }
    for sheet in &book.sheets {
        let child = sheet.name.contains('.');
        if sheet.name == "rubric" || child {
            continue;
        }
        entries(&mut out, book, sheet, None);
    }
    for (table, rows) in tables {
        let Some(facts) = facts else { break };
        out.line(&format!("[{}]", key(&table)), "rubric", rows[0].1 + 1, 0);
        for (name, r) in rows {
            let sub = name.split_once('.').map_or("", |(_, s)| s);
            if let Some(value) = facts.rows[r].get(1) {
                if let Some(literal) = literal(&mut out, "rubric", r + 1, 1, value) {
                    out.line(&format!("{} = {literal}", key(sub)), "rubric", r + 1, 0);
                }
            }
        }
        for sheet in book
            .sheets
            .iter()
            .filter(|s| s.name.split_once('.').is_some_and(|(t, _)| t == table))
        {
            entries(&mut out, book, sheet, None);
        }
    }
    orphans(&mut out, book);
    out
}

/// The rows of `sheet` as `[[name]]` entries; with `parent`, only the rows
/// whose first column names that parent id.
fn entries(out: &mut SheetToml, book: &Workbook, sheet: &Sheet, parent: Option<&str>) {
    let skip = usize::from(parent.is_some());
    for (r, row) in sheet.rows.iter().enumerate() {
        if row.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        if let Some(parent) = parent {
            if row.first() != Some(&Cell::Text(parent.to_owned())) {
                continue;
            }
        }
        out.line(
            &format!("[[{}]]", dotted(&sheet.name)),
            &sheet.name,
            r + 1,
            0,
        );
        let mut actions: Vec<(String, String, usize)> = Vec::new();
        for (c, value) in row.iter().enumerate().skip(skip) {
            let Some(name) = sheet.header.get(c) else {
                continue;
            };
            if *value == Cell::Empty || name.is_empty() {
                continue;
            }
            let Some(literal) = literal(out, &sheet.name, r + 1, c, value) else {
                continue;
            };
            match name.split_once('.') {
                Some((table, sub)) => actions.push((format!("{table}.{sub}"), literal, c)),
                None => out.line(&format!("{} = {literal}", key(name)), &sheet.name, r + 1, c),
            }
        }
        let id = sheet
            .header
            .iter()
            .position(|h| h == "id")
            .and_then(|c| row.get(c));
        if let Some(Cell::Text(id)) = id {
            let children = book.sheets.iter().filter(|s| {
                s.name
                    .strip_prefix(&sheet.name)
                    .is_some_and(|rest| rest.starts_with('.'))
            });
            for child in children {
                entries(out, book, child, Some(id));
            }
        }
        let mut table_open: Option<String> = None;
        for (name, literal, c) in actions {
            let (table, sub) = name.split_once('.').unwrap_or((&name, ""));
            if table_open.as_deref() != Some(table) {
                let header = format!("[{}.{}]", dotted(&sheet.name), key(table));
                out.line(&header, &sheet.name, r + 1, c);
                table_open = Some(table.to_owned());
            }
            out.line(&format!("{} = {literal}", key(sub)), &sheet.name, r + 1, c);
        }
    }
}

/// Rows of a child sheet whose parent id names no row: said, not dropped.
fn orphans(out: &mut SheetToml, book: &Workbook) {
    for sheet in book.sheets.iter().filter(|s| s.name.contains('.')) {
        let Some((parent_name, _)) = sheet.name.rsplit_once('.') else {
            continue;
        };
        // No such sheet: a table of the facts (`verdict.cell`), written with it.
        let Some(parent) = book.sheets.iter().find(|s| s.name == parent_name) else {
            continue;
        };
        let ids: Vec<&str> = parent
            .header
            .iter()
            .position(|h| h == "id")
            .map(|c| {
                parent
                    .rows
                    .iter()
                    .filter_map(|row| match row.get(c) {
                        Some(Cell::Text(id)) => Some(id.as_str()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (r, row) in sheet.rows.iter().enumerate() {
            match row.first() {
                Some(Cell::Text(id)) if ids.contains(&id.as_str()) => {}
                _ if row.iter().all(|c| *c == Cell::Empty) => {}
                other => {
                    let named = match other {
                        Some(Cell::Text(id)) => format!("`{id}`"),
                        _ => "nothing".to_owned(),
                    };
                    out.problem(
                        &sheet.name,
                        r + 1,
                        0,
                        format!(
                            "this row belongs to the {parent_name} with id {named}, and sheet `{parent_name}` has no such row"
                        ),
                    );
                }
            }
        }
    }
}

/// `item.option` as a TOML table name.
fn dotted(name: &str) -> String {
    name.split('.').map(key).collect::<Vec<_>>().join(".")
}

/// The TOML literal of a cell; a cell that reads as a list or a table must
/// be exactly one TOML value, or it is a problem of that cell.
fn literal(
    out: &mut SheetToml,
    sheet: &str,
    row: usize,
    column: usize,
    cell: &Cell,
) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Int(n) => Some(n.to_string()),
        Cell::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Some(format!("{}", *x as i64)),
        Cell::Float(x) => Some(format!("{x:?}")),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::Text(text) if text.starts_with('[') || text.starts_with('{') => {
            let one_value = format!("v = {text}").parse::<Table>().ok().filter(|t| {
                t.len() == 1 && matches!(t.get("v"), Some(Value::Array(_) | Value::Table(_)))
            });
            match one_value {
                Some(_) => Some(text.clone()),
                None => {
                    out.problem(
                        sheet,
                        row,
                        column,
                        format!(
                            "this cell starts with `{}`, so it is read as a TOML list or table, and `{text}` is not one",
                            &text[..1]
                        ),
                    );
                    None
                }
            }
        }
        Cell::Text(text) => Some(quoted(text)),
    }
}
