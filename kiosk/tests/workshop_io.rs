//! Workshop files: exports (complete or absent), the printable summaries,
//! and merging another kiosk's export.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use kiosk::attempt::{Attempt, Completed, Encoded};
use kiosk::library::Loaded;
use kiosk::store::ResultsStore;
use kiosk::workshop::export::{
    export_session, ExportError, ExportFile, ExportFormat, SessionExport, SyncWrite, JSON_FORMAT,
    JSON_VERSION,
};
use kiosk::workshop::import::{import_file, ImportError, MAX_IMPORT_FILE};
use kiosk::workshop::summary::{self, participant_summary_html, session_summary_html};
use kiosk::workshop::{
    session_aggregates, GroupFigures, NewWorkshopResult, Session, SessionConfig, SessionDate,
};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

/// A rubric with a free-text item.
const WANT: &str = "want-the-work";
const ARCHETYPE: &str = "staff-archetype";
const ALIAS: &str = "Alias-Zebra-42";
const SECRET: &str = "SECRET free text of one participant";

fn library() -> Loaded {
    kiosk::library::shipped().unwrap()
}

/// A completed attempt at `rubric` whose answers vary with `seed`; text
/// items get a secret text.
fn complete(library: &Loaded, rubric: &str, seed: usize) -> (Completed, Encoded) {
    let rubric = library.bundle.rubric(rubric).unwrap();
    let mut attempt = Attempt::start(rubric, &library.hash);
    while let Some(index) = attempt.runner.current() {
        let item = rubric.item(index).unwrap();
        let pick = seed.wrapping_mul(31).wrapping_add(index * 7);
        let answer = match item.kind {
            ItemKind::Scale { min, max, .. } => {
                Answer::Level(min + (pick % usize::from(max - min + 1)) as u8)
            }
            ItemKind::YesNo { .. } => Answer::YesNo(pick.is_multiple_of(2)),
            ItemKind::Single { options } => Answer::Choice((pick % options.len()) as u8),
            ItemKind::Multi { .. } => Answer::Choices(1),
            ItemKind::Count { min, .. } => Answer::Count(min),
            ItemKind::Text => {
                attempt.set_text(index, format!("=cmd {SECRET}")).unwrap();
                attempt.runner.next_visible().unwrap();
                continue;
            }
        };
        attempt.runner.answer(answer).unwrap();
        attempt.runner.next_visible().unwrap();
    }
    let completed = attempt.complete();
    let encoded = completed.encoded().unwrap();
    (completed, encoded)
}

fn new_session(store: &ResultsStore, library: &Loaded, rubrics: &[&str], min: u32) -> Session {
    let config = SessionConfig {
        name: "Offsite <day> 1".into(),
        rubric_ids: rubrics.iter().map(|r| r.to_string()).collect(),
        min_group: min,
        ..SessionConfig::default()
    };
    let valid = config.validate(&library.bundle).unwrap();
    store
        .create_session(&valid, SessionDate::from_unix(1_767_261_600))
        .unwrap()
}

fn take_turns(store: &ResultsStore, library: &Loaded, session: &Session, rubric: &str, n: usize) {
    for seed in 0..n {
        let (completed, encoded) = complete(library, rubric, seed);
        let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, Some(ALIAS));
        store.save_workshop_result(&row).unwrap();
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A store in `dir/data` with a session of both rubrics: 4 want
/// results and 3 archetype results.
fn workshop(dir: &Path) -> (Loaded, ResultsStore, Session) {
    let library = library();
    let store = ResultsStore::open_in(&dir.join("data")).unwrap();
    let session = new_session(&store, &library, &[WANT, ARCHETYPE], 3);
    take_turns(&store, &library, &session, WANT, 4);
    take_turns(&store, &library, &session, ARCHETYPE, 3);
    (library, store, session)
}

// ---- 1. Export ----

#[test]
fn the_csv_parsed_back_by_the_csv_crate_equals_what_was_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    for include_text in [false, true] {
        let export = SessionExport::build(&store, &session, &library.bundle, include_text).unwrap();
        let path = dir.path().join(format!("session-{include_text}.csv"));
        assert_eq!(export.write(&path, ExportFormat::Csv).unwrap(), 7);

        let mut reader = csv::Reader::from_path(&path).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(header, export.csv_header());
        assert_eq!(records, export.csv_records());

        // One column per dimension of each rubric; empty in the other rubric's rows.
        let want = library.bundle.rubric(WANT).unwrap();
        let first_dim = format!("{WANT}.{}", want.dimensions.iter().next().unwrap().id);
        let col = header.iter().position(|h| *h == first_dim).unwrap();
        let rubric_col = header.iter().position(|h| h == "rubric_id").unwrap();
        for row in &records {
            assert_eq!(row[col].is_empty(), row[rubric_col] != WANT, "{row:?}");
        }
        // Rows in id order, which is random, not the order of turns.
        let ids: Vec<&String> = records.iter().map(|r| &r[3]).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);

        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.contains(ALIAS), include_text);
        assert_eq!(text.contains(SECRET), include_text);
        assert!(!text.contains(",=cmd"), "formula cells are neutralised");
    }
}

#[test]
fn the_json_export_carries_reports_and_engine_results_and_texts_only_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    for include_text in [false, true] {
        let path = dir.path().join("session.json");
        let export = SessionExport::build(&store, &session, &library.bundle, include_text).unwrap();
        export.write(&path, ExportFormat::Json).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let file: ExportFile = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(file, export.file_for(ExportFormat::Json));
        assert_eq!(file.session.id, session.id.to_string());
        assert_eq!(file.results.len(), 7);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.contains(ALIAS), include_text);
        assert_eq!(text.contains(SECRET), include_text);
        assert!(file.results.iter().all(|r| !r.engine_result.is_empty()));
    }
}

#[test]
fn analysis_exports_leave_out_a_rubric_below_the_minimum_and_only_the_merge_file_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(&dir.path().join("data")).unwrap();
    let session = new_session(&store, &library, &[WANT, ARCHETYPE], 3);
    take_turns(&store, &library, &session, WANT, 3);
    // Two archetype results: the group view hides them (minimum 3).
    take_turns(&store, &library, &session, ARCHETYPE, 2);
    let export = SessionExport::build(&store, &session, &library.bundle, true).unwrap();
    let hidden: Vec<String> = store
        .workshop_results(session.id)
        .unwrap()
        .into_iter()
        .filter(|r| r.rubric_id == ARCHETYPE)
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(hidden.len(), 2);

    let csv = dir.path().join("a.csv");
    assert_eq!(export.write(&csv, ExportFormat::Csv).unwrap(), 3);
    let json = dir.path().join("a.json");
    assert_eq!(export.write(&json, ExportFormat::Json).unwrap(), 3);
    let merge = dir.path().join("m.json");
    assert_eq!(export.write(&merge, ExportFormat::Merge).unwrap(), 5);
    for path in [&csv, &json] {
        let text = std::fs::read_to_string(path).unwrap();
        for id in &hidden {
            assert!(
                !text.contains(id.as_str()),
                "{} shows a hidden result",
                path.display()
            );
        }
        assert!(!text.contains(&format!("\"rubric_id\": \"{ARCHETYPE}\"")));
    }
    // The merge file says what it is in its first lines, and in its name.
    let text = std::fs::read_to_string(&merge).unwrap();
    let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    assert!(head.contains("\"purpose\": \"merge\""), "{head}");
    assert!(
        head.contains("Individual results") && head.contains("minimum group size"),
        "{head}"
    );
    assert!(hidden.iter().all(|id| text.contains(id.as_str())));
    assert!(kiosk::workshop::export::merge_file_name(&session).contains("merge-individual-results"));

    // Import takes the merge file, and refuses an analysis file by name.
    let other = ResultsStore::open_in(&dir.path().join("other")).unwrap();
    let err = import_file(&other, &library.bundle, &json).unwrap_err();
    assert!(err.to_string().contains("analysis export"), "{err}");
    assert!(
        other.sessions().unwrap().is_empty(),
        "a refused import wrote nothing"
    );
    let report = import_file(&other, &library.bundle, &merge).unwrap();
    assert_eq!(report.added, 5);

    // A merge file of the previous release (layout 1: no purpose, no
    // about) still imports.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    let top = old.as_object_mut().unwrap();
    top.remove("purpose");
    top.remove("about");
    top.insert("version".into(), 1.into());
    let v1 = dir.path().join("v1.json");
    std::fs::write(&v1, serde_json::to_vec_pretty(&old).unwrap()).unwrap();
    let third = ResultsStore::open_in(&dir.path().join("third")).unwrap();
    assert_eq!(import_file(&third, &library.bundle, &v1).unwrap().added, 5);
}

/// A writer that fails once `left` bytes have been written.
struct FailAfter {
    file: File,
    left: usize,
}

impl Write for FailAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("simulated: the disk went away"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        self.file.write(&buf[..n])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl SyncWrite for FailAfter {
    fn sync(&mut self) -> io::Result<()> {
        self.file.sync()
    }
}

#[test]
fn a_write_that_fails_halfway_leaves_no_final_file_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let export = SessionExport::build(&store, &session, &library.bundle, true).unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let total = export.to_bytes(format).unwrap().len();
        let path = out.join("session.export");
        let err = export
            .write_through(&path, format, |file| FailAfter {
                file,
                left: total / 2,
            })
            .unwrap_err();
        assert!(matches!(err, ExportError::Io { .. }), "{err}");
        assert!(err.to_string().contains("session.export"), "{err}");
        assert!(
            files_in(&out).is_empty(),
            "left behind: {:?}",
            files_in(&out)
        );
    }
}

/// A writer that silently drops the last bytes: the read-back catches it.
struct Truncating {
    file: File,
    keep: usize,
}

impl Write for Truncating {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(self.keep);
        self.keep -= n;
        self.file.write_all(&buf[..n])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl SyncWrite for Truncating {
    fn sync(&mut self) -> io::Result<()> {
        self.file.sync()
    }
}

#[test]
fn a_file_that_reads_back_short_is_removed_and_an_older_file_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let path = out.join("session.csv");
    std::fs::write(&path, "older export").unwrap();
    let export = SessionExport::build(&store, &session, &library.bundle, false).unwrap();
    let total = export.to_bytes(ExportFormat::Csv).unwrap().len();
    let err = export
        .write_through(&path, ExportFormat::Csv, |file| Truncating {
            file,
            keep: total - 10,
        })
        .unwrap_err();
    assert!(matches!(err, ExportError::ReadBack { .. }), "{err}");
    assert_eq!(files_in(&out), vec!["session.csv".to_string()]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "older export");
}

// ---- 2. Printable summaries ----

const HOSTILE: &str = "<script>alert('x')</script>&\"";

fn assert_no_markup_from(html: &str) {
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
    for external in ["http:", "https:", "src=", "<link", "@import"] {
        assert!(!html.contains(external), "{external} in {html}");
    }
}

#[test]
fn the_session_summary_escapes_a_hostile_title_and_rubric_texts() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, mut session) = workshop(dir.path());
    session.name = HOSTILE.into();
    let mut group = session_aggregates(&store, &session, &library.bundle).unwrap();
    for rubric in &mut group.rubrics {
        rubric.title = HOSTILE.into();
        if let GroupFigures::Shown(figures) = &mut rubric.figures {
            for dim in &mut figures.dimensions {
                dim.title = HOSTILE.into();
            }
            for verdict in &mut figures.verdicts {
                verdict.label = HOSTILE.into();
            }
        }
    }
    let html = session_summary_html(&session, &group);
    assert_no_markup_from(&html);
    assert!(html.contains("2026-01-01"));
    assert!(html.contains("4 participants"));
}

#[test]
fn the_session_summary_hides_a_rubric_below_the_minimum_and_says_how_many_more() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let store = ResultsStore::open_in(&dir.path().join("data")).unwrap();
    let session = new_session(&store, &library, &[WANT, ARCHETYPE], 5);
    take_turns(&store, &library, &session, WANT, 5);
    take_turns(&store, &library, &session, ARCHETYPE, 3);
    let group = session_aggregates(&store, &session, &library.bundle).unwrap();
    let html = session_summary_html(&session, &group);

    let archetype = library.bundle.rubric(ARCHETYPE).unwrap();
    let want = library.bundle.rubric(WANT).unwrap();
    let hidden = html
        .split("<section>")
        .find(|s| s.contains(archetype.title))
        .unwrap();
    assert!(hidden.contains("2 more results needed"), "{hidden}");
    assert!(!hidden.contains("<table>"), "no figures: {hidden}");
    for outcome in archetype.outcomes.iter() {
        assert!(!hidden.contains(&summary::escape(outcome.title)));
    }
    let shown = html
        .split("<section>")
        .find(|s| s.contains(want.title))
        .unwrap();
    assert!(
        shown.contains("5 results") && shown.contains("<table>"),
        "{shown}"
    );
    assert!(!html.contains(ALIAS) && !html.contains(SECRET));
}

#[test]
fn a_participants_summary_escapes_every_text_and_carries_no_alias_or_answer() {
    let library = library();
    let (completed, _) = complete(&library, ARCHETYPE, 3);
    let mut report = completed.report.clone();
    report.verdict_label = Some(HOSTILE.into());
    for outcome in &mut report.outcomes {
        outcome.title = HOSTILE.into();
    }
    if let Some(action) = report.actions.first_mut() {
        action.text = HOSTILE.into();
    }
    let html = participant_summary_html(&report, &completed.rubric);
    assert_no_markup_from(&html);
    assert!(html.contains(&summary::escape(completed.rubric.title)));
    assert!(!html.contains(ALIAS) && !html.contains(SECRET));
}

// ---- 3. Merge ----

fn json_export(
    dir: &Path,
    store: &ResultsStore,
    library: &Loaded,
    session: &Session,
) -> std::path::PathBuf {
    let path = dir.join("session.json");
    export_session(
        store,
        session,
        &library.bundle,
        ExportFormat::Merge,
        false,
        &path,
    )
    .unwrap();
    path
}

#[test]
fn importing_the_same_file_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let path = json_export(dir.path(), &store, &library, &session);
    let other = ResultsStore::open_in(&dir.path().join("other")).unwrap();

    let first = import_file(&other, &library.bundle, &path).unwrap();
    assert_eq!((first.added, first.already_present), (7, 0));
    assert!(first.session_created && first.rejected.is_empty());
    let second = import_file(&other, &library.bundle, &path).unwrap();
    assert_eq!((second.added, second.already_present), (0, 7));
    assert!(!second.session_created && second.rejected.is_empty());
    assert_eq!(other.workshop_results(session.id).unwrap().len(), 7);

    // Into the kiosk that made it: everything already there.
    let own = import_file(&store, &library.bundle, &path).unwrap();
    assert_eq!((own.added, own.already_present), (0, 7));
}

#[test]
fn an_import_into_a_session_closed_here_is_refused_and_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let path = json_export(dir.path(), &store, &library, &session);
    let other = ResultsStore::open_in(&dir.path().join("other")).unwrap();
    // The same session on the second kiosk (merged once, say), then closed there.
    let first = import_file(&other, &library.bundle, &path).unwrap();
    assert!(first.session_created);
    other.close_session(session.id).unwrap();
    // A later export of the first kiosk, with one more result.
    let (completed, encoded) = complete(&library, WANT, 99);
    let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
    store.save_workshop_result(&row).unwrap();
    let later = json_export(dir.path(), &store, &library, &session);

    let err = import_file(&other, &library.bundle, &later).unwrap_err();
    assert!(
        matches!(&err, ImportError::SessionClosed { name, .. } if *name == session.name),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("is closed on this kiosk") && message.contains(&session.name),
        "{message}"
    );
    assert_eq!(other.workshop_results(session.id).unwrap().len(), 7);
}

#[test]
fn export_then_import_into_a_fresh_store_gives_identical_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let path = json_export(dir.path(), &store, &library, &session);
    let fresh = ResultsStore::open_in(&dir.path().join("fresh")).unwrap();
    import_file(&fresh, &library.bundle, &path).unwrap();
    let merged = fresh.session(session.id).unwrap();
    assert_eq!(merged, session);
    assert_eq!(
        session_aggregates(&fresh, &merged, &library.bundle).unwrap(),
        session_aggregates(&store, &session, &library.bundle).unwrap()
    );
    let ids = |s: &ResultsStore| -> Vec<_> {
        s.workshop_results(session.id)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids(&fresh), ids(&store), "every result keeps its UUID");
}

/// Exports the workshop as JSON, changes its result rows with `edit`, and
/// imports the changed file into a fresh store. Returns the fresh store, the
/// session, the import's report and its rejections as (row, message).
fn import_edited(
    dir: &Path,
    edit: impl FnOnce(&mut Vec<serde_json::Value>),
) -> (
    ResultsStore,
    Session,
    kiosk::workshop::import::ImportReport,
    Vec<(usize, String)>,
) {
    let (library, store, session) = workshop(dir);
    let path = json_export(dir, &store, &library, &session);
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(file["results"].as_array_mut().unwrap());
    let edited = dir.join("edited.json");
    std::fs::write(&edited, serde_json::to_vec(&file).unwrap()).unwrap();
    let fresh = ResultsStore::open_in(&dir.join("fresh")).unwrap();
    let report = import_file(&fresh, &library.bundle, &edited).unwrap();
    let rejected = report
        .rejected
        .iter()
        .map(|r| (r.row, r.to_string()))
        .collect();
    (fresh, session, report, rejected)
}

#[test]
fn a_bad_row_in_the_middle_is_rejected_by_number_and_reason_and_the_others_are_added() {
    let dir = tempfile::tempdir().unwrap();
    let (fresh, session, report, rejected) = import_edited(dir.path(), |results| {
        results[1]["rubric_version"] = 999.into();
        results[2]["rubric_id"] = "no-such-rubric".into();
        results[3]["engine_result"] = "zz".into();
        results[4]["dimensions"] = serde_json::json!("not a list");
        let copy = results[0].clone();
        results.push(copy);
    });
    assert_eq!(report.added, 3, "{report:?}");
    assert_eq!(rejected.len(), 5, "{rejected:?}");
    assert_eq!(rejected[0].0, 2);
    assert!(rejected[0].1.contains("version 999"), "{rejected:?}");
    assert_eq!(rejected[1].0, 3);
    assert!(
        rejected[1].1.contains("not part of this session"),
        "{rejected:?}"
    );
    assert_eq!(rejected[2].0, 4);
    assert!(rejected[2].1.contains("engine result"), "{rejected:?}");
    assert!(rejected[2].1.contains("not hexadecimal"), "{rejected:?}");
    assert_eq!(rejected[3].0, 5);
    assert!(rejected[3].1.contains("malformed row"), "{rejected:?}");
    assert!(rejected[3]
        .1
        .contains(report.rejected[3].id.as_deref().unwrap()));
    assert_eq!(rejected[4].0, 8);
    assert!(rejected[4].1.contains("already in row 1"), "{rejected:?}");
    assert_eq!(fresh.workshop_results(session.id).unwrap().len(), 3);
}

#[test]
fn a_row_whose_figures_disagree_with_its_engine_result_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, report, rejected) = import_edited(dir.path(), |results| {
        let row = results.iter_mut().find(|r| r["rubric_id"] == WANT).unwrap();
        row["report"]["dimensions"][0]["value"] = 12345.into();
    });
    assert_eq!((report.added, rejected.len()), (6, 1));
    assert!(rejected[0].1.contains("disagrees"), "{rejected:?}");
}

#[test]
fn a_damaged_engine_result_is_named_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, _, rejected) = import_edited(dir.path(), |results| {
        let whole = results[0]["engine_result"].as_str().unwrap().to_owned();
        // Cut short (the first two bytes), and one byte too many.
        results[0]["engine_result"] = whole[..4].into();
        results[1]["engine_result"] =
            format!("{}00", results[1]["engine_result"].as_str().unwrap()).into();
    });
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(rejected[0].0, 1);
    assert!(rejected[0].1.contains("cut short"), "{rejected:?}");
    assert_eq!(rejected[1].0, 2);
    assert!(
        rejected[1].1.contains("not a result this app writes"),
        "{rejected:?}"
    );
    for (_, text) in &rejected {
        assert!(
            !text.contains("Hit the end") && !text.contains("buffer"),
            "{text}"
        );
    }
}

#[test]
fn whole_file_refusals_name_the_file_and_add_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let path = json_export(dir.path(), &store, &library, &session);
    let text = std::fs::read_to_string(&path).unwrap();
    let fresh = ResultsStore::open_in(&dir.path().join("fresh")).unwrap();
    let version = format!("\"version\": {JSON_VERSION},");
    let cases = [
        (
            "truncated.json",
            text[..text.len() / 2].to_string(),
            "EOF".to_string(),
        ),
        (
            "dupkey.json",
            text.replacen(&version, &format!("{version} {version}"), 1),
            "duplicate field `version`".to_string(),
        ),
        (
            "other.json",
            text.replacen(JSON_FORMAT, "something-else", 1),
            "format".to_string(),
        ),
        (
            "newer.json",
            text.replacen(&version, &format!("\"version\": {},", JSON_VERSION + 1), 1),
            format!("layout version {}", JSON_VERSION + 1),
        ),
        (
            "extra.json",
            text.replacen(&version, &format!("{version} \"extra\": 0,"), 1),
            "unknown field `extra`".to_string(),
        ),
    ];
    for (name, contents, reason) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, contents).unwrap();
        let err = import_file(&fresh, &library.bundle, &file)
            .unwrap_err()
            .to_string();
        assert!(err.contains(name) && err.contains(&reason), "{name}: {err}");
    }
    assert!(fresh.sessions().unwrap().is_empty());
}

#[test]
fn a_file_over_the_size_cap_is_refused_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let library = library();
    let path = dir.path().join("huge.json");
    let file = File::create(&path).unwrap();
    file.set_len(MAX_IMPORT_FILE + 1).unwrap();
    let store = ResultsStore::open_in(&dir.path().join("data")).unwrap();
    let err = import_file(&store, &library.bundle, &path).unwrap_err();
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("huge.json"));
}

#[test]
fn a_participants_page_is_saved_beside_earlier_ones_never_over_them() {
    let library = library();
    let (completed, _) = complete(&library, ARCHETYPE, 3);
    let drive = tempfile::tempdir().unwrap();
    let first =
        summary::save_participant_summary(drive.path(), &completed.report, &completed.rubric)
            .unwrap();
    assert_eq!(
        first.file_name().unwrap(),
        "rubric-kiosk-staff-archetype.html"
    );
    let earlier = std::fs::read(&first).unwrap();
    assert_eq!(
        earlier,
        participant_summary_html(&completed.report, &completed.rubric).into_bytes()
    );
    let second =
        summary::save_participant_summary(drive.path(), &completed.report, &completed.rubric)
            .unwrap();
    assert_eq!(
        second.file_name().unwrap(),
        "rubric-kiosk-staff-archetype-2.html"
    );
    assert_eq!(std::fs::read(&first).unwrap(), earlier);
    // Nothing else: no temporary file left behind.
    assert_eq!(std::fs::read_dir(drive.path()).unwrap().count(), 2);
}

#[test]
fn a_participants_page_on_a_drive_that_went_away_is_a_clear_error() {
    let library = library();
    let (completed, _) = complete(&library, ARCHETYPE, 3);
    let drive = tempfile::tempdir().unwrap();
    let gone = drive.path().join("unplugged");
    let err =
        summary::save_participant_summary(&gone, &completed.report, &completed.rubric).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound, "{err}");
    assert_eq!(std::fs::read_dir(drive.path()).unwrap().count(), 0);
}

#[test]
fn a_row_with_the_same_free_text_item_twice_is_rejected_not_reduced_to_one() {
    let dir = tempfile::tempdir().unwrap();
    let (library, store, session) = workshop(dir.path());
    let path = json_export(dir.path(), &store, &library, &session);
    let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    let compact =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap();
    let forged = compact.replacen(
        "\"results\":[{",
        "\"results\":[{\"texts\":{\"note\":\"one\",\"note\":\"two\"},",
        1,
    );
    assert_ne!(forged, compact);
    let bad = dir.path().join("twice.json");
    std::fs::write(&bad, forged).unwrap();
    let fresh = ResultsStore::open_in(&dir.path().join("fresh")).unwrap();
    let report = import_file(&fresh, &library.bundle, &bad).unwrap();
    assert_eq!(report.rejected.len(), 1, "{report:?}");
    assert_eq!(report.rejected[0].row, 1);
    let reason = report.rejected[0].to_string();
    assert!(reason.contains("\"note\" appears twice"), "{reason}");
    assert_eq!(
        report.added + 1,
        store.workshop_results(session.id).unwrap().len()
    );
}
