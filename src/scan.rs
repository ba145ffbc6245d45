//! TODO scan
