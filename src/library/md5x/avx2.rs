//! Eight MD5 streams at once in the 32-bit lanes of AVX2 registers. Each lane gathers
//! its message words from its own stream's buffer; a lane with fewer blocks than the
//! others is masked off (no load, state kept) once its blocks are done.

use super::steps::md5_steps;
use super::Job;
use std::arch::x86_64::*;

pub const LANES: usize = 8;

#[target_feature(enable = "avx2")]
fn add(a: __m256i, b: __m256i) -> __m256i {
    _mm256_add_epi32(a, b)
}

#[target_feature(enable = "avx2")]
fn f(b: __m256i, c: __m256i, d: __m256i) -> __m256i {
    _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)))
}

#[target_feature(enable = "avx2")]
fn g(b: __m256i, c: __m256i, d: __m256i) -> __m256i {
    _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)))
}

#[target_feature(enable = "avx2")]
fn h(b: __m256i, c: __m256i, d: __m256i) -> __m256i {
    _mm256_xor_si256(_mm256_xor_si256(b, c), d)
}

#[target_feature(enable = "avx2")]
fn i(b: __m256i, c: __m256i, d: __m256i) -> __m256i {
    let not_d = _mm256_xor_si256(d, _mm256_set1_epi32(-1));
    _mm256_xor_si256(c, _mm256_or_si256(b, not_d))
}

macro_rules! avx2_step {
    ($round:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:ident, $k:expr, $s:expr, $t:expr) => {
        let sum = add(
            add($a, $round($b, $c, $d)),
            add($x[$k], _mm256_set1_epi32($t as i32)),
        );
        let rotated = _mm256_or_si256(
            _mm256_slli_epi32::<$s>(sum),
            _mm256_srli_epi32::<{ 32 - $s }>(sum),
        );
        $a = add($b, rotated);
    };
}

/// Runs every job's blocks; at most [`LANES`] jobs, each inside `arena`.
pub fn compress(arena: &[u8], jobs: &mut [Job]) {
    assert!(jobs.len() <= LANES && super::jobs_fit(arena, jobs));
    assert!(std::arch::is_x86_feature_detected!("avx2"));
    // SAFETY: the CPU has AVX2 (checked above), and every block the kernel loads lies
    // inside `arena` (jobs_fit), whose length fits the kernel's i32 byte offsets.
    unsafe { kernel(arena, jobs) }
}

#[target_feature(enable = "avx2")]
unsafe fn kernel(arena: &[u8], jobs: &mut [Job]) {
    let [blocks, offsets, a, b, c, d] = super::columns::<LANES>(jobs);
    let lane = |v: [u32; LANES]| {
        // SAFETY: v is LANES u32s, exactly one unaligned 256-bit load.
        unsafe { _mm256_loadu_si256(v.as_ptr().cast()) }
    };
    let (blocks, offsets) = (lane(blocks), lane(offsets));
    let (mut a, mut b, mut c, mut d) = (lane(a), lane(b), lane(c), lane(d));
    let most = jobs.iter().map(|j| j.blocks).max().unwrap_or(0);
    let base = arena.as_ptr().cast::<i32>();
    for n in 0..most {
        let live = _mm256_cmpgt_epi32(blocks, _mm256_set1_epi32(n as i32));
        let at = _mm256_add_epi32(offsets, _mm256_set1_epi32((n * 64) as i32));
        let mut x = [_mm256_setzero_si256(); 16];
        for (w, xw) in x.iter_mut().enumerate() {
            let idx = _mm256_add_epi32(at, _mm256_set1_epi32((w * 4) as i32));
            // SAFETY: a live lane's block n lies inside arena (n < its blocks, jobs_fit);
            // dead lanes are masked off and load nothing.
            *xw = unsafe {
                _mm256_mask_i32gather_epi32::<1>(_mm256_setzero_si256(), base, idx, live)
            };
        }
        let (aa, bb, cc, dd) = (a, b, c, d);
        md5_steps!(avx2_step, a, b, c, d, x);
        a = _mm256_blendv_epi8(aa, add(a, aa), live);
        b = _mm256_blendv_epi8(bb, add(b, bb), live);
        c = _mm256_blendv_epi8(cc, add(c, cc), live);
        d = _mm256_blendv_epi8(dd, add(d, dd), live);
    }
    let mut out = [[0u32; LANES]; 4];
    for (o, v) in out.iter_mut().zip([a, b, c, d]) {
        // SAFETY: o is LANES u32s, exactly one unaligned 256-bit store.
        unsafe { _mm256_storeu_si256(o.as_mut_ptr().cast(), v) };
    }
    super::set_states(jobs, &out);
}
