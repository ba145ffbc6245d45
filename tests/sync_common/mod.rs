//! What the sync tests share: an emulator and a client for it, a small library of
//! distinct generated JPEGs, a scan of it, and options that retry without long waits.
#![allow(dead_code)]

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::flickr::api::{Client, Credentials, Endpoints, UploadAnswer};
use photosync::destinations::flickr::sync::{self, SyncError, SyncEvent, SyncOptions, SyncReport};
use photosync::emulators::flickr::{Emulator, EmulatorConfig, PhotoRecord};
use photosync::library::photo::Photo;
use photosync::library::scan::{self, ScanOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

pub fn emulator(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).expect("emulator starts")
}

pub fn client_for(emu: &Emulator) -> Client {
    Client::new(
        Credentials {
            api_key: emu.api_key(),
            shared_secret: emu.shared_secret(),
            access_token: Some(emu.access_token()),
            access_secret: Some(emu.access_secret()),
        },
        Endpoints::under(&emu.endpoint()),
    )
    .unwrap()
}

/// The bytes of a small "JPEG" that differs for every `salt`.
pub fn jpeg_bytes(salt: &str) -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    bytes.extend_from_slice(salt.as_bytes());
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

/// A JPEG the image-data walker accepts: `meta` goes into an APP1 segment, `pixels`
/// into the entropy-coded data.
pub fn jpeg(meta: &str, pixels: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE1];
    v.extend(((meta.len() + 2) as u16).to_be_bytes());
    v.extend(meta.as_bytes());
    v.extend([0xFF, 0xDB, 0x00, 0x03, 0x00]);
    v.extend([0xFF, 0xC0, 0x00, 0x05, 0x08, 0x00, 0x10]);
    v.extend([0xFF, 0xDA, 0x00, 0x03, 0x01]);
    v.extend(pixels);
    v.extend([0xFF, 0xD9]);
    v
}

pub fn md5_hex(bytes: &[u8]) -> String {
    photosync::library::hash::hex(&{
        use md5::Digest;
        md5::Md5::digest(bytes)
    })
}

/// Writes `n` distinct photos `<prefix>-<i>.jpg` into `dir`.
pub fn write_photos(dir: &Path, prefix: &str, n: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let path = dir.join(format!("{prefix}-{i}.jpg"));
            std::fs::write(&path, jpeg_bytes(&format!("{prefix}/{i}"))).unwrap();
            path
        })
        .collect()
}

/// The photos under `dir`, as the scanner finds them.
pub fn scan(dir: &Path, catalog: &mut Catalog) -> Vec<Photo> {
    let report = scan::scan(
        dir,
        catalog,
        &ScanOptions::default(),
        &Cancel::new(),
        &mut |_| {},
    )
    .expect("scan");
    report.photos
}

/// Options for tests: short retry delays, and the default budget of 3,600 calls
/// counted over 10 seconds instead of an hour, so the pacer does not slow tests down.
/// The lookup delay stays longer than the emulator's default search lag, as the
/// client's must be longer than Flickr's.
pub fn fast_options() -> SyncOptions {
    SyncOptions {
        retry_delay: Duration::from_millis(5),
        lookup_delay: photosync::emulators::flickr::SEARCH_LAG + Duration::from_millis(500),
        budget_window: Duration::from_secs(10),
        ..SyncOptions::default()
    }
}

/// Runs a sync and collects its events.
pub fn run(
    photos: &[Photo],
    catalog: &mut Catalog,
    client: &Client,
    opts: &SyncOptions,
) -> (Result<SyncReport, SyncError>, Vec<SyncEvent>) {
    let events = Mutex::new(Vec::new());
    let result = sync::sync_flickr(photos, catalog, client, opts, &Cancel::new(), &|e| {
        events.lock().unwrap().push(e)
    });
    (result, events.into_inner().unwrap())
}

/// Uploads `path` as the old flickraw script did: only the checksum tag.
pub fn upload_like_the_old_script(client: &Client, path: &Path) -> String {
    let md5 = photosync::library::hash::md5_file(path).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let params = vec![
        ("title".to_string(), "old".to_string()),
        ("tags".to_string(), format!("checksum:md5={md5}")),
    ];
    match rt.block_on(client.upload(path, &params, false)).unwrap() {
        UploadAnswer::PhotoId(id) => id,
        other => panic!("{other:?}"),
    }
}

/// How many photos on the emulator hold each MD5.
pub fn md5_counts(photos: &[PhotoRecord]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for p in photos {
        *counts.entry(p.md5.clone()).or_insert(0) += 1;
    }
    counts
}

/// The MD5s of `photos`, each once.
pub fn local_md5s(photos: &[Photo]) -> std::collections::BTreeSet<String> {
    photos.iter().filter_map(|p| p.md5.clone()).collect()
}

pub fn total_calls(emu: &Emulator) -> u64 {
    emu.call_counts().values().sum()
}

/// Asserts that every local MD5 is on the emulator exactly once, and nothing else is.
pub fn assert_each_exactly_once(emu: &Emulator, photos: &[Photo]) {
    let counts = md5_counts(&emu.photos());
    assert_eq!(
        counts
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        local_md5s(photos)
    );
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
}

/// Uploads `n` distinct small photos with their checksum tags, 8 at a time.
pub fn fill_account(client: &Client, dir: &std::path::Path, n: usize) -> Vec<PathBuf> {
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
                let md5 = photosync::library::hash::md5_file(&path).unwrap();
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

/// A test's world: an emulator, a client for it, a library folder and its scan.
pub struct World {
    pub emu: Emulator,
    pub client: Client,
    pub dir: tempfile::TempDir,
    pub catalog: Catalog,
    pub photos: Vec<Photo>,
}

impl World {
    /// `folders`: (folder under the library, file prefix, count) to write before the scan.
    pub fn new(config: EmulatorConfig, folders: &[(&str, &str, usize)]) -> World {
        Self::filled(config, |_, dir| {
            for (folder, prefix, n) in folders {
                write_photos(&dir.join(folder), prefix, *n);
            }
        })
    }

    /// `fill` writes the library (and may upload to the emulator) before the scan.
    pub fn filled(config: EmulatorConfig, fill: impl FnOnce(&Client, &Path)) -> World {
        let emu = emulator(config);
        let client = client_for(&emu);
        let dir = tempfile::tempdir().unwrap();
        fill(&client, dir.path());
        let mut catalog = Catalog::in_memory().unwrap();
        let photos = scan(dir.path(), &mut catalog);
        World {
            emu,
            client,
            dir,
            catalog,
            photos,
        }
    }

    pub fn sync(&mut self, opts: &SyncOptions) -> (Result<SyncReport, SyncError>, Vec<SyncEvent>) {
        run(&self.photos, &mut self.catalog, &self.client, opts)
    }

    pub fn rescan(&mut self) {
        self.photos = scan(self.dir.path(), &mut self.catalog);
    }
}
