//! [`Lanes`]: a fixed set of MD5 streams, each with a fixed buffer. Callers append to
//! streams as they like, then [`Lanes::flush`] hashes every buffered whole block of
//! every stream, as many streams per kernel call as the path has lanes.

use super::{compress, steps, Job, Md5Path};

/// Fewer ready streams than this are hashed one by one: a kernel call costs about
/// one scalar block's time whatever the number of live lanes.
const MIN_LANES: usize = 2;

/// A stream of a [`Lanes`], valid from [`Lanes::open`] to [`Lanes::finish`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamId(usize);

#[derive(Debug, Clone, Copy)]
struct Stream {
    state: [u32; 4],
    /// Bytes in the stream's buffer not yet hashed.
    filled: usize,
    /// Bytes appended since open.
    total: u64,
    open: bool,
}

impl Stream {
    const CLOSED: Stream = Stream {
        state: steps::INIT,
        filled: 0,
        total: 0,
        open: false,
    };
}

pub struct Lanes {
    path: Md5Path,
    buf_len: usize,
    arena: Vec<u8>,
    streams: Vec<Stream>,
    jobs: Vec<(usize, Job)>,
}

impl Lanes {
    /// `streams` streams of `buf_len` bytes each (rounded up to whole blocks).
    pub fn new(path: Md5Path, streams: usize, buf_len: usize) -> Lanes {
        let buf_len = buf_len.max(64).div_ceil(64) * 64;
        Lanes {
            path,
            buf_len,
            arena: vec![0; streams * buf_len],
            streams: vec![Stream::CLOSED; streams],
            jobs: Vec::with_capacity(streams),
        }
    }

    pub fn path(&self) -> Md5Path {
        self.path
    }

    /// A fresh stream, or None when all are open.
    pub fn open(&mut self) -> Option<StreamId> {
        let slot = self.streams.iter().position(|s| !s.open)?;
        self.streams[slot] = Stream {
            open: true,
            ..Stream::CLOSED
        };
        Some(StreamId(slot))
    }

    /// Bytes `id` can take before its buffer is full.
    pub fn room(&self, id: StreamId) -> usize {
        self.buf_len - self.streams[id.0].filled
    }

    /// Appends to `id`. Data beyond its buffer's room is hashed on the spot, scalar.
    pub fn update(&mut self, id: StreamId, mut data: &[u8]) {
        while !data.is_empty() {
            if self.streams[id.0].filled == self.buf_len {
                self.hash_alone(id.0);
            }
            let s = &mut self.streams[id.0];
            let n = data.len().min(self.buf_len - s.filled);
            let at = id.0 * self.buf_len + s.filled;
            self.arena[at..at + n].copy_from_slice(&data[..n]);
            s.filled += n;
            s.total += n as u64;
            data = &data[n..];
        }
    }

    /// Hashes every whole block buffered in any stream.
    pub fn flush(&mut self) {
        let buf_len = self.buf_len;
        self.jobs.clear();
        self.jobs
            .extend(self.streams.iter().enumerate().filter_map(|(i, s)| {
                (s.open && s.filled >= 64).then_some((
                    i,
                    Job {
                        state: s.state,
                        offset: i * buf_len,
                        blocks: s.filled / 64,
                    },
                ))
            }));
        // Lanes of one call run as long as the longest: group streams of like length.
        self.jobs
            .sort_unstable_by_key(|(_, j)| std::cmp::Reverse(j.blocks));
        let lanes = self.path.lanes();
        let mut jobs: Vec<Job> = self.jobs.iter().map(|(_, j)| *j).collect();
        for group in jobs.chunks_mut(lanes) {
            let path = if group.len() < MIN_LANES {
                Md5Path::Scalar
            } else {
                self.path
            };
            compress(path, &self.arena, group);
        }
        let slots = std::mem::take(&mut self.jobs);
        for ((slot, _), job) in slots.iter().zip(&jobs) {
            self.streams[*slot].state = job.state;
            self.drop_hashed(*slot, job.blocks * 64);
        }
        self.jobs = slots;
    }

    /// The digest of `id`, which is closed.
    pub fn finish(&mut self, id: StreamId) -> [u8; 16] {
        self.hash_alone(id.0);
        let s = self.streams[id.0];
        let at = id.0 * self.buf_len;
        self.streams[id.0] = Stream::CLOSED;
        steps::finish(s.state, &self.arena[at..at + s.filled], s.total)
    }

    /// Closes `id` without a digest (its file could not be read).
    pub fn close(&mut self, id: StreamId) {
        self.streams[id.0] = Stream::CLOSED;
    }

    fn hash_alone(&mut self, slot: usize) {
        let at = slot * self.buf_len;
        let s = &mut self.streams[slot];
        let done = steps::compress_blocks(&mut s.state, &self.arena[at..at + s.filled]);
        self.drop_hashed(slot, done);
    }

    /// Moves the unhashed tail (under a block) to the start of the slot's buffer.
    fn drop_hashed(&mut self, slot: usize, done: usize) {
        let at = slot * self.buf_len;
        let s = &mut self.streams[slot];
        self.arena.copy_within(at + done..at + s.filled, at);
        s.filled -= done;
    }
}
