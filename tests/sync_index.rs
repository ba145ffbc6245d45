//! The remote index of an account with more photos than Flickr returns for one query
//! (4,000): every checksum is seen, in about one call per 500 photos.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::emulators::flickr::EmulatorConfig;
use sync_common::*;

#[test]
fn an_account_past_the_4000_result_ceiling_is_indexed_whole() {
    let emu = emulator(EmulatorConfig {
        calls_per_hour: 100_000,
        ..EmulatorConfig::instant_search()
    });
    let client = client_for(&emu);
    let account = tempfile::tempdir().unwrap();
    let old = fill_account(&client, account.path(), 4010);
    // The local library: the first and the last photo uploaded, and one new one.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&old[0], dir.path().join("first.jpg")).unwrap();
    std::fs::copy(&old[4009], dir.path().join("last.jpg")).unwrap();
    write_photos(dir.path(), "new", 1);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!((report.uploaded, report.skipped), (1, 2));
    assert_eq!(report.remote_only, 4008);
    let backend = format!("flickr:{}", emu.user_nsid());
    assert_eq!(catalog.remote_index(&backend).unwrap().len(), 4011);
    // Login, 8 pages of 500, then the rest from the last upload date read. Photos that
    // share the upload second where a new query starts are read again, and how many do
    // depends on how fast the account was filled: the bound is the issue's,
    // ceil(N/500) + 10.
    assert!(
        report.index_calls <= 4011_u64.div_ceil(500) + 10,
        "{}",
        report.index_calls
    );
    assert_eq!(emu.photos().len(), 4011);
}

/// Flickr-side deletions are only seen by a full read, done once a month.
#[test]
fn a_photo_deleted_on_flickr_is_uploaded_again_after_the_monthly_full_read() {
    let emu = emulator(EmulatorConfig::instant_search());
    let client = client_for(&emu);
    let dir = tempfile::tempdir().unwrap();
    let paths = write_photos(dir.path(), "p", 2);
    // Its own client: a pooled connection must not outlive the runtime driving it.
    let admin = client_for(&emu);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let call = |method: &str, params: &[(&str, &str)]| {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        rt.block_on(admin.call(method, &params)).unwrap()
    };
    // Both backed up years ago by the old script.
    for path in &paths {
        let id = upload_like_the_old_script(&client, path);
        call(
            "flickr.photos.setDates",
            &[("photo_id", &id), ("date_posted", "1436000000")],
        );
    }
    let catalog_file = dir.path().join("catalog.sqlite3");
    let mut catalog = Catalog::open(&catalog_file).unwrap();
    let photos = scan(dir.path(), &mut catalog);
    assert_eq!(
        run(&photos, &mut catalog, &client, &fast_options())
            .0
            .unwrap()
            .uploaded,
        0
    );
    let deleted = emu.photos()[0].clone();
    call("flickr.photos.delete", &[("photo_id", &deleted.id)]);

    // Within the month the incremental index does not notice...
    assert_eq!(
        run(&photos, &mut catalog, &client, &fast_options())
            .0
            .unwrap()
            .uploaded,
        0
    );
    // ...a month later the full read does, and the photo goes up again.
    rusqlite::Connection::open(&catalog_file)
        .unwrap()
        .execute("UPDATE remote_index SET full_at = full_at - 31 * 86400", [])
        .unwrap();
    let report = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!(report.uploaded, 1);
    let md5s: Vec<String> = emu.photos().into_iter().map(|p| p.md5).collect();
    assert_eq!(md5s.len(), 2);
    assert!(md5s.contains(&deleted.md5));
}

/// The next run reads only what was uploaded since the last one (minus a day's margin):
/// over an account backed up years ago, one page, whatever the account's size.
#[test]
fn the_next_run_reads_only_photos_uploaded_since_the_last() {
    let emu = emulator(EmulatorConfig {
        calls_per_hour: 100_000,
        ..EmulatorConfig::instant_search()
    });
    let client = client_for(&emu);
    let account = tempfile::tempdir().unwrap();
    fill_account(&client, account.path(), 1200);
    let admin = client_for(&emu);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        for (i, photo) in emu.photos().iter().enumerate() {
            let posted = (1_420_000_000 + i as i64 * 3600).to_string();
            let params = vec![
                ("photo_id".to_string(), photo.id.clone()),
                ("date_posted".to_string(), posted),
            ];
            admin.call("flickr.photos.setDates", &params).await.unwrap();
        }
    });
    let dir = tempfile::tempdir().unwrap();
    write_photos(dir.path(), "new", 2);
    let mut catalog = Catalog::in_memory().unwrap();
    let photos = scan(dir.path(), &mut catalog);

    let first = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();
    let second = run(&photos, &mut catalog, &client, &fast_options())
        .0
        .unwrap();

    assert_eq!((first.uploaded, first.remote_only), (2, 1200));
    // Login and three pages of 500.
    assert_eq!(first.index_calls, 4);
    // Login and one page: the two photos uploaded by the first run.
    assert_eq!((second.uploaded, second.remote_only), (0, 1200));
    assert_eq!(second.index_calls, 2);
}
