//! Multi-buffer MD5: many independent streams hashed at once, one per 32-bit SIMD lane
//! (8 with AVX2, 16 with AVX-512), because MD5 is serial within a stream and the scanner
//! has two streams per file (the whole file and its image data) and several files.
//!
//! Why our own kernels: the one multi-buffer crate found (md5-many) is an alpha with a
//! young SIMD dependency; the kernels are ~100 lines each, share one table of the 64
//! steps with the scalar block function ([`steps`]), and are tested against md-5.
//! `unsafe` is confined to the kernels: the call behind a runtime feature check, the
//! gathers from a buffer whose bounds are checked first, and fixed-size loads and stores.
//!
//! [`Lanes`] owns one fixed buffer per stream in a single arena, so memory is flat and
//! a kernel can address every stream by a 32-bit offset. The path is chosen at run time
//! ([`Md5Path::detected`]); `PHOTOSYNC_MD5=scalar|avx2|avx512` lowers it (benchmarks).

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
pub mod steps;

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Md5Path {
    /// One stream at a time (md-5 for whole files, [`steps`] for leftover lanes).
    Scalar,
    Avx2,
    Avx512,
}

impl Md5Path {
    pub fn name(self) -> &'static str {
        match self {
            Md5Path::Scalar => "scalar",
            Md5Path::Avx2 => "avx2",
            Md5Path::Avx512 => "avx512",
        }
    }

    pub fn parse(name: &str) -> Option<Md5Path> {
        Md5Path::ALL.into_iter().find(|p| p.name() == name)
    }

    const ALL: [Md5Path; 3] = [Md5Path::Scalar, Md5Path::Avx2, Md5Path::Avx512];

    /// Every path this CPU can run, slowest first.
    pub fn available() -> Vec<Md5Path> {
        Md5Path::ALL.into_iter().filter(|p| p.supported()).collect()
    }

    pub fn supported(self) -> bool {
        match self {
            Md5Path::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Md5Path::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Md5Path::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The fastest path this CPU has, or the one `PHOTOSYNC_MD5` names when the CPU
    /// has it (a path it lacks gives the fastest it has).
    pub fn detected() -> Md5Path {
        static PATH: OnceLock<Md5Path> = OnceLock::new();
        *PATH.get_or_init(|| {
            let best = Md5Path::available().into_iter().max();
            let best = best.unwrap_or(Md5Path::Scalar);
            let asked = std::env::var("PHOTOSYNC_MD5").ok();
            match asked.as_deref().and_then(Md5Path::parse) {
                Some(p) if p.supported() => p,
                _ => best,
            }
        })
    }

    /// Streams one kernel call hashes at once.
    pub fn lanes(self) -> usize {
        match self {
            Md5Path::Scalar => 1,
            Md5Path::Avx2 => 8,
            Md5Path::Avx512 => 16,
        }
    }
}

/// One lane's work: `blocks` 64-byte blocks at `offset` in the arena, into `state`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Job {
    pub state: [u32; 4],
    pub offset: usize,
    pub blocks: usize,
}

/// The kernels' precondition: every job's blocks inside `arena`, and every offset
/// (hence the arena) addressable by an i32.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
fn jobs_fit(arena: &[u8], jobs: &[Job]) -> bool {
    arena.len() <= i32::MAX as usize
        && jobs.iter().all(|j| {
            j.blocks
                .checked_mul(64)
                .and_then(|n| n.checked_add(j.offset))
                .is_some_and(|end| end <= arena.len())
        })
}

/// The jobs as lane columns (blocks, offsets, then the four state words), unused
/// lanes zero: zero blocks keep them masked off.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
fn columns<const L: usize>(jobs: &[Job]) -> [[u32; L]; 6] {
    let mut cols = [[0u32; L]; 6];
    for (l, j) in jobs.iter().enumerate().take(L) {
        cols[0][l] = j.blocks as u32;
        cols[1][l] = j.offset as u32;
        for w in 0..4 {
            cols[2 + w][l] = j.state[w];
        }
    }
    cols
}

/// The lane columns of the four state words back into the jobs.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
fn set_states<const L: usize>(jobs: &mut [Job], cols: &[[u32; L]; 4]) {
    for (l, j) in jobs.iter_mut().enumerate().take(L) {
        j.state = [cols[0][l], cols[1][l], cols[2][l], cols[3][l]];
    }
}

/// Hashes up to `path.lanes()` jobs in one kernel call (one at a time when scalar).
pub fn compress(path: Md5Path, arena: &[u8], jobs: &mut [Job]) {
    match path {
        #[cfg(target_arch = "x86_64")]
        Md5Path::Avx2 => avx2::compress(arena, jobs),
        #[cfg(target_arch = "x86_64")]
        Md5Path::Avx512 => avx512::compress(arena, jobs),
        _ => {
            for j in jobs {
                steps::compress_blocks(&mut j.state, &arena[j.offset..j.offset + j.blocks * 64]);
            }
        }
    }
}

mod lanes;
pub use lanes::{Lanes, StreamId};
