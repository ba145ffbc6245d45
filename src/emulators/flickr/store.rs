//! What the emulated account holds: photos (metadata and where the original's bytes are),
//! photosets and async upload tickets, with ids and secrets drawn from the seed. The whole store
//! can be saved to and loaded from `emulator.json` in a data folder; originals live beside it in
//! `originals/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::rng::Rng;
use super::tags::Tag;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not read the emulator's state {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the emulator's state {path} is not valid JSON ({source}); move it away to start empty"
    )]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("could not write the emulator's state {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Photo {
    pub id: u64,
    pub secret: String,
    pub original_secret: String,
    pub server: String,
    pub farm: u32,
    pub title: String,
    pub description: String,
    pub tags: Vec<Tag>,
    pub is_public: bool,
    pub is_friend: bool,
    pub is_family: bool,
    pub safety_level: u8,
    pub content_type: u8,
    pub hidden: u8,
    pub date_upload: i64,
    pub date_taken: String,
    pub date_taken_granularity: u32,
    pub date_taken_unknown: bool,
    pub last_update: i64,
    pub original_format: String,
    /// "photo" or "video".
    pub media: String,
    pub md5: String,
    pub size: u64,
    /// File name inside the originals folder.
    pub file: String,
    /// The name the client gave the uploaded file.
    pub upload_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Photoset {
    pub id: u64,
    pub secret: String,
    pub title: String,
    pub description: String,
    pub primary: u64,
    pub photos: Vec<u64>,
    pub date_create: i64,
    pub date_update: i64,
}

/// An async upload ticket; `complete` is Flickr's 0 (pending), 1 (done) or 2 (failed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ticket {
    pub id: u64,
    pub photo_id: Option<u64>,
    pub complete: u8,
    pub imported: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    pub photos: BTreeMap<u64, Photo>,
    pub sets: BTreeMap<u64, Photoset>,
    pub tickets: BTreeMap<u64, Ticket>,
    next_photo: u64,
    next_set: u64,
    next_ticket: u64,
    rng: Rng,
    #[serde(skip)]
    pub dirty: bool,
}

const STATE_FILE: &str = "emulator.json";

impl Store {
    pub fn new(seed: u64) -> Store {
        let mut rng = Rng::new(seed ^ 0x0053_544f_5245);
        Store {
            photos: BTreeMap::new(),
            sets: BTreeMap::new(),
            tickets: BTreeMap::new(),
            next_photo: 52_000_000_000 + rng.below(1_000_000_000),
            next_set: 72_157_700_000_000_000 + rng.below(1_000_000_000),
            next_ticket: 1_000_000 + rng.below(1_000_000),
            rng,
            dirty: false,
        }
    }

    pub fn new_photo_id(&mut self) -> u64 {
        self.next_photo += 1 + self.rng.below(3);
        self.next_photo
    }

    pub fn new_set_id(&mut self) -> u64 {
        self.next_set += 1 + self.rng.below(5);
        self.next_set
    }

    pub fn new_ticket_id(&mut self) -> u64 {
        self.next_ticket += 1;
        self.next_ticket
    }

    pub fn secret(&mut self) -> String {
        self.rng.hex(10)
    }

    /// Removes a photo everywhere (sets, primary photos); returns it.
    pub fn remove_photo(&mut self, id: u64) -> Option<Photo> {
        let photo = self.photos.remove(&id)?;
        for set in self.sets.values_mut() {
            set.photos.retain(|p| *p != id);
            if set.primary == id {
                set.primary = set.photos.first().copied().unwrap_or(0);
            }
        }
        // Flickr deletes a set whose last photo goes.
        self.sets.retain(|_, s| !s.photos.is_empty());
        self.dirty = true;
        Some(photo)
    }

    pub fn load(dir: &Path) -> Result<Option<Store>, StoreError> {
        let path = dir.join(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|source| StoreError::Parse { path, source })
    }

    /// Writes the state atomically (temporary file, then rename).
    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        let path = dir.join(STATE_FILE);
        let tmp = dir.join(format!("{STATE_FILE}.tmp"));
        let write = |p: &Path| -> std::io::Result<()> {
            let text = serde_json::to_string(self).map_err(std::io::Error::other)?;
            std::fs::write(p, text)
        };
        write(&tmp).map_err(|source| StoreError::Write {
            path: tmp.clone(),
            source,
        })?;
        std::fs::rename(&tmp, &path).map_err(|source| StoreError::Write { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_only_on_seed() {
        let (mut a, mut b) = (Store::new(1), Store::new(1));
        assert_eq!(a.new_photo_id(), b.new_photo_id());
        assert_eq!(a.secret(), b.secret());
        assert_ne!(Store::new(2).new_photo_id(), Store::new(1).new_photo_id());
    }

    #[test]
    fn saves_and_loads() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::new(3);
        let id = store.new_set_id();
        store.save(dir.path()).unwrap();
        let mut loaded = Store::load(dir.path()).unwrap().unwrap();
        assert!(loaded.new_set_id() > id);
        assert!(Store::load(&dir.path().join("none")).unwrap().is_none());
    }
}
