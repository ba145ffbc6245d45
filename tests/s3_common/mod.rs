//! A real S3 server for the tests: s3s-fs (the s3s project's file-system server, which
//! verifies Content-MD5 and the x-amz-checksum-* headers like AWS), installed under
//! vendor/ by bin/setup, started on a random port over a temporary folder, with one
//! bucket, and stopped when dropped.

#![allow(dead_code)]

use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::destinations::s3::{self, Connection, S3Options, S3Report, S3Url};
use photosync::library::photo::Photo;
use photosync::library::scan::{self, ScanOptions};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const KEY_ID: &str = "photosync-test";
pub const SECRET: &str = "photosync-test-secret";
pub const BUCKET: &str = "photos";

pub struct S3Server {
    child: Child,
    pub endpoint: String,
    /// Where the server keeps its buckets: `root/<bucket>/<key>`.
    pub root: tempfile::TempDir,
}

/// The server's binary: `PHOTOSYNC_S3_SERVER`, else the one bin/setup installs.
pub fn server_binary() -> PathBuf {
    std::env::var_os("PHOTOSYNC_S3_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor/s3s-fs/bin/s3s-fs"))
}

impl S3Server {
    pub fn start() -> S3Server {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(BUCKET)).unwrap();
        let binary = server_binary();
        let mut child = Command::new(&binary)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(["--access-key", KEY_ID, "--secret-key", SECRET])
            .arg(root.path())
            .env("RUST_LOG", "s3s_fs=info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}; run bin/setup", binary.display()));
        let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
        let endpoint = out.by_ref().map_while(Result::ok).find_map(|line| {
            let at = line.find("server is running at ")?;
            Some(line[at + 21..].trim().to_string())
        });
        // Keep reading what it says, so that it never blocks on a full pipe.
        std::thread::spawn(move || out.for_each(drop));
        S3Server {
            child,
            endpoint: endpoint.expect("the S3 server did not say its address"),
            root,
        }
    }

    pub fn url(&self, prefix: &str) -> S3Url {
        S3Url::parse(&format!("s3://{BUCKET}/{prefix}")).unwrap()
    }

    pub fn connection(&self) -> Connection {
        Connection {
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".into()),
            access_key_id: Some(KEY_ID.into()),
            secret_access_key: Some(SECRET.into()),
            session_token: None,
        }
    }

    /// The file that holds the object `key` (bucket-relative).
    pub fn object_file(&self, key: &str) -> PathBuf {
        self.root.path().join(BUCKET).join(key)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the proxy does to the requests it passes on.
#[derive(Default)]
pub struct Faults {
    /// Answer this many requests with S3's `503 SlowDown` without passing them on.
    pub slow_down: std::sync::atomic::AtomicU32,
    /// Flip one byte in the body of this many PUTs on the way.
    pub corrupt_puts: std::sync::atomic::AtomicU32,
    /// Milliseconds each request waits before it is passed on (a slow uplink).
    pub delay_ms: std::sync::atomic::AtomicU64,
    /// Requests passed on, and answered with a fault.
    pub passed: std::sync::atomic::AtomicU32,
    pub faulted: std::sync::atomic::AtomicU32,
    /// Objects (request paths, `/bucket/key`) kept as AWS keeps DEEP_ARCHIVE ones, which
    /// s3s-fs does not model: see [`cold_answer`].
    pub cold: std::sync::Mutex<std::collections::HashMap<String, Thaw>>,
}

/// Where an archived object's thaw stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Thaw {
    None,
    Ongoing,
    Done,
}

impl Faults {
    /// `key` (bucket-relative) is in DEEP_ARCHIVE from now on, with no thaw asked for.
    pub fn freeze(&self, key: &str) {
        let path = format!("/{BUCKET}/{key}");
        self.cold.lock().unwrap().insert(path, Thaw::None);
    }

    /// Every thaw asked for is done.
    pub fn finish_thaws(&self) {
        for state in self.cold.lock().unwrap().values_mut() {
            if *state == Thaw::Ongoing {
                *state = Thaw::Done;
            }
        }
    }
}

/// What AWS answers about an object in DEEP_ARCHIVE, per
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html> and the
/// RestoreObject reference (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html>):
/// a GET before the thaw is done is `403 InvalidObjectState`; a HEAD names the class
/// (`x-amz-storage-class`) and the thaw (`x-amz-restore`); `POST ?restore` answers `202
/// Accepted`, or `409 RestoreAlreadyInProgress` while one is under way. None: the request
/// goes on to the server, with `extra` headers added to its answer.
fn cold_answer(faults: &Faults, head: &[u8], extra: &mut String) -> Option<String> {
    let line = String::from_utf8_lossy(head.split(|b| *b == b'\r').next().unwrap_or(&[]));
    let mut words = line.split(' ');
    let (method, target) = (words.next()?, words.next()?);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut cold = faults.cold.lock().unwrap();
    let state = cold.get_mut(path)?;
    let error = |status: &str, code: &str| {
        let xml =
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code></Error>");
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
            xml.len()
        )
    };
    match (method, *state) {
        ("POST", Thaw::Ongoing) if query.starts_with("restore") => {
            Some(error("409 Conflict", "RestoreAlreadyInProgress"))
        }
        ("POST", _) if query.starts_with("restore") => {
            *state = Thaw::Ongoing;
            Some("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into())
        }
        ("GET", Thaw::None | Thaw::Ongoing) => Some(error("403 Forbidden", "InvalidObjectState")),
        ("HEAD", state) => {
            extra.push_str("x-amz-storage-class: DEEP_ARCHIVE\r\n");
            match state {
                Thaw::None => {}
                Thaw::Ongoing => extra.push_str("x-amz-restore: ongoing-request=\"true\"\r\n"),
                Thaw::Done => extra.push_str(
                    "x-amz-restore: ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2035 00:00:00 GMT\"\r\n",
                ),
            }
            None
        }
        _ => None,
    }
}

/// A proxy in front of the server that damages what the network can: one request per
/// connection (it answers `Connection: close`), so each request can be judged alone.
pub struct FaultyProxy {
    pub endpoint: String,
    pub faults: std::sync::Arc<Faults>,
}

impl FaultyProxy {
    pub fn start(upstream: &str) -> FaultyProxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let faults = std::sync::Arc::new(Faults::default());
        let shared = faults.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().map_while(Result::ok) {
                let (faults, upstream) = (shared.clone(), upstream.clone());
                std::thread::spawn(move || {
                    let _ = proxy_one(conn, &upstream, &faults);
                });
            }
        });
        FaultyProxy { endpoint, faults }
    }
}

fn take_one(counter: &std::sync::atomic::AtomicU32) -> bool {
    use std::sync::atomic::Ordering;
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

fn proxy_one(
    mut client: std::net::TcpStream,
    upstream: &str,
    faults: &Faults,
) -> std::io::Result<()> {
    use std::io::{Read, Write};
    use std::sync::atomic::Ordering;
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("connection:") {
            continue;
        }
        if line == "\r\n" {
            head.extend_from_slice(b"Connection: close\r\n\r\n");
            break;
        }
        head.extend_from_slice(line.as_bytes());
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    if take_one(&faults.slow_down) {
        faults.faulted.fetch_add(1, Ordering::SeqCst);
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
        write!(
            client,
            "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
            xml.len()
        )?;
        return Ok(());
    }
    let mut extra = String::new();
    if let Some(answer) = cold_answer(faults, &head, &mut extra) {
        faults.faulted.fetch_add(1, Ordering::SeqCst);
        return client.write_all(answer.as_bytes());
    }
    if head.starts_with(b"PUT ") && body.len() > 100 && take_one(&faults.corrupt_puts) {
        faults.faulted.fetch_add(1, Ordering::SeqCst);
        let at = body.len() / 2;
        body[at] ^= 0xFF;
    }
    faults.passed.fetch_add(1, Ordering::SeqCst);
    let delay = faults.delay_ms.load(Ordering::SeqCst);
    std::thread::sleep(std::time::Duration::from_millis(delay));
    let mut server = std::net::TcpStream::connect(upstream)?;
    server.write_all(&head)?;
    server.write_all(&body)?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer)?;
    if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
        answer.splice(end + 2..end + 2, extra.into_bytes());
    }
    client.write_all(&answer)
}

/// `n` files of `size` bytes each, all different, named with a date (2019/05/02), and
/// one duplicate of the first.
pub fn library(dir: &Path, n: usize, size: usize) -> PathBuf {
    let lib = dir.join("library");
    fs::create_dir_all(lib.join("dup")).unwrap();
    for i in 0..n {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend((0..size).map(|j| ((i * 7919 + j * 31) % 251) as u8));
        let name = format!("IMG_20190502_1430{:02}.jpg", i % 60);
        fs::write(lib.join(&name), &bytes).unwrap();
        if i == 0 {
            fs::write(lib.join("dup").join(name), &bytes).unwrap();
        }
    }
    lib
}

pub fn scanned(lib: &Path, cat: &mut Catalog) -> Vec<Photo> {
    let opts = ScanOptions::default();
    scan::scan(lib, cat, &opts, &Cancel::new(), &mut |_| {})
        .unwrap()
        .photos
}

pub fn options(server: &S3Server, prefix: &str) -> S3Options {
    let mut opts = S3Options::new(server.url(prefix));
    opts.connection = server.connection();
    opts
}

pub fn sync(photos: &[Photo], cat: &mut Catalog, opts: &S3Options) -> S3Report {
    s3::sync_photos(photos, cat, opts, &Cancel::new(), &|_| {}).unwrap()
}

/// What most S3 tests start from, taken apart on one line as
/// `let (server, _dir, lib, mut cat, photos, opts) = set_up(n, size, prefix);`: a server,
/// the temporary folder (the library is removed when it drops), a library of `n` files of
/// `size` bytes (see [`library`]) scanned into a fresh catalog, and options for the bucket
/// at `prefix`.
pub type Setup = (
    S3Server,
    tempfile::TempDir,
    PathBuf,
    Catalog,
    Vec<Photo>,
    S3Options,
);

pub fn set_up(n: usize, size: usize, prefix: &str) -> Setup {
    let server = S3Server::start();
    let dir = tempfile::tempdir().unwrap();
    let lib = library(dir.path(), n, size);
    let mut cat = Catalog::open_or_memory(None).unwrap();
    let photos = scanned(&lib, &mut cat);
    let opts = options(&server, prefix);
    (server, dir, lib, cat, photos, opts)
}
