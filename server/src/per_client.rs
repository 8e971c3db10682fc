//! A cap on the API requests one client address has in progress. The connection caps
//! (`listen`) stop a client from holding sockets; this stops one from holding every
//! search slot with the connections it is allowed: beyond its cap its next request is
//! answered `503` + `Retry-After` at once while other clients are served as usual.

use crate::error::{HttpError, ServerError};
use crate::listen::Client;
use crate::metrics::Metrics;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Requests in progress per client address (addresses with none are not kept).
pub struct PerClient {
    max: usize,
    in_flight: Mutex<HashMap<IpAddr, usize>>,
    metrics: Arc<Metrics>,
}

/// One admitted request; dropping it frees the client's slot.
pub struct Slot<'a> {
    owner: &'a PerClient,
    client: IpAddr,
}

impl PerClient {
    pub fn new(max: usize, metrics: Arc<Metrics>) -> Self {
        Self {
            max,
            in_flight: Mutex::new(HashMap::new()),
            metrics,
        }
    }

    /// A slot for `client`, unless it already has `max` requests in progress.
    pub fn admit(&self, client: IpAddr) -> Option<Slot<'_>> {
        let mut map = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.entry(client).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            owner: self,
            client,
        })
    }

    /// Clients with requests in progress.
    pub fn clients(&self) -> usize {
        let map = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        map.values().filter(|&&n| n > 0).count()
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut map = self
            .owner
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.client);
            }
        }
    }
}

/// Middleware: admits the request under its client's cap, or sheds it. Requests with no
/// client address (none in production: the listener adds one to each) pass.
pub async fn limit(State(per_client): State<Arc<PerClient>>, req: Request, next: Next) -> Response {
    let Some(&Client(client)) = req.extensions().get::<Client>() else {
        return next.run(req).await;
    };
    let Some(_slot) = per_client.admit(client) else {
        per_client.metrics.search_shed();
        tracing::debug!(%client, "request shed: too many in progress from this client");
        return HttpError::from(ServerError::Overloaded).into_response();
    };
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_cap_and_slots_come_back() {
        let p = PerClient::new(2, Arc::new(Metrics::new()));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let a1 = p.admit(a).unwrap();
        let _a2 = p.admit(a).unwrap();
        assert!(p.admit(a).is_none(), "a third request from a is shed");
        let _b1 = p.admit(b).expect("b is not held back by a");
        drop(a1);
        assert!(p.admit(a).is_some(), "a's slot came back");
        drop(_b1);
        assert_eq!(
            p.clients(),
            1,
            "clients with nothing in progress are forgotten"
        );
    }
}
