//! The HTTP side: the shared state every handler sees, the routes under Flickr's paths, the
//! accept loop (one hyper connection per socket, each closable without an answer, which is how
//! the "connection dropped" faults are made), and the gate every API request passes first:
//! latency, call budget, fault draw.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use super::answer::{self, Format};
use super::faults::{Budget, FaultKind, Faults};
use super::store::Store;
use super::tokens::Tokens;
use super::{download, oauth_flow, rest, upload};

/// The emulator's single account.
#[derive(Debug, Clone)]
pub struct User {
    pub nsid: String,
    pub username: String,
    pub fullname: String,
}

/// Everything the handlers share. Locks are never held across an `.await`.
pub struct Shared {
    pub user: User,
    pub endpoint: String,
    pub tokens: Mutex<Tokens>,
    pub store: Mutex<Store>,
    pub faults: Mutex<Faults>,
    pub budget: Mutex<Budget>,
    pub counts: Mutex<BTreeMap<String, u64>>,
    /// Where originals are written (inside `data_dir`, or a private temporary folder).
    pub originals: PathBuf,
    pub data_dir: Option<PathBuf>,
    pub max_photo_bytes: u64,
    pub max_per_set: usize,
    pub max_video_bytes: u64,
    /// How long a new upload stays invisible to search, as on Flickr, whose search
    /// index lags behind uploads.
    pub search_lag: std::time::Duration,
    /// Uploads younger than `search_lag`, and when they were stored.
    pub fresh: Mutex<std::collections::HashMap<u64, std::time::Instant>>,
    /// How pages after the first are read off by one.
    pub paging: Mutex<Paging>,
    /// The account's kind and limits.
    pub account: super::account::Account,
}

/// Unstable paging: a seeded draw of how far off (-1, 0, +1) a page after the first
/// starts.
#[derive(Debug)]
pub struct Paging {
    pub rate: f64,
    rng: super::rng::Rng,
}

impl Paging {
    pub fn new(seed: u64, rate: f64) -> Paging {
        Paging {
            rate,
            rng: super::rng::Rng::new(seed ^ 0x5041_4745),
        }
    }

    /// The shift of page `page`'s start: -1 repeats the previous page's last item, +1
    /// skips one.
    pub fn shift(&mut self, page: usize) -> isize {
        let (roll, up) = (self.rng.next_f64(), self.rng.below(2) == 1);
        if page < 2 || roll >= self.rate {
            0
        } else if up {
            1
        } else {
            -1
        }
    }
}

/// Locks a mutex; a panic elsewhere while holding it does not make the state unusable here.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// Notes a new upload, which search will not see for `search_lag`.
    pub fn stored(&self, id: u64) {
        if !self.search_lag.is_zero() {
            lock(&self.fresh).insert(id, std::time::Instant::now());
        }
    }

    /// Whether search can see the photo yet.
    pub fn searchable(&self, id: u64) -> bool {
        let mut fresh = lock(&self.fresh);
        match fresh.get(&id) {
            Some(at) if at.elapsed() < self.search_lag => false,
            Some(_) => {
                fresh.remove(&id);
                true
            }
            None => true,
        }
    }

    pub fn count(&self, name: &str) {
        *lock(&self.counts).entry(name.to_string()).or_insert(0) += 1;
    }
}

/// Closes the connection a request came on, without answering it.
#[derive(Clone)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    /// Closes the connection; the returned future never completes (the handler is dropped).
    pub async fn drop_connection(&self) -> Response {
        self.0.notify_one();
        std::future::pending::<Response>().await
    }
}

/// What the gate decided for one API request.
pub enum Gate {
    /// Handle it; with `drop_after`, close the connection instead of answering.
    Proceed { drop_after: bool },
    /// Answer this instead (HTTP error, 429, Flickr 105).
    Answer(Response),
    /// Close the connection now.
    Drop,
}

/// Latency, then the call budget, then the seeded fault draw.
pub async fn gate(shared: &Shared, format: &Format) -> Gate {
    let latency = lock(&shared.faults).latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if !lock(&shared.budget).take(Instant::now()) {
        return Gate::Answer(too_many_requests());
    }
    let fault = lock(&shared.faults).draw();
    match fault {
        None => Gate::Proceed { drop_after: false },
        Some(FaultKind::DropAfterWork) => Gate::Proceed { drop_after: true },
        Some(FaultKind::DropBeforeAnswer) => Gate::Drop,
        Some(FaultKind::Flickr105) => Gate::Answer(flickr_answer(
            format,
            Err((105, "Service currently unavailable".to_string())),
        )),
        Some(FaultKind::Http500) => Gate::Answer(html_error(StatusCode::INTERNAL_SERVER_ERROR)),
        Some(FaultKind::Http502) => Gate::Answer(html_error(StatusCode::BAD_GATEWAY)),
        Some(FaultKind::Http503) => Gate::Answer(html_error(StatusCode::SERVICE_UNAVAILABLE)),
    }
}

/// An HTTP 200 Flickr answer, success or `stat=fail`.
pub fn flickr_answer(
    format: &Format,
    result: Result<serde_json::Value, (u32, String)>,
) -> Response {
    let body = match result {
        Ok(value) => answer::ok(format, value),
        Err((code, message)) => answer::fail(format, code, &message),
    };
    ([(header::CONTENT_TYPE, format.content_type())], body).into_response()
}

/// Flickr's rate-limit answer: HTTP 429 with a small HTML page, no Flickr envelope.
fn too_many_requests() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n",
    )
        .into_response()
}

fn html_error(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let body = format!(
        "<html><head><title>{} {reason}</title></head><body><h1>{reason}</h1></body></html>\n",
        status.as_u16()
    );
    (status, [(header::CONTENT_TYPE, "text/html")], body).into_response()
}

/// The base string URI of a request, from its Host header and path.
pub fn request_uri(headers: &HeaderMap, path: &str, fallback_host: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(fallback_host);
    super::oauth::base_uri("http", host, path)
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/services/rest", get(rest::handle).post(rest::handle))
        .route("/services/rest/", get(rest::handle).post(rest::handle))
        .route("/services/upload", post(upload::handle_upload))
        .route("/services/upload/", post(upload::handle_upload))
        .route("/services/replace", post(upload::handle_replace))
        .route("/services/replace/", post(upload::handle_replace))
        .route(
            "/services/oauth/request_token",
            get(oauth_flow::request_token).post(oauth_flow::request_token),
        )
        .route("/services/oauth/authorize", get(oauth_flow::authorize))
        .route(
            "/services/oauth/access_token",
            get(oauth_flow::access_token).post(oauth_flow::access_token),
        )
        .route("/originals/{file}", get(download::original))
        .layer(DefaultBodyLimit::disable())
        .with_state(shared)
}

/// Serves connections until `shutdown` turns true. Each connection can be closed without an
/// answer through the `ConnectionKill` its requests carry.
pub async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let router = router.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            let notify = Arc::new(Notify::new());
            let kill = ConnectionKill(notify.clone());
            let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(kill.clone());
                router.clone().oneshot(req.map(Body::new))
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = notify.notified() => {}
                _ = shutdown.changed() => {}
            }
        });
    }
}
