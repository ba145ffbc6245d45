//! `Photosync._samples`: writes the generated sample library (see the core's samples).

use crate::{conv, errors};
use magnus::{function, prelude::*, Error, RModule, RString, Ruby};

fn generate(ruby: &Ruby, dir: RString, seed: u64) -> Result<(usize, u64), Error> {
    let dir = conv::path_from(dir);
    photosync::library::samples::generate(&dir, seed)
        .map(|r| (r.files, r.bytes))
        .map_err(|e| errors::samples(ruby, e))
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_samples", function!(generate, 2))?;
    Ok(())
}
