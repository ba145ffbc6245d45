//! Async uploads: Flickr answers an `async=1` upload with a ticket at once and
//! processes the file afterwards. One poller asks flickr.photos.upload.checkTickets
//! about every pending ticket in one call, so waiting costs a call per poll interval,
//! not a call per photo, and the upload's slot is free for the next file meanwhile.

use super::remote::{Remote, Stop};
use crate::destinations::flickr::api::FlickrError;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

/// Flickr's limit is not documented; 100 ids keep the request line short.
const TICKETS_PER_CALL: usize = 100;

#[derive(Debug, PartialEq, Eq)]
pub enum TicketOutcome {
    Done {
        photo_id: String,
    },
    /// Flickr could not process the file (`complete=2`).
    Failed(String),
    /// The outcome is not known: the ticket is unknown to Flickr, polling failed, or
    /// the run stopped. The journal keeps the upload for the next run to look up.
    Unknown(String),
}

#[derive(Default)]
pub struct Tickets {
    pending: Mutex<HashMap<String, oneshot::Sender<TicketOutcome>>>,
    wake: Notify,
}

impl Tickets {
    /// Waits until the poller learns what became of `ticket`.
    pub async fn wait(&self, ticket: String) -> TicketOutcome {
        let (tx, rx) = oneshot::channel();
        self.lock().insert(ticket, tx);
        self.wake.notify_one();
        rx.await.unwrap_or_else(|_| {
            TicketOutcome::Unknown("the run ended before Flickr finished".into())
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<TicketOutcome>>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Polls every `every` while tickets are pending; runs until dropped (aborted).
    pub async fn poll(self: Arc<Self>, remote: Arc<Remote>, every: Duration) {
        let quiet = |_: u32, _: &FlickrError| {};
        loop {
            if self.lock().is_empty() {
                self.wake.notified().await;
            }
            tokio::time::sleep(every).await;
            let ids: Vec<String> = self.lock().keys().cloned().collect();
            for chunk in ids.chunks(TICKETS_PER_CALL) {
                let list = chunk.join(",");
                match remote
                    .rest(
                        "flickr.photos.upload.checkTickets",
                        &[("tickets", &list)],
                        &quiet,
                    )
                    .await
                {
                    Ok(answer) => self.settle(&answer),
                    Err(stop) => {
                        let why = match stop {
                            Stop::Cancelled => "the run was stopped".to_string(),
                            Stop::Flickr(e) => format!("checking the upload ticket failed: {e}"),
                        };
                        for id in chunk {
                            self.resolve(id, TicketOutcome::Unknown(why.clone()));
                        }
                    }
                }
            }
        }
    }

    /// Resolves the tickets that Flickr says are done, failed or unknown.
    fn settle(&self, answer: &Value) {
        let tickets = match &answer["uploader"]["ticket"] {
            Value::Array(list) => list.clone(),
            one @ Value::Object(_) => vec![one.clone()],
            _ => Vec::new(),
        };
        for t in tickets {
            let Some(id) = text(&t["id"]) else { continue };
            let flag = |name: &str| text(&t[name]).as_deref() == Some("1");
            let outcome = if flag("invalid") {
                TicketOutcome::Unknown(format!("Flickr does not know upload ticket {id}"))
            } else {
                match text(&t["complete"]).as_deref() {
                    Some("1") => match text(&t["photoid"]) {
                        Some(photo_id) => TicketOutcome::Done { photo_id },
                        None => TicketOutcome::Unknown(format!(
                            "upload ticket {id} is complete but names no photo"
                        )),
                    },
                    Some("2") => TicketOutcome::Failed(format!(
                        "Flickr could not process the file (upload ticket {id})"
                    )),
                    _ => continue,
                }
            };
            self.resolve(&id, outcome);
        }
    }

    fn resolve(&self, id: &str, outcome: TicketOutcome) {
        if let Some(tx) = self.lock().remove(id) {
            let _ = tx.send(outcome);
        }
    }
}

/// Flickr writes ids and flags as strings or numbers, depending on the format.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn settles_done_failed_and_invalid_tickets_and_keeps_pending_ones() {
        let tickets = Arc::new(Tickets::default());
        let waits: Vec<_> = ["1", "2", "3", "4"]
            .into_iter()
            .map(|id| {
                let t = tickets.clone();
                tokio::spawn(async move { t.wait(id.to_string()).await })
            })
            .collect();
        tokio::task::yield_now().await;
        while tickets.lock().len() < 4 {
            tokio::task::yield_now().await;
        }
        tickets.settle(&json!({"uploader": {"ticket": [
            {"id": "1", "complete": 1, "photoid": "99"},
            {"id": 2, "complete": "2"},
            {"id": "3", "invalid": 1},
            {"id": "4", "complete": 0},
        ]}}));
        assert_eq!(tickets.lock().len(), 1, "ticket 4 is still pending");
        let mut got = Vec::new();
        for w in waits.into_iter().take(3) {
            got.push(w.await.ok());
        }
        assert_eq!(
            got[0],
            Some(TicketOutcome::Done {
                photo_id: "99".into()
            })
        );
        assert!(matches!(got[1], Some(TicketOutcome::Failed(_))));
        assert!(matches!(got[2], Some(TicketOutcome::Unknown(_))));
    }
}
