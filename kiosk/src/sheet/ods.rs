//! OpenDocument spreadsheets (`.ods`): the sheets of `content.xml`, read in
//! one pass over its XML with every limit checked before the work it bounds.
//!
//! calamine's `.ods` reader is not used: it reads the whole of `content.xml`
//! before returning, copying a cell as often as its repeat count says
//! (`table:number-columns-repeated`, `table:number-rows-repeated`), so one
//! cell repeated a billion times is a billion copies before anything could
//! refuse it, and a repeat count of 0 makes its row arithmetic overflow.
//! Here a cell's copies are counted against the row and column limits, and
//! their text against [`SheetLimits::unpacked_bytes`], before they are made.

use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::grid::{at, sheet_from_grid, ReadError, SheetLimits};
use super::model::{Cell, Sheet, Workbook};

/// The `mimetype` part of an OpenDocument spreadsheet.
pub(super) const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Reads the sheets of an `.ods` file's `content.xml`.
pub(super) fn read_content(xml: &[u8], limits: SheetLimits) -> Result<Workbook, ReadError> {
    let found = count_tables(xml)?;
    if found > limits.sheets {
        return Err(ReadError::TooManySheets {
            found,
            limit: limits.sheets,
        });
    }
    let mut walk = Walk {
        reader: Reader::from_reader(xml),
        limits,
        made_bytes: 0,
    };
    let mut sheets = Vec::new();
    let mut buf = Vec::new();
    loop {
        match walk.next(&mut buf)? {
            Event::Start(e) if e.name().as_ref() == b"table:table" => {
                let name = table_name(&e, walk.reader.decoder())?;
                sheets.push(walk.table(name)?);
            }
            Event::Empty(e) if e.name().as_ref() == b"table:table" => {
                let name = table_name(&e, walk.reader.decoder())?;
                sheets.push(sheet_from_grid(&name, Vec::new())?);
            }
            Event::Eof => return Ok(Workbook { sheets }),
            _ => {}
        }
    }
}

/// How many sheets (`table:table` elements) the document has.
fn count_tables(xml: &[u8]) -> Result<usize, ReadError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut count = 0;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|error| xml_error(&reader, error))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table" => count += 1,
            Event::Eof => return Ok(count),
            _ => {}
        }
        buf.clear();
    }
}

fn xml_error(reader: &Reader<&[u8]>, error: quick_xml::Error) -> ReadError {
    ReadError::OdsXml {
        offset: reader.error_position(),
        error,
    }
}

fn table_name(e: &BytesStart<'_>, decoder: Decoder) -> Result<String, ReadError> {
    attribute(e, b"table:name", decoder)?.ok_or(ReadError::UnnamedSheet)
}

/// The unescaped value of attribute `key`, if it is there.
fn attribute(
    e: &BytesStart<'_>,
    key: &[u8],
    decoder: Decoder,
) -> Result<Option<String>, ReadError> {
    for a in e.attributes() {
        let a = a.map_err(|error| ReadError::OdsXml {
            offset: 0,
            error: error.into(),
        })?;
        if a.key.as_ref() == key {
            let value = a
                .decode_and_unescape_value(decoder)
                .map_err(|error| ReadError::OdsXml { offset: 0, error })?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// A repeat count (`table:number-rows-repeated`, `table:number-columns-repeated`): 1 when absent.
fn repeats(
    e: &BytesStart<'_>,
    key: &[u8],
    decoder: Decoder,
    (sheet, row, column): (&str, u64, u64),
) -> Result<u64, ReadError> {
    match attribute(e, key, decoder)? {
        None => Ok(1),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ReadError::Repeats {
                cell: at_wide(sheet, row, column),
                count: text.chars().take(20).collect(),
            }),
        },
    }
}

/// A cell reference for positions that may be past what `u32` holds.
fn at_wide(sheet: &str, row: u64, column: u64) -> String {
    at(
        sheet,
        u32::try_from(row).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// One cell as written, before its copies are made.
struct Written {
    value: Cell,
    copies: u64,
}

struct Walk<'a> {
    reader: Reader<&'a [u8]>,
    limits: SheetLimits,
    /// Bytes of text in the cells made so far, copies counted.
    made_bytes: u64,
}

impl<'a> Walk<'a> {
    fn decoder(&self) -> Decoder {
        self.reader.decoder()
    }

    fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, ReadError> {
        buf.clear();
        let reader = &mut self.reader;
        reader
            .read_event_into(buf)
            .map_err(|error| ReadError::OdsXml {
                offset: reader.error_position(),
                error,
            })
    }

    /// Reads a sheet up to its end tag.
    fn table(&mut self, name: String) -> Result<Sheet, ReadError> {
        let mut grid: Vec<Vec<Cell>> = Vec::new();
        let mut row = 0u64;
        let mut buf = Vec::new();
        loop {
            match self.next(&mut buf)? {
                Event::Start(e) if e.name().as_ref() == b"table:table-row" => {
                    let copies = repeats(
                        &e,
                        b"table:number-rows-repeated",
                        self.decoder(),
                        (&name, row, 0),
                    )?;
                    let cells = self.row(&name, row)?;
                    self.place_row(&name, &mut grid, row, cells, copies)?;
                    row = row.saturating_add(copies);
                }
                Event::Empty(e) if e.name().as_ref() == b"table:table-row" => {
                    let copies = repeats(
                        &e,
                        b"table:number-rows-repeated",
                        self.decoder(),
                        (&name, row, 0),
                    )?;
                    row = row.saturating_add(copies);
                }
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table" => {
                    return Err(ReadError::NestedSheet { sheet: name });
                }
                Event::End(e) if e.name().as_ref() == b"table:table" => break,
                Event::Eof => return Err(ReadError::OdsEnds),
                _ => {}
            }
        }
        sheet_from_grid(&name, grid)
    }

    /// Puts a row's cells at `row`, `copies` times, within the limits.
    fn place_row(
        &mut self,
        sheet: &str,
        grid: &mut Vec<Vec<Cell>>,
        row: u64,
        cells: Vec<Cell>,
        copies: u64,
    ) -> Result<(), ReadError> {
        let Some(first) = cells.iter().position(|c| *c != Cell::Empty) else {
            return Ok(());
        };
        let rows = u64::from(self.limits.rows);
        if row.saturating_add(copies) > rows {
            return Err(ReadError::OutOfBounds {
                cell: at_wide(sheet, row.max(rows), first as u64),
                rows: self.limits.rows,
                columns: super::model::column_name(self.limits.columns as usize - 1),
            });
        }
        let bytes: u64 = cells.iter().map(text_bytes).sum();
        self.count_bytes(bytes.saturating_mul(copies))?;
        // Within the row limit, so these fit in memory.
        let (row, copies) = (row as usize, copies as usize);
        if grid.len() < row {
            grid.resize_with(row, Vec::new);
        }
        for _ in 1..copies {
            grid.push(cells.clone());
        }
        grid.push(cells);
        Ok(())
    }

    fn count_bytes(&mut self, more: u64) -> Result<(), ReadError> {
        self.made_bytes = self.made_bytes.saturating_add(more);
        if self.made_bytes > self.limits.unpacked_bytes {
            return Err(ReadError::Unpacks {
                what: "bytes of cell text, repeated cells counted",
                limit: self.limits.unpacked_bytes,
            });
        }
        Ok(())
    }

    /// Reads a row's cells up to its end tag.
    fn row(&mut self, sheet: &str, row: u64) -> Result<Vec<Cell>, ReadError> {
        let mut cells = Vec::new();
        let mut column = 0u64;
        let mut buf = Vec::new();
        loop {
            let written = match self.next(&mut buf)? {
                Event::Start(e) if is_cell(&e) => {
                    let e = e.into_owned();
                    self.cell(&e, sheet, row, column, false)?
                }
                Event::Empty(e) if is_cell(&e) => {
                    let e = e.into_owned();
                    self.cell(&e, sheet, row, column, true)?
                }
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"table:table" => {
                    return Err(ReadError::NestedSheet {
                        sheet: sheet.to_owned(),
                    });
                }
                Event::End(e) if e.name().as_ref() == b"table:table-row" => return Ok(cells),
                Event::Eof => return Err(ReadError::OdsEnds),
                _ => continue,
            };
            if written.value != Cell::Empty {
                let columns = u64::from(self.limits.columns);
                if column.saturating_add(written.copies) > columns {
                    return Err(ReadError::OutOfBounds {
                        cell: at_wide(sheet, row, column.max(columns)),
                        rows: self.limits.rows,
                        columns: super::model::column_name(self.limits.columns as usize - 1),
                    });
                }
                self.count_bytes(text_bytes(&written.value).saturating_mul(written.copies))?;
                // Within the column limit, so these fit in memory.
                cells.resize(column as usize, Cell::Empty);
                cells.resize((column + written.copies) as usize, written.value);
            }
            column = column.saturating_add(written.copies);
        }
    }

    /// Reads one cell (`empty`: it has no end tag): its value, and how many
    /// times it is repeated.
    fn cell(
        &mut self,
        e: &BytesStart<'_>,
        sheet: &str,
        row: u64,
        column: u64,
        empty: bool,
    ) -> Result<Written, ReadError> {
        let copies = repeats(
            e,
            b"table:number-columns-repeated",
            self.decoder(),
            (sheet, row, column),
        )?;
        let here = || at_wide(sheet, row, column);
        let formula = attribute(e, b"table:formula", self.decoder())?.unwrap_or_default();
        let text = if empty {
            String::new()
        } else {
            self.cell_text(sheet, row, column)?
        };
        if !formula.is_empty() {
            // LibreOffice saves an .xlsx true or false as these two formulas:
            // constants, whose value is the formula itself, not a cache.
            let value = match formula.trim().to_ascii_uppercase().as_str() {
                "OF:=TRUE()" => Cell::Bool(true),
                "OF:=FALSE()" => Cell::Bool(false),
                _ => {
                    // `of:=SUM(A1)` is OpenFormula's `=SUM(A1)`.
                    let shown = formula.strip_prefix("of:=").unwrap_or(&formula);
                    return Err(ReadError::Formula {
                        cell: here(),
                        formula: shown.chars().take(80).collect(),
                    });
                }
            };
            return Ok(Written { value, copies });
        }
        let kind = attribute(e, b"office:value-type", self.decoder())?;
        let value = match kind.as_deref() {
            None => Cell::Empty,
            Some("string") => match attribute(e, b"office:string-value", self.decoder())? {
                Some(value) => self.limited(value, sheet, row, column)?,
                None => Cell::Text(text),
            },
            Some("float" | "percentage" | "currency") => {
                let number = attribute(e, b"office:value", self.decoder())?;
                match number.as_deref().map(str::trim).map(str::parse::<f64>) {
                    Some(Ok(x)) => Cell::Float(x),
                    _ => return Err(unsupported(here(), "number that cannot be read")),
                }
            }
            Some("boolean") => {
                match attribute(e, b"office:boolean-value", self.decoder())?.as_deref() {
                    Some(b) if b.eq_ignore_ascii_case("true") => Cell::Bool(true),
                    Some(b) if b.eq_ignore_ascii_case("false") => Cell::Bool(false),
                    _ => return Err(unsupported(here(), "true/false that cannot be read")),
                }
            }
            Some("date") => return Err(unsupported(here(), "date")),
            Some("time") => return Err(unsupported(here(), "duration")),
            Some(_) => {
                return Err(unsupported(
                    here(),
                    "value of a kind spreadsheets do not have",
                ))
            }
        };
        Ok(Written { value, copies })
    }

    fn limited(&self, text: String, sheet: &str, row: u64, column: u64) -> Result<Cell, ReadError> {
        if text.chars().count() > self.limits.cell_chars {
            return Err(ReadError::LongCell {
                cell: at_wide(sheet, row, column),
                limit: self.limits.cell_chars,
            });
        }
        Ok(Cell::Text(text))
    }

    /// The text of a cell up to its end tag: paragraphs (`text:p`) on lines
    /// of their own, `text:s` as spaces, `text:tab` and `text:line-break`
    /// as what they say; comments (`office:annotation`) left out.
    fn cell_text(&mut self, sheet: &str, row: u64, column: u64) -> Result<String, ReadError> {
        let mut text = String::new();
        let mut chars = 0usize;
        let mut depth = 1usize;
        let mut in_comment = 0usize;
        let mut paragraphs = 0usize;
        let mut buf = Vec::new();
        let limit = self.limits.cell_chars;
        let too_long = || ReadError::LongCell {
            cell: at_wide(sheet, row, column),
            limit,
        };
        loop {
            let mut push = |piece: &str, times: usize| {
                let count = piece.chars().count().saturating_mul(times);
                chars = chars.saturating_add(count);
                if chars > limit {
                    return Err(too_long());
                }
                for _ in 0..times {
                    text.push_str(piece);
                }
                Ok(())
            };
            match self.next(&mut buf)? {
                Event::Start(e) => {
                    depth += 1;
                    match e.name().as_ref() {
                        b"office:annotation" => in_comment += 1,
                        b"text:p" if in_comment == 0 => {
                            if paragraphs > 0 {
                                push("\n", 1)?;
                            }
                            paragraphs += 1;
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) if in_comment == 0 => match e.name().as_ref() {
                    b"text:s" => {
                        let spaces = match attribute(&e, b"text:c", self.decoder())? {
                            None => 1,
                            Some(n) => n.trim().parse::<usize>().map_err(|_| {
                                unsupported(
                                    at_wide(sheet, row, column),
                                    "run of spaces that cannot be read",
                                )
                            })?,
                        };
                        push(" ", spaces)?;
                    }
                    b"text:tab" => push("\t", 1)?,
                    b"text:line-break" => push("\n", 1)?,
                    b"text:p" => {
                        if paragraphs > 0 {
                            push("\n", 1)?;
                        }
                        paragraphs += 1;
                    }
                    _ => {}
                },
                Event::End(e) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(text);
                    }
                    if e.name().as_ref() == b"office:annotation" {
                        in_comment = in_comment.saturating_sub(1);
                    }
                }
                Event::Text(t) if in_comment == 0 => {
                    let unescaped = t.unescape().map_err(|error| ReadError::OdsXml {
                        offset: self.reader.buffer_position(),
                        error,
                    })?;
                    push(&unescaped, 1)?;
                }
                Event::CData(t) if in_comment == 0 => {
                    let piece = String::from_utf8_lossy(&t).into_owned();
                    push(&piece, 1)?;
                }
                Event::Eof => return Err(ReadError::OdsEnds),
                _ => {}
            }
        }
    }
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    matches!(
        e.name().as_ref(),
        b"table:table-cell" | b"table:covered-table-cell"
    )
}

fn unsupported(cell: String, what: &'static str) -> ReadError {
    ReadError::Unsupported { cell, what }
}

fn text_bytes(cell: &Cell) -> u64 {
    match cell {
        Cell::Text(t) => t.len() as u64,
        _ => 8,
    }
}
