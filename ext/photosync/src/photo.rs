//! `Photosync::Photo`: a scanned file, wrapping the core's record without copying it
//! into a Hash (a rescan of 100k files builds 100k of these). lib/photosync/photo.rb
//! adds the Ruby conveniences (taken_at as Time, to_h, inspect).

use crate::conv;
use magnus::{method, prelude::*, Error, RArray, RModule, RString, Ruby, Symbol};
use photosync::library::photo::Photo;

#[magnus::wrap(class = "Photosync::Photo", free_immediately, size)]
pub struct RbPhoto(pub Photo);

impl RbPhoto {
    fn path(ruby: &Ruby, rb_self: &Self) -> RString {
        conv::path_to(ruby, &rb_self.0.path)
    }
    fn size(&self) -> u64 {
        self.0.size
    }
    fn mtime_ns(&self) -> i64 {
        self.0.mtime_ns
    }
    fn inode(&self) -> u64 {
        self.0.inode
    }
    fn kind(ruby: &Ruby, rb_self: &Self) -> Symbol {
        ruby.to_symbol(rb_self.0.kind.as_str())
    }
    fn md5(&self) -> Option<String> {
        self.0.md5.clone()
    }
    fn imgmd5(&self) -> Option<String> {
        self.0.imgmd5.clone()
    }
    fn taken_parts(ruby: &Ruby, rb_self: &Self) -> RArray {
        conv::taken_parts(ruby, &rb_self.0.taken)
    }
    fn taken_at_source(ruby: &Ruby, rb_self: &Self) -> Symbol {
        ruby.to_symbol(rb_self.0.taken.source.as_str())
    }
    /// :high, :medium or :low, from where the date came (see `DateSource::confidence`).
    fn taken_at_confidence(ruby: &Ruby, rb_self: &Self) -> Symbol {
        ruby.to_symbol(rb_self.0.taken.source.confidence().as_str())
    }
    fn make(&self) -> Option<String> {
        self.0.make.clone()
    }
    fn model(&self) -> Option<String> {
        self.0.model.clone()
    }
    fn width(&self) -> Option<u32> {
        self.0.width
    }
    fn height(&self) -> Option<u32> {
        self.0.height
    }
    fn orientation(&self) -> Option<u16> {
        self.0.orientation
    }
    fn error(&self) -> Option<String> {
        self.0.error.clone()
    }
    fn damaged(&self) -> Option<String> {
        self.0.damaged.clone()
    }
}

pub fn init(ruby: &Ruby, m: RModule) -> Result<(), Error> {
    let c = m.define_class("Photo", ruby.class_object())?;
    c.undef_default_alloc_func();
    c.define_method("path", method!(RbPhoto::path, 0))?;
    c.define_method("size", method!(RbPhoto::size, 0))?;
    c.define_method("mtime_ns", method!(RbPhoto::mtime_ns, 0))?;
    c.define_method("inode", method!(RbPhoto::inode, 0))?;
    c.define_method("kind", method!(RbPhoto::kind, 0))?;
    c.define_method("md5", method!(RbPhoto::md5, 0))?;
    c.define_method("imgmd5", method!(RbPhoto::imgmd5, 0))?;
    c.define_method("_taken_parts", method!(RbPhoto::taken_parts, 0))?;
    c.define_method("taken_at_source", method!(RbPhoto::taken_at_source, 0))?;
    c.define_method(
        "taken_at_confidence",
        method!(RbPhoto::taken_at_confidence, 0),
    )?;
    c.define_method("make", method!(RbPhoto::make, 0))?;
    c.define_method("model", method!(RbPhoto::model, 0))?;
    c.define_method("width", method!(RbPhoto::width, 0))?;
    c.define_method("height", method!(RbPhoto::height, 0))?;
    c.define_method("orientation", method!(RbPhoto::orientation, 0))?;
    c.define_method("error", method!(RbPhoto::error, 0))?;
    c.define_method("damaged", method!(RbPhoto::damaged, 0))?;
    Ok(())
}
