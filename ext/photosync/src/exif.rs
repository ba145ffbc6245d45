//! `Photosync::Exif._read`: EXIF of one file as a Hash, which lib/photosync/exif.rb
//! turns into a `Photosync::Exif` (and the EXIFR facade builds on that).

use crate::{conv, errors, gvl};
use magnus::{function, prelude::*, Error, RHash, RModule, RString, Ruby};
use photosync::library::exif::{self, Metadata};

fn read(ruby: &Ruby, path: RString) -> Result<Option<RHash>, Error> {
    let path = conv::path_from(path);
    let shown = path.clone();
    let out = gvl::without_gvl(ruby, move || exif::read_path(&path), || {})?;
    let meta = match out {
        Some(r) => r.map_err(|e| errors::exif_of(ruby, &shown, e))?,
        None => return Err(errors::error(ruby, "Cancelled", "cancelled".into())),
    };
    meta.map(|m| to_hash(ruby, &m)).transpose()
}

/// EXIF from bytes already in memory (an IO's content, for the EXIFR facade).
fn parse(ruby: &Ruby, bytes: RString) -> Result<Option<RHash>, Error> {
    // SAFETY: the bytes are copied before any other Ruby call.
    let bytes = unsafe { bytes.as_slice() }.to_vec();
    let meta = exif::parse(&bytes, true).map_err(|e| errors::exif(ruby, e))?;
    meta.map(|m| to_hash(ruby, &m)).transpose()
}

fn to_hash(ruby: &Ruby, m: &Metadata) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    let sym = |s: &str| ruby.to_symbol(s);
    h.aset(
        sym("date_time_original"),
        conv::exif_date_parts(ruby, &m.date_time_original),
    )?;
    h.aset(
        sym("date_time_digitized"),
        conv::exif_date_parts(ruby, &m.date_time_digitized),
    )?;
    h.aset(sym("date_time"), conv::exif_date_parts(ruby, &m.date_time))?;
    h.aset(sym("make"), m.make.clone())?;
    h.aset(sym("model"), m.model.clone())?;
    h.aset(sym("width"), m.width)?;
    h.aset(sym("height"), m.height)?;
    h.aset(sym("orientation"), m.orientation)?;
    h.aset(sym("gps_latitude"), m.gps_latitude)?;
    h.aset(sym("gps_longitude"), m.gps_longitude)?;
    h.aset(sym("exposure_time"), m.exposure_time)?;
    h.aset(sym("f_number"), m.f_number)?;
    h.aset(sym("iso_speed_ratings"), m.iso_speed_ratings)?;
    Ok(h)
}

pub fn init(ruby: &Ruby, m: RModule) -> Result<(), Error> {
    let c = m.define_class("Exif", ruby.class_object())?;
    c.define_singleton_method("_read", function!(read, 1))?;
    c.define_singleton_method("_parse", function!(parse, 1))?;
    Ok(())
}
