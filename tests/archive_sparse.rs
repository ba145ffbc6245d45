//! A sparse file (a video recorder's preallocated file: data, a long hole, data) is
//! copied sparse into the archive, as `cp --sparse=auto` would: the copy takes the
//! blocks of its data, not of its length, and holds the same bytes (MD5 checked).

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::archive::{self, ArchiveOptions};
use photosync::library::scan::{self, ScanOptions};
use std::fs::{self, File};
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

const HOLE: u64 = 256 << 20;

/// An MP4 whose `mdat` is mostly a hole; `tail_hole`: the file also ends in one.
fn sparse_video(path: &Path, tail_hole: bool) {
    let mut f = File::create(path).unwrap();
    let mut ftyp = 24u32.to_be_bytes().to_vec();
    ftyp.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    f.write_all(&ftyp).unwrap();
    let mdat = 8 + HOLE + 65_536;
    f.write_all(&1u32.to_be_bytes()).unwrap();
    f.write_all(b"mdat").unwrap();
    f.write_all(&(mdat + 8).to_be_bytes()).unwrap();
    f.write_all(&[0x42; 65_536]).unwrap();
    f.seek(SeekFrom::Current(HOLE as i64)).unwrap();
    let mut moov = 4096u32.to_be_bytes().to_vec();
    moov.extend_from_slice(b"moov");
    moov.resize(4096, 0x17);
    f.write_all(&moov).unwrap();
    if tail_hole {
        let end = f.stream_position().unwrap() + (64 << 20);
        f.set_len(end).unwrap();
    }
}

fn allocated(path: &Path) -> u64 {
    fs::metadata(path).unwrap().blocks() * 512
}

#[test]
fn a_sparse_video_is_archived_sparse_and_byte_exact() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library");
    fs::create_dir(&lib).unwrap();
    sparse_video(&lib.join("dashcam.mp4"), false);
    sparse_video(&lib.join("preallocated.mp4"), true);
    for name in ["dashcam.mp4", "preallocated.mp4"] {
        let src = lib.join(name);
        assert!(
            allocated(&src) < 8 << 20,
            "{name} is not sparse on this file system"
        );
    }
    let root = dir.path().join("archive");
    fs::create_dir(&root).unwrap();
    let mut cat = Catalog::in_memory().unwrap();
    let opts = ScanOptions::default();
    let photos = scan::scan(&lib, &mut cat, &opts, &Cancel::new(), &mut |_| {})
        .unwrap()
        .photos;
    let report = archive::archive_photos(
        &photos,
        &root,
        &mut cat,
        &ArchiveOptions::default(),
        &Cancel::new(),
        &|_| {},
    )
    .unwrap();
    assert_eq!(report.copied, 2, "{report:?}");
    for photo in &photos {
        let name = photo.path.file_name().unwrap();
        let copy = walkdir::WalkDir::new(&root)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .find(|p| p.file_name() == Some(name))
            .unwrap();
        assert_eq!(fs::metadata(&copy).unwrap().len(), photo.size);
        assert_eq!(
            photosync::library::hash::md5_file(&copy).unwrap(),
            photo.md5.clone().unwrap()
        );
        let (held, len) = (allocated(&copy), photo.size);
        assert!(held < 8 << 20, "{name:?}: {held} bytes allocated for {len}");
    }
}
