//! The one connection to the store, on its own thread, with group commit.
//!
//! Every request's work (reads and writes) is a [`Job`] sent here. The
//! thread takes every job waiting, runs them all inside one
//! `BEGIN IMMEDIATE` transaction (each job's own changes in a savepoint, so
//! a job that fails leaves nothing behind), commits once, and only then
//! lets each job answer. A phone is told "saved" only after the commit that
//! saved it; many phones share one commit's disk syncs, and since there is
//! only one writer no request ever meets "database is locked" from another.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::thread::JoinHandle;

use crate::store::{ResultsStore, StoreError};

/// Most jobs in one transaction.
const MAX_BATCH: usize = 128;

/// What a job does once its transaction has committed (`Ok`) or not.
pub(crate) type Finish = Box<dyn FnOnce(Result<(), &StoreError>) + Send>;

/// Work on the store, run inside the batch's transaction; returns what to
/// do once the outcome of the commit is known. A job dropped unrun (the
/// transaction could not begin) drops its reply channel, which its sender
/// sees as a failure.
pub(crate) type Job = Box<dyn FnOnce(&ResultsStore) -> Finish + Send>;

/// Starts the thread; it ends when every sender is gone.
pub(crate) fn spawn(store: ResultsStore) -> std::io::Result<(Sender<Job>, JoinHandle<()>)> {
    let (tx, rx) = channel::<Job>();
    let thread = std::thread::Builder::new()
        .name("phone-store".into())
        .spawn(move || run(&store, &rx))?;
    Ok((tx, thread))
}

fn run(store: &ResultsStore, rx: &Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = store.begin_batch() {
            log::warn!("phone requests not served: {e}");
            continue;
        }
        let finishers: Vec<Finish> = jobs.into_iter().map(|job| job(store)).collect();
        let committed = store.commit_batch();
        if let Err(e) = &committed {
            log::warn!("phone answers not committed: {e}");
            store.rollback_batch();
        }
        for finish in finishers {
            finish(committed.as_ref().map(|_| ()));
        }
    }
}
