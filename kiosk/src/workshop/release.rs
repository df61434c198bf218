//! What the facilitator's screens (their view and the projector) show of
//! the group figures, so that no single result can be read from a change.
//!
//! The screens count in steps ([`session_aggregates_in_steps`]: each
//! rubric's count moves only by a whole minimum group), and [`ShownFigures`]
//! remembers, in the app's memory only, the figures last shown: a rubric's
//! figures are replaced only when its stepped count moved, or when the
//! facilitator reveals the results. Between steps a new result may take an
//! older one's place in the stepped count; the figures shown do not follow
//! it. Nothing of this is written to disk: a record of what was shown would
//! tell which results came last.
//!
//! [`session_aggregates_in_steps`]: super::aggregate::session_aggregates_in_steps

use super::aggregate::{GroupFigures, SessionAggregates};

/// The figures last shown, per rubric.
#[derive(Debug, Default)]
pub struct ShownFigures {
    last: Option<SessionAggregates>,
}

impl ShownFigures {
    /// What to show now, given freshly counted (stepped) figures: for each
    /// rubric whose stepped count has not moved, the figures shown before.
    pub fn pass(&mut self, fresh: SessionAggregates) -> SessionAggregates {
        let shown = match self.last.take() {
            Some(last) if last.session == fresh.session => keep_unmoved(last, fresh),
            _ => fresh,
        };
        self.last = Some(shown.clone());
        shown
    }

    /// Forgets what was shown (the facilitator revealed the results, or
    /// another session was chosen): the next figures are shown as counted.
    pub fn forget(&mut self) {
        self.last = None;
    }
}

fn keep_unmoved(last: SessionAggregates, mut fresh: SessionAggregates) -> SessionAggregates {
    for rubric in &mut fresh.rubrics {
        let Some(before) = last
            .rubrics
            .iter()
            .find(|r| r.rubric_id == rubric.rubric_id)
        else {
            continue;
        };
        if let (GroupFigures::Shown(was), GroupFigures::Shown(now)) =
            (&before.figures, &rubric.figures)
        {
            if was.results == now.results {
                rubric.figures = before.figures.clone();
            }
        }
    }
    fresh
}
