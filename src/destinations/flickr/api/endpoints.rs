//! Where each kind of Flickr request goes. Real Flickr spreads them over three hosts;
//! an emulator (or a proxy) serves all of them, at Flickr's paths, under one base URL.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub rest: String,
    pub upload: String,
    pub replace: String,
    pub request_token: String,
    pub authorize: String,
    pub access_token: String,
}

impl Endpoints {
    pub fn flickr() -> Self {
        Endpoints {
            rest: "https://api.flickr.com/services/rest/".into(),
            upload: "https://up.flickr.com/services/upload/".into(),
            replace: "https://up.flickr.com/services/replace/".into(),
            request_token: "https://www.flickr.com/services/oauth/request_token".into(),
            authorize: "https://www.flickr.com/services/oauth/authorize".into(),
            access_token: "https://www.flickr.com/services/oauth/access_token".into(),
        }
    }

    /// Every URL under `base` (e.g. `http://127.0.0.1:4567`), at Flickr's paths.
    pub fn under(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Endpoints {
            rest: format!("{base}/services/rest/"),
            upload: format!("{base}/services/upload/"),
            replace: format!("{base}/services/replace/"),
            request_token: format!("{base}/services/oauth/request_token"),
            authorize: format!("{base}/services/oauth/authorize"),
            access_token: format!("{base}/services/oauth/access_token"),
        }
    }

    /// `None` or an empty string means real Flickr.
    pub fn from_option(base: Option<&str>) -> Self {
        match base.map(str::trim).filter(|b| !b.is_empty()) {
            Some(b) => Self::under(b),
            None => Self::flickr(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_base_serves_every_path() {
        let e = Endpoints::under("http://127.0.0.1:9/");
        assert_eq!(e.rest, "http://127.0.0.1:9/services/rest/");
        assert_eq!(
            e.access_token,
            "http://127.0.0.1:9/services/oauth/access_token"
        );
        assert_eq!(Endpoints::from_option(Some("")), Endpoints::flickr());
    }
}
