//! The escaping the phone pages' templates apply to every value they print
//! (configured once in `askama.toml`, so no page calls it).
//!
//! It turns the five characters that matter in HTML text and quoted
//! attribute values into the named or numeric references the kiosk's
//! printable summaries use (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#39;`),
//! so the same rubric text reads the same in both. askama's own `Html`
//! escaper is as safe but writes every one as a number (`&#60;`), and the
//! phone tests check these exact forms.

use std::fmt::{self, Write};

use askama::filters::Escaper;

/// The templates' escaper for `.html` templates.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhoneHtml;

impl Escaper for PhoneHtml {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut rest = string;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            dest.write_str(&rest[..at])?;
            let (special, after) = rest[at..].split_at(1);
            dest.write_str(match special {
                "&" => "&amp;",
                "<" => "&lt;",
                ">" => "&gt;",
                "\"" => "&quot;",
                _ => "&#39;",
            })?;
            rest = after;
        }
        dest.write_str(rest)
    }
}

/// `text` as the templates print it: for tests and tools that look for a
/// rubric's text on a served page.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = PhoneHtml.write_escaped_str(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }
}
