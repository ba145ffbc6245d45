//! What the upload and replace endpoints do with a received photo: the signature and
//! write permission checked, the upload API's refusals (2 no photo, 4 empty, 5 type not
//! recognised, 8 too large, and the account's: 7, 9, 14, replace's 1), then the photo stored as new or as the replacement of one,
//! answered at once or with a ticket (`async=1`).

use std::io::Read;
use std::path::Path;

use serde_json::json;

use super::clock;
use super::filetype::FileType;
use super::rest::ApiError;
use super::server::{self, lock, Shared};
use super::store::{Photo, Store, Ticket};
use super::tags;
use super::tokens::{Perms, SignedRequest};
use super::upload::{Kind, Received};
use axum::http::{HeaderMap, Method, Uri};

pub(super) fn accept(
    kind: &Kind,
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    params: &[(String, String)],
    photo: Option<&Received>,
) -> Result<serde_json::Value, ApiError> {
    let uri_text = server::request_uri(headers, uri.path(), &shared.endpoint);
    let request = SignedRequest {
        method: method.as_str(),
        uri: &uri_text,
        params,
    };
    let caller = lock(&shared.tokens)
        .verify(&request, clock::now())
        .map_err(|e| ApiError::new(e.code(), e.to_string()))?;
    if caller.perms() < Perms::Write {
        return Err(ApiError::new(
            99,
            "Insufficient permissions. Method requires write privileges.",
        ));
    }
    let received = photo.ok_or_else(|| ApiError::new(2, "No photo specified"))?;
    if received.too_large {
        return Err(ApiError::new(8, "Filesize was too large"));
    }
    if received.size == 0 {
        return Err(ApiError::new(4, "Filesize was zero"));
    }
    let file_type = received
        .file_type
        .ok_or_else(|| ApiError::new(5, "Filetype was not recognised"))?;
    let get = |name: &str| param(params, name);
    let is_async = get("async") == Some("1");
    let taken = match kind {
        Kind::Upload => exif_taken(&received.temp),
        Kind::Replace => None,
    };
    let now = clock::now();
    let mut store = lock(&shared.store);
    match kind {
        Kind::Upload => {
            let dedup = get("dedup_check");
            shared
                .account
                .check_upload(&store, &received.md5, file_type.video, dedup)?
        }
        Kind::Replace => shared.account.check_replace()?,
    }
    let (id, answer) = match kind {
        Kind::Upload => store_new(&mut store, shared, received, file_type, params, taken, now)?,
        Kind::Replace => store_replace(&mut store, shared, received, file_type, params, now)?,
    };
    store.dirty = true;
    if !is_async {
        return Ok(answer);
    }
    let ticket = store.new_ticket_id();
    store.tickets.insert(
        ticket,
        Ticket {
            id: ticket,
            photo_id: Some(id),
            complete: 0,
            imported: now,
        },
    );
    Ok(json!({"ticketid": {"_content": ticket.to_string()}}))
}

/// The request's field `name`.
fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A new photo from `received`: its id and the answer.
fn store_new(
    store: &mut Store,
    shared: &Shared,
    received: &Received,
    file_type: FileType,
    params: &[(String, String)],
    taken: Option<String>,
    now: i64,
) -> Result<(u64, serde_json::Value), ApiError> {
    let get = |name: &str| param(params, name);
    let id = store.new_photo_id();
    let original_secret = store.secret();
    let file = format!("{id}_{original_secret}_o.{}", file_type.format);
    rename(&received.temp, &shared.originals.join(&file))?;
    let flag = |name: &str, default: bool| get(name).map_or(default, |v| v.trim() == "1");
    let stem = Path::new(&received.name)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let photo = Photo {
        id,
        secret: store.secret(),
        original_secret,
        server: "65535".to_string(),
        farm: 66,
        title: get("title").map_or(stem, str::to_string),
        description: get("description").unwrap_or("").to_string(),
        tags: tags::parse_list(get("tags").unwrap_or("")),
        is_public: flag("is_public", true),
        is_friend: flag("is_friend", false),
        is_family: flag("is_family", false),
        safety_level: get("safety_level")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
        content_type: get("content_type")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1),
        hidden: get("hidden").and_then(|v| v.parse().ok()).unwrap_or(1),
        date_upload: now,
        date_taken_unknown: taken.is_none(),
        date_taken: taken.unwrap_or_else(|| clock::mysql(now)),
        date_taken_granularity: 0,
        last_update: now,
        original_format: file_type.format.to_string(),
        media: if file_type.video { "video" } else { "photo" }.to_string(),
        md5: received.md5.clone(),
        size: received.size,
        file,
        upload_name: received.name.clone(),
    };
    store.photos.insert(id, photo);
    shared.stored(id);
    Ok((id, json!({"photoid": {"_content": id.to_string()}})))
}

/// The photo `photo_id` given `received`'s bytes: its id and the answer.
fn store_replace(
    store: &mut Store,
    shared: &Shared,
    received: &Received,
    file_type: FileType,
    params: &[(String, String)],
    now: i64,
) -> Result<(u64, serde_json::Value), ApiError> {
    let get = |name: &str| param(params, name);
    let raw = get("photo_id").unwrap_or("");
    // Flickr documents no code for a photo that is not there (1 is "Not a pro
    // account"); it fails as a general upload failure.
    let not_found = || {
        ApiError::new(
            3,
            format!("General upload failure: photo {raw:?} not found"),
        )
    };
    let id: u64 = raw.trim().parse().map_err(|_| not_found())?;
    if !store.photos.contains_key(&id) {
        return Err(not_found());
    }
    let (secret, original_secret) = (store.secret(), store.secret());
    let file = format!("{id}_{original_secret}_o.{}", file_type.format);
    rename(&received.temp, &shared.originals.join(&file))?;
    let Some(photo) = store.photos.get_mut(&id) else {
        return Err(not_found());
    };
    let old = std::mem::replace(&mut photo.file, file);
    let _ = std::fs::remove_file(shared.originals.join(old));
    photo.secret = secret.clone();
    photo.original_secret = original_secret.clone();
    photo.original_format = file_type.format.to_string();
    photo.media = if file_type.video { "video" } else { "photo" }.to_string();
    photo.md5 = received.md5.clone();
    photo.size = received.size;
    photo.upload_name = received.name.clone();
    photo.last_update = now;
    let answer = json!({"photoid": {
        "secret": secret, "originalsecret": original_secret, "_content": id.to_string(),
    }});
    Ok((id, answer))
}

/// The EXIF DateTimeOriginal (or DateTime) from the start of a stored file.
fn exif_taken(path: &Path) -> Option<String> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(256 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    let exif = ::exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(head))
        .ok()?;
    [::exif::Tag::DateTimeOriginal, ::exif::Tag::DateTime]
        .iter()
        .find_map(|tag| exif.get_field(*tag, ::exif::In::PRIMARY))
        .and_then(|field| match &field.value {
            ::exif::Value::Ascii(parts) => parts
                .first()
                .map(|b| String::from_utf8_lossy(b).to_string()),
            _ => None,
        })
        .and_then(|text| clock::normalise_taken(&text))
}

fn rename(from: &Path, to: &Path) -> Result<(), ApiError> {
    std::fs::rename(from, to).map_err(|e| ApiError::new(3, format!("General upload failure: {e}")))
}
