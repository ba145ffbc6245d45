//! The 64 steps of an MD5 block, written once and expanded by every kernel (scalar,
//! AVX2, AVX-512) with its own step macro, so the lanes and the scalar fallback cannot
//! disagree on a constant. Also the scalar block function and the padding.

/// Expands the 64 MD5 steps: `$step!(round, a, b, c, d, x, k, s, t)` means
/// `a = b + rotl(a + round(b, c, d) + x[k] + t, s)`.
macro_rules! md5_steps {
    ($step:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:ident) => {
        $step!(f, $a, $b, $c, $d, $x, 0, 7, 0xd76aa478_u32);
        $step!(f, $d, $a, $b, $c, $x, 1, 12, 0xe8c7b756_u32);
        $step!(f, $c, $d, $a, $b, $x, 2, 17, 0x242070db_u32);
        $step!(f, $b, $c, $d, $a, $x, 3, 22, 0xc1bdceee_u32);
        $step!(f, $a, $b, $c, $d, $x, 4, 7, 0xf57c0faf_u32);
        $step!(f, $d, $a, $b, $c, $x, 5, 12, 0x4787c62a_u32);
        $step!(f, $c, $d, $a, $b, $x, 6, 17, 0xa8304613_u32);
        $step!(f, $b, $c, $d, $a, $x, 7, 22, 0xfd469501_u32);
        $step!(f, $a, $b, $c, $d, $x, 8, 7, 0x698098d8_u32);
        $step!(f, $d, $a, $b, $c, $x, 9, 12, 0x8b44f7af_u32);
        $step!(f, $c, $d, $a, $b, $x, 10, 17, 0xffff5bb1_u32);
        $step!(f, $b, $c, $d, $a, $x, 11, 22, 0x895cd7be_u32);
        $step!(f, $a, $b, $c, $d, $x, 12, 7, 0x6b901122_u32);
        $step!(f, $d, $a, $b, $c, $x, 13, 12, 0xfd987193_u32);
        $step!(f, $c, $d, $a, $b, $x, 14, 17, 0xa679438e_u32);
        $step!(f, $b, $c, $d, $a, $x, 15, 22, 0x49b40821_u32);
        $step!(g, $a, $b, $c, $d, $x, 1, 5, 0xf61e2562_u32);
        $step!(g, $d, $a, $b, $c, $x, 6, 9, 0xc040b340_u32);
        $step!(g, $c, $d, $a, $b, $x, 11, 14, 0x265e5a51_u32);
        $step!(g, $b, $c, $d, $a, $x, 0, 20, 0xe9b6c7aa_u32);
        $step!(g, $a, $b, $c, $d, $x, 5, 5, 0xd62f105d_u32);
        $step!(g, $d, $a, $b, $c, $x, 10, 9, 0x02441453_u32);
        $step!(g, $c, $d, $a, $b, $x, 15, 14, 0xd8a1e681_u32);
        $step!(g, $b, $c, $d, $a, $x, 4, 20, 0xe7d3fbc8_u32);
        $step!(g, $a, $b, $c, $d, $x, 9, 5, 0x21e1cde6_u32);
        $step!(g, $d, $a, $b, $c, $x, 14, 9, 0xc33707d6_u32);
        $step!(g, $c, $d, $a, $b, $x, 3, 14, 0xf4d50d87_u32);
        $step!(g, $b, $c, $d, $a, $x, 8, 20, 0x455a14ed_u32);
        $step!(g, $a, $b, $c, $d, $x, 13, 5, 0xa9e3e905_u32);
        $step!(g, $d, $a, $b, $c, $x, 2, 9, 0xfcefa3f8_u32);
        $step!(g, $c, $d, $a, $b, $x, 7, 14, 0x676f02d9_u32);
        $step!(g, $b, $c, $d, $a, $x, 12, 20, 0x8d2a4c8a_u32);
        $step!(h, $a, $b, $c, $d, $x, 5, 4, 0xfffa3942_u32);
        $step!(h, $d, $a, $b, $c, $x, 8, 11, 0x8771f681_u32);
        $step!(h, $c, $d, $a, $b, $x, 11, 16, 0x6d9d6122_u32);
        $step!(h, $b, $c, $d, $a, $x, 14, 23, 0xfde5380c_u32);
        $step!(h, $a, $b, $c, $d, $x, 1, 4, 0xa4beea44_u32);
        $step!(h, $d, $a, $b, $c, $x, 4, 11, 0x4bdecfa9_u32);
        $step!(h, $c, $d, $a, $b, $x, 7, 16, 0xf6bb4b60_u32);
        $step!(h, $b, $c, $d, $a, $x, 10, 23, 0xbebfbc70_u32);
        $step!(h, $a, $b, $c, $d, $x, 13, 4, 0x289b7ec6_u32);
        $step!(h, $d, $a, $b, $c, $x, 0, 11, 0xeaa127fa_u32);
        $step!(h, $c, $d, $a, $b, $x, 3, 16, 0xd4ef3085_u32);
        $step!(h, $b, $c, $d, $a, $x, 6, 23, 0x04881d05_u32);
        $step!(h, $a, $b, $c, $d, $x, 9, 4, 0xd9d4d039_u32);
        $step!(h, $d, $a, $b, $c, $x, 12, 11, 0xe6db99e5_u32);
        $step!(h, $c, $d, $a, $b, $x, 15, 16, 0x1fa27cf8_u32);
        $step!(h, $b, $c, $d, $a, $x, 2, 23, 0xc4ac5665_u32);
        $step!(i, $a, $b, $c, $d, $x, 0, 6, 0xf4292244_u32);
        $step!(i, $d, $a, $b, $c, $x, 7, 10, 0x432aff97_u32);
        $step!(i, $c, $d, $a, $b, $x, 14, 15, 0xab9423a7_u32);
        $step!(i, $b, $c, $d, $a, $x, 5, 21, 0xfc93a039_u32);
        $step!(i, $a, $b, $c, $d, $x, 12, 6, 0x655b59c3_u32);
        $step!(i, $d, $a, $b, $c, $x, 3, 10, 0x8f0ccc92_u32);
        $step!(i, $c, $d, $a, $b, $x, 10, 15, 0xffeff47d_u32);
        $step!(i, $b, $c, $d, $a, $x, 1, 21, 0x85845dd1_u32);
        $step!(i, $a, $b, $c, $d, $x, 8, 6, 0x6fa87e4f_u32);
        $step!(i, $d, $a, $b, $c, $x, 15, 10, 0xfe2ce6e0_u32);
        $step!(i, $c, $d, $a, $b, $x, 6, 15, 0xa3014314_u32);
        $step!(i, $b, $c, $d, $a, $x, 13, 21, 0x4e0811a1_u32);
        $step!(i, $a, $b, $c, $d, $x, 4, 6, 0xf7537e82_u32);
        $step!(i, $d, $a, $b, $c, $x, 11, 10, 0xbd3af235_u32);
        $step!(i, $c, $d, $a, $b, $x, 2, 15, 0x2ad7d2bb_u32);
        $step!(i, $b, $c, $d, $a, $x, 9, 21, 0xeb86d391_u32);
    };
}
pub(crate) use md5_steps;

macro_rules! scalar_step {
    ($round:ident, $a:ident, $b:ident, $c:ident, $d:ident, $x:ident, $k:expr, $s:expr, $t:expr) => {
        $a = $b.wrapping_add(
            $a.wrapping_add($round($b, $c, $d))
                .wrapping_add($x[$k])
                .wrapping_add($t)
                .rotate_left($s),
        );
    };
}

fn f(b: u32, c: u32, d: u32) -> u32 {
    d ^ (b & (c ^ d))
}

fn g(b: u32, c: u32, d: u32) -> u32 {
    c ^ (d & (b ^ c))
}

fn h(b: u32, c: u32, d: u32) -> u32 {
    b ^ c ^ d
}

fn i(b: u32, c: u32, d: u32) -> u32 {
    c ^ (b | !d)
}

/// The MD5 state before any byte.
pub const INIT: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/// One 64-byte block into `state`: the path for a stream that has no lane to go to.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub fn compress_block(state: &mut [u32; 4], block: &[u8; 64]) {
    let mut x = [0u32; 16];
    for (w, bytes) in x.iter_mut().zip(block.chunks_exact(4)) {
        *w = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    let [mut a, mut b, mut c, mut d] = *state;
    md5_steps!(scalar_step, a, b, c, d, x);
    for (s, v) in state.iter_mut().zip([a, b, c, d]) {
        *s = s.wrapping_add(v);
    }
}

/// Every whole block of `data` into `state`; returns how many bytes that was. On x86-64
/// this is md-5's assembly (a quarter faster than [`compress_block`]): a stream alone
/// (one large video) then hashes as fast as md-5 would.
pub fn compress_blocks(state: &mut [u32; 4], data: &[u8]) -> usize {
    let (blocks, rest) = data.as_chunks::<64>();
    #[cfg(target_arch = "x86_64")]
    md5_asm::compress(state, blocks);
    #[cfg(not(target_arch = "x86_64"))]
    blocks.iter().for_each(|b| compress_block(state, b));
    data.len() - rest.len()
}

/// The digest of a stream whose whole blocks are in `state`, with `tail` (under 64
/// bytes) left and `total` bytes in all: MD5's padding and length block.
pub fn finish(mut state: [u32; 4], tail: &[u8], total: u64) -> [u8; 16] {
    let mut last = [0u8; 128];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    let end = if tail.len() < 56 { 64 } else { 128 };
    last[end - 8..end].copy_from_slice(&total.wrapping_mul(8).to_le_bytes());
    compress_blocks(&mut state, &last[..end]);
    let mut out = [0u8; 16];
    for (o, s) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use md5::{Digest as _, Md5};

    /// The portable block function, which x86-64 does not use for streams, against md-5.
    #[test]
    fn compress_block_agrees_with_md5() {
        let data: Vec<u8> = (0..64 * 40u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        for len in (0..=data.len()).step_by(64) {
            let mut state = INIT;
            data[..len]
                .as_chunks::<64>()
                .0
                .iter()
                .for_each(|b| compress_block(&mut state, b));
            let mut tail = [0u8; 128];
            tail[0] = 0x80;
            tail[56..64].copy_from_slice(&(len as u64 * 8).to_le_bytes());
            compress_block(&mut state, tail[..64].try_into().unwrap());
            let got: Vec<u8> = state.iter().flat_map(|w| w.to_le_bytes()).collect();
            assert_eq!(got, Md5::digest(&data[..len]).to_vec(), "{len} bytes");
        }
    }
}
