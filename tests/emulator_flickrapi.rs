//! A real client no one here wrote, Debian's python3-flickrapi, works against the emulator:
//! OAuth flow, signed REST calls (JSON and XML), upload, search, replace, errors.

mod emulator_common;

use std::process::Command;

use emulator_common::jpeg;
use photosync::emulators::flickr::{Emulator, EmulatorConfig};

const PYTHON: &str = "/usr/bin/python3";

fn flickrapi_available() -> bool {
    Command::new(PYTHON)
        .args(["-c", "import flickrapi, requests"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_flickrapi_does_oauth_calls_and_uploads() {
    if !flickrapi_available() {
        eprintln!("skipped: Debian's python3-flickrapi is not installed (apt-get install python3-flickrapi)");
        return;
    }
    let emu = Emulator::start(EmulatorConfig::instant_search()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("Grüße aus Zürich.jpg");
    std::fs::write(&photo, jpeg("python")).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/emulator_python/flickrapi_client.py"
    );
    let output = Command::new(PYTHON)
        .arg(script)
        .arg(emu.endpoint())
        .arg(emu.api_key())
        .arg(emu.shared_secret())
        .arg(&photo)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    let line = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("no {name} in:\n{stdout}\n{stderr}"))
            .to_string()
    };
    let photos = emu.photos();
    assert_eq!(photos.len(), 1);
    let id = photos[0].id.clone();
    assert_eq!(line("login"), format!("ok {}", emu.user_nsid()));
    assert_eq!(line("echo"), "grüezi");
    assert_eq!(line("uploaded"), id);
    assert_eq!(line("found"), id);
    assert_eq!(line("title"), "Über den Wolken");
    assert_eq!(line("replaced"), id);
    assert_eq!(line("error"), "1");
    assert_eq!(photos[0].tags[1], "twowords");
    assert!(!photos[0].is_public && photos[0].is_family);
    assert_eq!(emu.call_counts().get("replace"), Some(&1));
}
