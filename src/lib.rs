//! photosync's core: everything the gem does that is not Ruby. The folders name the
//! concepts, in the order data flows: the `library` is scanned (MD5, image-data MD5 and
//! EXIF in one read per file) into the `catalog`, `dates` decides each photo's taken-date,
//! the `engine` holds what is the same for every destination, and each of the
//! `destinations` (Flickr, Google Photos, an archive folder) gets every photo exactly once.
//! `import` brings old drives into the library, each photo once.
//! `restore`, `status` and `report` read the catalog back; the `emulators` stand for the
//! real services in tests and demos. The Ruby binding in `ext/photosync` only converts
//! types and maps errors.

pub mod cancel;
pub mod catalog;
pub mod dates;
pub mod destinations;
pub mod emulators;
pub mod engine;
pub mod import;
pub mod library;
pub mod markup;
pub mod net;
pub mod report;
pub mod restore;
pub mod serial;
pub mod status;
