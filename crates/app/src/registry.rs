//! The business-registry provider (R2): is the customer still operating?
//!
//! A trait with an HTTP adapter (API.md "Business-registry provider
//! protocol": `GET {base}/companies/{creditCode}` with a bearer key, answering
//! `{"creditCode","name","status","updatedAt"}`; 404 means not registered) and
//! an offline adapter that always answers `UNKNOWN`, which needs a LEGAL
//! user's manual confirmation. Errors and timeouts are reported as such and
//! never pass a check.

use std::time::Duration;

use crate::auth::Secret;

/// What the registry says about a company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryStatus {
    /// 存续/在业: the only status that passes.
    Operating,
    /// 经营异常.
    Abnormal,
    /// 吊销.
    Revoked,
    /// 注销.
    Cancelled,
    /// Not known to the provider (or no provider): a LEGAL user must confirm.
    Unknown,
    /// 404: no such registered company.
    NotRegistered,
}

impl RegistryStatus {
    /// The stored spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            RegistryStatus::Operating => "OPERATING",
            RegistryStatus::Abnormal => "ABNORMAL",
            RegistryStatus::Revoked => "REVOKED",
            RegistryStatus::Cancelled => "CANCELLED",
            RegistryStatus::Unknown => "UNKNOWN",
            RegistryStatus::NotRegistered => "NOT_REGISTERED",
        }
    }
}

/// A source of registry statuses.
#[async_trait::async_trait]
pub trait RegistryProvider: Send + Sync {
    /// The status of the company with this unified social credit code, or why it could not be read.
    async fn status(&self, credit_code: &str) -> Result<RegistryStatus, String>;
}

/// No provider configured: every company is `UNKNOWN`.
pub struct OfflineRegistry;

#[async_trait::async_trait]
impl RegistryProvider for OfflineRegistry {
    async fn status(&self, _credit_code: &str) -> Result<RegistryStatus, String> {
        Ok(RegistryStatus::Unknown)
    }
}

/// The HTTP adapter.
pub struct HttpRegistry {
    base_url: String,
    key: Option<Secret>,
    client: reqwest::Client,
}

impl HttpRegistry {
    /// A provider at `base_url` with an optional bearer key and a per-request timeout.
    pub fn new(base_url: &str, key: Option<Secret>, timeout: Duration) -> Result<HttpRegistry, String> {
        let client = reqwest::Client::builder().timeout(timeout).build().map_err(|error| error.to_string())?;
        Ok(HttpRegistry { base_url: base_url.trim_end_matches('/').to_string(), key, client })
    }
}

#[async_trait::async_trait]
impl RegistryProvider for HttpRegistry {
    async fn status(&self, credit_code: &str) -> Result<RegistryStatus, String> {
        let mut request = self.client.get(format!("{}/companies/{credit_code}", self.base_url));
        if let Some(key) = &self.key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|error| {
            if error.is_timeout() {
                "the business registry did not answer in time".to_string()
            } else {
                "the business registry could not be reached".to_string()
            }
        })?;
        match response.status().as_u16() {
            404 => return Ok(RegistryStatus::NotRegistered),
            200..=299 => {}
            status => return Err(format!("the business registry answered HTTP {status}")),
        }
        let body: serde_json::Value = response.json().await.map_err(|_| "the business registry sent an unreadable answer".to_string())?;
        Ok(match body.get("status").and_then(serde_json::Value::as_str) {
            Some("OPERATING") => RegistryStatus::Operating,
            Some("ABNORMAL") => RegistryStatus::Abnormal,
            Some("REVOKED") => RegistryStatus::Revoked,
            Some("CANCELLED") => RegistryStatus::Cancelled,
            Some("UNKNOWN") => RegistryStatus::Unknown,
            other => return Err(format!("the business registry sent an unknown status {other:?}")),
        })
    }
}
