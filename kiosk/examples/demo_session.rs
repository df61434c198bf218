//! Stores N made-up results of one rubric in a workshop session, as N
//! participants at the kiosk would: demo data for trying exports, merges and
//! reports, at the library's current rubric versions (a saved database of
//! an older release holds older versions, which a newer kiosk refuses to
//! merge). `packaging/windows-check.sh` uses it for the merge round trip.
//!
//!     rubric-kiosk session create --name Demo --rubric want-the-work   # prints SESSION
//!     cargo run -p kiosk --example demo_session -- DATA_DIR SESSION want-the-work 4
#![allow(clippy::unwrap_used, clippy::expect_used)] // a demo tool may stop on what it set up

use std::path::PathBuf;

use kiosk::attempt::Attempt;
use kiosk::store::ResultsStore;
use kiosk::workshop::{NewWorkshopResult, SessionId};
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, session, rubric, count] = args.as_slice() else {
        eprintln!("usage: demo_session DATA_DIR SESSION RUBRIC COUNT");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("COUNT is a whole number");
    let library = kiosk::library::shipped().unwrap();
    let store = ResultsStore::open_in(&PathBuf::from(data)).unwrap();
    let session: SessionId = session.parse().expect("SESSION is a session id");
    let rubric = library
        .bundle
        .rubric(rubric)
        .expect("RUBRIC is in the library");
    for seed in 0..count {
        let mut attempt = Attempt::start(rubric, &library.hash);
        while let Some(index) = attempt.runner.current() {
            let pick = seed * 31 + index * 7;
            let answer = match rubric.item(index).unwrap().kind {
                ItemKind::Scale { min, max, .. } => {
                    Answer::Level(min + (pick % usize::from(max - min + 1)) as u8)
                }
                ItemKind::YesNo { .. } => Answer::YesNo(pick % 2 == 0),
                ItemKind::Single { options } => Answer::Choice((pick % options.len()) as u8),
                ItemKind::Multi { .. } => Answer::Choices(1),
                ItemKind::Count { min, .. } => Answer::Count(min),
                ItemKind::Text => Answer::Unanswered,
            };
            attempt.runner.answer(answer).unwrap();
            attempt.runner.next_visible().unwrap();
        }
        let completed = attempt.complete();
        let encoded = completed.encoded().unwrap();
        let row = NewWorkshopResult::from_completed(&completed, &encoded, session, None);
        store.save_workshop_result(&row).unwrap();
    }
    println!(
        "stored {count} result(s) of {} in session {session}",
        rubric.id
    );
}
