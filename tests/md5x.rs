//! The multi-buffer MD5 engine against md-5, on every path this CPU has: random
//! lengths and chunkings, the lengths around MD5's padding boundary, many streams that
//! start and finish at different times, and every fixture file read in pieces.

use md5::{Digest as _, Md5};
use photosync::library::md5x::{Lanes, Md5Path, StreamId};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn md5(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

fn bytes(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Hashes `inputs` as concurrent streams of one engine: each round appends the next
/// `step` bytes of every unfinished stream (streams wait for a free slot when there
/// are more inputs than slots), flushes, and finishes the streams that are through.
fn hash_all(
    path: Md5Path,
    slots: usize,
    buf: usize,
    inputs: &[Vec<u8>],
    step: usize,
) -> Vec<[u8; 16]> {
    let mut lanes = Lanes::new(path, slots, buf);
    let mut out = vec![[0u8; 16]; inputs.len()];
    let mut live: Vec<(usize, StreamId, usize)> = Vec::new();
    let mut next = 0;
    while next < inputs.len() || !live.is_empty() {
        while next < inputs.len() {
            let Some(id) = lanes.open() else { break };
            live.push((next, id, 0));
            next += 1;
        }
        for (i, id, at) in live.iter_mut() {
            let end = (*at + step).min(inputs[*i].len());
            lanes.update(*id, &inputs[*i][*at..end]);
            *at = end;
        }
        lanes.flush();
        live.retain(|&(i, id, at)| {
            let done = at == inputs[i].len();
            if done {
                out[i] = lanes.finish(id);
            }
            !done
        });
    }
    out
}

#[test]
fn every_path_is_listed_and_the_detected_one_is_among_them() {
    let paths = Md5Path::available();
    assert_eq!(paths[0], Md5Path::Scalar);
    assert!(paths.contains(&Md5Path::detected()));
    for p in paths {
        assert_eq!(Md5Path::parse(p.name()), Some(p));
    }
}

#[test]
fn lengths_around_the_padding_boundary() {
    let inputs: Vec<Vec<u8>> = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]
        .iter()
        .enumerate()
        .map(|(i, &n)| bytes(n, i as u32))
        .collect();
    let want: Vec<_> = inputs.iter().map(|d| md5(d)).collect();
    for path in Md5Path::available() {
        for step in [1, 7, 64, 100, 4096] {
            assert_eq!(
                hash_all(path, 16, 256, &inputs, step),
                want,
                "{path:?} step {step}"
            );
        }
    }
}

#[test]
fn empty_stream_is_the_empty_md5() {
    for path in Md5Path::available() {
        let mut lanes = Lanes::new(path, 2, 64);
        let id = lanes.open().unwrap();
        lanes.flush();
        assert_eq!(lanes.finish(id), md5(b""), "{path:?}");
    }
}

#[test]
fn a_stream_larger_than_its_buffer_between_flushes() {
    let data = bytes(100_000, 9);
    for path in Md5Path::available() {
        let mut lanes = Lanes::new(path, 3, 128);
        let ids: Vec<_> = (0..3).map(|_| lanes.open().unwrap()).collect();
        for id in &ids {
            lanes.update(*id, &data);
        }
        lanes.flush();
        for id in ids {
            assert_eq!(lanes.finish(id), md5(&data), "{path:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn many_streams_of_random_lengths_match_md5(
        lens in prop::collection::vec(0usize..5000, 1..40),
        slots in 1usize..20,
        step in 1usize..700,
        buf in 64usize..2048,
        seed in any::<u32>(),
    ) {
        let inputs: Vec<Vec<u8>> =
            lens.iter().enumerate().map(|(i, &n)| bytes(n, seed ^ i as u32)).collect();
        let want: Vec<_> = inputs.iter().map(|d| md5(d)).collect();
        for path in Md5Path::available() {
            prop_assert_eq!(&hash_all(path, slots, buf, &inputs, step), &want, "{:?}", path);
        }
    }
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            fixture_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_file_read_in_pieces() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    let mut files = Vec::new();
    fixture_files(&dir, &mut files);
    files.sort();
    assert!(files.len() > 50, "fixtures missing under {}", dir.display());
    let inputs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let want: Vec<_> = inputs.iter().map(|d| md5(d)).collect();
    for path in Md5Path::available() {
        for step in [4093, 65536] {
            assert_eq!(
                hash_all(path, 16, 64 * 1024, &inputs, step),
                want,
                "{path:?}"
            );
        }
    }
}
