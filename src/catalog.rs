//! TODO catalog
