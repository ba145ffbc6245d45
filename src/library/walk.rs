//! Listing a library: every media file below a folder with its size, mtime and inode,
//! in parallel across folders and files. Hidden entries and OS litter are pruned;
//! symlinks are followed, and a link back to a folder above it is noted, not followed.

use crate::cancel::Cancel;
use crate::library::hash;
use crate::library::kind::{self, MediaKind};
use rayon::prelude::*;
use std::fs::{self, DirEntry, Metadata};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// A media file as listed, before it is read.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub kind: MediaKind,
    pub size: u64,
    pub mtime_ns: i64,
    pub inode: u64,
}

/// A path's bytes: the one order the scan, the catalog and the sync plan keep paths in,
/// so that sorted lists from each can be merged side by side.
pub(crate) fn path_bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_bytes()
}

#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<Found>,
    /// Files that are not media.
    pub skipped: u64,
    /// Unreadable folders, broken links, symlink loops.
    pub notes: Vec<String>,
}

impl Listing {
    fn merge(mut self, mut other: Listing) -> Listing {
        // The longer list is kept and the shorter appended: the folders' lists are
        // copied once each, not once per level of the reduction.
        if self.files.len() < other.files.len() {
            std::mem::swap(&mut self.files, &mut other.files);
        }
        self.files.append(&mut other.files);
        self.skipped += other.skipped;
        self.notes.extend(other.notes);
        self
    }
}

/// Lists `root` (a folder) on the current rayon pool.
pub fn list(root: &Path, cancel: &Cancel) -> Listing {
    match fs::metadata(root) {
        Ok(meta) => visit(root, &[(meta.dev(), meta.ino())], cancel),
        Err(e) => Listing {
            notes: vec![format!("{}: {e}", root.display())],
            ..Listing::default()
        },
    }
}

/// One folder: its files statted in parallel, its subfolders visited in parallel.
/// `ancestors` are the (device, inode) of every folder from the root down to `dir`.
fn visit(dir: &Path, ancestors: &[(u64, u64)], cancel: &Cancel) -> Listing {
    let mut listing = Listing::default();
    if cancel.is_cancelled() {
        return listing;
    }
    let entries: Vec<DirEntry> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| match e {
                Ok(e) => Some(e),
                Err(err) => {
                    listing.notes.push(format!("{}: {err}", dir.display()));
                    None
                }
            })
            .filter(|e| !kind::is_ignored(&e.file_name()))
            .collect(),
        Err(e) => {
            listing.notes.push(format!("{}: {e}", dir.display()));
            return listing;
        }
    };
    // fold, not map: one Listing per rayon task, not one per file.
    entries
        .into_par_iter()
        .fold(Listing::default, |mut acc, entry| {
            visit_entry(entry, ancestors, cancel, &mut acc);
            acc
        })
        .reduce(Listing::default, Listing::merge)
        .merge(listing)
}

/// Adds what `entry` holds to `listing`.
fn visit_entry(entry: DirEntry, ancestors: &[(u64, u64)], cancel: &Cancel, listing: &mut Listing) {
    let Ok(file_type) = entry.file_type() else {
        return;
    };
    // A plain file that is not media is counted by its name alone, without a stat.
    let plain_kind = file_type
        .is_file()
        .then(|| MediaKind::from_name(&entry.file_name()));
    if plain_kind == Some(None) {
        listing.skipped += 1;
        return;
    }
    let path = entry.path();
    // Metadata of what the entry stands for: the link's target for a symlink.
    let meta = if file_type.is_symlink() {
        fs::metadata(&path)
    } else {
        entry.metadata()
    };
    let meta = match meta {
        Ok(m) => m,
        Err(e) if file_type.is_symlink() => {
            listing
                .notes
                .push(format!("{}: broken link ({e})", path.display()));
            return;
        }
        // Gone between listing and stat: simply not there any more.
        Err(_) => return,
    };
    if meta.is_dir() {
        let id = (meta.dev(), meta.ino());
        if ancestors.contains(&id) {
            listing.notes.push(format!(
                "{}: symlink loop back to a folder above it, not followed",
                path.display()
            ));
            return;
        }
        let mut chain = ancestors.to_vec();
        chain.push(id);
        let below = visit(&path, &chain, cancel);
        *listing = std::mem::take(listing).merge(below);
        return;
    }
    if meta.is_file() {
        match plain_kind
            .flatten()
            .or_else(|| MediaKind::from_name(&entry.file_name()))
        {
            Some(kind) => listing.files.push(found(path, kind, &meta)),
            None => listing.skipped += 1,
        }
    }
}

fn found(path: PathBuf, kind: MediaKind, meta: &Metadata) -> Found {
    Found {
        path,
        kind,
        size: meta.len(),
        mtime_ns: hash::mtime_ns(meta),
        inode: meta.ino(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_media_skips_others_and_prunes_litter() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::create_dir_all(root.join("@eaDir")).unwrap();
        fs::write(root.join("a/b/x.JPG"), b"1").unwrap();
        fs::write(root.join("a/y.mov"), b"22").unwrap();
        fs::write(root.join("a/notes.txt"), b"n").unwrap();
        fs::write(root.join("@eaDir/t.jpg"), b"t").unwrap();
        fs::write(root.join(".DS_Store"), b"d").unwrap();
        let l = list(root, &Cancel::new());
        let mut names: Vec<_> = l
            .files
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![PathBuf::from("a/b/x.JPG"), PathBuf::from("a/y.mov")]
        );
        assert_eq!(l.skipped, 1);
        let mov = l.files.iter().find(|f| f.kind == MediaKind::Video).unwrap();
        assert_eq!(mov.size, 2);
    }

    #[test]
    fn follows_links_but_not_loops() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("real")).unwrap();
        fs::write(root.join("real/p.jpg"), b"p").unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("linked")).unwrap();
        std::os::unix::fs::symlink(root, root.join("real/up")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere"), root.join("broken.jpg")).unwrap();
        let l = list(root, &Cancel::new());
        // p.jpg through real/ and through linked/; the loop real/up -> root is not followed.
        assert_eq!(l.files.len(), 2, "{:?}", l.files);
        assert_eq!(
            l.notes.iter().filter(|n| n.contains("loop")).count(),
            2,
            "{:?}",
            l.notes
        );
        assert!(l.notes.iter().any(|n| n.contains("broken link")));
    }
}
