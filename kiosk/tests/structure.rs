//! The kiosk's shape, checked: no import cycle between the files of
//! `kiosk/src`, and no file over 600 lines. (Functions over 100 lines are
//! clippy's to catch: `kiosk/clippy.toml`.)
//!
//! An import is an arrow from the file that names a path to the file that
//! defines the module it names: `use crate::store::ResultsStore` in
//! `attempt.rs` is `attempt -> store`, `use super::theme::Theme` in
//! `app/widgets.rs` is `app::widgets -> app::theme`, and a `mod.rs` that
//! re-exports `pub use error::StoreError` is `store -> store::error`. A child
//! that imports from its parent's `mod.rs` while the parent re-exports the
//! child is a cycle, as a reviewer drawing the arrows would see it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;

/// Every `.rs` file under `dir`, by module path (`app::workshop`, `store`,
/// the crate root as ``).
fn modules(dir: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(dir).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                parts.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                parts.pop();
            }
            (parts.join("::"), file)
        })
        .collect()
}

/// The source without comments, string literals and `#[cfg(test)]` modules
/// (tests may import what they like).
fn code_of(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            // A char literal such as '{' or '"' (not a lifetime).
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let literal = rest.chars().nth(1) == Some('\'')
                    || (rest.starts_with('\\') && rest.chars().nth(2) == Some('\''));
                if literal {
                    let skip = if rest.starts_with('\\') { 3 } else { 2 };
                    for _ in 0..skip {
                        chars.next();
                    }
                    out.push_str("' '");
                } else {
                    out.push('\'');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Paths named in `code`: each `a::b::c` run, with `use` groups
/// (`a::{b, c::d}`) expanded.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    let ident_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    let ident_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while i < bytes.len() {
        let c = bytes[i];
        let boundary = i == 0 || !(ident_char(bytes[i - 1]) || bytes[i - 1] == ':');
        if ident_start(c) && boundary {
            let (next, mut prefixes) = path_at(&bytes, i);
            found.append(&mut prefixes);
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// Reads a path (and any `::{...}` groups) starting at `start`; returns the
/// index after it and every full path it names (plain identifiers are not
/// paths and give nothing).
fn path_at(chars: &[char], start: usize) -> (usize, Vec<Vec<String>>) {
    let ident_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut segments = Vec::new();
    let mut i = start;
    loop {
        let begin = i;
        while i < chars.len() && ident_char(chars[i]) {
            i += 1;
        }
        if begin == i {
            break;
        }
        segments.push(chars[begin..i].iter().collect::<String>());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            if chars.get(i) == Some(&'{') {
                // A group: split at top-level commas, each part a path relative
                // to `segments`.
                let mut depth = 0;
                let open = i;
                let mut close = i;
                for (k, &c) in chars.iter().enumerate().skip(open) {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = k;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let inner = &chars[open + 1..close];
                let mut out = vec![segments.clone()];
                let mut part_start = 0;
                let mut depth = 0;
                for k in 0..=inner.len() {
                    let at_end = k == inner.len();
                    let c = inner.get(k).copied().unwrap_or(',');
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            let part = &inner[part_start..k];
                            let first = part.iter().position(|c| !c.is_whitespace());
                            if let Some(first) = first {
                                let (_, sub) = path_at(part, first);
                                for mut s in sub {
                                    let mut full = segments.clone();
                                    if s.first().map(String::as_str) == Some("self") {
                                        s.remove(0);
                                    }
                                    full.append(&mut s);
                                    out.push(full);
                                }
                                // A single identifier in a group is a path too.
                                let word: String = part[first..]
                                    .iter()
                                    .take_while(|c| ident_char(**c))
                                    .collect();
                                if !word.is_empty() && word != "self" {
                                    let mut full = segments.clone();
                                    full.push(word);
                                    out.push(full);
                                }
                            }
                            part_start = k + 1;
                        }
                        _ => {}
                    }
                    if at_end {
                        break;
                    }
                }
                return (close + 1, out);
            }
        } else {
            break;
        }
    }
    if segments.len() < 2 {
        return (i, Vec::new());
    }
    (i, vec![segments])
}

/// The module a path names from `current`, if it is one of the crate's: the
/// longest prefix that is a module.
fn resolve(current: &str, path: &[String], modules: &BTreeMap<String, PathBuf>) -> Option<String> {
    let here: Vec<String> = if current.is_empty() {
        Vec::new()
    } else {
        current.split("::").map(String::from).collect()
    };
    let mut rest = path;
    let mut base: Vec<String> = match rest.first().map(String::as_str) {
        Some("crate") => {
            rest = &rest[1..];
            Vec::new()
        }
        Some("super") => {
            let mut base = here.clone();
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
            base
        }
        Some("self") => {
            rest = &rest[1..];
            here.clone()
        }
        Some(first) => {
            // A child module named without `self::`.
            let mut child = here.clone();
            child.push(first.to_string());
            if !modules.contains_key(&child.join("::")) {
                return None;
            }
            here.clone()
        }
        None => return None,
    };
    base.extend(rest.iter().cloned());
    (0..=base.len())
        .rev()
        .map(|n| base[..n].join("::"))
        .find(|m| modules.contains_key(m) && !m.is_empty())
}

/// Strongly connected sets of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            if let Some(targets) = self.edges.get(v) {
                for w in targets {
                    if !self.index.contains_key(w.as_str()) {
                        self.visit(w);
                        let low = self.low[v].min(self.low[w.as_str()]);
                        self.low.insert(v, low);
                    } else if self.on_stack.contains(w.as_str()) {
                        let low = self.low[v].min(self.index[w.as_str()]);
                        self.low.insert(v, low);
                    }
                }
            }
            if self.low[v] == self.index[v] {
                let mut set = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    set.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    self.found.push(set);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(src);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in &modules {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let targets = edges.entry(module.clone()).or_default();
        for path in paths(&code) {
            if let Some(target) = resolve(module, &path, &modules) {
                if &target != module {
                    targets.insert(target);
                }
            }
        }
    }
    edges
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_file_of_the_kiosk_imports_itself_in_a_circle() {
    let edges = import_graph(&src());
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "import cycles in kiosk/src (each a set of modules that reach each other):\n{found:#?}"
    );
}

#[test]
fn no_file_of_the_kiosk_is_over_600_lines() {
    let long: Vec<String> = modules(&src())
        .values()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).unwrap().lines().count();
            (lines > MAX_FILE_LINES).then(|| format!("{} ({lines} lines)", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines: {long:?}"
    );
}

/// The checker itself: it must see the cycles a reviewer would draw, or the
/// tests above could pass on a tangled tree.
#[test]
fn the_checker_sees_a_child_that_imports_its_re_exporting_parent() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("shop")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod shop;\npub mod till;\n").unwrap();
    std::fs::write(
        src.join("shop/mod.rs"),
        "mod basket;\npub use basket::Basket;\n/// Shared.\npub struct Price;\n",
    )
    .unwrap();
    std::fs::write(
        src.join("shop/basket.rs"),
        "// use crate::till::Nothing; (a comment, not an import)\nuse super::Price;\npub struct Basket(Price);\n",
    )
    .unwrap();
    std::fs::write(
        src.join("till.rs"),
        "use crate::shop::{self, basket::{Basket}};\nconst S: &str = \"crate::shop::Price\";\n",
    )
    .unwrap();
    let edges = import_graph(src);
    assert_eq!(
        cycles(&edges),
        vec![vec!["shop".to_string(), "shop::basket".to_string()]]
    );
    assert!(edges["till"].contains("shop::basket"), "{edges:?}");
    assert!(!edges["shop::basket"].contains("till"), "{edges:?}");

    // Move the shared type to a file of its own: the cycle is gone.
    std::fs::write(
        src.join("shop/mod.rs"),
        "mod basket;\nmod price;\npub use basket::Basket;\npub use price::Price;\n",
    )
    .unwrap();
    std::fs::write(
        src.join("shop/price.rs"),
        "/// Shared.\npub struct Price;\n",
    )
    .unwrap();
    std::fs::write(
        src.join("shop/basket.rs"),
        "use super::price::Price;\npub struct Basket(Price);\n",
    )
    .unwrap();
    assert!(cycles(&import_graph(src)).is_empty());
}
