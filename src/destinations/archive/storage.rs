//! The one place the archive writes file contents, behind a trait so that a test can
//! put a disk that fills up after N bytes in its place. Everything else (folders,
//! renames, reading back) goes to the real file system.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::Path;

/// A temporary file being written.
pub trait Sink: Write + Send {
    /// Makes every byte written durable (fsync).
    fn sync(&mut self) -> io::Result<()>;

    /// Copies up to `len` bytes from `src` (at its position) inside the kernel, the
    /// way `cp` does, sparing a pass through user memory. None: not possible here,
    /// write what was read instead.
    fn copy_from(&mut self, _src: &File, _len: usize) -> Option<io::Result<usize>> {
        None
    }

    /// Leaves the next `len` bytes a hole (they read as zeros). A sink that cannot
    /// writes the zeros.
    fn skip(&mut self, len: u64) -> io::Result<()> {
        let zeros = [0u8; 64 << 10];
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            self.write_all(&zeros[..n])?;
            left -= n as u64;
        }
        Ok(())
    }
}

/// Creates the temporary files the archive copies into.
pub trait Storage: Send + Sync {
    /// Creates (or truncates) `path` for writing.
    fn create(&self, path: &Path) -> io::Result<Box<dyn Sink>>;
}

/// The real disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct Disk;

/// Bytes written between two hints to the kernel to start writing back: the final
/// fsync then waits for the tail only, and copying overlaps with the disk's writes.
const WRITEBACK_EVERY: u64 = 8 << 20;

struct DiskSink {
    file: File,
    written: u64,
    flushed: u64,
    /// copy_file_range failed as unsupported (another file system, an old kernel).
    no_kernel_copy: bool,
}

impl DiskSink {
    fn wrote(&mut self, n: usize) {
        self.written += n as u64;
        if self.written - self.flushed >= WRITEBACK_EVERY {
            start_writeback(&self.file, self.flushed, self.written - self.flushed);
            self.flushed = self.written;
        }
    }
}

impl Storage for Disk {
    fn create(&self, path: &Path) -> io::Result<Box<dyn Sink>> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        Ok(Box::new(DiskSink {
            file,
            written: 0,
            flushed: 0,
            no_kernel_copy: false,
        }))
    }
}

impl Write for DiskSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.wrote(n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Sink for DiskSink {
    fn sync(&mut self) -> io::Result<()> {
        // A file ending in a hole has its length set here: seeking past the end writes nothing.
        if self.file.metadata()?.len() < self.written {
            self.file.set_len(self.written)?;
        }
        self.file.sync_all()
    }

    fn skip(&mut self, len: u64) -> io::Result<()> {
        self.file.seek(SeekFrom::Current(len as i64))?;
        self.written += len;
        self.flushed = self.written;
        Ok(())
    }

    fn copy_from(&mut self, src: &File, len: usize) -> Option<io::Result<usize>> {
        if self.no_kernel_copy {
            return None;
        }
        // SAFETY: two file descriptors owned by live Files; null offsets mean each
        // file's own position, which the kernel advances.
        let n = unsafe {
            libc::copy_file_range(
                src.as_raw_fd(),
                std::ptr::null_mut(),
                self.file.as_raw_fd(),
                std::ptr::null_mut(),
                len,
                0,
            )
        };
        if n >= 0 {
            self.wrote(n as usize);
            return Some(Ok(n as usize));
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::ENOSYS | libc::EXDEV | libc::EINVAL | libc::EOPNOTSUPP | libc::EBADF) => {
                self.no_kernel_copy = true;
                None
            }
            Some(libc::EINTR) => self.copy_from(src, len),
            _ => Some(Err(err)),
        }
    }
}

/// Asks the kernel to start writing this range back now, without waiting. Only a
/// hint: where it is not supported, the fsync at the end does all the work.
fn start_writeback(file: &File, offset: u64, len: u64) {
    // SAFETY: a plain syscall on a file descriptor this File owns; no memory is passed.
    unsafe {
        libc::sync_file_range(
            file.as_raw_fd(),
            offset as libc::off64_t,
            len as libc::off64_t,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}
