//! The permission each Flickr method needs, in the emulator's terms. The list itself is
//! the client's (`crate::destinations::flickr::api::METHODS`), so the two never drift apart.

use super::tokens::Perms;
use crate::destinations::flickr::api::{self as flickr, Perms as ClientPerms};

/// The permission `method` needs, or `None` when Flickr has no such method.
pub fn required_perms(method: &str) -> Option<Perms> {
    flickr::required_perms(method).map(from_client)
}

pub fn from_client(perms: Option<ClientPerms>) -> Perms {
    match perms {
        None => Perms::None,
        Some(ClientPerms::Read) => Perms::Read,
        Some(ClientPerms::Write) => Perms::Write,
        Some(ClientPerms::Delete) => Perms::Delete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_methods_photosync_uses() {
        assert_eq!(required_perms("flickr.photos.delete"), Some(Perms::Delete));
        assert_eq!(required_perms("flickr.photos.search"), Some(Perms::None));
        assert_eq!(required_perms("flickr.test.login"), Some(Perms::Read));
        assert_eq!(required_perms("flickr.nope"), None);
    }
}
