//! Opening a catalog that must already be there. A command that only reads the catalog
//! (status, report, verify, restore --only-missing) refuses a path with no catalog
//! instead of creating an empty one: a mistyped `--catalog` would otherwise report "0
//! photos, all well". Status and report open it read-only, so a catalog on a read-only
//! disk or without write permission still serves them.

use super::{Catalog, CatalogError, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::collections::HashSet;
use std::path::Path;

impl Catalog {
    /// Refuses a path where no catalog file is, naming it.
    pub fn require_existing(path: &Path) -> Result<(), CatalogError> {
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Ok(()),
            Ok(_) => Err(CatalogError::NotAFile {
                path: path.to_path_buf(),
            }),
            Err(source) if source.kind() == std::io::ErrorKind::NotFound => {
                Err(CatalogError::Missing {
                    path: path.to_path_buf(),
                })
            }
            Err(source) => Err(CatalogError::Unreadable {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// The catalog at `path`, which must exist, opened read-only: nothing is written,
    /// not even the scan cache ([`Catalog::is_read_only`]). A catalog an older photosync
    /// wrote, which lacks tables or columns, is opened for writing instead to bring it up
    /// to date (that fails with SQLite's reason where it cannot be written).
    pub fn open_existing(path: &Path) -> Result<Self, CatalogError> {
        Self::require_existing(path)?;
        let name = path.display().to_string();
        let sqlite = |source| CatalogError::Sqlite {
            path: name.clone(),
            source,
        };
        let conn = connect_read_only(path).map_err(sqlite)?;
        if !is_current(&conn).map_err(sqlite)? {
            drop(conn);
            return Self::open(path);
        }
        Ok(Catalog {
            conn,
            name,
            path: Some(path.to_path_buf()),
            run_lock: None,
            read_only: true,
        })
    }

    /// The catalog at `path`, which must exist: for writing when it can be written, else
    /// read-only (a report of a folder on a catalog it may not update: the scan reads
    /// the files it cannot remember).
    pub fn open_existing_writable_if_possible(path: &Path) -> Result<Self, CatalogError> {
        Self::require_existing(path)?;
        // SQLite opens a file it may not write read-only without a word: asked, not assumed.
        match Self::open(path) {
            Ok(cat)
                if !cat
                    .conn
                    .is_readonly(rusqlite::DatabaseName::Main)
                    .unwrap_or(true) =>
            {
                Ok(cat)
            }
            _ => Self::open_existing(path),
        }
    }

    /// Whether this catalog was opened read-only: writes to the scan cache are skipped.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }
}

/// A read-only connection. In WAL mode SQLite needs the `-shm` file, which it cannot
/// create on a read-only disk; there the file is opened as immutable (no one can write
/// it there either), which reads the database without it.
fn connect_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let plain = Connection::open_with_flags(path, flags).and_then(|c| {
        schema_version(&c)?;
        Ok(c)
    });
    match plain {
        Ok(c) => Ok(c),
        Err(first) => {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                .and_then(|c| {
                    schema_version(&c)?;
                    Ok(c)
                })
                .map_err(|_| first)
        }
    }
}

fn schema_version(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    let has_meta: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has_meta {
        return Ok(None);
    }
    conn.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
        r.get(0)
    })
    .optional()
}

/// Whether the file has this version's schema and every table and index a fresh catalog
/// has (tables are added without a schema bump; an older file gains them on a writable
/// open).
fn is_current(conn: &Connection) -> rusqlite::Result<bool> {
    if schema_version(conn)? != Some(SCHEMA_VERSION) {
        return Ok(false);
    }
    let fresh = match Catalog::in_memory() {
        Ok(c) => c,
        Err(_) => return Ok(false),
    };
    let have = names(conn)?;
    Ok(names(&fresh.conn)?.is_subset(&have))
}

fn names(conn: &Connection) -> rusqlite::Result<HashSet<String>> {
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// `path` as a URI path: every byte outside the unreserved set percent-encoded.
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_catalog_is_refused_by_name_and_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("typo/catalog.sqlite3");
        let err = Catalog::open_existing(&path).err().unwrap();
        assert!(matches!(err, CatalogError::Missing { .. }));
        assert!(err.to_string().contains(&path.display().to_string()));
        assert!(!dir.path().join("typo").exists());
        let folder = Catalog::require_existing(dir.path()).err().unwrap();
        assert!(matches!(folder, CatalogError::NotAFile { .. }));
    }

    #[test]
    fn an_existing_catalog_opens_read_only_and_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c sq%l?.sqlite3");
        Catalog::open(&path)
            .unwrap()
            .record_refusal("f", "aa", "no")
            .unwrap();
        let mut cat = Catalog::open_existing(&path).unwrap();
        assert!(cat.is_read_only());
        assert_eq!(cat.refusals("f").unwrap()["aa"], "no");
        assert!(cat.record_refusal("f", "bb", "no").is_err());
        assert!(uri_path(&path).ends_with("c%20sq%25l%3F.sqlite3"));
    }

    #[test]
    fn an_older_catalog_is_brought_up_to_date_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite3");
        drop(Catalog::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE checks").unwrap();
        drop(conn);
        let cat = Catalog::open_existing(&path).unwrap();
        assert!(!cat.is_read_only());
    }
}
