//! Publishing an index folder so that nothing is ever lost: every file is written to a
//! hidden sibling folder and synced, `manifest.json` last; then the new folder and the
//! old one are exchanged in one step (`renameat2(RENAME_EXCHANGE)` on Linux) and the
//! parent folder synced. Where the file system cannot exchange, the old folder is first
//! moved aside to `.NAME.old-PID` and the next [`Publish::begin`] (or [`recover`])
//! puts it back if the process died before the new one was in place — it is never
//! deleted while it is the only copy.
//!
//! `ATELIER_FAULT=publish-after-move-aside` aborts the process between the two steps of
//! the fallback (and forces the fallback): the fault tests use it.
//! `ATELIER_FAULT=publish-two-step-slow` forces the fallback and waits 300 ms between its
//! two steps, so that the random-kill harness (`scripts/bench/kill-builds.py`) can land
//! kills there.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an index folder could not be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{what} {path}")]
    Io {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error("{0} is not empty and holds no Atelier index; refusing to replace it")]
    NotAnIndex(PathBuf),
    #[error("{0} has no folder name")]
    NoName(PathBuf),
}

fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> PublishError + 'a {
    move |source| PublishError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// The fault the tests inject, if any.
fn fault(name: &str) -> bool {
    std::env::var("ATELIER_FAULT").is_ok_and(|f| f == name)
}

/// Replaces the file at `path` with `bytes` so that a crash leaves the old content or
/// the new, never a mix: a synced temporary sibling renamed over it, then the folder
/// synced.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path has no file name",
        )
    })?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    File::open(dir).and_then(|f| f.sync_all())
}

fn sync_folder(path: &Path) -> Result<(), PublishError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io("syncing", path))
}

/// `(parent folder, folder name)` of `out`.
fn split(out: &Path) -> Result<(PathBuf, String), PublishError> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = out
        .file_name()
        .ok_or_else(|| PublishError::NoName(out.to_path_buf()))?
        .to_string_lossy()
        .into_owned();
    Ok((parent, name))
}

/// Puts back an index an interrupted publish moved aside (when `out` is missing), and
/// removes what interrupted publishes left behind otherwise. Returns whether an index
/// was restored.
pub fn recover(out: &Path) -> Result<bool, PublishError> {
    let (parent, name) = split(out)?;
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Ok(false);
    };
    let (old_prefix, tmp_prefix) = (format!(".{name}.old-"), format!(".{name}.tmp-"));
    let mut olds = Vec::new();
    let mut tmps = Vec::new();
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&old_prefix) {
            olds.push(e.path());
        } else if n.starts_with(&tmp_prefix) {
            tmps.push(e.path());
        }
    }
    let mut restored = false;
    if !out.exists() {
        // The newest copy moved aside is the index that was published last.
        olds.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        if let Some(latest) = olds.pop() {
            std::fs::rename(&latest, out).map_err(io("restoring", &latest))?;
            sync_folder(&parent)?;
            restored = true;
        }
    }
    for p in olds.into_iter().chain(tmps) {
        let _ = std::fs::remove_dir_all(p);
    }
    Ok(restored)
}

/// An index folder being written; dropped before [`Publish::commit`], it leaves the
/// published folder as it was.
pub struct Publish {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    staging: Option<PathBuf>,
}

impl Publish {
    /// Recovers from interrupted publishes, checks that `out` is missing, empty or an
    /// index (never the user's other files), and creates the hidden staging folder.
    pub fn begin(out: &Path) -> Result<Self, PublishError> {
        let (parent, name) = split(out)?;
        std::fs::create_dir_all(&parent).map_err(io("creating", &parent))?;
        recover(out)?;
        if out.exists() {
            if !out.is_dir() {
                return Err(PublishError::NotAFolder(out.to_path_buf()));
            }
            let empty = std::fs::read_dir(out)
                .map_err(io("reading", out))?
                .next()
                .is_none();
            if !empty && !out.join(atelier_engine::index::MANIFEST).exists() {
                return Err(PublishError::NotAnIndex(out.to_path_buf()));
            }
        }
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir(&staging).map_err(io("creating", &staging))?;
        Ok(Self {
            out: out.to_path_buf(),
            parent,
            name,
            staging: Some(staging),
        })
    }

    fn staging(&self) -> &Path {
        self.staging.as_deref().expect("staging until committed")
    }

    /// Writes and syncs one file of the new folder.
    pub fn write(&self, file: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let path = self.staging().join(file);
        // Photos go in folders of their own (`photos/010/…`).
        if let Some(parent) = path.parent().filter(|p| *p != self.staging()) {
            std::fs::create_dir_all(parent).map_err(io("creating", parent))?;
        }
        let mut f = File::create(&path).map_err(io("creating", &path))?;
        f.write_all(bytes).map_err(io("writing", &path))?;
        f.sync_all().map_err(io("syncing", &path))
    }

    /// Writes `manifest.json` last, then puts the new folder in place of the old one.
    pub fn commit(mut self, manifest: &[u8]) -> Result<(), PublishError> {
        self.write(atelier_engine::index::MANIFEST, manifest)?;
        let staging = self.staging.take().expect("staging until committed");
        sync_folder(&staging)?;
        let result = self.swap_in(&staging);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        result
    }

    fn swap_in(&self, staging: &Path) -> Result<(), PublishError> {
        let out = &self.out;
        if !out.exists() {
            std::fs::rename(staging, out).map_err(io("renaming into place", staging))?;
            return sync_folder(&self.parent);
        }
        let slow = fault("publish-two-step-slow");
        let two_step = fault("publish-after-move-aside") || slow;
        if !two_step && exchange(staging, out).is_ok() {
            // `staging` now holds the old index.
            sync_folder(&self.parent)?;
            let _ = std::fs::remove_dir_all(staging);
            return Ok(());
        }
        // Two steps; the old copy is restored by `recover` if we die in between.
        let old = self
            .parent
            .join(format!(".{}.old-{}", self.name, std::process::id()));
        std::fs::rename(out, &old).map_err(io("moving aside", out))?;
        sync_folder(&self.parent)?;
        if fault("publish-after-move-aside") {
            std::process::abort();
        }
        if slow {
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
        if let Err(e) = std::fs::rename(staging, out) {
            let _ = std::fs::rename(&old, out);
            return Err(io("renaming into place", staging)(e));
        }
        sync_folder(&self.parent)?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

impl Drop for Publish {
    fn drop(&mut self) {
        if let Some(s) = self.staging.take() {
            let _ = std::fs::remove_dir_all(s);
        }
    }
}

/// Exchanges two paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn write_durably_replaces_a_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("marker.json");
        super::write_durably(&path, b"old").unwrap();
        super::write_durably(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(super::write_durably(&dir.path().join("no/such/folder/x"), b"x").is_err());
    }

    use super::*;

    fn index(dir: &Path, marker: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(atelier_engine::index::MANIFEST), marker).unwrap();
    }

    fn marker(dir: &Path) -> String {
        std::fs::read_to_string(dir.join(atelier_engine::index::MANIFEST)).unwrap()
    }

    #[test]
    fn publishes_over_an_old_index_and_leaves_nothing_behind() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("idx");
        index(&out, "old");
        let p = Publish::begin(&out).unwrap();
        p.write("a.bin", b"new file").unwrap();
        p.commit(b"new").unwrap();
        assert_eq!(marker(&out), "new");
        assert_eq!(std::fs::read(out.join("a.bin")).unwrap(), b"new file");
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("idx")]);
    }

    #[test]
    fn an_abandoned_publish_changes_nothing() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("idx");
        index(&out, "old");
        let p = Publish::begin(&out).unwrap();
        p.write("a.bin", b"half").unwrap();
        drop(p);
        assert_eq!(marker(&out), "old");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_copy_moved_aside_is_restored_never_deleted() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("idx");
        // What a process killed between the two renames leaves.
        index(&root.path().join(".idx.old-4242"), "old");
        index(&root.path().join(".idx.tmp-4242"), "new, unfinished");
        assert!(recover(&out).unwrap());
        assert_eq!(marker(&out), "old");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
        // With the index in place, a leftover old copy is stale and goes.
        index(&root.path().join(".idx.old-4343"), "older");
        assert!(!recover(&out).unwrap());
        assert_eq!(marker(&out), "old");
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_to_replace_other_files() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("photos");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("holiday.jpg"), b"x").unwrap();
        assert!(matches!(
            Publish::begin(&out),
            Err(PublishError::NotAnIndex(_))
        ));
        let file = root.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(
            Publish::begin(&file),
            Err(PublishError::NotAFolder(_))
        ));
    }
}
