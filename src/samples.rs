//! TODO samples
