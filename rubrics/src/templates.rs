//! Starter rubrics for `rubric-kiosk new`: each compiles as it is, reaches
//! every band, and explains every key it uses in a comment.

/// The starter rubrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Yes/no questions counted into bands.
    YesNoCount,
    /// Scale questions added up into dimensions, with a floored verdict.
    ScaleBands,
    /// Single-choice scenarios weighted towards outcomes; best fit wins.
    ArchetypeFit,
}

impl Template {
    /// Every template, in the order `new --help` lists them.
    pub const ALL: [Template; 3] = [
        Template::YesNoCount,
        Template::ScaleBands,
        Template::ArchetypeFit,
    ];

    /// The name the command line uses.
    pub fn name(self) -> &'static str {
        match self {
            Template::YesNoCount => "yes-no-count",
            Template::ScaleBands => "scale-bands",
            Template::ArchetypeFit => "archetype-fit",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Template::YesNoCount => include_str!("../templates/yes-no-count.toml"),
            Template::ScaleBands => include_str!("../templates/scale-bands.toml"),
            Template::ArchetypeFit => include_str!("../templates/archetype-fit.toml"),
        }
    }

    /// The starter rubric's text with its id and title filled in. The title
    /// is written as a TOML basic string, so quotes and backslashes in it
    /// stay text.
    pub fn text(self, id: &str, title: &str) -> String {
        let escaped: String = title
            .chars()
            .flat_map(|c| match c {
                '"' => vec!['\\', '"'],
                '\\' => vec!['\\', '\\'],
                c if c.is_control() => vec![' '],
                c => vec![c],
            })
            .collect();
        self.source()
            .replace("{{id}}", id)
            .replace("{{title}}", &escaped)
    }
}

/// A rubric id made from a name a person typed ("Team health 2027" gives
/// `team-health-2027`): lowercase letters and digits, runs of anything else
/// turned into one `-`, at most 48 characters. `None` when nothing is left.
pub fn id_from_name(name: &str) -> Option<String> {
    let mut id = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.truncate(48);
    let id = id.trim_end_matches('-').to_owned();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_of_what_the_format_allows() {
        assert_eq!(
            id_from_name("Team health 2027").as_deref(),
            Some("team-health-2027")
        );
        assert_eq!(
            id_from_name("  --Ünïcode!! rubric ").as_deref(),
            Some("n-code-rubric")
        );
        assert_eq!(id_from_name("***"), None);
        assert_eq!(id_from_name(&"a".repeat(60)).map(|s| s.len()), Some(48));
    }
}
