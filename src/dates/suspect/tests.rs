use super::*;
use crate::dates::testing::{at, photo};

fn now() -> NaiveDateTime {
    at(2026, 11, 27, 12, 0, 0)
}

fn codes(p: &Photo, checks: &Checks) -> Vec<&'static str> {
    check_one(p, checks, now())
        .into_iter()
        .map(|s| s.code)
        .collect()
}

#[test]
fn a_camera_date_that_looks_right_is_not_suspect() {
    let mut p = photo(
        "/l/DSCN0010.jpg",
        Some("E950"),
        at(2001, 4, 6, 11, 51, 40),
        DateSource::ExifOriginal,
    );
    p.date_facts.modify_date = Some(at(2008, 7, 31, 10, 0, 0));
    p.date_facts.exif_version = Some("0210".into());
    assert!(codes(&p, &Checks::default()).is_empty());
}

#[test]
fn each_bogus_date_has_its_reason() {
    let checks = Checks::default();
    let exif = DateSource::ExifOriginal;
    // The Sanyo fixture's date.
    let sanyo = photo("/l/s.jpg", Some("SR6"), at(1998, 1, 1, 0, 0, 0), exif);
    assert_eq!(codes(&sanyo, &checks), ["factory_reset"]);
    let s = &check_one(&sanyo, &checks, now())[0];
    assert!(s.message.contains("1998-01-01 00:00:00"), "{}", s.message);
    // The same midnight from a name or XMP is no camera's reset.
    assert!(codes(
        &photo("/l/s.jpg", None, at(1998, 1, 1, 0, 0, 0), DateSource::Xmp),
        &checks
    )
    .is_empty());

    // The Polaroid fixture: captured after its own ModifyDate.
    let mut polaroid = photo(
        "/l/p.jpg",
        Some("ION230"),
        at(2026, 11, 24, 14, 41, 16),
        exif,
    );
    polaroid.date_facts.modify_date = Some(at(2008, 7, 31, 17, 32, 6));
    let found = check_one(&polaroid, &checks, now());
    assert_eq!(
        found.iter().map(|s| s.code).collect::<Vec<_>>(),
        ["after_modify_date"]
    );
    assert_eq!(
        found[0].proposal.as_ref().map(|p| p.date),
        Some(at(2008, 7, 31, 17, 32, 6))
    );
    // A day's slack for clocks in other zones.
    polaroid.taken.local = at(2008, 8, 1, 18, 0, 0);
    assert!(codes(&polaroid, &checks).is_empty());

    let future = photo("/l/f.jpg", Some("X"), at(2027, 1, 1, 0, 0, 1), exif);
    assert_eq!(codes(&future, &checks), ["future"]);
    let old = photo("/l/o.jpg", Some("X"), at(1989, 12, 31, 23, 0, 0), exif);
    assert_eq!(codes(&old, &checks), ["before_floor"]);
    let floor = Checks {
        floor: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
        ..Checks::default()
    };
    assert!(codes(&old, &floor).is_empty());

    let mut new_format = photo("/l/n.jpg", Some("X"), at(2005, 6, 1, 12, 0, 0), exif);
    new_format.date_facts.exif_version = Some("0230".into());
    assert_eq!(codes(&new_format, &checks), ["before_camera"]);
    new_format.taken.local = at(2009, 6, 1, 12, 0, 0);
    assert!(codes(&new_format, &checks).is_empty());

    let mut known = Checks::default();
    known.camera_floors.insert(
        "make ion230".into(),
        NaiveDate::from_ymd_opt(2008, 1, 1).unwrap(),
    );
    let early = photo("/l/e.jpg", Some("ION230"), at(2007, 6, 1, 12, 0, 0), exif);
    assert_eq!(codes(&early, &known), ["before_camera"]);

    let mut reset = Checks::default();
    reset.reset_dates.push(at(2002, 2, 2, 2, 2, 2));
    let odd = photo("/l/r.jpg", Some("X"), at(2002, 2, 2, 2, 2, 2), exif);
    assert_eq!(codes(&odd, &reset), ["factory_reset"]);
}

#[test]
fn missing_unreadable_and_file_name_dates() {
    let checks = Checks::default();
    let mut zero = photo("/l/z.jpg", Some("X"), now(), DateSource::Mtime);
    zero.date_facts.problem = Some("DateTimeOriginal is all zeros (0000:00:00 00:00:00)".into());
    assert_eq!(codes(&zero, &checks), ["unreadable", "missing"]);
    // A bad DateTime beside a good DateTimeOriginal is no reason to doubt the photo.
    let mut fine = photo(
        "/l/g.jpg",
        Some("X"),
        at(2010, 5, 5, 5, 5, 5),
        DateSource::ExifOriginal,
    );
    fine.date_facts.problem = Some("DateTime is blank".into());
    assert!(codes(&fine, &checks).is_empty());

    let named = photo(
        "/l/IMG_20190512_143015.jpg",
        Some("X"),
        at(2019, 5, 14, 14, 30, 15),
        DateSource::ExifOriginal,
    );
    let found = check_one(&named, &checks, now());
    assert_eq!(
        found.iter().map(|s| s.code).collect::<Vec<_>>(),
        ["file_name"]
    );
    assert_eq!(
        found[0].proposal.as_ref().map(|p| p.date),
        Some(at(2019, 5, 12, 14, 30, 15))
    );
    let close = photo(
        "/l/IMG_20190512_143015.jpg",
        Some("X"),
        at(2019, 5, 13, 1, 0, 0),
        DateSource::ExifOriginal,
    );
    assert!(codes(&close, &checks).is_empty());
    // A day-only name allows the whole day on top.
    let day = photo(
        "/l/IMG-20190512-WA0001.jpg",
        None,
        at(2019, 5, 13, 23, 0, 0),
        DateSource::Xmp,
    );
    assert!(codes(&day, &checks).is_empty());
    // Rule-corrected dates are the user's word.
    let ruled = photo(
        "/l/IMG_20190512_143015.jpg",
        None,
        at(1970, 1, 1, 0, 0, 0),
        DateSource::Rule,
    );
    assert!(codes(&ruled, &checks).is_empty());
}

#[test]
fn many_photos_of_one_camera_at_the_same_midnight_are_a_reset() {
    let exif = DateSource::ExifOriginal;
    let mut photos: Vec<Photo> = (0..3)
        .map(|i| {
            photo(
                &format!("/l/{i}.jpg"),
                Some("Cam"),
                at(2004, 5, 1, 0, 0, 0),
                exif,
            )
        })
        .collect();
    photos.push(photo(
        "/l/x.jpg",
        Some("Other"),
        at(2004, 5, 1, 0, 0, 0),
        exif,
    ));
    photos.push(photo(
        "/l/y.jpg",
        Some("Cam"),
        at(2004, 5, 2, 0, 0, 0),
        exif,
    ));
    let mut found: Vec<usize> = shared_midnights(&photos)
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    found.sort();
    assert_eq!(found, [0, 1, 2]);
    photos.truncate(2);
    assert!(shared_midnights(&photos).is_empty());
}

#[test]
fn a_date_far_from_agreeing_neighbours_is_suspect() {
    let exif = DateSource::ExifOriginal;
    let p = |name: &str, local| photo(&format!("/l/trip/{name}"), Some("Cam"), local, exif);
    let photos = vec![
        p("DSC_0003.JPG", at(2008, 10, 22, 16, 40, 0)),
        p("DSC_0001.JPG", at(2008, 10, 22, 16, 28, 39)),
        p("DSC_0002.JPG", at(2003, 1, 5, 10, 0, 0)),
        p("DSC_0004.JPG", at(2008, 10, 23, 9, 0, 0)),
        // Another camera in the folder, and the same names elsewhere, are not neighbours.
        photo(
            "/l/trip/IMG_0001.JPG",
            Some("Phone"),
            at(2001, 1, 1, 1, 1, 1),
            exif,
        ),
        photo(
            "/l/other/DSC_0002.JPG",
            Some("Cam"),
            at(1999, 1, 1, 1, 1, 1),
            exif,
        ),
    ];
    let found = odd_neighbours(&photos);
    assert_eq!(found.len(), 1, "{found:?}");
    let (i, s) = &found[0];
    assert_eq!((*i, s.code), (2, "neighbours"));
    assert!(
        s.message.contains("DSC_0001.JPG and DSC_0003.JPG"),
        "{}",
        s.message
    );
    assert_eq!(
        s.proposal.as_ref().map(|p| p.date),
        Some(at(2008, 10, 22, 16, 28, 39))
    );

    // Neighbours weeks apart say nothing about the photo between them.
    let spread = vec![
        p("a.jpg", at(2008, 1, 1, 12, 0, 0)),
        p("b.jpg", at(2003, 1, 1, 12, 0, 0)),
        p("c.jpg", at(2008, 3, 1, 12, 0, 0)),
    ];
    assert!(odd_neighbours(&spread).is_empty());
}
