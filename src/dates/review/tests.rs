use super::*;
use crate::dates::testing::{at, photo};

#[test]
fn lists_suspects_and_rule_corrections_only() {
    let rules = Rules::parse("rules: [{camera: Fixed, shift: '+1d'}]", "x").unwrap();
    let now = at(2026, 11, 27, 0, 0, 0);
    let exif = crate::dates::DateSource::ExifOriginal;
    let photos = vec![
        photo("/l/good.jpg", Some("Good"), at(2010, 1, 2, 3, 4, 5), exif),
        photo("/l/reset.jpg", Some("SR6"), at(1998, 1, 1, 0, 0, 0), exif),
        photo("/l/fixed.jpg", Some("Fixed"), at(2010, 1, 2, 3, 4, 5), exif),
    ];
    let found = review(&photos, Path::new("/l"), &rules, now);
    let paths: Vec<_> = found
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(paths, ["/l/reset.jpg", "/l/fixed.jpg"]);
    assert_eq!(found[0].reasons[0].code, "factory_reset");
    assert_eq!(
        (found[0].confidence, found[0].fix.as_ref()),
        (Confidence::Low, None)
    );
    assert_eq!(found[0].camera.as_deref(), Some("Make SR6"));
    assert!(found[1].reasons.is_empty());
    assert_eq!(found[1].confidence, Confidence::High);
    assert_eq!(
        found[1].fix.as_ref().map(|f| f.date),
        Some(at(2010, 1, 3, 3, 4, 5))
    );

    let mut photos = photos;
    assert_eq!(correct(&mut photos, Path::new("/l"), &rules), 1);
    assert_eq!(photos[2].taken.source, DateSource::Rule);
    assert_eq!(photos[2].taken.local, at(2010, 1, 3, 3, 4, 5));
    assert_eq!(photos[0].taken.source, exif);
}

#[test]
fn camera_labels_do_not_repeat_the_make() {
    let mut p = photo(
        "/l/a.jpg",
        Some("Canon EOS 40D"),
        at(2010, 1, 1, 0, 0, 0),
        DateSource::Xmp,
    );
    p.make = Some("Canon".into());
    assert_eq!(camera_label(&p).as_deref(), Some("Canon EOS 40D"));
    p.make = None;
    assert_eq!(camera_label(&p).as_deref(), Some("Canon EOS 40D"));
    p.model = None;
    assert_eq!(camera_label(&p), None);
}
