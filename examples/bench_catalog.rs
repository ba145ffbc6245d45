//! `rake bench:status`'s synthetic library: a catalog of N photos (default 100,000) written
//! through the core catalog API, without files on disk. Every photo is local; 80% are on
//! Flickr, 60% on an archive, 20% on Google Photos; half the Flickr copies were checked by
//! `verify --read-data`; 1% have a camera's reset date (1998-01-01) and 0.5% a read error,
//! so the report has a date review and errors to show.
//!
//!   cargo run --release --example bench_catalog -- CATALOG [N]

use chrono::NaiveDate;
use photosync::catalog::{Catalog, RemoteCopy};
use photosync::dates::{DateFacts, DateSource, TakenAt};
use photosync::library::kind::MediaKind;
use photosync::library::photo::Photo;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_catalog CATALOG [N]");
        return ExitCode::from(64);
    };
    let n: u64 = match args.next().map(|a| a.to_string_lossy().parse()) {
        None => 100_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("bench_catalog: N: {e}");
            return ExitCode::from(64);
        }
    };
    match build(&path, n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_catalog: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build(path: &std::path::Path, n: u64) -> Result<(), photosync::catalog::CatalogError> {
    let _ = std::fs::remove_file(path);
    let mut cat = Catalog::open(path)?;
    let start = NaiveDate::from_ymd_opt(2010, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let reset = NaiveDate::from_ymd_opt(1998, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    for chunk in (0..n).collect::<Vec<_>>().chunks(10_000) {
        let photos: Vec<Photo> = chunk.iter().map(|&i| photo(i, start, reset)).collect();
        cat.record(&photos)?;
        let copies = |every: u64, of: u64, prefix: &str| -> Vec<RemoteCopy> {
            chunk
                .iter()
                .filter(|&&i| i % every < of)
                .map(|&i| RemoteCopy {
                    remote_id: format!("{prefix}{i}"),
                    md5: md5(i),
                    uploaded_at: 1_300_000_000 + i as i64,
                    imgmd5: None,
                })
                .collect()
        };
        cat.record_remote("flickr:12345@N00", &copies(10, 8, ""), None)?;
        cat.record_remote(
            "archive:/media/backup",
            &copies(10, 6, "2010/01/IMG_"),
            None,
        )?;
        cat.record_remote("gphotos:bench", &copies(10, 2, "item-"), None)?;
    }
    for i in (0..n).filter(|i| i % 10 < 8 && i % 2 == 0).take(5_000) {
        cat.record_check("flickr:12345@N00", &i.to_string(), "read-data")?;
    }
    Ok(())
}

fn md5(i: u64) -> String {
    format!("{:032x}", i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn photo(i: u64, start: chrono::NaiveDateTime, reset: chrono::NaiveDateTime) -> Photo {
    let taken = match i % 100 {
        0 => reset,
        _ => start + chrono::Duration::minutes(i as i64 * 7),
    };
    Photo {
        path: PathBuf::from(format!(
            "/bench/library/{}/{:02}/IMG_{i:06}.jpg",
            2010 + i / 20_000,
            1 + (i / 2_000) % 10
        )),
        size: 3_000_000 + i % 1_000_000,
        mtime_ns: 1_300_000_000_000_000_000 + i as i64,
        inode: i,
        kind: MediaKind::Jpeg,
        md5: Some(md5(i)),
        imgmd5: None,
        taken: TakenAt {
            local: taken,
            offset_seconds: None,
            source: DateSource::ExifOriginal,
        },
        date_facts: DateFacts::default(),
        make: Some("Canon".into()),
        model: Some(format!("Canon EOS {}D", 10 + i % 5)),
        width: Some(4000),
        height: Some(3000),
        orientation: Some(1),
        error: (i % 200 == 7).then(|| "broken EXIF: bad IFD offset".to_string()),
        damaged: None,
    }
}
