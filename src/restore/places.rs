//! Where a restored photo goes when the catalog knows it: back at its path under the
//! library folder that was synced, every path that held those bytes (two local copies
//! come back as two files), names and extension case as they were. Photos the catalog
//! does not know, and names that are not UTF-8, keep the source's own layout.
//!
//! The folders that were synced are the ones syncs recorded ([`Catalog::libraries`]);
//! with one, paths are relative to it; with several, each path starts with its
//! folder's name, so two libraries cannot land on each other.

use super::fetch::Fetch;
use super::names;
use crate::catalog::{Catalog, CatalogError};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// MD5 -> the relative paths that held it, in path order.
#[derive(Debug, Default)]
pub(super) struct Places {
    by_md5: HashMap<String, Vec<PathBuf>>,
}

impl Places {
    /// What the catalog knows of the synced folders. Read before the restore scans
    /// `dest`: restoring into the library's own folder must not forget its files first.
    /// Files under `dest` inside a library (an earlier restore there) are not places.
    pub(super) fn read(catalog: &Catalog, dest: &Path) -> Result<Places, CatalogError> {
        let dest = std::fs::canonicalize(dest).unwrap_or_else(|_| dest.to_path_buf());
        let roots = catalog.libraries()?;
        let mut by_md5: HashMap<String, Vec<PathBuf>> = HashMap::new();
        for root in &roots {
            let prefix = match roots.len() {
                1 => PathBuf::new(),
                _ => root.file_name().map(PathBuf::from).unwrap_or_default(),
            };
            let inside = dest != *root && dest.starts_with(root);
            for (path, md5) in catalog.file_md5s_under(root)? {
                if inside && path.starts_with(&dest) {
                    continue;
                }
                let Ok(rel) = path.strip_prefix(root) else {
                    continue;
                };
                if plain(rel) && !md5.is_empty() {
                    by_md5.entry(md5).or_default().push(prefix.join(rel));
                }
            }
        }
        Ok(Places { by_md5 })
    }

    /// Puts `job` at the first original path of `md5` under `dest`, with the others as
    /// its extra copies; leaves it as it is when the catalog has none.
    pub(super) fn place(&self, job: &mut Fetch, md5: Option<&String>, dest: &Path) {
        let Some(paths) = md5.and_then(|m| self.by_md5.get(m)) else {
            return;
        };
        let Some((first, rest)) = paths.split_first() else {
            return;
        };
        let Some(file) = first.file_name().and_then(|f| f.to_str()) else {
            return;
        };
        let (name, ext) = match file.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), ext.to_string()),
            _ => (file.to_string(), String::new()),
        };
        let parent = first.parent().unwrap_or(Path::new(""));
        job.folder = dest.join(parent);
        job.name = name;
        job.ext = ext;
        job.also = rest.iter().map(|p| dest.join(p)).collect();
    }
}

/// Only plain names below the root: nothing that could climb out of the restore folder.
fn plain(rel: &Path) -> bool {
    rel.components().all(|c| matches!(c, Component::Normal(_))) && rel.file_name().is_some()
}

/// Writes the extra copies of a restored photo (`from`) at `also`, each through a
/// temporary renamed into place; a path already taken keeps its file and gets none.
pub(super) fn copy_to(from: &Path, also: &[PathBuf]) -> Vec<String> {
    let mut errors = Vec::new();
    for to in also {
        if to.exists() {
            continue;
        }
        if let Err(e) = copy_one(from, to) {
            errors.push(format!("cannot write {}: {e}", to.display()));
        }
    }
    errors
}

fn copy_one(from: &Path, to: &Path) -> std::io::Result<()> {
    let folder = to.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let file = to
        .file_name()
        .map(|f| f.to_string_lossy())
        .unwrap_or_default();
    let temp = folder.join(format!(
        ".{}{}",
        names::component(&file, "copy"),
        super::PART_SUFFIX
    ));
    std::fs::copy(from, &temp)?;
    std::fs::File::open(&temp)?.sync_all()?;
    // A link never replaces a file that appeared meanwhile, unlike a rename.
    let linked = std::fs::hard_link(&temp, to);
    let _ = std::fs::remove_file(&temp);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_places() {
        assert!(plain(Path::new("2019/IMG_0001.JPG")));
        assert!(!plain(Path::new("../etc/passwd")));
        assert!(!plain(Path::new("/abs/x.jpg")));
    }
}
