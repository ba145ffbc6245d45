//! Page sizes and page tokens as Google's: a default and a maximum per method (bigger sizes are
//! cut to the maximum, negative ones refused), opaque tokens bound to the listing that made them,
//! and the quirk that a page may begin with the previous page's last item (seeded; rclone skips
//! it). Only a `nextPageToken` says there is more.

use base64::Engine;

use super::state::State;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PageError {
    #[error("Invalid page token.")]
    Token,
    #[error("The page size must not be negative.")]
    Size,
}

pub struct Paging {
    pub default: i64,
    pub max: i64,
}

pub const MEDIA_ITEMS: Paging = Paging {
    default: 25,
    max: 100,
};
pub const ALBUMS: Paging = Paging {
    default: 20,
    max: 50,
};

fn encode(listing: &str, start: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{listing}|{start}"))
}

fn decode(listing: &str, token: &str) -> Result<usize, PageError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| PageError::Token)?;
    let text = String::from_utf8(bytes).map_err(|_| PageError::Token)?;
    let (name, start) = text.rsplit_once('|').ok_or(PageError::Token)?;
    if name != listing {
        return Err(PageError::Token);
    }
    start.parse().map_err(|_| PageError::Token)
}

/// The page of `all` that `size` and `token` ask for, and the token of the next one. `listing`
/// names the query (method and filters) so a token only fits the listing that made it.
pub fn page<T: Clone>(
    state: &mut State,
    all: &[T],
    paging: &Paging,
    size: Option<i64>,
    token: Option<&str>,
    listing: &str,
) -> Result<(Vec<T>, Option<String>), PageError> {
    let size = match size {
        None | Some(0) => paging.default,
        Some(n) if n < 0 => return Err(PageError::Size),
        Some(n) => n.min(paging.max),
    } as usize;
    let start = match token {
        None | Some("") => 0,
        Some(t) => decode(listing, t)?,
    };
    let start = start.min(all.len());
    let end = (start + size).min(all.len());
    let next = if end < all.len() {
        let rate = state.page_repeat_rate;
        let repeat = state.rng.next_f64() < rate && end - start > 1;
        Some(encode(listing, if repeat { end - 1 } else { end }))
    } else {
        None
    };
    Ok((all[start..end].to_vec(), next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_everything_and_tokens_fit_their_listing() {
        let mut state = State::new(1, 10, 0.0);
        let all: Vec<u32> = (0..7).collect();
        let (first, next) = page(&mut state, &all, &ALBUMS, Some(3), None, "a").unwrap();
        assert_eq!(first, vec![0, 1, 2]);
        let next = next.unwrap();
        let (second, _) = page(&mut state, &all, &ALBUMS, Some(3), Some(&next), "a").unwrap();
        assert_eq!(second, vec![3, 4, 5]);
        assert_eq!(
            page(&mut state, &all, &ALBUMS, Some(3), Some(&next), "b").err(),
            Some(PageError::Token)
        );
        assert_eq!(
            page(&mut state, &all, &ALBUMS, Some(-1), None, "a").err(),
            Some(PageError::Size)
        );
        let (big, none) = page(&mut state, &all, &ALBUMS, Some(500), None, "a").unwrap();
        assert_eq!((big.len(), none), (7, None));
    }

    #[test]
    fn with_the_quirk_a_page_repeats_the_last_item() {
        let mut state = State::new(1, 10, 1.0);
        let all: Vec<u32> = (0..5).collect();
        let (_, next) = page(&mut state, &all, &ALBUMS, Some(3), None, "a").unwrap();
        let (second, _) = page(&mut state, &all, &ALBUMS, Some(3), next.as_deref(), "a").unwrap();
        assert_eq!(second, vec![2, 3, 4]);
    }
}
