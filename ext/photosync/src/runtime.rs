//! One tokio runtime for every network call made from Ruby, and the helper that runs
//! a future to completion with the GVL released and Ctrl-C able to stop it.

use crate::{errors, gvl};
use magnus::{Error, Ruby};
use photosync::cancel::Cancel;
use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

fn runtime(ruby: &Ruby) -> Result<&'static tokio::runtime::Runtime, Error> {
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("photosync-net")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    rt.as_ref().map_err(|e| {
        errors::error(
            ruby,
            "Error",
            format!("cannot start the network runtime: {e}"),
        )
    })
}

/// Runs `fut` without the GVL. An interrupt (Ctrl-C, Thread#raise) drops the future,
/// which closes its connection, and is raised in Ruby.
pub fn block_on<F: Future>(ruby: &Ruby, fut: F) -> Result<F::Output, Error> {
    let rt = runtime(ruby)?;
    let cancel = Cancel::new();
    let watch = cancel.clone();
    let out = gvl::without_gvl(
        ruby,
        move || {
            rt.block_on(async move {
                tokio::select! {
                    r = fut => Some(r),
                    _ = cancelled(&watch) => None,
                }
            })
        },
        || cancel.cancel(),
    )?;
    out.flatten()
        .ok_or_else(|| errors::error(ruby, "Cancelled", "cancelled".into()))
}

async fn cancelled(cancel: &Cancel) {
    while !cancel.is_cancelled() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
