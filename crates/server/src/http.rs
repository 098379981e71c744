//! GraphQL over HTTP (API.md "Transport"): content negotiation, the client
//! version gate, authentication, idempotent mutations; plus health probes.

use actix_web::http::header::{self, HeaderMap};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql_actix_web::GraphQLRequest;
use dealdesk_app::idempotency::Claim;
use dealdesk_app::{App, AppError, Principal};
use dealdesk_graphql::{DealdeskSchema, RequestAuth};
use sha2::{Digest, Sha256};

/// Shared state of the HTTP handlers.
pub struct ServerState {
    /// The use cases.
    pub app: App,
    /// The executable schema.
    pub schema: DealdeskSchema,
    /// The oldest client version served.
    pub min_client_version: Option<semver::Version>,
    /// Whether responses carry `X-SQL-Statements` (`DEALDESK_STATEMENT_COUNTS`).
    pub statement_counts: bool,
    /// Documents already parsed, by their text.
    pub documents: Documents,
}

/// The parsed documents of the most recent distinct queries. Clients send
/// the same few query texts over and over (the web app's are generated);
/// parsing one took about as many instructions as reading the 50 deals it
/// lists, and a copy of the parsed document costs a fraction of that.
pub struct Documents(std::sync::Mutex<lru::LruCache<String, ExecutableDocument>>);

impl Documents {
    /// Distinct documents kept.
    const CAPACITY: usize = 256;
    /// Longer texts are parsed every time rather than kept.
    const MAX_TEXT: usize = 16 * 1024;

    /// An empty cache.
    pub fn new() -> Self {
        Self(std::sync::Mutex::new(lru::LruCache::new(std::num::NonZeroUsize::new(Self::CAPACITY).unwrap_or(std::num::NonZeroUsize::MIN))))
    }

    /// Gives `request` its parsed document from the cache, or parses it and
    /// keeps it; a query that does not parse is left to the schema, which
    /// reports the syntax error.
    fn prepare(&self, request: &mut async_graphql::Request) {
        if let Some(document) = self.0.lock().ok().and_then(|mut cache| cache.get(&request.query).cloned()) {
            request.set_parsed_query(document);
            return;
        }
        // A text too long to keep is parsed where it is needed, once.
        if request.query.len() > Self::MAX_TEXT {
            return;
        }
        let text = request.query.clone();
        let Ok(document) = request.parsed_query() else { return };
        let document = document.clone();
        if let Ok(mut cache) = self.0.lock() {
            cache.put(text, document);
        }
    }
}

impl Default for Documents {
    fn default() -> Self {
        Self::new()
    }
}

/// The response header that carries a request's SQL statement count.
pub const STATEMENTS_HEADER: &str = "x-sql-statements";

/// The response media types of the GraphQL-over-HTTP spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaType {
    /// `application/graphql-response+json`: request errors use 4xx.
    GraphqlResponse,
    /// `application/json`: always 200 for well-formed GraphQL requests.
    Json,
}

impl MediaType {
    fn as_str(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response type from `Accept`, honouring q-values; `None` when
/// the client accepts neither JSON type.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let range = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .filter_map(|param| param.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if quality <= 0.0 {
            continue;
        }
        let candidate = match range.as_str() {
            "application/graphql-response+json" => MediaType::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        // On a tie the spec's preferred type wins.
        let better = match best {
            None => true,
            Some((q, kind)) => quality > q || (quality == q && candidate == MediaType::GraphqlResponse && kind != MediaType::GraphqlResponse),
        };
        if better {
            best = Some((quality, candidate));
        }
    }
    best.map(|(_, kind)| kind)
}

fn error_body(error: &AppError) -> serde_json::Value {
    let mut extensions = serde_json::json!({ "code": error.code().as_str() });
    let fields = error.fields();
    if !fields.is_empty() {
        extensions["fields"] = serde_json::json!(fields);
    }
    serde_json::json!({ "errors": [{ "message": error.to_string(), "extensions": extensions }] })
}

/// The body encoded straight to bytes: a GraphQL response is written
/// without first building a JSON tree of it.
fn respond(media: MediaType, status: StatusCode, body: &impl serde::Serialize) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| UNENCODABLE.as_bytes().to_vec());
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

/// The body sent when a response cannot be encoded as JSON.
const UNENCODABLE: &str = r#"{"errors":[{"message":"response could not be encoded"}]}"#;

/// A request-level refusal: 200 for `application/json` clients, 4xx otherwise.
fn refuse(media: MediaType, error: &AppError) -> HttpResponse {
    let status = match media {
        MediaType::Json => StatusCode::OK,
        MediaType::GraphqlResponse => match error.code() {
            dealdesk_app::ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            dealdesk_app::ErrorCode::Conflict => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        },
    };
    respond(media, status, &error_body(error))
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim).filter(|value| !value.is_empty())
}

/// The operation a request will run: `Some(true)` for a mutation, `None`
/// if it does not parse or names no single operation. The parsed document
/// stays in the request, so the schema does not parse it again.
fn is_mutation(request: &mut async_graphql::Request) -> Option<bool> {
    let operation_name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let kind = match &document.operations {
        DocumentOperations::Single(operation) => operation.node.ty,
        DocumentOperations::Multiple(operations) => match operation_name.as_deref() {
            Some(name) => operations.get(name)?.node.ty,
            None if operations.len() == 1 => operations.values().next()?.node.ty,
            None => return None,
        },
    };
    Some(kind == OperationType::Mutation)
}

/// Whether a failed response may still have written something, so that a
/// retry must replay it rather than run again: a root field returned data
/// (another mutation of the document failed), or an error came from below a
/// root field (its use case had already committed). An error on a root field
/// itself means its use case refused and rolled back.
fn may_have_written(response: &async_graphql::Response) -> bool {
    let any_data = match &response.data {
        async_graphql::Value::Object(fields) => fields.values().any(|value| *value != async_graphql::Value::Null),
        _ => false,
    };
    any_data || response.errors.iter().any(|error| error.path.len() > 1)
}

/// `GET` and `POST /graphql`; with statement counts on, the response says
/// how many SQL statements the request ran, from authentication to the
/// stored idempotent response.
pub async fn graphql(req: HttpRequest, state: web::Data<ServerState>, body: GraphQLRequest) -> HttpResponse {
    if !state.statement_counts {
        return execute(req, state, body).await;
    }
    let (mut response, statements) = dealdesk_persistence::statements::count(execute(req, state, body)).await;
    response.headers_mut().insert(header::HeaderName::from_static(STATEMENTS_HEADER), header::HeaderValue::from(statements));
    response
}

async fn execute(req: HttpRequest, state: web::Data<ServerState>, body: GraphQLRequest) -> HttpResponse {
    let Some(media) = negotiate(req.headers()) else {
        return HttpResponse::NotAcceptable()
            .content_type("text/plain; charset=utf-8")
            .body("accept application/graphql-response+json or application/json");
    };
    let mut request = body.into_inner();

    // `{"foo":1}` deserializes to a request with an empty query: not a
    // GraphQL request at all, so a 4xx whatever the media type.
    if request.query.trim().is_empty() {
        return respond(media, StatusCode::BAD_REQUEST, &error_body(&AppError::bad_input("query", "a GraphQL request needs a query")));
    }

    // S5: refuse clients below the minimum before anything runs.
    if let Some(minimum) = &state.min_client_version {
        if let Some(sent) = header_text(req.headers(), "x-client-version") {
            match crate::config::parse_version(sent) {
                Some(version) if version < *minimum => {
                    return refuse(
                        media,
                        &AppError::ClientTooOld {
                            client: sent.to_string(),
                            minimum: minimum.to_string(),
                        },
                    );
                }
                Some(_) => {}
                None => return refuse(media, &AppError::bad_input("X-Client-Version", "must be a version like 1.4.0")),
            }
        }
    }

    let principal: Option<Principal> = match header_text(req.headers(), "authorization") {
        None => None,
        Some(value) => match state.app.authenticate(value).await {
            Ok(principal) => Some(principal),
            Err(error) => return refuse(media, &error),
        },
    };

    state.documents.prepare(&mut request);
    let mutation = is_mutation(&mut request);
    if req.method() == actix_web::http::Method::GET && mutation == Some(true) {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "POST"))
            .content_type("text/plain; charset=utf-8")
            .body("mutations must be sent with POST");
    }

    // Idempotent mutations: claim the key, or answer with the stored first response.
    let idempotency = match (mutation, header_text(req.headers(), "idempotency-key"), &principal) {
        (Some(true), Some(key), Some(principal)) => {
            let variables = serde_json::to_string(&request.variables).unwrap_or_default();
            let digest = Sha256::digest(format!("{}\n{}\n{}", request.query, request.operation_name.as_deref().unwrap_or(""), variables));
            let hash: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
            match state.app.claim_idempotent(principal, key, &hash).await {
                Ok(Claim::Run) => Some((principal.clone(), key.to_string())),
                Ok(Claim::Replay(stored)) => return respond(media, StatusCode::OK, &stored),
                Err(error) => return refuse(media, &error),
            }
        }
        _ => None,
    };

    let client_address = req.peer_addr().map(|addr| addr.ip().to_string()).unwrap_or_default();
    let (auth, loaders) = dealdesk_graphql::request_data(&state.app, RequestAuth { principal, client_address });
    request = request.data(auth);
    if let Some(loaders) = loaders {
        request = request.data(loaders);
    }
    let response = state.schema.execute(request).await;
    let request_error = response.data == async_graphql::Value::Null && response.errors.iter().all(|error| error.path.is_empty()) && !response.errors.is_empty();
    let status = if media == MediaType::GraphqlResponse && request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };

    let Some((principal, key)) = idempotency else {
        return respond(media, status, &response);
    };
    // The stored first response is replayed as it was sent.
    let body = serde_json::to_value(&response).unwrap_or_else(|_| serde_json::from_str(UNENCODABLE).unwrap_or_default());
    let stored = if response.is_ok() || may_have_written(&response) {
        state.app.complete_idempotent(&principal, &key, body.clone()).await
    } else {
        state.app.release_idempotent(&principal, &key).await
    };
    if let Err(error) = stored {
        tracing::error!(error = %error, "could not store the idempotent response");
    }
    respond(media, status, &body)
}

/// `GET /files/{id}`: a contract document, for a caller who may see the contract.
pub async fn download(req: HttpRequest, state: web::Data<ServerState>, id: web::Path<String>) -> HttpResponse {
    let Some(authorization) = header_text(req.headers(), "authorization") else {
        return HttpResponse::Unauthorized().content_type("text/plain").body("sign in first");
    };
    let principal = match state.app.authenticate(authorization).await {
        Ok(principal) => principal,
        Err(error) => return HttpResponse::Unauthorized().content_type("text/plain").body(error.to_string()),
    };
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return HttpResponse::NotFound().content_type("text/plain").body("document not found");
    };
    match state.app.document_content(&principal, id).await {
        Ok((document, bytes)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, document.content_type))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", document.file_name.replace(['"', '\\', '\r', '\n'], "_"))))
            .body(bytes),
        Err(AppError::NotFound(_)) => HttpResponse::NotFound().content_type("text/plain").body("document not found"),
        Err(error) => {
            tracing::error!(error = %error, "document download failed");
            HttpResponse::InternalServerError().content_type("text/plain").body("internal error")
        }
    }
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// `GET /readyz`: the database answers.
pub async fn readyz(state: web::Data<ServerState>) -> HttpResponse {
    match state.app.db.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(error) => {
            tracing::warn!(error = %error, "database not reachable");
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unreachable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        negotiate(&headers)
    }

    #[test]
    fn negotiates_the_media_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(accept("application/json"), Some(MediaType::Json));
        assert_eq!(accept("application/graphql-response+json"), Some(MediaType::GraphqlResponse));
        assert_eq!(accept("application/graphql-response+json, application/json;q=0.9"), Some(MediaType::GraphqlResponse));
        assert_eq!(accept("application/json, application/graphql-response+json;q=0.5"), Some(MediaType::Json));
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("text/html"), None);
    }

    #[test]
    fn keeps_parsed_documents_but_not_syntax_errors() {
        let documents = Documents::new();
        let cached = |documents: &Documents| documents.0.lock().map(|cache| cache.len()).unwrap_or_default();
        let mut first = async_graphql::Request::new("query A { a }");
        documents.prepare(&mut first);
        assert_eq!(cached(&documents), 1);
        let mut again = async_graphql::Request::new("query A { a }");
        documents.prepare(&mut again);
        assert_eq!(cached(&documents), 1);
        assert_eq!(is_mutation(&mut again), Some(false));
        // The next request with that text takes the kept document, not a new parse.
        let other = async_graphql::parser::parse_query("mutation M { m }").unwrap();
        documents.0.lock().unwrap().put("query A { a }".to_string(), other);
        let mut from_cache = async_graphql::Request::new("query A { a }");
        documents.prepare(&mut from_cache);
        assert_eq!(is_mutation(&mut from_cache), Some(true));
        let mut mutation = async_graphql::Request::new("mutation B { b }");
        documents.prepare(&mut mutation);
        assert_eq!(is_mutation(&mut mutation), Some(true));
        let mut broken = async_graphql::Request::new("query {");
        documents.prepare(&mut broken);
        assert_eq!(cached(&documents), 2);
        assert!(broken.parsed_query().is_err(), "the syntax error is still reported");
        let mut long = async_graphql::Request::new(format!("query {{ a }} # {}", "x".repeat(Documents::MAX_TEXT)));
        documents.prepare(&mut long);
        assert_eq!(cached(&documents), 2, "long texts are not kept");
    }

    #[test]
    fn finds_mutations() {
        let kind = |query: &str, operation: Option<&str>| {
            let mut request = async_graphql::Request::new(query);
            if let Some(name) = operation {
                request = request.operation_name(name);
            }
            is_mutation(&mut request)
        };
        assert_eq!(kind("mutation { a }", None), Some(true));
        assert_eq!(kind("{ a }", None), Some(false));
        assert_eq!(kind("query A { a } mutation B { b }", Some("B")), Some(true));
        assert_eq!(kind("query A { a } mutation B { b }", Some("C")), None);
        assert_eq!(kind("query A { a } mutation B { b }", None), None);
        assert_eq!(kind("nonsense {", None), None);
    }
}
