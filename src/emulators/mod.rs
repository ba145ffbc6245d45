//! Local stand-ins for the real services, apart from the product code: a Flickr API
//! server ([`flickr`]) and a Google Photos Library API server ([`gphotos`]), each
//! modelling its service's documented failures. Tests, benchmarks and `photosync demo`
//! run against them; real clients (flickraw, python flickrapi) work against them too.

pub mod flickr;
pub mod gphotos;
