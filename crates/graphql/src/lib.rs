//! The GraphQL API (API.md): thin resolvers over the `app` use cases.
//!
//! Resolvers parse input, call one `app` function and map the result; the
//! org id and role come only from the verified [`RequestAuth`] the server
//! puts into each request. Transport shapes live here and nowhere else.
//!
//! - [`contracts`]: contracts, documents, receivables and risk tiers.
//! - [`error`]: `AppError` → GraphQL errors with `extensions.code` and `fields`.
//! - [`import`]: payment import (.csv / .xlsx upload, dry-run report) and payment records.
//! - [`loaders`]: per-request, org-scoped dataloaders (no N+1 on lists).
//! - [`notify`]: channels, preferences and the delivery log.
//! - [`scalars`]: the `Date` scalar.
//! - [`tickets`]: tickets, SLA policies and the business calendar.
//! - [`types`]: output objects.
//! - [`inputs`]: input objects and enums.
//! - [`funnel`]: the funnel health report's output objects (E6).
//! - [`analytics`]: the org-wide funnel and bottleneck heatmap (B1, B2).
//! - [`collaboration`]: collaboration health per department or kind (C5).
//! - [`collection`]: the collection forecast and collection metrics (R5, R6).
//! - [`quick`]: objects whose fields are resolved in place, without a future per field.
//! - [`query`], [`mutation`]: the root operations.

pub mod analytics;
pub mod collaboration;
pub mod collection;
pub mod contracts;
pub mod error;
pub mod funnel;
pub mod import;
pub mod inputs;
pub mod loaders;
pub mod mutation;
pub mod quick;
pub mod notify;
pub mod query;
pub mod scalars;
pub mod tickets;
pub mod types;

use async_graphql::{EmptySubscription, Schema};
use dealdesk_app::{App, Principal};

pub use error::ResultExt;

/// The executable schema type.
pub type DealdeskSchema = Schema<query::QueryRoot, mutation::MutationRoot, EmptySubscription>;

/// Maximum nesting depth of a query.
pub const MAX_DEPTH: usize = 12;
/// Maximum complexity (roughly, fields selected times page sizes) of a query.
pub const MAX_COMPLEXITY: usize = 5_000;

/// Who sent a request, as verified by the server before execution.
#[derive(Clone, Debug)]
pub struct RequestAuth {
    /// The caller, or `None` for anonymous requests (sign-up, login, refresh).
    pub principal: Option<Principal>,
    /// The client's address, for login throttling.
    pub client_address: String,
}

/// Builds the schema with the app as shared data and the query limits on.
/// It has no extensions: an extension's per-field hook would not see the
/// fields [`quick`] objects resolve in place.
pub fn build_schema(app: App) -> DealdeskSchema {
    Schema::build(query::QueryRoot, mutation::MutationRoot, EmptySubscription)
        .data(app)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// The schema in SDL, as published in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(query::QueryRoot, mutation::MutationRoot, EmptySubscription)
        .finish()
        .sdl()
}

/// Per-request data: the verified caller and their org-scoped loaders.
pub fn request_data(app: &App, auth: RequestAuth) -> (RequestAuth, Option<loaders::Loaders>) {
    let loaders = auth
        .principal
        .as_ref()
        .map(|principal| loaders::Loaders::new(app.clone(), principal.org_id, Some(principal.clone())));
    (auth, loaders)
}
