//! Input objects and enums of the operations.

use async_graphql::{Enum, InputObject, ID};
use chrono::{DateTime, Utc};

use crate::scalars::Date;
use crate::types::{ActivityKindValue, DecisionRoleValue, RoleValue};

/// Input of `signUp`.
#[derive(InputObject)]
pub struct SignUpInput {
    pub org_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
    /// IANA time zone; defaults to Asia/Shanghai.
    pub time_zone: Option<String>,
}

/// Input of `createTeam`.
#[derive(InputObject)]
pub struct CreateTeamInput {
    pub name: String,
    pub manager_id: Option<ID>,
}

/// Input of `updateTeam`.
#[derive(InputObject)]
pub struct UpdateTeamInput {
    pub id: ID,
    pub name: Option<String>,
    pub manager_id: Option<ID>,
}

/// Input of `createUser`.
#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: RoleValue,
    pub team_id: Option<ID>,
    pub manager_id: Option<ID>,
    /// When the person joined; defaults to now.
    pub joined_at: Option<DateTime<Utc>>,
}

/// Input of `updateStage`.
#[derive(InputObject)]
pub struct UpdateStageInput {
    pub key: String,
    pub name: Option<String>,
    /// Input field names of `moveDealStage` required to enter the stage.
    pub gate_fields: Option<Vec<String>>,
    pub stuck_after_hours: Option<i32>,
    pub probability: Option<i32>,
}

/// Input of `createCustomer`.
#[derive(InputObject)]
pub struct CreateCustomerInput {
    pub name: String,
    /// Unified social credit code (18 characters, check digit verified).
    pub credit_code: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub size: Option<String>,
}

/// Filter of `customers`.
#[derive(InputObject, Default)]
pub struct CustomerFilterInput {
    /// Part of the name, or a whole credit code.
    pub search: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub owner_id: Option<ID>,
}

/// Input of `createContact`.
#[derive(InputObject)]
pub struct CreateContactInput {
    pub customer_id: ID,
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub decision_role: Option<DecisionRoleValue>,
}

/// Money as input: a decimal string and a currency.
#[derive(InputObject)]
pub struct MoneyInput {
    /// Decimal amount with at most two places, e.g. "680000" or "1200.50".
    pub amount: String,
    #[graphql(default = "CNY")]
    pub currency: String,
}

impl From<MoneyInput> for dealdesk_app::deals::MoneyInput {
    fn from(input: MoneyInput) -> Self {
        Self {
            amount: input.amount,
            currency: input.currency,
        }
    }
}

/// Input of `createDeal`.
#[derive(InputObject)]
pub struct CreateDealInput {
    pub title: String,
    pub customer_id: ID,
    /// Defaults to the caller.
    pub owner_id: Option<ID>,
    pub amount: Option<MoneyInput>,
    pub product_line: Option<String>,
    pub expected_close_date: Option<Date>,
    pub source: Option<String>,
}

/// Input of `moveDealStage`: the target stage and the facts its gate asks for.
#[derive(InputObject)]
pub struct MoveDealStageInput {
    pub deal_id: ID,
    /// The target stage's key.
    pub stage: String,
    /// The customer's core need in this conversation (本次沟通核心诉求).
    pub core_need: Option<String>,
    /// The contact's role in the decision chain.
    pub decision_role: Option<DecisionRoleValue>,
    pub contact_id: Option<ID>,
    /// Must be in the future.
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub amount: Option<MoneyInput>,
    pub lost_reason: Option<String>,
}

/// Input of `reassignDeal`.
#[derive(InputObject)]
pub struct ReassignDealInput {
    pub deal_id: ID,
    pub owner_id: ID,
}

/// Input of `logActivity`.
#[derive(InputObject)]
pub struct LogActivityInput {
    pub deal_id: Option<ID>,
    pub customer_id: Option<ID>,
    pub kind: ActivityKindValue,
    pub text: String,
    /// Defaults to now; more than 24 h ago needs `backdateReason`.
    pub occurred_at: Option<DateTime<Utc>>,
    pub contact_id: Option<ID>,
    /// Sets the deal's next follow-up; must be in the future.
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Filter of `deals`.
#[derive(InputObject, Default)]
pub struct DealFilterInput {
    /// Part of the title.
    pub search: Option<String>,
    pub stage: Option<String>,
    pub owner_id: Option<ID>,
    pub customer_id: Option<ID>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// The customer's region.
    pub region: Option<String>,
    pub product_line: Option<String>,
    /// Only deals past their stage's stuck threshold without activity (or only those not).
    pub stuck: Option<bool>,
    /// Only open deals (true) or only won/lost ones (false).
    pub open: Option<bool>,
    /// Only deals whose next follow-up is due at or before this time (e.g. "due today").
    pub follow_up_due_before: Option<DateTime<Utc>>,
}

/// Sort fields of `deals`.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum DealOrderField {
    #[default]
    CreatedAt,
    UpdatedAt,
    EnteredStageAt,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum OrderDirection {
    Asc,
    #[default]
    Desc,
}

/// Ordering of `deals`.
#[derive(InputObject, Default)]
pub struct DealOrder {
    #[graphql(default)]
    pub field: DealOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Filter of `auditLog`.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    pub entity_id: Option<ID>,
    pub actor_id: Option<ID>,
    pub action: Option<String>,
}

/// Filter of `alerts`.
#[derive(InputObject, Default)]
pub struct AlertFilterInput {
    pub status: Option<crate::types::AlertStatus>,
    pub kind: Option<crate::types::AlertKindValue>,
    /// The deal or user the alerts are about.
    pub subject_id: Option<ID>,
}

/// Input of `updateAlertRule`: only the settings that apply to the kind.
#[derive(InputObject)]
pub struct UpdateAlertRuleInput {
    pub kind: crate::types::AlertKindValue,
    pub enabled: Option<bool>,
    pub escalate_after_hours: Option<i32>,
    pub reassignments: Option<i32>,
    pub window_days: Option<i32>,
    pub within_days: Option<i32>,
    pub stuck_deals: Option<i32>,
}
