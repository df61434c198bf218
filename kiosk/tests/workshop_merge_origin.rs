//! A merge states where its rows came from: the exporting kiosk (its random
//! id, carried by the merge file) and its session, with how many results,
//! in the store and in the facilitator's view.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

mod workshop_common;

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use kiosk::app::workshop::Stage;
use kiosk::app::{AppOptions, KioskApp};
use kiosk::library::Loaded;
use kiosk::records::{short_kiosk_id, ImportOrigin};
use kiosk::store::ResultsStore;
use kiosk::workshop::export::{ExportFormat, SessionExport};
use kiosk::workshop::import::import_file;
use kiosk::workshop::{NewWorkshopResult, Session, SessionConfig, SessionDate};
use workshop_common::complete;

const READINESS: &str = "staff-readiness";
const PIN: &str = "2468";

fn take_turns(store: &ResultsStore, library: &Loaded, session: &Session, n: usize) {
    for seed in 0..n {
        let (completed, encoded) = complete(library, READINESS, seed);
        let row = NewWorkshopResult::from_completed(&completed, &encoded, session.id, None);
        store.save_workshop_result(&row).unwrap();
    }
}

/// The merge file of `session` as kept by the kiosk whose store is `store`,
/// written to `to`.
fn merge_file(store: &ResultsStore, library: &Loaded, session: &Session, to: &Path) {
    let export = SessionExport::build(store, session, &library.bundle, false).unwrap();
    std::fs::write(to, export.to_bytes(ExportFormat::Merge).unwrap()).unwrap();
}

/// Another kiosk of the same workshop, in `dir`: the same session (as a
/// merge would bring it), with `n` results of its own.
fn other_kiosk(dir: &Path, library: &Loaded, session: &Session, n: usize) -> ResultsStore {
    let store = ResultsStore::open_in(dir).unwrap();
    store.import_workshop_results(session, true, &[]).unwrap();
    take_turns(&store, library, session, n);
    store
}

#[test]
fn an_import_records_the_exporting_kiosk_and_session_once_per_source() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let here = ResultsStore::open_in(&dir.path().join("here")).unwrap();
    let config = SessionConfig {
        name: "Offsite day 1".into(),
        rubric_ids: vec![READINESS.into()],
        min_group: 3,
        ..SessionConfig::default()
    }
    .validate(&library.bundle)
    .unwrap();
    let session = here
        .create_session(&config, SessionDate::from_unix(1_767_261_600))
        .unwrap();
    take_turns(&here, &library, &session, 2);
    let there = other_kiosk(&dir.path().join("there"), &library, &session, 3);
    let file = dir.path().join("there-merge.json");
    merge_file(&there, &library, &session, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    let there_id = there.kiosk_id().unwrap();
    assert!(
        text.contains(&format!("\"kiosk\": \"{there_id}\"")),
        "{text}"
    );
    assert_eq!(there.kiosk_id().unwrap(), there_id, "kept, not made again");
    assert_ne!(here.kiosk_id().unwrap(), there_id);

    assert!(here.import_origins(session.id).unwrap().is_empty());
    let report = import_file(&here, &library.bundle, &file).unwrap();
    assert_eq!(report.added, 3);
    let expected = vec![ImportOrigin {
        kiosk: Some(there_id.clone()),
        session: session.id.to_string(),
        session_name: "Offsite day 1".into(),
        results: 3,
    }];
    assert_eq!(here.import_origins(session.id).unwrap(), expected);
    // The same file again adds nothing, and the origin still says 3.
    let again = import_file(&here, &library.bundle, &file).unwrap();
    assert_eq!((again.added, again.already_present), (0, 3));
    assert_eq!(here.import_origins(session.id).unwrap(), expected);
    assert_eq!(
        expected[0].kiosk_label(),
        format!("kiosk {}", short_kiosk_id(&there_id))
    );
}

fn click(h: &mut Harness<'static, KioskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

fn keypad(h: &mut Harness<'static, KioskApp>, pin: &str) {
    for digit in pin.chars() {
        click(h, &digit.to_string());
    }
    click(h, "OK");
}

#[test]
fn the_facilitator_view_says_which_kiosk_merged_results_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let library = kiosk::library::shipped().unwrap();
    let options = AppOptions {
        kiosk: true,
        ..AppOptions::default()
    };
    let app = KioskApp::new(dir.path().to_path_buf(), options);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    keypad(&mut h, PIN);
    keypad(&mut h, PIN);
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Offsite day 1");
    h.run_ok();
    click(&mut h, "Staff readiness self-assessment");
    click(&mut h, "Create session");
    if let Stage::Setup(setup) = &h.state().workshop().unwrap().stage {
        panic!("not created: {:?} {:?}", setup.error, setup.name);
    }
    click(&mut h, "Back to participants");

    // Another kiosk's merge file, imported into this kiosk's store.
    let here = ResultsStore::open_in(dir.path()).unwrap();
    let session = here.sessions().unwrap().remove(0);
    let there = other_kiosk(&dir.path().join("other"), &library, &session, 2);
    let file = dir.path().join("other-merge.json");
    merge_file(&there, &library, &session, &file);
    import_file(&here, &library.bundle, &file).unwrap();
    let this = short_kiosk_id(&here.kiosk_id().unwrap()).to_string();
    let other = short_kiosk_id(&there.kiosk_id().unwrap()).to_string();
    drop(here);

    click(&mut h, "Facilitator");
    keypad(&mut h, PIN);
    assert!(h.query_by_label(&format!("This kiosk: {this}")).is_some());
    assert!(
        h.query_by_label(&format!(
            "Merged in: 2 results from kiosk {other}, the same session there"
        ))
        .is_some(),
        "the facilitator view names the kiosk the results came from"
    );
}
