//! One writing run per catalog. Two runs that both read a destination's index before
//! either records its uploads would both upload the same photos, so every run that
//! writes (sync, restore, adopt, dedupe, applying dates) holds this lock from before
//! it reads any index until it ends.
//!
//! The lock is an exclusive `flock` on `<catalog>.lock`, beside the catalog: the kernel
//! drops it when its holder exits however it exits (even `kill -9`), so a crashed run
//! never leaves the catalog locked. The file's text says who holds it (PID, start
//! time, command) for the run that waits; a holder that ends cleanly empties it, so a
//! record found by the next holder is the mark of a run that died holding it.

use crate::cancel::Cancel;
use chrono::TimeZone;
use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How often a waiting run tries again (and looks at Ctrl-C).
const POLL: Duration = Duration::from_millis(200);
/// A holder writes its record just after taking the lock; a reader that finds the file
/// empty looks again this many times before calling the holder unknown.
const RECORD_TRIES: u32 = 25;
const RECORD_PAUSE: Duration = Duration::from_millis(20);
/// Longest command kept in the record: enough to recognise a run, not a whole script.
const COMMAND_MAX: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{} is using the catalog {catalog}; not waiting for it (--no-wait)", describe(.holder))]
    Busy {
        catalog: PathBuf,
        holder: Option<Holder>,
    },
    #[error("cancelled while waiting for the catalog's lock; nothing was done")]
    Cancelled,
    #[error("cannot lock the catalog with {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// What a run says about itself in the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// Unix seconds.
    pub started: i64,
    pub command: String,
}

/// What the caller is told while taking the lock (once each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockNotice {
    /// Another run holds the lock; this one waits for it.
    Waiting(Option<Holder>),
    /// The run that held the lock before died holding it (killed, crashed).
    TookOver(Holder),
}

/// Who asks for the lock, and whether to wait for it.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// A short description of the run, e.g. `photosync sync ~/Pictures --to flickr`.
    pub command: String,
    /// false: fail with [`LockError::Busy`] at once instead of waiting.
    pub wait: bool,
}

impl RunRequest {
    /// This process's command line, waiting: what a Rust caller that says nothing gets.
    pub fn this_process() -> Self {
        RunRequest {
            // args() would panic on an argument that is not UTF-8 (a file name).
            command: std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            wait: true,
        }
    }
}

/// Held until dropped.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    catalog: PathBuf,
}

impl RunLock {
    /// The lock file of the catalog at `catalog`.
    pub fn path_for(catalog: &Path) -> PathBuf {
        let mut name = catalog.as_os_str().to_os_string();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock of the catalog at `catalog`. When another run holds it: with
    /// `run.wait`, tells `notify` once and waits until it is free or `cancel` is set;
    /// without, fails at once naming the holder.
    pub fn acquire(
        catalog: &Path,
        run: &RunRequest,
        cancel: &Cancel,
        notify: &mut dyn FnMut(&LockNotice),
    ) -> Result<RunLock, LockError> {
        let path = Self::path_for(catalog);
        let io_err = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io_err)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(io_err)?;
        let mut told = false;
        loop {
            if cancel.is_cancelled() {
                return Err(LockError::Cancelled);
            }
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => return Err(io_err(e)),
            }
            if !told {
                let holder = read_record_soon(&mut file);
                if !run.wait {
                    return Err(LockError::Busy {
                        catalog: catalog.to_path_buf(),
                        holder,
                    });
                }
                notify(&LockNotice::Waiting(holder));
                told = true;
            }
            std::thread::sleep(POLL);
        }
        if let Some(dead) = read_record(&mut file) {
            notify(&LockNotice::TookOver(dead));
        }
        let me = Holder {
            pid: std::process::id(),
            started: chrono::Utc::now().timestamp(),
            command: run.command.clone(),
        };
        write_record(&mut file, &me).map_err(io_err)?;
        Ok(RunLock {
            file,
            catalog: catalog.to_path_buf(),
        })
    }

    /// The catalog this lock is for.
    pub fn catalog(&self) -> &Path {
        &self.catalog
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // An empty file tells the next holder this run ended cleanly; closing the file
        // (after this) releases the lock.
        let _ = self.file.set_len(0);
    }
}

/// Writes to stderr: the notice of a caller that gave no way to tell its user.
pub fn tell_stderr(notice: &LockNotice) {
    eprintln!("photosync: {notice}");
}

impl Holder {
    fn record(&self) -> String {
        format!(
            "pid {}\nstarted {}\ncommand {}\n",
            self.pid, self.started, self.command
        )
    }

    /// None unless all three lines are there (a record being written is not).
    fn parse(text: &str) -> Option<Holder> {
        let mut lines = text.split_inclusive('\n');
        let mut field = |name: &str| {
            let line = lines.next()?.strip_suffix('\n')?;
            line.strip_prefix(name)?
                .strip_prefix(' ')
                .map(str::to_owned)
        };
        Some(Holder {
            pid: field("pid")?.parse().ok()?,
            started: field("started")?.parse().ok()?,
            command: field("command")?,
        })
    }
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let started = chrono::Local
            .timestamp_opt(self.started, 0)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "at an unknown time".into());
        write!(
            f,
            "photosync run PID {} (started {started}, `{}`)",
            self.pid, self.command
        )
    }
}

impl fmt::Display for LockNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockNotice::Waiting(holder) => write!(
                f,
                "waiting for {} to finish; --no-wait to exit instead",
                describe(holder)
            ),
            LockNotice::TookOver(dead) => write!(
                f,
                "took over the lock of run PID {}, which is gone",
                dead.pid
            ),
        }
    }
}

fn describe(holder: &Option<Holder>) -> String {
    match holder {
        Some(h) => h.to_string(),
        None => "another photosync run (which did not say who it is)".into(),
    }
}

fn read_record(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    Holder::parse(&text)
}

/// The holder's record, looking again for a moment when it is not written yet.
fn read_record_soon(file: &mut File) -> Option<Holder> {
    for _ in 0..RECORD_TRIES {
        if let Some(h) = read_record(file) {
            return Some(h);
        }
        std::thread::sleep(RECORD_PAUSE);
    }
    None
}

fn write_record(file: &mut File, me: &Holder) -> io::Result<()> {
    let mut command: String = me
        .command
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(COMMAND_MAX)
        .collect();
    command.truncate(command.trim_end().len());
    let text = Holder {
        command,
        ..me.clone()
    }
    .record();
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    // One write: a reader sees the whole record or an incomplete one it ignores.
    file.write_all(text.as_bytes())?;
    file.flush()
}

#[cfg(test)]
mod tests;
