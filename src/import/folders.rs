//! The folders of an import, checked before anything is read: the library and each
//! source exist and are folders, and none is inside another (a source inside the
//! library would import the library into itself).

use super::ImportError;
use std::path::{Path, PathBuf};

/// The library's canonical root and the sources', checked: folders that exist, none
/// inside the library or holding it.
pub fn check(library: &Path, sources: &[PathBuf]) -> Result<(PathBuf, Vec<PathBuf>), ImportError> {
    let root = folder(library).map_err(|e| match e {
        ImportError::Source { path, source } => ImportError::Library { path, source },
        other => other,
    })?;
    let mut out = Vec::new();
    for s in sources {
        let s = folder(s)?;
        if s.starts_with(&root) || root.starts_with(&s) {
            return Err(ImportError::Overlap {
                source_dir: s,
                library: root,
            });
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok((root, out))
}

fn folder(path: &Path) -> Result<PathBuf, ImportError> {
    let canonical = std::fs::canonicalize(path).map_err(|source| ImportError::Source {
        path: path.to_path_buf(),
        source,
    })?;
    if !canonical.is_dir() {
        return Err(ImportError::NotAFolder { path: canonical });
    }
    Ok(canonical)
}
