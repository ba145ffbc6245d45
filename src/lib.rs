//! photosync's core: everything the gem does that is not Ruby. It scans a photo
//! library (MD5 and EXIF in one read per file), keeps a SQLite catalog of what it
//! has seen, and (in later modules) talks to Flickr and other destinations. The
//! Ruby binding in `ext/photosync` only converts types and maps errors.

pub mod account;
pub mod archive;
pub mod cancel;
pub mod catalog;
pub mod dates;
pub mod destinations;
pub mod emulator;
pub mod engine;
pub mod exif;
pub mod flickr;
pub mod gphotos;
pub mod gphotos_emulator;
pub mod gphotos_sync;
pub mod hash;
pub mod imghash;
pub mod kind;
pub mod markup;
pub mod photo;
pub mod report;
pub mod restore;
pub mod samples;
pub mod scan;
pub mod status;
pub mod sync;
pub mod walk;
