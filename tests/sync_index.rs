//! The remote index of an account with more photos than Flickr returns for one query
//! (4,000): every checksum is seen, in about one call per 500 photos.

mod sync_common;

use photosync::catalog::Catalog;
use photosync::emulator::EmulatorConfig;
use photosync::flickr::Client;
use std::path::PathBuf;
use sync_common::*;

/// Uploads `n` distinct small photos with their checksum tags, 8 at a time.
fn fill(client: &Client, dir: &std::path::Path, n: usize) -> Vec<PathBuf> {
    let paths = write_photos(dir, "old", n);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for path in paths.clone() {
            if set.len() >= 8 {
                set.join_next().await.unwrap().unwrap();
            }
            let client = client.clone();
            set.spawn(async move {
                let md5 = photosync::hash::md5_file(&path).unwrap();
                let params = vec![("tags".to_string(), format!("checksum:md5={md5}"))];
                client.upload(&path, &params, false).await.unwrap();
            });
        }
        while let Some(done) = set.join_next().await {
            done.unwrap();
        }
    });
    paths
}

#[test]
fn an_account_past_the_4000_result_ceiling_is_indexed_whole() {
    let emu = emulator(EmulatorConfig {
        calls_per_hour: 100_000,
        ..EmulatorConfig::default()
    });
    let client = client_for(&emu);
    let account = tempfile::tempdir().unwrap();
    let old = fill(&client, account.path(), 4010);
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
    // Login, 8 pages of 500, then the rest from the last upload date read.
    assert!(report.index_calls <= 1 + 9 + 2, "{}", report.index_calls);
    assert_eq!(emu.photos().len(), 4011);
}
