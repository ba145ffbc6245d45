//! The loop of the crash-safety tests: this test binary started again as a child that
//! runs one test of it (which works only when it finds its variable set, and finds its
//! arguments there), killed with SIGKILL after a delay drawn from a fixed sequence, so
//! that a failure happens again with the same delays.
#![allow(dead_code)]

use std::ops::Range;
use std::process::{Command, Stdio};
use std::time::Duration;

/// In the child: the arguments its parent gave through `var`; None when not a child.
pub fn child_args(var: &str) -> Option<Vec<String>> {
    let spec = std::env::var(var).ok()?;
    Some(spec.split('\n').map(str::to_string).collect())
}

/// Starts `test` (this binary's test of that name) with `args` in `var`, `runs` times,
/// each killed with SIGKILL after a delay in `delays_ms`, drawn from `seed`.
pub fn kill_runs(
    test: &str,
    var: &str,
    args: &[String],
    runs: usize,
    seed: u64,
    delays_ms: Range<u64>,
) {
    let spec = args.join("\n");
    let mut seed = seed;
    for _ in 0..runs {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = delays_ms.start + (seed >> 33) % (delays_ms.end - delays_ms.start);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([test, "--exact", "--test-threads=1"])
            .env(var, &spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
}
