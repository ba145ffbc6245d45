//! The Google Photos emulator's library: batchCreate (50 at most, per-item statuses, identical
//! bytes, one call at a time), the app-created-only listings with Google's paging and its
//! repeated item, albums, downloads that differ, the daily quota, every fault kind, and reset.

mod gphotos_common;

use std::collections::HashSet;
use std::time::Duration;

use gphotos_common::*;
use photosync::emulators::gphotos::{
    scopes, BadToken, FaultKind, GooglePhotosConfig, GooglePhotosEmulator,
};
use serde_json::{json, Value};

async fn other_app_token(emu: &GooglePhotosEmulator) -> String {
    let (id, secret) = emu.other_client();
    let refresh = emu.refresh_token_for(&id, &scopes::ALL);
    let a = post_form(
        &http(),
        &emu.token_url(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
    .await;
    a.json()["access_token"].as_str().unwrap().to_string()
}

async fn tokens(
    emu: &GooglePhotosEmulator,
    token: &str,
    range: std::ops::Range<usize>,
) -> Vec<String> {
    let mut out = Vec::new();
    for n in range {
        out.push(upload_token(emu, token, jpeg(n), &format!("p{n}.jpg")).await);
    }
    out
}

async fn create(
    emu: &GooglePhotosEmulator,
    token: &str,
    range: std::ops::Range<usize>,
) -> Vec<Value> {
    let t = tokens(emu, token, range).await;
    let a = batch_create(emu, token, new_items(&t)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json()["newMediaItemResults"].as_array().unwrap().clone()
}

fn ids(page: &Value) -> Vec<String> {
    page["mediaItems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_create_takes_fifty_refuses_fifty_one_and_answers_each_item() {
    let emu = start(GooglePhotosConfig::default());
    let token = full_token(&emu).await;
    let mut t = tokens(&emu, &token, 0..51).await;
    let over = batch_create(&emu, &token, new_items(&t)).await;
    assert_eq!(over.status, 400);
    assert_eq!(over.json()["error"]["status"], "INVALID_ARGUMENT");
    assert_eq!(
        over.json()["error"]["message"],
        "Request must have less than 50 items."
    );
    t.truncate(50);
    let good = t[7].clone();
    t[7] = "not-a-token".to_string();
    // One bad token fails the whole call, as Google does by default.
    let whole = batch_create(&emu, &token, new_items(&t)).await;
    assert_eq!(whole.status, 400);
    assert_eq!(
        whole.json()["error"]["message"],
        "Request must contain a valid upload token."
    );
    assert!(emu.items().is_empty());
    t[7] = good;
    let ok = batch_create(&emu, &token, new_items(&t)).await;
    assert_eq!(
        ok.json()["newMediaItemResults"].as_array().unwrap().len(),
        50
    );
    // Used once, a token is no longer valid.
    let used = batch_create(&emu, &token, new_items(&t[..1])).await;
    assert_eq!(used.status, 400);
    assert_eq!(emu.call_counts()["mediaItems.batchCreate:bad_token"], 2);
    // Answered item by item instead.
    let emu = start(GooglePhotosConfig {
        bad_token: BadToken::PerItem,
        ..GooglePhotosConfig::default()
    });
    let token = full_token(&emu).await;
    let mut t = tokens(&emu, &token, 0..50).await;
    t[7] = "not-a-token".to_string();
    let ok = batch_create(&emu, &token, new_items(&t)).await;
    let results = ok.json()["newMediaItemResults"].as_array().unwrap().clone();
    assert_eq!(results.len(), 50);
    assert_eq!(results[7]["status"]["code"], 3);
    assert!(results[7].get("mediaItem").is_none());
    let made: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("mediaItem").is_some())
        .collect();
    assert_eq!(made.len(), 49);
    let item = &results[0]["mediaItem"];
    assert_eq!(item["description"], "d0");
    assert_eq!(item["mediaMetadata"]["width"], "0");
    assert!(
        item["mediaMetadata"]["width"].is_string(),
        "width and height are strings"
    );
    assert!(item.get("size").is_none() && item.get("md5").is_none());
    assert_eq!(emu.items().len(), 49);
    let big = json!({"newMediaItems": [{"description": "x".repeat(1001), "simpleMediaItem": {"uploadToken": t[0]}}]});
    assert_eq!(batch_create(&emu, &token, big).await.status, 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn identical_bytes_are_answered_with_the_item_already_there() {
    let emu = start(GooglePhotosConfig::default());
    let token = full_token(&emu).await;
    let first = create(&emu, &token, 0..1).await;
    let again = upload_token(&emu, &token, jpeg(0), "renamed.jpg").await;
    let second = batch_create(&emu, &token, new_items(&[again])).await.json();
    let item = &second["newMediaItemResults"][0]["mediaItem"];
    assert_eq!(item["id"], first[0]["mediaItem"]["id"]);
    assert_eq!(item["filename"], "p0.jpg", "the first name is kept");
    assert_eq!(emu.items().len(), 1);

    // Another app's token is not this app's; its identical bytes come back as the same item,
    // which that app cannot read nor add to its albums.
    let other = other_app_token(&emu).await;
    let theirs = upload_token(&emu, &other, jpeg(0), "x.jpg").await;
    let refused = batch_create(&emu, &token, new_items(std::slice::from_ref(&theirs))).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    let shared = batch_create(&emu, &other, new_items(&[theirs]))
        .await
        .json();
    let id = shared["newMediaItemResults"][0]["mediaItem"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(Value::from(id.clone()), first[0]["mediaItem"]["id"]);
    assert_eq!(
        get(&emu, &other, &format!("/v1/mediaItems/{id}"))
            .await
            .status,
        400
    );
    let album = post_json(
        &emu,
        &other,
        "/v1/albums",
        json!({"album": {"title": "theirs"}}),
    )
    .await
    .json();
    // batchCreate into its album takes the shared item; batchAddMediaItems does not.
    let again = upload_token(&emu, &other, jpeg(0), "y.jpg").await;
    let mut into_album = new_items(&[again]);
    into_album["albumId"] = album["id"].clone();
    assert_eq!(batch_create(&emu, &other, into_album).await.status, 200);
    assert_eq!(emu.albums()[0].items, vec![id.clone()]);
    let add = post_json(
        &emu,
        &other,
        &format!(
            "/v1/albums/{}:batchAddMediaItems",
            album["id"].as_str().unwrap()
        ),
        json!({"mediaItemIds": [id]}),
    )
    .await;
    assert_eq!(
        add.json()["error"]["message"],
        "Request contains an invalid media item id."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_batch_create_while_one_runs_gets_429() {
    let emu = start(GooglePhotosConfig::default());
    let token = full_token(&emu).await;
    let t = tokens(&emu, &token, 0..2).await;
    emu.set_latency(Duration::from_millis(800));
    let (a, b) = tokio::join!(
        batch_create(&emu, &token, new_items(&t[..1])),
        batch_create(&emu, &token, new_items(&t[1..])),
    );
    let mut statuses = vec![a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, vec![200, 429]);
    let unused = if a.status == 429 { &t[..1] } else { &t[1..] };
    let refused = if a.status == 429 { a } else { b };
    assert_eq!(refused.json()["error"]["status"], "RESOURCE_EXHAUSTED");
    assert!(refused.text.contains("concurrent write request"));
    emu.set_latency(Duration::ZERO);
    assert_eq!(
        batch_create(&emu, &token, new_items(unused)).await.status,
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn listings_show_only_this_apps_items_with_googles_page_sizes() {
    let emu = start(GooglePhotosConfig {
        page_repeat_rate: 0.0,
        ..GooglePhotosConfig::default()
    });
    let token = full_token(&emu).await;
    let other = other_app_token(&emu).await;
    for n in 0..3 {
        create(&emu, &token, n * 50..n * 50 + 50).await;
    }
    create(&emu, &other, 1000..1005).await;
    let first = get(&emu, &token, "/v1/mediaItems").await.json();
    assert_eq!(ids(&first).len(), 25, "default page size");
    let mut seen = Vec::new();
    let mut page = get(&emu, &token, "/v1/mediaItems?pageSize=500")
        .await
        .json();
    loop {
        assert!(ids(&page).len() <= 100, "pages are cut to 100");
        seen.extend(ids(&page));
        let Some(next) = page["nextPageToken"].as_str() else {
            break;
        };
        page = get(
            &emu,
            &token,
            &format!("/v1/mediaItems?pageSize=500&pageToken={next}"),
        )
        .await
        .json();
    }
    assert_eq!(seen.len(), 150);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 150);
    assert_eq!(
        get(&emu, &other, "/v1/mediaItems").await.json()["mediaItems"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        get(&emu, &token, "/v1/mediaItems?pageToken=garbage")
            .await
            .status,
        400
    );

    let one = get(&emu, &token, &format!("/v1/mediaItems/{}", seen[0])).await;
    assert_eq!(one.json()["id"], Value::from(seen[0].clone()));
    let theirs = emu
        .items()
        .into_iter()
        .find(|i| i.app != emu.client_id())
        .unwrap()
        .id;
    let batch = get(
        &emu,
        &token,
        &format!(
            "/v1/mediaItems:batchGet?mediaItemIds={}&mediaItemIds={theirs}",
            seen[1]
        ),
    )
    .await
    .json();
    assert_eq!(
        batch["mediaItemResults"][0]["mediaItem"]["id"],
        Value::from(seen[1].clone())
    );
    assert_eq!(batch["mediaItemResults"][1]["status"]["code"], 3);
    let many: String = (0..51)
        .map(|_| format!("mediaItemIds={}&", seen[0]))
        .collect();
    assert_eq!(
        get(&emu, &token, &format!("/v1/mediaItems:batchGet?{many}"))
            .await
            .status,
        400
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_may_repeat_the_previous_pages_last_item() {
    let emu = start(GooglePhotosConfig {
        page_repeat_rate: 1.0,
        ..GooglePhotosConfig::default()
    });
    let token = full_token(&emu).await;
    create(&emu, &token, 0..10).await;
    let first = get(&emu, &token, "/v1/mediaItems?pageSize=4").await.json();
    let next = first["nextPageToken"].as_str().unwrap();
    let second = get(
        &emu,
        &token,
        &format!("/v1/mediaItems?pageSize=4&pageToken={next}"),
    )
    .await
    .json();
    assert_eq!(ids(&second)[0], ids(&first)[3], "the last item again");
    // A client that skips the repeat still sees every item once.
    let mut seen: Vec<String> = Vec::new();
    let mut page = first;
    loop {
        for id in ids(&page) {
            if seen.last() != Some(&id) {
                seen.push(id);
            }
        }
        let Some(next) = page["nextPageToken"].as_str() else {
            break;
        };
        page = get(
            &emu,
            &token,
            &format!("/v1/mediaItems?pageSize=4&pageToken={next}"),
        )
        .await
        .json();
    }
    assert_eq!(seen.len(), 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn search_by_album_or_filters_and_albums_hold_the_apps_items() {
    let emu = start(GooglePhotosConfig::default());
    let token = full_token(&emu).await;
    let album = post_json(
        &emu,
        &token,
        "/v1/albums",
        json!({"album": {"title": "2024"}}),
    )
    .await
    .json();
    let album_id = album["id"].as_str().unwrap().to_string();
    assert_eq!(album["isWriteable"], true);
    let t = tokens(&emu, &token, 0..3).await;
    let mut body = new_items(&t[..2]);
    body["albumId"] = json!(album_id);
    assert_eq!(batch_create(&emu, &token, body).await.status, 200);
    let loose = batch_create(&emu, &token, new_items(&t[2..])).await.json();
    let loose_id = loose["newMediaItemResults"][0]["mediaItem"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let add = post_json(
        &emu,
        &token,
        &format!("/v1/albums/{album_id}:batchAddMediaItems"),
        json!({"mediaItemIds": [loose_id]}),
    )
    .await;
    assert_eq!((add.status, add.text.as_str()), (200, "{}"));
    let listed = get(&emu, &token, "/v1/albums").await.json();
    assert_eq!(listed["albums"][0]["mediaItemsCount"], "3");
    let in_album = post_json(
        &emu,
        &token,
        "/v1/mediaItems:search",
        json!({"albumId": album_id}),
    )
    .await;
    assert_eq!(ids(&in_album.json()).len(), 3);
    assert!(emu
        .items()
        .iter()
        .all(|i| i.albums == vec![album_id.clone()]));

    let both =
        json!({"albumId": album_id, "filters": {"mediaTypeFilter": {"mediaTypes": ["PHOTO"]}}});
    assert_eq!(
        post_json(&emu, &token, "/v1/mediaItems:search", both)
            .await
            .status,
        400
    );
    let videos = json!({"filters": {"mediaTypeFilter": {"mediaTypes": ["VIDEO"]}}});
    assert_eq!(
        post_json(&emu, &token, "/v1/mediaItems:search", videos)
            .await
            .text,
        "{}"
    );
    let year: i64 = emu.items()[0].creation_time[..4].parse().unwrap();
    let dated = json!({"filters": {"dateFilter": {"dates": [{"year": year}]}}});
    assert_eq!(
        ids(&post_json(&emu, &token, "/v1/mediaItems:search", dated)
            .await
            .json())
        .len(),
        3
    );
    let six = json!({"filters": {"dateFilter": {"dates": vec![json!({"year": year}); 6]}}});
    assert_eq!(
        post_json(&emu, &token, "/v1/mediaItems:search", six)
            .await
            .status,
        400
    );
    let long = json!({"album": {"title": "t".repeat(501)}});
    assert_eq!(
        post_json(&emu, &token, "/v1/albums", long).await.status,
        400
    );

    let other = other_app_token(&emu).await;
    assert_eq!(get(&emu, &other, "/v1/albums").await.text, "{}");
    let foreign = post_json(
        &emu,
        &other,
        "/v1/mediaItems:batchCreate",
        json!({"albumId": album_id, "newMediaItems": [{"simpleMediaItem": {"uploadToken": "x"}}]}),
    )
    .await;
    assert_eq!(
        foreign.json()["error"]["message"],
        "No permission to add media items to this album."
    );
    let removed = post_json(
        &emu,
        &token,
        &format!("/v1/albums/{album_id}:batchRemoveMediaItems"),
        json!({"mediaItemIds": [loose_id]}),
    )
    .await;
    assert_eq!(removed.status, 200);
    assert_eq!(emu.albums()[0].items.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads_differ_from_the_original_and_base_urls_expire() {
    let emu = start(GooglePhotosConfig::default());
    let token = full_token(&emu).await;
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/exif-samples/jpg/Canon_40D.jpg");
    let original = std::fs::read(&fixture).expect("fixture");
    let t = upload_token(&emu, &token, original.clone(), "Canon_40D.jpg").await;
    let made = batch_create(&emu, &token, new_items(&[t])).await.json();
    let item = made["newMediaItemResults"][0]["mediaItem"].clone();
    assert_eq!(
        item["mediaMetadata"]["creationTime"], "2008-05-30T15:56:01Z",
        "from EXIF"
    );
    assert_eq!(item["mimeType"], "image/jpeg");
    let url = format!("{}=d", item["baseUrl"].as_str().unwrap());
    let got = http().get(&url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    let bytes = got.bytes().await.unwrap();
    assert!(!bytes.is_empty() && bytes.len() < original.len());
    assert_ne!(md5_hex(&bytes), md5_hex(&original));
    let head = http().head(&url).send().await.unwrap();
    let length = head.headers()["content-length"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(length, bytes.len().to_string());
    emu.advance_clock(Duration::from_secs(3601));
    assert_eq!(http().get(&url).send().await.unwrap().status(), 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daily_quota_runs_out_with_resource_exhausted_and_comes_back_the_next_day() {
    let emu = start(GooglePhotosConfig {
        daily_quota: 5,
        ..GooglePhotosConfig::default()
    });
    let token = full_token(&emu).await;
    for n in 0..5 {
        raw_upload(&emu, &token, jpeg(n), "a.jpg").await;
    }
    assert_eq!(emu.quota_used(), 5);
    let refused = get(&emu, &token, "/v1/mediaItems").await;
    assert_eq!(refused.status, 429);
    let error = &refused.json()["error"];
    assert_eq!(error["status"], "RESOURCE_EXHAUSTED");
    assert_eq!(error["errors"][0]["reason"], "rateLimitExceeded");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("'All requests per day'"));
    assert_eq!(emu.quota_used(), 5, "refusals are not counted");
    let other = other_app_token(&emu).await;
    assert_eq!(
        get(&emu, &other, "/v1/mediaItems").await.status,
        200,
        "another project"
    );
    emu.advance_clock(Duration::from_secs(86_400));
    let token = full_token(&emu).await;
    assert_eq!(get(&emu, &token, "/v1/mediaItems").await.status, 200);
    assert_eq!(emu.quota_used(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_fault_kind_shows_as_google_would() {
    let emu = start(GooglePhotosConfig {
        fault_rate: 1.0,
        ..GooglePhotosConfig::default()
    });
    let token = full_token(&emu).await;
    emu.set_fault_rate(0.0);
    let t = tokens(&emu, &token, 0..3).await;
    emu.set_fault_rate(1.0);
    let status_of = |kind: FaultKind| {
        emu.set_fault_kinds(&[kind]);
        get(&emu, &token, "/v1/mediaItems")
    };
    for (kind, status, name) in [
        (FaultKind::Http500, 500, "INTERNAL"),
        (FaultKind::Http503, 503, "UNAVAILABLE"),
        (FaultKind::Http429, 429, "RESOURCE_EXHAUSTED"),
        (FaultKind::Aborted, 409, "ABORTED"),
    ] {
        let a = status_of(kind).await;
        assert_eq!(
            (a.status, a.json()["error"]["status"].clone()),
            (status, name.into()),
            "{kind:?}"
        );
    }
    emu.set_fault_kinds(&[FaultKind::DropBeforeAnswer]);
    assert!(http()
        .get(format!("{}/v1/mediaItems", emu.endpoint()))
        .bearer_auth(&token)
        .send()
        .await
        .is_err());
    assert!(emu.items().is_empty());

    emu.set_fault_kinds(&[FaultKind::DropAfterWork]);
    assert!(http()
        .get(format!("{}/v1/mediaItems", emu.endpoint()))
        .bearer_auth(&token)
        .send()
        .await
        .is_err());
    let dropped = http()
        .post(format!("{}/v1/mediaItems:batchCreate", emu.endpoint()))
        .bearer_auth(&token)
        .body(new_items(&t[..1]).to_string())
        .send()
        .await;
    assert!(dropped.is_err(), "no answer");
    assert_eq!(emu.items().len(), 1, "but the item was created");

    emu.set_fault_kinds(&[FaultKind::ItemFailed]);
    let partial = batch_create(&emu, &token, new_items(&t[1..])).await;
    assert_eq!(partial.status, 200);
    let codes: Vec<Value> = partial.json()["newMediaItemResults"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"]["code"].clone())
        .collect();
    assert_eq!(codes.iter().filter(|c| **c == json!(13)).count(), 1);
    assert_eq!(emu.items().len(), 2);
    assert!(emu.call_counts()["mediaItems.batchCreate"] >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_seed_gives_the_same_faults_and_reset_forgets_the_library() {
    let run = |seed| async move {
        let emu = start(GooglePhotosConfig {
            seed,
            ..GooglePhotosConfig::default()
        });
        let token = full_token(&emu).await;
        emu.set_fault_kinds(&[FaultKind::Http500, FaultKind::Http503, FaultKind::Aborted]);
        emu.set_fault_rate(0.5);
        let mut statuses = Vec::new();
        for _ in 0..12 {
            statuses.push(get(&emu, &token, "/v1/mediaItems").await.status);
        }
        (emu.client_id(), statuses)
    };
    let (a, b) = (run(9).await, run(9).await);
    assert_eq!(a, b);
    assert!(a.1.iter().collect::<HashSet<_>>().len() > 1);

    let emu = start(GooglePhotosConfig::default());
    let token = full_token(&emu).await;
    create(&emu, &token, 0..2).await;
    emu.reset();
    assert!(emu.items().is_empty() && emu.call_counts().is_empty());
    assert_eq!(emu.quota_used(), 0);
    assert_eq!(
        get(&emu, &token, "/v1/mediaItems").await.text,
        "{}",
        "tokens survive a reset"
    );
}
