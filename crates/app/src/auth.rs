//! Credentials: argon2id passwords, short-lived access tokens (JWT),
//! rotating refresh tokens, API keys, and login throttling.
//!
//! Token lifetimes and throttling windows use wall time, not the business
//! clock: moving the test clock forward two days must not log everyone out.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use dealdesk_domain::{ApiKeyId, Email, OrgId, Role, UserId};
use dealdesk_persistence::entities::{api_keys, refresh_tokens, users};
use dealdesk_persistence::{auth as repo, users as user_repo};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::principal::{Actor, Principal};
use crate::App;

/// How long an access token is valid.
pub const ACCESS_TOKEN_TTL_MINUTES: i64 = 15;
/// How long a refresh token is valid.
pub const REFRESH_TOKEN_TTL_DAYS: i64 = 30;
/// Failed logins per account inside [`THROTTLE_WINDOW_MINUTES`] before refusing.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed logins per client address inside the window before refusing.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
/// The sliding window for login throttling.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

/// A secret string whose `Debug` output is redacted.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Tokens handed to a client after login, sign-up or refresh.
#[derive(Clone, Debug)]
pub struct AuthTokens {
    /// The bearer token for API calls.
    pub access_token: String,
    /// When the access token stops working.
    pub access_token_expires_at: DateTime<Utc>,
    /// The one-time token that obtains the next pair.
    pub refresh_token: String,
    /// The signed-in user.
    pub user: users::Model,
}

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: Uuid,
    org: Uuid,
    role: String,
    iat: i64,
    exp: i64,
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> AppResult<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::Internal(format!("password hashing failed: {error}")))
}

/// Checks a password against a stored argon2 hash.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A random, URL-safe token with a readable prefix.
fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// SHA-256 of a high-entropy token, hex-encoded: what we store instead of it.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl App {
    /// Issues an access token and a fresh refresh-token family for `user`.
    pub(crate) async fn issue_tokens<C: ConnectionTrait>(
        &self,
        conn: &C,
        user: users::Model,
        family_id: Option<Uuid>,
    ) -> AppResult<AuthTokens> {
        let now = Utc::now();
        let expires_at = now + Duration::minutes(ACCESS_TOKEN_TTL_MINUTES);
        let claims = AccessClaims {
            sub: user.id,
            org: user.org_id,
            role: user.role.clone(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let access_token = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(self.config.jwt_secret.expose().as_bytes()),
        )
        .map_err(|error| AppError::Internal(format!("token signing failed: {error}")))?;
        let refresh_token = random_token("rt_");
        repo::insert_refresh_token(
            conn,
            refresh_tokens::Model {
                id: Uuid::now_v7(),
                org_id: user.org_id,
                user_id: user.id,
                token_hash: token_hash(&refresh_token),
                family_id: family_id.unwrap_or_else(Uuid::now_v7),
                expires_at: now + Duration::days(REFRESH_TOKEN_TTL_DAYS),
                created_at: now,
                used_at: None,
                revoked_at: None,
            },
        )
        .await?;
        Ok(AuthTokens {
            access_token,
            access_token_expires_at: expires_at,
            refresh_token,
            user,
        })
    }

    /// Logs in with email and password, throttled per account and per address.
    #[tracing::instrument(skip_all)]
    pub async fn login(&self, email: &str, password: &str, client_address: &str) -> AppResult<AuthTokens> {
        let now = Utc::now();
        let account_key = email.trim().to_lowercase();
        let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
        let (account_failures, oldest_account) =
            repo::failures_since(&self.db, repo::FailureKey::Account(&account_key), since).await?;
        let (address_failures, oldest_address) =
            repo::failures_since(&self.db, repo::FailureKey::Address(client_address), since).await?;
        let blocked_since = if account_failures >= MAX_FAILURES_PER_ACCOUNT {
            oldest_account
        } else if address_failures >= MAX_FAILURES_PER_ADDRESS {
            oldest_address
        } else {
            None
        };
        if let Some(oldest) = blocked_since {
            let retry_after = (oldest + Duration::minutes(THROTTLE_WINDOW_MINUTES) - now).num_seconds().max(1);
            return Err(AppError::RateLimited {
                retry_after_secs: retry_after,
            });
        }

        let user = match Email::parse(email) {
            Ok(parsed) => user_repo::find_by_email(&self.db, parsed.as_str()).await?,
            Err(_) => None,
        };
        let verified = match &user {
            Some(user) if user.active => verify_password(password, &user.password_hash),
            _ => {
                // Spend the same effort as a real check so timing does not reveal accounts.
                let _ = verify_password(password, DUMMY_HASH);
                false
            }
        };
        match (user, verified) {
            (Some(user), true) => {
                let txn = self.db.begin().await?;
                repo::clear_account_failures(&txn, &account_key).await?;
                let tokens = self.issue_tokens(&txn, user, None).await?;
                txn.commit().await?;
                Ok(tokens)
            }
            _ => {
                repo::record_failure(&self.db, &account_key, client_address, now).await?;
                Err(AppError::Unauthenticated("wrong email or password".into()))
            }
        }
    }

    /// Exchanges a refresh token for a new pair. A token works once; reusing
    /// a spent token revokes its whole family (it was probably stolen).
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> AppResult<AuthTokens> {
        let now = Utc::now();
        let invalid = || AppError::Unauthenticated("refresh token is invalid or expired".into());
        let txn = self.db.begin().await?;
        let stored = repo::find_refresh_token(&txn, &token_hash(refresh_token))
            .await?
            .ok_or_else(invalid)?;
        if stored.revoked_at.is_some() || stored.expires_at <= now {
            return Err(invalid());
        }
        if stored.used_at.is_some() || !repo::mark_refresh_token_used(&txn, stored.id, now).await? {
            repo::revoke_family(&txn, stored.family_id, now).await?;
            txn.commit().await?;
            return Err(invalid());
        }
        let user = user_repo::find(&txn, OrgId::from_uuid(stored.org_id), UserId::from_uuid(stored.user_id))
            .await?
            .filter(|user| user.active)
            .ok_or_else(invalid)?;
        let tokens = self.issue_tokens(&txn, user, Some(stored.family_id)).await?;
        txn.commit().await?;
        Ok(tokens)
    }

    /// Revokes a refresh token and every token rotated from the same login.
    pub async fn revoke_refresh_token(&self, refresh_token: &str) -> AppResult<bool> {
        let txn = self.db.begin().await?;
        let Some(stored) = repo::find_refresh_token(&txn, &token_hash(refresh_token)).await? else {
            return Ok(false);
        };
        repo::revoke_family(&txn, stored.family_id, Utc::now()).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Verifies an `Authorization` header value (`Bearer …` or `ApiKey …`).
    pub async fn authenticate(&self, authorization: &str) -> AppResult<Principal> {
        let authorization = authorization.trim();
        if let Some(token) = authorization.strip_prefix("Bearer ") {
            self.authenticate_access_token(token.trim()).await
        } else if let Some(key) = authorization.strip_prefix("ApiKey ") {
            self.authenticate_api_key(key.trim()).await
        } else {
            Err(AppError::Unauthenticated(
                "authorization must be `Bearer <token>` or `ApiKey <key>`".into(),
            ))
        }
    }

    async fn authenticate_access_token(&self, token: &str) -> AppResult<Principal> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        let claims = decode::<AccessClaims>(
            token,
            &DecodingKey::from_secret(self.config.jwt_secret.expose().as_bytes()),
            &validation,
        )
        .map_err(|_| AppError::Unauthenticated("access token is invalid or expired".into()))?
        .claims;
        let (org, user) = (OrgId::from_uuid(claims.org), UserId::from_uuid(claims.sub));
        let (role, _) = user_repo::find_standing(&self.db, org, user)
            .await?
            .filter(|(_, active)| *active)
            .ok_or_else(|| AppError::Unauthenticated("account is disabled".into()))?;
        Ok(Principal {
            org_id: org,
            actor: Actor::User(user),
            role: Role::parse(&role)?,
        })
    }

    async fn authenticate_api_key(&self, key: &str) -> AppResult<Principal> {
        let now = Utc::now();
        let stored = repo::find_api_key(&self.db, &token_hash(key))
            .await?
            .filter(|stored| stored.revoked_at.is_none())
            .ok_or_else(|| AppError::Unauthenticated("API key is invalid or revoked".into()))?;
        if stored.last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
            repo::touch_api_key(&self.db, stored.id, now).await?;
        }
        Ok(Principal {
            org_id: OrgId::from_uuid(stored.org_id),
            actor: Actor::ApiKey(ApiKeyId::from_uuid(stored.id)),
            role: Role::parse(&stored.role)?,
        })
    }

    /// Creates an integration key (admin). The plain key is returned only here.
    pub async fn create_api_key(&self, principal: &Principal, name: &str, role: Role) -> AppResult<(api_keys::Model, String)> {
        principal.require_admin()?;
        let name = dealdesk_domain::check_text("name", name, 100)?;
        let created_by = principal.user_id()?;
        let key = random_token("ddk_");
        let now = self.now();
        let model = api_keys::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            name,
            role: role.as_str().to_string(),
            key_hash: token_hash(&key),
            key_prefix: key.chars().take(12).collect(),
            created_by: created_by.into_uuid(),
            created_at: now,
            revoked_at: None,
            last_used_at: None,
        };
        let txn = self.db.begin().await?;
        repo::insert_api_key(&txn, model.clone()).await?;
        crate::audit::record(
            &txn,
            principal,
            now,
            crate::audit::Change::created("api_key.create", "api_key", model.id, api_key_json(&model)),
        )
        .await?;
        txn.commit().await?;
        Ok((model, key))
    }

    /// Revokes an integration key (admin); it stops working at once.
    pub async fn revoke_api_key(&self, principal: &Principal, id: ApiKeyId) -> AppResult<api_keys::Model> {
        principal.require_admin()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let before = repo::find_api_key_in_org(&txn, principal.org_id, id)
            .await?
            .ok_or(AppError::NotFound("api key"))?;
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        let after = repo::revoke_api_key(&txn, before.clone(), now).await?;
        crate::audit::record(
            &txn,
            principal,
            now,
            crate::audit::Change::updated("api_key.revoke", "api_key", after.id, api_key_json(&before), api_key_json(&after)),
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// The org's integration keys (admin), newest first.
    pub async fn api_keys(&self, principal: &Principal) -> AppResult<Vec<api_keys::Model>> {
        principal.require_admin()?;
        Ok(repo::list_api_keys(&self.db, principal.org_id).await?)
    }
}

fn api_key_json(model: &api_keys::Model) -> serde_json::Value {
    serde_json::json!({
        "name": model.name,
        "role": model.role,
        "keyPrefix": model.key_prefix,
        "revokedAt": model.revoked_at,
    })
}

/// A valid argon2id hash of a random string, verified against when the
/// account does not exist so the response time does not give that away.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Zq2CEkDWZIGW8/Da6d2IZDSuNtx6RWa0imGq2bTd1eY";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(***)");
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token("rt_");
        let b = random_token("rt_");
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
