//! The Google Photos emulator's uploads: raw, the resumable protocol (granularity, offsets,
//! query, finalize, a cut midway then resumed), the bare 401, and tokens that live a day.

mod gphotos_common;

use std::time::Duration;

use gphotos_common::*;
use photosync::emulators::gphotos::{
    BadToken, FaultKind, GooglePhotosConfig, GooglePhotosEmulator,
};

const GRANULE: u64 = 1024;

fn config() -> GooglePhotosConfig {
    GooglePhotosConfig {
        chunk_granularity: GRANULE,
        ..GooglePhotosConfig::default()
    }
}

async fn start_session(emu: &GooglePhotosEmulator, token: &str, size: usize) -> Answer {
    answer(
        http()
            .post(format!("{}/v1/uploads", emu.endpoint()))
            .bearer_auth(token)
            .header("content-length", "0")
            .header("x-goog-upload-command", "start")
            .header("x-goog-upload-content-type", "image/jpeg")
            .header("x-goog-upload-file-name", "big%20one.jpg")
            .header("x-goog-upload-protocol", "resumable")
            .header("x-goog-upload-raw-size", size.to_string()),
    )
    .await
}

async fn chunk(url: &str, command: &str, offset: usize, bytes: &[u8]) -> Answer {
    answer(
        http()
            .post(url)
            .header("x-goog-upload-command", command)
            .header("x-goog-upload-offset", offset.to_string())
            .body(bytes.to_vec()),
    )
    .await
}

async fn query(url: &str) -> Answer {
    answer(http().post(url).header("x-goog-upload-command", "query")).await
}

fn big(len: usize) -> Vec<u8> {
    let mut bytes = jpeg(7);
    bytes.extend((0..len).map(|i| (i * 31 % 251) as u8));
    bytes.truncate(len);
    // A whole JPEG ends with its end-of-image marker.
    let end = bytes.len();
    bytes[end - 2..].copy_from_slice(&[0xFF, 0xD9]);
    bytes
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_upload_answers_a_plain_token_and_stores_the_bytes_once_created() {
    let emu = start(config());
    let token = full_token(&emu).await;
    let a = raw_upload(&emu, &token, jpeg(1), "one.jpg").await;
    assert_eq!(a.status, 200);
    assert!(a.text.len() > 20 && !a.text.contains(char::is_whitespace));
    let created = batch_create(&emu, &token, new_items(&[a.text])).await;
    let item = &created.json()["newMediaItemResults"][0]["mediaItem"];
    assert_eq!(item["filename"], "one.jpg");
    assert_eq!(emu.items()[0].md5, md5_hex(&jpeg(1)));
    assert_eq!(emu.call_counts()["uploads"], 1);

    let none = answer(
        http()
            .post(format!("{}/v1/uploads", emu.endpoint()))
            .body(jpeg(2)),
    )
    .await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json()["code"], 16);
    assert!(none.json().get("error").is_none(), "bare, no envelope");
}

#[tokio::test(flavor = "multi_thread")]
async fn resumable_upload_checks_granularity_and_offsets_and_finalizes_to_a_token() {
    let emu = start(config());
    let token = full_token(&emu).await;
    let bytes = big(5 * GRANULE as usize + 100);
    let started = start_session(&emu, &token, bytes.len()).await;
    assert_eq!(started.status, 200);
    assert_eq!(
        started.header("x-goog-upload-chunk-granularity").as_deref(),
        Some("1024")
    );
    let url = started.header("x-goog-upload-url").unwrap();

    let ragged = chunk(&url, "upload", 0, &bytes[..1000]).await;
    assert_eq!(ragged.status, 400, "a middle chunk must be whole granules");
    let first = chunk(&url, "upload", 0, &bytes[..2048]).await;
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("x-goog-upload-status").as_deref(),
        Some("active")
    );
    let wrong = chunk(&url, "upload", 0, &bytes[..1024]).await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        wrong.header("x-goog-upload-size-received").as_deref(),
        Some("2048")
    );
    let q = query(&url).await;
    assert_eq!(
        q.header("x-goog-upload-size-received").as_deref(),
        Some("2048")
    );

    let last = chunk(&url, "upload, finalize", 2048, &bytes[2048..]).await;
    assert_eq!(last.status, 200);
    assert_eq!(
        last.header("x-goog-upload-status").as_deref(),
        Some("final")
    );
    let upload_token = last.text.clone();
    assert_eq!(
        query(&url).await.text,
        upload_token,
        "query after final repeats the token"
    );

    let created = batch_create(&emu, &token, new_items(&[upload_token])).await;
    assert_eq!(
        created.json()["newMediaItemResults"][0]["mediaItem"]["filename"],
        "big one.jpg"
    );
    assert_eq!(emu.items()[0].md5, md5_hex(&bytes));
    assert_eq!(emu.items()[0].size, bytes.len() as u64);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_upload_keeps_whole_granules_and_resumes_from_the_queried_offset() {
    let emu = start(config());
    let token = full_token(&emu).await;
    let bytes = big(10 * GRANULE as usize);
    let url = start_session(&emu, &token, bytes.len())
        .await
        .header("x-goog-upload-url")
        .unwrap();
    emu.set_fault_kinds(&[FaultKind::CutUpload]);
    emu.set_fault_rate(1.0);
    let cut = http()
        .post(&url)
        .header("x-goog-upload-command", "upload")
        .header("x-goog-upload-offset", "0")
        .body(bytes[..8 * GRANULE as usize].to_vec())
        .send()
        .await;
    assert!(cut.is_err(), "the connection is dropped midway");
    emu.set_fault_rate(0.0);
    let q = query(&url).await;
    assert_eq!(q.header("x-goog-upload-status").as_deref(), Some("active"));
    let received: usize = q
        .header("x-goog-upload-size-received")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        received,
        4 * GRANULE as usize,
        "half the chunk, in whole granules"
    );

    let rest = chunk(&url, "upload, finalize", received, &bytes[received..]).await;
    assert_eq!(rest.status, 200, "{}", rest.text);
    let created = batch_create(&emu, &token, new_items(&[rest.text])).await;
    assert_eq!(created.status, 200);
    assert_eq!(
        emu.items()[0].md5,
        md5_hex(&bytes),
        "resumed, not restarted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_finalize_whose_answer_was_lost_is_found_final_by_query() {
    let emu = start(config());
    let token = full_token(&emu).await;
    let bytes = big(3000);
    let url = start_session(&emu, &token, bytes.len())
        .await
        .header("x-goog-upload-url")
        .unwrap();
    emu.set_fault_kinds(&[FaultKind::DropAfterWork]);
    emu.set_fault_rate(1.0);
    let lost = http()
        .post(&url)
        .header("x-goog-upload-command", "upload, finalize")
        .header("x-goog-upload-offset", "0")
        .body(bytes.clone())
        .send()
        .await;
    assert!(lost.is_err());
    emu.set_fault_rate(0.0);
    let q = query(&url).await;
    assert_eq!(q.header("x-goog-upload-status").as_deref(), Some("final"));
    assert_eq!(
        q.header("x-goog-upload-size-received").as_deref(),
        Some("3000")
    );
    let created = batch_create(&emu, &token, new_items(&[q.text])).await;
    assert_eq!(created.status, 200);
    assert_eq!(emu.items()[0].md5, md5_hex(&bytes));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_raw_upload_stores_nothing_and_a_cancelled_session_takes_no_more() {
    let emu = start(config());
    let token = full_token(&emu).await;
    emu.set_fault_kinds(&[FaultKind::CutUpload]);
    emu.set_fault_rate(1.0);
    let cut = http()
        .post(format!("{}/v1/uploads", emu.endpoint()))
        .bearer_auth(&token)
        .body(big(4096))
        .send()
        .await;
    assert!(cut.is_err());
    emu.set_fault_rate(0.0);
    let url = start_session(&emu, &token, 2048)
        .await
        .header("x-goog-upload-url")
        .unwrap();
    let cancel = answer(http().post(&url).header("x-goog-upload-command", "cancel")).await;
    assert_eq!(cancel.status, 200);
    assert_eq!(
        query(&url).await.header("x-goog-upload-status").as_deref(),
        Some("cancelled")
    );
    assert_eq!(
        chunk(&url, "upload, finalize", 0, &big(2048)).await.status,
        400
    );
    assert!(emu.items().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_tokens_live_a_day() {
    // Answered item by item (by default one expired token fails the whole call).
    let emu = start(GooglePhotosConfig {
        bad_token: BadToken::PerItem,
        ..config()
    });
    let token = full_token(&emu).await;
    let fresh = upload_token(&emu, &token, jpeg(1), "a.jpg").await;
    let old = upload_token(&emu, &token, jpeg(2), "b.jpg").await;
    emu.advance_clock(Duration::from_secs(86_400));
    let token = full_token(&emu).await;
    let newer = upload_token(&emu, &token, jpeg(3), "c.jpg").await;
    let created = batch_create(&emu, &token, new_items(&[fresh, old, newer])).await;
    let results = created.json()["newMediaItemResults"].clone();
    assert_eq!(results[0]["status"]["code"], 3);
    assert_eq!(results[1]["status"]["code"], 3);
    assert!(results[0].get("mediaItem").is_none());
    assert_eq!(results[2]["status"]["message"], "Success");
    assert!(
        results[2]["status"].get("code").is_none(),
        "code 0 is left out, as Google does"
    );
    assert_eq!(emu.items().len(), 1);
}
