//! Photosets (albums): create, addPhoto, removePhoto, getList, getPhotos, getInfo, delete,
//! editMeta, with Flickr's error codes for each.

use serde_json::{json, Value};

use super::clock;
use super::rest::{ApiError, Call};
use super::search::{paging, summary, Extras};
use super::server::lock;
use super::store::{Photoset, Store};

fn set_not_found() -> ApiError {
    ApiError::new(1, "Photoset not found")
}

fn set_id(call: &Call) -> Result<u64, ApiError> {
    call.get("photoset_id")
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(set_not_found)
}

fn set_value(set: &Photoset, store: &Store, call: &Call) -> Value {
    let primary = store.photos.get(&set.primary);
    let videos = set
        .photos
        .iter()
        .filter(|id| store.photos.get(id).is_some_and(|p| p.media == "video"))
        .count();
    json!({
        "id": set.id.to_string(), "owner": call.shared.user.nsid,
        "primary": set.primary.to_string(),
        "secret": primary.map(|p| p.secret.clone()).unwrap_or_default(),
        "server": primary.map(|p| p.server.clone()).unwrap_or_default(),
        "farm": primary.map(|p| p.farm).unwrap_or(0),
        "photos": set.photos.len() - videos, "videos": videos,
        "count_photos": set.photos.len() - videos, "count_videos": videos,
        "title": {"_content": set.title}, "description": {"_content": set.description},
        "date_create": set.date_create.to_string(), "date_update": set.date_update.to_string(),
    })
}

/// Photoset calls answer 2 for a photo id that is missing, unreadable or unknown.
fn photo_not_found() -> ApiError {
    ApiError::new(2, "Photo not found")
}

fn photo_param(call: &Call, name: &str) -> Result<u64, ApiError> {
    call.get(name)
        .and_then(|p| p.trim().parse().ok())
        .ok_or_else(photo_not_found)
}

pub fn create(call: &Call) -> Result<Value, ApiError> {
    let title = call.require("title", || ApiError::new(1, "No title specified"))?;
    let primary = photo_param(call, "primary_photo_id")?;
    let mut store = lock(&call.shared.store);
    if !store.photos.contains_key(&primary) {
        return Err(photo_not_found());
    }
    let id = store.new_set_id();
    let now = clock::now();
    let set = Photoset {
        id,
        secret: store.secret(),
        title: title.to_string(),
        description: call.get("description").unwrap_or("").to_string(),
        primary,
        photos: vec![primary],
        date_create: now,
        date_update: now,
    };
    let url = format!(
        "https://www.flickr.com/photos/{}/sets/{id}/",
        call.shared.user.nsid
    );
    store.sets.insert(id, set);
    store.dirty = true;
    Ok(json!({"photoset": {"id": id.to_string(), "url": url}}))
}

pub fn add_photo(call: &Call) -> Result<Value, ApiError> {
    let id = set_id(call)?;
    let photo = photo_param(call, "photo_id")?;
    let mut store = lock(&call.shared.store);
    if !store.photos.contains_key(&photo) {
        return Err(photo_not_found());
    }
    let set = store.sets.get_mut(&id).ok_or_else(set_not_found)?;
    if set.photos.contains(&photo) {
        return Err(ApiError::new(3, "Photo already in set"));
    }
    if set.photos.len() >= call.shared.max_per_set {
        return Err(ApiError::new(10, "Maximum number of photos in set"));
    }
    set.photos.push(photo);
    set.date_update = clock::now();
    store.dirty = true;
    Ok(json!({}))
}

pub fn remove_photo(call: &Call) -> Result<Value, ApiError> {
    let id = set_id(call)?;
    let photo: u64 = call
        .get("photo_id")
        .and_then(|p| p.trim().parse().ok())
        .ok_or_else(|| ApiError::new(2, "Photo not found"))?;
    let mut store = lock(&call.shared.store);
    let set = store.sets.get_mut(&id).ok_or_else(set_not_found)?;
    if !set.photos.contains(&photo) {
        return Err(ApiError::new(2, "Photo not in set"));
    }
    set.photos.retain(|p| *p != photo);
    if set.primary == photo {
        set.primary = set.photos.first().copied().unwrap_or(0);
    }
    set.date_update = clock::now();
    store.sets.retain(|_, s| !s.photos.is_empty());
    store.dirty = true;
    Ok(json!({}))
}

pub fn get_list(call: &Call) -> Result<Value, ApiError> {
    let store = lock(&call.shared.store);
    let (page, per_page) = paging(call);
    let all: Vec<&Photoset> = store.sets.values().collect();
    let total = all.len();
    let start = (page - 1) * per_page;
    let sets: Vec<Value> = all
        .iter()
        .skip(start)
        .take(per_page)
        .map(|s| set_value(s, &store, call))
        .collect();
    Ok(json!({"photosets": {
        "page": page, "pages": total.div_ceil(per_page), "perpage": per_page, "total": total,
        "cancreate": 1, "photoset": sets,
    }}))
}

pub fn get_info(call: &Call) -> Result<Value, ApiError> {
    let id = set_id(call)?;
    let store = lock(&call.shared.store);
    let set = store.sets.get(&id).ok_or_else(set_not_found)?;
    Ok(json!({"photoset": set_value(set, &store, call)}))
}

pub fn get_photos(call: &Call) -> Result<Value, ApiError> {
    let id = set_id(call)?;
    let extras = Extras::parse(call.get("extras"));
    let (page, per_page) = paging(call);
    let store = lock(&call.shared.store);
    let set = store.sets.get(&id).ok_or_else(set_not_found)?;
    let visible: Vec<_> = set
        .photos
        .iter()
        .filter_map(|pid| store.photos.get(pid))
        .filter(|p| call.sees(p))
        .collect();
    let total = visible.len();
    let photos: Vec<Value> = visible
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|p| {
            let mut v = summary(p, &extras, &call.shared.user, &call.shared.endpoint);
            if let Value::Object(m) = &mut v {
                m.remove("owner");
                m.insert(
                    "isprimary".into(),
                    json!(if p.id == set.primary { "1" } else { "0" }),
                );
            }
            v
        })
        .collect();
    let user = &call.shared.user;
    Ok(json!({"photoset": {
        "id": id.to_string(), "primary": set.primary.to_string(), "owner": user.nsid,
        "ownername": user.username, "title": set.title, "photo": photos,
        "page": page, "per_page": per_page, "perpage": per_page,
        "pages": total.div_ceil(per_page), "total": total,
    }}))
}

pub fn delete(call: &Call) -> Result<Value, ApiError> {
    let id = set_id(call)?;
    let mut store = lock(&call.shared.store);
    store.sets.remove(&id).ok_or_else(set_not_found)?;
    store.dirty = true;
    Ok(json!({}))
}

pub fn edit_meta(call: &Call) -> Result<Value, ApiError> {
    let id = set_id(call)?;
    let title = call.require("title", || ApiError::new(2, "No title specified"))?;
    let mut store = lock(&call.shared.store);
    let set = store.sets.get_mut(&id).ok_or_else(set_not_found)?;
    set.title = title.to_string();
    if let Some(d) = call.get("description") {
        set.description = d.to_string();
    }
    set.date_update = clock::now();
    store.dirty = true;
    Ok(json!({}))
}
