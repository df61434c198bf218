//! `rubric-kiosk serve`: the phone server without the app window, for a
//! facilitator with a headless box, and for tests and the load benchmark.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;

use crate::library;
use crate::serve::{self, Event, PhoneServer, RateLimit, ServeOptions};
use crate::store::ResultsStore;
use crate::workshop::SessionId;

/// `serve` arguments.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The workshop session phones join (see `session list`).
    #[arg(long, value_name = "ID")]
    pub session: String,
    /// Address and port to listen on; 0.0.0.0 means every network of this machine.
    #[arg(long, value_name = "ADDR:PORT", default_value = "0.0.0.0:8080")]
    pub listen: SocketAddr,
    /// Most phones the session takes.
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub max_participants: usize,
    /// Requests per second each client address may make (sustained).
    #[arg(long, value_name = "N", default_value_t = RateLimit::default().per_second)]
    pub rate: f64,
    /// Requests each client address may make at once.
    #[arg(long, value_name = "N", default_value_t = RateLimit::default().burst)]
    pub burst: f64,
}

/// Runs the server until the process is stopped, printing the join URLs and
/// then one line per phone that joins or finishes.
pub fn serve(args: ServeArgs, data_dir: &Path) -> Result<()> {
    let session: SessionId = args.session.parse().with_context(|| {
        format!(
            "{:?} is not a session id (see `session list`)",
            args.session
        )
    })?;
    // Opening here first migrates the file and reports a bad folder clearly.
    let db = ResultsStore::open_in(data_dir)?.path().to_path_buf();
    // The rubrics in use: the built-in library and any imported bundles.
    let library = library::Library::open(data_dir)
        .context("the built-in rubric library is damaged")?
        .current()
        .clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let notify: serve::Notify = Arc::new(move |event| {
        let _ = tx.send(event);
    });
    let options = ServeOptions {
        listen: args.listen,
        max_participants: args.max_participants,
        rate: RateLimit {
            per_second: args.rate,
            burst: args.burst,
        },
        ..ServeOptions::default()
    };
    let server = PhoneServer::start(&db, library, session, options, notify)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {}", server.local_addr())?;
    writeln!(out, "join: {}", serve::join_url(&server))?;
    writeln!(
        out,
        "short: {} (code {})",
        serve::short_url(&server),
        server.join_code()
    )?;
    out.flush()?;
    drop(out);
    let _keep = server;
    for event in rx {
        let (what, counts) = match event {
            Event::Joined(c) => ("joined", c),
            Event::ResultSaved(c) => ("result saved", c),
        };
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{what}: {} joined, {} finished, {} mid-way",
            counts.joined,
            counts.finished,
            counts.mid_way()
        )?;
        out.flush()?;
    }
    Ok(())
}
