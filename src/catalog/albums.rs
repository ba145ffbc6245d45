//! The albums (photosets) sync made or adopted, by title and part (an album holds at
//! most 20,000 items, so a big folder fills "Title", "Title (2)", ...), and which
//! remote photos each already holds, so a photo is added to its album once.

use super::{Catalog, CatalogError};
use rusqlite::params;
use std::collections::HashSet;

/// One photoset of an album title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbumPart {
    /// 1 for the first; the photoset's title gets " (N)" from 2 on.
    pub part: u32,
    pub photoset_id: String,
    /// Items in the photoset as far as photosync knows.
    pub size: u64,
}

pub(super) const ALBUM_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS albums (
      backend TEXT NOT NULL, title TEXT NOT NULL, part INTEGER NOT NULL,
      photoset_id TEXT NOT NULL, size INTEGER NOT NULL,
      PRIMARY KEY (backend, title, part)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS album_members (
      backend TEXT NOT NULL, title TEXT NOT NULL, remote_id TEXT NOT NULL,
      photoset_id TEXT NOT NULL, PRIMARY KEY (backend, title, remote_id)) WITHOUT ROWID;";

impl Catalog {
    /// The photosets of `title`, first part first.
    pub fn album_parts(&self, backend: &str, title: &str) -> Result<Vec<AlbumPart>, CatalogError> {
        self.sql(|c| {
            let mut stmt = c.prepare(
                "SELECT part, photoset_id, size FROM albums
                 WHERE backend = ?1 AND title = ?2 ORDER BY part",
            )?;
            let rows = stmt.query_map(params![backend, title], |r| {
                Ok(AlbumPart {
                    part: r.get(0)?,
                    photoset_id: r.get(1)?,
                    size: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })?;
            rows.collect()
        })
    }

    pub fn record_album_part(
        &mut self,
        backend: &str,
        title: &str,
        part: &AlbumPart,
    ) -> Result<(), CatalogError> {
        self.sql(|c| {
            c.execute(
                "INSERT OR REPLACE INTO albums (backend, title, part, photoset_id, size)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    backend,
                    title,
                    part.part,
                    part.photoset_id,
                    part.size as i64
                ],
            )
            .map(|_| ())
        })
    }

    /// Forgets a photoset that is gone from the backend (the user deleted it), and
    /// which photos it held, so they are added to a new one.
    pub fn forget_album_part(
        &mut self,
        backend: &str,
        photoset_id: &str,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM albums WHERE backend = ?1 AND photoset_id = ?2",
                params![backend, photoset_id],
            )?;
            tx.execute(
                "DELETE FROM album_members WHERE backend = ?1 AND photoset_id = ?2",
                params![backend, photoset_id],
            )?;
            Ok(())
        })
    }

    /// The remote photos already in the album `title` (any part).
    pub fn album_members(
        &self,
        backend: &str,
        title: &str,
    ) -> Result<HashSet<String>, CatalogError> {
        self.sql(|c| {
            let mut stmt =
                c.prepare("SELECT remote_id FROM album_members WHERE backend = ?1 AND title = ?2")?;
            let rows = stmt.query_map(params![backend, title], |r| r.get(0))?;
            rows.collect()
        })
    }

    /// Records `remote_id` as added to the part's photoset and counts it, together.
    pub fn record_album_member(
        &mut self,
        backend: &str,
        title: &str,
        photoset_id: &str,
        remote_id: &str,
    ) -> Result<(), CatalogError> {
        self.write(|tx| {
            let added = tx.execute(
                "INSERT OR IGNORE INTO album_members (backend, title, remote_id, photoset_id)
                 VALUES (?1, ?2, ?3, ?4)",
                params![backend, title, remote_id, photoset_id],
            )?;
            tx.execute(
                "UPDATE albums SET size = size + ?3 WHERE backend = ?1 AND photoset_id = ?2",
                params![backend, photoset_id, added as i64],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_counted_once_and_forgotten_with_their_photoset() {
        let mut cat = Catalog::in_memory().unwrap();
        let part = AlbumPart {
            part: 1,
            photoset_id: "72157".into(),
            size: 1,
        };
        cat.record_album_part("flickr:me", "2019/Rome", &part)
            .unwrap();
        cat.record_album_member("flickr:me", "2019/Rome", "72157", "11")
            .unwrap();
        cat.record_album_member("flickr:me", "2019/Rome", "72157", "12")
            .unwrap();
        cat.record_album_member("flickr:me", "2019/Rome", "72157", "12")
            .unwrap();
        let parts = cat.album_parts("flickr:me", "2019/Rome").unwrap();
        assert_eq!(parts[0].size, 3);
        assert_eq!(
            cat.album_members("flickr:me", "2019/Rome").unwrap().len(),
            2
        );
        assert!(cat
            .album_members("flickr:other", "2019/Rome")
            .unwrap()
            .is_empty());
        cat.forget_album_part("flickr:me", "72157").unwrap();
        assert!(cat
            .album_parts("flickr:me", "2019/Rome")
            .unwrap()
            .is_empty());
        assert!(cat
            .album_members("flickr:me", "2019/Rome")
            .unwrap()
            .is_empty());
    }
}
