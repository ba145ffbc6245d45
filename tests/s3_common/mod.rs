//! A real S3 server for the tests: s3s-fs (the s3s project's file-system server, which
//! verifies Content-MD5 and the x-amz-checksum-* headers like AWS), installed under
//! vendor/ by bin/setup, started on a random port over a temporary folder, with one
//! bucket, and stopped when dropped.

#![allow(dead_code)]

use photosync::destinations::s3::{Connection, S3Url};
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
