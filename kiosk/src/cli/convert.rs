//! `rubric-kiosk convert`: a TOML rubric into a spreadsheet and back.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::fsutil::write_atomic;
use crate::sheet::{is_spreadsheet, read_sources, workbook_from_toml, write_xlsx};

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// Runs `convert`: `.toml` to `.xlsx`, or `.xlsx` or `.ods` to `.toml`, as
/// the extensions say. An existing output is replaced only with `force`.
pub fn convert(input: &Path, output: &Path, force: bool) -> Result<()> {
    if output.exists() && !force {
        bail!(
            "{} already exists; give --force to replace it (nothing was changed)",
            output.display()
        );
    }
    let is_toml = |p: &Path| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    };
    let has = |p: &Path, ext: &str| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    if is_toml(input) && has(output, "ods") {
        bail!(
            "convert writes .xlsx, not .ods: write {} as .xlsx, then open it in LibreOffice \
             and save it as .ods (nothing was written)",
            output.display()
        );
    }
    let bytes = match (
        is_toml(input),
        has(output, "xlsx"),
        is_spreadsheet(input),
        is_toml(output),
    ) {
        (true, true, _, _) => {
            // Compiled first: a spreadsheet of a rubric with errors would only move them.
            let sources = read_sources(&[input.to_path_buf()])?;
            sources.compile()?;
            let text = &sources.sources[0].text;
            let book = workbook_from_toml(text)
                .with_context(|| format!("{} cannot be laid out as sheets", input.display()))?;
            write_xlsx(&book)?
        }
        (_, _, true, true) => {
            let sources = read_sources(&[input.to_path_buf()])?;
            sources.compile()?;
            sources.sources[0].text.clone().into_bytes()
        }
        _ => bail!(
            "convert goes from a .toml rubric to an .xlsx spreadsheet, or from an .xlsx or .ods \
             spreadsheet to .toml; got {} -> {}",
            input.display(),
            output.display()
        ),
    };
    write_atomic(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    out!("wrote {} ({} bytes)", output.display(), bytes.len());
    Ok(())
}
