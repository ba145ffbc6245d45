//! The Google Photos client's own calls against the emulator: albums, the listing without
//! the page-repeat quirk, and a token refreshed when it has expired.

use photosync::cancel::Cancel;
use photosync::destinations::gphotos::api::{
    Client, Config, Endpoints, GphotosError, NewItem, RetryPolicy,
};
use photosync::emulators::gphotos::{scopes, GooglePhotosConfig, GooglePhotosEmulator};
use std::time::Duration;

fn setup(config: GooglePhotosConfig) -> (GooglePhotosEmulator, Client) {
    let emu = GooglePhotosEmulator::start(config).unwrap();
    let config = Config {
        client_id: emu.client_id(),
        client_secret: emu.client_secret(),
        refresh_token: emu.refresh_token(&scopes::ALL),
        endpoints: Endpoints::under(&emu.endpoint()),
    };
    (emu, Client::new(config, RetryPolicy::default()).unwrap())
}

fn jpeg(salt: usize) -> Vec<u8> {
    // A whole APP0 segment (16 bytes, as its length says), then data and the end marker.
    let mut b = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    b.extend_from_slice(format!("item {salt}").as_bytes());
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

async fn create(client: &Client, dir: &std::path::Path, n: usize) -> Vec<String> {
    let quiet = |_: u32, _: &GphotosError| {};
    let mut items = Vec::new();
    for i in 0..n {
        let path = dir.join(format!("{i}.jpg"));
        std::fs::write(&path, jpeg(i)).unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let up = client
            .upload(
                &path,
                size,
                "image/jpeg",
                "a.jpg",
                1 << 20,
                1 << 20,
                &Cancel::new(),
                &quiet,
            )
            .await
            .unwrap();
        items.push(NewItem {
            upload_token: up.token,
            file_name: format!("{i}.jpg"),
            description: format!("checksum:md5={i:032x}"),
        });
    }
    let mut ids = Vec::new();
    for chunk in items.chunks(50) {
        for status in client.batch_create(chunk, None).await.unwrap() {
            match status {
                photosync::destinations::gphotos::api::ItemStatus::Created { id } => ids.push(id),
                other => panic!("{other:?}"),
            }
        }
    }
    ids
}

#[test]
fn albums_are_created_and_filled_and_the_listing_has_each_item_once() {
    let (emu, client) = setup(GooglePhotosConfig {
        page_repeat_rate: 1.0,
        ..GooglePhotosConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ids = create(&client, dir.path(), 230).await;
        let album = client.create_album("2019/Rome").await.unwrap();
        client.add_to_album(&album, &ids[..50]).await.unwrap();
        client.add_to_album(&album, &ids[50..60]).await.unwrap();
        let listed = client.list_all(&Cancel::new(), &|_, _| {}).await.unwrap();
        assert_eq!(listed.len(), 230);
        assert!(emu.call_counts()["mediaItems.list"] >= 3);
        let too_many = client.add_to_album(&album, &ids[..51]).await;
        assert!(too_many.is_err());
    });
    let albums = emu.albums();
    assert_eq!(albums.len(), 1);
    assert_eq!(
        (albums[0].title.as_str(), albums[0].items.len()),
        ("2019/Rome", 60)
    );
}

#[test]
fn an_expired_access_token_is_refreshed() {
    let (emu, client) = setup(GooglePhotosConfig::default());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        client.list_page(None).await.unwrap();
        emu.advance_clock(Duration::from_secs(2 * 3600));
        // The cached token is dead on the server: the 401 gets a fresh one.
        client.list_page(None).await.unwrap();
    });
    assert_eq!(emu.call_counts()["oauth.token"], 2);
}
