#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
//! Hostile rubric and session text through the real router: every page a
//! phone sees shows it as text. There is no escape call in our code: the
//! askama templates escape every value they print (the escaper is named
//! once, in `kiosk/src/serve/askama.toml`), and the second test keeps it
//! that way.

mod serve_common;

use kiosk::store::ResultsStore;
use kiosk::workshop::{Session, SessionConfig, SessionDate};
use serve_common::*;

/// Every text a rubric can put on a phone page carries a script, both
/// kinds of quote, an ampersand and an early end of the answer box.
const SOURCE: &str = r#"
id = "escaping"
version = 1
title = "Title <script>alert(\"title\")</script> & 'it' </textarea>"
summary = "Summary <script>summary</script> & \"quoted\""
category = "self-assessment"
minutes = 1
intro = "Intro </textarea><script>intro</script> & 'single'"

[[item]]
id = "level"
kind = "scale"
prompt = "Scale <script>scale</script> \"&\" 'p' </textarea>"
help = "Help </legend><script>help</script> & \"h\""
levels = ["One <script>one</script> & 'a'", "Two </textarea> \"two\" &amp;"]
weights = { d = 1 }

[[item]]
id = "agree"
kind = "yes-no"
prompt = "Yes or no <script>yesno</script> & \"y\" </textarea>"

[[item]]
id = "pick"
kind = "single"
prompt = "Single <script>single</script> & 's'"
[[item.option]]
id = "first"
label = "First <script>first</script> & \"f\" </textarea>"
weights = { d = 1 }
[[item.option]]
id = "second"
label = "Second <img src=x onerror=alert(2)> & 'g'"

[[item]]
id = "several"
kind = "multi"
prompt = "Multi <script>multi</script> & \"m\""
[[item.option]]
id = "one"
label = "Many one <script>many</script> & 'o' </textarea>"
weights = { d = 1 }
[[item.option]]
id = "two"
label = "Many two \"><script>attr</script>"

[[item]]
id = "number"
kind = "count"
prompt = "Count <script>count</script> & 'c'"
max = 10
unit = "units <script>unit</script> & \"u\" </textarea>"

[[item]]
id = "note"
kind = "text"
prompt = "Text </textarea><script>text</script> & \"t\""

[[dimension]]
id = "d"
title = "Dimension <script>dimension</script> & 'd'"
rule = "weighted-sum"

[[band]]
id = "low"
dimension = "d"
range = [0, 49]
label = "Band <script>band</script> & \"b\" </textarea>"
explanation = "Explained </textarea><script>explained</script> & 'e'"
[band.actions]
week = "Action <script>action</script> & \"a\""

[[band]]
id = "high"
dimension = "d"
range = [50, 100]
label = "Band <script>band</script> & \"b\" </textarea>"
explanation = "Explained </textarea><script>explained</script> & 'e'"
[band.actions]
week = "Action <script>action</script> & \"a\""

[verdict]
dimension = "d"
"#;

/// The session's name, as hostile as the rubric.
const SESSION_NAME: &str = "Session <script>session</script> & \"n\" 'n' </textarea>";

/// What the participant types into the text box.
const TYPED: &str = "Typed </textarea><script>typed</script> & \"me\" 'me'";

/// The only tags our templates write; anything else on a page came from
/// rubric or session text that was not escaped.
const OUR_TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "title", "style", "body", "main", "p", "h1", "h2", "b",
    "span", "form", "div", "button", "progress", "input", "fieldset", "legend", "label",
    "textarea", "pre",
];

fn hostile_library(dir: &std::path::Path) -> kiosk::library::Loaded {
    library_with(dir, "escaping", SOURCE)
}

fn hostile_session(
    dir: &std::path::Path,
    library: &kiosk::library::Loaded,
) -> (std::path::PathBuf, Session) {
    let store = ResultsStore::open_in(dir).unwrap();
    let config = SessionConfig {
        name: SESSION_NAME.into(),
        rubric_ids: vec!["escaping".into()],
        min_group: 3,
        show_own_result: true,
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    (store.path().to_path_buf(), session)
}

/// The names of the tags on `page`, opening and closing, lowercased.
fn tags(page: &str) -> Vec<String> {
    page.split('<')
        .skip(1)
        .map(|rest| {
            rest.trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect()
}

/// Checks one served page: only our own tags, at most the one text box we
/// write, and every hostile text that should be there in its escaped form.
fn assert_shown_as_text(what: &str, page: &Page, expected: &[&str]) {
    assert_eq!(page.status, 200, "{what}: {}", page.body);
    for tag in tags(&page.body) {
        assert!(
            OUR_TAGS.contains(&tag.as_str()),
            "{what}: a <{tag}> that is not ours in\n{}",
            page.body
        );
    }
    let closes = page.body.matches("</textarea>").count();
    let opens = page.body.matches("<textarea").count();
    assert_eq!(
        closes, opens,
        "{what}: an early </textarea> in\n{}",
        page.body
    );
    for text in expected {
        assert!(
            page.body.contains(text),
            "{what}: expected {text:?} in\n{}",
            page.body
        );
    }
}

// One whole scenario, read top to bottom: the 100-line limit is for kiosk/src.
#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_quotes_and_ampersands_in_every_rubric_text_reach_the_phone_escaped_by_the_templates(
) {
    let dir = tempfile::tempdir().unwrap();
    let library = hostile_library(dir.path());
    let (db, session) = hostile_session(dir.path(), &library);
    let (server, _events) = start(&db, library, &session, loopback());
    let mut phone = Phone::new(&server);
    let title = "Title &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &#39;it&#39; &lt;/textarea&gt;";

    let join = phone.get(&server.join_path()).await;
    assert_shown_as_text(
        "join page",
        &join,
        &[
            "Session &lt;script&gt;session&lt;/script&gt; &amp; &quot;n&quot; &#39;n&#39; &lt;/textarea&gt;",
            "<title>Join the workshop</title>",
            &format!("<h1>{title}</h1>"),
            "Summary &lt;script&gt;summary&lt;/script&gt; &amp; &quot;quoted&quot;",
            "Intro &lt;/textarea&gt;&lt;script&gt;intro&lt;/script&gt; &amp; &#39;single&#39;",
        ],
    );

    let mut page = phone.join(&server.join_path()).await;
    assert_shown_as_text(
        "scale",
        &page,
        &[
            &format!("<title>{title}</title>"),
            title,
            "Scale &lt;script&gt;scale&lt;/script&gt; &quot;&amp;&quot; &#39;p&#39; &lt;/textarea&gt;",
            "Help &lt;/legend&gt;&lt;script&gt;help&lt;/script&gt; &amp; &quot;h&quot;",
            "One &lt;script&gt;one&lt;/script&gt; &amp; &#39;a&#39;",
            "Two &lt;/textarea&gt; &quot;two&quot; &amp;amp;",
        ],
    );
    // Each question's answer, and what its page must show.
    let steps: [(&str, &str, &[&str]); 5] = [
        (
            "v=1",
            "yes-no",
            &["Yes or no &lt;script&gt;yesno&lt;/script&gt; &amp; &quot;y&quot; &lt;/textarea&gt;"],
        ),
        (
            "v=yes",
            "single choice",
            &[
                "Single &lt;script&gt;single&lt;/script&gt; &amp; &#39;s&#39;",
                "First &lt;script&gt;first&lt;/script&gt; &amp; &quot;f&quot; &lt;/textarea&gt;",
                "Second &lt;img src=x onerror=alert(2)&gt; &amp; &#39;g&#39;",
            ],
        ),
        (
            "v=0",
            "multiple choice",
            &[
                "Multi &lt;script&gt;multi&lt;/script&gt; &amp; &quot;m&quot;",
                "Many one &lt;script&gt;many&lt;/script&gt; &amp; &#39;o&#39; &lt;/textarea&gt;",
                "Many two &quot;&gt;&lt;script&gt;attr&lt;/script&gt;",
            ],
        ),
        (
            "c=0&c=1",
            "count",
            &[
                "Count &lt;script&gt;count&lt;/script&gt; &amp; &#39;c&#39;",
                "Number (units &lt;script&gt;unit&lt;/script&gt; &amp; &quot;u&quot; &lt;/textarea&gt;)",
            ],
        ),
        (
            "v=3",
            "free text",
            &["Text &lt;/textarea&gt;&lt;script&gt;text&lt;/script&gt; &amp; &quot;t&quot;"],
        ),
    ];
    for (answer, what, expected) in steps {
        let body = format!(
            "k={}&i={}&{answer}&go=next",
            page.input("k").unwrap(),
            page.input("i").unwrap()
        );
        let posted = phone.post(&form_action(&page), body).await;
        page = follow(&mut phone, posted).await;
        assert_shown_as_text(what, &page, expected);
    }

    // The participant's own text comes back escaped inside the text box
    // after Back and Next.
    let key = page.input("k").unwrap();
    let item = page.input("i").unwrap();
    let typed: String = url::form_urlencoded::byte_serialize(TYPED.as_bytes()).collect();
    let back = phone
        .post(
            &form_action(&page),
            format!("k={key}&i={item}&t={typed}&go=back"),
        )
        .await;
    let count = follow(&mut phone, back).await;
    let forward = phone
        .post(
            &form_action(&count),
            format!(
                "k={}&i={}&v=3&go=next",
                count.input("k").unwrap(),
                count.input("i").unwrap()
            ),
        )
        .await;
    page = follow(&mut phone, forward).await;
    let shown = "Typed &lt;/textarea&gt;&lt;script&gt;typed&lt;/script&gt; &amp; &quot;me&quot; &#39;me&#39;</textarea>";
    assert_shown_as_text("free text again", &page, &[shown]);

    let done = phone
        .post(
            &form_action(&page),
            format!("k={key}&i={item}&t={typed}&go=next"),
        )
        .await;
    let result = follow(&mut phone, done).await;
    assert_shown_as_text(
        "result",
        &result,
        &[
            "Your answers are saved",
            title,
            "<h2>Band &lt;script&gt;band&lt;/script&gt; &amp; &quot;b&quot; &lt;/textarea&gt;</h2>",
            "Explained &lt;/textarea&gt;&lt;script&gt;explained&lt;/script&gt; &amp; &#39;e&#39;",
            "Dimension &lt;script&gt;dimension&lt;/script&gt; &amp; &#39;d&#39;",
            "Action &lt;script&gt;action&lt;/script&gt; &amp; &quot;a&quot;",
            "Take it home",
        ],
    );
}

/// Where the guarantee lives: no Rust file of the phone server calls an
/// escape function to build a page (the one in `escaper.rs` is the
/// templates' escaper and the helper tests use), and no template opts a
/// value out of escaping with `|safe` or turns escaping off.
#[test]
fn no_page_escapes_by_hand_and_no_template_marks_a_value_safe() {
    let serve = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/serve");
    let mut rust_files = 0;
    for entry in std::fs::read_dir(&serve).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("escaper.rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("escape("),
                "{} escapes by hand",
                path.display()
            );
            assert!(!text.contains("PreEscaped"), "{}", path.display());
            assert!(!text.contains("escape = \"none\""), "{}", path.display());
            rust_files += 1;
        }
    }
    let mut templates = 0;
    for entry in std::fs::read_dir(serve.join("templates")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for opt_out in ["|safe", "| safe", "escape(", "|e(", "autoescape"] {
            assert!(!text.contains(opt_out), "{} has {opt_out}", path.display());
        }
        templates += 1;
    }
    assert!(
        rust_files >= 5 && templates >= 4,
        "the files were not found"
    );
}
