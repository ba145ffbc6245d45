//! TODO cancel
