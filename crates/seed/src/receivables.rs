//! A customer's money (R1–R5): contracts with their approval, instalment
//! receivables, payments — late payers concentrated in a few industries —
//! and the customer's risk tier, its history and the tickets a tier change opens.

use chrono::{Days, Months, NaiveDate};
use dealdesk_domain::{risk_tier, Currency, CustomerRiskFacts, Money, ReceivableFacts, RiskTier, TicketKind, TierThresholds};
use dealdesk_persistence::entities::{contracts, customer_risk, deals, payments, receivables, risk_tier_changes};
use serde_json::json;
use uuid::Uuid;

use crate::org::OrgContext;
use crate::rng::Rng;
use crate::sink::Sink;
use crate::tickets::{StepActor, TicketClock};
use crate::time::{at, local_date, local_midnight, uuid_at, Instant, DAY, HOUR, MINUTE};
use crate::vocab::Industry;
use crate::world::{pending_ticket, script_work, PendingTicket};
use crate::SeedError;

/// Where a contract stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ContractState {
    Draft,
    Submitted,
    Approved,
}

/// A contract to write for one of the customer's deals.
#[derive(Clone, Debug)]
pub struct ContractPlan {
    deal_id: Uuid,
    owner: usize,
    negotiation_at: Instant,
    end: Instant,
    amount_cents: i64,
    state: ContractState,
}

impl ContractPlan {
    /// The approved contract of a won deal: drawn up, checked and approved
    /// while in negotiation, before the deal entered WON at `won_at`.
    pub fn approved(deal: &deals::Model, owner: usize, negotiation_at: Instant, won_at: Instant, amount_cents: i64) -> Self {
        ContractPlan { deal_id: deal.id, owner, negotiation_at, end: won_at, amount_cents, state: ContractState::Approved }
    }

    /// The contract of a deal still in negotiation: a draft, or submitted with its check passed.
    pub fn pending(deal: &deals::Model, owner: usize, negotiation_at: Instant, as_of: Instant, amount_cents: i64, submitted: bool) -> Self {
        ContractPlan { deal_id: deal.id, owner, negotiation_at, end: as_of, amount_cents, state: if submitted { ContractState::Submitted } else { ContractState::Draft } }
    }
}

/// The customer's tier at the as-of moment (none without approved
/// contracts) and the tickets its tier changes opened.
pub struct Risk {
    /// RED, YELLOW or BLUE; `None` when the customer has no receivables.
    pub tier: Option<RiskTier>,
    /// Overdue analyses and legal cases, to be numbered with the org's tickets.
    pub tickets: Vec<PendingTicket>,
}

/// An instalment plan: shares in percent, months between due dates.
const PLANS: [(&[i64], u32, f64); 4] = [(&[100], 0, 0.35), (&[30, 70], 3, 0.30), (&[30, 60, 10], 3, 0.25), (&[25, 25, 25, 25], 3, 0.10)];
/// Payment terms in days.
const TERMS: [i32; 4] = [30, 45, 60, 90];

struct WrittenReceivable {
    deal_id: Uuid,
    created: Instant,
    facts: ReceivableFacts,
}

/// Writes the customer's contracts, receivables and payments, its risk row
/// and tier history; returns the tier and the tickets it opened.
#[allow(clippy::too_many_arguments)]
pub fn write_money(ctx: &OrgContext, rng: &mut Rng, sink: &mut Sink, (customer, customer_name): (Uuid, &str), industry: &Industry, customer_owner: usize, plans: &[ContractPlan]) -> Result<Risk, SeedError> {
    let as_of = ctx.as_of;
    let today = local_date(as_of);
    let people = &ctx.people;
    // Late payers are a share of each industry's customers; everyone is late now and then.
    let late_payer = rng.chance(industry.late_share);
    let late_chance = if late_payer { 0.6 } else { 0.01 };
    let never_pays = late_payer && rng.chance(0.05);
    let finance = people.finance.first().map(|finance| people.get(*finance).id);
    let mut written: Vec<WrittenReceivable> = Vec::new();
    let mut approved_total: i64 = 0;

    for plan in plans {
        let span = (plan.end - plan.negotiation_at).max(4 * HOUR);
        let owner = people.get(plan.owner);
        let legal_review = rng.chance(0.1);
        let (created, submitted, checked, decided) = match plan.state {
            ContractState::Approved => {
                let moment = |share: f64| plan.negotiation_at + (span as f64 * share) as i64;
                (moment(0.25), Some(moment(0.45)), Some(moment(0.6)), Some(moment(0.85)))
            }
            ContractState::Submitted | ContractState::Draft => {
                let created = plan.negotiation_at + (span as f64 * (0.1 + 0.4 * rng.unit())) as i64;
                let submitted = created + ((as_of - created) as f64 * (0.2 + 0.5 * rng.unit())) as i64;
                if plan.state == ContractState::Submitted {
                    (created, Some(submitted), Some(submitted + (as_of - submitted) / 3), None)
                } else {
                    (created, None, None, None)
                }
            }
        };
        let legal = people.legal.first().map(|legal| people.get(*legal).id).filter(|_| legal_review && checked.is_some());
        let legal_at = checked.map(|checked| checked - (checked - created) / 4);
        let approver = if rng.chance(0.7) { owner.team.map(|team| people.get(people.teams[team].manager).id) } else { finance }.or(finance);
        let terms = *rng.pick(&TERMS);
        let signed_on = decided.map(local_date);
        let first_due = signed_on.unwrap_or_else(|| local_date(as_of + 10 * DAY)) + Days::new(terms.unsigned_abs().into());
        let (shares, months_apart, _) = PLANS[rng.weighted(&PLANS.map(|(_, _, weight)| weight))];
        let mut instalments: Vec<(NaiveDate, i64)> = Vec::new();
        let mut left = plan.amount_cents;
        for (index, share) in shares.iter().enumerate() {
            let amount = if index + 1 == shares.len() { left } else { plan.amount_cents * share / 100 };
            left -= amount;
            let due = first_due.checked_add_months(Months::new(months_apart * index as u32)).unwrap_or(first_due);
            instalments.push((due, amount));
        }
        let id = uuid_at(created, rng);
        let updated = [Some(created), submitted, checked, decided, legal.and(legal_at)].into_iter().flatten().max().unwrap_or(created);
        sink.put(&contracts::Model {
            id,
            org_id: ctx.id,
            deal_id: plan.deal_id,
            customer_id: customer,
            amount_cents: plan.amount_cents,
            currency: "CNY".into(),
            payment_terms_days: terms,
            signed_on,
            instalments: json!(instalments.iter().map(|(due, amount)| json!({ "dueDate": due.format("%Y-%m-%d").to_string(), "amountCents": amount })).collect::<Vec<_>>()),
            status: match plan.state {
                ContractState::Draft => "DRAFT",
                ContractState::Submitted => "SUBMITTED",
                ContractState::Approved => "APPROVED",
            }
            .into(),
            legal_review_required: legal_review,
            legal_confirmed_by: legal,
            legal_confirmed_at: legal.and(legal_at).map(at),
            check_passed: checked.is_some(),
            check_reasons: json!([]),
            registry_status: checked.map(|_| "OPERATING".to_string()),
            checked_at: checked.map(at),
            rejection_reason: None,
            decided_by: decided.and(approver),
            decided_at: decided.map(at),
            created_by: owner.id,
            created_at: at(created),
            updated_at: at(updated),
        })?;
        let Some(decided) = decided else { continue };
        approved_total += plan.amount_cents;
        for (seq, (due, amount)) in instalments.iter().enumerate() {
            let receivable_id = uuid_at(decided, rng);
            let mut facts = ReceivableFacts::new(*due, Money::from_minor_units(*amount, Currency::CNY));
            // When the money comes: early or on time, or late by the industry's habit.
            let late = rng.chance(late_chance);
            let days: i64 = match (late, late_payer) {
                (true, true) => 1 + rng.log_normal(industry.median_days_late, 0.7) as i64,
                (true, false) => rng.range(1, 4),
                (false, _) => -rng.range(0, 8),
            };
            let earliest = signed_on.unwrap_or(*due);
            let settled = (!(never_pays && late)).then(|| shift(*due, days).max(earliest));
            let mut payments_due: Vec<(NaiveDate, i64)> = Vec::new();
            if let Some(settled) = settled {
                if rng.chance(0.12) && *amount >= 200 {
                    let first = amount * rng.range(30, 71) / 100;
                    payments_due.push((shift(settled, -rng.range(5, 26)).max(earliest), first));
                    payments_due.push((settled, amount - first));
                } else {
                    payments_due.push((settled, *amount));
                }
            }
            let mut paid_cents = 0;
            let mut fully_paid_on = None;
            for (paid_on, paid) in payments_due {
                if paid_on > today {
                    continue;
                }
                let recorded = (local_midnight(paid_on) + rng.range(9 * HOUR, 20 * HOUR)).min(as_of - MINUTE).max(local_midnight(paid_on));
                sink.put(&payments::Model {
                    id: uuid_at(recorded, rng),
                    org_id: ctx.id,
                    receivable_id,
                    customer_id: customer,
                    amount_cents: paid,
                    currency: "CNY".into(),
                    paid_on,
                    source: if rng.chance(0.3) { "IMPORT" } else { "API" }.into(),
                    recorded_by: finance,
                    recorded_at: at(recorded),
                })?;
                paid_cents += paid;
                facts.paid.push((paid_on, Money::from_minor_units(paid, Currency::CNY)));
                if paid_cents >= *amount {
                    fully_paid_on = Some(paid_on);
                }
            }
            // The hourly collection scan warns open receivables 15 days (UTC dates) before they fall due.
            let window_opens = due.checked_sub_days(Days::new(15)).map_or(decided, |day| day.and_hms_opt(0, 0, 0).map_or(decided, |start| start.and_utc().timestamp()));
            let warned = (window_opens.max(decided) + rng.range(MINUTE, HOUR)).max(decided + MINUTE);
            let warned_at = (warned < as_of && at(warned).date_naive() <= *due && fully_paid_on.is_none_or(|paid| local_midnight(paid) > warned)).then_some(warned);
            sink.put(&receivables::Model {
                id: receivable_id,
                org_id: ctx.id,
                contract_id: id,
                customer_id: customer,
                deal_id: plan.deal_id,
                owner_id: owner.id,
                seq: seq as i32 + 1,
                due_date: *due,
                amount_cents: *amount,
                currency: "CNY".into(),
                paid_cents,
                fully_paid_on,
                warned_at: warned_at.map(at),
                created_at: at(decided),
            })?;
            written.push(WrittenReceivable { deal_id: plan.deal_id, created: decided, facts });
        }
    }
    if written.is_empty() {
        return Ok(Risk { tier: None, tickets: Vec::new() });
    }

    // R4 as the daily recompute saw it: the tier on the days anything could change it.
    let facts = CustomerRiskFacts {
        receivables: written.iter().map(|receivable| receivable.facts.clone()).collect(),
        litigation: false,
        total_contract_amount: Money::from_minor_units(approved_total, Currency::CNY),
    };
    let thresholds = TierThresholds::default();
    let since = today.checked_sub_days(Days::new(400)).unwrap_or(today);
    let mut days: Vec<NaiveDate> = Vec::new();
    // Without a late or overdue instalment the tier was BLUE all along: only today matters.
    let ever_late = facts.receivables.iter().any(|receivable| receivable.fully_paid_on().map_or(receivable.due_date < today, |paid| paid > receivable.due_date));
    for receivable in facts.receivables.iter().filter(|_| ever_late) {
        let due = receivable.due_date;
        let paid = receivable.fully_paid_on();
        for day in [Some(shift(due, 1)), Some(shift(due, 8)), Some(shift(due, 16)), paid, paid.map(|paid| shift(paid, 1)), due.checked_add_months(Months::new(6)).map(|day| shift(day, 1)), Some(shift(due, 366))].into_iter().flatten() {
            if day > since && day < today {
                days.push(day);
            }
        }
    }
    days.push(today);
    days.sort_unstable();
    days.dedup();
    let mut tier = RiskTier::Blue;
    let mut decision = None;
    let mut tickets = Vec::new();
    let latest_deal = written.iter().max_by_key(|receivable| receivable.created).map(|receivable| receivable.deal_id);
    let owner = people.get(customer_owner);
    for day in days {
        let today_decision = risk_tier(&facts, &thresholds, day);
        if today_decision.tier != tier {
            let moment = (local_midnight(day) + HOUR + rng.range(0, 30 * MINUTE)).min(as_of - MINUTE);
            sink.put(&risk_tier_changes::Model { id: uuid_at(moment, rng), org_id: ctx.id, customer_id: customer, from_tier: tier.as_str().into(), to_tier: today_decision.tier.as_str().into(), reasons: json!(today_decision.reasons), at: at(moment) })?;
            if let Some(requester) = finance {
                if tier == RiskTier::Blue && today_decision.tier == RiskTier::Yellow {
                    let policy = ctx.policy(TicketKind::OverdueAnalysis, None);
                    let mut clock = TicketClock::open(&ctx.calendar, policy.calendar_time, policy.minutes, moment, StepActor::System, Some(owner.id), as_of);
                    script_work(rng, &mut clock, f64::from(policy.minutes), StepActor::User(owner.id), StepActor::User(requester));
                    let title = format!("逾期原因分析：{}", customer_name);
                    tickets.push(pending_ticket(ctx, rng, sink, clock, TicketKind::OverdueAnalysis, None, latest_deal, title, Some("请在 48 小时内拜访客户并提交逾期原因分析表。".into()), requester, "SALES")?);
                }
                if today_decision.tier == RiskTier::Red {
                    let policy = ctx.policy(TicketKind::LegalCase, None);
                    let lawyer = people.legal.first().map_or(requester, |legal| people.get(*legal).id);
                    let mut clock = TicketClock::open(&ctx.calendar, policy.calendar_time, policy.minutes, moment, StepActor::System, None, as_of);
                    script_work(rng, &mut clock, f64::from(policy.minutes), StepActor::User(lawyer), StepActor::User(requester));
                    let title = format!("法务接管：{}", customer_name);
                    tickets.push(pending_ticket(ctx, rng, sink, clock, TicketKind::LegalCase, None, latest_deal, title, Some(format!("客户进入红色风险等级：{}", today_decision.reasons.join("；"))), requester, "LEGAL")?);
                }
            }
            tier = today_decision.tier;
        }
        decision = Some(today_decision);
    }
    let decision = decision.unwrap_or_else(|| risk_tier(&facts, &thresholds, today));
    sink.put(&customer_risk::Model {
        customer_id: customer,
        org_id: ctx.id,
        tier: decision.tier.as_str().into(),
        litigation: false,
        litigation_note: None,
        services_suspended: decision.tier == RiskTier::Red,
        facts: dealdesk_app::contracts::risk_facts_json(&decision),
        updated_at: at(as_of),
    })?;
    Ok(Risk { tier: Some(decision.tier), tickets })
}

/// `day` moved by `days` (either way).
fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs())).unwrap_or(day)
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs())).unwrap_or(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn shifting_days_goes_both_ways() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(shift(day, -1), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(shift(day, 31).month(), 4);
    }
}
