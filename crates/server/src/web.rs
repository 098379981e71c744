//! Serves the built web app: hashed assets cached for a year, `index.html`
//! never cached, unknown paths fall back to `index.html` (client routes).

use std::path::{Path, PathBuf};

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

/// Mounts the web app found in `dir` at `/` (after the API routes).
pub fn configure(cfg: &mut web::ServiceConfig, dir: &Path) {
    let dir = dir.to_path_buf();
    cfg.app_data(web::Data::new(WebDir(dir)))
        .default_service(web::to(serve));
}

struct WebDir(PathBuf);

async fn serve(req: HttpRequest, dir: web::Data<WebDir>) -> HttpResponse {
    if req.method() != actix_web::http::Method::GET && req.method() != actix_web::http::Method::HEAD {
        return HttpResponse::MethodNotAllowed().finish();
    }
    let relative = req.path().trim_start_matches('/');
    // Refuse anything that could climb out of the web directory.
    if relative.split('/').any(|part| part == ".." || part.starts_with('.')) {
        return HttpResponse::NotFound().finish();
    }
    let candidate = dir.0.join(relative);
    if !relative.is_empty() && candidate.is_file() {
        let immutable = relative.starts_with("assets/");
        return file_response(&candidate, immutable).await;
    }
    if relative.starts_with("assets/") || Path::new(relative).extension().is_some() {
        return HttpResponse::NotFound().finish();
    }
    let index = dir.0.join("index.html");
    if index.is_file() {
        file_response(&index, false).await
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("the web app is not built; run `make web`")
    }
}

async fn file_response(path: &Path, immutable: bool) -> HttpResponse {
    let Ok(bytes) = tokio::fs::read(path).await else {
        return HttpResponse::NotFound().finish();
    };
    let content_type = match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, cache))
        .body(bytes)
}
