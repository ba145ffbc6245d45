//! What the Flickr and Google Photos emulator bindings share: argument checks
//! (durations, rates, fault names) and access to an emulator that may have been
//! stopped, each failing with one plain Photosync::Error.

use crate::errors;
use magnus::{Error, Ruby};
use std::cell::RefCell;
use std::time::Duration;

pub(crate) fn seconds(ruby: &Ruby, s: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(s).map_err(|_| {
        errors::error(
            ruby,
            "Error",
            format!("latency must be 0 or more seconds, not {s}"),
        )
    })
}

pub(crate) fn rate(ruby: &Ruby, name: &str, rate: f64) -> Result<f64, Error> {
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(errors::error(
            ruby,
            "Error",
            format!("{name} must be between 0 and 1, not {rate}"),
        ))
    }
}

/// Runs `f` on the emulator unless it was stopped.
pub(crate) fn running<E, T>(
    ruby: &Ruby,
    cell: &RefCell<Option<E>>,
    f: impl FnOnce(&E) -> T,
) -> Result<T, Error> {
    match cell.borrow().as_ref() {
        Some(e) => Ok(f(e)),
        None => Err(errors::error(
            ruby,
            "Error",
            "the emulator is stopped".into(),
        )),
    }
}

/// Fault kinds by name; an unknown name lists the known ones.
pub(crate) fn fault_kinds<K>(
    ruby: &Ruby,
    names: &[String],
    parse: impl Fn(&str) -> Option<K>,
    known: &[&str],
) -> Result<Vec<K>, Error> {
    names
        .iter()
        .map(|n| {
            parse(n).ok_or_else(|| {
                errors::error(
                    ruby,
                    "Error",
                    format!("unknown fault {n:?}; known: {}", known.join(", ")),
                )
            })
        })
        .collect()
}
