//! Compiling one TOML source in a test, with its diagnostics as
//! `line:column message` strings.

use rubrics::{compile, CompileError, Diagnostic, Source};

/// The one rubric `text` compiles to, or its diagnostics.
pub fn compiled(text: &str) -> Result<rubric_engine::owned::Rubric, Vec<Diagnostic>> {
    let source = Source::in_memory("test.toml", text);
    match compile(&[source]) {
        Ok(payload) => Ok(payload.rubrics.into_iter().next().unwrap()),
        Err(CompileError::Diagnostics(d)) => Err(d),
        Err(e) => panic!("unexpected error {e}"),
    }
}

/// The diagnostics of `text`, each as `line:column message` (none if it compiles).
pub fn errors(text: &str) -> Vec<String> {
    compiled(text)
        .err()
        .unwrap_or_default()
        .iter()
        .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
        .collect()
}
