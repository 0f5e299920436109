//! The manifest: which files the index holds, as of its last commit.
//!
//! For every indexed file: its size, modification time, a hash of its bytes
//! and the ids of its documents. `lede index` uses it to process only new and
//! changed files and to delete the documents of files that disappeared.
//!
//! The manifest is a JSON file in the index folder whose name is recorded in
//! the payload of the tantivy commit it belongs to. A new manifest is written
//! (and synced) under a new name before the commit that names it; older ones
//! are removed only after that commit. So whatever moment a run is killed,
//! the last commit and its manifest agree. Errors reading it are reported:
//! an index whose manifest is lost still answers queries, and a `--full`
//! run rebuilds both.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::clean::template::Templates;

/// Current manifest format.
const VERSION: u32 = 1;

/// What the index holds for one file.
#[derive(Clone, Debug, Default, Eq, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i128,
    /// xxh3 of the file's bytes.
    pub hash: u64,
    /// Ids of its documents.
    pub docs: Vec<u64>,
}

/// Every indexed file, by path as shown to users.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version.
    pub version: u32,
    /// Files by path.
    pub files: BTreeMap<String, FileEntry>,
    /// What template learning knows about each site, kept so that an
    /// incremental run cleans new pages with what earlier runs learned.
    #[serde(default)]
    pub templates: Templates,
}

/// The commit payload: names the manifest of that commit.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    manifest: String,
}

impl Manifest {
    /// The manifest of the last commit of the index in `dir` (empty for a new
    /// index, or one whose manifest cannot be read: then every file counts as new).
    pub fn load(index: &tantivy::Index, dir: &Path) -> anyhow::Result<Manifest> {
        let metas = index.load_metas().context("reading the index metadata")?;
        let Some(payload) = metas.payload else {
            return Ok(Manifest { version: VERSION, ..Manifest::default() });
        };
        let payload: Payload =
            serde_json::from_str(&payload).context("reading the index's commit payload")?;
        let path = dir.join(&payload.manifest);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .with_context(|| format!("reading {}", path.display()))?;
        anyhow::ensure!(
            manifest.version == VERSION,
            "{} has format {} (this lede reads {VERSION}); rebuild with --full",
            path.display(),
            manifest.version
        );
        Ok(manifest)
    }

    /// Writes the manifest to a new file in `dir`, synced, and returns the
    /// commit payload that names it.
    pub fn save(&self, dir: &Path) -> anyhow::Result<String> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("lede-manifest-{stamp:032x}.json");
        let path = dir.join(&name);
        let tmp = dir.join(format!("{name}.tmp"));
        let mut file =
            fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
        serde_json::to_writer(std::io::BufWriter::new(&mut file), self)?;
        file.flush()?;
        file.sync_all().with_context(|| format!("syncing {}", tmp.display()))?;
        fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
        Ok(serde_json::to_string(&Payload { manifest: name })?)
    }

    /// Removes manifest files other than the one `payload` names (after a commit).
    pub fn remove_stale(dir: &Path, payload: &str) {
        let Ok(current) = serde_json::from_str::<Payload>(payload) else { return };
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("lede-manifest-") && name != current.manifest {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The modification time of a file in nanoseconds, 0 when unknown.
pub fn mtime_nanos(meta: &fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// xxh3 of a file's bytes: read whole when small, streamed when large (same hash).
pub fn hash_file(path: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    /// Files up to this size are read whole (no zeroed buffer to fill).
    const WHOLE: u64 = 1 << 20;
    let mut file = fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size <= WHOLE {
        let mut bytes = Vec::with_capacity(size as usize + 1);
        file.read_to_end(&mut bytes)?;
        return Ok(xxhash_rust::xxh3::xxh3_64(&bytes));
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_then_load_through_a_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = crate::index::open_or_create(dir.path()).unwrap();
        assert!(Manifest::load(&index, dir.path()).unwrap().files.is_empty());
        let mut manifest = Manifest { version: VERSION, ..Manifest::default() };
        manifest
            .files
            .insert("a.txt".into(), FileEntry { size: 3, mtime: 7, hash: 9, docs: vec![1] });
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let payload = manifest.save(dir.path()).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&payload);
        commit.commit().unwrap();
        Manifest::remove_stale(dir.path(), &payload);
        let loaded = Manifest::load(&index, dir.path()).unwrap();
        assert_eq!(loaded.files["a.txt"].docs, vec![1]);
    }

    #[test]
    fn small_and_large_files_hash_as_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        for size in [0usize, 1, 300, (1 << 20) + 1, 3 << 20] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join(format!("f{size}"));
            fs::write(&path, &bytes).unwrap();
            assert_eq!(hash_file(&path).unwrap(), xxhash_rust::xxh3::xxh3_64(&bytes), "{size}");
        }
    }

    #[test]
    fn hashes_depend_on_content_only() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, "same").unwrap();
        fs::write(&b, "same").unwrap();
        assert_eq!(hash_file(&a).unwrap(), hash_file(&b).unwrap());
        fs::write(&b, "other").unwrap();
        assert_ne!(hash_file(&a).unwrap(), hash_file(&b).unwrap());
    }
}
