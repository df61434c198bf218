//! Keeping the order of turns out of the file's layout.
//!
//! SQLite writes a new row where there is room: on the page its key belongs
//! to, below the cells that came before it, and on fresh overflow and leaf
//! pages at the end of the file. Random keys alone therefore do not hide the
//! order in which workshop results arrived: cell offsets, page numbers and
//! overflow chains all follow it, and a deleted row's bytes stay in free
//! space. So the store (1) deletes securely (`secure_delete`: freed cells
//! and pages are overwritten with zeros) and keeps temporary data in memory
//! (both set when a connection is configured, in `results_store`),
//! and (2) after every committed change to workshop data, rewrites the whole
//! file in key order (`VACUUM`), which places every row by its random key
//! alone and leaves no free pages behind.
//!
//! The result is committed (durable) before the rewrite starts; a rewrite
//! that fails (the disk is full, another connection is reading) leaves the
//! data as it is and is tried again after the next change. The forensic
//! test `kiosk/tests/anonymity_at_rest.rs` reads the file's pages raw and
//! checks that no physical ordering follows the order of turns.

use super::results_store::ResultsStore;

impl ResultsStore {
    /// Workshop data changed: rewrite the file in key order now, unless a
    /// batch transaction is open (then [`ResultsStore::commit_batch`] does it).
    pub(super) fn workshop_data_changed(&self) {
        self.layout_stale.set(true);
        if self.conn.is_autocommit() {
            self.rewrite_in_key_order();
        }
    }

    /// Rewrites the file in key order if workshop data changed since the
    /// last rewrite. Failures are logged, not returned: what was committed
    /// stays committed, and the next change tries again.
    pub(super) fn rewrite_in_key_order(&self) {
        if !self.layout_stale.get() {
            return;
        }
        match self.conn.execute_batch("VACUUM") {
            Ok(()) => self.layout_stale.set(false),
            Err(e) => log::warn!(
                "could not rewrite {} in key order (the order of workshop turns may be readable from its layout until the next change): {e}",
                self.path().display()
            ),
        }
    }
}
