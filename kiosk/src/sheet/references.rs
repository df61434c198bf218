//! Cell references in an `.xlsx` (`r="B5"`, `ref="A1:D40"`), checked before
//! calamine 0.30 parses them: it adds up a reference's digits in a `u32`
//! without checking (`A99999999999` overflows) and subtracts a range's start
//! from its end (`K1:B10` overflows), which panics in a build with overflow
//! checks (the fuzz target found the second). A reference here is at most
//! three letters and seven digits, and a range starts before it ends.

use quick_xml::events::Event;

use super::grid::ReadError;

/// The first malformed reference in a part, read with calamine's XML
/// settings (see `shared_strings::calamine_reader`) so that the elements
/// seen are the ones calamine sees.
pub(super) fn check_references(part: &str, xml: &[u8]) -> Result<(), ReadError> {
    let mut reader = super::shared_strings::calamine_reader(xml);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                for a in e.attributes() {
                    let Ok(a) = a else { break };
                    let ok = match a.key.as_ref() {
                        b"r" => position(&a.value).is_some(),
                        b"ref" => range(&a.value),
                        _ => true,
                    };
                    if !ok {
                        return Err(ReadError::Reference {
                            part: part.to_owned(),
                            reference: String::from_utf8_lossy(&a.value).chars().take(40).collect(),
                        });
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
    }
}

/// `A1:D40` or `B5`, each end a position and the start not after the end.
fn range(value: &[u8]) -> bool {
    let mut ends = value.split(|c| *c == b':');
    let (Some(start), end, None) = (ends.next(), ends.next(), ends.next()) else {
        return false;
    };
    let Some(start) = position(start) else {
        return false;
    };
    match end.map(position) {
        None => true,
        Some(None) => false,
        Some(Some(end)) => start.0 <= end.0 && start.1 <= end.1,
    }
}

/// `B5` as (row, column), `5` as (row, 0): up to three letters, then one
/// to seven digits.
fn position(value: &[u8]) -> Option<(u32, u32)> {
    let letters = value.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = &value[letters..];
    if letters > 3 || digits.is_empty() || digits.len() > 7 {
        return None;
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row = digits
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let column = value[..letters].iter().fold(0u32, |n, c| {
        n * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    Some((row, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_a_few_letters_and_digits_and_ranges_run_forward() {
        assert_eq!(position(b"B5"), Some((5, 2)));
        assert_eq!(position(b"xfd1048576"), Some((1_048_576, 16_384)));
        assert_eq!(position(b"7"), Some((7, 0)));
        assert_eq!(position(b"A99999999999"), None);
        assert_eq!(position(b"ABCD1"), None);
        assert_eq!(position(b"A"), None);
        assert_eq!(position(b"A1B"), None);
        assert!(range(b"A1:D40"));
        assert!(range(b"C3"));
        assert!(!range(b"K1:B10"));
        assert!(!range(b"A5:A1"));
        assert!(!range(b"A1:B2:C3"));
        assert!(!range(b""));
    }
}
