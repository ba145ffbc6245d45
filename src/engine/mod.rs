//! What is the same for every destination, written once: the plan (the local photos
//! joined with what a destination holds, one rule for duplicates and for what it does
//! not take) and the words a run's outcome is told in.

pub mod outcome;
pub mod plan;
