//! The local photo library: walking its folders ([`walk`]), telling media kinds apart
//! ([`kind`]), and reading each file once ([`scan`]) for its MD5 ([`hash`]), its
//! image-data MD5 ([`imghash`]), its EXIF ([`exif`]) and whether its format says it is
//! cut short ([`damage`]), into a [`photo::Photo`].
//! [`samples`] writes a generated sample library for demos and benchmarks.

pub mod damage;
pub mod exif;
pub mod hash;
pub mod imghash;
pub mod kind;
pub mod md5x;
pub mod multiread;
pub mod photo;
pub mod samples;
pub mod scan;
pub mod walk;
