//! The Ruby binding of photosync's core: type conversion, error mapping and GVL
//! release only. Everything else lives in the core crate at the repository root;
//! keyword arguments and Ruby idioms live in lib/.

mod account;
mod archive;
mod background;
mod conv;
mod dates;
mod emulator;
mod emulator_args;
mod errors;
mod exif;
mod flickr;
mod gphotos;
mod gphotos_emulator;
mod gvl;
mod import;
mod lock;
mod photo;
mod report;
mod restore;
mod runtime;
mod s3;
mod samples;
mod scan;
mod status;
mod sync;

use magnus::{Error, Ruby};

#[magnus::init(name = "photosync")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let m = ruby.define_module("Photosync")?;
    photo::init(ruby, m)?;
    scan::init(ruby, m)?;
    exif::init(ruby, m)?;
    samples::init(ruby, m)?;
    flickr::init(ruby, m)?;
    emulator::init(ruby, m)?;
    gphotos_emulator::init(ruby, m)?;
    gphotos::init(ruby, m)?;
    sync::init(ruby, m)?;
    dates::init(ruby, m)?;
    restore::init(ruby, m)?;
    report::init(ruby, m)?;
    account::init(ruby, m)?;
    status::init(ruby, m)?;
    archive::init(ruby, m)?;
    s3::init(ruby, m)?;
    import::init(ruby, m)?;
    Ok(())
}
