//! A build that runs out of disk space: a clear error, the old index untouched, nothing
//! left behind. The full disk is a real one — a tmpfs just larger than the old index,
//! mounted for the test (which needs root; elsewhere it says why it skipped).

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Unmounts the small file system when the test ends, however it ends.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

#[test]
fn a_full_disk_fails_the_build_cleanly_and_keeps_the_old_index() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = tmp.path().join("small-disk");
    std::fs::create_dir(&disk).unwrap();
    // Room for the old index (each small file takes at least a page) and a little more,
    // not for a second copy.
    let files = std::fs::read_dir(demo_index()).unwrap().count() as u64;
    let kib = (folder_bytes(demo_index()) + files * 4096) / 1024 * 5 / 4;
    let mount = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={kib}k,mode=0755"),
            "tmpfs",
        ])
        .arg(&disk)
        .output();
    match mount {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "skipped: cannot mount a small tmpfs here ({}); run as root to test a full disk",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipped: no mount command ({e})");
            return;
        }
    }
    let _mounted = Mounted(disk.clone());
    let index = demo_copy(&disk);
    let before = std::fs::read(index.join("manifest.json")).unwrap();

    let err = fails(&[
        "build",
        "--catalog",
        demo_catalog().to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
    ]);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(err.matches("No space left").count(), 1, "said once: {err}");
    assert!(
        err.contains("writing") || err.contains("staging") || err.contains(".index.tmp-"),
        "the error says what it was doing: {err}"
    );
    // The old index is whole, and the space the failed build took is free again.
    assert_eq!(std::fs::read(index.join("manifest.json")).unwrap(), before);
    assert!(ok(&["verify", "--index", index.to_str().unwrap()]).starts_with("ok:"));
    assert!(leftovers(&disk).is_empty(), "{:?}", leftovers(&disk));
    // Searching it still works.
    let out = ok(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "red dress",
    ]);
    assert_eq!(json_lines(&out)[0]["results"].as_array().unwrap().len(), 10);
}
