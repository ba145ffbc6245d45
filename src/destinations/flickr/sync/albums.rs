//! Albums per folder (`--albums folders`): after the uploads, every local photo that is
//! on Flickr goes into the album (photoset) named after its folder, in taken-date
//! order. A Flickr album holds at most 20,000 items, so a bigger folder continues in
//! "Title (2)", "Title (3)", ... Membership is recorded in the catalog as each call
//! succeeds, so a run stopped halfway goes on where it stopped, and an album that a
//! killed run created before recording it is found again by its title.

use super::error::SyncError;
use super::photosets::{number, photosets};
use super::remote::{Remote, Stop};
use super::report::{SyncEvent, SyncReport};
use crate::catalog::{AlbumPart, Catalog};
use crate::destinations::flickr::api::FlickrError;
use crate::library::photo::Photo;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The album title of a photo: its folder's path under `root` ("2019/Rome"), or the
/// root folder's own name for photos directly in it.
pub fn album_title(root: &Path, photo: &Path) -> String {
    let folder = photo.parent().unwrap_or(Path::new(""));
    let under = folder
        .strip_prefix(root)
        .ok()
        .filter(|p| !p.as_os_str().is_empty());
    let name = match under {
        Some(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        None => folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if name.is_empty() {
        "Photos".to_string()
    } else {
        name
    }
}

/// The photoset title of part `part` of an album.
fn part_title(title: &str, part: u32) -> String {
    if part <= 1 {
        title.to_string()
    } else {
        format!("{title} ({part})")
    }
}

pub struct Albums<'a> {
    pub remote: &'a Remote,
    pub catalog: &'a mut Catalog,
    pub backend: &'a str,
    pub max_per_album: u64,
    pub events: &'a (dyn Fn(SyncEvent) + Send + Sync),
    /// The account's photosets by title, read once when first needed.
    existing: Option<HashMap<String, AlbumPart>>,
}

/// A photo to put into an album.
struct Item<'p> {
    path: &'p Path,
    remote_id: String,
}

impl<'a> Albums<'a> {
    pub fn new(
        remote: &'a Remote,
        catalog: &'a mut Catalog,
        backend: &'a str,
        max_per_album: u64,
        events: &'a (dyn Fn(SyncEvent) + Send + Sync),
    ) -> Self {
        Albums {
            remote,
            catalog,
            backend,
            max_per_album: max_per_album.max(1),
            events,
            existing: None,
        }
    }

    /// Files every photo of `photos` that is on Flickr into its folder's album.
    pub async fn file(
        &mut self,
        photos: &[Photo],
        root: &Path,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let index = self.catalog.remote_index(self.backend)?;
        let mut sorted: Vec<&Photo> = photos.iter().collect();
        sorted.sort_by_key(|p| (p.taken.local, p.path.clone()));
        let mut albums: BTreeMap<String, Vec<Item>> = BTreeMap::new();
        for photo in sorted {
            let Some(id) = photo
                .md5
                .as_ref()
                .and_then(|m| index.get(m))
                .and_then(|ids| ids.iter().min())
            else {
                continue;
            };
            albums
                .entry(album_title(root, &photo.path))
                .or_default()
                .push(Item {
                    path: &photo.path,
                    remote_id: id.clone(),
                });
        }
        for (title, items) in albums {
            let mut members = self.catalog.album_members(self.backend, &title)?;
            let todo: Vec<Item> = items
                .into_iter()
                .filter(|i| members.insert(i.remote_id.clone()))
                .collect();
            if !todo.is_empty() {
                self.fill(&title, todo, report).await?;
            }
        }
        Ok(())
    }

    /// Adds `todo` to the album `title`, creating or continuing its parts.
    async fn fill(
        &mut self,
        title: &str,
        todo: Vec<Item<'_>>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        let mut current = self.open_part(title).await?;
        for item in todo {
            let mut tries = 0;
            loop {
                tries += 1;
                let part = match current.take() {
                    Some(p) if p.size < self.max_per_album => p,
                    full => {
                        let next = full.map_or(1, |p| p.part + 1);
                        match self.adopt(title, next).await? {
                            Some(p) => {
                                current = Some(p);
                                continue;
                            }
                            None => {
                                current = self.create(title, next, &item, report).await?;
                                break;
                            }
                        }
                    }
                };
                match self.add(&part, &item).await {
                    Ok(()) => {
                        self.added(title, &part, &item, report)?;
                        current = Some(AlbumPart {
                            size: part.size + 1,
                            ..part
                        });
                    }
                    // The album is full on Flickr (it holds photos photosync does not
                    // know of): go on in the next part.
                    Err(Stop::Flickr(e)) if e.code() == Some(10) && tries < 3 => {
                        let full = AlbumPart {
                            size: self.max_per_album,
                            ..part
                        };
                        self.catalog.record_album_part(self.backend, title, &full)?;
                        current = Some(full);
                        continue;
                    }
                    // The user deleted the album: make it again.
                    Err(Stop::Flickr(e)) if e.code() == Some(1) && tries < 3 => {
                        self.catalog
                            .forget_album_part(self.backend, &part.photoset_id)?;
                        if let Some(existing) = self.existing.as_mut() {
                            existing.retain(|_, p| p.photoset_id != part.photoset_id);
                        }
                        current = None;
                        if part.part > 1 {
                            current = self.catalog.album_parts(self.backend, title)?.pop();
                        }
                        continue;
                    }
                    Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
                    Err(Stop::Flickr(e)) => {
                        current = Some(part);
                        self.failed(title, &item, &e, report);
                    }
                }
                break;
            }
        }
        Ok(())
    }

    /// The part new photos go to: the last one photosync knows, or an album of that
    /// title already on the account.
    async fn open_part(&mut self, title: &str) -> Result<Option<AlbumPart>, SyncError> {
        if let Some(last) = self.catalog.album_parts(self.backend, title)?.pop() {
            return Ok(Some(last));
        }
        self.adopt(title, 1).await
    }

    /// Part `part` of `title` when the account already has it (a run killed after it
    /// created the album, a lost catalog, or an album the user made).
    async fn adopt(&mut self, title: &str, part: u32) -> Result<Option<AlbumPart>, SyncError> {
        if self.existing.is_none() {
            self.existing = Some(self.list().await?);
        }
        let found = self
            .existing
            .as_ref()
            .and_then(|e| e.get(&part_title(title, part)))
            .map(|p| AlbumPart { part, ..p.clone() });
        if let Some(p) = &found {
            self.catalog.record_album_part(self.backend, title, p)?;
        }
        Ok(found)
    }

    /// Every photoset of the account, by title (the first one of a title wins).
    async fn list(&self) -> Result<HashMap<String, AlbumPart>, SyncError> {
        let mut all = HashMap::new();
        for set in photosets(self.remote).await? {
            all.entry(set.title).or_insert(AlbumPart {
                part: 1,
                photoset_id: set.id,
                size: set.size,
            });
        }
        Ok(all)
    }

    /// Creates part `part` of `title` with `item` as its first photo.
    async fn create(
        &mut self,
        title: &str,
        part: u32,
        item: &Item<'_>,
        report: &mut SyncReport,
    ) -> Result<Option<AlbumPart>, SyncError> {
        let name = part_title(title, part);
        let retried = retried(self.events, item.path);
        let params = [
            ("title", name.as_str()),
            ("primary_photo_id", item.remote_id.as_str()),
        ];
        let answer = match self
            .remote
            .rest("flickr.photosets.create", &params, &retried)
            .await
        {
            Ok(a) => a,
            Err(Stop::Cancelled) => return Err(SyncError::Cancelled(Box::default())),
            Err(Stop::Flickr(e)) => {
                self.failed(title, item, &e, report);
                return Ok(None);
            }
        };
        let Some(id) = number(&answer["photoset"]["id"]) else {
            let e = FlickrError::Malformed {
                method: "flickr.photosets.create".into(),
                message: format!("no photoset id in {answer}"),
            };
            self.failed(title, item, &e, report);
            return Ok(None);
        };
        let created = AlbumPart {
            part,
            photoset_id: id,
            size: 0,
        };
        self.catalog
            .record_album_part(self.backend, title, &created)?;
        if let Some(existing) = self.existing.as_mut() {
            existing.insert(name, created.clone());
        }
        report.albums_created += 1;
        self.added(title, &created, item, report)?;
        Ok(Some(AlbumPart { size: 1, ..created }))
    }

    async fn add(&self, part: &AlbumPart, item: &Item<'_>) -> Result<(), Stop> {
        let retried = retried(self.events, item.path);
        let params = [
            ("photoset_id", part.photoset_id.as_str()),
            ("photo_id", item.remote_id.as_str()),
        ];
        match self
            .remote
            .rest("flickr.photosets.addPhoto", &params, &retried)
            .await
        {
            Ok(_) => Ok(()),
            // Already there: a run killed after the call, before recording it.
            Err(Stop::Flickr(e)) if e.code() == Some(3) => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn added(
        &mut self,
        title: &str,
        part: &AlbumPart,
        item: &Item<'_>,
        report: &mut SyncReport,
    ) -> Result<(), SyncError> {
        self.catalog.record_album_member(
            self.backend,
            title,
            &part.photoset_id,
            &item.remote_id,
        )?;
        report.album_adds += 1;
        (self.events)(SyncEvent::Album {
            path: item.path.to_path_buf(),
            album: part_title(title, part.part),
            photo_id: item.remote_id.clone(),
        });
        Ok(())
    }

    fn failed(&self, title: &str, item: &Item<'_>, e: &FlickrError, report: &mut SyncReport) {
        let error =
            format!("could not be added to the album {title:?}: {e}; the next run tries again");
        report.errors.push((item.path.to_path_buf(), error.clone()));
        (self.events)(SyncEvent::Failed {
            path: item.path.to_path_buf(),
            error,
        });
    }
}

/// Reports the retries of a call about the photo at `path`.
fn retried<'e>(
    events: &'e (dyn Fn(SyncEvent) + Send + Sync),
    path: &Path,
) -> impl Fn(u32, &FlickrError) + Send + Sync + 'e {
    let path: PathBuf = path.to_path_buf();
    move |attempt: u32, error: &FlickrError| {
        events(SyncEvent::Retried {
            path: path.clone(),
            attempt,
            error: error.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_folder_under_the_root() {
        let root = Path::new("/lib");
        assert_eq!(
            album_title(root, Path::new("/lib/2019/Rome/a.jpg")),
            "2019/Rome"
        );
        assert_eq!(album_title(root, Path::new("/lib/a.jpg")), "lib");
        assert_eq!(album_title(root, Path::new("/elsewhere/x/a.jpg")), "x");
        assert_eq!(album_title(Path::new("/"), Path::new("/a.jpg")), "Photos");
        assert_eq!(part_title("Rome", 1), "Rome");
        assert_eq!(part_title("Rome", 3), "Rome (3)");
    }
}
