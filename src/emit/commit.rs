//! All-or-nothing replacement of the files of an output directory.
//!
//! A run first writes every new file into `DIR/.referat-staging/` (each flushed to disk). The
//! commit point is one atomic `rename` of that directory to `DIR/.referat-commit/`; after it the
//! files are renamed into `DIR` one by one (each rename atomic) and the directory is removed.
//!
//! So after a kill at any moment: before the commit point `DIR` holds exactly the files it held
//! before (a leftover staging directory is deleted by the next run); after it, every file in
//! `DIR` is complete, and the next referat command that opens `DIR` (`extract`, `validate`,
//! `stats`) finishes the renames, so the set of files is the new run's in full. No dataset file
//! is ever seen half-written.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub const STAGING_DIR: &str = ".referat-staging";
pub const COMMIT_DIR: &str = ".referat-commit";

/// What `recover` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recovery {
    /// Files of an interrupted commit that were moved into place.
    pub completed: usize,
    /// An interrupted run's staging directory was removed.
    pub discarded_staging: bool,
}

/// Finishes an interrupted commit in `dir` and removes an abandoned staging directory.
pub fn recover(dir: &Path) -> io::Result<Recovery> {
    let mut rec = Recovery::default();
    let commit = dir.join(COMMIT_DIR);
    if commit.is_dir() {
        rec.completed = move_into_place(&commit, dir)?;
    }
    let staging = dir.join(STAGING_DIR);
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
        rec.discarded_staging = true;
    }
    Ok(rec)
}

fn move_into_place(commit: &Path, dir: &Path) -> io::Result<usize> {
    let mut names: Vec<_> = fs::read_dir(commit)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    for name in &names {
        fs::rename(commit.join(name), dir.join(name))?;
    }
    sync_dir(dir)?;
    fs::remove_dir(commit)?;
    sync_dir(dir)?;
    Ok(names.len())
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    // Directories can be opened and synced on Unix; elsewhere rename durability is the OS's.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// A set of files to replace together.
pub struct Transaction {
    dir: PathBuf,
    staging: PathBuf,
}

impl Transaction {
    /// Prepares to replace files in `dir` (created if missing), after recovering from any
    /// interrupted earlier run.
    pub fn begin(dir: &Path) -> io::Result<Transaction> {
        fs::create_dir_all(dir)?;
        recover(dir)?;
        let staging = dir.join(STAGING_DIR);
        fs::create_dir(&staging)?;
        Ok(Transaction {
            dir: dir.to_path_buf(),
            staging,
        })
    }

    /// Writes one file of the set; `fill` gets a buffered writer.
    pub fn write(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let path = self.staging.join(name);
        let mut w = BufWriter::new(File::create(&path)?);
        fill(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// Makes the new files the directory's, all of them (see the module's comment).
    pub fn commit(self) -> io::Result<()> {
        sync_dir(&self.staging)?;
        let commit = self.dir.join(COMMIT_DIR);
        fs::rename(&self.staging, &commit)?;
        sync_dir(&self.dir)?;
        move_into_place(&commit, &self.dir)?;
        Ok(())
    }
}

impl Drop for Transaction {
    /// An abandoned transaction (an error while writing) leaves nothing behind; after a commit
    /// the staging directory no longer exists.
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("referat-commit-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn put(tx: &mut Transaction, name: &str, text: &str) {
        tx.write(name, |w| w.write_all(text.as_bytes())).unwrap();
    }

    #[test]
    fn commit_replaces_all_files_and_leaves_no_work_files() {
        let dir = scratch("ok");
        fs::write(dir.join("a.jsonl"), "old a\n").unwrap();
        fs::write(dir.join("keep.txt"), "mine\n").unwrap();
        let mut tx = Transaction::begin(&dir).unwrap();
        put(&mut tx, "a.jsonl", "new a\n");
        put(&mut tx, "b.jsonl", "new b\n");
        // Nothing is visible before the commit.
        assert_eq!(fs::read_to_string(dir.join("a.jsonl")).unwrap(), "old a\n");
        assert!(!dir.join("b.jsonl").exists());
        tx.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.jsonl")).unwrap(), "new a\n");
        assert_eq!(fs::read_to_string(dir.join("b.jsonl")).unwrap(), "new b\n");
        assert_eq!(fs::read_to_string(dir.join("keep.txt")).unwrap(), "mine\n");
        assert!(!dir.join(STAGING_DIR).exists() && !dir.join(COMMIT_DIR).exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_run_killed_before_the_commit_point_changes_nothing() {
        let dir = scratch("before");
        fs::write(dir.join("a.jsonl"), "old a\n").unwrap();
        let mut tx = Transaction::begin(&dir).unwrap();
        put(&mut tx, "a.jsonl", "new a\n");
        // A kill leaves the staging directory behind (forget skips the clean-up of Drop).
        std::mem::forget(tx);
        assert!(dir.join(STAGING_DIR).exists());
        let rec = recover(&dir).unwrap();
        assert!(rec.discarded_staging);
        assert_eq!(rec.completed, 0);
        assert_eq!(fs::read_to_string(dir.join("a.jsonl")).unwrap(), "old a\n");
        assert!(!dir.join(STAGING_DIR).exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_run_killed_after_the_commit_point_is_completed_by_the_next() {
        let dir = scratch("after");
        fs::write(dir.join("a.jsonl"), "old a\n").unwrap();
        fs::write(dir.join("b.jsonl"), "old b\n").unwrap();
        // The state between two renames of the roll-forward: a is moved, b is not yet.
        fs::create_dir(dir.join(COMMIT_DIR)).unwrap();
        fs::write(dir.join("a.jsonl"), "new a\n").unwrap();
        fs::write(dir.join(COMMIT_DIR).join("b.jsonl"), "new b\n").unwrap();
        let rec = recover(&dir).unwrap();
        assert_eq!(rec.completed, 1);
        assert_eq!(fs::read_to_string(dir.join("a.jsonl")).unwrap(), "new a\n");
        assert_eq!(fs::read_to_string(dir.join("b.jsonl")).unwrap(), "new b\n");
        assert!(!dir.join(COMMIT_DIR).exists());
        // Recovering again is harmless.
        assert_eq!(recover(&dir).unwrap(), Recovery::default());
        fs::remove_dir_all(&dir).unwrap();
    }
}
