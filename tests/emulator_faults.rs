//! Seeded faults, latency and the hourly call budget.

mod emulator_common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use emulator_common::{jpeg, Client};
use photosync::emulators::flickr::{Emulator, EmulatorConfig, FaultKind};

fn with_faults(kinds: &[FaultKind]) -> Emulator {
    let emu = Emulator::start(EmulatorConfig {
        fault_rate: 1.0,
        ..EmulatorConfig::default()
    })
    .unwrap();
    emu.set_fault_kinds(kinds);
    emu
}

/// Sends one signed GET on a raw socket and returns every byte the server wrote.
fn raw_call(emu: &Emulator, client: &Client) -> Vec<u8> {
    let url = format!("{}/services/rest/", emu.endpoint());
    let params = client.signed("GET", &url, &[("method", "flickr.test.login")]);
    let mut stream = TcpStream::connect(("127.0.0.1", emu.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request = format!(
        "GET /services/rest/?{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        Client::query(&params),
        emu.port()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received); // a reset counts as "nothing more"
    received
}

#[test]
fn http_errors_are_answered() {
    for (kind, status) in [
        (FaultKind::Http500, 500),
        (FaultKind::Http502, 502),
        (FaultKind::Http503, 503),
    ] {
        let emu = with_faults(&[kind]);
        let reply = Client::user(&emu).rest(&[("method", "flickr.test.login")]);
        assert_eq!(reply.status, status);
    }
}

#[test]
fn flickr_105_is_a_failed_answer() {
    let emu = with_faults(&[FaultKind::Flickr105]);
    let answer = Client::user(&emu).call("flickr.test.login", &[]);
    assert_eq!(
        (answer["stat"].as_str(), answer["code"].as_u64()),
        (Some("fail"), Some(105))
    );
}

#[test]
fn dropped_connection_sends_nothing() {
    let emu = with_faults(&[FaultKind::DropBeforeAnswer]);
    let received = raw_call(&emu, &Client::user(&emu));
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    emu.set_fault_rate(0.0);
    let received = raw_call(&emu, &Client::user(&emu));
    assert!(
        received.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&received)
    );
}

#[test]
fn upload_stored_but_answer_dropped() {
    let emu = with_faults(&[FaultKind::DropAfterWork]);
    let outcome = Client::user(&emu).upload_to(
        "/services/upload/",
        "x.jpg",
        &jpeg("nasty"),
        &[("tags", "checksum:md5=abc")],
    );
    assert!(outcome.is_err(), "the client must not get an answer");
    let photos = emu.photos();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].machine_tags, vec!["checksum:md5=abc"]);
}

#[test]
fn faults_follow_the_seed() {
    let outcomes = |seed: u64| {
        let emu = Emulator::start(EmulatorConfig {
            fault_rate: 0.5,
            seed,
            ..EmulatorConfig::default()
        })
        .unwrap();
        emu.set_fault_kinds(&[FaultKind::Http503, FaultKind::Flickr105]);
        let client = Client::user(&emu);
        (0..30)
            .map(|_| {
                let reply = client.rest(&[
                    ("method", "flickr.test.null"),
                    ("format", "json"),
                    ("nojsoncallback", "1"),
                ]);
                format!("{}:{}", reply.status, reply.body.contains("105"))
            })
            .collect::<Vec<_>>()
    };
    let first = outcomes(42);
    assert_eq!(first, outcomes(42));
    assert!(first.iter().any(|o| o.starts_with("503")));
    assert!(first.iter().any(|o| o == "200:true"));
    assert!(first.iter().any(|o| o == "200:false"));
}

#[test]
fn budget_past_the_hourly_limit_is_429() {
    let emu = Emulator::start(EmulatorConfig {
        calls_per_hour: 3,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = Client::user(&emu);
    for _ in 0..3 {
        assert_eq!(client.rest(&[("method", "flickr.test.null")]).status, 200);
    }
    let reply = client.rest(&[("method", "flickr.test.null")]);
    assert_eq!(reply.status, 429);
    assert!(
        reply.body.contains("429 Too Many Requests"),
        "{}",
        reply.body
    );
    assert_eq!(
        client
            .upload_to("/services/upload/", "b.jpg", &jpeg("b"), &[])
            .unwrap()
            .status,
        429
    );
    emu.reset();
    assert_eq!(client.rest(&[("method", "flickr.test.null")]).status, 200);
}

#[test]
fn latency_delays_every_call() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    emu.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    assert_eq!(
        Client::user(&emu)
            .rest(&[("method", "flickr.test.null")])
            .status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[test]
fn a_bad_fault_rate_is_refused_at_start() {
    let result = Emulator::start(EmulatorConfig {
        fault_rate: 2.0,
        ..EmulatorConfig::default()
    });
    assert!(result.is_err());
}
