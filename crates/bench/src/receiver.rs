//! A loopback webhook receiver: answers 200 and counts each delivery id
//! (`X-Dealdesk-Id`), so the bench can tell deliveries per second and
//! whether any message arrived twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

/// Counts of received deliveries by message id.
#[derive(Clone, Default)]
pub struct Received(Arc<Mutex<HashMap<String, u32>>>);

impl Received {
    /// (messages received, messages received more than once)
    pub fn counts(&self) -> (usize, usize) {
        let seen = self.0.lock().map(|seen| seen.clone()).unwrap_or_default();
        (seen.len(), seen.values().filter(|count| **count > 1).count())
    }
}

async fn hook(request: HttpRequest, received: web::Data<Received>, _body: web::Bytes) -> HttpResponse {
    let id = request.headers().get("X-Dealdesk-Id").and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
    if let Ok(mut seen) = received.0.lock() {
        *seen.entry(id).or_default() += 1;
    }
    HttpResponse::Ok().finish()
}

/// Starts the receiver on `port` (two workers); returns its counts and URL.
pub fn start(port: u16) -> anyhow::Result<(Received, String, actix_web::dev::ServerHandle)> {
    let received = Received::default();
    let data = web::Data::new(received.clone());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).route("/hook", web::post().to(hook)))
        .workers(2)
        .disable_signals()
        .bind(("127.0.0.1", port))?
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    Ok((received, format!("http://127.0.0.1:{port}/hook"), handle))
}
