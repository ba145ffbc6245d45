//! Hosting shared by the emulators: a listener on 127.0.0.1, a tokio runtime of the emulator's
//! own in a background thread serving a router (with `server::serve`, so every request can drop
//! its connection), and a clean stop. Plain code and the Ruby binding start and stop it without
//! any async of their own.

use std::future::Future;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;

use super::server;

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("could not start the emulator's runtime: {0}")]
    Runtime(std::io::Error),
}

/// A bound listener, not yet served: its port is known, so the state can name its own URLs.
pub struct Bound {
    listener: std::net::TcpListener,
    pub port: u16,
}

/// Binds 127.0.0.1:`port` (0 picks a free port).
pub fn bind(port: u16) -> Result<Bound, HostError> {
    let err = |source| HostError::Bind { port, source };
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(err)?;
    let port = listener.local_addr().map_err(err)?.port();
    listener.set_nonblocking(true).map_err(err)?;
    Ok(Bound { listener, port })
}

/// A running server; dropping it stops it and waits for its thread.
pub struct Host {
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl Host {
    /// Serves `router` until stopped. `background(shutdown)` runs beside it; `on_stop` runs on
    /// the server's thread once the runtime is down.
    pub fn serve<B, F>(
        bound: Bound,
        name: &str,
        router: Router,
        background: B,
        on_stop: impl FnOnce() + Send + 'static,
    ) -> Result<Host, HostError>
    where
        B: FnOnce(tokio::sync::watch::Receiver<bool>) -> F,
        F: Future<Output = ()> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(name)
            .enable_all()
            .build()
            .map_err(HostError::Runtime)?;
        let port = bound.port;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(bound.listener)
                .map_err(|source| HostError::Bind { port, source })?
        };
        let (tx, rx) = tokio::sync::watch::channel(false);
        let task = background(rx.clone());
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                runtime.spawn(task);
                runtime.block_on(server::serve(listener, router, rx));
                runtime.shutdown_timeout(Duration::from_secs(1));
                on_stop();
            })
            .map_err(HostError::Runtime)?;
        Ok(Host {
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
