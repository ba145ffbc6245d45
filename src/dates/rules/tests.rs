use super::file::range_granularity;
use super::*;
use crate::dates::testing::{at, photo};
use crate::dates::DateSource;
use crate::dates::DatesError;

const FULL: &str = r#"
checks:
  floor: 1995-01-01
  cameras: { ION230: 2008-01-01, "Canon Canon EOS 40D": 2007-08 }
  reset_dates: ["2000-01-01 00:00:00", "2002:02:02 02:02:02"]
rules:
  - camera: SR6
    serial: 1234
    between: [1998-01-01, 1998]
    shift: "+2y10m3d 4:05:06"
  - folder: Scans/1987
    date: 1987-07
  - folder: /abs/holiday
    date: [2003-07-01, 2003-07-20]
  - folder: WhatsApp
    date: from_file_name
  - make: Kodak
    date: 2001
"#;

#[test]
fn parses_every_part_of_the_file() {
    let rules = Rules::parse(FULL, "dates.yml").expect("parses");
    assert_eq!(
        rules.checks.floor,
        NaiveDate::from_ymd_opt(1995, 1, 1).unwrap()
    );
    assert_eq!(
        rules.checks.camera_floors["canon canon eos 40d"],
        NaiveDate::from_ymd_opt(2007, 8, 1).unwrap()
    );
    assert_eq!(
        rules.checks.reset_dates,
        vec![at(2000, 1, 1, 0, 0, 0), at(2002, 2, 2, 2, 2, 2)]
    );
    assert_eq!(rules.rules.len(), 5);
    let first = &rules.rules[0];
    assert_eq!(first.matcher.serial.as_deref(), Some("1234"));
    assert_eq!(
        first.matcher.between,
        Some((at(1998, 1, 1, 0, 0, 0), at(1998, 12, 31, 23, 59, 59)))
    );
    assert!(matches!(first.action, Action::Shift(o) if o.to_string() == "+2y10m3d 4:05:06"));
    assert_eq!(
        rules.rules[1].action,
        Action::Date(Span {
            start: at(1987, 7, 1, 0, 0, 0),
            end: at(1987, 7, 31, 23, 59, 59),
            granularity: Granularity::Month
        })
    );
    assert!(
        matches!(rules.rules[2].action, Action::Date(s) if s.granularity == Granularity::Month)
    );
    assert_eq!(rules.rules[3].action, Action::FromFileName);
    assert!(matches!(rules.rules[4].action, Action::Date(s) if s.granularity == Granularity::Year));
    assert_eq!(
        Rules::parse("  \n", "x").expect("empty is fine"),
        Rules::default()
    );
}

#[test]
fn mistakes_are_errors_that_name_the_file_and_the_rule() {
    let cases = [
        ("rules: [{camera: X, shift: '1y'}]", "rule 1"),
        ("rules: [{camera: X}]", "exactly one of shift or date"),
        (
            "rules: [{camera: X, shift: '+1y', date: 2001}]",
            "exactly one",
        ),
        ("rules: [{shift: '+1y'}]", "say which photos"),
        ("rules: [{folder: a, date: 2001-13}]", "not a date"),
        (
            "rules: [{folder: a, date: [2003, 2001]}]",
            "ends before it starts",
        ),
        ("rules: [{folder: a, date: [2003]}]", "[from, to]"),
        (
            "rules: [{camera: X, between: [2001], shift: '+1d'}]",
            "two dates",
        ),
        ("rules: [{camera: X, shfit: '+1d'}]", "shfit"),
        ("checks: {floor: soon}", "not a date"),
        ("rules: {camera: X}", "dates.yml"),
    ];
    for (text, want) in cases {
        let e = Rules::parse(text, "dates.yml").expect_err(text).to_string();
        assert!(e.contains(want) && e.contains("dates.yml"), "{text}: {e}");
    }
}

#[test]
fn load_reads_a_file_and_a_missing_default_is_no_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dates.yml");
    assert_eq!(Rules::load(&path, false).unwrap(), Rules::default());
    assert!(matches!(
        Rules::load(&path, true),
        Err(DatesError::RulesIo { .. })
    ));
    std::fs::write(&path, FULL).unwrap();
    assert_eq!(Rules::load(&path, true).unwrap().rules.len(), 5);
    std::fs::write(&path, "rules: [").unwrap();
    assert!(matches!(
        Rules::load(&path, false),
        Err(DatesError::Rules { .. })
    ));
}

#[test]
fn the_default_path_honours_xdg_config_home() {
    // The only test that touches this variable.
    std::env::set_var("XDG_CONFIG_HOME", "/tmp/xdg-test");
    assert_eq!(
        Rules::default_path(),
        PathBuf::from("/tmp/xdg-test/photosync/dates.yml")
    );
    std::env::set_var("XDG_CONFIG_HOME", "");
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    assert_eq!(
        Rules::default_path(),
        home.join(".config/photosync/dates.yml")
    );
}

#[test]
fn a_shift_rule_moves_exactly_the_photos_it_names() {
    let rules = Rules::parse(FULL, "dates.yml").unwrap();
    let root = Path::new("/lib");
    let mut sanyo = photo(
        "/lib/a/1.jpg",
        Some("SR6"),
        at(1998, 1, 1, 0, 0, 0),
        DateSource::ExifOriginal,
    );
    // No serial: the rule asks for 1234.
    assert_eq!(rules.fix(&sanyo, root), None);
    sanyo.date_facts.serial = Some("1234".into());
    let fix = rules.fix(&sanyo, root).expect("matches");
    assert_eq!(
        (fix.date, fix.granularity),
        (at(2000, 11, 4, 4, 5, 6), Granularity::Exact)
    );
    assert!(
        fix.by.starts_with("rule 1 (camera SR6, serial 1234: shift"),
        "{}",
        fix.by
    );
    // Outside `between`, another model, another serial: untouched.
    let later = Photo {
        taken: crate::dates::TakenAt {
            local: at(1999, 1, 1, 0, 0, 0),
            ..sanyo.taken
        },
        ..sanyo.clone()
    };
    assert_eq!(rules.fix(&later, root), None);
    let other = Photo {
        model: Some("SR7".into()),
        ..sanyo.clone()
    };
    assert_eq!(rules.fix(&other, root), None);
    let mut other_body = sanyo.clone();
    other_body.date_facts.serial = Some("99".into());
    assert_eq!(rules.fix(&other_body, root), None);
    // "Make Model" names it too, in any case.
    let by_full = Rules::parse("rules: [{camera: make sr6, shift: '-1d'}]", "x").unwrap();
    assert_eq!(
        by_full.fix(&sanyo, root).map(|f| f.date),
        Some(at(1997, 12, 31, 0, 0, 0))
    );
}

#[test]
fn folder_rules_set_dates_outside_their_span_and_read_names() {
    let rules = Rules::parse(FULL, "dates.yml").unwrap();
    let root = Path::new("/lib");
    let scan = |path: &str, local, source| rules.fix(&photo(path, None, local, source), root);
    // Relative folders are below the library root, component by component.
    let fix = scan(
        "/lib/Scans/1987/x.jpg",
        at(2015, 3, 3, 3, 3, 3),
        DateSource::ExifOriginal,
    )
    .unwrap();
    assert_eq!(
        (fix.date, fix.granularity.flickr_value()),
        (at(1987, 7, 1, 0, 0, 0), 4)
    );
    assert_eq!(
        scan(
            "/lib/Scans/1987/x.jpg",
            at(1987, 7, 9, 1, 2, 3),
            DateSource::ExifOriginal
        ),
        None
    );
    assert!(scan(
        "/lib/Scans/1987/x.jpg",
        at(1987, 7, 9, 1, 2, 3),
        DateSource::Mtime
    )
    .is_some());
    assert_eq!(
        scan(
            "/lib/Scans/19870/x.jpg",
            at(2015, 3, 3, 3, 3, 3),
            DateSource::Mtime
        ),
        None
    );
    assert_eq!(
        scan(
            "/other/Scans/1987/x.jpg",
            at(2015, 3, 3, 3, 3, 3),
            DateSource::Mtime
        ),
        None
    );
    // Absolute folder, range within one month.
    let fix = scan(
        "/abs/holiday/y.jpg",
        at(2003, 8, 1, 0, 0, 0),
        DateSource::ExifOriginal,
    )
    .unwrap();
    assert_eq!(
        (fix.date, fix.granularity),
        (at(2003, 7, 1, 0, 0, 0), Granularity::Month)
    );
    // Names: a name with a date gives it; one without leaves the photo to later rules.
    let fix = scan(
        "/lib/WhatsApp/IMG-20190512-WA0001.jpg",
        at(2020, 1, 1, 0, 0, 0),
        DateSource::Mtime,
    )
    .unwrap();
    assert_eq!(fix.date, at(2019, 5, 12, 0, 0, 0));
    assert_eq!(
        scan(
            "/lib/WhatsApp/DSC_0001.jpg",
            at(2020, 1, 1, 0, 0, 0),
            DateSource::Mtime
        ),
        None
    );
    assert_eq!(
        range_granularity(at(2003, 1, 1, 0, 0, 0), at(2004, 1, 1, 0, 0, 0)),
        Granularity::Circa
    );
}
