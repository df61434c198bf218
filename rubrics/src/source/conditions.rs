//! `show-if`: the condition under which an item is asked.

use rubric_engine::model::{Condition, Test};

use super::fields::{resolve, Fields};
use super::{Names, Value};
use crate::diagnostic::Found;

const SHOW_IF_KEYS: &[&str] = &["item", "is", "chosen", "at-least", "at-most"];

/// Reads the `show-if` table of item number `index`, which may only look at
/// an earlier item.
pub(super) fn condition(
    value: &Value<'_>,
    index: usize,
    names: &Names,
    found: &mut Vec<Found>,
) -> Option<Condition> {
    let f = Fields::new(value, "`show-if`", SHOW_IF_KEYS, found)?;
    let (target_id, span) = f.str("item", true, found)?;
    let item = resolve("item", &target_id, span.clone(), &names.items, found)?;
    if usize::from(item) >= index {
        found.push(Found::new(
            span,
            format!("`show-if` may only look at an earlier item, and `{target_id}` comes later"),
        ));
        return None;
    }
    let tests: Vec<&str> = ["is", "chosen", "at-least", "at-most"]
        .into_iter()
        .filter(|k| f.get(k).is_some())
        .collect();
    if tests.len() != 1 {
        found.push(Found::new(
            f.span.clone(),
            "`show-if` needs exactly one of `is`, `chosen`, `at-least`, `at-most`",
        ));
        return None;
    }
    let test = match tests[0] {
        "is" => {
            let (word, span) = f.str("is", true, found)?;
            match word.as_str() {
                "yes" => Test::IsYes,
                "no" => Test::IsNo,
                "answered" => Test::Answered,
                other => {
                    found.push(Found::new(
                        span,
                        format!("`is` is `{other}`; use `yes`, `no` or `answered`"),
                    ));
                    return None;
                }
            }
        }
        "chosen" => {
            let (option, span) = f.str("chosen", true, found)?;
            let options = names
                .options
                .get(usize::from(item))
                .cloned()
                .unwrap_or_default();
            Test::Chosen(resolve(
                &format!("option of `{target_id}`"),
                &option,
                span,
                &options,
                found,
            )?)
        }
        key => {
            let (n, _) = f.int(key, 0, i64::from(u32::MAX), found)?;
            if key == "at-least" {
                Test::AtLeast(n as u32)
            } else {
                Test::AtMost(n as u32)
            }
        }
    };
    Some(Condition { item, test })
}
