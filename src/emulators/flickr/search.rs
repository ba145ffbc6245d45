//! `flickr.photos.search` and `flickr.people.getPhotos`: filters (tags, machine tags with their
//! wildcard forms, text, upload and taken date ranges, privacy, media), sorting, paging with
//! `per_page` capped at 500, and Flickr's 4,000-result ceiling: `total` tells the real count,
//! but pages past the first 4,000 results repeat the last page within them, as Flickr does.
//! With `unstable_paging`, a page after the first now and then starts one item off.
//! Also the photo summary with `extras` that every photo list shares.

use serde_json::{json, Map, Value};

use super::clock;
use super::rest::{ApiError, Call};
use super::server::{lock, User};
use super::store::Photo;
use super::tags::{self, MachineQuery};
use super::tokens::Caller;

/// Flickr never returns more than this many results for one query.
pub const RESULT_CEILING: usize = 4000;
pub const MAX_PER_PAGE: usize = 500;
const DEFAULT_PER_PAGE: usize = 100;

#[derive(Default)]
struct Filters {
    tags: Vec<String>,
    tags_all: bool,
    machine: Vec<MachineQuery>,
    machine_all: bool,
    text: Option<String>,
    min_upload: Option<i64>,
    max_upload: Option<i64>,
    min_taken: Option<i64>,
    max_taken: Option<i64>,
    privacy: Option<u8>,
    media: Option<String>,
}

impl Filters {
    fn parse(call: &Call) -> Result<Filters, ApiError> {
        let mut f = Filters {
            tags: call
                .get("tags")
                .map(|t| {
                    t.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            tags_all: call.get("tag_mode") == Some("all"),
            machine_all: call.get("machine_tag_mode") == Some("all"),
            text: call
                .get("text")
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.to_lowercase()),
            ..Filters::default()
        };
        if let Some(query) = call.get("machine_tags") {
            for term in tags::split_query(query) {
                // Flickr ignores terms it cannot parse rather than failing the search.
                if let Ok(q) = MachineQuery::parse(&term) {
                    f.machine.push(q);
                }
            }
            if f.machine.is_empty() && !query.trim().is_empty() {
                f.machine_all = true; // a query of only bad terms matches nothing
                f.machine.push(MachineQuery {
                    namespace: Some(String::new()),
                    predicate: None,
                    value: None,
                });
            }
        }
        let bound = |name: &str| -> Result<Option<i64>, ApiError> {
            match call.get(name).map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => clock::parse_bound(v)
                    .map(Some)
                    .ok_or_else(|| ApiError::new(4, format!("Invalid {name}: {v}"))),
            }
        };
        f.min_upload = bound("min_upload_date")?;
        f.max_upload = bound("max_upload_date")?;
        f.min_taken = bound("min_taken_date")?;
        f.max_taken = bound("max_taken_date")?;
        f.privacy = call.get("privacy_filter").and_then(|p| p.parse().ok());
        f.media = call
            .get("media")
            .filter(|m| *m == "photos" || *m == "videos")
            .map(|m| m.trim_end_matches('s').to_string());
        Ok(f)
    }

    fn is_empty(&self) -> bool {
        self.tags.is_empty()
            && self.machine.is_empty()
            && self.text.is_none()
            && self.min_upload.is_none()
            && self.max_upload.is_none()
            && self.min_taken.is_none()
            && self.max_taken.is_none()
    }

    fn matches(&self, p: &Photo) -> bool {
        if !self.tags.is_empty() {
            let (include, exclude): (Vec<&String>, Vec<&String>) =
                self.tags.iter().partition(|t| !t.starts_with('-'));
            let has = |t: &str| {
                let c = tags::clean(t);
                p.tags.iter().any(|tag| tag.clean == c)
            };
            if exclude.iter().any(|t| has(&t[1..])) {
                return false;
            }
            if !include.is_empty() {
                let hit = if self.tags_all {
                    include.iter().all(|t| has(t))
                } else {
                    include.iter().any(|t| has(t))
                };
                if !hit {
                    return false;
                }
            }
        }
        if !self.machine.is_empty() {
            let has = |q: &MachineQuery| {
                p.tags
                    .iter()
                    .filter_map(|t| t.machine.as_ref())
                    .any(|m| q.matches(m))
            };
            let hit = if self.machine_all {
                self.machine.iter().all(has)
            } else {
                self.machine.iter().any(has)
            };
            if !hit {
                return false;
            }
        }
        if let Some(text) = &self.text {
            let in_tags = p.tags.iter().any(|t| t.clean.contains(&tags::clean(text)));
            if !(p.title.to_lowercase().contains(text)
                || p.description.to_lowercase().contains(text)
                || in_tags)
            {
                return false;
            }
        }
        let taken = clock::parse_mysql(&p.date_taken).unwrap_or(0);
        let within = |v: i64, min: Option<i64>, max: Option<i64>| {
            min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)
        };
        if !within(p.date_upload, self.min_upload, self.max_upload)
            || !within(taken, self.min_taken, self.max_taken)
        {
            return false;
        }
        if let Some(level) = self.privacy {
            if privacy_level(p) != level {
                return false;
            }
        }
        self.media.as_ref().is_none_or(|m| *m == p.media)
    }
}

/// Flickr's `privacy_filter` levels: 1 public, 2 friends, 3 family, 4 friends & family, 5 private.
fn privacy_level(p: &Photo) -> u8 {
    match (p.is_public, p.is_friend, p.is_family) {
        (true, _, _) => 1,
        (false, true, false) => 2,
        (false, false, true) => 3,
        (false, true, true) => 4,
        (false, false, false) => 5,
    }
}

fn check_user(call: &Call, user_id: &str) -> Result<(), ApiError> {
    let ok = user_id == call.shared.user.nsid
        || (user_id == "me" && matches!(call.caller, Caller::User { .. }));
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(2, "Unknown user"))
    }
}

pub fn photos_search(call: &Call) -> Result<Value, ApiError> {
    let filters = Filters::parse(call)?;
    match call.get("user_id").filter(|u| !u.is_empty()) {
        Some(user_id) => check_user(call, user_id)?,
        None if filters.is_empty() => {
            return Err(ApiError::new(
                3,
                "Parameterless searches have been disabled. Please use flickr.photos.getRecent instead.",
            ))
        }
        None => {}
    }
    list(call, &filters)
}

pub fn people_get_photos(call: &Call) -> Result<Value, ApiError> {
    let user_id = call.require("user_id", || ApiError::new(2, "Unknown user"))?;
    check_user(call, user_id)?;
    list(call, &Filters::parse(call)?)
}

fn list(call: &Call, filters: &Filters) -> Result<Value, ApiError> {
    let extras = Extras::parse(call.get("extras"));
    let store = lock(&call.shared.store);
    let mut found: Vec<&Photo> = store
        .photos
        .values()
        .filter(|p| call.sees(p) && filters.matches(p) && call.shared.searchable(p.id))
        .collect();
    sort(&mut found, call.get("sort").unwrap_or("date-posted-desc"));
    let (page, per_page) = paging(call);
    let total = found.len();
    let pages = total.div_ceil(per_page);
    let reachable = total.min(RESULT_CEILING);
    let shift = lock(&call.shared.paging).shift(page);
    let start = ((page - 1) * per_page).saturating_add_signed(shift);
    let slice: &[&Photo] = if start < reachable {
        &found[start..(start + per_page).min(reachable)]
    } else if start < total {
        // Past the ceiling Flickr keeps answering the last page it can reach.
        let last = (reachable.saturating_sub(1) / per_page) * per_page;
        &found[last..reachable]
    } else {
        &[]
    };
    let base = &call.shared.endpoint;
    let photos: Vec<Value> = slice
        .iter()
        .map(|p| summary(p, &extras, &call.shared.user, base))
        .collect();
    Ok(json!({"photos": {
        "page": page, "pages": pages, "perpage": per_page, "total": total, "photo": photos,
    }}))
}

fn sort(photos: &mut [&Photo], order: &str) {
    let taken = |p: &Photo| clock::parse_mysql(&p.date_taken).unwrap_or(0);
    match order {
        "date-posted-asc" => photos.sort_by_key(|p| (p.date_upload, p.id)),
        "date-taken-asc" => photos.sort_by_key(|p| (taken(p), p.id)),
        "date-taken-desc" => photos.sort_by_key(|p| std::cmp::Reverse((taken(p), p.id))),
        _ => photos.sort_by_key(|p| std::cmp::Reverse((p.date_upload, p.id))),
    }
}

/// `page` (from 1) and `per_page` (default 100, at most 500).
pub fn paging(call: &Call) -> (usize, usize) {
    let page = call
        .get("page")
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let per_page = call
        .get("per_page")
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .map(|p| p.min(MAX_PER_PAGE))
        .unwrap_or(DEFAULT_PER_PAGE);
    (page, per_page)
}

/// The `extras` a caller asked for.
pub struct Extras(Vec<String>);

impl Extras {
    pub fn parse(text: Option<&str>) -> Extras {
        Extras(
            text.unwrap_or("")
                .split(',')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
        )
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|e| e == name)
    }
}

/// The URL the emulator serves an original at.
pub fn original_url(base: &str, p: &Photo) -> String {
    format!("{base}/originals/{}", p.file)
}

/// One photo in a list, with the asked-for extras.
pub fn summary(p: &Photo, extras: &Extras, user: &User, base: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id.to_string()));
    m.insert("owner".into(), json!(user.nsid));
    m.insert("secret".into(), json!(p.secret));
    m.insert("server".into(), json!(p.server));
    m.insert("farm".into(), json!(p.farm));
    m.insert("title".into(), json!(p.title));
    m.insert("ispublic".into(), json!(i32::from(p.is_public)));
    m.insert("isfriend".into(), json!(i32::from(p.is_friend)));
    m.insert("isfamily".into(), json!(i32::from(p.is_family)));
    if extras.has("description") {
        m.insert("description".into(), json!({"_content": p.description}));
    }
    if extras.has("license") {
        m.insert("license".into(), json!("0"));
    }
    if extras.has("date_upload") {
        m.insert("dateupload".into(), json!(p.date_upload.to_string()));
    }
    if extras.has("date_taken") {
        m.insert("datetaken".into(), json!(p.date_taken));
        m.insert(
            "datetakengranularity".into(),
            json!(p.date_taken_granularity),
        );
        m.insert(
            "datetakenunknown".into(),
            json!(if p.date_taken_unknown { "1" } else { "0" }),
        );
    }
    if extras.has("owner_name") {
        m.insert("ownername".into(), json!(user.username));
    }
    if extras.has("original_format") {
        m.insert("originalsecret".into(), json!(p.original_secret));
        m.insert("originalformat".into(), json!(p.original_format));
    }
    if extras.has("last_update") {
        m.insert("lastupdate".into(), json!(p.last_update.to_string()));
    }
    if extras.has("tags") {
        let clean: Vec<&str> = p.tags.iter().map(|t| t.clean.as_str()).collect();
        m.insert("tags".into(), json!(clean.join(" ")));
    }
    if extras.has("machine_tags") {
        let machine: Vec<String> = p.tags.iter().filter_map(|t| t.machine_text()).collect();
        m.insert("machine_tags".into(), json!(machine.join(" ")));
    }
    if extras.has("media") {
        m.insert("media".into(), json!(p.media));
        m.insert("media_status".into(), json!("ready"));
    }
    if extras.has("views") {
        m.insert("views".into(), json!("0"));
    }
    if extras.has("url_o") {
        m.insert("url_o".into(), json!(original_url(base, p)));
    }
    Value::Object(m)
}
