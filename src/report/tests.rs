use super::*;
use crate::catalog::RemoteCopy;
use crate::dates::testing::{at, photo};

fn library() -> Vec<Photo> {
    let mut reset = photo(
        "/lib/<script>alert(1)</script>.jpg",
        Some("SR6"),
        at(1998, 1, 1, 0, 0, 0),
        DateSource::ExifOriginal,
    );
    reset.md5 = Some("aa".into());
    let mut fine = photo(
        "/lib/b.jpg",
        Some("EOS"),
        at(2015, 6, 1, 12, 0, 0),
        DateSource::ExifOriginal,
    );
    fine.md5 = Some("bb".into());
    let mut broken = photo(
        "/lib/c.jpg",
        None,
        at(2015, 6, 1, 12, 0, 1),
        DateSource::ExifOriginal,
    );
    broken.md5 = Some("cc".into());
    broken.error = Some("broken EXIF: bad IFD".into());
    vec![reset, fine, broken]
}

fn catalog(photos: &[Photo]) -> Catalog {
    let mut cat = Catalog::in_memory().unwrap();
    cat.record(photos).unwrap();
    let copy = |md5: &str| RemoteCopy {
        remote_id: format!("id-{md5}"),
        md5: md5.into(),
        uploaded_at: 1,
    };
    cat.record_remote("flickr:me", &[copy("bb")], None).unwrap();
    cat.record_remote("archive:/mnt", &[copy("bb")], None)
        .unwrap();
    cat.record_refusal("flickr:me", "cc", "Filetype was not recognised")
        .unwrap();
    cat
}

fn whole_catalog(cat: &mut Catalog, limits: &Limits) -> Report {
    run(
        None,
        cat,
        &Rules::default(),
        limits,
        &Cancel::new(),
        &mut |_| {},
    )
    .unwrap()
}

#[test]
fn counts_copies_lists_single_copies_errors_and_the_reset_date_by_camera() {
    let photos = library();
    let r = whole_catalog(&mut catalog(&photos), &Limits::default());
    assert_eq!(r.photos, 3);
    assert_eq!(r.by_copies, BTreeMap::from([(1, 2), (3, 1)]));
    let single: Vec<&str> = r.single.iter().map(|s| s.place.as_str()).collect();
    assert_eq!(single, ["/lib/<script>alert(1)</script>.jpg", "/lib/c.jpg"]);
    let errors: Vec<(String, &str)> = r
        .errors
        .iter()
        .map(|e| (e.path.display().to_string(), e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("/lib/c.jpg".into(), "broken EXIF: bad IFD"),
            (
                "/lib/c.jpg".into(),
                "refused by flickr:me: Filetype was not recognised"
            ),
        ]
    );
    assert_eq!(r.suspicious_total, 1);
    assert_eq!(r.cameras.len(), 1);
    assert_eq!(r.cameras[0].camera, "Make SR6");
    let reset = &r.cameras[0].photos[0];
    assert_eq!(reset.date, "1998-01-01 00:00:00");
    assert_eq!(reset.proposed_by, "add a shift rule for camera Make SR6");
    // The file is not there: a placeholder, not an error.
    assert_eq!(reset.thumbnail, None);
}

#[test]
fn the_page_escapes_user_text_and_fetches_nothing() {
    let photos = library();
    let html = html::render(&whole_catalog(&mut catalog(&photos), &Limits::default()));
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(html.contains("/lib/&lt;script&gt;alert(1)&lt;/script&gt;.jpg"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<svg id=\"copies-chart\""));
    assert!(html.contains("data-copies=\"3+ copies\" data-photos=\"1\""));
    assert!(html.contains("no embedded thumbnail"));
}

#[test]
fn long_lists_are_capped_with_a_count() {
    let photos: Vec<Photo> = (0..10)
        .map(|i| {
            let mut p = photo(
                &format!("/lib/{i:02}.jpg"),
                None,
                at(2015, 1, 1, 0, 0, i),
                DateSource::Mtime,
            );
            p.md5 = Some(format!("{i:032x}"));
            p
        })
        .collect();
    let mut cat = Catalog::in_memory().unwrap();
    cat.record(&photos).unwrap();
    let limits = Limits {
        single_copies: 3,
        errors: 3,
        review: 4,
    };
    let r = whole_catalog(&mut cat, &limits);
    assert_eq!((r.single.len(), r.single_total), (3, 10));
    assert_eq!((r.review_shown(), r.review_total), (4, 10));
    let html = html::render(&r);
    assert!(html.contains("… and 7 more"));
    assert!(html.contains("… and 6 more"));
}
