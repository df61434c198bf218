//! `show-if`: the condition under which an item is asked: one test of an
//! earlier answer, or `any` / `all` of a list of them.

use rubric_engine::limits::MAX_CONDITIONS;
use rubric_engine::model::{Condition, Test};
use rubric_engine::owned::ShowIf;

use super::fields::{resolve, Fields};
use super::{Names, Value};
use crate::diagnostic::Found;

const SHOW_IF_KEYS: &[&str] = &["item", "is", "chosen", "at-least", "at-most"];

/// Reads the `show-if` of item number `index`: a condition table, or a table
/// with one key, `any` or `all`, holding a list of condition tables.
pub(super) fn show_if(
    value: &Value<'_>,
    index: usize,
    names: &Names,
    found: &mut Vec<Found>,
) -> ShowIf {
    let table = value.get_ref().as_table();
    let key = ["any", "all"]
        .into_iter()
        .find(|k| table.is_some_and(|t| t.iter().any(|(name, _)| name.get_ref() == k)));
    let Some(key) = key else {
        return condition(value, index, names, found).map_or(ShowIf::Always, ShowIf::When);
    };
    let Some(f) = Fields::new(value, "`show-if`", &["any", "all"], found) else {
        return ShowIf::Always;
    };
    if f.get("any").is_some() && f.get("all").is_some() {
        found.push(Found::new(
            f.span.clone(),
            "`show-if` takes either `any` or `all`, not both",
        ));
        return ShowIf::Always;
    }
    let Some(list) = f.get(key) else {
        return ShowIf::Always;
    };
    let Some(tables) = list.get_ref().as_array() else {
        found.push(Found::new(
            list.span(),
            format!(
                "`{key}` must be a list of conditions, such as [{{ item = \"a\", is = \"yes\" }}]"
            ),
        ));
        return ShowIf::Always;
    };
    if tables.is_empty() || tables.len() > MAX_CONDITIONS {
        found.push(Found::new(
            list.span(),
            format!(
                "`{key}` needs 1 to {MAX_CONDITIONS} conditions, found {}",
                tables.len()
            ),
        ));
        return ShowIf::Always;
    }
    let conditions: Vec<Condition> = tables
        .iter()
        .filter_map(|t| condition(t, index, names, found))
        .collect();
    if key == "any" {
        ShowIf::Any(conditions)
    } else {
        ShowIf::All(conditions)
    }
}

/// Reads one condition table of item number `index`, which may only look at
/// an earlier item.
fn condition(
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
