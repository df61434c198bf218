//! Pictures of the main screens, rendered headless with wgpu and compared
//! with the PNGs in tests/snapshots/. Run with `--features snapshots`
//! (needs a Vulkan driver: Mesa's software one in CI). Regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p kiosk --features snapshots --test snapshots`.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::path::Path;

use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use kiosk::app::{AppOptions, KioskApp, Screen};

fn harness(dir: &Path) -> Harness<'static, KioskApp> {
    harness_sized(dir, [1024.0, 768.0])
}

/// Without `XDG_RUNTIME_DIR` (a headless CI machine, a root shell), the
/// Vulkan driver's Wayland support prints "error: XDG_RUNTIME_DIR is invalid
/// or not set" from C for every renderer made: noise that reads like a
/// failure. An empty private folder quiets it (no Wayland server is found
/// there, silently). Called before every harness is built and set only by
/// the first call (the others wait for it), so no renderer's C code reads
/// the environment while it changes.
fn quiet_wayland_probe() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let set =
            std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).is_absolute());
        if set {
            return;
        }
        let dir = std::env::temp_dir().join(format!("rubric-kiosk-xdg-{}", std::process::id()));
        if std::fs::create_dir_all(&dir).is_ok() {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
            }
            std::env::set_var("XDG_RUNTIME_DIR", &dir);
        }
    });
}

fn harness_sized(dir: &Path, size: [f32; 2]) -> Harness<'static, KioskApp> {
    quiet_wayland_probe();
    let app = KioskApp::new(dir.to_path_buf(), AppOptions::default());
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .wgpu()
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

fn snap(h: &mut Harness<'static, KioskApp>, name: &str) {
    // Software rendering differs slightly between Mesa versions: allow faint
    // colour differences, and a few pixels of antialiasing.
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
    h.run_ok();
    // Dates change from run to run: hide them (result times, and a workshop
    // session's date beside its state). The masks go on after the last
    // frame, or that frame would drop them.
    let dates: Vec<egui::Rect> = ["UTC", " · open", " · closed"]
        .iter()
        .flat_map(|text| {
            h.query_all_by_label_contains(text)
                .map(|n| n.rect())
                .collect::<Vec<_>>()
        })
        .collect();
    for rect in dates {
        h.mask(rect);
    }
    h.snapshot_options(name, &options);
}

/// A fixed data folder, so that the path shown in settings is the same on every run.
fn fixed_data_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir()
        .join("rubric-kiosk-snapshots")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn answer_all(h: &mut Harness<'static, KioskApp>, pick: impl Fn(usize) -> String) {
    let mut i = 0;
    while !matches!(h.state().screen, Screen::Result(_)) {
        click(h, &pick(i));
        let next = if h.query_by_label("Next").is_some() {
            "Next"
        } else {
            "Finish"
        };
        click(h, next);
        i += 1;
        assert!(i < 40, "stuck");
    }
}

#[test]
fn screens() {
    let dir = fixed_data_dir("screens");
    let mut h = harness(&dir);
    snap(&mut h, "home");

    click(&mut h, "Staff readiness self-assessment");
    click(&mut h, "Start");
    snap(&mut h, "scale_question");
    let levels = [3, 2, 4, 3, 2, 3, 3, 4, 2, 3, 3, 4];
    let library = kiosk::library::shipped().unwrap().bundle;
    let readiness = library.rubric("staff-readiness").unwrap();
    answer_all(&mut h, |i| {
        let item = readiness.item(i).unwrap();
        let rubric_engine::model::ItemKind::Scale { descriptors, .. } = item.kind else {
            panic!()
        };
        let l = levels[i];
        format!("{l}   {}", descriptors.get(l - 1).unwrap())
    });
    snap(&mut h, "staff_readiness_result");

    click(&mut h, "Home");
    click(&mut h, "Which staff archetype fits you?");
    click(&mut h, "Start");
    let archetype = library.rubric("staff-archetype").unwrap();
    let picks = [2, 2, 1, 3, 2, 2, 3, 1];
    answer_all(&mut h, |i| {
        let options = archetype.item(i).unwrap().kind.options();
        let p = picks[i];
        format!("{p}   {}", options.get(p - 1).unwrap().label)
    });
    snap(&mut h, "archetype_result");

    click(&mut h, "Home");
    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    click(&mut h, "Yes");
    snap(&mut h, "yes_no_question");
    click(&mut h, "Next");
    for _ in 0..3 {
        click(&mut h, "No");
        let next = if h.query_by_label("Next").is_some() {
            "Next"
        } else {
            "Finish"
        };
        click(&mut h, next);
    }
    snap(&mut h, "gut_check_result");
    // A second attempt at staff readiness gives history a trend.
    click(&mut h, "Home");
    click(&mut h, "Staff readiness self-assessment");
    click(&mut h, "Start");
    answer_all(&mut h, |i| {
        let item = readiness.item(i).unwrap();
        let rubric_engine::model::ItemKind::Scale { descriptors, .. } = item.kind else {
            panic!()
        };
        let l = (levels[i] % 4) + 1;
        format!("{l}   {}", descriptors.get(l - 1).unwrap())
    });
    click(&mut h, "My history");
    snap(&mut h, "history_trend");

    click(&mut h, "Home");
    click(&mut h, "Settings");
    click(&mut h, "High contrast");
    click(&mut h, "200%");
    snap(&mut h, "settings_high_contrast_200");
    click(&mut h, "Home");
    snap(&mut h, "home_high_contrast_200");
}

/// A rubric with a multiple-choice question (the shipped library has none
/// today), compiled here and leaked so the app can hold it like its own.
fn multi_choice_rubric() -> rubric_engine::Rubric<'static> {
    const SOURCE: &str = r#"
id = "evidence-kinds"
version = 1
title = "Evidence you can show"
summary = "Which kinds of artifact you could put in front of a promotion committee."
category = "self-assessment"
minutes = 2
intro = "A test rubric for the multiple-choice screen."

[[dimension]]
id = "kinds"
title = "Kinds of evidence"
rule = "weighted-sum"

[[item]]
id = "artifacts"
kind = "multi"
prompt = "Which of these could you show someone tomorrow? Choose all that apply."

[[item.option]]
id = "design-doc"
label = "A design document you wrote, with the decision it led to"
weights = { kinds = 1 }

[[item.option]]
id = "postmortem"
label = "A postmortem you led, and the fix that stuck"
weights = { kinds = 1 }

[[item.option]]
id = "dashboard"
label = "A dashboard other teams now use to decide"
weights = { kinds = 1 }

[[item.option]]
id = "playbook"
label = "A playbook someone else ran without you"
weights = { kinds = 1 }

[[band]]
id = "few"
dimension = "kinds"
range = [0, 49]
label = "Little to show yet"
explanation = "Under half of the kinds listed."

[[band]]
id = "several"
dimension = "kinds"
range = [50, 100]
label = "Several kinds"
explanation = "Half of the kinds listed or more."

[verdict]
dimension = "kinds"
"#;
    let sources = [rubrics::Source::in_memory("evidence-kinds.toml", SOURCE)];
    let payload = rubrics::compile(&sources).unwrap();
    // The compiler writes format version 5 (texts in their own section);
    // the app holds bundles with their texts expanded, as `library::load` does.
    let written = rubrics::bundle_bytes(&payload, None).unwrap();
    let bytes: &'static [u8] = Box::leak(
        rubric_engine::codec::expand_bundle(&written)
            .unwrap()
            .into_boxed_slice(),
    );
    let bundle = rubric_engine::Bundle::decode(bytes).unwrap();
    bundle.rubric("evidence-kinds").unwrap()
}

/// Home, a scale question, a multiple-choice question with an answer chosen
/// and two results, at one window size and text size.
fn screens_at(size: [f32; 2], zoom: Option<&str>, tag: &str) {
    let dir = fixed_data_dir(tag);
    let mut h = harness_sized(&dir, size);
    if let Some(zoom) = zoom {
        click(&mut h, "Settings");
        click(&mut h, zoom);
        click(&mut h, "Home");
    }
    snap(&mut h, &format!("{tag}_home"));

    let library = kiosk::library::shipped().unwrap().bundle;
    let readiness = library.rubric("staff-readiness").unwrap();
    click(&mut h, readiness.title);
    click(&mut h, "Start");
    snap(&mut h, &format!("{tag}_question"));
    answer_all(&mut h, |i| {
        let item = readiness.item(i).unwrap();
        let rubric_engine::model::ItemKind::Scale { descriptors, .. } = item.kind else {
            panic!()
        };
        let l = [3, 2, 4, 3, 2, 3, 3, 4, 2, 3, 3, 4][i % 12];
        format!("{l}   {}", descriptors.get(l - 1).unwrap())
    });
    snap(&mut h, &format!("{tag}_readiness_result"));

    click(&mut h, "Home");
    let multi = multi_choice_rubric();
    h.state_mut().screen = Screen::Answer(Box::new(kiosk::app::AnswerState::new(
        kiosk::attempt::Attempt::start(multi, "test"),
    )));
    h.run_ok();
    let options = multi.item(0).unwrap().kind.options();
    click(&mut h, &format!("2   {}", options.get(1).unwrap().label));
    click(&mut h, &format!("4   {}", options.get(3).unwrap().label));
    snap(&mut h, &format!("{tag}_multi_chosen"));
    h.state_mut().screen = Screen::Home;
    h.run_ok();

    click(&mut h, "Cross-team gut check");
    click(&mut h, "Start");
    for yes in [true, false, true, false] {
        click(&mut h, if yes { "Yes" } else { "No" });
        let next = if h.query_by_label("Next").is_some() {
            "Next"
        } else {
            "Finish"
        };
        click(&mut h, next);
    }
    snap(&mut h, &format!("{tag}_gut_check_result"));
}

#[test]
fn screens_on_a_small_touch_screen() {
    screens_at([800.0, 480.0], None, "s800x480");
}

#[test]
fn screens_on_a_laptop() {
    screens_at([1024.0, 768.0], None, "s1024x768");
}

#[test]
fn screens_on_a_laptop_with_text_at_200_percent() {
    screens_at([1024.0, 768.0], Some("200%"), "s1024x768_200");
}

#[test]
fn screens_on_a_projector() {
    screens_at([1920.0, 1080.0], None, "s1920x1080");
}

/// Workshop mode at a laptop size: the welcome screen, the PIN keypad, the
/// facilitator view with figures shown, and a peer's pick.
#[test]
fn workshop_screens() {
    use kiosk::app::workshop::Stage;
    let dir = fixed_data_dir("workshop");
    let app = KioskApp::new(
        dir.clone(),
        AppOptions {
            kiosk: true,
            ..AppOptions::default()
        },
    );
    quiet_wayland_probe();
    let mut h = Harness::builder()
        .with_size([1024.0, 768.0])
        .with_max_steps(12)
        .wgpu()
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.run_ok();
    let keypad = |h: &mut Harness<'static, KioskApp>, pin: &str| {
        for digit in pin.chars() {
            click(h, &digit.to_string());
        }
        click(h, "OK");
    };
    click(&mut h, "1");
    click(&mut h, "2");
    snap(&mut h, "workshop_pin_keypad");
    click(&mut h, "3");
    click(&mut h, "4");
    click(&mut h, "OK");
    keypad(&mut h, "1234");
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Offsite day 1");
    h.run_ok();
    click(&mut h, "Staff readiness self-assessment");
    for _ in 0..2 {
        click(&mut h, "Smaller group");
    }
    click(&mut h, "Create session");
    click(&mut h, "Back to participants");
    snap(&mut h, "workshop_welcome");
    for (turn, level) in [
        egui::Key::Num1,
        egui::Key::Num3,
        egui::Key::Num4,
        egui::Key::Num3,
    ]
    .into_iter()
    .enumerate()
    {
        click(&mut h, "Tap to start");
        click(&mut h, "Skip");
        let in_answer = |h: &Harness<'static, KioskApp>| {
            matches!(h.state().workshop().map(|w| &w.stage), Some(Stage::Answer))
        };
        while in_answer(&h) {
            h.key_press(level);
            h.run_ok();
            h.key_press(egui::Key::Enter);
            h.run_ok();
        }
        if turn == 3 {
            click(&mut h, "Run a peer round");
            click(&mut h, "I am peer 1");
            click(&mut h, "3   Time horizon");
            snap(&mut h, "workshop_peer_round");
            click(&mut h, "Save my pick privately");
            click(&mut h, "End the round with 1 peers");
        }
        click(&mut h, "Finish");
    }
    click(&mut h, "Facilitator");
    keypad(&mut h, "1234");
    snap(&mut h, "workshop_facilitator");
    let mut results = h.take_snapshot_results();
    results.extend(projector_snapshot(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The projector view of the session in `dir`, at 1920x1080, as the
/// projector window draws it.
fn projector_snapshot(dir: &Path) -> egui_kittest::SnapshotResults {
    let library = kiosk::library::shipped().unwrap();
    let store = kiosk::store::ResultsStore::open_in(dir).unwrap();
    let session = store.sessions().unwrap().pop().unwrap();
    let group = kiosk::workshop::session_aggregates(&store, &session, &library.bundle).unwrap();
    quiet_wayland_probe();
    let mut h = Harness::builder()
        .with_size([1920.0, 1080.0])
        .wgpu()
        .build_ui(move |ui| {
            kiosk::app::projector_ui::projector_ui(ui, &group, kiosk::app::theme::Theme::Light)
        });
    h.run_ok();
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
    h.snapshot_options("workshop_projector", &options);
    h.take_snapshot_results()
}

/// Answers rubric `id` of the shipped library with `pick` (item index, kind
/// and id in, answer out), resumes it in the app and snaps its result screen
/// as `name`, in a window of `size` (a tall one shows the whole result).
fn result_screen(
    id: &str,
    name: &str,
    size: [f32; 2],
    pick: impl Fn(usize, rubric_engine::model::ItemKind<'_>, &str) -> rubric_engine::Answer,
) -> egui_kittest::SnapshotResults {
    let library = kiosk::library::shipped().unwrap();
    let rubric = library.bundle.rubric(id).unwrap();
    let mut attempt = kiosk::attempt::Attempt::start(rubric, &library.hash);
    let mut last = 0;
    while let Some(index) = attempt.runner.current() {
        last = index;
        let item = rubric.item(index).unwrap();
        attempt
            .runner
            .answer(pick(index, item.kind, item.id))
            .unwrap();
        attempt.runner.next_visible().unwrap();
    }
    let dir = fixed_data_dir(name);
    let store = kiosk::store::ResultsStore::open_in(&dir).unwrap();
    let mut progress = attempt.progress();
    progress.cursor = last;
    store.save_progress(&progress).unwrap();
    drop(store);
    let mut h = harness_sized(&dir, size);
    click(&mut h, "Resume");
    for _ in 0..4 {
        if matches!(h.state().screen, Screen::Result(_)) {
            break;
        }
        h.key_press(egui::Key::Enter);
        h.run_ok();
    }
    assert!(matches!(h.state().screen, Screen::Result(_)), "{id}");
    snap(&mut h, name);
    let results = h.take_snapshot_results();
    let _ = std::fs::remove_dir_all(&dir);
    results
}

/// The result screen of every rubric whose verdict rule or texts changed
/// this release, and of the new ones, each from middling answers.
#[test]
fn library_result_screens() {
    use rubric_engine::model::ItemKind;
    use rubric_engine::Answer;
    let mut all = egui_kittest::SnapshotResults::default();
    for id in [
        "you-or-org",
        "work-ledger",
        "promotion-evidence",
        "skill-pattern",
        "three-traps",
        "four-shifts",
        "twelve-month-path",
        "track-rewards",
        "want-the-work",
        "staff-readiness-manager",
        "promotion-mechanics",
        "staff-archetype-manager",
        "company-built",
    ] {
        let name = format!("result_{}", id.replace('-', "_"));
        all.extend(result_screen(
            id,
            &name,
            TALL,
            |index, kind, _| match kind {
                ItemKind::Scale { min, max, .. } => Answer::Level((min + max).div_ceil(2)),
                ItemKind::YesNo { .. } => Answer::YesNo(index % 3 != 0),
                ItemKind::Single { options } => Answer::Choice((index % options.len()) as u8),
                ItemKind::Multi { .. } => Answer::Choices(0b101),
                ItemKind::Count { min, max, .. } => Answer::Count(min + (max - min) / 3),
                ItemKind::Text => Answer::Unanswered,
            },
        ));
    }
}

/// Tall enough for a whole result screen: the verdict, its steps, every
/// figure line and "why this result".
const TALL: [f32; 2] = [1024.0, 3200.0];

/// Issue 23's cases, one result screen each: a verdict held back by cross-team
/// time, by a shift not started and by the ownership test; an even archetype
/// split; a ledger with nothing in the second pile; an artifact in every area
/// without checkable outcomes; seven personal signs beside six organisational.
#[test]
fn issue_23_result_screens() {
    use rubric_engine::model::ItemKind;
    use rubric_engine::Answer;
    let top = |kind: ItemKind<'_>| match kind {
        ItemKind::Scale { max, .. } => Answer::Level(max),
        ItemKind::YesNo { .. } => Answer::YesNo(true),
        _ => Answer::Unanswered,
    };
    let option = |kind: ItemKind<'_>, id: &str| {
        let index = kind.options().iter().position(|o| o.id == id).unwrap();
        Answer::Choice(index as u8)
    };
    let mut all = egui_kittest::SnapshotResults::default();
    all.extend(result_screen(
        "staff-readiness",
        "result_staff_readiness_no_cross_team_time",
        TALL,
        |_, kind, id| match (id, kind) {
            ("cross-team-time", ItemKind::Scale { min, .. }) => Answer::Level(min),
            _ => top(kind),
        },
    ));
    all.extend(result_screen(
        "four-shifts",
        "result_four_shifts_no_cross_team_time",
        TALL,
        |_, kind, id| match (id, kind) {
            ("cross-team-share", ItemKind::Scale { min, .. }) => Answer::Level(min),
            _ => top(kind),
        },
    ));
    all.extend(result_screen(
        "skill-pattern",
        "result_skill_pattern_follow_ups_not_falling",
        TALL,
        |_, kind, id| match id {
            "follow-ups" => Answer::YesNo(false),
            _ => top(kind),
        },
    ));
    all.extend(result_screen(
        "staff-archetype",
        "result_staff_archetype_four_and_four",
        TALL,
        |index, kind, _| option(kind, if index < 4 { "tl" } else { "ar" }),
    ));
    all.extend(result_screen(
        "work-ledger",
        "result_work_ledger_nothing_in_the_second_pile",
        TALL,
        |_, kind, id| match id {
            "helped-others" => Answer::Count(0),
            "done-myself" => Answer::Count(12),
            "archetype" => option(kind, "right-hand"),
            _ => Answer::Unanswered,
        },
    ));
    all.extend(result_screen(
        "promotion-evidence",
        "result_promotion_evidence_artifacts_without_outcomes",
        TALL,
        |_, _, id| {
            if id.ends_with("-artifact") {
                Answer::YesNo(true)
            } else if id.ends_with("-verifiable") {
                Answer::YesNo(false)
            } else {
                Answer::Unanswered
            }
        },
    ));
    all.extend(result_screen(
        "you-or-org",
        "result_you_or_org_seven_and_six",
        TALL,
        |_, _, id| Answer::YesNo(id != "org-keep-going"),
    ));
}

/// Saves `n` results of `rubric_id` in `session` (answers vary with the
/// result's number, so the figures have some spread).
fn save_results(
    store: &kiosk::store::ResultsStore,
    session: kiosk::workshop::SessionId,
    rubric_id: &str,
    n: usize,
) {
    use rubric_engine::model::ItemKind;
    use rubric_engine::Answer;
    let library = kiosk::library::shipped().unwrap();
    let rubric = library.bundle.rubric(rubric_id).unwrap();
    for seed in 0..n {
        let mut attempt = kiosk::attempt::Attempt::start(rubric, &library.hash);
        while let Some(index) = attempt.runner.current() {
            let pick = seed * 31 + index * 7;
            let answer = match rubric.item(index).unwrap().kind {
                ItemKind::Scale { min, max, .. } => {
                    Answer::Level(min + (pick % usize::from(max - min + 1)) as u8)
                }
                ItemKind::YesNo { .. } => Answer::YesNo(pick % 2 == 0),
                ItemKind::Single { options } => Answer::Choice((pick % options.len()) as u8),
                ItemKind::Multi { .. } => Answer::Choices(1),
                ItemKind::Count { min, .. } => Answer::Count(min),
                ItemKind::Text => {
                    attempt.runner.next_visible().unwrap();
                    continue;
                }
            };
            attempt.runner.answer(answer).unwrap();
            attempt.runner.next_visible().unwrap();
        }
        let completed = attempt.complete();
        let encoded = completed.encoded().unwrap();
        let row =
            kiosk::workshop::NewWorkshopResult::from_completed(&completed, &encoded, session, None);
        store.save_workshop_result(&row).unwrap();
    }
}

/// The plan of the plan snapshots: one step of each kind over Do you want
/// the work?, and a reveal of the archetypes, which stays below the minimum.
fn snapshot_plan() -> rubrics::plan::Plan {
    use rubrics::plan::{Audience, Plan, Step, StepKind};
    let want = || "want-the-work".to_string();
    let step = |title: &str, purpose: &str, minutes, kind| Step {
        title: title.into(),
        purpose: purpose.into(),
        minutes,
        kind,
    };
    Plan {
        id: "snapshot-plan".into(),
        title: "Is the work for you?".into(),
        audience: Audience::Engineers,
        minutes: 45,
        summary: "A short session on wanting the staff work.".into(),
        steps: vec![
            step(
                "Do you want the work?",
                "Answer on your own, at the kiosk in turns or on your phone.",
                10,
                StepKind::Take { rubric: want() },
            ),
            step(
                "What the room said",
                "The room's answers together: nobody's answers alone.",
                0,
                StepKind::Reveal { rubric: want() },
            ),
            step(
                "Talk it over",
                "Talk in pairs for ten minutes, then share one thing.",
                15,
                StepKind::Discuss {
                    rubric: Some(want()),
                    prompts: vec![
                        "Which part of the work would you miss if it went away?".into(),
                        "What would make the rest worth wanting?".into(),
                    ],
                },
            ),
            step("Coffee", "Back in ten minutes.", 10, StepKind::Break),
            step(
                "Which archetype?",
                "How the room's archetypes mix.",
                0,
                StepKind::Reveal {
                    rubric: "staff-archetype".into(),
                },
            ),
        ],
    }
}

/// The facilitator view of a session that follows a plan, and the
/// projector at 1920x1080 and 1280x720 for each step kind, with the phones'
/// join code, above the minimum group and (the archetype reveal) below it.
#[test]
fn plan_screens() {
    let dir = fixed_data_dir("plan");
    let app = KioskApp::new(
        dir.clone(),
        AppOptions {
            kiosk: true,
            ..AppOptions::default()
        },
    );
    quiet_wayland_probe();
    let mut h = Harness::builder()
        .with_size([1024.0, 768.0])
        .with_max_steps(12)
        .wgpu()
        .build_ui_state(|ui, app: &mut KioskApp| app.ui_root(ui), app);
    h.ctx.set_embed_viewports(false);
    h.run_ok();
    let keypad = |h: &mut Harness<'static, KioskApp>| {
        for digit in "1234".chars() {
            click(h, &digit.to_string());
        }
        click(h, "OK");
    };
    keypad(&mut h);
    keypad(&mut h);
    h.get_by_label("Session name").focus();
    h.run_ok();
    h.get_by_label("Session name").type_text("Offsite day 1");
    h.run_ok();
    click(&mut h, "Do you want the work?");
    click(&mut h, "Which staff archetype fits you?");
    click(&mut h, "Create session");
    let session = h.state().workshop().unwrap().session().unwrap().clone();
    let store = kiosk::store::ResultsStore::open_in(&dir).unwrap();
    save_results(&store, session.id, "want-the-work", 6);
    save_results(&store, session.id, "staff-archetype", 3);
    h.state_mut()
        .workshop_mut()
        .unwrap()
        .set_plan(Some(snapshot_plan()));
    click(&mut h, "Back to participants");
    click(&mut h, "Facilitator");
    keypad(&mut h);
    snap(&mut h, "workshop_facilitator_plan");
    let mut results = h.take_snapshot_results();

    let library = kiosk::library::shipped().unwrap();
    let figures = kiosk::workshop::session_aggregates(&store, &session, &library.bundle).unwrap();
    let phones = kiosk::app::workshop::PhonesView {
        join_url: "http://192.168.1.20:8080/s/AbCdEfGhIjKlMnOp/".into(),
        short_url: "192.168.1.20:8080/j/K7Q2XM".into(),
        counts: kiosk::store::PhoneCounts {
            joined: 4,
            finished: 2,
        },
        joining_open: true,
    };
    let mut run = kiosk::app::workshop::PlanRun::new(snapshot_plan());
    let names = ["take", "reveal", "discuss", "break", "reveal_below_minimum"];
    for name in names {
        if name == "break" {
            run.timer_mut().start(&h.state().workshop().unwrap().clock);
        }
        let scene = kiosk::app::workshop::ProjectorScene {
            figures: Some(figures.clone()),
            phones: Some(phones.clone()),
            step: run.shown(&session.name, kiosk::app::workshop::Clock::default()),
        };
        for [w, h] in [[1920.0, 1080.0], [1280.0, 720.0]] {
            let scene = scene.clone();
            let mut p = Harness::builder()
                .with_size([w, h])
                .wgpu()
                .build_ui(move |ui| {
                    kiosk::app::workshop::projector_scene_ui(
                        ui,
                        &scene,
                        kiosk::app::theme::Theme::Light,
                    )
                });
            p.run();
            let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
            p.snapshot_options(format!("projector_{name}_{w}x{h}"), &options);
            results.extend(p.take_snapshot_results());
        }
        run.next_step();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
