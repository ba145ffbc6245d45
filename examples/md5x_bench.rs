//! The multi-buffer MD5 engine alone, in memory, one core: MB/s of md-5 on one stream
//! and of each path this CPU has with 16 streams in flight (the scanner's count), so
//! the kernels can be compared apart from disk and EXIF.
//!
//!   cargo run --release --example md5x_bench -- [MIB_PER_STREAM]

use md5::{Digest as _, Md5};
use photosync::library::md5x::{Lanes, Md5Path};
use std::time::Instant;

const STREAMS: usize = 16;
const CHUNK: usize = 64 * 1024;

fn main() {
    let mib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(16);
    let data: Vec<u8> = (0..mib << 20)
        .map(|i| ((i * 2_654_435_761usize) >> 13) as u8)
        .collect();
    let total = (STREAMS * data.len()) as f64 / 1e6;
    let t = Instant::now();
    let mut check = 0u8;
    for _ in 0..STREAMS {
        check ^= Md5::digest(&data)[0];
    }
    println!(
        "md-5, one stream at a time: {:.0} MB/s",
        total / t.elapsed().as_secs_f64()
    );
    for path in Md5Path::available() {
        let mut lanes = Lanes::new(path, STREAMS, CHUNK);
        let ids: Vec<_> = (0..STREAMS).filter_map(|_| lanes.open()).collect();
        let t = Instant::now();
        for chunk in data.chunks(CHUNK) {
            ids.iter().for_each(|&id| lanes.update(id, chunk));
            lanes.flush();
        }
        for id in ids {
            check ^= lanes.finish(id)[0];
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{}, {STREAMS} streams: {:.0} MB/s",
            path.name(),
            total / secs
        );
    }
    std::hint::black_box(check);
}
