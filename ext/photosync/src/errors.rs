//! Maps the core's error enums to the Ruby exception classes defined in
//! lib/photosync/error.rb, all under `Photosync::Error`. This is the only place
//! where that mapping is decided.

use magnus::{prelude::*, Error, ExceptionClass, RModule, Ruby};
use photosync::catalog::CatalogError;
use photosync::exif::ExifError;
use photosync::hash::HashError;
use photosync::samples::SamplesError;
use photosync::scan::ScanError;

/// An exception of class `Photosync::<class>` (falls back to Photosync::Error, then
/// RuntimeError, so a missing Ruby file never hides the message).
pub fn error(ruby: &Ruby, class: &str, message: String) -> Error {
    let class = ruby
        .class_object()
        .const_get::<_, RModule>("Photosync")
        .and_then(|m| {
            m.const_get::<_, ExceptionClass>(class)
                .or_else(|_| m.const_get::<_, ExceptionClass>("Error"))
        })
        .unwrap_or_else(|_| ruby.exception_runtime_error());
    Error::new(class, message)
}

pub fn scan(ruby: &Ruby, e: ScanError) -> Error {
    match e {
        ScanError::Catalog(c) => catalog(ruby, c),
        ScanError::Cancelled { .. } => error(ruby, "Cancelled", e.to_string()),
        other => error(ruby, "ScanError", other.to_string()),
    }
}

pub fn account(ruby: &Ruby, e: photosync::account::AccountError) -> Error {
    use photosync::account::AccountError;
    match e {
        AccountError::Catalog(c) => catalog(ruby, c),
        AccountError::Cancelled => error(ruby, "Cancelled", e.to_string()),
        other => error(ruby, "SyncError", other.to_string()),
    }
}

pub fn restore(ruby: &Ruby, e: photosync::restore::RestoreError) -> Error {
    use photosync::restore::RestoreError;
    match e {
        RestoreError::Catalog(c) => catalog(ruby, c),
        RestoreError::Scan(s) => scan(ruby, s),
        RestoreError::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        other => error(ruby, "RestoreError", other.to_string()),
    }
}

pub fn catalog(ruby: &Ruby, e: CatalogError) -> Error {
    error(ruby, "CatalogError", e.to_string())
}

pub fn hash(ruby: &Ruby, e: HashError) -> Error {
    match e {
        HashError::Cancelled => error(ruby, "Cancelled", e.to_string()),
        HashError::Io { .. } => error(ruby, "FileError", e.to_string()),
    }
}

pub fn exif(ruby: &Ruby, e: ExifError) -> Error {
    match e {
        ExifError::Io { .. } => error(ruby, "FileError", e.to_string()),
        other => error(ruby, "ExifError", other.to_string()),
    }
}

/// The Google Photos emulator fails only to start (port, folder, settings).
pub fn gphotos_emulator(
    ruby: &Ruby,
    e: photosync::gphotos_emulator::GooglePhotosEmulatorError,
) -> Error {
    error(ruby, "Error", e.to_string())
}

pub fn samples(ruby: &Ruby, e: SamplesError) -> Error {
    error(ruby, "Error", e.to_string())
}

/// Flickr's own failures become `Photosync::FailedResponse` (flickraw's shape: code,
/// msg, method); the network's become `Photosync::NetworkError`.
pub fn flickr(ruby: &Ruby, e: photosync::flickr::FlickrError) -> Error {
    use photosync::flickr::FlickrError as F;
    match e {
        F::Api {
            ref method,
            code,
            ref message,
        } => failed_response(ruby, message, code, method).unwrap_or_else(|err| err),
        F::File { .. } => error(ruby, "FileError", e.to_string()),
        F::Cancelled => error(ruby, "Cancelled", e.to_string()),
        F::Malformed { .. } => error(ruby, "InvalidResponse", e.to_string()),
        F::Transport { .. } | F::Http { .. } => error(ruby, "NetworkError", e.to_string()),
    }
}

fn failed_response(ruby: &Ruby, msg: &str, code: i64, method: &str) -> Result<Error, Error> {
    let class = ruby
        .class_object()
        .const_get::<_, RModule>("Photosync")?
        .const_get::<_, magnus::RClass>("FailedResponse")?;
    let value = class.new_instance((msg, code, method))?;
    let exc = magnus::Exception::from_value(value).ok_or_else(|| {
        error(
            ruby,
            "Error",
            format!("Flickr error {code} in {method}: {msg}"),
        )
    })?;
    Ok(exc.into())
}
