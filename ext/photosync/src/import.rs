//! `Photosync._import`: the core's `import::import` on the worker thread of
//! background.rs (GVL released, Ctrl-C sets the cancel flag), its events handed to the
//! Ruby block on the Ruby thread, its report in serde form. lib/photosync/import.rb adds
//! keyword arguments and the Ruby classes.

use crate::{archive, background, conv, errors};
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, RString, Ruby, Value};
use photosync::cancel::Cancel;
use photosync::catalog::Catalog;
use photosync::import::{self, ImportError, ImportEvent, ImportOptions, ImportReport};
use std::path::PathBuf;
use std::time::Duration;

/// `opts`: layout, dry_run, keep_smaller, threads, timeout (seconds), wait, command. Returns the
/// report, or raises; a cancelled run raises Photosync::Cancelled.
fn import_into(
    ruby: &Ruby,
    sources: RArray,
    library: RString,
    catalog: Option<RString>,
    opts: RHash,
    block: Option<magnus::block::Proc>,
) -> Result<Value, Error> {
    let sources: Vec<PathBuf> = sources
        .into_iter()
        .map(|s| RString::try_convert(s).map(conv::path_from))
        .collect::<Result<_, _>>()?;
    let library = conv::path_from(library);
    let catalog: Option<PathBuf> = catalog.map(conv::path_from);
    let options = ImportOptions {
        layout: archive::layout(ruby, &opts.fetch::<_, String>("layout")?)?,
        dry_run: opts.fetch("dry_run")?,
        keep_smaller: opts.fetch("keep_smaller")?,
        threads: opts.fetch::<_, usize>("threads")?.max(1),
        timeout: Duration::from_secs_f64(opts.fetch::<_, f64>("timeout")?.max(0.1)),
        ..ImportOptions::default()
    };
    let lock = crate::lock::take(ruby, catalog.as_deref(), Some(opts))?;
    let cancel = Cancel::new();
    let worker_cancel = cancel.clone();
    let outcome = background::run(
        ruby,
        &cancel,
        move |emit: &(dyn Fn(ImportEvent) + Send + Sync)| -> Result<ImportReport, ImportError> {
            let mut cat = Catalog::open_for_run(catalog.as_deref(), lock, &worker_cancel)?;
            import::import(&sources, &library, &mut cat, &options, &worker_cancel, emit)
        },
        |e: ImportEvent| match &block {
            Some(b) => b
                .call::<_, Value>((conv::to_ruby::<_, Value>(ruby, &e)?,))
                .map(|_| ()),
            None => Ok(()),
        },
    )?;
    let report = outcome.map_err(|e| errors::import(ruby, e))?;
    conv::to_ruby(ruby, &report)
}

pub fn init(_ruby: &Ruby, m: RModule) -> Result<(), Error> {
    m.define_singleton_method("_import", function!(import_into, 5))?;
    Ok(())
}
