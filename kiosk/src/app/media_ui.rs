//! The USB screen: the drives the watcher found, every bundle on them with
//! its signer, checksum status and what importing it would do (or, for a
//! bundle that cannot be imported, why, in plain words), a preview of every
//! question before anything is imported, and the questions an import asks
//! first (a warning for unsigned or untrusted bundles, a confirmation
//! before newer versions replace rubrics in use).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{RichText, Ui};

use super::command::{Command, UsbCommand};
use super::media_notice::MediaNotice;
use super::theme::{self, space};
use super::widgets::{
    banner_ui, card_ui, page_scroll, primary_button, quiet_button, reading_column, section_heading,
};
use crate::library::trust::KeyEntry;
use crate::library::{
    Admission, Change, Consent, ImportPlan, Library, Mode, Policy, Rejection, Signer, TrustContext,
    TrustStore,
};
use crate::media::{Drive, Snapshot};

/// One bundle found on a drive, and what importing it would do.
#[derive(Debug, Clone)]
pub struct BundleRow {
    /// The drive's name.
    pub drive: String,
    /// The file.
    pub path: PathBuf,
    /// Its file name.
    pub file_name: String,
    /// Its size.
    pub size: u64,
    /// Its bytes, if they could be read and decoded.
    pub bytes: Option<Arc<[u8]>>,
    /// The import plan, or why it cannot be imported.
    pub plan: Result<ImportPlan, Rejection>,
}

/// A question an import asked before going ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Unsigned or untrusted: import anyway?
    Warning {
        /// The bundle.
        path: PathBuf,
        /// Who signed it.
        signer: Signer,
    },
    /// Newer versions replace rubrics in use: go ahead?
    Replace {
        /// The bundle.
        path: PathBuf,
        /// `(id, in use, new)`.
        replacements: Vec<(String, u16, u16)>,
        /// The warning was already accepted.
        untrusted: bool,
    },
}

/// What the USB screen and the trust settings show.
#[derive(Debug, Default)]
pub struct MediaState {
    pub(super) data_dir: PathBuf,
    /// The newest snapshot from the watcher (`None` before the first one).
    pub snapshot: Option<Snapshot>,
    /// Every bundle found, with its plan.
    pub rows: Vec<BundleRow>,
    /// The bundle previewed.
    pub previewed: Option<PathBuf>,
    /// The question an import is waiting on.
    pub pending: Option<Pending>,
    /// The outcome of the last step, and whether it is an error.
    pub message: Option<MediaNotice>,
    /// The facilitator PIN typed for a key or policy change.
    pub pin: String,
    /// The watcher could not be started.
    pub watch_failed: bool,
    /// A facilitator PIN is set, so key and policy changes need it.
    pub pin_set: bool,
    /// The trusted keys.
    pub keys: Vec<KeyEntry>,
    /// The policy.
    pub policy: Policy,
}

impl MediaState {
    /// The drives plugged in now, for saving a participant's printable page.
    pub fn page_drives(&self) -> Vec<super::workshop::PageDrive> {
        self.snapshot
            .iter()
            .flat_map(|s| &s.drives)
            .map(|d| super::workshop::PageDrive {
                root: d.root.clone(),
                name: d.name.clone(),
            })
            .collect()
    }

    /// The state for `data_dir`, with its keys and policy read.
    pub fn new(data_dir: &Path) -> Self {
        let mut state = MediaState {
            data_dir: data_dir.to_path_buf(),
            ..MediaState::default()
        };
        state.read_trust();
        state
    }

    fn read_trust(&mut self) {
        let store = TrustStore::new(&self.data_dir);
        match store.keys() {
            Ok(keys) => self.keys = keys,
            Err(e) => self.message = Some(MediaNotice::KeysUnreadable(e)),
        }
        self.policy = store.policy();
    }

    /// The keys and policy as imports must use them now.
    pub fn trust(&self, mode: Mode) -> TrustContext {
        TrustContext::load(&self.data_dir, mode)
    }

    /// Takes in a new snapshot (or re-judges the old one after the library
    /// or the keys changed).
    pub fn update(&mut self, snapshot: Option<Snapshot>, library: &Library, mode: Mode) {
        if snapshot.is_some() {
            self.snapshot = snapshot;
        }
        self.read_trust();
        let trust = self.trust(mode);
        let previous = std::mem::take(&mut self.rows);
        // A plan made from the same bytes that still holds is kept: the
        // bundle is not decoded again for every step on the screen.
        let kept = |path: &Path, bytes: &Arc<[u8]>| {
            previous
                .iter()
                .find(|r| r.path == path && r.bytes.as_ref().is_some_and(|b| Arc::ptr_eq(b, bytes)))
                .and_then(|r| r.plan.as_ref().ok())
                .filter(|plan| library.plan_holds(plan, bytes, &trust))
                .cloned()
        };
        self.rows =
            self.snapshot
                .iter()
                .flat_map(|s| s.drives.iter())
                .flat_map(|drive| drive.bundles.iter().map(move |found| (drive, found)))
                .map(|(drive, found)| {
                    let bytes = found.content.as_ref().ok().cloned();
                    BundleRow {
                        drive: drive.name.clone(),
                        path: found.path.clone(),
                        file_name: found.file_name.clone(),
                        size: found.size,
                        plan: match &found.content {
                            Ok(bytes) => kept(&found.path, bytes)
                                .map_or_else(|| library.plan(bytes, &trust), Ok),
                            Err(why) => Err(why.clone()),
                        },
                        bytes,
                    }
                })
                .collect();
        let present = |path: &PathBuf| self.rows.iter().any(|r| r.path == *path);
        if self.previewed.as_ref().is_some_and(|p| !present(p)) {
            self.previewed = None;
        }
        let pending_path = match &self.pending {
            Some(Pending::Warning { path, .. } | Pending::Replace { path, .. }) => Some(path),
            None => None,
        };
        if pending_path.is_some_and(|p| !present(p)) {
            self.pending = None;
            self.message = Some(MediaNotice::DriveRemoved);
        }
    }

    /// The row of the bundle at `path`.
    pub fn row(&self, path: &Path) -> Option<&BundleRow> {
        self.rows.iter().find(|r| r.path == path)
    }

    /// The drives of the newest snapshot.
    pub fn drives(&self) -> &[Drive] {
        self.snapshot.as_ref().map_or(&[], |s| s.drives.as_slice())
    }
}

/// Draws the USB screen.
pub fn media_ui(ui: &mut Ui, state: &mut MediaState) -> Option<Command> {
    let mut command = None;
    reading_column(ui, |ui| media_page_ui(ui, state, &mut command));
    if let Some(pending) = state.pending.clone() {
        pending_ui(ui, state, &pending, &mut command);
    } else if command.is_none() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        command = Some(Command::Settings);
    }
    command
}

fn media_page_ui(ui: &mut Ui, state: &MediaState, command: &mut Option<Command>) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Rubrics from USB")
                .text_style(theme::display())
                .strong(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if quiet_button(ui, "Home", 0.0).clicked() {
                *command = Some(Command::Home);
            }
            if quiet_button(ui, "Settings", 0.0).clicked() {
                *command = Some(Command::Settings);
            }
        });
    });
    if let Some((message, error)) = state.message.as_ref().map(MediaNotice::words) {
        banner_ui(ui, &message, error);
    }
    page_scroll("media").show(ui, |ui| {
        match &state.snapshot {
            _ if state.watch_failed => {
                banner_ui(ui, "USB drives cannot be watched on this machine (see the log).", true);
            }
            None => {
                ui.label("Looking for USB drives…");
            }
            Some(snapshot) if snapshot.drives.is_empty() => {
                ui.label("No USB drive found. Plug in a drive with rubric bundles (.rbk files) at its top level or in a “rubrics” folder; it shows here within a few seconds.");
            }
            Some(snapshot) => {
                for drive in &snapshot.drives {
                    drive_ui(ui, drive, state, command);
                }
            }
        }
        ui.add_space(space::L);
    });
}

fn drive_ui(ui: &mut Ui, drive: &Drive, state: &MediaState, command: &mut Option<Command>) {
    section_heading(ui, &format!("Drive {}", drive.name));
    if let Some(note) = &drive.note {
        banner_ui(ui, &note.to_string(), false);
    }
    if drive.bundles.is_empty() {
        ui.label("No rubric bundles on this drive.");
    }
    for found in &drive.bundles {
        if let Some(row) = state.row(&found.path) {
            bundle_ui(
                ui,
                row,
                state.previewed.as_deref() == Some(&row.path),
                command,
            );
        }
    }
}

fn signer_words(signer: Signer) -> String {
    match signer {
        Signer::Unsigned => "Unsigned: nobody vouches for where it came from.".into(),
        Signer::Trusted(_) | Signer::Untrusted(_) => {
            let mut words = signer.to_string();
            words[..1].make_ascii_uppercase();
            words + "."
        }
    }
}

fn change_words(change: &Change) -> String {
    match change {
        Change::New => "new".into(),
        Change::Replaces(old) => format!("replaces version {old}"),
        Change::Older(current) => {
            format!("older than version {current} in use; kept for old results")
        }
        Change::Same => "already in the library".into(),
    }
}

fn bundle_ui(ui: &mut Ui, row: &BundleRow, previewed: bool, command: &mut Option<Command>) {
    let p = theme::palette(ui.ctx());
    card_ui(ui, |ui| {
        ui.label(
            RichText::new(&row.file_name)
                .text_style(theme::title())
                .strong(),
        );
        match &row.plan {
            Err(why @ Rejection::AlreadyInLibrary) => {
                ui.label(RichText::new(why.to_string()).color(p.text_muted));
            }
            Err(why) => {
                ui.label(RichText::new(format!("{} bytes", row.size)).color(p.text_muted));
                ui.label(RichText::new(format!("Cannot be imported. {why}")).color(p.warning_text));
            }
            Ok(plan) => {
                ui.label(plan.preview.title());
                ui.label(
                    RichText::new(format!(
                        "{} bytes · format version {} · checksum correct ({:08x})",
                        plan.preview.size, plan.preview.format_version, plan.preview.crc
                    ))
                    .color(p.text_muted),
                );
                let signer = signer_words(plan.preview.signer);
                if plan.admission == Admission::Trusted {
                    ui.label(signer);
                } else {
                    ui.label(RichText::new(signer).color(p.warning_text));
                }
                for (rubric, change) in &plan.changes {
                    ui.label(format!(
                        "• {} (version {}): {}",
                        rubric.title,
                        rubric.version,
                        change_words(change)
                    ));
                }
                ui.horizontal_wrapped(|ui| {
                    let preview = if previewed {
                        format!("Hide the questions of {}", row.file_name)
                    } else {
                        format!("Preview {}", row.file_name)
                    };
                    if quiet_button(ui, preview, 0.0).clicked() {
                        *command = Some(Command::Usb(UsbCommand::Preview(row.path.clone())));
                    }
                    if primary_button(ui, format!("Import {}", row.file_name), 0.0).clicked() {
                        *command = Some(Command::Usb(UsbCommand::Import {
                            path: row.path.clone(),
                            consent: Consent::default(),
                        }));
                    }
                });
                if previewed {
                    preview_ui(ui, plan);
                }
            }
        }
    });
    ui.add_space(space::S);
}

fn preview_ui(ui: &mut Ui, plan: &ImportPlan) {
    let p = theme::palette(ui.ctx());
    for rubric in &plan.preview.rubrics {
        ui.add_space(space::S);
        ui.label(RichText::new(format!("{} (version {})", rubric.title, rubric.version)).strong());
        ui.label(RichText::new(&rubric.summary).color(p.text_muted));
        for (i, item) in rubric.items.iter().enumerate() {
            ui.label(format!("{}. {}", i + 1, item.prompt));
            ui.label(
                RichText::new(format!("    answered with {}", item.answer)).color(p.text_muted),
            );
        }
    }
}

fn pending_ui(ui: &mut Ui, state: &MediaState, pending: &Pending, command: &mut Option<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("usb-pending")).show(ui.ctx(), |ui| {
        ui.set_max_width(theme::COLUMN * 0.7);
        match pending {
            Pending::Warning { path, signer } => {
                ui.label(RichText::new("Import a bundle nobody you trust signed?").text_style(theme::title()).strong());
                ui.label(format!("This bundle is {signer}. Its rubrics could say anything, and nothing shows who wrote them. Import it only if you know where it came from."));
                ui.horizontal(|ui| {
                    if quiet_button(ui, "Cancel", 0.0).clicked() {
                        *command = Some(Command::Usb(UsbCommand::CancelImport));
                    }
                    if primary_button(ui, "Import anyway", 0.0).clicked() {
                        *command = Some(Command::Usb(UsbCommand::Import {
                            path: path.clone(),
                            consent: Consent { untrusted: true, replace: false },
                        }));
                    }
                });
            }
            Pending::Replace { path, replacements, untrusted } => {
                ui.label(RichText::new("Replace rubrics in use?").text_style(theme::title()).strong());
                let title = |id: &str| {
                    state
                        .row(path)
                        .and_then(|row| row.plan.as_ref().ok())
                        .and_then(|plan| plan.changes.iter().find(|(r, _)| r.id == id))
                        .map_or_else(|| id.to_string(), |(r, _)| r.title.clone())
                };
                for (id, old, new) in replacements {
                    let title = title(id);
                    ui.label(format!("“{title}”: version {new} replaces version {old} for new attempts."));
                }
                ui.label("Results already taken keep showing with the questions of their own version.");
                ui.horizontal(|ui| {
                    if quiet_button(ui, "Cancel", 0.0).clicked() {
                        *command = Some(Command::Usb(UsbCommand::CancelImport));
                    }
                    if primary_button(ui, "Replace", 0.0).clicked() {
                        *command = Some(Command::Usb(UsbCommand::Import {
                            path: path.clone(),
                            consent: Consent { untrusted: *untrusted, replace: true },
                        }));
                    }
                });
            }
        }
    });
    if modal.should_close() && command.is_none() {
        *command = Some(Command::Usb(UsbCommand::CancelImport));
    }
}

/// The trusted keys and the policy, for the settings screen.
pub fn trust_settings_ui(ui: &mut Ui, state: &MediaState, command: &mut Option<Command>) {
    let p = theme::palette(ui.ctx());
    section_heading(ui, "Rubrics from USB");
    ui.label("Import rubric bundles from a USB drive. The built-in rubrics are always trusted; bundles should be signed by a key you trust.");
    if primary_button(ui, "Import rubrics from USB", 0.0).clicked() {
        *command = Some(Command::Media);
    }
    section_heading(ui, "Trusted keys");
    if let Some((message, error)) = state.message.as_ref().map(MediaNotice::words) {
        banner_ui(ui, &message, error);
    }
    if state.pin_set {
        ui.label("A facilitator PIN is set: changing keys or the policy needs it.");
        let mut pin = state.pin.clone();
        let field = ui
            .horizontal(|ui| {
                let label = ui.label("Facilitator PIN");
                ui.add(egui::TextEdit::singleline(&mut pin).password(true))
                    .labelled_by(label.id)
            })
            .inner;
        if field.changed() {
            *command = Some(Command::Usb(UsbCommand::Pin(pin)));
        }
    }
    if state.keys.is_empty() {
        ui.label(RichText::new("No keys are trusted yet.").color(p.text_muted));
    }
    for key in &state.keys {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&key.id).monospace());
            if quiet_button(ui, format!("Remove key {}", key.id), 0.0).clicked() {
                *command = Some(Command::Usb(UsbCommand::Untrust(key.id.clone())));
            }
        });
    }
    let on_drives: Vec<&PathBuf> = state.drives().iter().flat_map(|d| d.keys.iter()).collect();
    if on_drives.is_empty() {
        ui.label(
            RichText::new("Plug in a drive with a public key file (.pub) to trust a new key.")
                .color(p.text_muted),
        );
    }
    for path in on_drives {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        if quiet_button(ui, format!("Trust key file {name}"), 0.0).clicked() {
            *command = Some(Command::Usb(UsbCommand::TrustKey(path.clone())));
        }
    }
    let mut strict = state.policy.require_trusted;
    if ui
        .checkbox(
            &mut strict,
            "Only accept bundles signed by a trusted key (workshop kiosks always do)",
        )
        .changed()
    {
        *command = Some(Command::Usb(UsbCommand::SetPolicy(strict)));
    }
}
