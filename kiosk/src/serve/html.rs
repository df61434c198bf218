//! The phone pages, rendered on the server as plain HTML: no JavaScript
//! needed, no external resources, readable at 360 px, tap targets of at least
//! 48 px, light and dark by the phone's setting.
//!
//! Everything that comes from a rubric or a session (titles, prompts,
//! descriptors, band texts) goes through [`escape`]: a bundle from a USB
//! stick may carry markup.

use std::fmt::Write;

use rubric_engine::model::{ItemKind, Rubric};
use rubric_engine::Answer;
use rubrics::report::ResultReport;

/// HTML-escapes text for element content and quoted attribute values (the
/// same escaping as the printable summaries).
pub use crate::workshop::summary::escape;

/// The style sheet, inline (nothing is fetched). Tap targets: every label of
/// an option and every button is at least 48 px high.
const STYLE: &str = "
:root{color-scheme:light dark;--bg:#fbfaf7;--fg:#1d1d1b;--muted:#5b5b57;--card:#ffffff;--line:#c9c6bd;--accent:#1f5f8b;--on-accent:#ffffff;--bad:#9b1c1c}
@media (prefers-color-scheme:dark){:root{--bg:#151514;--fg:#eceae4;--muted:#b3b0a8;--card:#22221f;--line:#4a4944;--accent:#8cc4ec;--on-accent:#0c1a24;--bad:#ffb4a8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:18px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
main{max-width:40rem;margin:0 auto;padding:16px}
h1{font-size:1.45rem;line-height:1.25;margin:.4em 0}
h2{font-size:1.15rem;margin:1.2em 0 .4em}
p{margin:.5em 0}
.muted{color:var(--muted)}
.bad{color:var(--bad);font-weight:600}
fieldset{border:0;margin:0;padding:0}
legend{font-size:1.3rem;font-weight:600;line-height:1.3;margin-bottom:.6em;padding:0}
.opt{display:flex;gap:12px;align-items:center;min-height:48px;padding:10px 12px;margin:8px 0;border:1px solid var(--line);border-radius:10px;background:var(--card)}
.opt input{width:24px;height:24px;flex:none;margin:0}
input[type=number],textarea{width:100%;min-height:48px;font:inherit;padding:10px;border:1px solid var(--line);border-radius:10px;background:var(--card);color:var(--fg)}
textarea{min-height:8em}
.row{display:flex;gap:12px;margin:20px 0;flex-wrap:wrap}
button{min-height:48px;min-width:48px;padding:10px 20px;font:inherit;font-weight:600;border-radius:10px;border:1px solid var(--accent);background:var(--card);color:var(--accent)}
button.primary{background:var(--accent);color:var(--on-accent);flex:1}
progress{width:100%;height:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin:10px 0}
.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
pre{white-space:pre-wrap;font:inherit;margin:0}
";

/// A whole page around `body`.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n",
        escape(title)
    )
}

/// A page that only says something (errors, closed joining).
pub fn message_page(title: &str, text: &str) -> String {
    page(
        title,
        &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(text)),
    )
}

/// The join page: the session, the first rubric's introduction, and Start.
pub fn join_page(base: &str, session_name: &str, rubrics: &[Rubric<'_>]) -> String {
    let mut body = format!("<p class=\"muted\">Workshop: {}</p>", escape(session_name));
    if let Some(first) = rubrics.first() {
        let _ = write!(
            body,
            "<h1>{}</h1><p>{}</p><p>{}</p>",
            escape(first.title),
            escape(first.summary),
            escape(first.intro)
        );
    }
    if rubrics.len() > 1 {
        let titles: Vec<String> = rubrics.iter().map(|r| escape(r.title)).collect();
        let _ = write!(
            body,
            "<p>You will answer {} rubrics: {}.</p>",
            rubrics.len(),
            titles.join(", ")
        );
    }
    let _ = write!(
        body,
        "<p class=\"muted\">Your answers stay on the facilitator's kiosk in this room. The group sees only anonymous totals.</p>\
<form method=\"post\" action=\"{base}/join\"><div class=\"row\"><button class=\"primary\" type=\"submit\">Start</button></div></form>"
    );
    page("Join the workshop", &body)
}

/// What a question page needs.
pub struct Question<'a> {
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

/// One question, its answers as a form, Back and Next.
pub fn question_page(q: &Question<'_>) -> String {
    let Some(item) = q.rubric.item(q.index) else {
        return message_page("Not found", "This question does not exist.");
    };
    let (at, of) = q.position;
    let mut body = format!(
        "<p class=\"muted\">{} · question {at} of {of}</p><progress value=\"{}\" max=\"{of}\" aria-label=\"Progress\">{at} of {of}</progress>",
        escape(q.rubric.title),
        at.saturating_sub(1)
    );
    let _ = write!(
        body,
        "<form method=\"post\" action=\"{}/q\"><input type=\"hidden\" name=\"k\" value=\"{}\"><input type=\"hidden\" name=\"i\" value=\"{}\">",
        q.base,
        escape(q.form_key),
        q.index
    );
    let _ = write!(body, "<fieldset><legend>{}</legend>", escape(item.prompt));
    if !item.help.is_empty() {
        let _ = write!(body, "<p class=\"muted\">{}</p>", escape(item.help));
    }
    if q.needs_answer {
        body.push_str(
            "<p class=\"bad\" role=\"alert\">This question needs an answer before you go on.</p>",
        );
    }
    answer_inputs(&mut body, &item.kind, q.answer, q.text);
    body.push_str("</fieldset><div class=\"row\">");
    if q.can_go_back {
        body.push_str("<button type=\"submit\" name=\"go\" value=\"back\">Back</button>");
    }
    let next = if at >= of { "Finish" } else { "Next" };
    let _ = write!(
        body,
        "<button class=\"primary\" type=\"submit\" name=\"go\" value=\"next\">{next}</button></div></form>"
    );
    if !item.required {
        body.push_str("<p class=\"muted\">This question is optional.</p>");
    }
    page(q.rubric.title, &body)
}

fn option(body: &mut String, kind: &str, name: &str, value: &str, checked: bool, label: &str) {
    let _ = write!(
        body,
        "<label class=\"opt\"><input type=\"{kind}\" name=\"{name}\" value=\"{value}\"{}><span>{label}</span></label>",
        if checked { " checked" } else { "" }
    );
}

fn answer_inputs(body: &mut String, kind: &ItemKind<'_>, answer: Answer, text: &str) {
    match *kind {
        ItemKind::Scale {
            min,
            max,
            descriptors,
            ..
        } => {
            for (n, level) in (min..=max).enumerate() {
                let descriptor = descriptors.get(n).unwrap_or("");
                let label = format!("<b>{level}</b> {}", escape(descriptor));
                let checked = answer == Answer::Level(level);
                option(body, "radio", "v", &level.to_string(), checked, &label);
            }
        }
        ItemKind::YesNo { .. } => {
            option(
                body,
                "radio",
                "v",
                "yes",
                answer == Answer::YesNo(true),
                "Yes",
            );
            option(
                body,
                "radio",
                "v",
                "no",
                answer == Answer::YesNo(false),
                "No",
            );
        }
        ItemKind::Single { options } => {
            for (n, o) in options.iter().enumerate() {
                let checked = matches!(answer, Answer::Choice(c) if usize::from(c) == n);
                option(
                    body,
                    "radio",
                    "v",
                    &n.to_string(),
                    checked,
                    &escape(o.label),
                );
            }
        }
        ItemKind::Multi { options } => {
            for (n, o) in options.iter().enumerate() {
                let checked = matches!(answer, Answer::Choices(mask) if mask & (1 << n) != 0);
                option(
                    body,
                    "checkbox",
                    "c",
                    &n.to_string(),
                    checked,
                    &escape(o.label),
                );
            }
        }
        ItemKind::Count { min, max, unit } => {
            let value = match answer {
                Answer::Count(n) => n.to_string(),
                _ => String::new(),
            };
            let _ = write!(
                body,
                "<label for=\"v\">Number ({})</label><input id=\"v\" type=\"number\" inputmode=\"numeric\" name=\"v\" min=\"{min}\" max=\"{max}\" value=\"{value}\">",
                escape(unit)
            );
        }
        ItemKind::Text => {
            let _ = write!(
                body,
                "<label for=\"t\">Your answer</label><textarea id=\"t\" name=\"t\" maxlength=\"{}\">{}</textarea>",
                super::participant::MAX_TEXT_CHARS,
                escape(text)
            );
        }
    }
}

/// What a result page needs.
pub struct ResultView<'a> {
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

/// The participant's own saved result (or only "saved", when the session
/// does not show results), and the next rubric if there is one.
pub fn result_page(v: &ResultView<'_>) -> String {
    let mut body = format!(
        "<p class=\"muted\">{}</p><h1>Your answers are saved</h1>",
        escape(v.title)
    );
    match v.report {
        Some(report) => report_html(&mut body, report),
        None => body.push_str("<p>Thank you. The facilitator will show the group's results.</p>"),
    }
    if let Some(text) = v.take_home {
        let _ = write!(
            body,
            "<h2>Take it home</h2><p class=\"muted\">The same summary as the kiosk's code. Copy it or take a screenshot: nothing is sent anywhere.</p><div class=\"card\"><pre>{}</pre></div>",
            escape(text)
        );
    }
    match v.next {
        Some(next) => {
            let _ = write!(
                body,
                "<form method=\"post\" action=\"{}/q\"><input type=\"hidden\" name=\"k\" value=\"{}\"><div class=\"row\"><button class=\"primary\" type=\"submit\" name=\"go\" value=\"next-rubric\">Next: {}</button></div></form>",
                v.base,
                escape(v.form_key),
                escape(next)
            );
        }
        None => body.push_str("<p>You are done. You can close this page.</p>"),
    }
    page("Your result", &body)
}

fn report_html(body: &mut String, report: &ResultReport) {
    let _ = write!(
        body,
        "<div class=\"card\"><h2>{}</h2>",
        escape(
            report
                .verdict_label
                .as_deref()
                .unwrap_or("No verdict: not enough answers")
        )
    );
    if let Some(e) = &report.verdict_explanation {
        let _ = write!(body, "<p>{}</p>", escape(e));
    }
    body.push_str("</div>");
    if !report.dimensions.is_empty() {
        body.push_str("<h2>By dimension</h2>");
        for d in &report.dimensions {
            let _ = write!(
                body,
                "<div class=\"card\"><b>{}</b>: {} of {} ({}%){}</div>",
                escape(&d.title),
                d.value,
                d.max,
                d.percent,
                d.band_label
                    .as_deref()
                    .map_or(String::new(), |b| format!(", {}", escape(b)))
            );
        }
    }
    if !report.outcomes.is_empty() {
        body.push_str("<h2>Fit</h2>");
        for o in &report.outcomes {
            let _ = write!(
                body,
                "<div class=\"card\">{}. {}: {}%</div>",
                o.rank,
                escape(&o.title),
                o.fit_percent
            );
        }
    }
    if !report.actions.is_empty() {
        body.push_str("<h2>What to try</h2>");
        for a in &report.actions {
            let _ = write!(
                body,
                "<div class=\"card\"><b>{}</b>: {}</div>",
                escape(a.when.label()),
                escape(&a.text)
            );
        }
    }
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
