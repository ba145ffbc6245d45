//! The plan every destination starts from: the local photos joined with the MD5s the
//! destination holds. One rule for local duplicates (the keeper is the first of their
//! paths in byte order, the same for every destination; each other path is reported as
//! its duplicate), one for what a destination never takes (its [`Accepts`]), and the
//! refusals the catalog recorded. Each destination adds only its own extras on top
//! (Flickr: edited photos and image-data tags; the archive: target paths; Google Photos:
//! mime type and file name).

use super::outcome::{size_text, Counts, Note, Tally, Word};
use crate::library::kind::MediaKind;
use crate::library::photo::Photo;
use crate::library::walk::path_bytes;
use std::collections::HashMap;
use std::path::Path;

/// A kind (or some files of a kind) a destination never takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Never {
    pub kind: MediaKind,
    /// Lowercase file extensions the rule is narrowed to; empty: every file of the kind.
    pub extensions: Vec<&'static str>,
    pub reason: String,
}

/// What a destination takes. Limits are fields, so a test can use small ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepts {
    /// The destination as a reason names it ("Flickr").
    pub name: String,
    pub never: Vec<Never>,
    /// Largest photo (every kind but video) and video it takes; None: no limit.
    pub max_photo_bytes: Option<u64>,
    pub max_video_bytes: Option<u64>,
    /// Whether it takes an empty file.
    pub empty: bool,
}

impl Accepts {
    /// A destination that takes every file (a folder).
    pub fn everything(name: &str) -> Self {
        Accepts {
            name: name.to_string(),
            never: Vec::new(),
            max_photo_bytes: None,
            max_video_bytes: None,
            empty: true,
        }
    }

    /// Why this destination never takes `photo`, if it does not.
    pub fn not_taken(&self, photo: &Photo) -> Option<String> {
        let ext = photo
            .path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let never = self.never.iter().find(|n| {
            n.kind == photo.kind && (n.extensions.is_empty() || n.extensions.contains(&&*ext))
        });
        if let Some(never) = never {
            return Some(never.reason.clone());
        }
        if photo.size == 0 && !self.empty {
            return Some(format!(
                "an empty file; {} does not take empty files",
                self.name
            ));
        }
        let (limit, what) = match photo.kind {
            MediaKind::Video => (self.max_video_bytes, "videos"),
            _ => (self.max_photo_bytes, "photos"),
        };
        let limit = limit.filter(|l| photo.size > *l)?;
        // "Flickr's", "Google Photos'".
        let apostrophe = if self.name.ends_with('s') { "'" } else { "'s" };
        Some(format!(
            "{} is over {}{apostrophe} {} limit for {what}",
            size_text(photo.size),
            self.name,
            size_text(limit)
        ))
    }
}

/// The shared plan: which photos to send, which the destination holds, and a note for
/// every other file, in path order.
#[derive(Debug, Default)]
pub struct Plan<'a> {
    /// One photo per MD5 the destination does not hold and takes, in path order.
    pub send: Vec<&'a Photo>,
    /// The keepers whose MD5 the destination holds.
    pub held: Vec<&'a Photo>,
    /// Duplicates, unreadable files, files not taken and refused before, with why.
    pub notes: Vec<Note>,
    /// Bytes of the photos to send.
    pub bytes: u64,
    /// The counts the plan decides (already there, duplicates, not taken, refused before,
    /// unreadable); the run adds done, refused and failed.
    pub counts: Counts,
}

impl Plan<'_> {
    /// Counts and lists the plan's notes in a report, calling `event` for each.
    pub fn tell(&self, tally: &mut Tally<'_>, event: &mut dyn FnMut(&Note)) {
        tally.counts.already_there += self.counts.already_there;
        for note in &self.notes {
            tally.note(&note.path, note.word, &note.reason);
            event(note);
        }
    }
}

/// Joins `photos` with what a destination holds (`holds`: is this MD5 there?) and the
/// refusals recorded for it (MD5 -> its message).
pub fn plan<'a>(
    photos: &'a [Photo],
    holds: &dyn Fn(&str) -> bool,
    accepts: &Accepts,
    refusals: &HashMap<String, String>,
) -> Plan<'a> {
    let mut order: Vec<&Photo> = photos.iter().collect();
    order.sort_by(|a, b| path_bytes(&a.path).cmp(path_bytes(&b.path)));
    let mut keepers: HashMap<&str, &Path> = HashMap::new();
    let mut plan = Plan::default();
    for photo in order {
        let mut note = |word: Word, reason: String| {
            plan.counts.add(word);
            plan.notes.push(Note {
                path: photo.path.clone(),
                word,
                reason,
            });
        };
        let Some(md5) = photo.md5.as_deref() else {
            let why = photo.error.as_deref().unwrap_or("could not be read");
            note(Word::Unreadable, format!("unreadable: {why}"));
            continue;
        };
        if let Some(keeper) = keepers.get(md5) {
            let reason = format!(
                "duplicate of {} (same MD5): counted once, under that path",
                keeper.display()
            );
            note(Word::Duplicate, reason);
            continue;
        }
        keepers.insert(md5, &photo.path);
        if holds(md5) {
            plan.counts.already_there += 1;
            plan.held.push(photo);
        } else if let Some(reason) = accepts.not_taken(photo) {
            note(Word::NotTaken, reason);
        } else if let Some(message) = refusals.get(md5) {
            let reason = format!(
                "{} refused it on an earlier run: {message}; not sent again until the file changes",
                accepts.name
            );
            note(Word::RefusedBefore, reason);
        } else {
            plan.bytes += photo.size;
            plan.send.push(photo);
        }
    }
    plan
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dates::{DateSource, TakenAt};

    /// A scanned photo for a plan test; without `md5`, one that could not be read.
    pub(crate) fn photo(path: &str, md5: Option<&str>, kind: MediaKind, size: u64) -> Photo {
        Photo {
            path: path.into(),
            size,
            mtime_ns: 0,
            inode: 0,
            kind,
            md5: md5.map(String::from),
            imgmd5: None,
            taken: TakenAt {
                local: chrono::NaiveDateTime::default(),
                offset_seconds: None,
                source: DateSource::Mtime,
            },
            date_facts: Default::default(),
            make: None,
            model: None,
            width: None,
            height: None,
            orientation: None,
            error: md5.is_none().then(|| "permission denied".to_string()),
            damaged: None,
        }
    }

    fn flickr_like() -> Accepts {
        Accepts {
            name: "Flickr".into(),
            never: vec![Never {
                kind: MediaKind::Raw,
                extensions: vec![],
                reason: "no RAW".into(),
            }],
            max_photo_bytes: Some(100),
            max_video_bytes: Some(1000),
            empty: false,
        }
    }

    #[test]
    fn the_keeper_is_the_first_path_in_byte_order_whatever_the_order_given() {
        // In byte order "a-b" comes before "a/b" ('-' < '/'); Path order says otherwise.
        let photos = [
            photo("/lib/a/b.jpg", Some("aa"), MediaKind::Jpeg, 10),
            photo("/lib/a-b.jpg", Some("aa"), MediaKind::Jpeg, 10),
        ];
        let plan = plan(&photos, &|_| false, &flickr_like(), &HashMap::new());
        assert_eq!(plan.send.len(), 1);
        assert_eq!(plan.send[0].path, Path::new("/lib/a-b.jpg"));
        assert_eq!(plan.notes[0].word, Word::Duplicate);
        assert!(plan.notes[0].reason.contains("duplicate of /lib/a-b.jpg"));
        // A duplicate of a photo already there is still reported as a duplicate.
        let there = plan_held(&photos);
        assert_eq!(
            (there.counts.already_there, there.counts.duplicates),
            (1, 1)
        );
    }

    fn plan_held(photos: &[Photo]) -> Plan<'_> {
        plan(photos, &|_| true, &flickr_like(), &HashMap::new())
    }

    #[test]
    fn every_file_gets_one_word() {
        let photos = [
            photo("/big.jpg", Some("b1"), MediaKind::Jpeg, 101),
            photo("/big.mov", Some("b2"), MediaKind::Video, 101),
            photo("/empty.jpg", Some("e0"), MediaKind::Jpeg, 0),
            photo("/raw.cr2", Some("r1"), MediaKind::Raw, 10),
            photo("/refused.jpg", Some("dd"), MediaKind::Jpeg, 10),
            photo("/unreadable.jpg", None, MediaKind::Jpeg, 10),
        ];
        let refusals = HashMap::from([("dd".to_string(), "Filetype was not recognised".into())]);
        let plan = plan(&photos, &|_| false, &flickr_like(), &refusals);
        let words: Vec<_> = plan
            .notes
            .iter()
            .map(|n| (n.word, n.reason.as_str()))
            .collect();
        assert_eq!(
            words,
            vec![
                (
                    Word::NotTaken,
                    "101 bytes is over Flickr's 100 bytes limit for photos"
                ),
                (
                    Word::NotTaken,
                    "an empty file; Flickr does not take empty files"
                ),
                (Word::NotTaken, "no RAW"),
                (
                    Word::RefusedBefore,
                    "Flickr refused it on an earlier run: Filetype was not recognised; \
                     not sent again until the file changes"
                ),
                (Word::Unreadable, "unreadable: permission denied"),
            ]
        );
        assert_eq!(
            plan.send.len(),
            1,
            "a 101-byte video is under the video limit"
        );
        assert_eq!(plan.bytes, 101);
        assert_eq!(plan.counts.not_taken, 3);
        assert!(Accepts::everything("archive")
            .not_taken(&photos[3])
            .is_none());
    }
}
