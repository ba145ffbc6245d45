//! TODO exif
