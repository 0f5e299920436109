//! Test support shared by the unit tests of several stages.

use std::path::PathBuf;

/// `rel` under `../shared` beside the checkout (the evaluation corpora and
/// tools), or `None` when it is absent, after saying so on stderr: a user's
/// fresh clone has no `../shared`, and its tests skip visibly.
pub(crate) fn shared(rel: &str) -> Option<PathBuf> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    // Written to stderr directly: libtest would swallow eprintln! of a passing test.
    std::io::Write::write_all(&mut std::io::stderr(), b"skipping: ../shared not found\n").ok();
    None
}
