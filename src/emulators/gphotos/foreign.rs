//! Items another app put in the user's library (the phone's own backup, the web uploader).
//! Google answers photosync's upload of the same bytes with that item, which photosync did
//! not create: its listing never shows it, and albums:batchAddMediaItems with its id fails
//! the whole call with 400 "Request contains an invalid media item id."
//! (ylexus/jiotty-photos-uploader#49, f2calv/CasCap.Api.GooglePhotos#118).

use super::batch_create::{look, rfc3339};
use super::state::{Item, Shared};
use crate::emulators::flickr::server::lock;
use md5::{Digest, Md5};
use std::path::Path;

/// The owner of items no client of the emulator made.
pub const OTHER_APP: &str = "com.google.android.apps.photos";

#[derive(Debug, thiserror::Error)]
pub enum ForeignError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot store the bytes: {0}")]
    Store(std::io::Error),
}

/// Puts the file at `path` in the library as another app's item (named `filename`, else
/// the file's name); returns its id. Bytes already in the library keep their item.
pub fn add(shared: &Shared, path: &Path, filename: Option<&str>) -> Result<String, ForeignError> {
    let bytes = std::fs::read(path).map_err(|source| ForeignError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let md5 = super::blobs::hex(Md5::new_with_prefix(&bytes));
    let blob = shared.blob(&md5);
    std::fs::write(&blob, &bytes).map_err(ForeignError::Store)?;
    let looked = look(&blob);
    let now = shared.now();
    let mut state = lock(&shared.state);
    if let Some(&i) = state.by_md5.get(&md5) {
        return Ok(state.items[i].id.clone());
    }
    let id = state.new_id("AF1Qip", 40);
    let name = filename
        .map(str::to_string)
        .or_else(|| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "photo".into());
    let item = Item {
        id: id.clone(),
        owner: OTHER_APP.to_string(),
        filename: name,
        description: String::new(),
        md5: md5.clone(),
        size: bytes.len() as u64,
        mime: looked.as_ref().map_or("image/jpeg", |l| l.mime).to_string(),
        video: looked.as_ref().is_some_and(|l| l.video),
        creation_time: looked
            .as_ref()
            .and_then(|l| l.taken.clone())
            .unwrap_or_else(|| rfc3339(now)),
        width: looked.as_ref().map_or(0, |l| l.width),
        height: looked.as_ref().map_or(0, |l| l.height),
    };
    state.items.push(item);
    let at = state.items.len() - 1;
    state.by_md5.insert(md5, at);
    Ok(id)
}
