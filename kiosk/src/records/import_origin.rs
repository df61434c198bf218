//! Where merged results came from: the kiosk that exported them and its
//! session, with how many results it added. Kept per import source, never
//! per result, so it tells the facilitator where rows came from without
//! telling which rows.

/// Results merged into a session from one other kiosk's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOrigin {
    /// The exporting kiosk's id (see [`KIOSK_ID_SETTING`]); `None` for
    /// files from releases that did not write one.
    pub kiosk: Option<String>,
    /// The exporting kiosk's session id.
    pub session: String,
    /// The exporting kiosk's session name.
    pub session_name: String,
    /// Results added from it (results already present are not counted).
    pub results: usize,
}

impl ImportOrigin {
    /// The kiosk, as people read it: the first 8 characters of its id.
    pub fn kiosk_label(&self) -> String {
        match &self.kiosk {
            Some(id) => format!("kiosk {}", short_kiosk_id(id)),
            None => "a kiosk of an earlier release".to_string(),
        }
    }
}

/// The setting that holds this kiosk's random id, made on first use.
pub const KIOSK_ID_SETTING: &str = "kiosk_id";

/// The first 8 characters of a kiosk id, as screens show it.
pub fn short_kiosk_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
