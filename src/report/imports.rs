//! The report's import section: per source, the counts of its last import, and each
//! smaller-copy decision with both pictures side by side (data: URIs made at import
//! time), so a person checks at a glance that the copy left out is the photo kept.

use crate::catalog::{SmallerShown, SourceInventory};
use crate::markup::escape;
use base64::Engine as _;
use std::fmt::Write as _;

pub fn section(h: &mut String, imports: &[SourceInventory]) {
    if imports.is_empty() {
        return;
    }
    h.push_str("<section id=\"imports\"><h2>Imports</h2>");
    for inv in imports {
        let at = chrono::DateTime::from_timestamp(inv.run_at, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        let _ = write!(
            h,
            "<div class=\"source\"><h3><span class=\"path\">{}</span></h3>\
             <p class=\"meta\">last import {at}{} into <span class=\"path\">{}</span></p><table>",
            escape(&inv.source.display().to_string()),
            if inv.dry_run { " (dry run)" } else { "" },
            escape(&inv.library.display().to_string()),
        );
        for (name, n) in &inv.counts {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{n}</td></tr>",
                escape(&name.replace('_', " "))
            );
        }
        h.push_str("</table>");
        for s in &inv.smaller {
            smaller(h, s);
        }
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");
}

fn smaller(h: &mut String, s: &SmallerShown) {
    let side = |h: &mut String, picture: &Option<Vec<u8>>, path: &str| match picture {
        Some(jpeg) => {
            let _ = write!(
                h,
                "<div class=\"thumb\"><img alt=\"{path}\" src=\"data:image/jpeg;base64,{}\"></div>",
                base64::engine::general_purpose::STANDARD.encode(jpeg)
            );
        }
        None => {
            h.push_str("<div class=\"thumb\"><div class=\"placeholder\">no picture</div></div>")
        }
    };
    let (path, kept) = (
        escape(&s.path.display().to_string()),
        escape(&s.kept.display().to_string()),
    );
    h.push_str("<div class=\"photo smaller\">");
    side(h, &s.thumb, &path);
    side(h, &s.kept_thumb, &kept);
    let _ =
        writeln!(
        h,
        "<div class=\"info\"><div>smaller copy{}: <span class=\"path\">{path}</span> ({})</div>\
         <div>of {}: <span class=\"path\">{kept}</span> ({})</div></div></div>",
        if s.imported { " (imported too)" } else { ", not imported" },
        escape(&s.size),
        if s.kept_in_library { "the library's" } else { "the photo imported" },
        escape(&s.kept_size),
    );
}
