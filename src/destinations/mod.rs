//! Where photos are copied to, one folder each: [`flickr`], [`gphotos`] (Google Photos),
//! [`archive`] (a folder on an external drive) and [`s3`] (a bucket). Each holds its API
//! client, its sync and its own tools; what is the same for every destination lives in
//! `crate::engine`.

pub mod archive;
pub mod flickr;
pub mod gphotos;
pub mod s3;
