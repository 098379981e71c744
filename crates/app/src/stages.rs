//! The org's pipeline stages and their gates (P1, P2).

use chrono::{DateTime, Utc};
use dealdesk_domain::{default_stages, validate_stage_update, GateField, OrgId, StageDef, StageKey, StageKind};
use dealdesk_persistence::entities::stages;
use dealdesk_persistence::stages as repo;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::App;

/// Input of `updateStage`.
#[derive(Clone, Debug)]
pub struct StageChange {
    pub key: String,
    pub name: Option<String>,
    pub gate_fields: Option<Vec<String>>,
    pub stuck_after_hours: Option<i32>,
    pub probability: Option<i32>,
}

/// Reads a stored stage into the domain's definition.
pub fn to_def(row: &stages::Model) -> AppResult<StageDef> {
    let gate_fields = match &row.gate_fields {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(serde_json::Value::as_str)
            .map(GateField::parse)
            .collect::<Result<Vec<_>, _>>()?,
        _ => Vec::new(),
    };
    Ok(StageDef {
        key: StageKey::parse(&row.key)?,
        name: row.name.clone(),
        position: row.position,
        kind: StageKind::parse(&row.kind)?,
        probability: u8::try_from(row.probability).unwrap_or(0),
        gate_fields,
        stuck_after_hours: row.stuck_after_hours.and_then(|hours| u32::try_from(hours).ok()),
    })
}

/// A gate as stored in `stages.gate_fields`: the field names in gate order.
pub fn gate_json(fields: &[GateField]) -> serde_json::Value {
    serde_json::Value::Array(fields.iter().map(|field| json!(field.as_str())).collect())
}

fn stage_json(row: &stages::Model) -> serde_json::Value {
    json!({
        "key": row.key,
        "name": row.name,
        "probability": row.probability,
        "gateFields": row.gate_fields,
        "stuckAfterHours": row.stuck_after_hours,
    })
}

impl App {
    /// Writes the default stages of a new org.
    pub(crate) async fn create_default_stages<C: ConnectionTrait>(&self, conn: &C, org: OrgId, now: DateTime<Utc>) -> AppResult<()> {
        let rows = default_stages()
            .into_iter()
            .map(|stage| stages::Model {
                id: Uuid::now_v7(),
                org_id: org.into_uuid(),
                key: stage.key.as_str().to_string(),
                name: stage.name,
                position: stage.position,
                kind: stage.kind.as_str().to_string(),
                probability: i32::from(stage.probability),
                gate_fields: gate_json(&stage.gate_fields),
                stuck_after_hours: stage.stuck_after_hours.and_then(|hours| i32::try_from(hours).ok()),
                created_at: now,
                updated_at: now,
            })
            .collect();
        repo::insert_many(conn, rows).await?;
        Ok(())
    }

    /// The org's stages in order, as stored.
    pub async fn stages(&self, principal: &Principal) -> AppResult<Vec<stages::Model>> {
        Ok(repo::list(&self.db, principal.org_id).await?)
    }

    /// The org's stages as domain definitions.
    pub(crate) async fn stage_defs<C: ConnectionTrait>(&self, conn: &C, org: OrgId) -> AppResult<Vec<StageDef>> {
        repo::list(conn, org).await?.iter().map(to_def).collect()
    }

    /// Renames a stage or changes its gate, stuck threshold or probability (admin).
    pub async fn update_stage(&self, principal: &Principal, change: StageChange) -> AppResult<stages::Model> {
        principal.require_admin()?;
        let mut errors = validate_stage_update(change.name.as_deref(), change.probability, change.stuck_after_hours)
            .err()
            .unwrap_or_default();
        let gate_fields = match &change.gate_fields {
            None => None,
            Some(names) => {
                let mut parsed = Vec::new();
                for name in names {
                    match GateField::parse(name) {
                        Ok(field) if !parsed.contains(&field) => parsed.push(field),
                        Ok(_) => {}
                        Err(error) => errors.push(error),
                    }
                }
                Some(parsed)
            }
        };
        if !errors.is_empty() {
            return Err(AppError::BadInput(errors));
        }
        let txn = self.db.begin().await?;
        let before = repo::list(&txn, principal.org_id)
            .await?
            .into_iter()
            .find(|row| row.key == change.key.trim())
            .ok_or(AppError::NotFound("stage"))?;
        let mut after = before.clone();
        if let Some(name) = change.name {
            after.name = name.trim().to_string();
        }
        if let Some(probability) = change.probability {
            after.probability = probability;
        }
        if let Some(hours) = change.stuck_after_hours {
            if before.kind != StageKind::Open.as_str() {
                return Err(AppError::bad_input("stuckAfterHours", "only open stages can be stuck"));
            }
            after.stuck_after_hours = Some(hours);
        }
        if let Some(fields) = gate_fields {
            after.gate_fields = gate_json(&fields);
        }
        let now = self.now();
        after.updated_at = now;
        let after = repo::update(&txn, after).await?;
        audit::record(&txn, principal, now, Change::updated("stage.update", "stage", after.id, stage_json(&before), stage_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }
}
