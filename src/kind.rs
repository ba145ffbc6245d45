//! TODO kind
