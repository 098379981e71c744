//! `Idempotency-Key` on mutations: a retry gets the stored first response.
//!
//! The key is claimed before the mutation runs (a unique row per caller and
//! key), completed with the response when the mutation succeeded or may
//! have written anything (e.g. one of several mutations in a document
//! failed), and released when it failed without writing (a refused use case
//! rolls back, so it may run again). A key reused for a different request is
//! a `CONFLICT`.

use chrono::Duration;
use dealdesk_persistence::idempotency as repo;

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::App;

/// How long a claimed key may stay unfinished before a retry may take it over
/// (the first attempt's process must have died).
pub const STALE_CLAIM_SECONDS: i64 = 120;

/// What to do with a request that carries an idempotency key.
#[derive(Debug)]
pub enum Claim {
    /// First time: run it, then [`App::complete_idempotent`] or [`App::release_idempotent`].
    Run,
    /// Seen before and finished: answer with this stored response.
    Replay(serde_json::Value),
}

fn principal_key(principal: &Principal) -> String {
    format!("{}:{}", principal.actor.kind(), principal.actor.id().unwrap_or_default())
}

impl App {
    /// Claims `key` for a request whose content hashes to `request_hash`.
    pub async fn claim_idempotent(&self, principal: &Principal, key: &str, request_hash: &str) -> AppResult<Claim> {
        if key.is_empty() || key.len() > 200 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError::bad_input("Idempotency-Key", "must be 1–200 visible ASCII characters"));
        }
        let who = principal_key(principal);
        let now = self.now();
        for _ in 0..2 {
            let Some(existing) = repo::claim(&self.db, principal.org_id.into_uuid(), &who, key, request_hash, now).await? else {
                return Ok(Claim::Run);
            };
            if existing.request_hash != request_hash {
                return Err(AppError::Conflict {
                    message: "this idempotency key was used for a different request".into(),
                    fields: vec!["Idempotency-Key".into()],
                });
            }
            if existing.status == "DONE" {
                return Ok(Claim::Replay(existing.response.unwrap_or(serde_json::Value::Null)));
            }
            if existing.created_at > now - Duration::seconds(STALE_CLAIM_SECONDS) {
                return Err(AppError::Conflict {
                    message: "a request with this idempotency key is still in progress".into(),
                    fields: vec!["Idempotency-Key".into()],
                });
            }
            repo::release(&self.db, &who, key).await?;
        }
        Err(AppError::Conflict {
            message: "a request with this idempotency key is still in progress".into(),
            fields: vec!["Idempotency-Key".into()],
        })
    }

    /// Stores the response of a successful request.
    pub async fn complete_idempotent(&self, principal: &Principal, key: &str, response: serde_json::Value) -> AppResult<()> {
        Ok(repo::complete(&self.db, &principal_key(principal), key, response).await?)
    }

    /// Forgets a claim whose request failed.
    pub async fn release_idempotent(&self, principal: &Principal, key: &str) -> AppResult<()> {
        Ok(repo::release(&self.db, &principal_key(principal), key).await?)
    }
}
