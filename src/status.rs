//! Where every photo lives: for each photo of the catalog (by MD5), its local paths
//! and its copies on every backend (Flickr, the archive, Google Photos), with when a
//! copy's bytes were last confirmed. Local paths count as one copy however many there
//! are: two files on one disk fail together.

use crate::catalog::{Catalog, CatalogError, CopyState};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoStatus {
    pub md5: String,
    pub local: Vec<PathBuf>,
    pub remote: Vec<CopyState>,
}

impl PhotoStatus {
    /// Independent copies: the local disk (if any path) and each backend holding it.
    pub fn copies(&self) -> usize {
        // A photo has a handful of copies: comparing with the earlier ones beats a set.
        let backends = (0..self.remote.len())
            .filter(|&i| {
                let b = &self.remote[i].backend;
                !self.remote[..i].iter().any(|c| &c.backend == b)
            })
            .count();
        usize::from(!self.local.is_empty()) + backends
    }
}

/// A photo's serde form: its copies counted, each remote copy with `id` and, when its
/// bytes were confirmed, `checked_at` and `checked_by`.
#[derive(Serialize)]
struct PhotoForm<'a> {
    md5: &'a str,
    copies: usize,
    #[serde(serialize_with = "crate::serial::paths")]
    local: &'a Vec<PathBuf>,
    remote: Vec<CopyForm<'a>>,
}

#[derive(Serialize)]
struct CopyForm<'a> {
    backend: &'a str,
    id: &'a str,
    uploaded_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_by: Option<&'a str>,
}

impl Serialize for PhotoStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let remote = self.remote.iter().map(|c| CopyForm {
            backend: &c.backend,
            id: &c.remote_id,
            uploaded_at: c.uploaded_at,
            checked_at: c.checked.as_ref().map(|(at, _)| *at),
            checked_by: c.checked.as_ref().map(|(_, how)| how.as_str()),
        });
        PhotoForm {
            md5: &self.md5,
            copies: self.copies(),
            local: &self.local,
            remote: remote.collect(),
        }
        .serialize(s)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// In order of first local path, by bytes (photos only on a backend last, by MD5).
    pub photos: Vec<PhotoStatus>,
    /// Copy count -> photos with that many copies.
    pub by_copies: BTreeMap<usize, u64>,
    /// The files whose format says they are cut short, with the reason
    /// ([`crate::library::damage`]): backed up, but a person should look for a better copy.
    pub damaged: Vec<(PathBuf, String)>,
}

impl Status {
    /// The photos with fewer than `min` copies.
    pub fn below(&self, min: usize) -> impl Iterator<Item = &PhotoStatus> {
        self.photos.iter().filter(move |p| p.copies() < min)
    }
}

/// The status of every photo under `root` (its local files), and of every photo only
/// on a backend when `root` is `None`.
pub fn status(catalog: &Catalog, root: Option<&Path>) -> Result<Status, CatalogError> {
    let mut copies = catalog.all_copies()?;
    let damaged = catalog.damaged_under(root.unwrap_or(Path::new("/")))?;
    // Files come in path order, so photos end up ordered by their first path.
    let mut photos: Vec<PhotoStatus> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (path, md5) in catalog.file_md5s_under(root.unwrap_or(Path::new("/")))? {
        match index.get(&md5) {
            Some(&i) => photos[i].local.push(path),
            None => {
                index.insert(md5.clone(), photos.len());
                let remote = copies.remove(&md5).unwrap_or_default();
                photos.push(PhotoStatus {
                    md5,
                    local: vec![path],
                    remote,
                });
            }
        }
    }
    if root.is_none() {
        let mut rest: Vec<PhotoStatus> = copies
            .into_iter()
            .map(|(md5, remote)| PhotoStatus {
                md5,
                local: Vec::new(),
                remote,
            })
            .collect();
        rest.sort_by(|a, b| a.md5.cmp(&b.md5));
        photos.extend(rest);
    }
    let mut by_copies = BTreeMap::new();
    for p in &photos {
        *by_copies.entry(p.copies()).or_insert(0) += 1;
    }
    Ok(Status {
        photos,
        by_copies,
        damaged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RemoteCopy;

    #[test]
    fn counts_the_local_disk_once_and_each_backend_once() {
        let mut cat = Catalog::in_memory().unwrap();
        let copy = |id: &str, md5: &str| RemoteCopy {
            remote_id: id.into(),
            md5: md5.into(),
            uploaded_at: 1,
            imgmd5: None,
        };
        cat.record_remote(
            "flickr:me",
            &[copy("1", "aa"), copy("2", "aa"), copy("3", "cc")],
            None,
        )
        .unwrap();
        cat.record_remote("archive:/media/backup", &[copy("x/a.jpg", "aa")], None)
            .unwrap();
        cat.record_check("flickr:me", "1", "read-data").unwrap();
        let s = status(&cat, None).unwrap();
        let aa = s.photos.iter().find(|p| p.md5 == "aa").unwrap();
        assert_eq!(aa.copies(), 2);
        assert!(aa.remote.iter().any(|c| c
            .checked
            .as_ref()
            .is_some_and(|(_, how)| how == "read-data")));
        assert_eq!(s.by_copies, BTreeMap::from([(1, 1), (2, 1)]));
        assert_eq!(s.below(2).count(), 1);
    }

    #[test]
    fn a_copy_known_to_be_lost_is_not_counted() {
        let mut cat = Catalog::in_memory().unwrap();
        let copy = RemoteCopy {
            remote_id: "1".into(),
            md5: "aa".into(),
            uploaded_at: 1,
            imgmd5: None,
        };
        cat.record_remote("flickr:me", &[copy], None).unwrap();
        assert_eq!(
            status(&cat, None).unwrap().by_copies,
            BTreeMap::from([(1, 1)])
        );
        let lost = [crate::engine::heal::Lost::missing("1", "aa")];
        crate::engine::heal::forget(&mut cat, "flickr:me", &lost).unwrap();
        assert_eq!(status(&cat, None).unwrap().by_copies, BTreeMap::new());
    }
}
