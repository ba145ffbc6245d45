//! The catalog's run lock for the entry points that write, asked of the core
//! (`photosync::engine::lock`) before their worker starts: waited for with the GVL
//! released, so Ctrl-C stops the wait, and its "waiting for ..." line written to Ruby's
//! `$stderr` on the Ruby thread. The worker then opens the catalog holding it
//! (`Catalog::open_for_run`).

use crate::{background, errors};
use magnus::{prelude::*, Error, RHash, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::engine::{LockNotice, RunLock, RunRequest};
use std::path::Path;

/// For the calls that only make sense on a catalog that is there (verify, restore
/// --only-missing): refuses a path with none, before its lock would create a folder.
pub fn require_catalog(ruby: &Ruby, catalog: Option<&Path>) -> Result<(), Error> {
    match catalog {
        Some(path) => Catalog::require_existing(path).map_err(|e| errors::catalog(ruby, e)),
        None => Ok(()),
    }
}

/// The lock of the catalog at `catalog` (None in memory). `run` holds the caller's
/// "wait" (false: raise Photosync::LockedError at once) and "command" (how the run is
/// named to the others; this process's command line by default).
pub fn take(
    ruby: &Ruby,
    catalog: Option<&Path>,
    run: Option<RHash>,
) -> Result<Option<RunLock>, Error> {
    let Some(catalog) = catalog.map(Path::to_path_buf) else {
        return Ok(None);
    };
    let mut request = RunRequest::this_process();
    if let Some(h) = run {
        if let Some(wait) = h.lookup::<_, Option<bool>>("wait")? {
            request.wait = wait;
        }
        if let Some(command) = h.lookup::<_, Option<String>>("command")? {
            request.command = command;
        }
    }
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let taken = background::run(
        ruby,
        &cancel,
        move |tell: &(dyn Fn(LockNotice) + Send + Sync)| {
            RunLock::acquire(&catalog, &request, &worker_cancel, &mut |n| tell(n.clone()))
        },
        |notice: LockNotice| {
            let stderr: Value = ruby.eval("$stderr")?;
            stderr
                .funcall::<_, _, Value>("puts", (format!("photosync: {notice}"),))
                .map(|_| ())
        },
    )?;
    taken.map(Some).map_err(|e| errors::lock(ruby, e))
}
