//! photosync's EXIF reading checked against the exif-samples fixtures and exif-py's reading of
//! them (`exif-py-dump.txt`), with exiftool as the third opinion where the two disagree; and
//! `exif::parse` fed every fixture cut short and with flipped bytes, where it must not panic.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use photosync::library::exif::{self, Metadata, HEAD_LEN};

fn samples_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/exif-samples");
    assert!(
        dir.join("exif-py-dump.txt").is_file(),
        "EXIF fixtures missing: expected {} (shared/fixtures beside the repository, as in CI)",
        dir.display()
    );
    dir
}

/// Image files under `dir`, as paths relative to it with `/` separators.
fn image_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.map(|e| e.expect("directory entry")) {
            let path = entry.path();
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if path.is_dir() {
                walk(root, &path, out);
            } else if ["jpg", "jpeg", "tif", "tiff", "heic", "heif", "png", "webp"]
                .contains(&ext.as_str())
            {
                let rel = path.strip_prefix(root).expect("under root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The four fields compared, as exif-py prints them (Orientation turned back into its number).
#[derive(Debug, Default, Clone, PartialEq)]
struct Reading {
    date_time_original: Option<String>,
    make: Option<String>,
    model: Option<String>,
    orientation: Option<u16>,
}

impl Reading {
    fn of(meta: Option<&Metadata>) -> Reading {
        let Some(meta) = meta else {
            return Reading::default();
        };
        Reading {
            date_time_original: meta
                .date_time_original
                .map(|d| d.local.format("%Y:%m:%d %H:%M:%S").to_string()),
            make: meta.make.clone(),
            model: meta.model.clone(),
            orientation: meta.orientation,
        }
    }
}

fn orientation_number(text: &str) -> u16 {
    match text {
        "Horizontal (normal)" => 1,
        "Mirrored horizontal" => 2,
        "Rotated 180" => 3,
        "Mirrored vertical" => 4,
        "Mirrored horizontal then rotated 90 CCW" => 5,
        "Rotated 90 CW" => 6,
        "Mirrored horizontal then rotated 90 CW" => 7,
        "Rotated 90 CCW" => 8,
        other => panic!("unknown exif-py orientation {other:?}"),
    }
}

/// exif-py's reading of each file, keyed by the path after `Opening: `.
fn parse_dump(text: &str) -> BTreeMap<String, Reading> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Reading)> = None;
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("Opening: ") {
            out.extend(current.take());
            current = Some((path.trim().to_owned(), Reading::default()));
            continue;
        }
        let (Some((_, reading)), Some((key, value))) = (current.as_mut(), line.split_once("): "))
        else {
            continue;
        };
        let value = Some(value.to_owned());
        match key.split(" (").next() {
            Some("EXIF DateTimeOriginal") => reading.date_time_original = value,
            Some("Image Make") => reading.make = value,
            Some("Image Model") => reading.model = value,
            Some("Image Orientation") => {
                reading.orientation = value.as_deref().map(orientation_number)
            }
            _ => {}
        }
    }
    out.extend(current);
    out
}

fn head_of(bytes: &[u8]) -> (&[u8], bool) {
    (&bytes[..bytes.len().min(HEAD_LEN)], bytes.len() <= HEAD_LEN)
}

fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// Where the dump is wrong or does not cover the fixtures, checked with exiftool 12.57
/// (`exiftool -a -G1 -s -DateTimeOriginal -Make -Model -Orientation# FILE`).
fn expected(dump: &BTreeMap<String, Reading>, file: &str) -> Reading {
    match file {
        // Not in the dump (added to the fixtures after it was made). exiftool: DateTimeOriginal
        // 2021:04:11 15:47:53, Make Apple, Model iPhone 11 Pro Max, no Orientation tag.
        "heic/IMG_5195.HEIC" => Reading {
            date_time_original: some("2021:04:11 15:47:53"),
            make: some("Apple"),
            model: some("iPhone 11 Pro Max"),
            orientation: None,
        },
        // The dump calls it `iphone_13_pro_max.heif`: the same file under its old name (exiftool
        // reads the same date, Apple, iPhone 13 Pro Max and Orientation 6 from the .HEIC).
        "heic/mobile/iphone_13_pro_max.HEIC" => dump["heic/mobile/iphone_13_pro_max.heif"].clone(),
        // exif-py finds no EXIF in these; exiftool reads an IFD0 with Orientation 1 in both (and
        // ModifyDate, but no DateTimeOriginal, Make or Model). photosync agrees with exiftool.
        f if EXIF_PY_MISSES.contains(&f) => Reading {
            orientation: Some(1),
            ..Reading::default()
        },
        _ => dump
            .get(file)
            .cloned()
            .unwrap_or_else(|| panic!("{file} is not in exif-py-dump.txt")),
    }
}

/// Files with EXIF that exif-py reports as "No EXIF information found".
const EXIF_PY_MISSES: [&str; 2] = ["heic/mobile/HMD_Nokia_8.3_5G.heif", "jpg/xmp/no_exif.jpg"];

/// In the dump but not among the fixtures (removed or renamed upstream after the dump was made).
const DUMP_ONLY: [&str; 2] = [
    "jpg/mobile/HMD_Nokia_8.3_5G_hdr.jpg",
    "heic/mobile/iphone_13_pro_max.heif",
];

#[test]
fn readings_match_exif_py_or_exiftool() {
    let dir = samples_dir();
    let dump_text = std::fs::read_to_string(dir.join("exif-py-dump.txt")).expect("dump readable");
    let dump = parse_dump(&dump_text);
    let files = image_files(&dir);
    assert!(
        files.len() >= 80,
        "expected the whole exif-samples set, found {} files",
        files.len()
    );

    let mut failures = String::new();
    for file in &files {
        let want = expected(&dump, file);
        let path = dir.join(file);
        // What Photosync::Exif.read sees...
        let read = exif::read_path(&path);
        // ...and what the scanner sees from the head it hands over.
        let bytes = std::fs::read(&path).expect("fixture readable");
        let (head, complete) = head_of(&bytes);
        let scanned = exif::parse(head, complete);
        match (&read, &scanned) {
            (Ok(r), Ok(s)) => {
                for (how, got) in [
                    ("read_path", Reading::of(r.as_ref())),
                    ("parse", Reading::of(s.as_ref())),
                ] {
                    if got != want {
                        let _ =
                            writeln!(failures, "{file} ({how}):\n  got  {got:?}\n  want {want:?}");
                    }
                }
            }
            _ => {
                let _ = writeln!(failures, "{file}: read_path {read:?}, parse {scanned:?}");
            }
        }
    }
    for name in EXIF_PY_MISSES {
        assert_eq!(
            dump[name],
            Reading::default(),
            "exif-py now reads {name}: drop its exception"
        );
    }
    for name in DUMP_ONLY {
        assert!(
            !files.iter().any(|f| f == name),
            "{name} is back among the fixtures: compare it"
        );
    }
    let unmatched: Vec<_> = dump
        .keys()
        .filter(|k| !files.contains(k) && !DUMP_ONLY.contains(&k.as_str()))
        .collect();
    assert!(
        unmatched.is_empty(),
        "dump entries without a fixture: {unmatched:?}"
    );
    assert!(failures.is_empty(), "readings differ:\n{failures}");
}

/// xorshift32: deterministic, so a failure names a reproducible case.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        self.next() as usize % n.max(1)
    }
}

/// Runs `parse` and records a panic as a failure naming the case.
fn must_not_panic(bytes: &[u8], complete: bool, case: &str, failures: &mut Vec<String>) {
    if catch_unwind(AssertUnwindSafe(|| exif::parse(bytes, complete))).is_err() {
        failures.push(case.to_owned());
    }
}

/// Offsets to cut at: every byte of the first 4 KiB (headers, APP0/APP1, IFD0 and the start of
/// the Exif IFD live there), then a prime stride through the rest of the head.
fn cut_points(len: usize) -> impl Iterator<Item = usize> {
    let len = len.min(HEAD_LEN);
    (0..len.min(4096))
        .chain((4096..len).step_by(251))
        .chain(std::iter::once(len))
}

#[test]
fn parse_never_panics_on_truncated_fixtures() {
    let dir = samples_dir();
    let mut failures = Vec::new();
    for file in image_files(&dir) {
        let bytes = std::fs::read(dir.join(&file)).expect("fixture readable");
        for cut in cut_points(bytes.len()) {
            let head = &bytes[..cut];
            must_not_panic(
                head,
                true,
                &format!("{file} cut at {cut}, complete"),
                &mut failures,
            );
            must_not_panic(
                head,
                false,
                &format!("{file} cut at {cut}, head"),
                &mut failures,
            );
        }
    }
    assert!(failures.is_empty(), "parse panicked on: {failures:#?}");
}

#[test]
fn parse_never_panics_on_flipped_bytes() {
    let dir = samples_dir();
    let mut failures = Vec::new();
    let mut rng = Rng(0x2545_f491);
    for file in image_files(&dir) {
        let bytes = std::fs::read(dir.join(&file)).expect("fixture readable");
        let (head, complete) = head_of(&bytes);
        // Flips land where the metadata is: the first 64 KiB (a JPEG's APP1 is at most that).
        let span = head.len().min(64 << 10);
        for round in 0..200 {
            let mut mutated = head.to_vec();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(span);
                if let Some(b) = mutated.get_mut(at) {
                    // Half the time a bit flip, half the time a byte that makes lengths huge.
                    *b = if rng.next() & 1 == 0 {
                        *b ^ (1 << rng.below(8))
                    } else {
                        0xff
                    };
                }
            }
            must_not_panic(
                &mutated,
                complete,
                &format!("{file} round {round}"),
                &mut failures,
            );
        }
    }
    assert!(failures.is_empty(), "parse panicked on: {failures:#?}");
}
