//! TODO hash
