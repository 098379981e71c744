//! Customers and contacts (P5).

use std::collections::HashMap;

use dealdesk_domain::{check_text, normalize_company_name, CreditCode, CustomerId, DecisionRole, Email, OrgId, Role};
use dealdesk_persistence::customers as repo;
use dealdesk_persistence::entities::{contacts, customers};
use dealdesk_persistence::Visible;
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::orgs::conflict_on;
use crate::page::{Page, PageRequest};
use crate::principal::{OwnerScope, Principal};
use crate::App;

/// Roles that create customers and deals.
pub const SALES_ROLES: [Role; 4] = [Role::Rep, Role::Manager, Role::Marketing, Role::Admin];

/// Input of `createCustomer`.
#[derive(Clone, Debug, Default)]
pub struct NewCustomer {
    pub name: String,
    pub credit_code: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub size: Option<String>,
}

/// Input of `createContact`.
#[derive(Clone, Debug)]
pub struct NewContact {
    pub customer_id: CustomerId,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub decision_role: Option<DecisionRole>,
}

/// Filters of `customers`.
#[derive(Clone, Debug, Default)]
pub struct CustomerFilter {
    pub search: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub owner_id: Option<Uuid>,
}

impl From<OwnerScope> for Visible {
    fn from(scope: OwnerScope) -> Self {
        match scope {
            OwnerScope::All => Visible::All,
            OwnerScope::Owners(owners) => Visible::Owners(owners),
        }
    }
}

/// Trims an optional text field; blank becomes `None`; too long is an error.
pub(crate) fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max_chars: usize) -> Option<String> {
    let value = value.map(str::trim).filter(|value| !value.is_empty())?;
    errors.take(check_text(field, value, max_chars))
}

pub(crate) fn customer_json(row: &customers::Model) -> serde_json::Value {
    json!({
        "name": row.name,
        "creditCode": row.credit_code,
        "industry": row.industry,
        "region": row.region,
        "size": row.size,
        "ownerId": row.owner_id,
    })
}

fn contact_json(row: &contacts::Model) -> serde_json::Value {
    json!({
        "customerId": row.customer_id,
        "name": row.name,
        "title": row.title,
        "phone": row.phone,
        "email": row.email,
        "decisionRole": row.decision_role,
    })
}

impl App {
    /// The caller's visibility for customer, deal and activity queries.
    pub async fn visible(&self, principal: &Principal) -> AppResult<Visible> {
        Ok(principal.owner_scope(&self.db).await?.into())
    }

    /// Creates a customer owned by the caller; a duplicate credit code is `CONFLICT`.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn create_customer(&self, principal: &Principal, input: NewCustomer) -> AppResult<customers::Model> {
        principal.require_role(&SALES_ROLES)?;
        let owner = principal.user_id()?;
        let mut errors = FieldErrors::new();
        let name = errors.take(check_text("name", &input.name, 200));
        let credit_code = match input.credit_code.as_deref().map(str::trim).filter(|code| !code.is_empty()) {
            Some(code) => errors.take(CreditCode::parse(code)),
            None => None,
        };
        let industry = optional_text(&mut errors, "industry", input.industry.as_deref(), 100);
        let region = optional_text(&mut errors, "region", input.region.as_deref(), 100);
        let size = optional_text(&mut errors, "size", input.size.as_deref(), 50);
        errors.finish()?;
        let Some(name) = name else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let now = self.now();
        let row = customers::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            normalized_name: normalize_company_name(&name),
            name,
            credit_code: credit_code.map(|code| code.as_str().to_string()),
            industry,
            region,
            size,
            owner_id: owner.into_uuid(),
            created_by: owner.into_uuid(),
            created_at: now,
            updated_at: now,
        };
        let txn = self.db.begin().await?;
        if let Some(code) = &row.credit_code {
            if repo::find_by_credit_code(&txn, principal.org_id, code).await?.is_some() {
                return Err(duplicate_credit_code());
            }
        }
        repo::insert(&txn, row.clone())
            .await
            .map_err(|error| conflict_on(error, "creditCode", "a customer with this credit code already exists"))?;
        audit::record(&txn, principal, now, Change::created("customer.create", "customer", row.id, customer_json(&row))).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// The customers among `ids` the caller may see (the same rule as
    /// [`Self::customer`]), in a constant number of statements.
    pub async fn visible_customers(&self, principal: &Principal, ids: &[Uuid]) -> AppResult<Vec<customers::Model>> {
        let visible = self.visible(principal).await?;
        let mut rows = repo::find_many_visible(&self.db, principal.org_id, &visible, ids).await?;
        if matches!(principal.role, Role::Finance | Role::Legal) && rows.len() < ids.len() {
            let seen: std::collections::HashSet<Uuid> = rows.iter().map(|row| row.id).collect();
            let rest: Vec<Uuid> = ids.iter().copied().filter(|id| !seen.contains(id)).collect();
            let with_contracts = dealdesk_persistence::contracts::customers_with_contracts(&self.db, principal.org_id, &rest).await?;
            if !with_contracts.is_empty() {
                rows.extend(repo::find_many(&self.db, principal.org_id, &with_contracts).await?);
            }
        }
        Ok(rows)
    }

    /// A customer the caller may see.
    pub async fn customer(&self, principal: &Principal, id: CustomerId) -> AppResult<customers::Model> {
        let visible = self.visible(principal).await?;
        if let Some(customer) = repo::find_visible(&self.db, principal.org_id, &visible, id).await? {
            return Ok(customer);
        }
        // Finance and legal work on every contract of the org (receivables,
        // risk center, collection report): they may open a contract's customer.
        if matches!(principal.role, Role::Finance | Role::Legal)
            && dealdesk_persistence::contracts::customer_has_contract(&self.db, principal.org_id, id.into_uuid()).await?
        {
            return repo::find_visible(&self.db, principal.org_id, &Visible::All, id).await?.ok_or(AppError::NotFound("customer"));
        }
        Err(AppError::NotFound("customer"))
    }

    /// Visible customers, newest first.
    pub async fn customers(&self, principal: &Principal, filter: CustomerFilter, page: PageRequest) -> AppResult<Page<customers::Model>> {
        let visible = self.visible(principal).await?;
        let query = repo::CustomerQuery {
            search: filter.search.map(|text| text.trim().to_string()).filter(|text| !text.is_empty()),
            industry: filter.industry,
            region: filter.region,
            owner_id: filter.owner_id,
        };
        let (rows, total) = repo::list(&self.db, principal.org_id, &visible, &query, &page.to_keyset()).await?;
        Ok(Page::from_rows(rows, total, &page, |row| (row.created_at, row.id)))
    }

    /// Adds a contact to a customer the caller may see.
    pub async fn create_contact(&self, principal: &Principal, input: NewContact) -> AppResult<contacts::Model> {
        principal.require_role(&SALES_ROLES)?;
        let mut errors = FieldErrors::new();
        let name = errors.take(check_text("name", &input.name, 100));
        let title = optional_text(&mut errors, "title", input.title.as_deref(), 100);
        let phone = optional_text(&mut errors, "phone", input.phone.as_deref(), 40);
        if let Some(phone) = &phone {
            if !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) || phone.chars().filter(char::is_ascii_digit).count() < 5 {
                errors.push("phone", "must be a phone number (digits, spaces, + - and parentheses)");
            }
        }
        let email = match input.email.as_deref().map(str::trim).filter(|email| !email.is_empty()) {
            Some(email) => errors.take(Email::parse(email)).map(|email| email.as_str().to_string()),
            None => None,
        };
        errors.finish()?;
        let Some(name) = name else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let customer = self.customer(principal, input.customer_id).await?;
        let now = self.now();
        let row = contacts::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            customer_id: customer.id,
            name,
            title,
            phone,
            email,
            decision_role: input.decision_role.map(|role| role.as_str().to_string()),
            created_by: principal.actor.id().unwrap_or_default(),
            created_at: now,
        };
        let txn = self.db.begin().await?;
        repo::insert_contact(&txn, row.clone()).await?;
        audit::record(&txn, principal, now, Change::created("contact.create", "contact", row.id, contact_json(&row))).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// The contacts of some customers of the org, oldest first, in one
    /// query: every id asked for gets an entry. The caller has already seen
    /// the customers (dataloaders of a request that listed them).
    pub async fn contacts_of_customers(&self, org: OrgId, customers: &[Uuid]) -> AppResult<HashMap<Uuid, Vec<contacts::Model>>> {
        let mut by_customer: HashMap<Uuid, Vec<contacts::Model>> = customers.iter().map(|id| (*id, Vec::new())).collect();
        for row in repo::contacts_of_customers(&self.db, org, customers).await? {
            by_customer.entry(row.customer_id).or_default().push(row);
        }
        Ok(by_customer)
    }
}

fn duplicate_credit_code() -> AppError {
    AppError::Conflict {
        message: "a customer with this credit code already exists".into(),
        fields: vec!["creditCode".into()],
    }
}
