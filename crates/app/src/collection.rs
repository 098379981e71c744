//! Collection forecast, warnings and metrics (R5, R6).
//!
//! **Forecast.** For an open receivable (not yet paid in full) the predicted
//! payment date is its due date plus the expected days late, rounded to the
//! nearest day (halves later) and never more than 30 days early
//! ([`dealdesk_domain::predicted_payment_date_from_history`]):
//!
//! ```text
//! expected = (Σ customer days late + 3 × industry mean) ÷ (n + 3)   when n ≥ 3
//!          = industry mean                                          otherwise
//! ```
//!
//! where the customer's history is its receivables paid in full, each with
//! its signed days late (`fully_paid_on − due_date`, early is negative), and
//! the industry mean is Σ days late ÷ count over the org's paid-in-full
//! receivables of customers in the same industry (the customer's own
//! included). Without such data (or without an industry) the mean is
//! `AppConfig::default_industry_days_late` (`DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE`,
//! default 0). Both sums are grouped queries per customer and per industry.
//! A receivable is *likely late* when the prediction is after its due date.
//!
//! **Warning.** Hourly, every open receivable whose warning date (15 days
//! before the due date) has come and whose due date has not passed, and that
//! was never warned, gets one COLLECTION_WARNING alert to its deal's owner
//! and the org's FINANCE users; `warned_at` is set in the same transaction
//! (a conditional update, so concurrent scanners warn once). Dates are
//! business-clock dates in UTC, like the tiers.
//!
//! **Metrics** per rep (the deal's current owner) or team, over `[from, to)`
//! and taken on the period's last day (or today if the period runs on),
//! only receivables in one currency (default CNY) and existing by then:
//!
//! - first-instalment on-time rate (首笔回款达成率): first instalments due in
//!   the period whose outcome is known on that day (due before it, or due on
//!   it and paid), paid in full on or before their due date, in percent;
//! - overdue share (逾期账款占比): outstanding past its due date ÷ everything
//!   outstanding on that day, in percent;
//! - DSO: outstanding on that day ÷ the amount of contracts approved in the
//!   period × the days elapsed in the period
//!   ([`dealdesk_domain::days_sales_outstanding`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use dealdesk_domain::{
    check_period, collection_warning_date, collection_warning_due, days_sales_outstanding, expected_days_late_from_history, likely_late, predicted_payment_date_from_history, AlertKind,
    Currency, DelayHistory, ForecastSettings, Money, OrgId, Role, COLLECTION_WARNING_DAYS,
};
use dealdesk_persistence::collection::{self as repo, CollectionGroupBy, MetricsWindow, OpenFilter, OpenReceivable};
use dealdesk_persistence::entities::{customers, receivables};
use dealdesk_persistence::{customers as customer_repo, users as user_repo, Visible};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::alerts::{new_alert, Finding, Subject, SCAN_BATCH};
use crate::error::{AppError, AppResult};
use crate::orgs::{days_anywhere, org_day, org_time_zone};
use crate::principal::Principal;
use crate::App;

/// The default number of forecast rows.
pub const DEFAULT_FORECAST_ROWS: u64 = 100;
/// The most forecast rows one request may ask for.
pub const MAX_FORECAST_ROWS: u64 = 500;

/// Filters of `collectionForecast`.
#[derive(Clone, Debug, Default)]
pub struct ForecastFilter {
    pub customer_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub likely_late: Option<bool>,
    /// How many rows (default 100, at most 500), earliest due first.
    pub first: Option<i32>,
}

/// One open receivable's forecast.
#[derive(Clone, Debug)]
pub struct ReceivableForecast {
    pub receivable: receivables::Model,
    /// Its customer (`None` only if the row is gone).
    pub customer: Option<customers::Model>,
    /// The deal's current owner.
    pub owner: Uuid,
    pub predicted_payment_date: NaiveDate,
    pub likely_late: bool,
    /// The unrounded expectation the prediction rounds.
    pub expected_days_late: Decimal,
    /// The day the collection warning goes out (15 days before due).
    pub warning_date: NaiveDate,
    /// The customer's receivables paid in full (its history; used from 3 on).
    pub customer_paid_receivables: u64,
    /// The industry mean the customer is shrunk toward (or the default).
    pub industry_mean_days_late: Decimal,
    /// Whether that mean comes from the org's data (false: the default).
    pub industry_mean_from_data: bool,
}

/// One row of `collectionMetrics`.
#[derive(Clone, Debug)]
pub struct CollectionMetricsRow {
    /// The rep or team (`None`: reps without a team).
    pub group: Option<Uuid>,
    pub name: String,
    /// First instalments due in the period whose outcome is known.
    pub first_instalments: i64,
    pub first_instalment_on_time_rate: Option<Decimal>,
    pub overdue_share_percent: Option<Decimal>,
    pub dso: Option<Decimal>,
    /// Receivables with something outstanding on the day the metrics are taken.
    pub receivables_count: i64,
    pub outstanding: Money,
    pub overdue: Money,
    /// Contract amount approved in the period.
    pub signed: Money,
}

/// Who sees collection metrics.
const METRICS_ROLES: [Role; 3] = [Role::Manager, Role::Finance, Role::Admin];

fn percent(part: i64, whole: i64) -> Option<Decimal> {
    if whole <= 0 {
        return None;
    }
    Decimal::from(part).checked_mul(Decimal::ONE_HUNDRED)?.checked_div(Decimal::from(whole))
}

impl App {
    /// Finance, legal and admins see the org's receivables; everybody else those of deals they may see.
    async fn collection_scope<C: ConnectionTrait>(&self, conn: &C, principal: &Principal) -> AppResult<Visible> {
        if matches!(principal.role, Role::Finance | Role::Legal | Role::Admin) {
            return Ok(Visible::All);
        }
        Ok(principal.owner_scope(conn).await?.into())
    }

    /// Forecasts for `rows` (open receivables of `org`): one grouped query
    /// for the customers' histories and one for their industries' means.
    async fn forecasts<C: ConnectionTrait>(&self, conn: &C, org: OrgId, rows: Vec<OpenReceivable>) -> AppResult<Vec<ReceivableForecast>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut customer_ids: Vec<Uuid> = rows.iter().map(|row| row.receivable.customer_id).collect();
        customer_ids.sort();
        customer_ids.dedup();
        let customers: HashMap<Uuid, customers::Model> = customer_repo::find_many(conn, org, &customer_ids).await?.into_iter().map(|customer| (customer.id, customer)).collect();
        let histories: HashMap<Uuid, DelayHistory> = repo::customer_delays(conn, org, &customer_ids)
            .await?
            .into_iter()
            .map(|totals| (totals.key, DelayHistory { paid: u64::try_from(totals.paid).unwrap_or(0), total_delay_days: totals.total_days_late }))
            .collect();
        let mut industries: Vec<String> = customers.values().filter_map(|customer| customer.industry.clone()).filter(|industry| !industry.trim().is_empty()).collect();
        industries.sort();
        industries.dedup();
        let means: HashMap<String, Decimal> = repo::industry_delays(conn, org, &industries)
            .await?
            .into_iter()
            .filter_map(|totals| DelayHistory { paid: u64::try_from(totals.paid).unwrap_or(0), total_delay_days: totals.total_days_late }.mean().map(|mean| (totals.key, mean)))
            .collect();
        let settings = ForecastSettings::default();
        let default_mean = self.config.default_industry_days_late;
        Ok(rows
            .into_iter()
            .map(|row| {
                let customer = customers.get(&row.receivable.customer_id).cloned();
                let industry_mean = customer.as_ref().and_then(|customer| customer.industry.as_ref()).and_then(|industry| means.get(industry)).copied();
                let mean = industry_mean.unwrap_or(default_mean);
                let history = histories.get(&row.receivable.customer_id).copied().unwrap_or_default();
                let due = row.receivable.due_date;
                let predicted = predicted_payment_date_from_history(due, history, mean, &settings);
                ReceivableForecast {
                    predicted_payment_date: predicted,
                    likely_late: likely_late(predicted, due),
                    expected_days_late: expected_days_late_from_history(history, mean, &settings),
                    warning_date: collection_warning_date(due),
                    customer_paid_receivables: history.paid,
                    industry_mean_days_late: mean,
                    industry_mean_from_data: industry_mean.is_some(),
                    customer,
                    owner: row.owner,
                    receivable: row.receivable,
                }
            })
            .collect())
    }

    /// R5: the open receivables the caller may see with their predicted
    /// payment dates, earliest due first.
    pub async fn collection_forecast(&self, principal: &Principal, filter: ForecastFilter) -> AppResult<Vec<ReceivableForecast>> {
        let limit = match filter.first {
            None => DEFAULT_FORECAST_ROWS,
            Some(first) => u64::try_from(first).ok().filter(|first| (1..=MAX_FORECAST_ROWS).contains(first)).ok_or_else(|| AppError::bad_input("first", format!("must be between 1 and {MAX_FORECAST_ROWS}")))?,
        };
        let visible = self.collection_scope(&self.db, principal).await?;
        let mut open = OpenFilter { customer: filter.customer_id, owner: filter.owner_id, after: None };
        let batch = limit.max(SCAN_BATCH);
        let mut out = Vec::new();
        loop {
            let rows = repo::open_receivables(&self.db, principal.org_id, &visible, &open, batch).await?;
            let exhausted = (rows.len() as u64) < batch;
            open.after = rows.last().map(|row| (row.receivable.due_date, row.receivable.id));
            for forecast in self.forecasts(&self.db, principal.org_id, rows).await? {
                if filter.likely_late.is_none_or(|wanted| wanted == forecast.likely_late) {
                    out.push(forecast);
                }
            }
            if out.len() as u64 >= limit || exhausted {
                out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
                return Ok(out);
            }
        }
    }

    /// R5, hourly: one COLLECTION_WARNING per open receivable entering its
    /// 15-day window, to the deal's owner and FINANCE; returns how many were raised.
    #[tracing::instrument(skip_all)]
    pub async fn run_collection_warnings(&self, now: DateTime<Utc>) -> AppResult<i32> {
        // Candidates by the days anywhere; each is checked against its own org's day.
        let (earliest, latest) = days_anywhere(now);
        let last_due = latest.checked_add_days(Days::new(COLLECTION_WARNING_DAYS)).unwrap_or(NaiveDate::MAX);
        let mut days: HashMap<OrgId, NaiveDate> = HashMap::new();
        let mut raised = 0;
        let mut after = None;
        loop {
            let batch = repo::warning_candidates(&self.db, earliest, last_due, after, SCAN_BATCH).await?;
            let exhausted = (batch.len() as u64) < SCAN_BATCH;
            after = batch.last().map(|row| (row.receivable.due_date, row.receivable.id));
            let mut by_org: BTreeMap<Uuid, Vec<OpenReceivable>> = BTreeMap::new();
            for row in batch {
                by_org.entry(row.receivable.org_id).or_default().push(row);
            }
            for (org, rows) in by_org {
                let org = OrgId::from_uuid(org);
                let today = match days.get(&org) {
                    Some(day) => *day,
                    None => *days.entry(org).or_insert(org_day(&self.db, org, now).await?),
                };
                let rows: Vec<OpenReceivable> = rows.into_iter().filter(|row| collection_warning_due(row.receivable.due_date, today)).collect();
                if rows.is_empty() {
                    continue;
                }
                let forecasts = self.forecasts(&self.db, org, rows).await?;
                let finance: Vec<Uuid> = user_repo::list(&self.db, org).await?.into_iter().filter(|user| user.active && user.role == Role::Finance.as_str()).map(|user| user.id).collect();
                for forecast in forecasts {
                    let txn = self.db.begin().await?;
                    // Marked once across processes: a receivable another process warned about is skipped.
                    if repo::mark_warned(&txn, org, forecast.receivable.id, now).await? && self.raise_collection_warning(&txn, org, &forecast, &finance, now).await? {
                        raised += 1;
                    }
                    txn.commit().await?;
                }
            }
            if exhausted {
                return Ok(raised);
            }
        }
    }

    async fn raise_collection_warning<C: ConnectionTrait>(&self, conn: &C, org: OrgId, forecast: &ReceivableForecast, finance: &[Uuid], now: DateTime<Utc>) -> AppResult<bool> {
        let receivable = &forecast.receivable;
        let currency = Currency::parse(&receivable.currency)?;
        let amount = Money::from_minor_units(receivable.amount_cents, currency);
        let outstanding = Money::from_minor_units(receivable.amount_cents - receivable.paid_cents, currency);
        let customer_name = forecast.customer.as_ref().map(|customer| customer.name.clone()).unwrap_or_default();
        let due = receivable.due_date.format("%Y-%m-%d").to_string();
        let predicted = forecast.predicted_payment_date.format("%Y-%m-%d").to_string();
        let title = if forecast.likely_late {
            format!("回款预警（可能逾期）：「{customer_name}」第 {} 期 {outstanding} 将于 {due} 到期，预计 {predicted} 回款", receivable.seq)
        } else {
            format!("回款预警：「{customer_name}」第 {} 期 {outstanding} 将于 {due} 到期", receivable.seq)
        };
        let mut recipients = vec![forecast.owner];
        recipients.extend_from_slice(finance);
        recipients.sort();
        recipients.dedup();
        let finding = Finding {
            kind: AlertKind::CollectionWarning,
            subject: Subject::Receivable { receivable: receivable.id, deal: receivable.deal_id, owner: forecast.owner },
            title,
            details: json!({
                "receivableId": receivable.id,
                "contractId": receivable.contract_id,
                "customerId": receivable.customer_id,
                "customerName": customer_name,
                "seq": receivable.seq,
                "dueDate": due,
                "amount": amount.amount_string(),
                "outstanding": outstanding.amount_string(),
                "currency": currency.as_str(),
                "predictedPaymentDate": predicted,
                "likelyLate": forecast.likely_late,
                "expectedDaysLate": forecast.expected_days_late.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_string(),
                "warningDate": forecast.warning_date.format("%Y-%m-%d").to_string(),
            }),
        };
        self.raise(conn, new_alert(org, finding, now), &recipients).await
    }

    /// R6: first-instalment on-time rate, overdue share and DSO per rep or
    /// team over `[from, to)` (managers see the people they manage; finance
    /// and admins the org). `currency` defaults to CNY.
    pub async fn collection_metrics(&self, principal: &Principal, group_by: CollectionGroupBy, from: DateTime<Utc>, to: DateTime<Utc>, currency: Option<&str>) -> AppResult<Vec<CollectionMetricsRow>> {
        principal.require_role(&METRICS_ROLES)?;
        check_period(from, to)?;
        let currency = match currency {
            Some(text) => Currency::parse(text).map_err(|error| AppError::bad_input("currency", error.message))?,
            None => Currency::CNY,
        };
        let now = self.now();
        let as_of = to.min(now);
        // Receivables created before `to`, or up to and including now while the period runs on.
        let exists_before = if to <= now { to } else { now + Duration::microseconds(1) };
        let last_instant = to - Duration::microseconds(1);
        // Due dates are days of the org's time zone.
        let tz = org_time_zone(&self.db, principal.org_id).await?;
        let local_day = |at: DateTime<Utc>| at.with_timezone(&tz).date_naive();
        let day = if to <= now { local_day(last_instant) } else { local_day(now) };
        let window = MetricsWindow {
            from,
            as_of: exists_before,
            first_due_from: local_day(from),
            first_due_until: local_day(last_instant).checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX),
            day,
        };
        let visible = if matches!(principal.role, Role::Finance | Role::Admin) { Visible::All } else { principal.owner_scope(&self.db).await?.into() };
        let counts = repo::metrics(&self.db, principal.org_id, &visible, group_by, currency.as_str(), &window).await?;
        let ids: Vec<Uuid> = counts.iter().filter_map(|row| row.group).collect::<HashSet<_>>().into_iter().collect();
        let names: HashMap<Uuid, String> = match group_by {
            CollectionGroupBy::Rep => user_repo::find_many(&self.db, principal.org_id, &ids).await?.into_iter().map(|user| (user.id, user.name)).collect(),
            CollectionGroupBy::Team => user_repo::find_teams(&self.db, principal.org_id, &ids).await?.into_iter().map(|team| (team.id, team.name)).collect(),
        };
        let elapsed_seconds = (as_of - from).num_seconds();
        let period_days = u32::try_from((elapsed_seconds + 86_399) / 86_400).unwrap_or(0);
        let mut rows: Vec<CollectionMetricsRow> = counts
            .into_iter()
            .map(|row| {
                let outstanding = Money::from_minor_units(row.outstanding_cents, currency);
                let signed = Money::from_minor_units(row.signed_cents, currency);
                CollectionMetricsRow {
                    name: row.group.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| "(no team)".to_string()),
                    group: row.group,
                    first_instalments: row.first_instalments,
                    first_instalment_on_time_rate: percent(row.first_on_time, row.first_instalments),
                    overdue_share_percent: percent(row.overdue_cents, row.outstanding_cents),
                    dso: if period_days > 0 { days_sales_outstanding(&outstanding, &signed, period_days) } else { None },
                    receivables_count: row.open_receivables,
                    overdue: Money::from_minor_units(row.overdue_cents, currency),
                    outstanding,
                    signed,
                }
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.group.cmp(&b.group)));
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_need_a_whole() {
        assert_eq!(percent(1, 4), Some(Decimal::from(25)));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(3, 3), Some(Decimal::ONE_HUNDRED));
    }
}
