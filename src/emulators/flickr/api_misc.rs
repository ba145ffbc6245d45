//! The small methods: `flickr.test.*`, `flickr.reflection.*`, `flickr.auth.oauth.checkToken`,
//! `flickr.people.getUploadStatus` and `flickr.people.getInfo`.

use serde_json::{json, Value};

use super::methods;
use super::rest::{ApiError, Call};
use super::server::lock;
use super::tokens::{Caller, Perms};

pub fn echo(call: &Call) -> Result<Value, ApiError> {
    let mut map = serde_json::Map::new();
    for (k, v) in call.params {
        if !k.starts_with("oauth_") && k != "format" && k != "nojsoncallback" {
            map.insert(k.clone(), json!({ "_content": v }));
        }
    }
    Ok(Value::Object(map))
}

pub fn login(call: &Call) -> Result<Value, ApiError> {
    let user = &call.shared.user;
    Ok(json!({"user": {"id": user.nsid, "username": {"_content": user.username}}}))
}

pub fn get_methods() -> Result<Value, ApiError> {
    let list: Vec<Value> = crate::destinations::flickr::api::method_names()
        .map(|name| json!({ "_content": name }))
        .collect();
    Ok(json!({"methods": {"method": list}}))
}

pub fn get_method_info(call: &Call) -> Result<Value, ApiError> {
    let name = call.get("method_name").unwrap_or("");
    let perms =
        methods::required_perms(name).ok_or_else(|| ApiError::new(1, "Method not found"))?;
    let level = match perms {
        Perms::None => 0,
        Perms::Read => 1,
        Perms::Write => 2,
        Perms::Delete => 3,
    };
    Ok(json!({
        "method": {
            "name": name,
            "needslogin": i32::from(level > 0),
            "needssigning": i32::from(level > 0),
            "requiredperms": level,
            "description": {"_content": ""},
        },
        "arguments": {"argument": [
            {"name": "api_key", "optional": 0, "_content": "Your API application key."}
        ]},
        "errors": {"error": []},
    }))
}

pub fn check_token(call: &Call) -> Result<Value, ApiError> {
    let token = call.require("oauth_token", || ApiError::new(98, "Invalid auth token"))?;
    let perms = lock(&call.shared.tokens)
        .access
        .get(token)
        .map(|a| a.perms)
        .ok_or_else(|| ApiError::new(98, "Invalid auth token"))?;
    let user = &call.shared.user;
    Ok(json!({"oauth": {
        "token": {"_content": token},
        "perms": {"_content": perms.as_str()},
        "user": {"nsid": user.nsid, "username": user.username, "fullname": user.fullname},
    }}))
}

pub fn upload_status(call: &Call) -> Result<Value, ApiError> {
    let shared = call.shared;
    let (used, videos) = {
        let store = lock(&shared.store);
        let used: u64 = store.photos.values().map(|p| p.size).sum();
        let videos = store.photos.values().filter(|p| p.media == "video").count();
        (used, videos)
    };
    let user = &shared.user;
    Ok(json!({"user": {
        "id": user.nsid,
        "ispro": 1,
        "username": {"_content": user.username},
        "bandwidth": {
            "maxbytes": 0, "maxkb": 0, "usedbytes": used, "usedkb": used / 1024,
            "remainingbytes": 0, "remainingkb": 0, "unlimited": 1,
        },
        "filesize": {
            "maxbytes": shared.max_photo_bytes, "maxkb": shared.max_photo_bytes / 1024,
            "maxmb": shared.max_photo_bytes / (1024 * 1024),
        },
        "videosize": {
            "maxbytes": shared.max_video_bytes, "maxkb": shared.max_video_bytes / 1024,
            "maxmb": shared.max_video_bytes / (1024 * 1024),
        },
        "sets": {"created": lock(&shared.store).sets.len(), "remaining": "lots"},
        "videos": {"uploaded": videos, "remaining": "lots"},
    }}))
}

pub fn person_info(call: &Call) -> Result<Value, ApiError> {
    let user = &call.shared.user;
    let wanted = call.get("user_id").unwrap_or("");
    if wanted != user.nsid && !(wanted == "me" && matches!(call.caller, Caller::User { .. })) {
        return Err(ApiError::new(1, "User not found"));
    }
    let count = lock(&call.shared.store).photos.len();
    Ok(json!({"person": {
        "id": user.nsid, "nsid": user.nsid, "ispro": 1, "iconserver": "0", "iconfarm": 0,
        "username": {"_content": user.username},
        "realname": {"_content": user.fullname},
        "photos": {"count": {"_content": count}},
    }}))
}
