//! `rubric-kiosk new`: writes a commented starter rubric that compiles,
//! previews and passes `check` as it is.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use rubrics::templates::{id_from_name, Template};

macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

/// The starter rubrics, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateArg {
    /// Yes/no questions, counted into bands.
    YesNoCount,
    /// Questions on a scale, added up into scores read through bands.
    ScaleBands,
    /// Scenarios whose answers point to profiles; the best fit wins.
    ArchetypeFit,
}

impl From<TemplateArg> for Template {
    fn from(arg: TemplateArg) -> Self {
        match arg {
            TemplateArg::YesNoCount => Template::YesNoCount,
            TemplateArg::ScaleBands => Template::ScaleBands,
            TemplateArg::ArchetypeFit => Template::ArchetypeFit,
        }
    }
}

/// Runs `new`: writes the starter to `output`, or to `ID.toml` here.
pub fn new(name: &str, template: TemplateArg, output: Option<&Path>) -> Result<()> {
    let Some(id) = id_from_name(name) else {
        bail!("\"{name}\" has no letters or digits to make a rubric id from; try a name such as \"team health\"");
    };
    let path = output.map_or_else(|| PathBuf::from(format!("{id}.toml")), Path::to_path_buf);
    let template = Template::from(template);
    let text = template.text(&id, name.trim());
    // Never over an existing file: it may be someone's afternoon of work.
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; choose another name or `-o OTHER.toml` (nothing was changed)",
            path.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    out!(
        "wrote {} (rubric id `{id}`, from the {} template)",
        path.display(),
        template.name()
    );
    out!("next:");
    out!(
        "  rubric-kiosk preview {}   see it in the app; it reloads as you save",
        path.display()
    );
    out!(
        "  rubric-kiosk check {}     can every band be reached?",
        path.display()
    );
    out!("  rubric-kiosk compile {} -o {id}.rbk", path.display());
    Ok(())
}
