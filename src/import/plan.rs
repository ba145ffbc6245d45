//! What becomes of each source file, decided against the library as the catalog knows
//! it. Byte-identical files are one photo (by MD5): the library's, or the first source
//! file in path order. Files with the same image data and other bytes (`imgmd5` equal:
//! an exiftool date fix, a caption added) are one photo too: the library's form if it
//! has one, else the form with the most complete EXIF; the others are reported with
//! both taken-dates.
//!
//! A file readable but not a whole photo is damaged: the library's rule says so (the
//! scanner's verdict, [`crate::library::damage`]: a JPEG cut short or whose structure
//! breaks, a PNG without IEND, an MP4 without its index), or its reader's error (not the
//! format its name says). A damaged file is imported all the same, flagged damaged in
//! the catalog as a library file would be, and counted as damaged: when it is the only
//! copy of its picture, what is left of the photo must not be lost. It is left out, and
//! reported, when a fuller form of it is in the library or on a source: a file that
//! starts with all of its bytes ([`super::whole`]: a copy cut short beside its original
//! must not become a second photo). An empty file holds nothing and is never imported.
//!
//! Each photo to import gets its place from the layout, with the archive's rule for a
//! name already taken: a short hash suffix.

use super::read::SourceFile;
use super::report::{OtherForm, SmallerCopy};
use crate::dates::DateSource;
use crate::destinations::archive::{with_hash_suffix, Layout};
use crate::library::photo::Photo;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The decision for one source file.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Copy it to `dest` (relative to the library).
    New {
        dest: PathBuf,
    },
    /// Damaged, but no fuller form of it was found: copy it to `dest` all the same.
    NewDamaged {
        dest: PathBuf,
        why: String,
    },
    InLibrary,
    /// Byte-identical to another source file imported in its place.
    Copy,
    OtherForm(OtherForm),
    /// A resized or recompressed copy of a larger photo kept ([`super::smaller`]).
    Smaller(SmallerCopy),
    Damaged(String),
    Unreadable(String),
    /// New, but no place for it (its name and the hash-suffixed one are taken).
    Failed(String),
}

/// Given the files that would be new, the smaller copies among them (file index, copy).
pub type SmallerJudge<'a> = dyn FnMut(&[usize]) -> Vec<(usize, SmallerCopy)> + 'a;

/// Given the damaged files the library lacks, those a fuller file holds (file index,
/// that file's path).
pub type FullerJudge<'a> = dyn FnMut(&[usize]) -> Vec<(usize, PathBuf)> + 'a;

/// `library`: the library's photos (scanned); `files`: every source file, in source
/// then path order. `smaller` is shown the whole files that would be new (one per
/// picture data) and may judge some of them smaller copies before they are given a
/// place; `fuller` is shown the damaged ones. Returns one verdict per file, in order.
pub fn plan(
    root: &Path,
    layout: &Layout,
    library: &[Photo],
    files: &[SourceFile],
    fuller: &mut FullerJudge,
    smaller: &mut SmallerJudge,
) -> Vec<Verdict> {
    let held: HashSet<&str> = library.iter().filter_map(|p| p.md5.as_deref()).collect();
    let lib_forms: HashMap<&str, &Photo> = library
        .iter()
        .filter_map(|p| p.imgmd5.as_deref().map(|i| (i, p)))
        .collect();
    let mut verdicts: Vec<Option<Verdict>> = vec![None; files.len()];
    let (first, damaged) = by_md5(files, &held, &mut verdicts);
    let mut unique: Vec<usize> = first
        .values()
        .copied()
        .filter(|i| !damaged.contains_key(i))
        .collect();
    unique.sort_unstable();
    let mut forms: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut new = Vec::new();
    for i in unique {
        match photo(&files[i]).and_then(|p| p.imgmd5.as_deref()) {
            Some(img) => forms.entry(img).or_default().push(i),
            None => new.push(i),
        }
    }
    for (img, group) in forms {
        let (kept, best) = match lib_forms.get(img) {
            Some(lib) => (*lib, None),
            None => {
                let best = best_form(files, &group);
                new.push(best);
                (
                    photo(&files[best]).unwrap_or_else(|| unreachable!()),
                    Some(best),
                )
            }
        };
        let kept_in_library = best.is_none();
        for &i in group.iter().filter(|&&i| Some(i) != best) {
            let p = photo(&files[i]).unwrap_or_else(|| unreachable!());
            verdicts[i] = Some(Verdict::OtherForm(other_form(p, kept, kept_in_library)));
        }
    }
    new.sort_unstable();
    for (i, copy) in smaller(&new) {
        verdicts[i] = Some(Verdict::Smaller(copy));
    }
    new.retain(|&i| verdicts[i].is_none());
    new.extend(kept_damaged(files, &damaged, fuller, &mut verdicts));
    new.sort_unstable();
    place(root, layout, files, &new, &mut verdicts);
    for (&i, why) in &damaged {
        // (A damaged file with no place keeps its Failed.)
        if let Some(Verdict::New { dest }) = &verdicts[i] {
            let (dest, why) = (dest.clone(), why.clone());
            verdicts[i] = Some(Verdict::NewDamaged { dest, why });
        }
    }
    other_form_copies(files, &first, &mut verdicts);
    verdicts
        .into_iter()
        .map(|v| v.unwrap_or_else(|| Verdict::Failed("not planned (a photosync bug)".into())))
        .collect()
}

/// Unreadable files, files the library holds, byte-identical copies of an earlier
/// file. Returns the first file of each MD5 the library lacks, and why each of those is
/// damaged, if it is.
fn by_md5<'a>(
    files: &'a [SourceFile],
    held: &HashSet<&str>,
    verdicts: &mut [Option<Verdict>],
) -> (HashMap<&'a str, usize>, HashMap<usize, String>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut damaged: HashMap<usize, String> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let photo = match &f.read {
            Err(e) => {
                verdicts[i] = Some(Verdict::Unreadable(e.clone()));
                continue;
            }
            Ok(p) => p,
        };
        let md5 = photo.md5.as_deref().unwrap_or_default();
        if held.contains(md5) {
            verdicts[i] = Some(Verdict::InLibrary);
        } else if first.contains_key(md5) {
            verdicts[i] = Some(Verdict::Copy);
        } else {
            first.insert(md5, i);
            if let Some(why) = damage(photo) {
                damaged.insert(i, why);
            }
        }
    }
    (first, damaged)
}

/// The damaged files to import: those no fuller file holds, and not empty. The others
/// get their verdict, with the reason they are left out.
fn kept_damaged(
    files: &[SourceFile],
    damaged: &HashMap<usize, String>,
    fuller: &mut FullerJudge,
    verdicts: &mut [Option<Verdict>],
) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for (&i, why) in damaged {
        if files[i].size == 0 {
            verdicts[i] = Some(Verdict::Damaged(format!(
                "{why}; not imported: an empty file holds nothing"
            )));
        } else {
            kept.push(i);
        }
    }
    kept.sort_unstable();
    for (i, holder) in fuller(&kept) {
        verdicts[i] = Some(Verdict::Damaged(format!(
            "{}; not imported: {} starts with all of its bytes (this file is a copy of it cut short)",
            damaged[&i],
            holder.display()
        )));
    }
    kept.retain(|&i| verdicts[i].is_none());
    kept
}

/// A byte-identical copy of a form that is not kept (another form, a smaller copy, a
/// damaged file left out) is that form too, not a copy of something imported.
fn other_form_copies(
    files: &[SourceFile],
    first: &HashMap<&str, usize>,
    verdicts: &mut [Option<Verdict>],
) {
    for i in 0..files.len() {
        if verdicts[i] != Some(Verdict::Copy) {
            continue;
        }
        let md5 = photo(&files[i])
            .and_then(|p| p.md5.as_deref())
            .unwrap_or_default();
        let path = files[i].path.clone();
        match first.get(md5).map(|&f| verdicts[f].clone()) {
            Some(Some(Verdict::OtherForm(o))) => {
                verdicts[i] = Some(Verdict::OtherForm(OtherForm { path, ..o }));
            }
            Some(Some(Verdict::Smaller(s))) => {
                verdicts[i] = Some(Verdict::Smaller(SmallerCopy { path, ..s }));
            }
            Some(Some(Verdict::Damaged(why))) => verdicts[i] = Some(Verdict::Damaged(why)),
            _ => {}
        }
    }
}

fn photo(f: &SourceFile) -> Option<&Photo> {
    f.read.as_ref().ok()
}

/// Why a readable file is not a whole photo, if it is not: the scanner's verdict (the
/// library's rule, [`crate::library::damage`]), or its reader's error (not the format its
/// name says, an empty file). A broken EXIF block alone does not make a photo damaged.
fn damage(p: &Photo) -> Option<String> {
    p.damaged.clone().or_else(|| {
        p.error
            .as_deref()
            .filter(|e| !e.starts_with("EXIF:"))
            .map(str::to_string)
    })
}

/// The form with the most complete EXIF; then the oldest file; then the largest; then
/// the first path.
fn best_form(files: &[SourceFile], group: &[usize]) -> usize {
    let score = |i: usize| {
        let p = photo(&files[i]).unwrap_or_else(|| unreachable!());
        let exif_date = matches!(
            p.taken.source,
            DateSource::ExifOriginal | DateSource::ExifDigitized | DateSource::ExifDateTime
        );
        let fields = [
            exif_date,
            p.make.is_some(),
            p.model.is_some(),
            p.width.is_some(),
            p.height.is_some(),
            p.orientation.is_some(),
            p.date_facts.modify_date.is_some(),
            p.date_facts.serial.is_some(),
        ];
        // On a tie the older file: an edited copy is written later than its original.
        (
            fields.iter().filter(|b| **b).count(),
            std::cmp::Reverse(p.mtime_ns),
            p.size,
        )
    };
    let mut best = group[0];
    for &i in &group[1..] {
        if score(i) > score(best) {
            best = i;
        }
    }
    best
}

fn other_form(p: &Photo, kept: &Photo, kept_in_library: bool) -> OtherForm {
    let fmt = |p: &Photo| p.taken.local.format("%Y-%m-%d %H:%M:%S").to_string();
    OtherForm {
        path: p.path.clone(),
        kept: kept.path.clone(),
        kept_in_library,
        taken: fmt(p),
        kept_taken: fmt(kept),
        dates_differ: p.taken.local != kept.taken.local,
    }
}

/// The library place of each new photo: the layout's name, else its hash-suffixed
/// form; a name another file holds, or another photo of this run claimed, is not used.
fn place(
    root: &Path,
    layout: &Layout,
    files: &[SourceFile],
    new: &[usize],
    verdicts: &mut [Option<Verdict>],
) {
    let mut claimed: HashSet<PathBuf> = HashSet::new();
    for &i in new {
        let Some(p) = photo(&files[i]) else { continue };
        let md5 = p.md5.as_deref().unwrap_or_default();
        let first = layout.render(p, md5);
        let second = with_hash_suffix(&first, md5);
        let free = [first.clone(), second].into_iter().find(|rel| {
            !claimed.contains(rel) && std::fs::symlink_metadata(root.join(rel)).is_err()
        });
        verdicts[i] = Some(match free {
            Some(dest) => {
                claimed.insert(dest.clone());
                Verdict::New { dest }
            }
            None => Verdict::Failed(format!(
                "{} and its hash-suffixed name are both taken by other files in the library",
                first.display()
            )),
        });
    }
}
