//! The manifest: which files the index holds, as of its last commit.
//!
//! For every indexed file: its size, modification time, a hash of its bytes
//! and the ids of its documents; and what template learning knows about each
//! site. `lede index` uses it to process only new and changed files, to
//! delete the documents of files that disappeared, and to clean new pages
//! with what earlier runs learned.
//!
//! On disk, in the index folder, as JSON files named in the payload of the
//! tantivy commit they belong to: a base file listing every file, delta files
//! each listing the entries that one later commit changed (a removed file is
//! `null`), applied in order, and a templates file. A commit writes only what
//! changed since the previous one: a delta, and the templates when they
//! changed. When the deltas hold more entries than half the base, the next
//! commit writes a new base instead, so the bytes written over a run stay
//! proportional to the manifest's size, and loading reads at most about one
//! and a half of it.
//!
//! Every file is written (and synced) under a new name before the commit
//! that names it; files no commit names are removed only after that commit.
//! So whatever moment a run is killed, the last commit and its manifest
//! agree. Errors reading it are reported: an index whose manifest is lost
//! still answers queries, and a `--full` run rebuilds both. An index written
//! before deltas existed (a payload naming one manifest file, templates
//! inside it) is read as a base without deltas.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::clean::template::Templates;

/// Current manifest format.
const VERSION: u32 = 1;

/// Prefix of the file names the manifest writes in the index folder.
const PREFIX: &str = "lede-manifest-";

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

/// Every indexed file, by path as shown to users, and the learned templates.
///
/// Changes go through [`Manifest::insert`], [`Manifest::remove`],
/// [`Manifest::set_mtime`] and [`Manifest::set_templates`], which note what
/// the next [`Manifest::save`] must write.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    files: BTreeMap<String, FileEntry>,
    templates: Templates,
    /// What the last save (or load) left on disk.
    saved: Saved,
    /// Paths whose entry changed since then.
    changed: BTreeMap<String, ()>,
    /// The templates changed since then.
    templates_changed: bool,
}

/// The files of the manifest as the last commit names them.
#[derive(Clone, Debug, Default)]
struct Saved {
    base: Option<String>,
    /// Entries in the base file.
    base_entries: usize,
    deltas: Vec<String>,
    /// Entries in all delta files together.
    delta_entries: usize,
    templates: Option<String>,
}

/// A base file. (Files written before deltas existed also hold the templates.)
#[derive(Serialize, Deserialize)]
struct Base {
    version: u32,
    files: BTreeMap<String, FileEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    templates: Option<Templates>,
}

/// The borrowed form of [`Base`], for writing.
#[derive(Serialize)]
struct BaseRef<'a> {
    version: u32,
    files: &'a BTreeMap<String, FileEntry>,
}

/// A delta file: the entries one commit changed, `None` for removed files.
#[derive(Deserialize)]
struct Delta {
    files: BTreeMap<String, Option<FileEntry>>,
}

/// The borrowed form of [`Delta`], for writing.
#[derive(Serialize)]
struct DeltaRef<'a> {
    files: BTreeMap<&'a str, Option<&'a FileEntry>>,
}

/// The commit payload: names the manifest files of that commit.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    manifest: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    deltas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    templates: Option<String>,
}

impl Payload {
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.manifest.as_str())
            .chain(self.deltas.iter().map(String::as_str))
            .chain(self.templates.as_deref())
    }
}

impl Manifest {
    /// The manifest of the last commit of the index in `dir` (empty for a new
    /// index; an error when the files it names cannot be read).
    pub fn load(index: &tantivy::Index, dir: &Path) -> anyhow::Result<Manifest> {
        let metas = index.load_metas().context("reading the index metadata")?;
        let Some(payload) = metas.payload else {
            return Ok(Manifest::default());
        };
        let payload: Payload =
            serde_json::from_str(&payload).context("reading the index's commit payload")?;
        let base: Base = read_json(dir, &payload.manifest)?;
        anyhow::ensure!(
            base.version == VERSION,
            "{} has format {} (this lede reads {VERSION}); rebuild with --full",
            dir.join(&payload.manifest).display(),
            base.version
        );
        let mut manifest = Manifest { files: base.files, ..Manifest::default() };
        manifest.saved.base_entries = manifest.files.len();
        for name in &payload.deltas {
            let delta: Delta = read_json(dir, name)?;
            manifest.saved.delta_entries += delta.files.len();
            for (path, entry) in delta.files {
                match entry {
                    Some(entry) => manifest.files.insert(path, entry),
                    None => manifest.files.remove(&path),
                };
            }
        }
        manifest.templates = match &payload.templates {
            Some(name) => read_json(dir, name)?,
            None => base.templates.unwrap_or_default(),
        };
        manifest.saved.base = Some(payload.manifest);
        manifest.saved.deltas = payload.deltas;
        manifest.saved.templates = payload.templates;
        Ok(manifest)
    }

    /// The entry of `path`.
    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.files.get(path)
    }

    /// Every indexed path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Number of indexed files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file is indexed.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Sets the entry of `path`.
    pub fn insert(&mut self, path: String, entry: FileEntry) {
        if self.files.get(&path) != Some(&entry) {
            self.changed.insert(path.clone(), ());
            self.files.insert(path, entry);
        }
    }

    /// Forgets `path`.
    pub fn remove(&mut self, path: &str) {
        if self.files.remove(path).is_some() {
            self.changed.insert(path.to_owned(), ());
        }
    }

    /// Records a new modification time for `path` (same bytes).
    pub fn set_mtime(&mut self, path: &str, mtime: i128) {
        if let Some(entry) = self.files.get_mut(path)
            && entry.mtime != mtime
        {
            entry.mtime = mtime;
            self.changed.insert(path.to_owned(), ());
        }
    }

    /// What template learning knows.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Takes the templates out (to continue learning from them); put them
    /// back with [`Manifest::set_templates`].
    pub fn take_templates(&mut self) -> Templates {
        std::mem::take(&mut self.templates)
    }

    /// Replaces the templates.
    pub fn set_templates(&mut self, templates: Templates) {
        self.templates = templates;
        self.templates_changed = true;
    }

    /// Writes what changed since the last save to new files in `dir`,
    /// synced, and returns the commit payload that names the manifest's
    /// files. Nothing written is named by an earlier commit, so a run killed
    /// before the commit leaves the previous commit's manifest whole.
    pub fn save(&mut self, dir: &Path) -> anyhow::Result<String> {
        let mut saved = self.saved.clone();
        if self.templates_changed || saved.templates.is_none() {
            saved.templates = Some(write_json(dir, "templates", &self.templates)?);
        }
        let compact = saved.base.is_none()
            || saved.delta_entries + self.changed.len() > saved.base_entries / 2;
        if compact {
            let base = BaseRef { version: VERSION, files: &self.files };
            saved.base = Some(write_json(dir, "base", &base)?);
            saved.base_entries = self.files.len();
            saved.deltas.clear();
            saved.delta_entries = 0;
        } else if !self.changed.is_empty() {
            let files: BTreeMap<&str, Option<&FileEntry>> =
                self.changed.keys().map(|path| (path.as_str(), self.files.get(path))).collect();
            saved.deltas.push(write_json(dir, "delta", &DeltaRef { files })?);
            saved.delta_entries += self.changed.len();
        }
        let payload = Payload {
            manifest: saved.base.clone().unwrap_or_default(),
            deltas: saved.deltas.clone(),
            templates: saved.templates.clone(),
        };
        self.saved = saved;
        self.changed.clear();
        self.templates_changed = false;
        Ok(serde_json::to_string(&payload)?)
    }

    /// Removes the manifest files that `payload` does not name (after a commit).
    pub fn remove_stale(dir: &Path, payload: &str) {
        let Ok(current) = serde_json::from_str::<Payload>(payload) else { return };
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(PREFIX) && !current.names().any(|n| n == name) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes `value` as JSON to a new file of `dir` (synced, then renamed into
/// place) and returns its name.
fn write_json<T: Serialize>(dir: &Path, kind: &str, value: &T) -> anyhow::Result<String> {
    let mut stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut name = format!("{PREFIX}{stamp:032x}.{kind}.json");
    // Never reuse a name: it could be one the last commit names.
    while dir.join(&name).exists() {
        stamp += 1;
        name = format!("{PREFIX}{stamp:032x}.{kind}.json");
    }
    let path = dir.join(&name);
    let tmp = dir.join(format!("{name}.tmp"));
    let mut file = fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    let mut out = std::io::BufWriter::new(&mut file);
    serde_json::to_writer(&mut out, value)?;
    out.flush()?;
    drop(out);
    file.sync_all().with_context(|| format!("syncing {}", tmp.display()))?;
    fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    Ok(name)
}

fn read_json<T: DeserializeOwned>(dir: &Path, name: &str) -> anyhow::Result<T> {
    let path = dir.join(name);
    let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))
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

    fn entry(n: u64) -> FileEntry {
        FileEntry { size: n, mtime: i128::from(n) * 7, hash: n * 9, docs: vec![n] }
    }

    /// Saves `manifest`, commits with its payload, removes stale files.
    fn commit(index: &tantivy::Index, dir: &Path, manifest: &mut Manifest) -> String {
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let payload = manifest.save(dir).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&payload);
        commit.commit().unwrap();
        Manifest::remove_stale(dir, &payload);
        payload
    }

    fn manifest_files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(PREFIX))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn save_then_load_through_a_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = crate::index::open_or_create(dir.path()).unwrap();
        assert!(Manifest::load(&index, dir.path()).unwrap().is_empty());
        let mut manifest = Manifest::default();
        manifest.insert("a.txt".into(), entry(1));
        commit(&index, dir.path(), &mut manifest);
        let loaded = Manifest::load(&index, dir.path()).unwrap();
        assert_eq!(loaded.get("a.txt"), Some(&entry(1)));
        assert_eq!(loaded.len(), 1);
    }

    #[test]
    fn commits_write_deltas_then_compact_and_load_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = crate::index::open_or_create(dir.path()).unwrap();
        let mut manifest = Manifest::default();
        for i in 0..100 {
            manifest.insert(format!("f{i:03}"), entry(i));
        }
        commit(&index, dir.path(), &mut manifest);
        assert_eq!(manifest.saved.deltas.len(), 0, "the first save writes a base");
        // Small changes: one delta each, the base is not rewritten.
        let base = manifest.saved.base.clone();
        manifest.insert("f000".into(), entry(1000));
        manifest.remove("f001");
        manifest.set_mtime("f002", 5);
        commit(&index, dir.path(), &mut manifest);
        manifest.insert("new".into(), entry(7));
        let payload = commit(&index, dir.path(), &mut manifest);
        assert_eq!(manifest.saved.base, base);
        assert_eq!(manifest.saved.deltas.len(), 2);
        // Only the files the last commit names are left.
        let named: Payload = serde_json::from_str(&payload).unwrap();
        let mut names: Vec<String> = named.names().map(str::to_owned).collect();
        names.sort();
        assert_eq!(manifest_files(dir.path()), names);
        let loaded = Manifest::load(&index, dir.path()).unwrap();
        assert_eq!(loaded.files, manifest.files);
        assert_eq!(loaded.get("f000"), Some(&entry(1000)));
        assert_eq!(loaded.get("f001"), None);
        assert_eq!(loaded.get("f002").map(|e| e.mtime), Some(5));
        // Loaded, it goes on with deltas; past half the base, a new base.
        let mut manifest = loaded;
        for i in 0..60 {
            manifest.insert(format!("g{i:03}"), entry(i));
        }
        commit(&index, dir.path(), &mut manifest);
        assert!(manifest.saved.deltas.is_empty() && manifest.saved.base != base);
        assert_eq!(Manifest::load(&index, dir.path()).unwrap().files, manifest.files);
    }

    #[test]
    fn a_save_without_its_commit_leaves_the_last_commit_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = crate::index::open_or_create(dir.path()).unwrap();
        let mut manifest = Manifest::default();
        for i in 0..10 {
            manifest.insert(format!("f{i}"), entry(i));
        }
        commit(&index, dir.path(), &mut manifest);
        let committed = manifest.files.clone();
        // A run killed between writing its manifest files and committing.
        manifest.remove("f3");
        manifest.insert("f4".into(), entry(40));
        manifest.save(dir.path()).unwrap();
        let mut manifest = Manifest::default();
        for i in 0..10 {
            manifest.insert(format!("x{i}"), entry(i));
        }
        manifest.save(dir.path()).unwrap();
        let loaded = Manifest::load(&index, dir.path()).unwrap();
        assert_eq!(loaded.files, committed);
        // The next commit clears the leftovers.
        let mut loaded = loaded;
        loaded.insert("f5".into(), entry(50));
        let payload = commit(&index, dir.path(), &mut loaded);
        let named: Payload = serde_json::from_str(&payload).unwrap();
        assert_eq!(manifest_files(dir.path()).len(), named.names().count());
    }

    #[test]
    fn reads_a_manifest_written_before_deltas() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = crate::index::open_or_create(dir.path()).unwrap();
        let name = "lede-manifest-0000000000000000000000000000002a.json";
        let old = r#"{"version":1,"files":{"a.txt":{"size":1,"mtime":7,"hash":9,"docs":[1]}},"templates":{"sites":{}}}"#;
        fs::write(dir.path().join(name), old).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&format!(r#"{{"manifest":"{name}"}}"#));
        commit.commit().unwrap();
        let loaded = Manifest::load(&index, dir.path()).unwrap();
        assert_eq!(loaded.get("a.txt").map(|e| e.docs.clone()), Some(vec![1]));
    }

    #[test]
    fn unchanged_entries_are_not_written_again() {
        let mut manifest = Manifest::default();
        manifest.insert("a".into(), entry(1));
        manifest.changed.clear();
        manifest.insert("a".into(), entry(1));
        manifest.set_mtime("a", entry(1).mtime);
        manifest.remove("missing");
        assert!(manifest.changed.is_empty());
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
