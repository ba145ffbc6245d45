//! A consistent copy of the catalog, written beside the backups it describes (an
//! archive's `.photosync/catalog.sqlite3`), so that a lost disk holding both the library
//! and its catalog can be restored with original paths from the archive alone. SQLite
//! writes the copy from one read transaction (`VACUUM INTO`); it goes to a temporary that
//! is fsynced and renamed, so the copy in place is always whole.

use super::{Catalog, CatalogError};
use std::path::Path;

impl Catalog {
    /// Writes a whole copy of this catalog at `to`, replacing the previous one only once
    /// the new one is complete on disk.
    pub fn copy_to(&self, to: &Path) -> Result<(), CatalogError> {
        let io = |source: std::io::Error| CatalogError::Copy {
            path: to.to_path_buf(),
            source,
        };
        let folder = to.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(io)?;
        remove_partials(folder);
        let temp = folder.join(format!(".catalog-{}.partial", std::process::id()));
        let temp_text = temp.to_str().ok_or_else(|| {
            io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the folder's path is not UTF-8",
            ))
        })?;
        let copied = self.sql(|c| c.execute("VACUUM INTO ?1", [temp_text]).map(|_| ()));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        std::fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&temp, to))
            .map_err(io)?;
        if let Ok(dir) = std::fs::File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Removes the temporaries of copies a killed run left (named by its process id). The
/// caller holds the destination's run lock, so no other run is writing one.
fn remove_partials(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".catalog-") && name.ends_with(".partial") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_opens_as_a_catalog_with_the_same_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut cat = Catalog::open(&dir.path().join("c.sqlite3")).unwrap();
        cat.record_library(Path::new("/photos")).unwrap();
        let copy = dir.path().join("archive/.photosync/catalog.sqlite3");
        cat.copy_to(&copy).unwrap();
        // What a run killed while copying left behind.
        let stale = copy.with_file_name(".catalog-4242.partial");
        std::fs::write(&stale, b"half a catalog").unwrap();
        cat.copy_to(&copy).unwrap();
        assert!(!stale.exists());
        let back = Catalog::open(&copy).unwrap();
        assert_eq!(
            back.libraries().unwrap(),
            vec![Path::new("/photos").to_path_buf()]
        );
        let partial = std::fs::read_dir(copy.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .count();
        assert_eq!(partial, 0, "no temporary left");
    }
}
