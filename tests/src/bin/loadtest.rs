//! Load benchmark of the phone server: N simulated phones at once, each
//! completing the staff-readiness rubric end to end as a browser without
//! JavaScript would (join page, join form, every question's form, the
//! redirect after each post, the result page), against `rubric-kiosk serve`
//! on 127.0.0.1. Nothing is sent to any other address.
//!
//! Each phone has its own source address on the loopback network
//! (127.0.1.2, 127.0.1.3, ...), as phones in a room have their own, so the
//! server's per-client rate limit applies to each phone as it would there.
//!
//! ```text
//! cargo build --release -p kiosk --bin rubric-kiosk -p cross-crate-checks --bin loadtest
//! target/release/loadtest 30 300        # phone counts, one run each
//! target/release/loadtest --think-ms 0 30
//! ```
//!
//! Prints per run: completions, completions/s, requests, p50/p99/max
//! latency per request, errors (any status but the expected one, any
//! transport error), the server's peak RSS, and whether the store holds
//! exactly one result per completed phone.

use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rubric_engine::model::{ItemKind, Rubric};

const RUBRIC: &str = "staff-readiness";

struct Args {
    phones: Vec<usize>,
    think: Duration,
    kiosk: PathBuf,
}

fn parse_args() -> Result<Args> {
    let mut phones = Vec::new();
    let mut think = Duration::from_millis(200);
    let mut kiosk = std::env::current_exe()?
        .parent()
        .context("no folder for the benchmark binary")?
        .join("rubric-kiosk");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--think-ms" => {
                let ms: u64 = args.next().context("--think-ms needs a number")?.parse()?;
                think = Duration::from_millis(ms);
            }
            "--kiosk" => kiosk = PathBuf::from(args.next().context("--kiosk needs a path")?),
            n => phones.push(
                n.parse()
                    .with_context(|| format!("{n:?} is not a phone count"))?,
            ),
        }
    }
    if phones.is_empty() {
        phones = vec![30, 300];
    }
    if !kiosk.exists() {
        bail!(
            "{} not found: build it first (cargo build --release -p kiosk --bin rubric-kiosk)",
            kiosk.display()
        );
    }
    Ok(Args {
        phones,
        think,
        kiosk,
    })
}

/// A server in a fresh data folder.
struct Server {
    child: Child,
    origin: String,
    join_path: String,
    data: tempfile::TempDir,
    session: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(kiosk: &Path, phones: usize) -> Result<Server> {
    let data = tempfile::tempdir()?;
    let created = Command::new(kiosk)
        .args(["--data-dir", &data.path().display().to_string()])
        .args([
            "session",
            "create",
            "--name",
            "Load test",
            "--rubric",
            RUBRIC,
        ])
        .output()?;
    if !created.status.success() {
        bail!(
            "session create failed: {}",
            String::from_utf8_lossy(&created.stderr)
        );
    }
    let out = String::from_utf8_lossy(&created.stdout);
    let session = out
        .split_whitespace()
        .find(|w| w.len() == 36 && w.matches('-').count() == 4)
        .context("no session id printed")?
        .to_string();
    let mut child = Command::new(kiosk)
        .args(["--data-dir", &data.path().display().to_string()])
        .args(["serve", "--session", &session, "--listen", "127.0.0.1:0"])
        .args(["--max-participants", &phones.to_string()])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut origin = None;
    let mut join_path = None;
    for line in lines.by_ref().take(3) {
        let line = line?;
        if let Some(addr) = line.strip_prefix("listening on ") {
            origin = Some(format!("http://{addr}"));
        }
        if let Some(url) = line.strip_prefix("join: ") {
            join_path = url.find("/s/").map(|i| url[i..].to_string());
        }
    }
    // Keep reading (and dropping) the event lines so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Ok(Server {
        child,
        origin: origin.context("the server printed no address")?,
        join_path: join_path.context("the server printed no join URL")?,
        data,
        session,
    })
}

fn input(body: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = body.find(&needle)? + needle.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_string())
}

#[derive(Default)]
struct PhoneReport {
    latencies: Vec<Duration>,
    errors: Vec<String>,
    completed: bool,
}

struct Phone {
    http: reqwest::Client,
    origin: String,
    cookie: Option<String>,
    report: PhoneReport,
}

impl Phone {
    /// One request; `None` (and an error recorded) unless the status is `expect`.
    async fn send(
        &mut self,
        request: reqwest::RequestBuilder,
        expect: u16,
    ) -> Option<(Option<String>, String)> {
        let mut request = request;
        if let Some(cookie) = &self.cookie {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        let started = Instant::now();
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                self.report.errors.push(format!("transport: {e}"));
                return None;
            }
        };
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header(reqwest::header::LOCATION);
        if let Some(set) = header(reqwest::header::SET_COOKIE) {
            self.cookie = set.split(';').next().map(str::to_string);
        }
        let body = response.text().await.unwrap_or_default();
        self.report.latencies.push(started.elapsed());
        if status != expect {
            self.report
                .errors
                .push(format!("status {status} (expected {expect})"));
            return None;
        }
        Some((location, body))
    }

    async fn get(&mut self, path: &str) -> Option<String> {
        let url = format!("{}{path}", self.origin);
        let request = self.http.get(url);
        self.send(request, 200).await.map(|(_, body)| body)
    }

    /// Posts a form and follows the 303, as a browser does.
    async fn post(&mut self, path: &str, form: String) -> Option<String> {
        let url = format!("{}{path}", self.origin);
        let request = self
            .http
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form);
        let (location, _) = self.send(request, 303).await?;
        self.get(&location?).await
    }

    async fn complete(&mut self, join_path: &str, rubric: &Rubric<'_>, think: Duration) {
        if self.get(join_path).await.is_none() {
            return;
        }
        tokio::time::sleep(think).await;
        let Some(mut page) = self.post(&format!("{join_path}join"), String::new()).await else {
            return;
        };
        let action = format!("{join_path}q");
        while let (Some(key), Some(index)) = (input(&page, "k"), input(&page, "i")) {
            let Some(item) = index.parse().ok().and_then(|i| rubric.item(i)) else {
                self.report.errors.push(format!("unknown question {index}"));
                return;
            };
            let answer = match item.kind {
                ItemKind::Scale { min, max, .. } => format!(
                    "v={}",
                    if self.report.latencies.len().is_multiple_of(2) {
                        max
                    } else {
                        min
                    }
                ),
                ItemKind::YesNo { .. } => "v=yes".into(),
                ItemKind::Single { .. } => "v=0".into(),
                ItemKind::Multi { .. } => "c=0".into(),
                ItemKind::Count { min, .. } => format!("v={min}"),
                ItemKind::Text => "t=load+test".into(),
            };
            tokio::time::sleep(think).await;
            match self
                .post(&action, format!("k={key}&i={index}&{answer}&go=next"))
                .await
            {
                Some(next) => page = next,
                None => return,
            }
        }
        if page.contains("Your answers are saved") {
            self.report.completed = true;
        } else {
            self.report
                .errors
                .push("ended without the saved result page".into());
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The server's resident memory now and at its peak, from /proc.
fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn phone_address(n: usize) -> IpAddr {
    IpAddr::from([127, 0, 1 + (n / 250) as u8, 2 + (n % 250) as u8])
}

fn run(args: &Args, phones: usize) -> Result<()> {
    let server = start_server(&args.kiosk, phones)?;
    let (_, idle_peak) = rss_kib(server.child.id());
    let library = kiosk::library::shipped()?;
    let rubric = library
        .bundle
        .rubric(RUBRIC)
        .context("no staff-readiness rubric")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let think = args.think;
    let started = Instant::now();
    let reports: Vec<PhoneReport> = runtime.block_on(async {
        let barrier = Arc::new(tokio::sync::Barrier::new(phones));
        let mut tasks = Vec::new();
        for n in 0..phones {
            let http = reqwest::Client::builder()
                .local_address(phone_address(n))
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build();
            let origin = server.origin.clone();
            let join_path = server.join_path.clone();
            let barrier = barrier.clone();
            tasks.push(tokio::spawn(async move {
                let mut phone = Phone {
                    http: match http {
                        Ok(http) => http,
                        Err(e) => {
                            return PhoneReport {
                                errors: vec![format!("client: {e}")],
                                ..PhoneReport::default()
                            }
                        }
                    },
                    origin,
                    cookie: None,
                    report: PhoneReport::default(),
                };
                barrier.wait().await;
                phone.complete(&join_path, &rubric, think).await;
                phone.report
            }));
        }
        let mut reports = Vec::new();
        for task in tasks {
            reports.push(task.await.unwrap_or_else(|e| PhoneReport {
                errors: vec![format!("task: {e}")],
                ..PhoneReport::default()
            }));
        }
        reports
    });
    let wall = started.elapsed();
    let (rss, peak) = rss_kib(server.child.id());
    let mut latencies: Vec<Duration> = reports
        .iter()
        .flat_map(|r| r.latencies.iter().copied())
        .collect();
    latencies.sort();
    let completed = reports.iter().filter(|r| r.completed).count();
    let errors: Vec<&String> = reports.iter().flat_map(|r| r.errors.iter()).collect();
    let store = kiosk::store::ResultsStore::open_in(server.data.path())?;
    let session = server.session.parse()?;
    let stored = store.workshop_results(session)?.len();
    println!(
        "phones {phones}: {completed} completed in {:.2} s = {:.1} completions/s; {} requests; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; errors {}; server RSS {} KiB (peak {} KiB, idle peak {} KiB); stored results {stored}; think time {} ms",
        wall.as_secs_f64(),
        completed as f64 / wall.as_secs_f64(),
        latencies.len(),
        percentile(&latencies, 50.0).as_secs_f64() * 1e3,
        percentile(&latencies, 99.0).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        errors.len(),
        rss,
        peak,
        idle_peak,
        think.as_millis(),
    );
    let mut kinds: Vec<&String> = errors.clone();
    kinds.sort();
    kinds.dedup();
    for kind in kinds.iter().take(5) {
        println!("  error: {kind}");
    }
    if stored != completed {
        bail!("the store holds {stored} results for {completed} completed phones");
    }
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    for &phones in &args.phones {
        run(&args, phones)?;
    }
    Ok(())
}
