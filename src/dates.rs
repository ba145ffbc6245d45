//! TODO dates
