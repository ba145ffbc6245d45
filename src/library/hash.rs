//! Streaming MD5 of a whole file in one read, keeping its first bytes for the EXIF
//! parser, so a file is read from disk exactly once. Memory per file is the head plus
//! one fixed buffer, whatever the file's size. The scanner also has the image-data
//! MD5 ([`crate::library::imghash`]) computed in the same pass.

use crate::cancel::Cancel;
use crate::library::imghash::ImageHasher;
use md5::{Digest as _, Md5};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

const BUF_LEN: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cancelled")]
    Cancelled,
}

/// What one read of a file yields.
#[derive(Debug)]
pub struct FileDigest {
    pub md5: [u8; 16],
    /// The image-data MD5 ([`crate::library::imghash`]), when asked for and the file has one.
    pub imgmd5: Option<[u8; 16]>,
    /// The bytes ended inside a JPEG's structure, before its end marker (truncated).
    pub jpeg_ended_early: bool,
    /// Bytes actually read (compare with the size seen before, to notice a growing file).
    pub bytes: u64,
    /// The first `head_len` bytes of the file (fewer when the file is shorter).
    pub head: Vec<u8>,
    /// The file as it was when reading ended, to notice a change during the read.
    pub end_len: u64,
    pub end_mtime_ns: i64,
}

impl FileDigest {
    pub fn md5_hex(&self) -> String {
        hex(&self.md5)
    }

    pub fn imgmd5_hex(&self) -> Option<String> {
        self.imgmd5.as_ref().map(|d| hex(d))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Reads `path` once: MD5 of every byte, the head kept. `on_bytes` hears of each
/// chunk (progress); `cancel` is polled between chunks.
pub fn digest_file(
    path: &Path,
    head_len: usize,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<FileDigest, HashError> {
    digest(path, head_len, None, cancel, on_bytes)
}

/// [`digest_file`] plus the image-data MD5, in the same read: the scanner's call.
pub fn digest_photo(
    path: &Path,
    head_len: usize,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<FileDigest, HashError> {
    digest(path, head_len, Some(ImageHasher::new()), cancel, on_bytes)
}

fn digest(
    path: &Path,
    head_len: usize,
    mut image: Option<ImageHasher>,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<FileDigest, HashError> {
    let io_err = |source| HashError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io_err)?;
    let mut hasher = Md5::new();
    let mut head = vec![0u8; head_len];
    let mut filled = 0;
    while filled < head_len {
        let n = read_retrying(&mut file, &mut head[filled..]).map_err(io_err)?;
        if n == 0 {
            break;
        }
        hasher.update(&head[filled..filled + n]);
        if let Some(h) = image.as_mut() {
            h.update(&head[filled..filled + n]);
        }
        filled += n;
        on_bytes(n as u64);
    }
    head.truncate(filled);
    let mut total = filled as u64;
    if filled == head_len {
        let mut buf = vec![0u8; BUF_LEN];
        loop {
            if cancel.is_cancelled() {
                return Err(HashError::Cancelled);
            }
            let n = read_retrying(&mut file, &mut buf).map_err(io_err)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            if let Some(h) = image.as_mut() {
                h.update(&buf[..n]);
            }
            total += n as u64;
            on_bytes(n as u64);
        }
    }
    let meta = file.metadata().map_err(io_err)?;
    Ok(FileDigest {
        md5: hasher.finalize().into(),
        jpeg_ended_early: image.as_ref().is_some_and(ImageHasher::ended_early),
        imgmd5: image.and_then(ImageHasher::finish),
        bytes: total,
        head,
        end_len: meta.len(),
        end_mtime_ns: mtime_ns(&meta),
    })
}

fn read_retrying(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Modification time in nanoseconds since the epoch (negative before 1970).
pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    use std::os::unix::fs::MetadataExt;
    meta.mtime()
        .saturating_mul(1_000_000_000)
        .saturating_add(meta.mtime_nsec())
}

/// MD5 of a whole file as lowercase hex, the form of the `checksum:md5=` machine tag.
pub fn md5_file(path: &Path) -> Result<String, HashError> {
    digest_file(path, 0, &Cancel::new(), &mut |_| {}).map(|d| d.md5_hex())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn md5_of_known_content_any_head_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        let data: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
        File::create(&path).unwrap().write_all(&data).unwrap();
        let want = hex(&Md5::digest(&data));
        for head_len in [0, 1, 4096, 700_000, 1 << 20] {
            let mut seen = 0;
            let d = digest_file(&path, head_len, &Cancel::new(), &mut |n| seen += n).unwrap();
            assert_eq!(d.md5_hex(), want, "head_len {head_len}");
            assert_eq!(d.bytes, 700_000);
            assert_eq!(seen, 700_000);
            assert_eq!(d.head, data[..head_len.min(data.len())]);
        }
    }

    #[test]
    fn empty_file_has_the_empty_md5() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.jpg");
        File::create(&path).unwrap();
        assert_eq!(md5_file(&path).unwrap(), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = md5_file(Path::new("/nonexistent/x.jpg")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.jpg"));
    }

    #[test]
    fn cancel_stops_a_long_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        File::create(&path)
            .unwrap()
            .write_all(&vec![7u8; 3 * BUF_LEN])
            .unwrap();
        let cancel = Cancel::new();
        cancel.cancel();
        let r = digest_file(&path, 16, &cancel, &mut |_| {});
        assert!(matches!(r, Err(HashError::Cancelled)));
    }
}
