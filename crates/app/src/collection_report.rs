//! The monthly industry collection report (R7, 行业回款健康报告): on the 1st
//! at 09:00 in the org's time zone, every active FINANCE user, manager and
//! admin gets the figures of the previous calendar month by email, stored
//! once per person and period like the other reports; group channels
//! subscribed to `report.monthly_collection` get the org-wide report once.
//! `collectionReport(month)` shows the same figures on screen.
//!
//! The month runs from its first to its last day (local dates of the org's
//! time zone); its *end* is the end of its last day, and the *previous month
//! end* the end of the day before its first. The database sums and counts,
//! grouped (`persistence::collection`); money is CNY only (receivables in
//! other currencies are left out of the amounts, as in the R6 metrics), and
//! a receivable counts at a month end only if it existed by then (its
//! contract was approved before the end).
//!
//! - **Top overdue customers**: at the month end, per customer, what is
//!   still outstanding on receivables due before the month's last day
//!   (payments dated up to that day count); the 10 largest, largest first,
//!   ties broken by the longest overdue and then by id. *Overdue days* is how
//!   long the customer's oldest unpaid receivable was past due on the last
//!   day (last day − its due date).
//! - **Agreed vs actual payment days per industry**: over the receivables
//!   paid in full during the month (whatever their currency), *agreed* days =
//!   due date − start and *actual* days = the day it was paid in full − start,
//!   where *start* is the contract's signing date, or the UTC date of its
//!   approval when it has none (receivables are created at approval); both
//!   averaged per industry of the customer. Actual − agreed is the average
//!   days late (negative: early).
//! - **Industries whose overdue share is rising**: the overdue share
//!   (逾期账款占比, as in R6: overdue ÷ outstanding) per industry at the month
//!   end against the previous month end; rising when it is higher
//!   ([`dealdesk_domain::overdue_share_rose`]: nothing outstanding at the
//!   previous end counts as 0 %).
//!
//! Customers without an industry form their own group (`industry: null`).
//!
//! **Scope.** FINANCE and admins see the org; a manager sees the receivables
//! of deals owned by the people they manage and their own, like the R6
//! metrics, so their emailed report is their team's. The group channels get
//! the org-wide report, queued with the report of the first FINANCE user or
//! admin (by id), so exactly once across processes.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use dealdesk_domain::{
    local_instant, mean_days, month_start, overdue_share_rose, Currency, FieldError, Money, OrgId, Role, UserId,
};
use dealdesk_persistence::collection::{self as repo, IndustryShare};
use dealdesk_persistence::entities::{customers, users};
use dealdesk_persistence::{customers as customer_repo, reports as report_repo, Visible};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult, FieldErrors};
use crate::principal::{Actor, OwnerScope, Principal};
use crate::App;

/// The stored kind of the monthly industry collection report.
pub const MONTHLY_COLLECTION: &str = "MONTHLY_COLLECTION";
/// The event group channels subscribe to for it.
pub const MONTHLY_COLLECTION_EVENT: &str = "report.monthly_collection";
/// How many overdue customers the report lists.
pub const DEFAULT_TOP_OVERDUE: u64 = 10;
/// The most overdue customers `collectionReport` may be asked for.
pub const MAX_TOP_OVERDUE: u64 = 50;

/// Who gets and may read the report.
const REPORT_ROLES: [Role; 3] = [Role::Finance, Role::Manager, Role::Admin];

/// One customer of the top overdue list.
#[derive(Clone, Debug)]
pub struct OverdueCustomerRow {
    pub customer_id: Uuid,
    /// The customer (`None` only if the row is gone).
    pub customer: Option<customers::Model>,
    /// Outstanding at the month end on receivables due before its last day.
    pub overdue: Money,
    /// Days the oldest of them was past due on the month's last day.
    pub overdue_days: i64,
    /// How many receivables are overdue.
    pub overdue_receivables: i64,
}

/// One industry's collection figures for the month.
#[derive(Clone, Debug)]
pub struct IndustryCollectionRow {
    /// The customers' industry; `None` for customers without one.
    pub industry: Option<String>,
    /// Receivables paid in full during the month.
    pub paid_receivables: i64,
    /// Their mean agreed payment days (due date − start); `None` when none.
    pub average_agreed_days: Option<Decimal>,
    /// Their mean actual payment days (paid-in-full date − start).
    pub average_actual_days: Option<Decimal>,
    /// Outstanding and overdue at the month end.
    pub outstanding: Money,
    pub overdue: Money,
    /// Overdue ÷ outstanding at the month end, in percent; `None` when nothing is outstanding.
    pub overdue_share_percent: Option<Decimal>,
    /// The same at the previous month end.
    pub previous_outstanding: Money,
    pub previous_overdue: Money,
    pub previous_overdue_share_percent: Option<Decimal>,
    /// Whether the overdue share rose from the previous month end.
    pub overdue_share_rising: bool,
}

/// The report of one month, for one scope.
#[derive(Clone, Debug)]
pub struct CollectionReport {
    /// `YYYY-MM`.
    pub month: String,
    /// The month as instants: its first day's local midnight to the next month's.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The month's last day and the day before its first (local dates).
    pub month_end: NaiveDate,
    pub previous_month_end: NaiveDate,
    /// The currency of every amount.
    pub currency: Currency,
    /// Whether the figures cover the whole org (false: a manager's people).
    pub org_wide: bool,
    /// The customers with the most overdue, largest first.
    pub top_overdue: Vec<OverdueCustomerRow>,
    /// Every industry with something outstanding at either month end or paid in the month, by name (no industry last).
    pub industries: Vec<IndustryCollectionRow>,
}

impl CollectionReport {
    /// The industries whose overdue share rose.
    pub fn rising_industries(&self) -> impl Iterator<Item = &IndustryCollectionRow> {
        self.industries.iter().filter(|row| row.overdue_share_rising)
    }
}

/// Reads `YYYY-MM` as the month's first day (named `month`).
pub fn parse_month(text: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .ok()
        .filter(|day| (2000..=9999).contains(&chrono::Datelike::year(day)))
        .ok_or_else(|| FieldError::new("month", "must be a month such as 2026-10"))
}

fn percent_of(part: i64, whole: i64) -> Option<Decimal> {
    if whole <= 0 {
        return None;
    }
    Decimal::from(part).checked_mul(Decimal::ONE_HUNDRED)?.checked_div(Decimal::from(whole))
}

/// A figure for the report's text and data: two decimals, halves away from zero.
fn figure(value: Decimal) -> f64 {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_f64().unwrap_or_default()
}

fn industry_name(industry: Option<&str>) -> &str {
    industry.unwrap_or("未分类")
}

fn shown_percent(value: Option<Decimal>) -> String {
    value.map_or_else(|| "—".to_string(), |value| format!("{:.2}%", figure(value)))
}

/// The report's sections, shared by every format.
fn report_sections(report: &CollectionReport) -> Vec<(String, Vec<String>)> {
    let mut top: Vec<String> = report
        .top_overdue
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let (name, industry) = row.customer.as_ref().map_or(("(已删除的客户)", None), |customer| (customer.name.as_str(), customer.industry.as_deref()));
            format!("{}. {name}（{}）：逾期 {}，{} 笔，最长逾期 {} 天", index + 1, industry_name(industry), row.overdue, row.overdue_receivables, row.overdue_days)
        })
        .collect();
    if top.is_empty() {
        top.push("月末没有逾期客户".to_string());
    }
    let mut days: Vec<String> = report
        .industries
        .iter()
        .filter(|row| row.paid_receivables > 0)
        .map(|row| {
            let agreed = row.average_agreed_days.map(figure).unwrap_or_default();
            let actual = row.average_actual_days.map(figure).unwrap_or_default();
            format!("{}：结清 {} 笔，约定平均 {agreed:.1} 天，实际平均 {actual:.1} 天", industry_name(row.industry.as_deref()), row.paid_receivables)
        })
        .collect();
    if days.is_empty() {
        days.push("本月没有结清的应收款".to_string());
    }
    let mut rising: Vec<String> = report
        .rising_industries()
        .map(|row| {
            format!(
                "{}：逾期占比 {} → {}（逾期 {}，未收 {}）",
                industry_name(row.industry.as_deref()),
                shown_percent(row.previous_overdue_share_percent),
                shown_percent(row.overdue_share_percent),
                row.overdue,
                row.outstanding
            )
        })
        .collect();
    if rising.is_empty() {
        rising.push("没有逾期占比上升的行业".to_string());
    }
    vec![
        (format!("逾期金额前 {} 名客户", DEFAULT_TOP_OVERDUE), top),
        ("各行业约定与实际回款天数".to_string(), days),
        ("逾期占比上升的行业".to_string(), rising),
    ]
}

/// The report as stored and sent to webhooks.
pub fn report_json(report: &CollectionReport, as_of: DateTime<Utc>) -> serde_json::Value {
    let decimal = |value: Option<Decimal>| value.map(figure);
    json!({
        "month": report.month,
        "from": report.from,
        "to": report.to,
        "monthEnd": report.month_end,
        "previousMonthEnd": report.previous_month_end,
        "asOf": as_of,
        "currency": report.currency.as_str(),
        "scope": if report.org_wide { "ORG" } else { "TEAM" },
        "topOverdueCustomers": report.top_overdue.iter().map(|row| json!({
            "customerId": row.customer_id,
            "customerName": row.customer.as_ref().map(|customer| customer.name.clone()),
            "industry": row.customer.as_ref().and_then(|customer| customer.industry.clone()),
            "overdueAmount": row.overdue.amount_string(),
            "overdueDays": row.overdue_days,
            "overdueReceivables": row.overdue_receivables,
        })).collect::<Vec<_>>(),
        "industries": report.industries.iter().map(|row| json!({
            "industry": row.industry,
            "paidReceivables": row.paid_receivables,
            "averageAgreedDays": decimal(row.average_agreed_days),
            "averageActualDays": decimal(row.average_actual_days),
            "outstanding": row.outstanding.amount_string(),
            "overdue": row.overdue.amount_string(),
            "overdueSharePercent": decimal(row.overdue_share_percent),
            "previousOverdueSharePercent": decimal(row.previous_overdue_share_percent),
            "overdueShareRising": row.overdue_share_rising,
        })).collect::<Vec<_>>(),
        "risingIndustries": report.rising_industries().map(|row| row.industry.clone()).collect::<Vec<_>>(),
    })
}

/// Industry rows from the grouped figures, by name with "no industry" last.
fn industry_rows(currency: Currency, now: Vec<IndustryShare>, previous: Vec<IndustryShare>, paid: Vec<repo::IndustryPaymentDays>) -> Vec<IndustryCollectionRow> {
    #[derive(Default)]
    struct Sums {
        now: Option<IndustryShare>,
        previous: Option<IndustryShare>,
        paid: Option<repo::IndustryPaymentDays>,
    }
    let mut by_industry: BTreeMap<Option<String>, Sums> = BTreeMap::new();
    for share in now {
        let sums = by_industry.entry(share.industry.clone()).or_default();
        sums.now = Some(share);
    }
    for share in previous {
        let sums = by_industry.entry(share.industry.clone()).or_default();
        sums.previous = Some(share);
    }
    for days in paid {
        let sums = by_industry.entry(days.industry.clone()).or_default();
        sums.paid = Some(days);
    }
    let cents = |share: &Option<IndustryShare>| share.as_ref().map_or((0, 0), |share| (share.outstanding_cents, share.overdue_cents));
    let mut rows: Vec<IndustryCollectionRow> = by_industry
        .into_iter()
        .filter_map(|(industry, sums)| {
            let (outstanding, overdue) = cents(&sums.now);
            let (previous_outstanding, previous_overdue) = cents(&sums.previous);
            let paid = sums.paid.as_ref().map_or(0, |days| days.paid);
            if outstanding <= 0 && previous_outstanding <= 0 && paid <= 0 {
                return None;
            }
            let share = percent_of(overdue, outstanding);
            let previous_share = percent_of(previous_overdue, previous_outstanding);
            Some(IndustryCollectionRow {
                industry,
                paid_receivables: paid,
                average_agreed_days: sums.paid.as_ref().and_then(|days| mean_days(days.agreed_days, days.paid)),
                average_actual_days: sums.paid.as_ref().and_then(|days| mean_days(days.actual_days, days.paid)),
                outstanding: Money::from_minor_units(outstanding, currency),
                overdue: Money::from_minor_units(overdue, currency),
                overdue_share_percent: share,
                previous_outstanding: Money::from_minor_units(previous_outstanding, currency),
                previous_overdue: Money::from_minor_units(previous_overdue, currency),
                previous_overdue_share_percent: previous_share,
                overdue_share_rising: overdue_share_rose(previous_share, share),
            })
        })
        .collect();
    // `None` sorts first in the map; the report lists customers without an industry last.
    rows.sort_by(|a, b| a.industry.is_none().cmp(&b.industry.is_none()).then(a.industry.cmp(&b.industry)));
    rows
}

impl App {
    /// R7: the collection report of `month` (`YYYY-MM`, a month that has
    /// ended in the org's time zone) with the `top` (default 10, at most 50)
    /// most overdue customers. FINANCE and admins see the org, managers the
    /// people they manage; others are refused.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn collection_report(&self, principal: &Principal, month: &str, top: Option<i32>) -> AppResult<CollectionReport> {
        principal.require_role(&REPORT_ROLES)?;
        let mut errors = FieldErrors::new();
        let first = errors.take(parse_month(month));
        let limit = match top {
            None => Some(DEFAULT_TOP_OVERDUE),
            Some(top) => {
                let limit = u64::try_from(top).ok().filter(|top| (1..=MAX_TOP_OVERDUE).contains(top));
                if limit.is_none() {
                    errors.push("top", format!("must be between 1 and {MAX_TOP_OVERDUE}"));
                }
                limit
            }
        };
        errors.finish()?;
        let (Some(first), Some(limit)) = (first, limit) else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let tz = crate::orgs::org_time_zone(&self.db, principal.org_id).await?;
        if local_instant(tz, month_start(first, 1), NaiveTime::MIN) > self.now() {
            return Err(AppError::bad_input("month", "must be a month that has ended"));
        }
        let visible: Visible = match principal.role {
            Role::Finance | Role::Admin => Visible::All,
            _ => principal.owner_scope(&self.db).await?.into(),
        };
        self.build_collection_report(principal.org_id, &visible, tz, first, limit).await
    }

    /// The report of the month starting on `first` for the `visible` owners.
    async fn build_collection_report(&self, org: OrgId, visible: &Visible, tz: Tz, first: NaiveDate, limit: u64) -> AppResult<CollectionReport> {
        let month = ReportMonth::new(tz, first);
        let code = month.currency.as_str();
        let overdue = repo::top_overdue_customers(&self.db, org, visible, code, month.end, month.to, limit).await?;
        let ids: Vec<Uuid> = overdue.iter().map(|row| row.customer_id).collect();
        let customers = self.customers_by_id(org, &ids).await?;
        let figures = ScopeFigures {
            overdue,
            now: repo::industry_overdue(&self.db, org, visible, code, month.end, month.to).await?,
            previous: repo::industry_overdue(&self.db, org, visible, code, month.previous_end, month.from).await?,
            paid: repo::industry_payment_days(&self.db, org, visible, first, month.end).await?,
        };
        Ok(month.report(figures, &customers, *visible == Visible::All))
    }

    async fn customers_by_id(&self, org: OrgId, ids: &[Uuid]) -> AppResult<HashMap<Uuid, customers::Model>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(customer_repo::find_many(&self.db, org, ids).await?.into_iter().map(|customer| (customer.id, customer)).collect())
    }

    /// The reports of the month starting on `first` for many managers at
    /// once, the same as [`build_collection_report`](Self::build_collection_report)
    /// for each: the org's figures are read once per current owner (four
    /// statements), each manager's are the sums over their people.
    async fn build_team_collection_reports(&self, org: OrgId, managers: &[UserId], tz: Tz, first: NaiveDate) -> AppResult<HashMap<UserId, CollectionReport>> {
        let month = ReportMonth::new(tz, first);
        let code = month.currency.as_str();
        let by_owner = OwnerFigures {
            overdue: repo::overdue_customers_by_owner(&self.db, org, code, month.end, month.to).await?,
            now: repo::industry_overdue_by_owner(&self.db, org, code, month.end, month.to).await?,
            previous: repo::industry_overdue_by_owner(&self.db, org, code, month.previous_end, month.from).await?,
            paid: repo::industry_payment_days_by_owner(&self.db, org, first, month.end).await?,
        };
        let mut scopes = Vec::with_capacity(managers.len());
        for manager in managers {
            let principal = Principal { org_id: org, actor: Actor::User(*manager), role: Role::Manager };
            let people: HashSet<Uuid> = match principal.owner_scope(&self.db).await? {
                OwnerScope::All => return Err(AppError::Internal("a manager's scope is their people".into())),
                OwnerScope::Owners(people) => people.into_iter().collect(),
            };
            scopes.push((*manager, by_owner.of(&people, DEFAULT_TOP_OVERDUE)));
        }
        let mut ids: Vec<Uuid> = scopes.iter().flat_map(|(_, figures)| figures.overdue.iter().map(|row| row.customer_id)).collect();
        ids.sort();
        ids.dedup();
        let customers = self.customers_by_id(org, &ids).await?;
        Ok(scopes.into_iter().map(|(manager, figures)| (manager, month.report(figures, &customers, false))).collect())
    }

    /// R7: for every org whose 1st-of-the-month 09:00 has passed, the monthly
    /// collection reports of the previous month not yet made.
    #[tracing::instrument(skip_all)]
    pub async fn run_monthly_collection_reports(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut made = 0;
        for org in report_repo::all_orgs(&self.db).await? {
            let Some(crate::reports::MonthlyDue { tz, from, to, recipients, missing }) = self.monthly_report_due(&org, MONTHLY_COLLECTION, &REPORT_ROLES, now).await? else {
                continue;
            };
            let first = from.with_timezone(&tz).date_naive();
            let org_id = OrgId::from_uuid(org.id);
            let org_wide_role = |person: &users::Model| person.role == Role::Finance.as_str() || person.role == Role::Admin.as_str();
            let group_carrier = recipients.iter().find(|person| org_wide_role(person)).map(|person| person.id);
            let managers: Vec<UserId> = missing.iter().filter(|person| !org_wide_role(person)).map(|person| UserId::from_uuid(person.id)).collect();
            let mut team_reports = if managers.is_empty() { HashMap::new() } else { self.build_team_collection_reports(org_id, &managers, tz, first).await? };
            let mut org_report: Option<CollectionReport> = None;
            for person in &missing {
                let (report, title) = if org_wide_role(person) {
                    let report = match &org_report {
                        Some(report) => report.clone(),
                        None => {
                            let report = self.build_collection_report(org_id, &Visible::All, tz, first, DEFAULT_TOP_OVERDUE).await?;
                            org_report = Some(report.clone());
                            report
                        }
                    };
                    let title = format!("行业回款健康报告 {}", report.month);
                    (report, title)
                } else {
                    let report = team_reports
                        .remove(&UserId::from_uuid(person.id))
                        .ok_or_else(|| AppError::Internal(format!("no team collection report was built for {}", person.id)))?;
                    let title = format!("行业回款健康报告 {}（{}的团队）", report.month, person.name);
                    (report, title)
                };
                let content = report_json(&report, now);
                let mut message = crate::reports::render(org.id, title, &report_sections(&report), content.clone(), now);
                message.event = MONTHLY_COLLECTION_EVENT.to_string();
                let to_groups = Some(person.id) == group_carrier;
                if self.store_report(person, MONTHLY_COLLECTION, from, to, content, &message, to_groups, now).await? {
                    made += 1;
                }
            }
        }
        Ok(made)
    }
}

/// A report month's bounds in the org's time zone.
struct ReportMonth {
    first: NaiveDate,
    /// Its last day, and the day before its first.
    end: NaiveDate,
    previous_end: NaiveDate,
    /// Its first day's local midnight and the next month's.
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    currency: Currency,
}

impl ReportMonth {
    fn new(tz: Tz, first: NaiveDate) -> ReportMonth {
        let next = month_start(first, 1);
        ReportMonth {
            first,
            end: next.pred_opt().unwrap_or(first),
            previous_end: first.pred_opt().unwrap_or(first),
            from: local_instant(tz, first, NaiveTime::MIN),
            to: local_instant(tz, next, NaiveTime::MIN),
            currency: Currency::CNY,
        }
    }

    /// The report of one scope from its figures.
    fn report(&self, figures: ScopeFigures, customers: &HashMap<Uuid, customers::Model>, org_wide: bool) -> CollectionReport {
        let top_overdue = figures
            .overdue
            .into_iter()
            .map(|row| OverdueCustomerRow {
                customer: customers.get(&row.customer_id).cloned(),
                customer_id: row.customer_id,
                overdue: Money::from_minor_units(row.overdue_cents, self.currency),
                overdue_days: (self.end - row.oldest_due).num_days(),
                overdue_receivables: row.overdue_receivables,
            })
            .collect();
        CollectionReport {
            month: self.first.format("%Y-%m").to_string(),
            from: self.from,
            to: self.to,
            month_end: self.end,
            previous_month_end: self.previous_end,
            currency: self.currency,
            org_wide,
            top_overdue,
            industries: industry_rows(self.currency, figures.now, figures.previous, figures.paid),
        }
    }
}

/// One scope's figures for a month, as the database grouped them.
struct ScopeFigures {
    /// The top overdue customers, in report order.
    overdue: Vec<repo::OverdueCustomer>,
    /// Per industry at the month end and at the previous month end.
    now: Vec<IndustryShare>,
    previous: Vec<IndustryShare>,
    /// Per industry, the receivables paid in full in the month.
    paid: Vec<repo::IndustryPaymentDays>,
}

/// The org's figures for a month per current owner of the receivables.
struct OwnerFigures {
    overdue: Vec<(Uuid, repo::OverdueCustomer)>,
    now: Vec<(Uuid, IndustryShare)>,
    previous: Vec<(Uuid, IndustryShare)>,
    paid: Vec<(Uuid, repo::IndustryPaymentDays)>,
}

impl OwnerFigures {
    /// The figures of a scope (the receivables of `owners`), summed as the
    /// database sums them for one scope: the top `limit` customers by
    /// overdue amount, then the oldest due date, then id.
    fn of(&self, owners: &HashSet<Uuid>, limit: u64) -> ScopeFigures {
        let mut customers: HashMap<Uuid, repo::OverdueCustomer> = HashMap::new();
        for (_, row) in self.overdue.iter().filter(|(owner, _)| owners.contains(owner)) {
            customers
                .entry(row.customer_id)
                .and_modify(|sum| {
                    sum.overdue_cents += row.overdue_cents;
                    sum.overdue_receivables += row.overdue_receivables;
                    sum.oldest_due = sum.oldest_due.min(row.oldest_due);
                })
                .or_insert_with(|| row.clone());
        }
        let mut overdue: Vec<repo::OverdueCustomer> = customers.into_values().collect();
        overdue.sort_by(|a, b| b.overdue_cents.cmp(&a.overdue_cents).then(a.oldest_due.cmp(&b.oldest_due)).then(a.customer_id.cmp(&b.customer_id)));
        overdue.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let shares = |rows: &[(Uuid, IndustryShare)]| {
            let mut sums: BTreeMap<Option<String>, IndustryShare> = BTreeMap::new();
            for (_, share) in rows.iter().filter(|(owner, _)| owners.contains(owner)) {
                sums.entry(share.industry.clone())
                    .and_modify(|sum| {
                        sum.outstanding_cents += share.outstanding_cents;
                        sum.overdue_cents += share.overdue_cents;
                    })
                    .or_insert_with(|| share.clone());
            }
            sums.into_values().collect()
        };
        let mut paid: BTreeMap<Option<String>, repo::IndustryPaymentDays> = BTreeMap::new();
        for (_, days) in self.paid.iter().filter(|(owner, _)| owners.contains(owner)) {
            paid.entry(days.industry.clone())
                .and_modify(|sum| {
                    sum.paid += days.paid;
                    sum.agreed_days += days.agreed_days;
                    sum.actual_days += days.actual_days;
                })
                .or_insert_with(|| days.clone());
        }
        ScopeFigures { overdue, now: shares(&self.now), previous: shares(&self.previous), paid: paid.into_values().collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(industry: Option<&str>, outstanding: i64, overdue: i64) -> IndustryShare {
        IndustryShare { industry: industry.map(str::to_string), outstanding_cents: outstanding, overdue_cents: overdue }
    }

    #[test]
    fn months_read_as_their_first_day() {
        assert_eq!(parse_month("2026-10"), Ok(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()));
        assert_eq!(parse_month(" 2026-02 "), Ok(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()));
        for bad in ["2026-13", "2026", "October", "1999-12", ""] {
            assert_eq!(parse_month(bad).map_err(|error| error.field), Err("month".to_string()), "{bad}");
        }
    }

    #[test]
    fn industries_merge_by_name_with_no_industry_last_and_rising_shares_flagged() {
        let rows = industry_rows(
            Currency::CNY,
            vec![share(None, 100, 50), share(Some("教育"), 160, 10), share(Some("制造业"), 250, 140), share(Some("零售"), 0, 0)],
            vec![share(Some("教育"), 200, 50), share(Some("制造业"), 300, 120), share(None, 0, 0)],
            vec![repo::IndustryPaymentDays { industry: Some("制造业".into()), paid: 2, agreed_days: 59, actual_days: 73 }],
        );
        let names: Vec<Option<&str>> = rows.iter().map(|row| row.industry.as_deref()).collect();
        assert_eq!(names, [Some("制造业"), Some("教育"), None], "nothing outstanding or paid: left out");
        let manufacturing = &rows[0];
        assert_eq!(manufacturing.overdue_share_percent, Some(Decimal::from(56)));
        assert_eq!(manufacturing.previous_overdue_share_percent, Some(Decimal::from(40)));
        assert!(manufacturing.overdue_share_rising);
        assert_eq!(manufacturing.average_agreed_days, Some(Decimal::new(295, 1)));
        assert_eq!(manufacturing.average_actual_days, Some(Decimal::new(365, 1)));
        assert!(!rows[1].overdue_share_rising, "25 % → 6.25 % falls");
        assert_eq!(rows[1].average_agreed_days, None);
        assert!(rows[2].overdue_share_rising, "nothing outstanding before counts as 0 %");
    }
}
