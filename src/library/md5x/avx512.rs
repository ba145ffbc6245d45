//! Sixteen MD5 streams at once in the 32-bit lanes of AVX-512 registers: the same
//! scheme as [`super::avx2`], with a rotate instruction and one ternary-logic
//! instruction per round function, and mask registers for the lanes that are done.

use super::steps::md5_steps;
use super::Job;
use std::arch::x86_64::*;

pub const LANES: usize = 16;

#[target_feature(enable = "avx512f")]
fn add(a: __m512i, b: __m512i) -> __m512i {
    _mm512_add_epi32(a, b)
}

// The truth tables: bit (b << 2 | c << 1 | d) of the immediate is the result.
#[target_feature(enable = "avx512f")]
fn f(b: __m512i, c: __m512i, d: __m512i) -> __m512i {
    _mm512_ternarylogic_epi32::<0xCA>(b, c, d)
}

#[target_feature(enable = "avx512f")]
fn g(b: __m512i, c: __m512i, d: __m512i) -> __m512i {
    _mm512_ternarylogic_epi32::<0xE4>(b, c, d)
}

#[target_feature(enable = "avx512f")]
fn h(b: __m512i, c: __m512i, d: __m512i) -> __m512i {
    _mm512_ternarylogic_epi32::<0x96>(b, c, d)
}

#[target_feature(enable = "avx512f")]
fn i(b: __m512i, c: __m512i, d: __m512i) -> __m512i {
    _mm512_ternarylogic_epi32::<0x39>(b, c, d)
}

macro_rules! avx512_step {
    ($round:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:ident, $k:expr, $s:expr, $t:expr) => {
        let sum = add(
            add($a, $round($b, $c, $d)),
            add($x[$k], _mm512_set1_epi32($t as i32)),
        );
        $a = add($b, _mm512_rol_epi32::<$s>(sum));
    };
}

/// Runs every job's blocks; at most [`LANES`] jobs, each inside `arena`.
pub fn compress(arena: &[u8], jobs: &mut [Job]) {
    assert!(jobs.len() <= LANES && super::jobs_fit(arena, jobs));
    assert!(std::arch::is_x86_feature_detected!("avx512f"));
    // SAFETY: the CPU has AVX-512F (checked above), and every block the kernel loads
    // lies inside `arena` (jobs_fit), whose length fits the kernel's i32 byte offsets.
    unsafe { kernel(arena, jobs) }
}

#[target_feature(enable = "avx512f")]
unsafe fn kernel(arena: &[u8], jobs: &mut [Job]) {
    let [blocks, offsets, a, b, c, d] = super::columns::<LANES>(jobs);
    let lane = |v: [u32; LANES]| {
        // SAFETY: v is LANES u32s, exactly one unaligned 512-bit load.
        unsafe { _mm512_loadu_si512(v.as_ptr().cast()) }
    };
    let (blocks, offsets) = (lane(blocks), lane(offsets));
    let (mut a, mut b, mut c, mut d) = (lane(a), lane(b), lane(c), lane(d));
    let most = jobs.iter().map(|j| j.blocks).max().unwrap_or(0);
    let base = arena.as_ptr().cast::<i32>();
    for n in 0..most {
        let live = _mm512_cmpgt_epi32_mask(blocks, _mm512_set1_epi32(n as i32));
        let at = _mm512_add_epi32(offsets, _mm512_set1_epi32((n * 64) as i32));
        let mut x = [_mm512_setzero_si512(); 16];
        for (w, xw) in x.iter_mut().enumerate() {
            let idx = _mm512_add_epi32(at, _mm512_set1_epi32((w * 4) as i32));
            // SAFETY: a live lane's block n lies inside arena (n < its blocks, jobs_fit);
            // dead lanes are masked off and load nothing.
            *xw = unsafe {
                _mm512_mask_i32gather_epi32::<1>(_mm512_setzero_si512(), live, idx, base)
            };
        }
        let (aa, bb, cc, dd) = (a, b, c, d);
        md5_steps!(avx512_step, a, b, c, d, x);
        a = _mm512_mask_blend_epi32(live, aa, add(a, aa));
        b = _mm512_mask_blend_epi32(live, bb, add(b, bb));
        c = _mm512_mask_blend_epi32(live, cc, add(c, cc));
        d = _mm512_mask_blend_epi32(live, dd, add(d, dd));
    }
    let mut out = [[0u32; LANES]; 4];
    for (o, v) in out.iter_mut().zip([a, b, c, d]) {
        // SAFETY: o is LANES u32s, exactly one unaligned 512-bit store.
        unsafe { _mm512_storeu_si512(o.as_mut_ptr().cast(), v) };
    }
    super::set_states(jobs, &out);
}
