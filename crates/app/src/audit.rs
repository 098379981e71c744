//! The append-only audit trail (S3): every mutation writes who, when, what,
//! and the record before and after, in the mutation's own transaction.

use chrono::{DateTime, Utc};
use dealdesk_persistence::audit as repo;
use dealdesk_persistence::entities::audit_log;
use sea_orm::ConnectionTrait;
use serde_json::Value;
use uuid::Uuid;

use crate::error::AppResult;
use crate::page::{Page, PageRequest};
use crate::principal::Principal;
use crate::App;

/// One change to record.
pub struct Change {
    /// What happened, `entity.verb` (e.g. `deal.move_stage`).
    pub action: &'static str,
    /// The kind of record changed (e.g. `deal`).
    pub entity_type: &'static str,
    /// The record changed.
    pub entity_id: Option<Uuid>,
    /// Its state before, if it existed.
    pub before: Option<Value>,
    /// Its state after, if it still exists.
    pub after: Option<Value>,
}

impl Change {
    /// A record that came into being.
    pub fn created(action: &'static str, entity_type: &'static str, id: Uuid, after: Value) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(id),
            before: None,
            after: Some(after),
        }
    }

    /// A record that changed.
    pub fn updated(action: &'static str, entity_type: &'static str, id: Uuid, before: Value, after: Value) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(id),
            before: Some(before),
            after: Some(after),
        }
    }
}

/// Writes one audit row for `principal` inside the caller's transaction.
pub async fn record<C: ConnectionTrait>(conn: &C, principal: &Principal, at: DateTime<Utc>, change: Change) -> AppResult<()> {
    repo::insert(
        conn,
        audit_log::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            actor_kind: principal.actor.kind().to_string(),
            actor_id: principal.actor.id(),
            action: change.action.to_string(),
            entity_type: change.entity_type.to_string(),
            entity_id: change.entity_id,
            before: change.before,
            after: change.after,
            at,
            request_id: None,
        },
    )
    .await?;
    Ok(())
}

/// What to select from the audit trail.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only changes to this record.
    pub entity_id: Option<Uuid>,
    /// Only changes by this user or key.
    pub actor_id: Option<Uuid>,
    /// Only this action (e.g. `deal.move_stage`).
    pub action: Option<String>,
}

impl App {
    /// The org's audit trail, newest first (admin).
    pub async fn audit_log(&self, principal: &Principal, filter: AuditFilter, page: PageRequest) -> AppResult<Page<audit_log::Model>> {
        principal.require_admin()?;
        let (rows, total) = repo::list(
            &self.db,
            principal.org_id,
            repo::AuditQuery {
                entity_id: filter.entity_id,
                actor_id: filter.actor_id,
                action: filter.action,
            },
            page.to_keyset(),
        )
        .await?;
        Ok(Page::from_rows(rows, total, &page, |row| (row.at, row.id)))
    }
}
