//! "Let phones join": the phone server of the facilitator's session, its
//! panel in the facilitator view, and the join code on the projector.
//!
//! The server runs on its own threads ([`crate::serve`]); it tells the app
//! about phones that join or finish through a channel and wakes the UI with
//! `request_repaint`. Nothing here polls: without news the app draws nothing.

use std::net::SocketAddr;
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;

use egui::{RichText, Ui};

use super::qr::labelled_qr_ui;
use crate::app::command::{Command, WorkshopCommand};
use crate::app::theme::{self, space};
use crate::app::widgets::{card_ui, primary_button, quiet_button, section_heading};
use crate::library::Loaded;
use crate::serve::{self, Event, PhoneServer, ServeError, ServeOptions};
use crate::store::{PhoneCounts, StoreError};
use crate::workshop::SessionId;

/// What the screens show of the phone server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhonesView {
    /// The URL in the QR code (with the join secret).
    pub join_url: String,
    /// The short URL with the code.
    pub short_url: String,
    /// Phones joined and finished.
    pub counts: PhoneCounts,
    /// Whether new phones may join.
    pub joining_open: bool,
}

/// The running phone server of the session, and what it has said.
#[derive(Debug)]
pub(crate) struct Phones {
    server: PhoneServer,
    events: Receiver<Event>,
    pub(crate) view: PhonesView,
    /// A result was saved since the figures were last counted.
    refresh: bool,
}

impl Phones {
    /// Starts serving `session` on `listen`; `ctx` is woken on every event.
    pub(crate) fn start(
        db: &std::path::Path,
        library: &Loaded,
        session: SessionId,
        listen: SocketAddr,
        ctx: egui::Context,
    ) -> Result<Self, ServeError> {
        let (tx, events) = channel();
        let notify: serve::Notify = Arc::new(move |event| {
            let _ = tx.send(event);
            ctx.request_repaint();
        });
        let options = ServeOptions {
            listen,
            ..ServeOptions::default()
        };
        let server = PhoneServer::start(db, library.clone(), session, options, notify)?;
        let view = PhonesView {
            join_url: serve::join_url(&server),
            short_url: serve::short_url(&server),
            counts: server.counts().unwrap_or_default(),
            joining_open: server.joining_open().unwrap_or(true),
        };
        Ok(Phones {
            server,
            events,
            view,
            refresh: false,
        })
    }

    /// Takes the events that arrived (new counts); true if any did.
    pub(crate) fn take_news(&mut self) -> bool {
        let mut any = false;
        while let Ok(event) = self.events.try_recv() {
            let (Event::Joined(counts) | Event::ResultSaved(counts)) = event;
            self.refresh |= matches!(event, Event::ResultSaved(_));
            self.view.counts = counts;
            any = true;
        }
        any
    }

    /// Whether a result was saved since the last call.
    pub(crate) fn take_refresh(&mut self) -> bool {
        std::mem::take(&mut self.refresh)
    }

    /// Lets new phones join, or stops them.
    pub(crate) fn set_joining(&mut self, open: bool) -> Result<(), StoreError> {
        self.server.set_joining(open)?;
        self.view.joining_open = open;
        Ok(())
    }

    /// The session served.
    pub(crate) fn session(&self) -> SessionId {
        self.server.session()
    }
}

/// The phone server's place in workshop mode: where it listens, the
/// context it wakes, and the server while it runs.
#[derive(Debug)]
pub(crate) struct PhoneLink {
    server: Option<Phones>,
    listen: SocketAddr,
    /// The app's context, for the server to wake the UI.
    ctx: Option<egui::Context>,
}

impl PhoneLink {
    /// No server yet; it will listen on `listen`.
    pub(crate) fn new(listen: SocketAddr) -> Self {
        PhoneLink {
            server: None,
            listen,
            ctx: None,
        }
    }

    /// Where the server listens when it starts.
    pub(crate) fn set_listen(&mut self, listen: SocketAddr) {
        self.listen = listen;
    }

    /// Remembers the app's context (the first frame has it).
    pub(crate) fn set_ctx(&mut self, ctx: &egui::Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
    }

    /// What the screens show, while the server runs.
    pub(crate) fn view(&self) -> Option<&PhonesView> {
        self.server.as_ref().map(|p| &p.view)
    }

    /// The session served, while the server runs.
    pub(crate) fn session(&self) -> Option<SessionId> {
        self.server.as_ref().map(Phones::session)
    }

    /// Serves `session` to phones (a second start for the same session
    /// keeps the server that runs).
    pub(crate) fn start(
        &mut self,
        db: &std::path::Path,
        library: &Loaded,
        session: SessionId,
    ) -> Result<(), ServeError> {
        if self.session() == Some(session) {
            return Ok(());
        }
        self.server = None;
        let ctx = self.ctx.clone().unwrap_or_default();
        self.server = Some(Phones::start(db, library, session, self.listen, ctx)?);
        Ok(())
    }

    /// Stops the server (the session's answers stay in the store).
    pub(crate) fn stop(&mut self) {
        self.server = None;
    }

    /// Lets new phones join, or stops them (nothing while no server runs).
    pub(crate) fn set_joining(&mut self, open: bool) -> Result<(), StoreError> {
        match &mut self.server {
            Some(phones) => phones.set_joining(open),
            None => Ok(()),
        }
    }

    /// Takes what the server sent since the last frame: the new view (when
    /// the server runs), and whether a result was saved since.
    pub(crate) fn take_news(&mut self) -> Option<(PhonesView, bool)> {
        let phones = self.server.as_mut()?;
        phones.take_news();
        Some((phones.view.clone(), phones.take_refresh()))
    }
}

/// The facilitator's "Phones" panel: start, the address, counts, close joining.
pub(crate) fn phones_ui(
    ui: &mut Ui,
    phones: Option<&PhonesView>,
    session_open: bool,
) -> Option<Command> {
    let mut command = None;
    section_heading(ui, "Phones");
    match phones {
        None if session_open => {
            ui.label("Participants can answer on their own phones over this room's network: the kiosk serves the pages, and nothing leaves the room.");
            if primary_button(ui, "Let phones join", 0.0).clicked() {
                command = Some(Command::Workshop(WorkshopCommand::LetPhonesJoin));
            }
        }
        None => {
            ui.label("The session is closed: phones cannot join.");
        }
        Some(view) => {
            card_ui(ui, |ui| {
                ui.label(
                    RichText::new(&view.short_url)
                        .text_style(theme::title())
                        .strong(),
                );
                ui.label(&view.join_url);
                let c = view.counts;
                ui.label(format!(
                    "Phones: {} joined · {} finished · {} mid-way",
                    c.joined,
                    c.finished,
                    c.mid_way()
                ));
                ui.label(if view.joining_open {
                    "New phones can join."
                } else {
                    "Joining is closed: phones already in can finish."
                });
            });
            ui.add_space(space::S);
            ui.horizontal_wrapped(|ui| {
                let (text, open) = if view.joining_open {
                    ("Close joining", false)
                } else {
                    ("Reopen joining", true)
                };
                if quiet_button(ui, text, 0.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::PhoneJoining(open)));
                }
                if quiet_button(ui, "Stop serving phones", 0.0).clicked() {
                    command = Some(Command::Workshop(WorkshopCommand::StopPhones));
                }
            });
        }
    }
    command
}

/// The join code on the projector: the QR code, the short URL, the counts.
pub(crate) fn projector_join_ui(ui: &mut Ui, view: &PhonesView, text_color: egui::Color32) {
    ui.horizontal(|ui| {
        if view.joining_open {
            labelled_qr_ui(ui, &view.join_url, "QR code to join on a phone");
        }
        ui.vertical(|ui| {
            let big = |text: String| {
                RichText::new(text)
                    .size(theme::size::PROJECTOR)
                    .color(text_color)
            };
            if view.joining_open {
                ui.label(big("Answer on your phone: scan the code, or open".into()));
                ui.label(big(view.short_url.clone()).strong());
            } else {
                ui.label(big("Joining is closed".into()));
            }
            let c = view.counts;
            ui.label(big(format!(
                "{} phones joined · {} finished",
                c.joined, c.finished
            )));
        });
    });
    ui.add_space(space::M);
}
