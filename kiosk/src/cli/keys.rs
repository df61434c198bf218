//! `rubric-kiosk keys list|trust|untrust|policy`: the keys bundles must be
//! signed with. Once a facilitator PIN is set, changes need it (`--pin`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use serde_json::json;

use crate::library::{Policy, TrustStore};
use crate::store::{now_unix, ResultsStore};
use crate::workshop::FacilitatorPin;

/// `keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List the trusted keys by key id, and the policy.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Trust the public key in a `.pub` file (it is copied in).
    Trust {
        /// The public key file.
        #[arg(value_name = "PUB")]
        file: PathBuf,
        /// The facilitator PIN, needed once one is set.
        #[arg(long)]
        pin: Option<String>,
    },
    /// Stop trusting a key.
    Untrust {
        /// Its key id (or a prefix of 4+ hex digits).
        #[arg(value_name = "KEY-ID")]
        key_id: String,
        /// The facilitator PIN, needed once one is set.
        #[arg(long)]
        pin: Option<String>,
    },
    /// Set the import policy.
    Policy {
        /// `trusted-only`: every import needs a trusted signature;
        /// `warn`: single-user mode may import others after a warning.
        policy: PolicyArg,
        /// The facilitator PIN, needed once one is set.
        #[arg(long)]
        pin: Option<String>,
    },
}

/// The policies by name.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PolicyArg {
    /// Only bundles signed by a trusted key, in every mode.
    TrustedOnly,
    /// Workshop mode needs trusted signatures; single-user mode warns.
    Warn,
}

/// Checks the facilitator PIN if one is set.
fn check_pin(data_dir: &Path, pin: Option<&str>) -> Result<()> {
    let store = ResultsStore::open_in(data_dir)?;
    let facilitator = FacilitatorPin::new(&store);
    if !facilitator.is_set()? {
        return Ok(());
    }
    let Some(pin) = pin else {
        bail!("a facilitator PIN is set on this kiosk; give it with --pin to change keys or the policy");
    };
    facilitator
        .verify(pin, now_unix())
        .context("the facilitator PIN was not accepted")?;
    Ok(())
}

/// Runs a `keys` subcommand.
pub fn run(command: KeysCommand, data_dir: &Path) -> Result<()> {
    let trust = TrustStore::new(data_dir);
    let mut out = std::io::stdout().lock();
    match command {
        KeysCommand::List { json } => {
            let keys = trust.keys()?;
            let policy = policy_name(trust.policy());
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({"keys": keys.iter().map(|k| &k.id).collect::<Vec<_>>(), "policy": policy})
                )?;
            } else {
                if keys.is_empty() {
                    writeln!(out, "no trusted keys (the built-in library needs none)")?;
                }
                for key in &keys {
                    writeln!(out, "{}", key.id)?;
                }
                writeln!(out, "policy: {policy}")?;
            }
        }
        KeysCommand::Trust { file, pin } => {
            check_pin(data_dir, pin.as_deref())?;
            let key = trust.trust(&file)?;
            writeln!(out, "trusted key {}", key.id)?;
        }
        KeysCommand::Untrust { key_id, pin } => {
            check_pin(data_dir, pin.as_deref())?;
            let key = trust.untrust(&key_id)?;
            writeln!(out, "key {} is no longer trusted", key.id)?;
        }
        KeysCommand::Policy { policy, pin } => {
            check_pin(data_dir, pin.as_deref())?;
            let policy = Policy {
                require_trusted: matches!(policy, PolicyArg::TrustedOnly),
            };
            trust.set_policy(policy)?;
            writeln!(out, "policy: {}", policy_name(policy))?;
        }
    }
    Ok(())
}

fn policy_name(policy: Policy) -> &'static str {
    if policy.require_trusted {
        "trusted-only"
    } else {
        "warn"
    }
}
