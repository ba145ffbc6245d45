//! The file-system steps that make the archive crash-safe: folders created durably,
//! temporaries that are recognisable (and so removable after a crash), renames that
//! never replace a file, and one lock so that two runs never write at once.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

const TEMP_PREFIX: &str = ".photosync-";
const TEMP_SUFFIX: &str = ".tmp";
pub const LOCK_NAME: &str = ".photosync.lock";

/// The temporary a photo with this MD5 is copied into, in its final folder. One per
/// MD5: a run copies each MD5 once, and the lock keeps other runs out.
pub fn temp_path(dir: &Path, md5: &str) -> PathBuf {
    dir.join(format!("{TEMP_PREFIX}{md5}{TEMP_SUFFIX}"))
}

pub fn is_temp(name: &OsStr) -> bool {
    let b = name.as_bytes();
    b.starts_with(TEMP_PREFIX.as_bytes()) && b.ends_with(TEMP_SUFFIX.as_bytes())
}

/// Removes the temporaries a killed run left in `dir`; returns how many. A folder
/// that does not exist has none.
pub fn clean_temps(dir: &Path) -> io::Result<u64> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        if is_temp(&entry.file_name()) && entry.file_type()?.is_file() {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Creates `root/rel` folder by folder, syncing each new folder's parent so that the
/// new entry survives a crash as well as the file that will be renamed into it.
pub fn ensure_dir(root: &Path, rel: &Path) -> io::Result<()> {
    let mut dir = root.to_path_buf();
    for part in rel.components() {
        let parent = dir.clone();
        dir.push(part);
        match fs::create_dir(&dir) {
            Ok(()) => sync_dir(&parent)?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// fsync of a folder: makes the names created or renamed in it durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Drops the cached pages of `path` (written and fsynced, so clean): reading it again
/// then reads what the disk holds, not what the page cache kept of the writes. Only
/// advice: a file system that ignores it (or refuses it) makes the check weaker, not wrong.
pub fn uncache(path: &Path) -> io::Result<()> {
    let file = File::open(path)?;
    let _ = advise(&file, libc::POSIX_FADV_DONTNEED);
    Ok(())
}

fn advise(file: &File, advice: libc::c_int) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain syscall on a descriptor `file` owns; no memory is passed.
    match unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, advice) } {
        0 => Ok(()),
        errno => Err(io::Error::from_raw_os_error(errno)),
    }
}

/// Renames `from` to `to` unless `to` exists, atomically where the file system can
/// (renameat2 RENAME_NOREPLACE), else with a hard link, else (FAT and exFAT drives,
/// which have neither) by checking first, which is safe while this run holds the lock.
/// `to` existing is an `AlreadyExists` error and `from` is left in place.
pub fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match renameat2_noreplace(from, to) {
        Err(e) if unsupported(&e) => {}
        other => return other,
    }
    match fs::hard_link(from, to) {
        Ok(()) => return fs::remove_file(from),
        Err(e) if unsupported(&e) || e.raw_os_error() == Some(libc::EPERM) => {}
        Err(e) => return Err(e),
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP)
    )
}

fn renameat2_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    let from = c_path(from)?;
    let to = c_path(to)?;
    // SAFETY: both pointers are NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn c_path(p: &Path) -> io::Result<std::ffi::CString> {
    std::ffi::CString::new(p.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path with a NUL byte"))
}

/// Holds the archive's lock file until dropped. Writers take it exclusively, verify
/// shares it, so a verify never sees a copy half done.
pub struct Lock {
    _file: File,
}

pub enum LockMode {
    Write,
    Read,
}

impl Lock {
    /// Ok(None) when another process holds the lock. A lock just released can still
    /// look held for a moment (a child process being spawned elsewhere holds a copy of
    /// the descriptor until it execs), so it is tried for up to two seconds.
    pub fn try_take(root: &Path, mode: LockMode) -> io::Result<Option<Lock>> {
        for _ in 0..20 {
            if let Some(lock) = Self::try_once(root, &mode)? {
                return Ok(Some(lock));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Ok(None)
    }

    fn try_once(root: &Path, mode: &LockMode) -> io::Result<Option<Lock>> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(root.join(LOCK_NAME))?;
        let taken = match mode {
            LockMode::Write => file.try_lock(),
            LockMode::Read => file.try_lock_shared(),
        };
        match taken {
            Ok(()) => Ok(Some(Lock { _file: file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, "new").unwrap();
        fs::write(&b, "old").unwrap();
        let err = rename_no_replace(&a, &b).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&b).unwrap(), b"old");
        fs::remove_file(&b).unwrap();
        rename_no_replace(&a, &b).unwrap();
        assert_eq!(fs::read(&b).unwrap(), b"new");
        assert!(!a.exists());
    }

    #[test]
    fn only_temporaries_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let temp = temp_path(dir.path(), "abc");
        fs::write(&temp, "half").unwrap();
        fs::write(dir.path().join(".photosync-notes"), "keep").unwrap();
        fs::write(dir.path().join("IMG.tmp"), "keep").unwrap();
        assert_eq!(clean_temps(dir.path()).unwrap(), 1);
        assert!(!temp.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
        assert_eq!(clean_temps(&dir.path().join("none")).unwrap(), 0);
    }

    #[test]
    fn one_writer_at_a_time_and_readers_share() {
        let dir = tempfile::tempdir().unwrap();
        let w = Lock::try_take(dir.path(), LockMode::Write).unwrap();
        assert!(w.is_some());
        assert!(Lock::try_take(dir.path(), LockMode::Write)
            .unwrap()
            .is_none());
        assert!(Lock::try_take(dir.path(), LockMode::Read)
            .unwrap()
            .is_none());
        drop(w);
        let r1 = Lock::try_take(dir.path(), LockMode::Read).unwrap();
        let r2 = Lock::try_take(dir.path(), LockMode::Read).unwrap();
        assert!(r1.is_some() && r2.is_some());
    }
}
