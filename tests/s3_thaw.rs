//! A restore from objects in a class that needs a thaw (DEEP_ARCHIVE), against s3s-fs
//! behind the proxy that answers for those objects as AWS does (s3s-fs keeps no storage
//! classes): they are counted before any download and never fetched, `thaw` asks for
//! each once, and once thawed they come back byte for byte.

mod s3_common;

use photosync::cancel::Cancel;
use photosync::restore::{self, RestoreEvent, RestoreOptions, RestoreReport};
use s3_common::{set_up, sync, FaultyProxy};
use std::sync::atomic::Ordering;
use std::sync::Mutex;

#[test]
fn objects_that_need_a_thaw_are_counted_up_front_and_thawed_on_request() {
    let (server, dir, lib, mut cat, photos, opts) = set_up(3, 10_000, "cold");
    let proxy = FaultyProxy::start(&server.endpoint);
    assert_eq!(sync(&photos, &mut cat, &opts).uploaded, 3);
    let cold = ["IMG_20190502_143000.jpg", "IMG_20190502_143001.jpg"];
    for name in cold {
        proxy.faults.freeze(&format!("cold/2019/05/02/{name}"));
    }
    let mut via = opts.connection.clone();
    via.endpoint = Some(proxy.endpoint.clone());
    let back = dir.path().join("restored");
    let events = Mutex::new(Vec::new());
    let mut restore = |thaw: bool| -> RestoreReport {
        let opts_r = RestoreOptions {
            thaw,
            ..RestoreOptions::default()
        };
        let emit = |e: RestoreEvent| events.lock().unwrap().push(e);
        restore::restore_s3(
            &opts.url,
            &via,
            &back,
            &mut cat,
            &opts_r,
            &Cancel::new(),
            &emit,
        )
        .unwrap()
    };

    let first = restore(false);
    let got = (first.downloaded, first.failed, first.frozen, first.thawing);
    assert_eq!(got, (1, 0, 2, 0), "{first:?}");
    // Said once, before any download; no GET was tried on a frozen object.
    let kinds: Vec<String> = events.lock().unwrap().iter().map(kind).collect();
    let frozen_at = kinds.iter().position(|k| k == "frozen").unwrap();
    let first_download = kinds.iter().position(|k| k == "downloaded").unwrap();
    assert!(frozen_at < first_download, "{kinds:?}");
    assert_eq!(proxy.faults.faulted.load(Ordering::SeqCst), 0);

    let asked = restore(true);
    let got = (asked.downloaded, asked.skipped, asked.frozen);
    assert_eq!(got, (0, 1, 2), "{asked:?}");
    assert_eq!((asked.thaw_requested, asked.thawing), (2, 2), "{asked:?}");
    let again = restore(true);
    assert_eq!((again.thaw_requested, again.thawing), (0, 2), "{again:?}");

    proxy.faults.finish_thaws();
    let thawed = restore(false);
    let got = (thawed.downloaded, thawed.frozen, thawed.failed);
    assert_eq!(got, (2, 0, 0), "{thawed:?}");
    for name in cold {
        let restored = std::fs::read(back.join("2019/05/02").join(name)).unwrap();
        assert_eq!(restored, std::fs::read(lib.join(name)).unwrap());
    }
}

fn kind(event: &RestoreEvent) -> String {
    serde_json::to_value(event).unwrap()["kind"]
        .as_str()
        .unwrap()
        .to_string()
}
