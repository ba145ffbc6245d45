//! Methods on one photo: getInfo, getSizes, getPerms, delete, the tag methods, setDates,
//! setMeta, setPerms, and `flickr.photos.upload.checkTickets` for async uploads.

use serde_json::{json, Value};

use super::clock;
use super::rest::{ApiError, Call};
use super::search::original_url;
use super::server::lock;
use super::store::Photo;
use super::tags::{self, Tag};

/// A stable id for a tag on a photo, as `removeTag` takes it.
pub fn tag_id(photo: &Photo, tag: &Tag) -> String {
    let key = tag.machine_text().unwrap_or_else(|| tag.clean.clone());
    let hash = key.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("{}-{}-{}", photo.id, photo.farm, hash)
}

/// Runs `f` on a photo the caller can see, marking the store dirty when `f` succeeds.
fn with_photo<T>(
    call: &Call,
    f: impl FnOnce(&mut Photo) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let id = call.photo_id()?;
    let mut store = lock(&call.shared.store);
    let photo = store
        .photos
        .get_mut(&id)
        .filter(|p| call.sees(p))
        .ok_or_else(|| ApiError::photo_not_found(&id.to_string()))?;
    let out = f(photo)?;
    store.dirty = true;
    Ok(out)
}

fn read_photo(call: &Call) -> Result<Photo, ApiError> {
    let id = call.photo_id()?;
    lock(&call.shared.store)
        .photos
        .get(&id)
        .filter(|p| call.sees(p))
        .cloned()
        .ok_or_else(|| ApiError::photo_not_found(&id.to_string()))
}

pub fn get_info(call: &Call) -> Result<Value, ApiError> {
    let p = read_photo(call)?;
    let user = &call.shared.user;
    let tags: Vec<Value> = p
        .tags
        .iter()
        .map(|t| {
            json!({
                "id": tag_id(&p, t), "author": user.nsid, "authorname": user.username,
                "raw": t.raw, "_content": t.clean, "machine_tag": i32::from(t.machine.is_some()),
            })
        })
        .collect();
    Ok(json!({"photo": {
        "id": p.id.to_string(), "secret": p.secret, "server": p.server, "farm": p.farm,
        "dateuploaded": p.date_upload.to_string(), "isfavorite": 0, "license": "0",
        "safety_level": p.safety_level.to_string(), "rotation": 0,
        "originalsecret": p.original_secret, "originalformat": p.original_format,
        "owner": {"nsid": user.nsid, "username": user.username, "realname": user.fullname,
                  "location": "", "iconserver": "0", "iconfarm": 0},
        "title": {"_content": p.title},
        "description": {"_content": p.description},
        "visibility": {"ispublic": i32::from(p.is_public), "isfriend": i32::from(p.is_friend),
                       "isfamily": i32::from(p.is_family)},
        "dates": {"posted": p.date_upload.to_string(), "taken": p.date_taken,
                  "takengranularity": p.date_taken_granularity,
                  "takenunknown": if p.date_taken_unknown { "1" } else { "0" },
                  "lastupdate": p.last_update.to_string()},
        "views": "0",
        "editability": {"cancomment": 1, "canaddmeta": 1},
        "usage": {"candownload": 1, "canblog": 1, "canprint": 1, "canshare": 1},
        "comments": {"_content": "0"},
        "notes": {"note": []},
        "people": {"haspeople": 0},
        "tags": {"tag": tags},
        "urls": {"url": [{"type": "photopage",
            "_content": format!("https://www.flickr.com/photos/{}/{}/", user.nsid, p.id)}]},
        "media": p.media,
    }}))
}

pub fn get_sizes(call: &Call) -> Result<Value, ApiError> {
    let p = read_photo(call)?;
    let label = if p.media == "video" {
        "Video Original"
    } else {
        "Original"
    };
    Ok(json!({"sizes": {
        "canblog": 1, "canprint": 1, "candownload": 1,
        "size": [{
            "label": label, "width": 0, "height": 0,
            "source": original_url(&call.shared.endpoint, &p),
            "url": format!("https://www.flickr.com/photos/{}/{}/sizes/o/", call.shared.user.nsid, p.id),
            "media": p.media,
        }],
    }}))
}

pub fn get_perms(call: &Call) -> Result<Value, ApiError> {
    let p = read_photo(call)?;
    Ok(json!({"perms": {
        "id": p.id.to_string(), "ispublic": i32::from(p.is_public),
        "isfriend": i32::from(p.is_friend), "isfamily": i32::from(p.is_family),
        "permcomment": 3, "permaddmeta": 2,
    }}))
}

pub fn delete(call: &Call) -> Result<Value, ApiError> {
    let id = call.photo_id()?;
    let removed = lock(&call.shared.store).remove_photo(id);
    let photo = removed.ok_or_else(|| ApiError::photo_not_found(&id.to_string()))?;
    // The original goes too; a file already gone is not an error.
    let _ = std::fs::remove_file(call.shared.originals.join(&photo.file));
    Ok(json!({}))
}

pub fn add_tags(call: &Call) -> Result<Value, ApiError> {
    let text = call.require("tags", || {
        ApiError::new(2, "Maximum number of tags reached")
    })?;
    with_photo(call, |p| {
        for tag in tags::parse_list(text) {
            tags::add_unique(&mut p.tags, tag);
        }
        p.last_update = clock::now();
        Ok(json!({}))
    })
}

pub fn set_tags(call: &Call) -> Result<Value, ApiError> {
    let text = call.get("tags").unwrap_or("");
    with_photo(call, |p| {
        p.tags = tags::parse_list(text);
        p.last_update = clock::now();
        Ok(json!({}))
    })
}

pub fn remove_tag(call: &Call) -> Result<Value, ApiError> {
    let wanted = call.require("tag_id", || ApiError::new(1, "Tag not found"))?;
    let photo_id: u64 = wanted
        .split('-')
        .next()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| ApiError::new(1, "Tag not found"))?;
    let mut store = lock(&call.shared.store);
    let photo = store
        .photos
        .get_mut(&photo_id)
        .ok_or_else(|| ApiError::new(1, "Tag not found"))?;
    let before = photo.tags.len();
    let snapshot = photo.clone();
    photo.tags.retain(|t| tag_id(&snapshot, t) != wanted);
    if photo.tags.len() == before {
        return Err(ApiError::new(1, "Tag not found"));
    }
    photo.last_update = clock::now();
    store.dirty = true;
    Ok(json!({}))
}

pub fn set_dates(call: &Call) -> Result<Value, ApiError> {
    let posted = call.get("date_posted").filter(|v| !v.is_empty());
    let taken = call.get("date_taken").filter(|v| !v.is_empty());
    let granularity = call.get("date_taken_granularity").filter(|v| !v.is_empty());
    if posted.is_none() && taken.is_none() && granularity.is_none() {
        return Err(ApiError::new(2, "Not enough arguments"));
    }
    let posted = match posted {
        None => None,
        Some(v) => Some(
            v.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::new(4, "Invalid posted date"))?,
        ),
    };
    let taken = match taken {
        None => None,
        Some(v) => {
            let taken =
                clock::normalise_taken(v).ok_or_else(|| ApiError::new(5, "Invalid taken date"))?;
            check_taken_range(&taken)?;
            Some(taken)
        }
    };
    let granularity = match granularity {
        None => None,
        Some(v) => match v.trim().parse::<u32>() {
            Ok(g @ (0 | 4 | 6 | 8)) => Some(g),
            _ => return Err(ApiError::new(3, "Invalid granularity")),
        },
    };
    with_photo(call, |p| {
        if let Some(posted) = posted {
            if posted > clock::now() {
                return Err(ApiError::new(4, "Invalid posted date"));
            }
            p.date_upload = posted;
        }
        if let Some(taken) = taken {
            p.date_taken = taken;
            p.date_taken_unknown = false;
        }
        if let Some(g) = granularity {
            p.date_taken_granularity = g;
        }
        p.last_update = clock::now();
        Ok(json!({}))
    })
}

pub fn set_meta(call: &Call) -> Result<Value, ApiError> {
    let title = call.get("title");
    let description = call.get("description");
    if title.is_none() && description.is_none() {
        return Err(ApiError::new(
            2,
            "At least one of title or description must be set",
        ));
    }
    with_photo(call, |p| {
        if let Some(t) = title {
            p.title = t.to_string();
        }
        if let Some(d) = description {
            p.description = d.to_string();
        }
        p.last_update = clock::now();
        Ok(json!({}))
    })
}

pub fn set_perms(call: &Call) -> Result<Value, ApiError> {
    let flag = |name: &str| -> Result<bool, ApiError> {
        match call.get(name).map(str::trim) {
            Some("1") => Ok(true),
            Some("0") => Ok(false),
            _ => Err(ApiError::new(
                2,
                format!("Required arguments missing: {name}"),
            )),
        }
    };
    let (public, friend, family) = (flag("is_public")?, flag("is_friend")?, flag("is_family")?);
    with_photo(call, |p| {
        p.is_public = public;
        p.is_friend = friend;
        p.is_family = family;
        p.last_update = clock::now();
        Ok(
            json!({"photoid": {"secret": p.secret, "originalsecret": p.original_secret,
                              "_content": p.id.to_string()}}),
        )
    })
}

/// Tickets report "not complete" on the first check and complete after, so a client's polling
/// loop runs at least twice.
pub fn check_tickets(call: &Call) -> Result<Value, ApiError> {
    let list = call.get("tickets").unwrap_or("");
    let mut store = lock(&call.shared.store);
    let mut out = Vec::new();
    for raw in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let ticket = raw
            .parse::<u64>()
            .ok()
            .and_then(|id| store.tickets.get_mut(&id));
        match ticket {
            None => out.push(json!({"id": raw, "invalid": 1})),
            Some(t) if t.complete == 0 => {
                t.complete = 1;
                out.push(json!({"id": raw, "complete": 0}));
            }
            Some(t) => {
                let mut entry =
                    json!({"id": raw, "complete": t.complete, "imported": t.imported.to_string()});
                if let Some(id) = t.photo_id {
                    entry["photoid"] = json!(id.to_string());
                }
                out.push(entry);
            }
        }
    }
    store.dirty = true;
    Ok(json!({"uploader": {"ticket": out}}))
}

/// setDates' code 6: Flickr refuses a taken date in the future or too far in the past.
/// Where "too far" starts is not documented; the emulator takes the year 1800 (older than
/// any photograph), and allows a day ahead, as taken dates carry no time zone.
fn check_taken_range(taken: &str) -> Result<(), ApiError> {
    let at = clock::parse_mysql(taken).unwrap_or(0);
    let earliest = clock::parse_mysql("1800-01-01 00:00:00").unwrap_or(i64::MIN);
    if at > clock::now() + 86_400 || at < earliest {
        return Err(ApiError::new(
            6,
            format!("Invalid date taken: {taken} is in the future or too far in the past"),
        ));
    }
    Ok(())
}
