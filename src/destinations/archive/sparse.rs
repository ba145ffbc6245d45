//! Sparse files stay sparse in the archive, as `cp --sparse=auto` keeps them: the
//! source's holes (ranges never written, found with `lseek` `SEEK_DATA`/`SEEK_HOLE`) are
//! skipped in the copy instead of being written out as zeros. A 20 GB video recorder
//! file with a 19 GB hole then takes 1 GB on the archive's drive, not 20. The copy is
//! checked as any other: read back, holes as the zeros they read as, MD5 compared.

use std::fs::File;
use std::io::{self, Seek, SeekFrom};
use std::os::fd::AsRawFd;

/// The `(start, end)` byte ranges of `file` that hold data, when it has holes; None for
/// a file without holes, or where the file system cannot tell (then it is copied whole,
/// and a read error shows there).
pub fn data_ranges(file: &File, len: u64) -> Option<Vec<(u64, u64)>> {
    let found = ranges(file, len).ok().flatten();
    // The seeks moved the file's position; a whole copy reads from the start. Should
    // this fail, the copy's read back finds the bytes wrong and nothing is archived.
    let _ = (&mut &*file).seek(SeekFrom::Start(0));
    found
}

fn ranges(file: &File, len: u64) -> io::Result<Option<Vec<(u64, u64)>>> {
    let mut ranges = Vec::new();
    let mut at = 0u64;
    while at < len {
        let Some(start) = seek(file, at, libc::SEEK_DATA)? else {
            break; // only a hole up to the end
        };
        let end = seek(file, start, libc::SEEK_HOLE)?.unwrap_or(len).min(len);
        if end <= start {
            return Ok(None); // a file system answering oddly: copy it whole
        }
        ranges.push((start, end));
        at = end;
    }
    let data: u64 = ranges.iter().map(|(s, e)| e - s).sum();
    Ok((data < len).then_some(ranges))
}

/// `lseek(fd, at, whence)`: the offset found; None when there is no more data (ENXIO).
fn seek(file: &File, at: u64, whence: libc::c_int) -> io::Result<Option<u64>> {
    // SAFETY: a plain syscall on a descriptor this File owns; no memory is passed. The
    // file's position moves, and every reader of it seeks before reading.
    let found = unsafe { libc::lseek(file.as_raw_fd(), at as libc::off_t, whence) };
    if found >= 0 {
        return Ok(Some(found as u64));
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENXIO) => Ok(None),
        _ => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn finds_the_data_around_a_hole_and_nothing_in_a_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sparse.mp4");
        let mut f = File::create(&path).unwrap();
        f.write_all(&[7u8; 8192]).unwrap();
        f.seek(SeekFrom::Start(64 << 20)).unwrap();
        f.write_all(&[9u8; 8192]).unwrap();
        let len = f.metadata().unwrap().len();
        let f = File::open(&path).unwrap();
        let ranges = data_ranges(&f, len).expect("a hole in the middle");
        assert_eq!(ranges.first().map(|r| r.0), Some(0));
        assert_eq!(ranges.last().map(|r| r.1), Some(len));
        assert!(ranges.iter().map(|(s, e)| e - s).sum::<u64>() < 1 << 20);

        let whole = dir.path().join("whole.jpg");
        std::fs::write(&whole, vec![1u8; 100_000]).unwrap();
        assert_eq!(data_ranges(&File::open(&whole).unwrap(), 100_000), None);
    }
}
