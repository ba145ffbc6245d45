//! Maps the core's error enums to the Ruby exception classes defined in
//! lib/photosync/error.rb, all under `Photosync::Error`. This is the only place
//! where that mapping is decided.

use magnus::error::ErrorType;
use magnus::{prelude::*, Error, ExceptionClass, RModule, Ruby, Value};
use photosync::catalog::CatalogError;
use photosync::dates::DatesError;
use photosync::destinations::archive::ArchiveError;
use photosync::destinations::flickr::sync::SyncError;
use photosync::destinations::gphotos::sync::GphotosSyncError;
use photosync::destinations::s3::S3Error;
use photosync::engine::LockError;
use photosync::library::exif::ExifError;
use photosync::library::hash::HashError;
use photosync::library::samples::SamplesError;
use photosync::library::scan::ScanError;

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

/// The exception object an `Error` would raise, to hand to Ruby as a value (a
/// destination's failure in a multi-destination report).
pub fn exception(ruby: &Ruby, e: Error) -> Result<Value, Error> {
    match e.error_type() {
        ErrorType::Error(class, message) => class
            .new_instance((message.as_ref(),))
            .map(|x| x.as_value()),
        ErrorType::Exception(exc) => Ok(exc.as_value()),
        ErrorType::Jump(_) => Err(e),
    }
    .or_else(|_| Ok(ruby.str_new("unknown error").as_value()))
}

pub fn scan(ruby: &Ruby, e: ScanError) -> Error {
    match e {
        ScanError::Catalog(c) => catalog(ruby, c),
        ScanError::Cancelled { .. } => error(ruby, "Cancelled", e.to_string()),
        other => error(ruby, "ScanError", other.to_string()),
    }
}

pub fn account(ruby: &Ruby, e: photosync::destinations::flickr::account::AccountError) -> Error {
    use photosync::destinations::flickr::account::AccountError;
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
        RestoreError::Archive(a) => archive(ruby, a),
        RestoreError::S3(e) => s3(ruby, e),
        RestoreError::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        other => error(ruby, "RestoreError", other.to_string()),
    }
}

pub fn report(ruby: &Ruby, e: photosync::report::ReportError) -> Error {
    use photosync::report::ReportError;
    match e {
        ReportError::Catalog(c) => catalog(ruby, c),
        ReportError::Scan(s) => scan(ruby, s),
        ReportError::Cancelled => error(ruby, "Cancelled", e.to_string()),
        ReportError::Write { .. } => error(ruby, "ReportError", e.to_string()),
    }
}

pub fn catalog(ruby: &Ruby, e: CatalogError) -> Error {
    match e {
        CatalogError::Locked(l) => lock(ruby, l),
        other => error(ruby, "CatalogError", other.to_string()),
    }
}

/// Another run holds the catalog (and this one would not wait), or the wait was cancelled.
pub fn lock(ruby: &Ruby, e: LockError) -> Error {
    match e {
        LockError::Busy { .. } => error(ruby, "LockedError", e.to_string()),
        LockError::Cancelled => error(ruby, "Cancelled", e.to_string()),
        LockError::Io { .. } => error(ruby, "CatalogError", e.to_string()),
    }
}

pub fn dates(ruby: &Ruby, e: DatesError) -> Error {
    match e {
        DatesError::Catalog(c) => catalog(ruby, c),
        DatesError::Cancelled { .. } => error(ruby, "Cancelled", e.to_string()),
        DatesError::Flickr { source, .. } => flickr(ruby, source),
        other => error(ruby, "DatesError", other.to_string()),
    }
}

pub fn archive(ruby: &Ruby, e: ArchiveError) -> Error {
    match e {
        ArchiveError::Catalog(c) => catalog(ruby, c),
        ArchiveError::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        ArchiveError::Layout(_) => Error::new(ruby.exception_arg_error(), e.to_string()),
        other => error(ruby, "ArchiveError", other.to_string()),
    }
}

/// An import that could not start or go on (per-file problems are in its report).
pub fn import(ruby: &Ruby, e: photosync::import::ImportError) -> Error {
    use photosync::import::ImportError;
    match e {
        ImportError::Catalog(c) => catalog(ruby, c),
        ImportError::Scan(s) => scan(ruby, s),
        ImportError::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        ImportError::Layout(_) => Error::new(ruby.exception_arg_error(), e.to_string()),
        other => error(ruby, "ImportError", other.to_string()),
    }
}

/// A bucket that cannot be used (address, credentials, the service's answer).
pub fn s3(ruby: &Ruby, e: S3Error) -> Error {
    match e {
        S3Error::Catalog(c) => catalog(ruby, c),
        S3Error::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        S3Error::BadUrl(_) => Error::new(ruby.exception_arg_error(), e.to_string()),
        other => error(ruby, "S3Error", other.to_string()),
    }
}

/// A Flickr sync that could not go on.
pub fn sync(ruby: &Ruby, e: SyncError) -> Error {
    match e {
        SyncError::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        SyncError::Catalog(c) => catalog(ruby, c),
        other => error(ruby, "SyncError", other.to_string()),
    }
}

/// A Google Photos sync that could not go on; a refused login says to log in again.
pub fn gphotos_sync(ruby: &Ruby, e: GphotosSyncError) -> Error {
    match e {
        GphotosSyncError::Catalog(c) => catalog(ruby, c),
        GphotosSyncError::Cancelled(_) => error(ruby, "Cancelled", e.to_string()),
        GphotosSyncError::Login(_) => error(ruby, "LoginError", e.to_string()),
        other => error(ruby, "SyncError", other.to_string()),
    }
}

pub fn hash(ruby: &Ruby, e: HashError) -> Error {
    match e {
        HashError::Cancelled => error(ruby, "Cancelled", e.to_string()),
        HashError::Io { .. } => error(ruby, "FileError", e.to_string()),
    }
}

/// An EXIF error of the file at `path`, naming it (a scan lists the path beside its errors;
/// `Exif.read` has nothing else to say which file).
pub fn exif_of(ruby: &Ruby, path: &std::path::Path, e: ExifError) -> Error {
    let shown = path.display();
    match e {
        ExifError::Io(io) => error(ruby, "FileError", format!("cannot read {shown}: {io}")),
        other => error(ruby, "ExifError", format!("{shown}: {other}")),
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
    e: photosync::emulators::gphotos::GooglePhotosEmulatorError,
) -> Error {
    error(ruby, "Error", e.to_string())
}

pub fn samples(ruby: &Ruby, e: SamplesError) -> Error {
    error(ruby, "Error", e.to_string())
}

/// Flickr's own failures become `Photosync::FailedResponse` (flickraw's shape: code,
/// msg, method); the network's become `Photosync::NetworkError`.
pub fn flickr(ruby: &Ruby, e: photosync::destinations::flickr::api::FlickrError) -> Error {
    use photosync::destinations::flickr::api::FlickrError as F;
    match e {
        F::Api {
            ref method,
            code,
            ref message,
            ..
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
