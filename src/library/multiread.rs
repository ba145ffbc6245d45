//! The scanner's reader on a SIMD path: one thread keeps several files in flight and
//! hashes the whole-file stream and the image-data stream of each in the lanes of one
//! multi-buffer engine ([`crate::library::md5x`]). Each round reads the next chunk of
//! every open file, feeds both streams, then hashes all buffered blocks at once. A file
//! is still read exactly once, front to back, and yields the same [`FileDigest`] as
//! [`crate::library::hash::digest_photo`]. Memory is fixed: one chunk buffer, a head per
//! file in flight, and one stream buffer per lane.

use crate::cancel::Cancel;
use crate::library::hash::{mtime_ns, FileDigest, HashError};
use crate::library::imghash::JpegWalk;
use crate::library::md5x::{Lanes, Md5Path, StreamId};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Bytes read from each file per round.
const CHUNK: usize = 64 * 1024;

/// What the reader asks of the caller: the files, one at a time, and where results go.
pub trait Files {
    type Item;
    /// The next file to read with the head length to keep, or None when there is none.
    fn next(&mut self) -> Option<(Self::Item, &Path, usize)>;
    /// A file is through (or failed, or was cancelled mid-read).
    fn done(&mut self, item: Self::Item, result: Result<FileDigest, HashError>);
    /// `n` more bytes were read (progress).
    fn read(&mut self, n: u64);
    /// Whether the image-data MD5 is wanted too (the scanner); without it each file
    /// takes one lane, so twice as many are in flight (`verify archive:`).
    fn image_data(&self) -> bool {
        true
    }
}

struct Open<T> {
    item: T,
    path: PathBuf,
    file: File,
    head_len: usize,
    head: Vec<u8>,
    bytes: u64,
    whole: StreamId,
    image: Option<(JpegWalk, StreamId)>,
}

/// Reads every file `files` hands out, a lane per stream (`path.lanes() / 2` files at a
/// time with image data), until none is left or `cancel` is set (files in flight then
/// end as [`HashError::Cancelled`]).
pub fn read_all<F: Files>(path: Md5Path, files: &mut F, cancel: &Cancel) {
    let image_data = files.image_data();
    let per_file = if image_data { 2 } else { 1 };
    let in_flight = (path.lanes() / per_file).max(1);
    let mut lanes = Lanes::new(path, in_flight * per_file, CHUNK + 64);
    let mut open: Vec<Open<F::Item>> = Vec::with_capacity(in_flight);
    let mut buf = vec![0u8; CHUNK];
    let mut exhausted = false;
    loop {
        while !exhausted && open.len() < in_flight {
            match files.next() {
                None => exhausted = true,
                Some((item, p, head_len)) => match start(&mut lanes, item, p, head_len, image_data)
                {
                    Ok(o) => open.push(o),
                    Err((item, e)) => files.done(item, Err(e)),
                },
            }
        }
        if open.is_empty() {
            return;
        }
        if cancel.is_cancelled() {
            for o in open.drain(..) {
                close(&mut lanes, &o);
                files.done(o.item, Err(HashError::Cancelled));
            }
            return;
        }
        let mut i = 0;
        while i < open.len() {
            match read_round(&mut lanes, &mut open[i], &mut buf) {
                Ok(0) => {
                    let o = open.swap_remove(i);
                    let (item, result) = end(&mut lanes, o);
                    files.done(item, result);
                }
                Ok(n) => {
                    files.read(n as u64);
                    i += 1;
                }
                Err(e) => {
                    let o = open.swap_remove(i);
                    close(&mut lanes, &o);
                    files.done(o.item, Err(e));
                }
            }
        }
        lanes.flush();
    }
}

fn start<T>(
    lanes: &mut Lanes,
    item: T,
    p: &Path,
    head_len: usize,
    image_data: bool,
) -> Result<Open<T>, (T, HashError)> {
    let file = match File::open(p) {
        Ok(f) => f,
        Err(source) => {
            let path = p.to_path_buf();
            return Err((item, HashError::Io { path, source }));
        }
    };
    // A Lanes sized for the streams of every file in flight: a slot is always free here.
    let Some(whole) = lanes.open() else {
        unreachable!("a Lanes sized for the files in flight")
    };
    let image = if image_data {
        let Some(image) = lanes.open() else {
            unreachable!("a Lanes sized for two streams per file in flight")
        };
        Some((JpegWalk::new(), image))
    } else {
        None
    };
    Ok(Open {
        item,
        path: p.to_path_buf(),
        file,
        head_len,
        head: Vec::with_capacity(head_len.min(CHUNK)),
        bytes: 0,
        whole,
        image,
    })
}

/// Reads the next chunk of `o` into both its streams; 0 at the end of the file.
fn read_round<T>(lanes: &mut Lanes, o: &mut Open<T>, buf: &mut [u8]) -> Result<usize, HashError> {
    let n = loop {
        match o.file.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(source) => {
                let path = o.path.clone();
                return Err(HashError::Io { path, source });
            }
            Ok(n) => break n,
        }
    };
    let data = &buf[..n];
    let keep = n.min(o.head_len - o.head.len());
    o.head.extend_from_slice(&data[..keep]);
    o.bytes += n as u64;
    lanes.update(o.whole, data);
    if let Some((walk, id)) = o.image.as_mut() {
        let id = *id;
        walk.feed(data, &mut |b| lanes.update(id, b));
        if walk.stopped() && !walk.complete() {
            // Not a JPEG (or a broken one): free its lane for the rest of the file.
            lanes.close(id);
            o.image = None;
        }
    }
    Ok(n)
}

fn end<T>(lanes: &mut Lanes, o: Open<T>) -> (T, Result<FileDigest, HashError>) {
    let md5 = lanes.finish(o.whole);
    let jpeg_ended_early = o.image.as_ref().is_some_and(|(walk, _)| walk.ended_early());
    let imgmd5 = o.image.and_then(|(walk, id)| {
        if walk.complete() {
            Some(lanes.finish(id))
        } else {
            lanes.close(id);
            None
        }
    });
    let result = match o.file.metadata() {
        Ok(meta) => Ok(FileDigest {
            md5,
            imgmd5,
            jpeg_ended_early,
            bytes: o.bytes,
            head: o.head,
            end_len: meta.len(),
            end_mtime_ns: mtime_ns(&meta),
        }),
        Err(source) => Err(HashError::Io {
            path: o.path,
            source,
        }),
    };
    (o.item, result)
}

fn close<T>(lanes: &mut Lanes, o: &Open<T>) {
    lanes.close(o.whole);
    if let Some((_, id)) = o.image {
        lanes.close(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::{Digest as _, Md5};

    /// Hands out `paths` in order and keeps what comes back.
    struct List {
        paths: Vec<PathBuf>,
        next: usize,
        results: Vec<(usize, Result<FileDigest, HashError>)>,
        read: u64,
        cancel_after: Option<(u64, Cancel)>,
    }

    impl Files for List {
        type Item = usize;
        fn next(&mut self) -> Option<(usize, &Path, usize)> {
            let i = self.next;
            self.next += 1;
            self.paths.get(i).map(|p| (i, p.as_path(), 100))
        }
        fn done(&mut self, i: usize, result: Result<FileDigest, HashError>) {
            self.results.push((i, result));
        }
        fn read(&mut self, n: u64) {
            self.read += n;
            if let Some((after, cancel)) = &self.cancel_after {
                if self.read >= *after {
                    cancel.cancel();
                }
            }
        }
    }

    fn library(sizes: &[usize]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let paths = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let p = dir.path().join(format!("f{i}.bin"));
                std::fs::write(&p, vec![i as u8; n]).unwrap();
                p
            })
            .collect();
        (dir, paths)
    }

    #[test]
    fn a_missing_file_is_its_own_error_and_the_others_are_read() {
        let (dir, mut paths) = library(&[0, 70, 300_000, 5]);
        paths.insert(2, dir.path().join("gone.jpg"));
        for path in Md5Path::available() {
            let mut list = List {
                paths: paths.clone(),
                next: 0,
                results: Vec::new(),
                read: 0,
                cancel_after: None,
            };
            read_all(path, &mut list, &Cancel::new());
            list.results.sort_by_key(|(i, _)| *i);
            assert_eq!(list.results.len(), 5, "{path:?}");
            for (i, r) in &list.results {
                match r {
                    Err(HashError::Io { path: p, .. }) => assert_eq!(p, &paths[*i]),
                    Ok(d) => {
                        let bytes = std::fs::read(&paths[*i]).unwrap();
                        assert_eq!(d.md5, <[u8; 16]>::from(Md5::digest(&bytes)), "{path:?}");
                        assert_eq!(d.head, bytes[..bytes.len().min(100)]);
                        assert_eq!(d.imgmd5, None);
                    }
                    Err(e) => panic!("{e}"),
                }
            }
            assert!(matches!(list.results[2].1, Err(HashError::Io { .. })));
            assert_eq!(list.read, 300_075);
        }
    }

    #[test]
    fn cancel_ends_the_files_in_flight_as_cancelled() {
        let (_dir, paths) = library(&[1 << 20, 1 << 20, 1 << 20]);
        let cancel = Cancel::new();
        let mut list = List {
            paths,
            next: 0,
            results: Vec::new(),
            read: 0,
            cancel_after: Some((CHUNK as u64, cancel.clone())),
        };
        read_all(Md5Path::detected(), &mut list, &cancel);
        assert!(!list.results.is_empty());
        assert!(list
            .results
            .iter()
            .all(|(_, r)| matches!(r, Err(HashError::Cancelled))));
    }
}
