//! Workshop mode driven through its accessibility labels: participants
//! taking turns, the idle timeout, the PIN lockout, the minimum group rule
//! in the facilitator view, the projector window, and that nobody reaches
//! an earlier participant's result. Time moves by the mode's clock, never
//! by sleeping.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::Path;
use std::time::Duration;

use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use kiosk::app::workshop::Stage;
use kiosk::app::{AppOptions, KioskApp, Screen};

const PIN: &str = "2468";
const FOUR_SHIFTS: &str = "Four shifts from senior to staff";
const READINESS: &str = "Staff readiness self-assessment";

fn harness(dir: &Path) -> Harness<'static, KioskApp> {
    let options = AppOptions {
        kiosk: true,
        ..AppOptions::default()
    };
    let app = KioskApp::new(dir.to_path_buf(), options);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    h
}

fn click(h: &mut Harness<'static, KioskApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run_ok();
    h.get_by_label(label).click();
    h.run_ok();
}

fn stage<'a>(h: &'a Harness<'static, KioskApp>) -> &'a Stage {
    &h.state().workshop().expect("in workshop mode").stage
}

fn advance(h: &mut Harness<'static, KioskApp>, secs: u64) {
    h.state_mut()
        .workshop_mut()
        .expect("in workshop mode")
        .clock
        .advance(Duration::from_secs(secs));
    h.run_ok();
}

/// Types `pin` on the on-screen keypad and presses OK.
fn keypad(h: &mut Harness<'static, KioskApp>, pin: &str) {
    for digit in pin.chars() {
        click(h, &digit.to_string());
    }
    click(h, "OK");
}

/// Sets the PIN on first use and creates a session of `rubrics` with the
/// smallest minimum group (3); ends on the welcome screen.
fn set_up(h: &mut Harness<'static, KioskApp>, rubrics: &[&str]) {
    assert!(h.query_by_label("Set a facilitator PIN").is_some());
    keypad(h, PIN);
    assert!(h.query_by_label("Enter the same PIN again").is_some());
    keypad(h, PIN);
    assert!(matches!(stage(h), Stage::Setup(_)));
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Offsite day 1");
    h.run_ok();
    for title in rubrics {
        click(h, title);
    }
    click(h, "Smaller group");
    click(h, "Smaller group");
    assert!(h.query_by_label("Minimum group size: 3").is_some());
    click(h, "Create session");
    if let Stage::Setup(setup) = stage(h) {
        panic!("not created: {:?} {:?}", setup.error, setup.name);
    }
    assert!(matches!(stage(h), Stage::Facilitator(_)));
    click(h, "Back to participants");
    assert!(matches!(stage(h), Stage::Welcome));
}

/// One participant: welcome, alias (or skip), every question answered with
/// the number key `level` and Enter; ends on their own result.
fn take_rubric(h: &mut Harness<'static, KioskApp>, alias: Option<&str>, level: egui::Key) {
    click(h, "Tap to start");
    match alias {
        Some(alias) => {
            h.get_by_label("Alias (optional)").focus();
            h.run_ok();
            h.get_by_label("Alias (optional)").type_text(alias);
            h.run_ok();
            click(h, "Start");
        }
        None => click(h, "Skip"),
    }
    for _ in 0..40 {
        if !matches!(stage(h), Stage::Answer) {
            break;
        }
        h.key_press(level);
        h.run_ok();
        h.key_press(egui::Key::Enter);
        h.run_ok();
    }
    assert!(matches!(stage(h), Stage::OwnResult), "on the own result");
}

fn to_facilitator(h: &mut Harness<'static, KioskApp>) {
    click(h, "Facilitator");
    keypad(h, PIN);
    assert!(matches!(stage(h), Stage::Facilitator(_)));
}

#[test]
fn a_workshop_of_several_participants_runs_from_welcome_to_finish_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    let levels = [egui::Key::Num1, egui::Key::Num4, egui::Key::Num2];
    for (turn, level) in levels.into_iter().enumerate() {
        take_rubric(&mut h, Some(&format!("Owl {turn}")), level);
        assert!(h.query_by_label("QR code of your result summary").is_some());
        click(&mut h, "Finish");
        assert!(matches!(stage(&h), Stage::Welcome));
        assert!(!h.state().workshop().unwrap().has_participant());
    }
    let store = kiosk::store::ResultsStore::open_in(dir.path()).unwrap();
    let session = h.state().workshop().unwrap().session().unwrap().id;
    assert_eq!(store.workshop_results(session).unwrap().len(), 3);
    // Answers lived in memory only: nothing in the single-user progress table.
    assert!(store.progress().unwrap().is_none());
}

#[test]
fn no_participant_can_reach_an_earlier_participants_result() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    take_rubric(&mut h, Some("Heron"), egui::Key::Num4);
    let verdict = "How far the four shifts have gone";
    assert!(h.query_by_label_contains(verdict).is_some());
    click(&mut h, "Finish");
    for gone in ["Heron", verdict, FOUR_SHIFTS, "Finish", "Run a peer round"] {
        assert!(
            h.query_by_label_contains(gone).is_none(),
            "{gone} still shows"
        );
    }
    // No history, no settings, no back: the only ways on are to start afresh
    // or the facilitator's PIN.
    for absent in ["My history", "History", "Settings", "Back", "Home"] {
        assert!(h.query_by_label(absent).is_none(), "{absent} is offered");
    }
    h.key_press(egui::Key::Escape);
    h.run_ok();
    assert!(matches!(stage(&h), Stage::Alias(a) if a.is_empty()));
    click(&mut h, "Skip");
    assert!(h.query_by_label_contains("Heron").is_none());
    assert!(matches!(stage(&h), Stage::Answer));
}

#[test]
fn the_idle_timeout_discards_an_unfinished_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    click(&mut h, "Tap to start");
    click(&mut h, "Skip");
    h.key_press(egui::Key::Num2);
    h.run_ok();
    // A tap during the countdown keeps the attempt.
    advance(&mut h, 91);
    assert!(h.query_by_label("Still there? Tap to continue").is_some());
    click(&mut h, "Continue");
    assert!(h.query_by_label("Still there? Tap to continue").is_none());
    assert!(matches!(stage(&h), Stage::Answer));
    // Nothing for 90 + 15 s: discarded, back to the start.
    advance(&mut h, 91);
    assert!(h.query_by_label("Still there? Tap to continue").is_some());
    advance(&mut h, 15);
    assert!(matches!(stage(&h), Stage::Welcome));
    assert!(!h.state().workshop().unwrap().has_participant());
    let store = kiosk::store::ResultsStore::open_in(dir.path()).unwrap();
    let session = h.state().workshop().unwrap().session().unwrap().id;
    assert!(store.workshop_results(session).unwrap().is_empty());
}

#[test]
fn the_welcome_screen_asks_for_no_frames_while_idle() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    h.run_ok();
    let delay = h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    assert_eq!(
        delay,
        Duration::MAX,
        "the welcome screen schedules a repaint"
    );
}

/// The seconds of the lockout countdown on the keypad, if it shows.
fn locked_for(h: &Harness<'static, KioskApp>) -> Option<i64> {
    let prefix = "Too many wrong PINs: locked for ";
    let node = h.query_by_label_contains(prefix)?;
    let node = node.accesskit_node();
    let label = node.label().or_else(|| node.value())?;
    label.strip_prefix(prefix)?.strip_suffix(" s")?.parse().ok()
}

#[test]
fn the_pin_locks_after_five_wrong_tries_and_the_lockout_doubles() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    click(&mut h, "Facilitator");
    for _ in 0..4 {
        keypad(&mut h, "1111");
        assert!(h.query_by_label_contains("wrong PIN").is_some());
    }
    keypad(&mut h, "1111");
    // Hashing takes real time in a debug build: allow a few seconds.
    let first = locked_for(&h).expect("locked");
    assert!((55..=60).contains(&first), "{first}");
    // While locked the keypad is disabled: not even the right PIN is taken.
    assert!(h.get_by_label("OK").accesskit_node().is_disabled());
    advance(&mut h, 30);
    assert!(locked_for(&h).is_some_and(|s| s <= 30));
    advance(&mut h, 31);
    assert_eq!(locked_for(&h), None);
    for _ in 0..5 {
        keypad(&mut h, "1111");
    }
    let second = locked_for(&h).expect("locked again");
    assert!(
        (115..=120).contains(&second),
        "the lockout doubles: {second}"
    );
    advance(&mut h, 121);
    keypad(&mut h, PIN);
    assert!(matches!(stage(&h), Stage::Facilitator(_)));
}

#[test]
fn group_figures_stay_hidden_below_the_minimum_group_and_show_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    for level in [egui::Key::Num1, egui::Key::Num3] {
        take_rubric(&mut h, None, level);
        click(&mut h, "Finish");
    }
    to_facilitator(&mut h);
    assert!(h.query_by_label("Participants: 2").is_some());
    assert!(h.query_by_label_contains("1 more result needed").is_some());
    assert!(h.query_by_label("Verdicts").is_none());
    click(&mut h, "Back to participants");
    take_rubric(&mut h, None, egui::Key::Num4);
    click(&mut h, "Finish");
    to_facilitator(&mut h);
    assert!(h.query_by_label("Participants: 3").is_some());
    assert!(h.query_by_label_contains("more result").is_none());
    assert!(h.query_by_label("Verdicts").is_some());
    assert!(h.query_by_label("3 results").is_some());
}

#[test]
fn the_projector_view_shows_no_individual_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    for (alias, level) in [
        ("Zebra", egui::Key::Num1),
        ("Yak", egui::Key::Num2),
        ("Xerus", egui::Key::Num4),
    ] {
        take_rubric(&mut h, Some(alias), level);
        click(&mut h, "Finish");
    }
    to_facilitator(&mut h);
    click(&mut h, "Open projector view");
    assert!(h.state().workshop().unwrap().projector_open());
    assert!(h.query_by_label("3 participants").is_some());
    for individual in [
        "Zebra",
        "Yak",
        "Xerus",
        "30 percent or more",
        "About 5 to 15 percent",
    ] {
        assert!(
            h.query_by_label_contains(individual).is_none(),
            "{individual} shows"
        );
    }
}

#[test]
fn a_peer_round_names_the_dimension_two_peers_agree_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[READINESS]);
    take_rubric(&mut h, None, egui::Key::Num3);
    click(&mut h, "Run a peer round");
    for pick in [
        "3   Time horizon",
        "5   Influence without authority",
        "3   Time horizon",
    ] {
        let peer = match stage(&h) {
            Stage::PeerRound(round) => round.peers_done() + 1,
            other => panic!("not in the peer round: {other:?}"),
        };
        click(&mut h, &format!("I am peer {peer}"));
        // Nothing is chosen for the next peer: the previous pick is not shown.
        assert!(h
            .get_by_label("Save my pick privately")
            .accesskit_node()
            .is_disabled());
        click(&mut h, pick);
        click(&mut h, "Save my pick privately");
    }
    click(&mut h, "End the round with 3 peers");
    assert!(matches!(stage(&h), Stage::OwnResult));
    assert!(h.query_by_label("Development area: Time horizon").is_some());
    click(&mut h, "Finish");
    assert!(matches!(h.state().screen, Screen::Workshop(_)));
}

#[test]
fn the_idle_timeout_set_in_settings_applies_to_workshops_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let app = KioskApp::new(dir.path().to_path_buf(), AppOptions::default());
        let mut h = Harness::builder()
            .with_size([1100.0, 900.0])
            .with_max_steps(12)
            .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
        h.run_ok();
        click(&mut h, "Settings");
        assert!(h.query_by_label_contains("after 90 seconds").is_some());
        click(&mut h, "Wait less");
        assert!(h.query_by_label_contains("after 60 seconds").is_some());
    }
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    click(&mut h, "Tap to start");
    click(&mut h, "Skip");
    advance(&mut h, 59);
    assert!(h.query_by_label("Still there? Tap to continue").is_none());
    advance(&mut h, 2);
    assert!(h.query_by_label("Still there? Tap to continue").is_some());
}

/// The commands the last frame sent to the main window.
fn window_commands(h: &Harness<'static, KioskApp>) -> Vec<egui::ViewportCommand> {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .map(|v| v.commands.clone())
        .unwrap_or_default()
}

/// Asks to close the main window, as the window manager does, and runs one
/// frame; returns that frame's window commands.
fn request_close(h: &mut Harness<'static, KioskApp>) -> Vec<egui::ViewportCommand> {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    window_commands(h)
}

#[test]
fn workshop_mode_locks_the_window_refuses_to_close_and_leaving_gives_the_frame_back() {
    use egui::ViewportCommand::{CancelClose, Decorations, Fullscreen};
    let dir = tempfile::tempdir().unwrap();
    let app = KioskApp::new(dir.path().to_path_buf(), AppOptions::default());
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    // A normal window closes when asked.
    assert!(!request_close(&mut h).contains(&CancelClose));
    click(&mut h, "Settings");
    h.get_by_label("Run a workshop").click();
    let mut sent = Vec::new();
    for _ in 0..3 {
        h.step();
        sent.extend(window_commands(&h));
    }
    assert!(sent.contains(&Fullscreen(true)), "{sent:?}");
    assert!(sent.contains(&Decorations(false)), "{sent:?}");
    // Sent once, not every frame.
    h.step();
    assert!(!window_commands(&h).contains(&Fullscreen(true)));

    assert!(request_close(&mut h).contains(&CancelClose));
    set_up(&mut h, &[FOUR_SHIFTS]);
    assert!(request_close(&mut h).contains(&CancelClose));

    to_facilitator(&mut h);
    h.get_by_label("Leave workshop mode").click();
    let mut sent = Vec::new();
    for _ in 0..3 {
        h.step();
        sent.extend(window_commands(&h));
    }
    assert!(h.state().workshop().is_none(), "left workshop mode");
    assert!(sent.contains(&Fullscreen(false)), "{sent:?}");
    assert!(sent.contains(&Decorations(true)), "{sent:?}");
    // Outside workshop mode a close request closes.
    assert!(!request_close(&mut h).contains(&CancelClose));
}

#[test]
fn a_participant_saves_a_printable_page_to_their_own_usb_drive() {
    let dir = tempfile::tempdir().unwrap();
    let drives = tempfile::tempdir().unwrap();
    let stick = drives.path().join("STICK");
    let options = AppOptions {
        kiosk: true,
        media_roots: vec![stick.clone()],
        ..AppOptions::default()
    };
    let app = KioskApp::new(dir.path().join("data"), options);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    set_up(&mut h, &[FOUR_SHIFTS]);
    take_rubric(&mut h, None, egui::Key::Num2);
    // No drive yet: the screen says how to get a page.
    assert!(h
        .query_by_label_contains("Plug in a USB drive to take a printable page")
        .is_some());
    std::fs::create_dir_all(&stick).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while h.query_by_label("Save to STICK").is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        h.run_ok();
    }
    click(&mut h, "Save to STICK");
    let page = stick.join("rubric-kiosk-four-shifts.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(FOUR_SHIFTS), "the page is this rubric's");
    assert!(h
        .query_by_label("Saved as rubric-kiosk-four-shifts.html. You can remove the drive.")
        .is_some());
    // A drive that cannot take another page: the reason shows, and nothing
    // earlier on it is replaced.
    for n in 2..=kiosk::workshop::summary::MAX_SUMMARIES_PER_FOLDER {
        std::fs::write(stick.join(format!("rubric-kiosk-four-shifts-{n}.html")), "").unwrap();
    }
    click(&mut h, "Save to STICK");
    assert!(h
        .query_by_label_contains("The page could not be saved: ")
        .is_some());
    assert_eq!(std::fs::read_to_string(&page).unwrap(), html);
    // Finish forgets the message with the participant.
    click(&mut h, "Finish");
    assert!(matches!(stage(&h), Stage::Welcome));
}

#[test]
fn the_facilitator_exports_the_session_to_a_drive_and_to_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let drives = tempfile::tempdir().unwrap();
    let stick = drives.path().join("STICK");
    std::fs::create_dir_all(&stick).unwrap();
    let options = AppOptions {
        kiosk: true,
        media_roots: vec![stick.clone()],
        ..AppOptions::default()
    };
    let data = dir.path().join("data");
    let app = KioskApp::new(data.clone(), options);
    let mut h = Harness::builder()
        .with_size([1100.0, 900.0])
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    set_up(&mut h, &[FOUR_SHIFTS]);
    for alias in ["Heron", "Otter"] {
        take_rubric(&mut h, Some(alias), egui::Key::Num3);
        click(&mut h, "Finish");
    }
    to_facilitator(&mut h);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while h.query_by_label("Export to STICK").is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        h.run_ok();
    }
    click(&mut h, "Export to STICK");
    let on_stick: Vec<String> = std::fs::read_dir(stick.join("rubric-kiosk-exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(on_stick.len(), 4, "{on_stick:?}");
    assert!(h
        .query_by_label_contains("Saved on STICK: offsite-day-1-")
        .is_some());
    let csv = on_stick.iter().find(|n| n.ends_with(".csv")).unwrap();
    let text = std::fs::read_to_string(stick.join("rubric-kiosk-exports").join(csv)).unwrap();
    // Two results are below the minimum group of five: the analysis file
    // leaves them out, as the group view does; only the merge file has them.
    assert_eq!(text.lines().count(), 1, "a header and no result");
    let merge = on_stick
        .iter()
        .find(|n| n.ends_with("-merge-individual-results.json"))
        .unwrap();
    let text = std::fs::read_to_string(stick.join("rubric-kiosk-exports").join(merge)).unwrap();
    assert_eq!(text.matches("\"rubric_id\"").count(), 2, "both results");
    assert!(!text.contains("Heron"), "no alias unless asked for");

    // To the folder offered first (in the data folder), with aliases.
    click(&mut h, "Include aliases and free-text answers");
    click(&mut h, "Export to this folder");
    let exports = data.join("exports");
    let json = std::fs::read_dir(&exports)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy()
                .ends_with("-merge-individual-results.json")
        })
        .unwrap();
    assert!(std::fs::read_to_string(json).unwrap().contains("Heron"));
    assert_eq!(std::fs::read_dir(&exports).unwrap().count(), 4);
}

#[test]
fn after_a_restart_with_a_pin_set_no_facilitator_screen_opens_without_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(dir.path());
        keypad(&mut h, PIN);
        keypad(&mut h, PIN);
        assert!(matches!(stage(&h), Stage::Setup(_)));
    }
    let mut h = harness(dir.path());
    assert!(
        matches!(stage(&h), Stage::Pin(_)),
        "restarted into {:?}",
        stage(&h)
    );
    assert!(h.query_by_label("Session name").is_none());
    keypad(&mut h, "1111");
    assert!(!matches!(stage(&h), Stage::Setup(_)));
    keypad(&mut h, PIN);
    assert!(matches!(stage(&h), Stage::Setup(_)));
}

#[test]
fn after_a_restart_with_an_open_session_the_facilitator_view_needs_the_pin() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut h = harness(dir.path());
        set_up(&mut h, &[FOUR_SHIFTS]);
    }
    let mut h = harness(dir.path());
    println!("restarted into {:?}", stage(&h));
    for label in ["Session name", "Create session", "Back to participants"] {
        assert!(
            h.query_by_label(label).is_none(),
            "{label} shown without the PIN"
        );
    }
    if matches!(stage(&h), Stage::Welcome) {
        click(&mut h, "Facilitator");
    }
    assert!(matches!(stage(&h), Stage::Pin(_)), "{:?}", stage(&h));
    keypad(&mut h, PIN);
    assert!(matches!(stage(&h), Stage::Facilitator(_) | Stage::Setup(_)));
}

/// A plan over the Four shifts rubric: take it, reveal it, talk, break.
fn four_shifts_plan() -> rubrics::plan::Plan {
    use rubrics::plan::{Audience, Plan, Step, StepKind};
    let step = |title: &str, purpose: &str, minutes, kind| Step {
        title: title.into(),
        purpose: purpose.into(),
        minutes,
        kind,
    };
    let rubric = || "four-shifts".to_string();
    Plan {
        id: "four-shifts-hour".into(),
        title: "An hour on the four shifts".into(),
        audience: Audience::Engineers,
        minutes: 35,
        summary: "Where the room is on the four shifts.".into(),
        steps: vec![
            step(
                "Where are you?",
                "Answer on your own, at the kiosk in turns.",
                10,
                StepKind::Take { rubric: rubric() },
            ),
            step(
                "What the room said",
                "The room's answers together, nobody's alone.",
                0,
                StepKind::Reveal { rubric: rubric() },
            ),
            step(
                "Talk it over",
                "Talk in pairs, then share.",
                15,
                StepKind::Discuss {
                    rubric: Some(rubric()),
                    prompts: vec!["Which shift is furthest along in this room?".into()],
                },
            ),
            step("Coffee", "Back in ten minutes.", 10, StepKind::Break),
        ],
    }
}

/// Sets the PIN, creates a session of Four shifts (minimum group 3, group
/// results hidden until revealed) and ends on the welcome screen.
fn set_up_hidden(h: &mut Harness<'static, KioskApp>) {
    keypad(h, PIN);
    keypad(h, PIN);
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Offsite day 1");
    h.run_ok();
    click(h, FOUR_SHIFTS);
    click(h, "Smaller group");
    click(h, "Smaller group");
    click(h, "Group results stay hidden until I reveal them");
    click(h, "Create session");
    assert!(matches!(stage(h), Stage::Facilitator(_)));
    click(h, "Back to participants");
}

/// The projector window's scene drawn at 1280x720, as its harness.
fn projector_now(h: &Harness<'static, KioskApp>) -> Harness<'static> {
    let scene = h
        .state()
        .workshop()
        .unwrap()
        .projector_scene()
        .expect("the projector is open");
    let mut projector = Harness::builder()
        .with_size([1280.0, 720.0])
        .build_ui(move |ui| {
            kiosk::app::workshop::projector_scene_ui(ui, &scene, kiosk::app::theme::Theme::Light)
        });
    projector.run();
    projector
}

fn root_repaint_delay(h: &Harness<'static, KioskApp>) -> Duration {
    h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay
}

#[test]
fn a_whole_session_follows_its_plan_from_taking_to_the_reveal_and_the_break() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    // The harness would draw the projector window inside the main one, over
    // the buttons; it is drawn on its own below (`projector_now`).
    h.ctx.set_embed_viewports(false);
    set_up_hidden(&mut h);
    // Setup from a plan is the session setup's: here the session has the
    // plan's rubrics and the plan is handed over as setup will.
    h.state_mut()
        .workshop_mut()
        .unwrap()
        .set_plan(Some(four_shifts_plan()));
    to_facilitator(&mut h);
    h.get_by_label("An hour on the four shifts · step 1 of 4");
    h.get_by_label("Where are you?");
    h.get_by_label(&format!("Everyone takes: {FOUR_SHIFTS}"));
    h.get_by_label(&format!(
        "0 people have finished {FOUR_SHIFTS} (kiosk and phones)"
    ));
    h.get_by_label("Next: What the room said (0 min)");
    h.get_by_label("Time left: 10:00");
    click(&mut h, "Start timer");
    h.get_by_label("Pause timer");
    click(&mut h, "Open projector view");
    let projector = projector_now(&h);
    projector.get_by_label("Offsite day 1 · step 1 of 4 · Take a rubric");
    projector.get_by_label(&format!("Now: {FOUR_SHIFTS}"));
    projector.get_by_label("0 people have finished");
    click(&mut h, "Back to participants");

    for level in [egui::Key::Num1, egui::Key::Num3, egui::Key::Num4] {
        take_rubric(&mut h, None, level);
        click(&mut h, "Finish");
    }
    to_facilitator(&mut h);
    h.get_by_label(&format!(
        "3 people have finished {FOUR_SHIFTS} (kiosk and phones)"
    ));
    assert!(h.query_by_label("Time is up for this step.").is_none());
    advance(&mut h, 600);
    h.get_by_label("Time is up for this step.");
    h.get_by_label("Time left: 0:00");
    projector_now(&h).get_by_label("3 people have finished");

    click(&mut h, "Next step");
    h.get_by_label("What the room said");
    h.get_by_label("Time left: No time set");
    let hidden = projector_now(&h);
    hidden.get_by_label("The group's figure shows once the facilitator reveals it");
    assert!(hidden.query_by_label_contains(" % (").is_none());
    click(&mut h, "Reveal on the projector");
    h.get_by_label("The projector shows the group figure.");
    let revealed = projector_now(&h);
    revealed.get_by_label("What the room said");
    revealed.get_by_label("The room's answers together, nobody's alone.");
    let bars = revealed.query_all_by_label_contains(" % (").count();
    assert!(bars >= 2, "the chart has {bars} bars");
    assert!(revealed.query_all_by_label_contains("of 3)").count() >= 2);

    click(&mut h, "Next step");
    let talk = projector_now(&h);
    talk.get_by_label("Which shift is furthest along in this room?");
    let beside = talk.query_all_by_label_contains(" % (").count();
    assert!(beside >= 2, "figure beside the prompt");

    click(&mut h, "Next step");
    h.get_by_label("This is the last step.");
    assert!(h.get_by_label("Next step").accesskit_node().is_disabled());
    projector_now(&h).get_by_label("10 minutes");
    click(&mut h, "Start timer");
    advance(&mut h, 270);
    projector_now(&h).get_by_label("6 minutes left");
    click(&mut h, "Add five minutes");
    projector_now(&h).get_by_label("11 minutes left");
    advance(&mut h, 11 * 60);
    projector_now(&h).get_by_label("Time is up: we start again");
    h.get_by_label("Time is up for this step.");
    click(&mut h, "Previous step");
    h.get_by_label("Talk it over");
}

#[test]
fn a_running_step_timer_repaints_about_once_a_second_and_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(dir.path());
    set_up(&mut h, &[FOUR_SHIFTS]);
    h.state_mut()
        .workshop_mut()
        .unwrap()
        .set_plan(Some(four_shifts_plan()));
    to_facilitator(&mut h);
    assert_eq!(root_repaint_delay(&h), Duration::MAX, "no timer: no frame");

    // Over 60 s of the mode's clock, count the frames the view asks for.
    let frames_in = |h: &mut Harness<'static, KioskApp>, seconds: u64| {
        let mut frames = 0;
        let mut waited = Duration::ZERO;
        let span = Duration::from_secs(seconds);
        while waited < span {
            let delay = root_repaint_delay(h);
            if delay == Duration::MAX {
                break;
            }
            h.state_mut().workshop_mut().unwrap().clock.advance(delay);
            h.step();
            waited += delay;
            frames += 1;
        }
        frames
    };
    click(&mut h, "Start timer");
    let running = frames_in(&mut h, 60);
    println!("frames with the timer running: {running} in 60 s");
    assert!((59..=61).contains(&running), "{running} frames in 60 s");
    click(&mut h, "Pause timer");
    assert_eq!(frames_in(&mut h, 60), 0, "a paused timer asks for no frame");
    click(&mut h, "Start timer");
    advance(&mut h, 600);
    h.get_by_label("Time is up for this step.");
    assert_eq!(
        frames_in(&mut h, 60),
        0,
        "once time is up the cue stands still"
    );
    // The timer is drawn only in the facilitator view: none elsewhere.
    click(&mut h, "Add five minutes");
    click(&mut h, "Back to participants");
    assert_eq!(root_repaint_delay(&h), Duration::MAX);
}
