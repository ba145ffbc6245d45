//! The report as one self-contained HTML page: inline CSS, an inline SVG chart, thumbnails
//! as data: URIs, no script and nothing fetched (a Content-Security-Policy says so to the
//! browser too). Every piece of text comes from the user's files or other people's software
//! (paths, camera names, messages), so all of it goes through [`escape`](crate::markup::escape).

use super::{CameraGroup, FileProblem, Report, Reviewed};
use crate::markup::escape;
use base64::Engine as _;
use std::fmt::Write as _;

const STYLE: &str = "
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}
.meta{color:#666}.path{font-family:monospace;word-break:break-all}
.more{color:#666;font-style:italic}ul.single{columns:2;font-size:.9em}
table{border-collapse:collapse}td{padding:.2em .6em;vertical-align:top;border-bottom:1px solid #eee}
.photo{display:flex;gap:1em;margin:.8em 0;padding:.6em;border:1px solid #ddd;border-radius:6px}
.thumb{width:170px;min-width:170px;height:170px;display:flex;align-items:center;justify-content:center;background:#f4f4f4}
.thumb img{max-width:160px;max-height:160px}
.placeholder{color:#888;font-size:.85em;text-align:center;padding:1em}
.reason{color:#a33}.proposed{color:#262}.rule{font-weight:bold}
.o2{transform:scaleX(-1)}.o3{transform:rotate(180deg)}.o4{transform:scaleY(-1)}
.o5{transform:scaleX(-1) rotate(90deg)}.o6{transform:rotate(90deg)}
.o7{transform:scaleX(-1) rotate(-90deg)}.o8{transform:rotate(-90deg)}
";

pub fn render(r: &Report) -> String {
    let mut h = String::new();
    let library = r.root.as_ref().map_or_else(
        || "the whole catalog".to_owned(),
        |p| p.display().to_string(),
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>photosync report: {lib}</title><style>{STYLE}</style></head><body>\n\
         <h1>Where every photo lives</h1><p class=\"meta\"><span class=\"path\">{lib}</span>: {n} photos, \
         generated {at}</p>\n",
        lib = escape(&library),
        n = r.photos,
        at = escape(&r.generated_at),
    );
    copies(&mut h, r);
    single(&mut h, r);
    errors(&mut h, r);
    damaged(&mut h, r);
    super::imports::section(&mut h, &r.imports);
    dates(&mut h, r);
    h.push_str("</body></html>\n");
    h
}

/// Bars for 3+, 2 and 1 copies (and none, when some photo has none).
fn copies(h: &mut String, r: &Report) {
    let count = |pred: &dyn Fn(usize) -> bool| -> u64 {
        r.by_copies
            .iter()
            .filter(|(k, _)| pred(**k))
            .map(|(_, n)| *n)
            .sum()
    };
    let mut bars = vec![
        ("3+ copies", count(&|k| k >= 3), "#3a8d3a"),
        ("2 copies", count(&|k| k == 2), "#d99a1e"),
        ("1 copy", count(&|k| k == 1), "#c0392b"),
    ];
    let none = count(&|k| k == 0);
    if none > 0 {
        bars.push(("no copy", none, "#555"));
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let (row, label_w, bar_w) = (34u64, 90u64, 420u64);
    let height = row * bars.len() as u64 + 10;
    let _ = write!(
        h,
        "<section id=\"copies\"><h2>Copies per photo</h2>\
         <svg id=\"copies-chart\" role=\"img\" aria-label=\"photos by number of copies\" \
         width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\">",
        w = label_w + bar_w + 160,
    );
    for (i, (label, n, color)) in bars.iter().enumerate() {
        let y = i as u64 * row + 5;
        let width = (n * bar_w).div_ceil(max);
        let share = match r.photos {
            0 => 0.0,
            total => *n as f64 * 100.0 / total as f64,
        };
        let _ = write!(
            h,
            "<g class=\"bar\" data-copies=\"{label}\" data-photos=\"{n}\">\
             <text x=\"0\" y=\"{ty}\" font-size=\"14\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{width}\" height=\"24\" fill=\"{color}\"></rect>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"14\">{n} ({share:.1}%)</text></g>",
            ty = y + 17,
            tx = label_w + width + 8,
        );
    }
    h.push_str("</svg></section>\n");
}

fn single(h: &mut String, r: &Report) {
    let items = r.single.iter().map(|s| {
        format!(
            "<li class=\"path\" title=\"MD5 {}\">{}</li>",
            escape(&s.md5),
            escape(&s.place)
        )
    });
    let list = List {
        id: "single",
        title: "Photos with a single copy",
        total: r.single_total,
        none: "None: every photo has a second copy.",
        tag: "ul class=\"single\"",
        end: "ul",
        all: "photosync status --min-copies 2 --json",
    };
    list.render(h, items);
}

fn errors(h: &mut String, r: &Report) {
    let items = rows(&r.errors);
    let list = List {
        id: "errors",
        title: "Per-file errors",
        total: r.errors_total,
        none: "None.",
        tag: "table",
        end: "table",
        all: "photosync scan",
    };
    list.render(h, items);
}

/// A table row per file: its path, and what is wrong with it.
fn rows(problems: &[FileProblem]) -> impl Iterator<Item = String> + '_ {
    problems.iter().map(|p| {
        format!(
            "<tr><td class=\"path\">{}</td><td>{}</td></tr>",
            escape(&p.path.display().to_string()),
            escape(&p.message)
        )
    })
}

/// Originals whose format says they are cut short: backed up as they are, listed so
/// that a person looks for a better copy while one may still exist.
fn damaged(h: &mut String, r: &Report) {
    let items = rows(&r.damaged);
    let list = List {
        id: "damaged",
        title: "Damaged originals",
        total: r.damaged_total,
        none: "None: every file's format says it is whole.",
        tag: "table",
        end: "table",
        all: "photosync status",
    };
    list.render(h, items);
}

/// A section listing at most a capped number of items, saying how many more there are.
struct List {
    id: &'static str,
    title: &'static str,
    total: u64,
    none: &'static str,
    tag: &'static str,
    end: &'static str,
    /// The command that lists them all.
    all: &'static str,
}

impl List {
    fn render(&self, h: &mut String, items: impl Iterator<Item = String>) {
        let _ = write!(
            h,
            "<section id=\"{}\"><h2>{} ({})</h2>",
            self.id, self.title, self.total
        );
        let mut shown = 0;
        for item in items {
            if shown == 0 {
                let _ = write!(h, "<{}>", self.tag);
            }
            h.push_str(&item);
            shown += 1;
        }
        match shown {
            0 => {
                let _ = write!(h, "<p>{}</p>", self.none);
            }
            _ => {
                let _ = write!(h, "</{}>", self.end);
            }
        }
        more(h, self.total, shown, self.all);
        h.push_str("</section>\n");
    }
}

fn dates(h: &mut String, r: &Report) {
    let _ = write!(
        h,
        "<section id=\"dates\"><h2>Date review</h2><p>{} photos with a suspicious date, {} to review \
         in all (a rule's fix or a suspicious date).</p>",
        r.suspicious_total, r.review_total
    );
    for group in &r.cameras {
        camera(h, group);
    }
    more(h, r.review_total, r.review_shown(), "photosync dates");
    h.push_str("</section>\n");
}

fn camera(h: &mut String, g: &CameraGroup) {
    let _ = write!(
        h,
        "<div class=\"camera\"><h3>{} ({})</h3>",
        escape(&g.camera),
        g.photos.len()
    );
    for p in &g.photos {
        photo(h, p);
    }
    h.push_str("</div>\n");
}

fn photo(h: &mut String, p: &Reviewed) {
    let path = escape(&p.path.display().to_string());
    h.push_str("<div class=\"photo\"><div class=\"thumb\">");
    match &p.thumbnail {
        Some(jpeg) => {
            let _ = write!(
                h,
                "<img class=\"o{}\" alt=\"thumbnail of {path}\" src=\"data:image/jpeg;base64,{}\">",
                p.orientation.unwrap_or(1),
                base64::engine::general_purpose::STANDARD.encode(jpeg)
            );
        }
        None => h.push_str("<div class=\"placeholder\">no embedded thumbnail</div>"),
    }
    let _ = write!(
        h,
        "</div><div class=\"info\"><div class=\"path\">{path}</div>\
         <div>current: <b>{}</b> ({})</div>",
        escape(&p.date),
        p.source.as_str()
    );
    for reason in &p.reasons {
        let _ = write!(h, "<div class=\"reason\">{}</div>", escape(reason));
    }
    let (label, class) = match p.by_rule {
        true => ("fix", "proposed rule"),
        false => ("proposed", "proposed"),
    };
    let date = p
        .proposed
        .as_ref()
        .map_or_else(String::new, |d| format!("<b>{}</b>, ", escape(d)));
    let _ = writeln!(
        h,
        "<div class=\"{class}\">{label}: {date}{}</div></div></div>",
        escape(&p.proposed_by)
    );
}

fn more(h: &mut String, total: u64, shown: usize, command: &str) {
    if total > shown as u64 {
        let _ = write!(
            h,
            "<p class=\"more\">… and {} more (<code>{}</code> lists them all)</p>",
            total - shown as u64,
            escape(command)
        );
    }
}
