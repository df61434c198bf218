//! A rubric's TOML laid out as sheets.

use toml::{Table, Value};

use super::model::{Cell, Sheet, Workbook};

/// Why a TOML rubric could not be laid out as sheets.
#[derive(Debug, thiserror::Error)]
pub enum ToSheetError {
    /// The TOML does not parse (compile it for the full story).
    #[error("this is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    /// A text that a cell would read back as a list or a table.
    #[error("the text of `{key}` starts with `{first}`, which a spreadsheet cell would read back as a list or a table; start it with another character")]
    LooksStructured {
        /// The key.
        key: String,
        /// Its first character.
        first: char,
    },
    /// A date or time: rubrics have none.
    #[error("`{0}` is a date or time, which rubrics do not use")]
    Datetime(String),
    /// A row that others point at has no `id`.
    #[error("an entry of `{0}` has options or cells under it but no `id` to tie them to")]
    NoId(String),
}

/// Lays `text` (one rubric's TOML) out as sheets.
pub fn workbook_from_toml(text: &str) -> Result<Workbook, ToSheetError> {
    let table: Table = text.parse()?;
    let mut facts = Sheet {
        name: "rubric".into(),
        header: vec!["key".into(), "value".into()],
        rows: Vec::new(),
    };
    let mut sheets = Vec::new();
    for (key, value) in &table {
        match value {
            Value::Array(entries) if is_tables(entries) => {
                rows_sheet(key, entries, None, &mut sheets)?;
            }
            Value::Table(inner) => {
                for (sub, value) in inner {
                    let name = format!("{key}.{sub}");
                    match value {
                        Value::Array(entries) if is_tables(entries) => {
                            rows_sheet(&name, entries, None, &mut sheets)?;
                        }
                        value => facts
                            .rows
                            .push(vec![Cell::Text(name.clone()), cell(&name, value)?]),
                    }
                }
            }
            value => facts
                .rows
                .push(vec![Cell::Text(key.clone()), cell(key, value)?]),
        }
    }
    let mut all = vec![facts];
    all.extend(sheets);
    Ok(Workbook { sheets: all })
}

fn is_tables(entries: &[Value]) -> bool {
    !entries.is_empty() && entries.iter().all(Value::is_table)
}

/// The sheet `name`, one row per entry; an entry's own arrays of tables go
/// to sheets `name.key` whose first column names the entry's id.
fn rows_sheet(
    name: &str,
    entries: &[Value],
    parent: Option<(&str, &str)>,
    sheets: &mut Vec<Sheet>,
) -> Result<(), ToSheetError> {
    let at = sheet_index(name, parent.map(|(column, _)| column), sheets);
    for entry in entries {
        let Some(entry) = entry.as_table() else {
            continue;
        };
        let mut row: Vec<(String, Cell)> = Vec::new();
        if let Some((column, id)) = parent {
            row.push((column.to_owned(), Cell::Text(id.to_owned())));
        }
        let mut children = Vec::new();
        for (key, value) in entry {
            match value {
                Value::Array(inner) if is_tables(inner) => children.push((key, inner)),
                Value::Table(sub) if key == "actions" => {
                    for (when, text) in sub {
                        let column = format!("{key}.{when}");
                        row.push((column.clone(), cell(&column, text)?));
                    }
                }
                value => row.push((key.clone(), cell(key, value)?)),
            }
        }
        put_row(&mut sheets[at], row);
        if !children.is_empty() {
            let id = entry
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| ToSheetError::NoId(name.to_owned()))?;
            for (key, inner) in children {
                rows_sheet(&format!("{name}.{key}"), inner, Some((name, id)), sheets)?;
            }
        }
    }
    Ok(())
}

fn sheet_index(name: &str, parent_column: Option<&str>, sheets: &mut Vec<Sheet>) -> usize {
    if let Some(at) = sheets.iter().position(|s| s.name == name) {
        return at;
    }
    sheets.push(Sheet {
        name: name.to_owned(),
        header: parent_column.map(str::to_owned).into_iter().collect(),
        rows: Vec::new(),
    });
    sheets.len() - 1
}

/// Adds a row, adding columns the sheet has not seen yet.
fn put_row(sheet: &mut Sheet, cells: Vec<(String, Cell)>) {
    let mut row = vec![Cell::Empty; sheet.header.len()];
    for (key, value) in cells {
        let column = match sheet.header.iter().position(|h| *h == key) {
            Some(column) => column,
            None => {
                sheet.header.push(key);
                for other in &mut sheet.rows {
                    other.push(Cell::Empty);
                }
                row.push(Cell::Empty);
                sheet.header.len() - 1
            }
        };
        row[column] = value;
    }
    sheet.rows.push(row);
}

fn cell(key: &str, value: &Value) -> Result<Cell, ToSheetError> {
    Ok(match value {
        Value::String(text) => {
            if let Some(first) = text.chars().next().filter(|c| matches!(c, '[' | '{')) {
                return Err(ToSheetError::LooksStructured {
                    key: key.to_owned(),
                    first,
                });
            }
            Cell::Text(text.clone())
        }
        Value::Integer(n) => Cell::Int(*n),
        Value::Float(x) => Cell::Float(*x),
        Value::Boolean(b) => Cell::Bool(*b),
        Value::Array(_) | Value::Table(_) => Cell::Text(inline(value)?),
        Value::Datetime(_) => return Err(ToSheetError::Datetime(key.to_owned())),
    })
}

/// A value as TOML writes it on one line: `["a", "b"]`, `{ scope = 1 }`.
pub(super) fn inline(value: &Value) -> Result<String, ToSheetError> {
    Ok(match value {
        Value::String(text) => quoted(text),
        Value::Integer(n) => n.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Array(items) => {
            let parts: Result<Vec<String>, _> = items.iter().map(inline).collect();
            format!("[{}]", parts?.join(", "))
        }
        Value::Table(table) => {
            let parts: Result<Vec<String>, ToSheetError> = table
                .iter()
                .map(|(k, v)| Ok(format!("{} = {}", key(k), inline(v)?)))
                .collect();
            format!("{{ {} }}", parts?.join(", "))
        }
        Value::Datetime(_) => return Err(ToSheetError::Datetime(String::new())),
    })
}

/// A key, bare when TOML allows it.
pub(super) fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        k.to_owned()
    } else {
        quoted(k)
    }
}

/// A TOML basic string.
pub(super) fn quoted(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}
