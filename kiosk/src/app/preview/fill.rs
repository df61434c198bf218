//! "Try answers": every question answered at once, so an author sees a
//! result screen in a tap instead of a minute of clicking.

use rubric_engine::model::ItemKind;
use rubric_engine::Answer;

use crate::attempt::Attempt;

/// How to fill the questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// The first level, option or number of every question; no option of a
    /// multiple choice; "no".
    Lowest,
    /// The last level, option or number; every option; "yes".
    Highest,
    /// Anything in range, different each time.
    Random,
}

/// Answers every item of `attempt` (free text is left empty: it is never
/// scored), and returns the next random seed.
pub fn fill(attempt: &mut Attempt, fill: Fill, mut seed: u64) -> u64 {
    let rubric = *attempt.rubric();
    for (index, item) in rubric.items.iter().enumerate() {
        let mut pick = |n: u64| -> u64 {
            match fill {
                Fill::Lowest => 0,
                Fill::Highest => n.saturating_sub(1),
                Fill::Random => {
                    seed = next(seed);
                    seed % n.max(1)
                }
            }
        };
        let answer = match item.kind {
            ItemKind::Scale { min, max, .. } => {
                Answer::Level(min + pick(u64::from(max - min) + 1) as u8)
            }
            ItemKind::YesNo { .. } => Answer::YesNo(pick(2) == 1),
            ItemKind::Single { options } => Answer::Choice(pick(options.len() as u64) as u8),
            ItemKind::Multi { options } => {
                let all = (1u32 << options.len().min(16)) - 1;
                Answer::Choices(pick(u64::from(all) + 1) as u16)
            }
            ItemKind::Count { min, max, .. } => {
                // Random counts stay small, as real ones do.
                let span = match fill {
                    Fill::Random => (max - min).min(40),
                    _ => max - min,
                };
                Answer::Count(min + pick(u64::from(span) + 1) as u32)
            }
            ItemKind::Text => continue,
        };
        // Every answer above fits its item; a refusal would leave it unanswered.
        let _ = attempt.runner.set_answer(index, answer);
    }
    // Past the last question: the review, as after answering by hand.
    while let Ok(Some(_)) = attempt.runner.next_visible() {}
    seed
}

/// SplitMix64's step: a new number each time, not for secrets.
fn next(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
