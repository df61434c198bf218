//! What the workshop tests share: a completed attempt of a shipped rubric,
//! answered deterministically from a seed.
#![allow(dead_code)]

use kiosk::attempt::{Attempt, Completed, Encoded};
use kiosk::library::Loaded;
use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

/// `rubric` answered through to the end, every answer picked from `seed`
/// and the item's place (free texts left empty), then completed and encoded.
pub fn complete(library: &Loaded, rubric: &str, seed: usize) -> (Completed, Encoded) {
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
            ItemKind::Text => Answer::Unanswered,
        };
        attempt.runner.answer(answer).unwrap();
        attempt.runner.next_visible().unwrap();
    }
    let completed = attempt.complete();
    let encoded = completed.encoded().unwrap();
    (completed, encoded)
}
