//! Stage 1 of `index`: corpus paths → a sorted list of files.
//!
//! Input: the paths given on the command line and the index folder to leave
//! out. Output: every file lede can read under them, sorted by path so that
//! runs are reproducible, and the problems met on the way (unreadable
//! folders, symlink loops), which never stop the walk. Hidden files and
//! folders are left out unless asked for; symlinks are followed, loops are
//! reported once and not followed, and a file reached twice through links is
//! read once (under the first path that reaches it).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::read;

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to read, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked, with the reason.
    pub problems: Vec<(PathBuf, String)>,
}

/// Walks `roots`, leaving out `skip` (the index folder) and, unless `hidden`,
/// hidden entries. Files named on the command line are read whatever their name.
pub fn walk(roots: &[PathBuf], skip: Option<&Path>, hidden: bool) -> Walk {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut out = Walk::default();
    let mut seen = std::collections::HashSet::new();
    let mut folder = None;
    for root in roots {
        if root.is_file() {
            out.files.push(root.clone());
            continue;
        }
        if !root.exists() {
            out.problems.push((root.clone(), "no such file or folder".into()));
            continue;
        }
        let walker =
            WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(
                |entry| {
                    if entry.depth() > 0 && !hidden && is_hidden(entry.file_name()) {
                        return false;
                    }
                    if entry.file_type().is_dir()
                        && let Some(skip) = &skip
                        && entry.path().canonicalize().is_ok_and(|p| &p == skip)
                    {
                        return false;
                    }
                    true
                },
            );
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_file() && read::kind_of(entry.path()).is_some() {
                        // Through symlinks the same file can be reached twice.
                        if seen.insert(real_path(&entry, &mut folder)) {
                            out.files.push(entry.into_path());
                        }
                    }
                }
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop, not followed".to_owned()
                    } else {
                        err.io_error().map_or_else(|| err.to_string(), |io| io.to_string())
                    };
                    out.problems.push((path, reason));
                }
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

/// The canonical path of a walked file, resolving only its folder (once per
/// folder: the walk is sorted, so a folder's files come together) unless the
/// file itself is a link. Resolving every file's path cost one `lstat` per
/// path component per file. Hard links stay distinct files, as before.
fn real_path(entry: &walkdir::DirEntry, folder: &mut Option<(PathBuf, PathBuf)>) -> PathBuf {
    let path = entry.path();
    let resolve = || path.canonicalize().unwrap_or_else(|_| path.into());
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else { return resolve() };
    if entry.path_is_symlink() {
        return resolve();
    }
    if folder.as_ref().is_none_or(|(walked, _)| walked != parent) {
        let Ok(real) = parent.canonicalize() else { return resolve() };
        *folder = Some((parent.to_path_buf(), real));
    }
    folder.as_ref().map_or_else(resolve, |(_, real)| real.join(name))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|s| s.starts_with('.') && s != "." && s != "..")
}

/// Splits files (their sizes in bytes, in walk order) into commit batches:
/// consecutive runs of at most `max_files` files and `max_bytes` bytes, each
/// holding at least one file (a file larger than `max_bytes` is a batch of
/// its own). `lede index` commits after each batch, and the benchmark's
/// plain-tantivy baseline batches the same way.
pub fn batches(sizes: &[u64], max_files: usize, max_bytes: u64) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0u64;
    for (i, &size) in sizes.iter().enumerate() {
        let full = i - start >= max_files.max(1) || bytes.saturating_add(size) > max_bytes;
        if i > start && full {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes = bytes.saturating_add(size);
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn batches_end_at_the_file_or_byte_limit() {
        use super::batches;
        assert_eq!(batches(&[], 10, 100), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(batches(&[1; 5], 2, 100), vec![0..2, 2..4, 4..5]);
        assert_eq!(batches(&[40, 40, 40, 10], 10, 100), vec![0..2, 2..4]);
        // A file over the byte limit is a batch of its own.
        assert_eq!(batches(&[10, 500, 10], 10, 100), vec![0..1, 1..2, 2..3]);
        assert_eq!(batches(&[100, 1], 10, 100), vec![0..1, 1..2]);
    }

    use super::*;

    #[test]
    fn walks_sorted_and_skips_hidden_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["b.txt", "a.html", "c.bin", ".hidden.txt", "sub/z.md", ".lede/x.txt"] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found = walk(&[root.to_path_buf()], Some(&root.join(".lede")), false);
        let names: Vec<_> =
            found.files.iter().map(|p| p.strip_prefix(root).unwrap().to_str().unwrap()).collect();
        assert_eq!(names, ["a.html", "b.txt", "sub/z.md"]);
        assert!(found.problems.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_and_files_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        std::fs::write(corpus.join("sub/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink("..", corpus.join("sub/up")).unwrap();
        std::os::unix::fs::symlink("sub", corpus.join("alias")).unwrap();
        let found = walk(std::slice::from_ref(&corpus), None, false);
        assert_eq!(found.files.len(), 1, "{:?}", found.files);
        assert!(!found.problems.is_empty());
    }

    #[test]
    fn missing_root_is_a_problem_not_a_panic() {
        let found = walk(&[PathBuf::from("/no/such/lede/path")], None, false);
        assert!(found.files.is_empty());
        assert_eq!(found.problems.len(), 1);
    }
}
