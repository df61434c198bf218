//! What the kiosk's fuzz targets do with their bytes: the workshop
//! results-import file (`import_file`) and the requests a phone sends to the
//! phone server (`phone_post`).
//!
//! Like `fuzzing.rs`, this file is shared: the `cargo fuzz` targets in
//! `fuzz/` include it by path, and the replay test
//! (`tests/tests/fuzz_replay.rs`) calls it through this crate. It needs the
//! kiosk, built without its window (`default-features = false` in
//! `fuzz/Cargo.toml`), so it is kept apart from `fuzzing.rs`.
//!
//! Each function returns normally for any input. A panic or a failed
//! `assert!` is a finding. Each thread sets up its own store once, in a
//! temporary folder (under `/dev/shm` when there is one, so that the
//! store's `fsync`s cost nothing), and puts it back as it was after every
//! input, so that an input replays the same way however many ran before it.
// A fuzz harness reports a finding by panicking, and panics on what it set up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use arbitrary::Unstructured;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use kiosk::attempt::Attempt;
use kiosk::library::Loaded;
use kiosk::serve::{InProcess, ServeOptions, COOKIE, MAX_BODY_BYTES};
use kiosk::store::ResultsStore;
use kiosk::workshop::export::{ExportFormat, SessionExport};
use kiosk::workshop::import::{import_bytes, ImportError};
use kiosk::workshop::{NewWorkshopResult, Session, SessionConfig, SessionDate};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;
use tower::ServiceExt;

/// What a fuzz target does with one input.
pub type Target = fn(&[u8]);

/// The kiosk's fuzz targets, by the name of their folder under
/// `fuzz/corpus/` and `fuzz/regressions/`.
pub const TARGETS: [(&str, Target); 2] = [("import_file", import_file), ("phone_post", phone_post)];

/// The two rubrics of the harness's session: a short one without free
/// text, then one with a free-text item.
const RUBRICS: [&str; 2] = ["cross-team-gut-check", "peer-test"];

/// The free text of the second phone participant. No response to any
/// other phone may contain it.
pub const OTHER_PARTICIPANTS_TEXT: &str = "zebra-quartz-7731 only participant B wrote this";

/// The name an import's errors give the file.
const IMPORT_NAME: &str = "fuzz-import.json";

/// A fresh folder for one thread's store: under `/dev/shm` when it exists.
fn scratch_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    tempfile::Builder::new()
        .prefix("rubric-kiosk-fuzz-")
        .tempdir_in(base)
        .expect("a scratch folder for the fuzz store")
}

fn library() -> Loaded {
    kiosk::library::shipped().expect("the shipped library loads")
}

/// A session of [`RUBRICS`] in `store`.
fn make_session(store: &ResultsStore, library: &Loaded, show_own_result: bool) -> Session {
    let config = SessionConfig {
        name: "Fuzz session".into(),
        rubric_ids: RUBRICS.iter().map(ToString::to_string).collect(),
        min_group: 3,
        show_own_result,
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .expect("the fuzz session is valid");
    store
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .expect("the fuzz session is stored")
}

/// Answers every item the flow shows with an answer picked by `pick`, and
/// gives free-text items `text`.
fn answer_all(attempt: &mut Attempt, pick: u8, text: &str) {
    for _ in 0..256 {
        let Some(index) = attempt.runner.current() else {
            break;
        };
        let kind = attempt.rubric().item(index).expect("the current item").kind;
        let p = pick.wrapping_add(u8::try_from(index % 251).unwrap_or(0));
        let answer = match kind {
            ItemKind::Scale { min, max, .. } => Answer::Level(min + p % (max - min + 1)),
            ItemKind::YesNo { .. } => Answer::YesNo(p % 2 == 0),
            ItemKind::Single { options } => {
                Answer::Choice(p % u8::try_from(options.len()).unwrap_or(1))
            }
            ItemKind::Multi { options } => {
                let bits = u32::try_from(options.len()).unwrap_or(1);
                Answer::Choices(((1u32 << (u32::from(p) % bits)) & 0xffff) as u16)
            }
            ItemKind::Count { min, max, .. } => {
                Answer::Count(min + u32::from(p) % (max - min).saturating_add(1).max(1))
            }
            ItemKind::Text => {
                attempt
                    .set_text(index, text.to_string())
                    .expect("text fits");
                let _ = attempt.runner.next_visible();
                continue;
            }
        };
        attempt
            .runner
            .set_answer(index, answer)
            .expect("answer fits");
        let _ = attempt.runner.next_visible();
    }
}

/// Stores `count` completed results of each rubric of `session`.
fn add_results(store: &ResultsStore, library: &Loaded, session: &Session, count: u8) {
    for id in RUBRICS {
        let rubric = library.bundle.rubric(id).expect("a shipped rubric");
        for n in 0..count {
            let mut attempt = Attempt::start(rubric, library.hash_for(id));
            answer_all(&mut attempt, n * 3, "a note for the export");
            let completed = attempt.complete();
            let encoded = completed.encoded().expect("a result encodes");
            let alias = format!("person {n}");
            let row =
                NewWorkshopResult::from_completed(&completed, &encoded, session.id, Some(&alias));
            store
                .save_workshop_result(&row)
                .expect("a result is stored");
        }
    }
}

// --- import_file ---------------------------------------------------------

/// One thread's import store: a session with results already in it.
struct ImportBench {
    _dir: tempfile::TempDir,
    library: Loaded,
    store: ResultsStore,
    /// A second connection to the same file, to count and to put back.
    raw: rusqlite::Connection,
    /// The sessions and results the store starts with.
    sessions: Vec<String>,
    results: Vec<String>,
}

impl ImportBench {
    fn new() -> Self {
        let dir = scratch_dir();
        let library = library();
        let store = ResultsStore::open_in(dir.path()).expect("a fresh store");
        let session = make_session(&store, &library, true);
        add_results(&store, &library, &session, 2);
        // A session with fixed ids, as in the seed `export.json`.
        let base = base_export(true);
        import_bytes(
            &store,
            &library.bundle,
            base.as_bytes(),
            Path::new("export.json"),
        )
        .expect("the base export imports");
        let raw = rusqlite::Connection::open(store.path()).expect("a second connection");
        raw.busy_timeout(std::time::Duration::from_secs(5))
            .expect("a busy timeout");
        let mut bench = ImportBench {
            _dir: dir,
            library,
            store,
            raw,
            sessions: Vec::new(),
            results: Vec::new(),
        };
        bench.sessions = bench.column("SELECT uuid FROM sessions ORDER BY uuid");
        bench.results = bench.column("SELECT uuid FROM workshop_results ORDER BY uuid");
        bench
    }

    fn column(&self, sql: &str) -> Vec<String> {
        let mut stmt = self.raw.prepare(sql).expect("a query");
        stmt.query_map([], |r| r.get::<_, String>(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("readable rows")
    }

    /// Every session and result, with what the import may not change.
    fn contents(&self) -> (Vec<String>, Vec<String>) {
        (
            self.column(
                "SELECT uuid || name || rubric_ids_json || min_group || show_own_result
                 || hide_until_revealed || revealed || closed || date FROM sessions ORDER BY uuid",
            ),
            self.column(
                "SELECT uuid || session || rubric_id || rubric_version || bundle_hash
                 || hex(engine_result) || ifnull(alias_ref, '-') || report_json || answers_json
                 FROM workshop_results ORDER BY uuid",
            ),
        )
    }

    /// Back to the sessions and results the store started with.
    fn put_back(&self) {
        let keep = |ids: &[String]| {
            ids.iter()
                .map(|id| format!("'{id}'"))
                .collect::<Vec<_>>()
                .join(",")
        };
        self.raw
            .execute_batch(&format!(
                "DELETE FROM workshop_results WHERE uuid NOT IN ({});
                 DELETE FROM workshop_aliases WHERE uuid NOT IN
                     (SELECT alias_ref FROM workshop_results WHERE alias_ref IS NOT NULL);
                 DELETE FROM workshop_imports;
                 DELETE FROM sessions WHERE uuid NOT IN ({});",
                keep(&self.results),
                keep(&self.sessions)
            ))
            .expect("the store is put back");
    }
}

thread_local! {
    static IMPORT_BENCH: RefCell<Option<ImportBench>> = const { RefCell::new(None) };
}

/// A real export of a session with 6 results, every UUID replaced by a
/// fixed one (the session's ends in `0`, the results' in `1` to `6`), so
/// that the bench's store and the seed files agree whenever they were made.
fn base_export(include_text: bool) -> String {
    let dir = scratch_dir();
    let library = library();
    let store = ResultsStore::open_in(dir.path()).expect("a fresh store");
    let session = make_session(&store, &library, true);
    add_results(&store, &library, &session, 3);
    let export = SessionExport::build(&store, &session, &library.bundle, include_text)
        .expect("the session exports");
    let bytes = export.to_bytes(ExportFormat::Merge).expect("as JSON");
    let mut json = String::from_utf8(bytes).expect("JSON is UTF-8");
    let mut ids: Vec<String> = vec![session.id.to_string()];
    ids.extend(
        store
            .workshop_results(session.id)
            .expect("results")
            .iter()
            .map(|r| r.id.to_string()),
    );
    for (n, id) in ids.iter().enumerate() {
        json = json.replace(id, &fixed_id(0, n));
    }
    json
}

/// The `n`th fixed UUID of family `family`.
fn fixed_id(family: u8, n: usize) -> String {
    format!("00000000-0000-4000-8{family:03}-{n:012}")
}

/// Export files for seeds. The bench's store holds `export.json` already,
/// so: that file (every row present already), the same without free text,
/// another kiosk's session (new ids throughout), the same results under
/// another session id (each row's id is stored in another session), every
/// row twice, and rows spoiled one way each (rubric, version, engine
/// result, report, verdict).
pub fn import_seeds() -> Vec<(String, Vec<u8>)> {
    let base = base_export(true);
    let mut other_kiosk = base.clone();
    for n in 0..=6 {
        other_kiosk = other_kiosk.replace(&fixed_id(0, n), &fixed_id(1, n));
    }
    let other_session = base.replace(&fixed_id(0, 0), &fixed_id(2, 0));
    let mut value: serde_json::Value = serde_json::from_str(&base).expect("an export is JSON");
    let mut twice = value.clone();
    if let Some(rows) = twice["results"].as_array_mut() {
        let copy = rows.clone();
        rows.extend(copy);
    }
    if let Some(rows) = value["results"].as_array_mut() {
        let spoil: [(&str, serde_json::Value); 5] = [
            ("rubric_id", "staff-readiness".into()),
            ("rubric_version", 99.into()),
            ("engine_result", "00ff".into()),
            ("verdict", "nobody".into()),
            ("alias", 7.into()),
        ];
        for (row, (key, bad)) in rows.iter_mut().zip(spoil) {
            row[key] = bad;
        }
    }
    vec![
        ("export.json".into(), base.clone().into_bytes()),
        (
            "export-no-text.json".into(),
            base_export(false).into_bytes(),
        ),
        ("export-other-kiosk.json".into(), other_kiosk.into_bytes()),
        (
            "export-other-session.json".into(),
            other_session.into_bytes(),
        ),
        (
            "export-rows-twice.json".into(),
            twice.to_string().into_bytes(),
        ),
        (
            "export-spoiled-rows.json".into(),
            value.to_string().into_bytes(),
        ),
    ]
}

/// (e) A workshop results-import file, imported into a store that already
/// has a session with results. Whatever the bytes: no panic; a refused file
/// changes nothing and its error names the file; an accepted one accounts
/// for every row once (added, already present or rejected, each rejection
/// naming its row), adds exactly the rows it says, and imported again adds
/// nothing and rejects the same rows for the same reasons.
pub fn import_file(data: &[u8]) {
    IMPORT_BENCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let bench = cell.get_or_insert_with(ImportBench::new);
        check_import(bench, data);
    });
}

fn check_import(bench: &ImportBench, data: &[u8]) {
    let before = bench.contents();
    let path = Path::new(IMPORT_NAME);
    let outcome = import_bytes(&bench.store, &bench.library.bundle, data, path);
    let report = match outcome {
        Err(e) => {
            assert_eq!(
                bench.contents(),
                before,
                "a refused import changed the store: {e}"
            );
            if matches!(
                e,
                ImportError::NotAnExport { .. }
                    | ImportError::BadSession { .. }
                    | ImportError::SessionClosed { .. }
            ) {
                assert!(e.to_string().starts_with(IMPORT_NAME), "unnamed file: {e}");
            }
            return;
        }
        Ok(report) => report,
    };
    let rows = serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.get("results").and_then(|r| r.as_array()).map(Vec::len))
        .expect("an accepted file has a results array");
    assert_eq!(
        report.added + report.already_present + report.rejected.len(),
        rows,
        "every row is added, present already or rejected: {report:?}"
    );
    let mut last = 0;
    for rejection in &report.rejected {
        assert!(rejection.row > last && rejection.row <= rows, "{report:?}");
        last = rejection.row;
        let text = rejection.to_string();
        assert!(
            text.starts_with(&format!("row {}", rejection.row)),
            "{text}"
        );
    }
    let after = bench.contents();
    assert_eq!(
        after.1.len(),
        before.1.len() + report.added,
        "the store gained other than the rows added"
    );
    assert_eq!(
        after.0.len(),
        before.0.len() + usize::from(report.session_created)
    );
    // Sessions and results already stored are as they were.
    assert!(
        before.0.iter().all(|s| after.0.contains(s)),
        "a session changed"
    );
    assert!(
        before.1.iter().all(|r| after.1.contains(r)),
        "a result changed"
    );
    bench
        .store
        .workshop_results(report.session)
        .expect("the imported session's results read back");
    let again = import_bytes(&bench.store, &bench.library.bundle, data, path)
        .expect("an accepted file is accepted again");
    assert_eq!(again.session, report.session);
    assert!(!again.session_created);
    assert_eq!(again.added, 0, "a second import added rows");
    assert_eq!(again.already_present, report.added + report.already_present);
    assert_eq!(again.rejected, report.rejected);
    assert_eq!(bench.contents(), after, "a second import changed the store");
    bench.put_back();
}

// --- phone_post ----------------------------------------------------------

/// One phone participant of the harness.
struct Phone {
    token: String,
    token_hash: String,
    form_key: String,
}

/// One thread's phone server: a session open to phones, participant A
/// (whose requests the input makes) and participant B (with a free-text
/// answer saved), and the store's rows as they were set up.
struct PhoneBench {
    _dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    server: InProcess,
    raw: rusqlite::Connection,
    secret: String,
    library: Loaded,
    a: Phone,
    b: Phone,
    /// The participants' rows as set up.
    initial: Rows,
}

/// Rows of a table, in a fixed order.
type Rows = Vec<Vec<rusqlite::types::Value>>;

const PARTICIPANT_ROWS: &str = "SELECT token_hash, session, form_key, rubric_index, stage,
     answers_json, cursor, last_result, finished FROM phone_participants ORDER BY token_hash";

impl PhoneBench {
    fn new() -> Self {
        let dir = scratch_dir();
        let library = library();
        let store = ResultsStore::open_in(dir.path()).expect("a fresh store");
        let session = make_session(&store, &library, true);
        let db = store.path().to_path_buf();
        drop(store);
        let options = ServeOptions {
            max_participants: 3,
            ..ServeOptions::default()
        };
        let server = InProcess::start(&db, library.clone(), session.id, options, Arc::new(|_| {}))
            .expect("the phone server starts in process");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        let raw = rusqlite::Connection::open(&db).expect("a second connection");
        raw.busy_timeout(std::time::Duration::from_secs(5))
            .expect("a busy timeout");
        raw.execute_batch("PRAGMA synchronous = OFF")
            .expect("no syncs for the harness");
        let secret = server
            .join_path()
            .trim_start_matches("/s/")
            .trim_end_matches('/')
            .to_string();
        let mut bench = PhoneBench {
            _dir: dir,
            runtime,
            server,
            raw,
            secret,
            library: library.clone(),
            a: Phone {
                token: String::new(),
                token_hash: String::new(),
                form_key: String::new(),
            },
            b: Phone {
                token: String::new(),
                token_hash: String::new(),
                form_key: String::new(),
            },
            initial: Vec::new(),
        };
        bench.a = bench.join();
        bench.b = bench.join();
        bench.give_b_a_text(&library);
        bench.initial = bench.rows(PARTICIPANT_ROWS);
        bench
    }

    /// Joins as a new phone, through the router.
    fn join(&self) -> Phone {
        let request = Request::post(format!("/s/{}/join", self.secret))
            .body(Body::empty())
            .expect("a request");
        let response = self
            .runtime
            .block_on(self.server.router().oneshot(request))
            .expect("the router answers");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "joining failed");
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .expect("a participant cookie");
        let token = cookie
            .split(';')
            .next()
            .and_then(|pair| pair.strip_prefix(&format!("{COOKIE}=")))
            .expect("the cookie's token")
            .to_string();
        let token_hash = sha256_hex(&token);
        let form_key: String = self
            .raw
            .query_row(
                "SELECT form_key FROM phone_participants WHERE token_hash = ?1",
                [&token_hash],
                |r| r.get(0),
            )
            .expect("the joined phone is stored");
        Phone {
            token,
            token_hash,
            form_key,
        }
    }

    /// Participant B is on the second rubric, at its free-text item, with
    /// [`OTHER_PARTICIPANTS_TEXT`] saved.
    fn give_b_a_text(&self, library: &Loaded) {
        let id = RUBRICS[1];
        let rubric = library.bundle.rubric(id).expect("a shipped rubric");
        let text_item = (0..rubric.items.len())
            .find(|&i| matches!(rubric.item(i).map(|it| it.kind), Some(ItemKind::Text)))
            .expect("the second rubric has a free-text item");
        let mut attempt = Attempt::start(rubric, library.hash_for(id));
        // Pick 0 answers "yes" and "two", which shows the first free-text item.
        answer_all(&mut attempt, 0, OTHER_PARTICIPANTS_TEXT);
        assert!(attempt.answers_json().contains(OTHER_PARTICIPANTS_TEXT));
        self.raw
            .execute(
                "UPDATE phone_participants SET rubric_index = 1, answers_json = ?1, cursor = ?2
                 WHERE token_hash = ?3",
                rusqlite::params![
                    attempt.answers_json(),
                    i64::try_from(text_item).unwrap_or(0),
                    self.b.token_hash
                ],
            )
            .expect("B's answers are saved");
    }

    fn rows(&self, sql: &str) -> Rows {
        let mut stmt = self.raw.prepare_cached(sql).expect("a query");
        let columns = stmt.column_count();
        stmt.query_map([], |r| {
            (0..columns)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("readable rows")
    }

    /// Everything a phone request may change.
    fn state(&self) -> (Rows, Rows, Rows) {
        (
            self.rows(PARTICIPANT_ROWS),
            self.rows("SELECT uuid, answers_json, report_json FROM workshop_results ORDER BY uuid"),
            self.rows("SELECT * FROM phone_sessions"),
        )
    }

    /// Back to the rows as set up, if a request changed them.
    fn put_back(&self) {
        if self.rows(PARTICIPANT_ROWS) == self.initial
            && self.rows("SELECT uuid FROM workshop_results").is_empty()
        {
            return;
        }
        let tx = self.raw.unchecked_transaction().expect("a transaction");
        tx.execute_batch("DELETE FROM phone_participants; DELETE FROM workshop_results;")
            .expect("the phones are cleared");
        for row in &self.initial {
            tx.execute(
                "INSERT INTO phone_participants (token_hash, session, form_key, rubric_index,
                 stage, answers_json, cursor, last_result, finished)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params_from_iter(row.iter()),
            )
            .expect("a phone is put back");
        }
        tx.commit().expect("the phones are put back");
    }
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

thread_local! {
    static PHONE_BENCH: RefCell<Option<PhoneBench>> = const { RefCell::new(None) };
}

/// Whose cookie a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Nobody,
    A,
    B,
    Stranger,
}

/// One request made from fuzz input.
#[derive(Debug)]
struct Made {
    request: Request<Body>,
    who: Who,
    /// A post to the question page with a form key that is not the sender's.
    forged: bool,
}

fn pick<'a>(u: &mut Unstructured<'_>, options: &[&'a str]) -> arbitrary::Result<&'a str> {
    Ok(options[usize::from(u.arbitrary::<u8>()?) % options.len()])
}

fn text(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<String> {
    let len = u.int_in_range(0..=max)?;
    let bytes = u.bytes(len.min(u.len()))?;
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

impl PhoneBench {
    fn path(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
        let secret = match u.int_in_range(0..=5)? {
            0 => self.secret.to_uppercase(),
            1 => text(u, 24)?,
            _ => self.secret.clone(),
        };
        let code = self.server.join_code().to_string();
        Ok(match u.int_in_range(0..=9)? {
            0 => format!("/{code}"),
            1 => format!("/{}", code.to_lowercase()),
            2 => format!("/s/{secret}"),
            3 => format!("/s/{secret}/"),
            4 => format!("/s/{secret}/join"),
            5 => format!("/s/{secret}/q?{}", pick(u, &["need=1", "need=0", "x"])?),
            6 => format!("/{}", text(u, 40)?),
            _ => format!("/s/{secret}/q"),
        })
    }

    fn form(&self, u: &mut Unstructured<'_>, who: Who) -> arbitrary::Result<(Vec<u8>, bool)> {
        let own_key = match who {
            Who::A => Some(&self.a.form_key),
            Who::B => Some(&self.b.form_key),
            _ => None,
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        let mut forged = true;
        let fields = u.int_in_range(0..=7)?;
        for _ in 0..fields {
            match u.int_in_range(0..=9)? {
                0 | 1 => {
                    let key = match u.int_in_range(0..=3)? {
                        0 => self.b.form_key.clone(),
                        1 => text(u, 40)?,
                        _ => self.a.form_key.clone(),
                    };
                    forged &= own_key != Some(&key);
                    form.append_pair("k", &key);
                }
                2 | 3 => {
                    let i = match u.int_in_range(0..=3)? {
                        0 => text(u, 6)?,
                        1 => u.int_in_range(0..=40u32)?.to_string(),
                        _ => self.cursor(who),
                    };
                    form.append_pair("i", &i);
                }
                4 => {
                    let go = pick(u, &["next", "back", "next-rubric", "Next", ""])?;
                    form.append_pair("go", go);
                }
                5 => {
                    let v = match u.int_in_range(0..=2)? {
                        0 => pick(u, &["yes", "no", " 3 ", "-1", "256", "99999999999"])?.into(),
                        1 => text(u, 12)?,
                        _ => u.int_in_range(0..=12u32)?.to_string(),
                    };
                    form.append_pair("v", &v);
                }
                6 => {
                    let c = match u.int_in_range(0..=3)? {
                        0 => text(u, 4)?,
                        _ => u.int_in_range(0..=17u32)?.to_string(),
                    };
                    form.append_pair("c", &c);
                }
                7 => {
                    let t = match u.int_in_range(0..=5)? {
                        0 => "x".repeat(usize::from(u.arbitrary::<u16>()?) % 2100),
                        _ => text(u, 200)?,
                    };
                    form.append_pair("t", &t);
                }
                _ => {
                    let (name, value) = (text(u, 8)?, text(u, 16)?);
                    form.append_pair(&name, &value);
                }
            }
        }
        Ok((form.finish().into_bytes(), forged))
    }

    /// The saved cursor of `who` (A's for anyone else): the question a
    /// real form would name.
    fn cursor(&self, who: Who) -> String {
        let hash = if who == Who::B {
            &self.b.token_hash
        } else {
            &self.a.token_hash
        };
        self.raw
            .query_row(
                "SELECT cursor FROM phone_participants WHERE token_hash = ?1",
                [hash],
                |r| r.get::<_, i64>(0),
            )
            .map_or_else(|_| "0".into(), |c| c.to_string())
    }

    /// A's answer to A's current question as the page would send it (or
    /// Next rubric on a result page), so that inputs reach the later pages:
    /// a completed rubric, its result, the second rubric.
    fn good_answer(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<Option<Made>> {
        let (index, stage, cursor): (i64, String, i64) = self
            .raw
            .query_row(
                "SELECT rubric_index, stage, cursor FROM phone_participants WHERE token_hash = ?1",
                [&self.a.token_hash],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("A is stored");
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("k", &self.a.form_key);
        let item = usize::try_from(index)
            .ok()
            .and_then(|i| RUBRICS.get(i))
            .and_then(|id| self.library.bundle.rubric(id))
            .and_then(|rubric| rubric.item(usize::try_from(cursor).ok()?).map(|it| it.kind));
        if stage == "result" {
            form.append_pair("go", "next-rubric");
        } else {
            form.append_pair("i", &cursor.to_string());
            let n: u8 = u.arbitrary()?;
            match item {
                _ if n.is_multiple_of(8) => {}
                Some(ItemKind::Scale { min, max, .. }) => {
                    form.append_pair(
                        "v",
                        &(min + n % (max - min).saturating_add(1).max(1)).to_string(),
                    );
                }
                Some(ItemKind::YesNo { .. }) | None => {
                    form.append_pair("v", if n.is_multiple_of(2) { "yes" } else { "no" });
                }
                Some(ItemKind::Single { options }) => {
                    form.append_pair("v", &(usize::from(n) % options.len().max(1)).to_string());
                }
                Some(ItemKind::Multi { options }) => {
                    form.append_pair("c", &(usize::from(n) % options.len().max(1)).to_string());
                }
                Some(ItemKind::Count { min, max, .. }) => {
                    let v = min + u32::from(n) % (max - min).saturating_add(1).max(1);
                    form.append_pair("v", &v.to_string());
                }
                Some(ItemKind::Text) => {
                    form.append_pair("t", &text(u, 64)?);
                }
            }
            form.append_pair("go", if n % 7 == 1 { "back" } else { "next" });
        }
        let body = form.finish();
        let request = Request::post(format!("/s/{}/q", self.secret))
            .header(header::COOKIE, format!("{COOKIE}={}", self.a.token))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .ok();
        Ok(request.map(|request| Made {
            request,
            who: Who::A,
            forged: false,
        }))
    }

    fn make(&self, u: &mut Unstructured<'_>) -> arbitrary::Result<Option<Made>> {
        if u.ratio(1, 3)? {
            return self.good_answer(u);
        }
        let method = match u.int_in_range(0..=9)? {
            0..=4 => Method::POST,
            5 => Method::HEAD,
            6 => Method::PUT,
            7 => Method::DELETE,
            _ => Method::GET,
        };
        let path = self.path(u)?;
        let (who, cookie) = match u.int_in_range(0..=9)? {
            0 => (Who::Nobody, None),
            1 => (Who::B, Some(format!("{COOKIE}={}", self.b.token))),
            2 => (Who::Stranger, Some(text(u, 60)?)),
            3 => (
                Who::Stranger,
                Some(format!("{COOKIE}={:032x}", u.arbitrary::<u128>()?)),
            ),
            4 => (Who::A, Some(format!("x=1; {COOKIE}={}; y", self.a.token))),
            _ => (Who::A, Some(format!("{COOKIE}={}", self.a.token))),
        };
        let (body, forged) = match u.int_in_range(0..=7)? {
            0 => (Vec::new(), true),
            1 => {
                let len = u.int_in_range(0..=u.len())?;
                (u.bytes(len)?.to_vec(), true)
            }
            2 => (vec![b'a'; MAX_BODY_BYTES + 1], true),
            _ => self.form(u, who)?,
        };
        let mut builder = Request::builder().method(method).uri(path.as_str());
        if let Some(cookie) = &cookie {
            builder = builder.header(header::COOKIE, cookie.as_bytes());
        }
        if u.ratio(7, 8)? {
            builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        // What HTTP cannot carry (a bad path or header) never reaches the router.
        Ok(builder.body(Body::from(body)).ok().map(|request| Made {
            request,
            who,
            forged,
        }))
    }

    fn send(&self, made: Made) {
        let Made {
            request,
            who,
            forged,
        } = made;
        let is_answer = request.method() == Method::POST && request.uri().path().ends_with("/q");
        let described = format!("{} {} as {who:?}", request.method(), request.uri());
        let before = self.state();
        let response = self
            .runtime
            .block_on(self.server.router().oneshot(request))
            .expect("the router answers");
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = self
            .runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .expect("the body is read");
        let body = String::from_utf8_lossy(&body);
        assert!(!status.is_server_error(), "{described}: {status}\n{body}");
        if who != Who::B {
            for secret in [OTHER_PARTICIPANTS_TEXT, &self.b.form_key, &self.b.token] {
                assert!(
                    !body.contains(secret) && !location.as_deref().unwrap_or("").contains(secret),
                    "{described}: the response shows participant B's {secret:?}\n{body}"
                );
            }
        }
        let after = self.state();
        if status.is_client_error() {
            assert_eq!(
                after, before,
                "{described}: refused with {status} but changed the store"
            );
        }
        if is_answer && (forged || matches!(who, Who::Nobody | Who::Stranger)) {
            assert_eq!(
                after, before,
                "{described}: a forged answer changed the store"
            );
        }
        let row_of = |rows: &Rows, phone: &Phone| {
            let hash = rusqlite::types::Value::Text(phone.token_hash.clone());
            rows.iter().find(|r| r[0] == hash).cloned()
        };
        if who != Who::A {
            assert_eq!(
                row_of(&after.0, &self.a),
                row_of(&before.0, &self.a),
                "{described}: A changed"
            );
        }
        if who != Who::B {
            assert_eq!(
                row_of(&after.0, &self.b),
                row_of(&before.0, &self.b),
                "{described}: B changed"
            );
        }
    }
}

/// (f) Requests to the phone server, in process: the input makes up to 8
/// requests (a third of them A's well-formed answer to A's current
/// question, or Next rubric on a result page; the others: method; a real route, a wrong secret or any path; participant
/// A's cookie, B's, none or a made-up one; an empty, raw, oversized or
/// form body whose fields may carry the real anti-forgery value and the
/// current question). For each: no panic and no 5xx; a 4xx changes nothing
/// in the store; an answer posted without a participant or with another
/// form key changes nothing; a request changes no other participant's
/// saved state; and no response to anyone but B contains B's free text,
/// form key or token.
pub fn phone_post(data: &[u8]) {
    PHONE_BENCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let bench = cell.get_or_insert_with(PhoneBench::new);
        let mut u = Unstructured::new(data);
        let count = u.int_in_range(1..=8).unwrap_or(1);
        for _ in 0..count {
            match bench.make(&mut u) {
                Ok(Some(made)) => bench.send(made),
                Ok(None) => {}
                Err(_) => break,
            }
        }
        bench.put_back();
    });
}

/// Who sends a request made by [`phone_request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// Participant A, at the first question of the first rubric.
    A,
    /// Participant B, at a free-text question of the second rubric.
    B,
    /// A phone without a cookie.
    NoCookie,
}

/// For tests that read what a phone is told: sends one request as `sender`
/// to `/s/SECRET/ROUTE`, with every `{key}` in `body` replaced by the
/// sender's anti-forgery value (A's for no cookie) and every `{item}` by
/// the sender's current question. Returns the status, the page, and
/// whether the store changed; the store is put back afterwards.
pub fn phone_request(method: &str, route: &str, sender: Sender, body: &str) -> (u16, String, bool) {
    PHONE_BENCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let bench = cell.get_or_insert_with(PhoneBench::new);
        let (phone, who) = match sender {
            Sender::B => (&bench.b, Who::B),
            Sender::A | Sender::NoCookie => (&bench.a, Who::A),
        };
        let mut builder = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).expect("a method"))
            .uri(format!("/s/{}/{route}", bench.secret))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if sender != Sender::NoCookie {
            builder = builder.header(header::COOKIE, format!("{COOKIE}={}", phone.token));
        }
        let body = body
            .replace("{key}", &phone.form_key)
            .replace("{item}", &bench.cursor(who));
        let request = builder.body(Body::from(body)).expect("a request");
        let before = bench.state();
        let response = bench
            .runtime
            .block_on(bench.server.router().oneshot(request))
            .expect("the router answers");
        let status = response.status().as_u16();
        let page = bench
            .runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .expect("the body is read");
        let changed = bench.state() != before;
        bench.put_back();
        (status, String::from_utf8_lossy(&page).into_owned(), changed)
    })
}
