//! The engine's modules depend on each other without cycles: the scorer does
//! not need the runner, and what several modules share has its own module.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may panic on what it set up

use std::collections::BTreeMap;
use std::path::Path;

/// The top-level module a source file belongs to (`validate/items.rs` -> `validate`).
fn module_of(path: &Path, src: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// Every `crate::name` a file mentions, as a top-level module name.
fn uses(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        .map(|(at, _)| {
            text[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module -> the modules its code uses. Comment lines (doc links among
/// them) are not dependencies and are skipped.
fn graph() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in paths {
        let module = module_of(&path, &src);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let entry = graph.entry(module.clone()).or_default();
        for used in uses(&code) {
            if used != module && !entry.contains(&used) {
                entry.push(used);
            }
        }
    }
    graph
}

fn find_cycle(
    graph: &BTreeMap<String, Vec<String>>,
    at: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|m| m == at) {
        let mut cycle = path[start..].to_vec();
        cycle.push(at.to_string());
        return Some(cycle);
    }
    path.push(at.to_string());
    for next in graph.get(at).into_iter().flatten() {
        if let Some(cycle) = find_cycle(graph, next, path) {
            return Some(cycle);
        }
    }
    path.pop();
    None
}

#[test]
fn the_scorer_does_not_use_the_runner() {
    let graph = graph();
    assert!(graph["flow"].contains(&"score".to_string()));
    assert!(
        !graph["score"].contains(&"flow".to_string()),
        "score uses flow: {:?}",
        graph["score"]
    );
    assert!(!graph["visibility"].contains(&"flow".to_string()));
}

#[test]
fn no_module_of_the_engine_is_part_of_an_import_cycle() {
    let graph = graph();
    assert!(graph.len() >= 10, "found only {:?}", graph.keys());
    for module in graph.keys() {
        if let Some(cycle) = find_cycle(&graph, module, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}
