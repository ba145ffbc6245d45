use magnus::{Error, Ruby};

#[magnus::init(name = "photosync")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let _m = ruby.define_module("Photosync")?;
    Ok(())
}
