//! Carrying out the steps of the USB screen and the trust settings: the
//! one place a [`UsbCommand`] touches the library, the trusted keys and the
//! facilitator PIN.

use std::path::Path;

use super::command::UsbCommand;
use super::media_notice::MediaNotice;
use super::media_ui::{MediaState, Pending};
use crate::library::{Consent, ImportError, Library, Mode, Policy, TrustStore};
use crate::store::{now_unix, ResultsStore};
use crate::workshop::FacilitatorPin;

impl MediaState {
    /// Carries out a step of the USB screen or the trust settings, then
    /// judges every bundle on the drives again (the library or the keys may
    /// have changed). Without a library (it is damaged) nothing is imported.
    pub fn apply(
        &mut self,
        command: UsbCommand,
        mut library: Option<&mut Library>,
        store: Option<&ResultsStore>,
        mode: Mode,
    ) {
        match command {
            UsbCommand::Preview(path) => {
                self.previewed = (self.previewed.as_ref() != Some(&path)).then_some(path);
            }
            UsbCommand::CancelImport => {
                self.pending = None;
                self.message = Some(MediaNotice::NothingImported);
            }
            UsbCommand::Import { path, consent } => {
                if let Some(library) = library.as_deref_mut() {
                    self.import(&path, consent, library, mode);
                }
            }
            UsbCommand::Pin(pin) => self.pin = pin,
            UsbCommand::TrustKey(path) => {
                if self.pin_accepted(store) {
                    self.message = Some(match TrustStore::new(&self.data_dir).trust(&path) {
                        Ok(key) => MediaNotice::KeyTrusted(key.id),
                        Err(e) => MediaNotice::KeyNotAdded(e),
                    });
                }
            }
            UsbCommand::Untrust(id) => {
                if self.pin_accepted(store) {
                    self.message = Some(match TrustStore::new(&self.data_dir).untrust(&id) {
                        Ok(key) => MediaNotice::KeyUntrusted(key.id),
                        Err(e) => MediaNotice::KeyNotRemoved(e),
                    });
                }
            }
            UsbCommand::SetPolicy(require_trusted) => {
                if self.pin_accepted(store) {
                    let policy = Policy { require_trusted };
                    if let Err(e) = TrustStore::new(&self.data_dir).set_policy(policy) {
                        self.message = Some(MediaNotice::PolicyNotChanged(e));
                    }
                }
            }
        }
        if let Some(library) = library {
            self.update(None, library, mode);
        }
    }

    /// Checks the facilitator PIN typed on the settings screen, if one is set.
    fn pin_accepted(&mut self, store: Option<&ResultsStore>) -> bool {
        let Some(store) = store else {
            return true;
        };
        let pin = FacilitatorPin::new(store);
        match pin.is_set() {
            Ok(false) => true,
            // An empty field is not a wrong try: it must not count towards the lockout.
            Ok(true) if self.pin.is_empty() => {
                self.message = Some(MediaNotice::PinMissing);
                false
            }
            Ok(true) => match pin.verify(&self.pin, now_unix()) {
                Ok(()) => {
                    self.pin.clear();
                    true
                }
                Err(e) => {
                    self.message = Some(MediaNotice::PinRefused(e));
                    false
                }
            },
            Err(e) => {
                self.message = Some(MediaNotice::PinUnreadable(e));
                false
            }
        }
    }

    /// Imports the bundle at `path`, or asks the question the import needs
    /// answered first.
    fn import(&mut self, path: &Path, consent: Consent, library: &mut Library, mode: Mode) {
        let trust = self.trust(mode);
        let Some(row) = self.row(path) else {
            self.message = Some(MediaNotice::BundleGone);
            return;
        };
        let (Some(bytes), Ok(plan)) = (row.bytes.clone(), row.plan.clone()) else {
            return;
        };
        let name = row.file_name.clone();
        self.pending = None;
        // The plan the screen showed: the bundle is not decoded again.
        match library.import_planned(&plan, &bytes, name.clone(), &trust, consent) {
            Ok(plan) => {
                let titles = plan
                    .changes
                    .iter()
                    .map(|(r, _)| format!("{} (version {})", r.title, r.version))
                    .collect();
                self.message = Some(MediaNotice::Imported { name, titles });
            }
            Err(ImportError::NeedsWarning(signer)) => {
                self.pending = Some(Pending::Warning {
                    path: path.to_path_buf(),
                    signer,
                });
            }
            Err(ImportError::NeedsConfirmation(replacements)) => {
                self.pending = Some(Pending::Replace {
                    path: path.to_path_buf(),
                    replacements,
                    untrusted: consent.untrusted,
                });
            }
            Err(error) => self.message = Some(MediaNotice::NotImported { name, error }),
        }
    }
}
