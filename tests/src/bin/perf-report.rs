//! Size and speed figures for the README, measured side by side in one run.
//!
//! `cargo run --release -p cross-crate-checks --bin perf-report` prints
//! `name: value` lines (`perf-report firmware`: only the firmware's;
//! `perf-report decode`: only the size and decode figures; `perf-report
//! profile`: the structure decode in a loop, for `perf record`). The
//! firmware builds and runs in `$CARGO_TARGET_DIR/fw` when `CARGO_TARGET_DIR`
//! is set, else in `engine/firmware/target`.
//! Timings are medians of interleaved batches, so the ratios hold on a noisy
//! machine even when the absolute numbers move.
//!
//! Every comparison with JSON is on the same work: the structure decode
//! against serde_json's decode of the same model with every text empty (what
//! the structure holds), the host load (every text) against serde_json's
//! decode of the whole model, and the bundle's size against the same
//! model's JSON compressed with deflate and with zstd.

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rubric_engine::codec::{expand_bundle, Prose};
use rubric_engine::owned::BundlePayload;
use rubric_engine::Bundle;

/// zstd's level for the compressed-JSON size figure (its highest ordinary level).
const ZSTD_LEVEL: i32 = 19;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Nanoseconds per call of `f`, one sample per batch of `batch` calls.
fn sample(batch: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        f();
    }
    start.elapsed().as_nanos() as f64 / batch as f64
}

fn main() -> Result<()> {
    // `perf-report workshop` measures only the workshop figures.
    if std::env::args().nth(1).as_deref() == Some("workshop") {
        return workshop_figures();
    }
    // `perf-report decode` measures only the size and decode figures.
    let decode_only = std::env::args().nth(1).as_deref() == Some("decode");
    // `perf-report firmware` measures only the firmware figures.
    if std::env::args().nth(1).as_deref() == Some("firmware") {
        firmware_figures()?.iter().for_each(|l| println!("{l}"));
        return Ok(());
    }
    // The shipped library as the compiler writes it (format version 6,
    // signed with the test key): the structure, then the texts of all
    // rubrics as one compressed stream. `inline` is the same library with
    // the texts expanded back into the payload (the version 2 layout hosts
    // decode after `expand`).
    let library = cross_crate_checks::compile_library()?;
    // `perf-report profile`: only the structure decode, in a loop for ten
    // seconds, for `perf record`.
    if std::env::args().nth(1).as_deref() == Some("profile") {
        let start = Instant::now();
        while start.elapsed().as_secs() < 10 {
            for _ in 0..1000 {
                black_box(Bundle::decode(black_box(&library)).is_ok());
            }
        }
        return Ok(());
    }
    let structure = Bundle::decode(&library)?;
    let inline = expand_bundle(&library)?;
    let bundle = Bundle::decode(&inline)?;
    let owned = BundlePayload::from_view(bundle.payload());
    // The same model twice as JSON, so that each figure compares like with
    // like: the whole model (every text), and the structure alone (every
    // text empty, exactly what the bundle's structure payload holds).
    let json = serde_json::to_string(&owned)?;
    let mut structure_model = owned.clone();
    rubric_engine::prose::take_texts(&mut structure_model);
    let structure_json = serde_json::to_string(&structure_model)?;
    let deflate = |bytes: &[u8]| -> Result<Vec<u8>> {
        let mut deflater =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        deflater.write_all(bytes)?;
        Ok(deflater.finish()?)
    };
    let deflated = deflate(json.as_bytes())?;
    let zstd_json = zstd::bulk::compress(json.as_bytes(), ZSTD_LEVEL)?;
    let device = rubrics::encode_bundle(
        &rubrics::compile(&rubrics::read_sources(
            &[cross_crate_checks::library_dir()],
        )?)?,
        Prose::Omitted,
        Some(&cross_crate_checks::test_key()),
    )?;

    println!("bundle_format_version: {}", structure.header().version);
    println!("bundle_rubrics: {}", owned.rubrics.len());
    println!("bundle_bytes: {}", library.len());
    println!("json_bytes: {}", json.len());
    println!("structure_only_json_bytes: {}", structure_json.len());
    // Size on the same work: the bundle (signed, texts compressed) against
    // the same model's JSON compressed by deflate (best) and by zstd.
    println!("deflate_json_bytes: {}", deflated.len());
    println!("zstd_{ZSTD_LEVEL}_json_bytes: {}", zstd_json.len());
    println!(
        "bundle_size_ratio_vs_deflate_json: {:.3}",
        library.len() as f64 / deflated.len() as f64
    );
    println!(
        "bundle_size_ratio_vs_zstd_json: {:.3}",
        library.len() as f64 / zstd_json.len() as f64
    );
    // Where the bytes are: the texts people read (everything but ids) as
    // plain UTF-8, the prose section that holds them compressed, and the
    // rest (structure, ids, header, CRC, signature). For comparison, the
    // same library in the version 2 layout (texts inline, signed like the
    // bundle) and the device's bundle (texts omitted, signed).
    let mut text_bytes = 0;
    for rubric in &mut owned.rubrics.clone() {
        rubric_engine::prose::for_each_text(rubric, &mut |t| text_bytes += t.len());
    }
    let prose_section = structure.prose_bytes().len();
    println!("bundle_text_bytes_uncompressed: {text_bytes}");
    println!("bundle_prose_section_bytes: {prose_section}");
    println!("bundle_structure_bytes: {}", library.len() - prose_section);
    println!(
        "inline_layout_bundle_bytes: {}",
        inline.len() + rubric_engine::codec::KEY_ID_LEN + rubric_engine::codec::SIGNATURE_LEN
    );
    println!("device_bundle_bytes: {}", device.len());
    println!(
        "stream_prose_bundle_bytes_unsigned: {}",
        library.len() - rubric_engine::codec::KEY_ID_LEN - rubric_engine::codec::SIGNATURE_LEN
    );

    decode_figures(&library, &structure_json, &json);
    candidate_figures(&inline, deflated.len(), &json)?;
    if decode_only {
        return Ok(());
    }

    // Scoring the largest rubric once, with a complete golden answer set.
    let largest = bundle
        .rubrics()
        .max_by_key(|r| r.items.len())
        .context("empty library")?;
    let cases = cross_crate_checks::read_cases()?;
    let case = cases
        .iter()
        .find(|c| c.rubric == largest.id)
        .context("no golden case for the largest rubric")?;
    let answers = rubrics::answers::from_json(&largest, &case.answers)?.answers;
    let mut score_times = Vec::new();
    for _ in 0..201 {
        score_times.push(sample(200, || {
            black_box(rubric_engine::score(
                black_box(&largest),
                black_box(&answers),
            ));
        }));
    }
    println!(
        "score_rubric: {} ({} items)",
        largest.id,
        largest.items.len()
    );
    println!("score_ns_median: {:.0}", median(score_times));

    workshop_figures()?;

    match firmware_figures() {
        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
        Err(e) => println!("firmware: not measured ({e:#})"),
    }
    Ok(())
}

/// The decode and load figures, each beside serde_json on the same work.
fn decode_figures(library: &[u8], structure_json: &str, json: &str) {
    // Decode, interleaved call by call so a slow moment of the machine
    // hits all of them alike and the ratios stay comparable. Each call is
    // timed on its own: on a busy machine a batch of many calls is more
    // likely to be interrupted the longer it runs, which favoured the
    // shorter engine batches over serde_json's (batches of 40 calls each
    // timed the structure decode over 1 ms and serde_json's over 20 ms).
    // Each engine figure has a serde_json figure on the same work beside it:
    // - structure: the engine's decode of the bundle (header, CRC of the
    //   whole file, structure payload, validation of every rubric with every
    //   text empty, the prose stream's length checked; no signature check),
    //   against serde_json's decode of the structure-only JSON into owned
    //   structs. This is what scoring and the device read.
    // - full host load: what the kiosk does to a bundle file
    //   (`kiosk::library::load`: inflate the texts, rebuild and re-encode
    //   the inline payload, decode and validate it with every text),
    //   against serde_json's decode of the full JSON (every text) into
    //   owned structs.
    // - decode only: the structure payload walked without CRC or checks.
    let (mut engine, mut structure_json_times, mut host_times, mut json_times, mut walk_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..401 {
        engine.push(sample(1, || {
            let b = Bundle::decode(black_box(library)).map(|b| b.header().payload_len);
            black_box(b.ok());
        }));
        structure_json_times.push(sample(1, || {
            let p: Result<BundlePayload, _> = serde_json::from_str(black_box(structure_json));
            black_box(p.ok());
        }));
        host_times.push(sample(1, || {
            let b = kiosk::library::load(black_box(library)).map(|b| b.header().payload_len);
            black_box(b.ok());
        }));
        json_times.push(sample(1, || {
            let p: Result<BundlePayload, _> = serde_json::from_str(black_box(json));
            black_box(p.ok());
        }));
        walk_times.push(sample(1, || {
            black_box(walk(black_box(library)));
        }));
    }
    let (engine, structure_json_decode, host, json_decode, walked) = (
        median(engine),
        median(structure_json_times),
        median(host_times),
        median(json_times),
        median(walk_times),
    );
    println!("structure_decode_validate_ns_median: {engine:.0}");
    println!("serde_json_structure_only_decode_ns_median: {structure_json_decode:.0}");
    println!(
        "structure_decode_validate_speedup_vs_serde_json_same_work: {:.2}",
        structure_json_decode / engine
    );
    println!("host_load_ns_median: {host:.0}");
    println!("serde_json_full_decode_ns_median: {json_decode:.0}");
    println!(
        "host_load_speedup_vs_serde_json_same_work: {:.2}",
        json_decode / host
    );
    println!("structure_decode_without_checks_ns_median: {walked:.0}");
    println!(
        "structure_decode_without_checks_speedup_vs_serde_json_same_work: {:.2}",
        structure_json_decode / walked
    );
}

/// Decodes every element of the payload once, without checks; returns the
/// number of text bytes seen so nothing is optimised away.
fn walk(bundle: &[u8]) -> usize {
    use rubric_engine::codec::HEADER_LEN;
    use rubric_engine::model::{BundlePayload, ItemKind, VerdictRule};
    let payload_len = u32::from_le_bytes([bundle[8], bundle[9], bundle[10], bundle[11]]) as usize;
    let Some(bytes) = bundle.get(HEADER_LEN..HEADER_LEN + payload_len) else {
        return 0;
    };
    let Ok(payload) = postcard::from_bytes::<BundlePayload<'_>>(bytes) else {
        return 0;
    };
    let mut seen = 0;
    for r in payload.rubrics.iter() {
        seen += r.title.len() + r.summary.len() + r.intro.len();
        seen += r.caveats.iter().map(|c| c.text.len()).sum::<usize>();
        seen += r.sections.iter().map(|s| s.title.len()).sum::<usize>();
        for item in r.items.iter() {
            seen += item.prompt.len() + item.weights.iter().count();
            match item.kind {
                ItemKind::Scale { descriptors, .. } => {
                    seen += descriptors.iter().map(str::len).sum::<usize>()
                }
                ItemKind::Single { options } | ItemKind::Multi { options } => {
                    for o in options.iter() {
                        seen += o.label.len() + o.weights.iter().count();
                    }
                }
                _ => {}
            }
        }
        seen += r.dimensions.iter().map(|d| d.title.len()).sum::<usize>();
        seen += r.outcomes.iter().map(|o| o.title.len()).sum::<usize>();
        for band in r.bands.iter() {
            seen += band.label.len() + band.actions.iter().map(|a| a.text.len()).sum::<usize>();
        }
        if let VerdictRule::Grid { cells, .. } = r.verdict_rule {
            seen += cells.iter().count();
        }
    }
    seen
}

/// The firmware's budget (issue 12): flash for code and embedded data.
const FIRMWARE_FLASH_BUDGET: u64 = 64 * 1024;
/// The firmware's budget (issue 12): RAM for static data and the stack.
const FIRMWARE_RAM_BUDGET: u64 = 16 * 1024;

/// Builds engine/firmware and reads its sizes from the ELF: flash from the
/// section headers, the embedded library and golden files from the sizes of
/// the firmware's `FIRMWARE_*` symbols; code is flash without those. Runs it
/// under QEMU, when installed, for the stack high-water mark.
///
/// The firmware is its own workspace; it builds in `$CARGO_TARGET_DIR/fw`
/// when `CARGO_TARGET_DIR` is set, else in `engine/firmware/target`.
fn firmware_figures() -> Result<Vec<String>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../engine/firmware");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| dir.join("target"), |t| PathBuf::from(t).join("fw"));
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .context("running cargo build for engine/firmware")?;
    if !status.success() {
        bail!("engine/firmware did not build (is the thumbv7m-none-eabi target installed?)");
    }
    let elf_path = target_dir.join("thumbv7m-none-eabi/release/rubric-firmware");
    let elf =
        std::fs::read(&elf_path).with_context(|| format!("reading {}", elf_path.display()))?;
    let (flash, ram) = elf32_alloc_sizes(&elf)?;
    let symbols = elf32_symbol_sizes(&elf)?;
    let size_of = |name: &str| {
        symbols
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, size)| size)
            .with_context(|| format!("no symbol {name} in the firmware"))
    };
    let library = size_of("FIRMWARE_LIBRARY")?;
    let golden = size_of("FIRMWARE_GOLDEN_CASES")? + size_of("FIRMWARE_TRUSTED_KEY")?;
    let budget = |used: u64, budget: u64| {
        if used <= budget {
            format!("{used} of {budget} bytes ({} left)", budget - used)
        } else {
            format!("{used} of {budget} bytes ({} over)", used - budget)
        }
    };
    let mut lines = vec![
        format!("firmware_text_bytes: {flash}"),
        format!(
            "firmware_code_bytes: {}",
            flash.saturating_sub(library + golden)
        ),
        format!("firmware_embedded_bundle_bytes: {library}"),
        format!("firmware_embedded_golden_bytes: {golden}"),
        format!(
            "firmware_flash_budget: {}",
            budget(flash, FIRMWARE_FLASH_BUDGET)
        ),
        format!("firmware_ram_bytes: {ram}"),
    ];
    match run_qemu(&dir, &target_dir) {
        Ok(peak) => {
            lines.push(format!("firmware_stack_peak_bytes: {peak}"));
            // Static RAM and the deepest stack: all the RAM the firmware uses.
            lines.push(format!(
                "firmware_ram_budget: {}",
                budget(ram + peak, FIRMWARE_RAM_BUDGET)
            ));
        }
        Err(e) => lines.push(format!("firmware_stack_peak_bytes: not measured ({e:#})")),
    }
    Ok(lines)
}

fn run_qemu(dir: &Path, target_dir: &Path) -> Result<u64> {
    let out = Command::new("cargo")
        .args(["run", "--release", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .context("running the firmware under qemu-system-arm")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!(
            "firmware run failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    text.lines()
        .find_map(|l| {
            l.strip_prefix("stack high-water: ")?
                .strip_suffix(" bytes")?
                .parse()
                .ok()
        })
        .context("no stack high-water line in the firmware output")
}

fn elf_u16(elf: &[u8], at: usize) -> Result<u16> {
    elf.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .context("short ELF file")
}

fn elf_u32(elf: &[u8], at: usize) -> Result<u32> {
    elf.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .context("short ELF file")
}

/// The section headers of a little-endian 32-bit ELF file: (offset of the
/// header, count, size of one).
fn elf32_sections(elf: &[u8]) -> Result<(usize, usize, usize)> {
    if elf.get(..6) != Some(b"\x7fELF\x01\x01") {
        bail!("not a little-endian 32-bit ELF file");
    }
    Ok((
        elf_u32(elf, 0x20)? as usize,
        usize::from(elf_u16(elf, 0x30)?),
        usize::from(elf_u16(elf, 0x2E)?),
    ))
}

/// (flash, ram): flash is every allocated section with contents (vectors,
/// code, read-only data, initialised data); RAM is every writable allocated
/// section (initialised and zeroed data).
fn elf32_alloc_sizes(elf: &[u8]) -> Result<(u64, u64)> {
    const SHF_WRITE: u32 = 1;
    const SHF_ALLOC: u32 = 2;
    const SHT_NOBITS: u32 = 8;
    let (shoff, shnum, shentsize) = elf32_sections(elf)?;
    let (mut flash, mut ram) = (0u64, 0u64);
    for i in 0..shnum {
        let at = shoff + i * shentsize;
        let kind = elf_u32(elf, at + 4)?;
        let flags = elf_u32(elf, at + 8)?;
        let size = u64::from(elf_u32(elf, at + 20)?);
        if flags & SHF_ALLOC == 0 {
            continue;
        }
        if kind != SHT_NOBITS {
            flash += size;
        }
        if flags & SHF_WRITE != 0 {
            ram += size;
        }
    }
    Ok((flash, ram))
}

/// (name, size) of every symbol in the ELF's symbol table.
fn elf32_symbol_sizes(elf: &[u8]) -> Result<Vec<(String, u64)>> {
    const SHT_SYMTAB: u32 = 2;
    let (shoff, shnum, shentsize) = elf32_sections(elf)?;
    let header = |i: usize| shoff + i * shentsize;
    let symtab = (0..shnum)
        .map(header)
        .find(|&at| elf_u32(elf, at + 4).ok() == Some(SHT_SYMTAB))
        .context("the firmware has no symbol table")?;
    let (offset, size, entsize) = (
        elf_u32(elf, symtab + 16)? as usize,
        elf_u32(elf, symtab + 20)? as usize,
        elf_u32(elf, symtab + 36)? as usize,
    );
    let strtab = elf_u32(elf, header(elf_u32(elf, symtab + 24)? as usize) + 16)? as usize;
    if entsize == 0 {
        bail!("the firmware's symbol table has entries of size 0");
    }
    let mut symbols = Vec::new();
    for at in (offset..offset + size).step_by(entsize) {
        let name_at = strtab + elf_u32(elf, at)? as usize;
        let name = elf
            .get(name_at..)
            .and_then(|rest| rest.split(|&b| b == 0).next())
            .context("symbol name outside the file")?;
        let size = u64::from(elf_u32(elf, at + 8)?);
        symbols.push((String::from_utf8_lossy(name).into_owned(), size));
    }
    Ok(symbols)
}

/// Results stored in one session for `workshop_aggregate_ms_100k`.
const WORKSHOP_RESULTS: usize = 100_000;

/// Stores 100 000 real engine results (the shipped library's staff-readiness
/// and staff-archetype rubrics, 200 different answer sets each) in one
/// session of a fresh store, then times the session's aggregates (median of
/// 7 runs). Goal: at most 100 ms.
fn workshop_figures() -> Result<()> {
    use kiosk::attempt::{Attempt, Completed, Encoded};
    use kiosk::store::ResultsStore;
    use kiosk::workshop::{session_aggregates, NewWorkshopResult, SessionConfig, SessionDate};
    use rubric_engine::model::ItemKind;
    use rubric_engine::Answer;

    const RUBRICS: [&str; 2] = ["staff-readiness", "staff-archetype"];
    let library = kiosk::library::shipped()?;
    let mut made: Vec<(Completed, Encoded)> = Vec::new();
    for (r, id) in RUBRICS.iter().enumerate() {
        let rubric = library.bundle.rubric(id).context("rubric missing")?;
        for seed in 0..200usize {
            let mut attempt = Attempt::start(rubric, &library.hash);
            let mut state = (seed * 2 + r) as u64 * 0x9E37_79B9_7F4A_7C15 + 1;
            while let Some(index) = attempt.runner.current() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let pick = (state >> 8) as usize;
                let item = rubric.item(index).context("item missing")?;
                let answer = match item.kind {
                    ItemKind::Scale { min, max, .. } => {
                        Answer::Level(min + (pick % usize::from(max - min + 1)) as u8)
                    }
                    ItemKind::YesNo { .. } => Answer::YesNo(pick.is_multiple_of(2)),
                    ItemKind::Single { options } => {
                        Answer::Choice((pick % options.len().max(1)) as u8)
                    }
                    ItemKind::Multi { .. } => Answer::Choices(1),
                    ItemKind::Count { min, .. } => Answer::Count(min),
                    ItemKind::Text => Answer::Unanswered,
                };
                attempt.runner.answer(answer)?;
                attempt.runner.next_visible()?;
            }
            let completed = attempt.complete();
            let encoded = completed.encoded()?;
            made.push((completed, encoded));
        }
    }

    let dir = std::env::temp_dir().join(format!("rubric-perf-workshop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = ResultsStore::open_in(&dir)?;
    let config = SessionConfig {
        name: "perf-report".into(),
        rubric_ids: RUBRICS.iter().map(|r| r.to_string()).collect(),
        ..SessionConfig::default()
    }
    .validate(&library.bundle)?;
    let session = store.create_session(&config, SessionDate::from_unix(0))?;
    let rows: Vec<NewWorkshopResult<'_>> = (0..WORKSHOP_RESULTS)
        .map(|i| {
            let (completed, encoded) = &made[i % made.len()];
            NewWorkshopResult::from_completed(completed, encoded, session.id, None)
        })
        .collect();
    let start = Instant::now();
    store.save_workshop_results(&rows)?;
    let insert_s = start.elapsed().as_secs_f64();
    drop(rows);

    let mut times = Vec::new();
    let mut counted = 0;
    for _ in 0..7 {
        let start = Instant::now();
        let group = black_box(session_aggregates(&store, &session, &library.bundle)?);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        counted = group
            .rubrics
            .iter()
            .filter_map(|r| r.figures.shown())
            .map(|f| f.results)
            .sum::<usize>();
    }
    if counted != WORKSHOP_RESULTS {
        bail!("aggregates counted {counted} of {WORKSHOP_RESULTS} results");
    }
    let db_bytes = std::fs::metadata(store.path())
        .map(|m| m.len())
        .unwrap_or(0);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    println!("workshop_bulk_insert_s_100k: {insert_s:.2}");
    println!("workshop_db_bytes_100k: {db_bytes}");
    println!("workshop_aggregate_ms_100k: {:.1}", median(times));
    projector_figures(&library, &made)
}

/// Participants of the session behind `projector_frame_ms_500`.
const PROJECTOR_PARTICIPANTS: usize = 500;

/// One frame of the projector view of a session where 500 participants took
/// both rubrics (real results from `made`), headless: `egui::Context::run_ui`
/// on a fixed 1920x1080 screen, after warm-up frames (fonts), median of 201
/// frames; tessellating the frame's shapes is reported on its own line.
/// Goal: at most 4 ms per frame.
fn projector_figures(
    library: &kiosk::library::Loaded,
    made: &[(kiosk::attempt::Completed, kiosk::attempt::Encoded)],
) -> Result<()> {
    use kiosk::app::projector_ui::projector_ui;
    use kiosk::app::theme::Theme;
    use kiosk::store::ResultsStore;
    use kiosk::workshop::{session_aggregates, NewWorkshopResult, SessionConfig, SessionDate};

    let dir = std::env::temp_dir().join(format!("rubric-perf-projector-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = ResultsStore::open_in(&dir)?;
    let rubric_ids: Vec<String> =
        made.iter()
            .map(|(c, _)| c.rubric.id.to_string())
            .fold(Vec::new(), |mut ids, id| {
                if !ids.contains(&id) {
                    ids.push(id);
                }
                ids
            });
    let per_rubric: Vec<Vec<&(kiosk::attempt::Completed, kiosk::attempt::Encoded)>> = rubric_ids
        .iter()
        .map(|id| made.iter().filter(|(c, _)| c.rubric.id == id).collect())
        .collect();
    let config = SessionConfig {
        name: "perf-report projector".into(),
        rubric_ids: rubric_ids.clone(),
        ..SessionConfig::default()
    }
    .validate(&library.bundle)?;
    let session = store.create_session(&config, SessionDate::from_unix(0))?;
    let rows: Vec<NewWorkshopResult<'_>> = per_rubric
        .iter()
        .flat_map(|results| {
            (0..PROJECTOR_PARTICIPANTS).map(|i| {
                let (completed, encoded) = results[i % results.len()];
                NewWorkshopResult::from_completed(completed, encoded, session.id, None)
            })
        })
        .collect();
    store.save_workshop_results(&rows)?;
    let group = session_aggregates(&store, &session, &library.bundle)?;
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    if group.participants != PROJECTOR_PARTICIPANTS
        || group.rubrics.iter().any(|r| r.figures.shown().is_none())
    {
        bail!("the projector session does not show {PROJECTOR_PARTICIPANTS} participants' figures");
    }

    let ctx = egui::Context::default();
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1920.0, 1080.0),
        )),
        ..Default::default()
    };
    let frame = || {
        let start = Instant::now();
        let mut output = ctx.run_ui(input.clone(), |ui| {
            projector_ui(ui, &group, Theme::HighContrast)
        });
        let built = start.elapsed().as_secs_f64() * 1000.0;
        let start = Instant::now();
        black_box(ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point));
        let tessellated = start.elapsed().as_secs_f64() * 1000.0;
        output.textures_delta.clear();
        (built, tessellated)
    };
    for _ in 0..20 {
        frame();
    }
    let (built, tessellated): (Vec<f64>, Vec<f64>) = (0..201).map(|_| frame()).unzip();
    println!("projector_frame_ms_500: {:.2}", median(built));
    println!("projector_tessellate_ms_500: {:.2}", median(tessellated));
    Ok(())
}

/// Bytes of the candidate layout's header: magic, version, flags, the
/// payload's length once inflated and the stream's length.
const CANDIDATE_HEADER_LEN: usize = 16;

/// A candidate host layout measured beside the current one; no format the
/// compiler writes. The whole inline payload (structure and texts, as
/// `expand` gives it) is one deflate stream, so that a host inflates once
/// and decodes the texts in place from the inflated buffer, with nothing
/// rebuilt or encoded again. Its size is what such a bundle would take
/// signed (header with both lengths, the stream, CRC, key id, signature);
/// its load is what `kiosk::library::load` would do with it: inflate into
/// an inline container, then `Bundle::decode` (CRC, decode and validation
/// of every text). Inflated by miniz_oxide (the engine's inflater) and by
/// zlib-rs (through flate2, already in the kiosk's build for zip files).
fn candidate_figures(inline: &[u8], deflated_json: usize, json: &str) -> Result<()> {
    use rubric_engine::codec::{CRC_LEN, HEADER_LEN, KEY_ID_LEN, SIGNATURE_LEN};
    let payload = inline
        .get(HEADER_LEN..inline.len().saturating_sub(CRC_LEN))
        .context("short inline bundle")?;
    let packed = miniz_oxide::deflate::compress_to_vec(payload, 10);
    let bytes = CANDIDATE_HEADER_LEN + packed.len() + CRC_LEN + KEY_ID_LEN + SIGNATURE_LEN;
    println!("candidate_whole_payload_stream_bytes: {}", packed.len());
    println!("candidate_bundle_bytes: {bytes}");
    println!(
        "candidate_bundle_size_ratio_vs_deflate_json: {:.3}",
        bytes as f64 / deflated_json as f64
    );
    let n = payload.len();
    // The inline container is built around the inflated payload in place:
    // header first, the payload inflated after it, then the CRC.
    let container = |inflate: &dyn Fn(&mut [u8]) -> bool| -> Option<Vec<u8>> {
        let mut out = vec![0u8; HEADER_LEN + n + CRC_LEN];
        out[..HEADER_LEN].copy_from_slice(&inline[..HEADER_LEN]);
        if !inflate(&mut out[HEADER_LEN..HEADER_LEN + n]) {
            return None;
        }
        let crc = rubric_engine::crc::crc32(&out[..HEADER_LEN + n]);
        out[HEADER_LEN + n..].copy_from_slice(&crc.to_le_bytes());
        Some(out)
    };
    let miniz = |out: &mut [u8]| {
        miniz_oxide::inflate::decompress_slice_iter_to_slice(
            out,
            std::iter::once(packed.as_slice()),
            false,
            true,
        ) == Ok(n)
    };
    let zlib_rs = |out: &mut [u8]| {
        let mut inflater = flate2::Decompress::new(false);
        matches!(
            inflater.decompress(&packed, out, flate2::FlushDecompress::Finish),
            Ok(flate2::Status::StreamEnd)
        ) && inflater.total_out() == n as u64
    };
    // Both inflaters must give back the payload exactly.
    for (name, inflate) in [
        ("miniz_oxide", &miniz as &dyn Fn(&mut [u8]) -> bool),
        ("zlib-rs", &zlib_rs),
    ] {
        let built = container(inflate).with_context(|| format!("{name} did not inflate"))?;
        if built != inline {
            bail!("{name} inflated another payload");
        }
        Bundle::decode(&built)?;
    }
    let load = |inflate: &dyn Fn(&mut [u8]) -> bool| {
        let built = container(inflate);
        let b = built
            .as_deref()
            .map(|b| Bundle::decode(b).map(|b| b.header().payload_len));
        black_box(b.map(Result::ok));
    };
    let (mut miniz_times, mut zlib_times, mut decode_times, mut json_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..401 {
        miniz_times.push(sample(1, || load(black_box(&miniz))));
        zlib_times.push(sample(1, || load(black_box(&zlib_rs))));
        decode_times.push(sample(1, || {
            black_box(
                Bundle::decode(black_box(inline))
                    .map(|b| b.header().payload_len)
                    .ok(),
            );
        }));
        json_times.push(sample(1, || {
            let p: Result<BundlePayload, _> = serde_json::from_str(black_box(json));
            black_box(p.ok());
        }));
    }
    let json_decode = median(json_times);
    let decode = median(decode_times);
    println!("inline_decode_validate_ns_median: {decode:.0}");
    println!(
        "inline_decode_validate_speedup_vs_serde_json_same_work: {:.2}",
        json_decode / decode
    );
    for (name, times) in [("miniz_oxide", miniz_times), ("zlib_rs", zlib_times)] {
        let t = median(times);
        println!("candidate_host_load_{name}_ns_median: {t:.0}");
        println!(
            "candidate_host_load_{name}_speedup_vs_serde_json_same_work: {:.2}",
            json_decode / t
        );
    }
    println!("candidate_serde_json_full_decode_ns_median: {json_decode:.0}");
    Ok(())
}
