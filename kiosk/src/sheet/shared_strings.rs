//! An `.xlsx` cell names its text by index in the shared string table, and
//! calamine 0.30 indexes that table without checking (a panic). These two
//! functions read the table and the cells as calamine reads them (the same
//! XML reader settings, the same steps), so that an index past the end is
//! refused before calamine sees it. The fuzz target found where an earlier,
//! simpler count disagreed with calamine's: see `tests/fuzz/README.md`.

use quick_xml::events::Event;
use quick_xml::name::QName;
use quick_xml::Reader;

/// An XML reader set up as calamine sets up its own (`xml_reader` in its
/// `xlsx/mod.rs`): end tags not checked against start tags, empty elements
/// as a start and an end.
pub(super) fn calamine_reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// How many strings calamine puts in its table: one per `<si>` that
/// `read_string` gives a string for (not an `<si>` without text).
pub(super) fn count_shared_strings(xml: &[u8]) -> usize {
    let mut reader = calamine_reader(xml);
    let mut buf = Vec::new();
    let mut count = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"si" => {
                let closing = e.name().as_ref().to_vec();
                match gives_string(&mut reader, QName(&closing)) {
                    Some(true) => count += 1,
                    Some(false) => {}
                    // calamine fails here too, before it reads any cell.
                    None => return count,
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"sst" => return count,
            Ok(Event::Eof) | Err(_) => return count,
            _ => {}
        }
    }
}

/// calamine's `read_string` up to `closing`: whether it gives a string
/// (`None`: it fails).
fn gives_string(reader: &mut Reader<&[u8]>, closing: QName<'_>) -> Option<bool> {
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let mut rich = false;
    let mut phonetic = false;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"r" => rich = true,
            Event::Start(e) if e.local_name().as_ref() == b"rPh" => phonetic = true,
            Event::End(e) if e.name() == closing => return Some(rich),
            Event::End(e) if e.local_name().as_ref() == b"rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == b"t" && !phonetic => {
                let name = e.name().as_ref().to_vec();
                loop {
                    inner.clear();
                    match reader.read_event_into(&mut inner).ok()? {
                        Event::Text(t) => {
                            t.unescape().ok()?;
                        }
                        Event::End(end) if end.name().as_ref() == name.as_slice() => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                if !rich {
                    reader.read_to_end_into(closing, &mut inner).ok()?;
                    return Some(true);
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The largest shared string index a part's cells use (`<c t="s"><v>N</v>`),
/// read as calamine reads it: the texts of `<v>` joined, and a value that is
/// not a number is 0.
pub(super) fn largest_shared_index(xml: &[u8]) -> Option<usize> {
    let mut reader = calamine_reader(xml);
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let mut in_shared = false;
    let mut largest = None;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"c" => {
                in_shared = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == b"t" && a.value.as_ref() == b"s");
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == b"c" => in_shared = false,
            Ok(Event::Start(e)) if in_shared && e.local_name().as_ref() == b"v" => {
                let name = e.name().as_ref().to_vec();
                let mut value = String::new();
                loop {
                    inner.clear();
                    match reader.read_event_into(&mut inner) {
                        Ok(Event::Text(t)) => match t.unescape() {
                            Ok(text) => value.push_str(&text),
                            // calamine fails on this cell.
                            Err(_) => return largest,
                        },
                        Ok(Event::End(end)) if end.name().as_ref() == name.as_slice() => break,
                        Ok(Event::Eof) | Err(_) => return largest,
                        _ => {}
                    }
                }
                let index = value.trim().parse::<usize>().unwrap_or(0);
                largest = largest.max(Some(index));
            }
            Ok(Event::Eof) | Err(_) => return largest,
            _ => {}
        }
    }
}
