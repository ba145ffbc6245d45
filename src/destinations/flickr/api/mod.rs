//! The Flickr client: OAuth 1.0a signing, REST calls by method name, streaming
//! multipart upload and replace, and the OAuth flow. Every URL derives from one
//! endpoint, so the same client talks to Flickr or to the emulator.

mod client;
mod endpoints;
mod error;
mod filename;
mod methods;
mod response;
mod sign;

pub use client::{AccessToken, Client, Credentials, Perms};
pub use endpoints::Endpoints;
pub use error::FlickrError;
pub use methods::{method_names, required_perms, METHODS};
pub use response::UploadAnswer;
