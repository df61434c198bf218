//! The phone pages, rendered on the server as plain HTML from the askama
//! templates in `templates/`: no JavaScript needed, no external resources,
//! readable at 360 px, tap targets of at least 48 px, light and dark by the
//! phone's setting.
//!
//! Everything that comes from a rubric or a session (titles, prompts,
//! descriptors, band texts) may carry markup: a bundle from a USB stick is
//! anyone's. The templates escape every value they print (see `escaper`);
//! nothing here escapes by hand, and no template marks a value safe.

use askama::Template;
use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::Answer;
use rubrics::report::ResultReport;

use super::shared::MAX_TEXT_CHARS;

/// What rendering a page can fail with (a value's `Display` failing; none
/// of ours does).
pub(crate) type RenderError = askama::Error;

/// A page that only says something (errors, closed joining).
#[derive(Template)]
#[template(path = "message.html", config = "src/serve/askama.toml")]
struct MessagePage<'a> {
    title: &'a str,
    text: &'a str,
}

/// A page that only says `text` under the heading `title`.
pub(crate) fn message_page(title: &str, text: &str) -> Result<String, RenderError> {
    MessagePage { title, text }.render()
}

/// The join page: the session, the first rubric's introduction, and Start.
#[derive(Template)]
#[template(path = "join.html", config = "src/serve/askama.toml")]
struct JoinPage<'a> {
    title: &'a str,
    base: &'a str,
    session_name: &'a str,
    first: Option<&'a Rubric<'a>>,
    rubric_titles: Vec<&'a str>,
}

/// The join page of a session of `rubrics`, whose pages are under `base`.
pub(crate) fn join_page(
    base: &str,
    session_name: &str,
    rubrics: &[Rubric<'_>],
) -> Result<String, RenderError> {
    JoinPage {
        title: "Join the workshop",
        base,
        session_name,
        first: rubrics.first(),
        rubric_titles: rubrics.iter().map(|r| r.title).collect(),
    }
    .render()
}

/// What a question page needs.
pub(crate) struct Question<'a> {
    /// URL prefix of the session's pages (`/s/SECRET`).
    pub base: &'a str,
    /// The participant's anti-forgery value.
    pub form_key: &'a str,
    /// The rubric.
    pub rubric: &'a Rubric<'static>,
    /// The item's index.
    pub index: usize,
    /// The answer so far.
    pub answer: Answer,
    /// The free text so far (text items).
    pub text: &'a str,
    /// Position among the visible items (1-based) and how many are visible.
    pub position: (usize, usize),
    /// Whether Back has somewhere to go.
    pub can_go_back: bool,
    /// Say that this required item needs an answer.
    pub needs_answer: bool,
}

/// One radio button or checkbox with its label.
struct Choice<'a> {
    input: &'static str,
    name: &'static str,
    value: String,
    checked: bool,
    /// The level number shown in bold before a scale's descriptor.
    level: Option<u8>,
    label: &'a str,
}

/// The number field of a count item.
struct CountInput<'a> {
    min: u32,
    max: u32,
    value: String,
    unit: &'a str,
}

#[derive(Template)]
#[template(path = "question.html", config = "src/serve/askama.toml")]
struct QuestionPage<'a> {
    title: &'a str,
    base: &'a str,
    form_key: &'a str,
    index: usize,
    at: usize,
    of: usize,
    done: usize,
    prompt: &'a str,
    help: &'a str,
    needs_answer: bool,
    options: Vec<Choice<'a>>,
    count: Option<CountInput<'a>>,
    text: Option<&'a str>,
    max_text_chars: usize,
    can_go_back: bool,
    last: bool,
    optional: bool,
}

/// One question, its answers as a form, Back and Next; `None` when the
/// rubric has no item `q.index`.
pub(crate) fn question_page(q: &Question<'_>) -> Option<Result<String, RenderError>> {
    let item = q.rubric.item(q.index)?;
    let (at, of) = q.position;
    let (options, count, text) = answer_inputs(&item.kind, q.answer, q.text);
    let page = QuestionPage {
        title: q.rubric.title,
        base: q.base,
        form_key: q.form_key,
        index: q.index,
        at,
        of,
        done: at.saturating_sub(1),
        prompt: item.prompt,
        help: item.help,
        needs_answer: q.needs_answer,
        options,
        count,
        text,
        max_text_chars: MAX_TEXT_CHARS,
        can_go_back: q.can_go_back,
        last: at >= of,
        optional: !item.required,
    };
    Some(page.render())
}

type Inputs<'a> = (Vec<Choice<'a>>, Option<CountInput<'a>>, Option<&'a str>);

/// The inputs of an item of `kind` with `answer` (and `text`) filled in.
fn answer_inputs<'a>(kind: &ItemKind<'a>, answer: Answer, text: &'a str) -> Inputs<'a> {
    let radio = |value: String, checked, level, label| Choice {
        input: "radio",
        name: "v",
        value,
        checked,
        level,
        label,
    };
    match *kind {
        ItemKind::Scale {
            min,
            max,
            descriptors,
            ..
        } => {
            let levels = (min..=max).enumerate().map(|(n, level)| {
                let descriptor = descriptors.get(n).unwrap_or("");
                let checked = answer == Answer::Level(level);
                radio(level.to_string(), checked, Some(level), descriptor)
            });
            (levels.collect(), None, None)
        }
        ItemKind::YesNo { .. } => {
            let yes = radio("yes".into(), answer == Answer::YesNo(true), None, "Yes");
            let no = radio("no".into(), answer == Answer::YesNo(false), None, "No");
            (vec![yes, no], None, None)
        }
        ItemKind::Single { options } => {
            let choices = options.iter().enumerate().map(|(n, o)| {
                let checked = matches!(answer, Answer::Choice(c) if usize::from(c) == n);
                radio(n.to_string(), checked, None, o.label)
            });
            (choices.collect(), None, None)
        }
        ItemKind::Multi { options } => {
            let choices = options.iter().enumerate().map(|(n, o)| Choice {
                input: "checkbox",
                name: "c",
                value: n.to_string(),
                checked: matches!(answer, Answer::Choices(mask) if mask & (1 << n) != 0),
                level: None,
                label: o.label,
            });
            (choices.collect(), None, None)
        }
        ItemKind::Count { min, max, unit } => {
            let value = match answer {
                Answer::Count(n) => n.to_string(),
                _ => String::new(),
            };
            let count = CountInput {
                min,
                max,
                value,
                unit,
            };
            (Vec::new(), Some(count), None)
        }
        ItemKind::Text => (Vec::new(), None, Some(text)),
    }
}

/// What a result page needs.
pub(crate) struct ResultView<'a> {
    /// URL prefix of the session's pages.
    pub base: &'a str,
    /// The participant's anti-forgery value.
    pub form_key: &'a str,
    /// The rubric's title.
    pub title: &'a str,
    /// The stored result, when the session shows participants their own.
    pub report: Option<&'a ResultReport>,
    /// The take-home text (the kiosk's QR code text).
    pub take_home: Option<&'a str>,
    /// The title of the session's next rubric, if there is one.
    pub next: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "result.html", config = "src/serve/askama.toml")]
struct ResultPage<'a> {
    title: &'a str,
    rubric_title: &'a str,
    base: &'a str,
    form_key: &'a str,
    report: Option<&'a ResultReport>,
    take_home: Option<&'a str>,
    next: Option<&'a str>,
}

/// The participant's own saved result (or only "saved", when the session
/// does not show results), and the next rubric if there is one.
pub(crate) fn result_page(v: &ResultView<'_>) -> Result<String, RenderError> {
    ResultPage {
        title: "Your result",
        rubric_title: v.title,
        base: v.base,
        form_key: v.form_key,
        report: v.report,
        take_home: v.take_home,
        next: v.next,
    }
    .render()
}
