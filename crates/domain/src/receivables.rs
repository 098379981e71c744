//! Receivables and credit risk (R1, R3–R7): instalment plans, the state of a
//! receivable as of a day, the payment rule, the red/yellow/blue risk tier,
//! the collection forecast, the collection metrics and the monthly industry
//! report's rules (R7).
//!
//! Everything here works on calendar days ([`NaiveDate`]) in the org's time
//! zone; "today" is always a parameter. A receivable due on day `D` is on
//! time when it is paid in full on or before `D`; it is overdue from `D + 1`
//! while anything is outstanding. Money stays in [`Money`] (cents, one
//! currency); sums are exact integer cents and percentages are [`Decimal`],
//! never floats.

use chrono::{Days, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::error::FieldError;
use crate::money::{Currency, Money};

/// R5: how many days before a due date the owner and FINANCE are warned.
pub const COLLECTION_WARNING_DAYS: u64 = 15;

/// R1: checks a contract's instalment plan (回款计划) against its amount.
///
/// Every broken rule is reported, not just the first:
/// - at least one instalment (`instalments`);
/// - each amount positive and in the contract's currency
///   (`instalments[i].amount`, `i` 0-based);
/// - the amounts sum to the contract amount exactly, to the cent
///   (`instalments`, the message states both sums);
/// - due dates strictly increasing (`instalments[i].dueDate`) and none before
///   the signing date when there is one (`instalments[i].dueDate`); a due date
///   on the signing date itself is allowed.
pub fn validate_instalments(
    contract_amount: &Money,
    instalments: &[(NaiveDate, Money)],
    signed_on: Option<NaiveDate>,
) -> Result<(), Vec<FieldError>> {
    let currency = contract_amount.currency();
    if instalments.is_empty() {
        return Err(vec![FieldError::new(
            "instalments",
            "must have at least one instalment",
        )]);
    }
    let mut errors = Vec::new();
    let mut sum: i128 = 0;
    let mut previous_due: Option<NaiveDate> = None;
    for (index, (due, amount)) in instalments.iter().enumerate() {
        let amount_field = format!("instalments[{index}].amount");
        let due_field = format!("instalments[{index}].dueDate");
        if amount.currency() != currency {
            errors.push(FieldError::new(
                amount_field,
                format!("must be in {currency}, the contract's currency"),
            ));
        } else {
            if !amount.is_positive() {
                errors.push(FieldError::new(amount_field, "must be greater than zero"));
            }
            sum += cents(amount);
        }
        if let Some(signed) = signed_on {
            if *due < signed {
                errors.push(FieldError::new(
                    due_field.clone(),
                    format!("must not be before the signing date {signed}"),
                ));
            }
        }
        if let Some(previous) = previous_due {
            if *due <= previous {
                errors.push(FieldError::new(
                    due_field,
                    format!("must be after the previous instalment's due date {previous}"),
                ));
            }
        }
        previous_due = Some(*due);
    }
    if sum != cents(contract_amount) {
        errors.push(FieldError::new(
            "instalments",
            format!(
                "instalments sum to {} but the contract amount is {contract_amount}",
                money_from_cents(sum, currency)
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// R3: what is known about one receivable (one instalment): when it is due,
/// how much, and the payments recorded against it.
///
/// Payments may be in any order. Payments in another currency than `amount`
/// are ignored by every helper ([`check_payment`] refuses them, so stored data
/// never holds any). The "as of" helpers ignore payments dated after the day
/// they are asked about, so a back-dated view is consistent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivableFacts {
    /// The instalment's due date; paid in full on or before it is on time.
    pub due_date: NaiveDate,
    /// The amount due.
    pub amount: Money,
    /// Each recorded payment: the day it was paid and how much.
    pub paid: Vec<(NaiveDate, Money)>,
}

impl ReceivableFacts {
    /// A receivable with no payment yet.
    pub fn new(due_date: NaiveDate, amount: Money) -> Self {
        Self {
            due_date,
            amount,
            paid: Vec::new(),
        }
    }

    /// The sum of all payments (in the receivable's currency).
    pub fn paid_total(&self) -> Money {
        money_from_cents(self.paid_cents_through(None), self.amount.currency())
    }

    /// What is still owed after every recorded payment; never negative.
    pub fn outstanding(&self) -> Money {
        self.outstanding_through(None)
    }

    /// What was still owed at the end of `day`, counting only payments made
    /// on or before it; never negative.
    pub fn outstanding_on(&self, day: NaiveDate) -> Money {
        self.outstanding_through(Some(day))
    }

    /// The day the cumulative payments first reached the amount, or `None`
    /// while something is outstanding. A receivable of zero counts as settled
    /// on its due date (it can never be late).
    pub fn fully_paid_on(&self) -> Option<NaiveDate> {
        let target = cents(&self.amount);
        if target <= 0 {
            return Some(self.due_date);
        }
        let currency = self.amount.currency();
        let mut payments: Vec<&(NaiveDate, Money)> = self
            .paid
            .iter()
            .filter(|(_, money)| money.currency() == currency)
            .collect();
        payments.sort_by_key(|(day, _)| *day);
        let mut cumulative: i128 = 0;
        for (day, money) in payments {
            cumulative += cents(money);
            if cumulative >= target {
                return Some(*day);
            }
        }
        None
    }

    /// Whether the receivable was paid in full on or before its due date.
    pub fn paid_on_time(&self) -> bool {
        self.fully_paid_on().is_some_and(|day| day <= self.due_date)
    }

    /// Whether, at the end of `today`, the due date has passed with something
    /// still outstanding.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        today > self.due_date && self.outstanding_on(today).is_positive()
    }

    /// Days late as of `today`, never negative: paid-in-full date − due date
    /// once paid in full (by `today`), otherwise today − due date (0 before
    /// and on the due date).
    pub fn days_late(&self, today: NaiveDate) -> i64 {
        let end = self.overdue_end(today);
        (end - self.due_date).num_days().max(0)
    }

    /// R5 history: paid-in-full date − due date, negative when paid early;
    /// `None` while not paid in full. Feed these into
    /// [`predicted_payment_date`].
    pub fn payment_delay_days(&self) -> Option<i64> {
        self.fully_paid_on()
            .map(|day| (day - self.due_date).num_days())
    }

    /// What is overdue at the end of `today`: the outstanding amount once the
    /// due date has passed, zero before and on it.
    pub fn overdue_amount(&self, today: NaiveDate) -> Money {
        if today > self.due_date {
            self.outstanding_on(today)
        } else {
            Money::zero(self.amount.currency())
        }
    }

    /// R4: how many of this receivable's overdue days fall inside the window
    /// of the `window_days` days ending `today`.
    ///
    /// The overdue span runs from the due date to the day it was paid in full
    /// (or `today` while unpaid), so its length is [`Self::days_late`]; the
    /// window runs from `today − window_days` to `today`. The result is the
    /// length of their overlap in days: day `d` is counted when
    /// `due < d ≤ end` and `today − window_days < d ≤ today`.
    pub fn overdue_days_within(&self, window_days: u32, today: NaiveDate) -> i64 {
        let window_start = today
            .checked_sub_days(Days::new(u64::from(window_days)))
            .unwrap_or(NaiveDate::MIN);
        let end = self.overdue_end(today);
        let start = self.due_date.max(window_start);
        (end - start).num_days().max(0)
    }

    /// The last day the receivable counts as late as of `today`: the day it
    /// was paid in full if that is on or before `today`, otherwise `today`.
    fn overdue_end(&self, today: NaiveDate) -> NaiveDate {
        match self.fully_paid_on() {
            Some(day) if day <= today => day,
            _ => today,
        }
    }

    fn paid_cents_through(&self, day: Option<NaiveDate>) -> i128 {
        let currency = self.amount.currency();
        self.paid
            .iter()
            .filter(|(paid_on, money)| {
                money.currency() == currency && day.is_none_or(|limit| *paid_on <= limit)
            })
            .map(|(_, money)| cents(money))
            .sum()
    }

    fn outstanding_through(&self, day: Option<NaiveDate>) -> Money {
        let remaining = (cents(&self.amount) - self.paid_cents_through(day)).max(0);
        money_from_cents(remaining, self.amount.currency())
    }
}

/// R3: whether a payment of `amount` may be recorded against `receivable`:
/// positive, in the receivable's currency, and not more than what is
/// outstanding (partial payments are fine, overpayment is not). Every error
/// names `amount`.
pub fn check_payment(receivable: &ReceivableFacts, amount: &Money) -> Result<(), FieldError> {
    let currency = receivable.amount.currency();
    if amount.currency() != currency {
        return Err(FieldError::new(
            "amount",
            format!("must be in {currency}, the receivable's currency"),
        ));
    }
    if !amount.is_positive() {
        return Err(FieldError::new("amount", "must be greater than zero"));
    }
    let outstanding = receivable.outstanding();
    if !outstanding.is_positive() {
        return Err(FieldError::new(
            "amount",
            "the receivable is already paid in full",
        ));
    }
    if cents(amount) > cents(&outstanding) {
        return Err(FieldError::new(
            "amount",
            format!("must not exceed the outstanding {outstanding}"),
        ));
    }
    Ok(())
}

/// R3: a payment cannot be dated in the future (named `paidAt`), so tiers
/// computed today never count money that has not arrived.
pub fn check_payment_date(paid_on: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if paid_on > today {
        return Err(FieldError::new("paidAt", "must not be in the future"));
    }
    Ok(())
}

/// R4: a customer's credit-risk tier (红黄蓝).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RiskTier {
    /// Services stop, legal takes over, the customer is in the risk center.
    Red,
    /// New contract approvals are frozen; the owner visits within 48 h and
    /// files an overdue-cause analysis.
    Yellow,
    /// Routine relationship care.
    Blue,
}

impl RiskTier {
    /// Every tier, most severe first.
    pub const ALL: [RiskTier; 3] = [RiskTier::Red, RiskTier::Yellow, RiskTier::Blue];

    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskTier::Red => "RED",
            RiskTier::Yellow => "YELLOW",
            RiskTier::Blue => "BLUE",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(text: &str) -> Result<RiskTier, FieldError> {
        RiskTier::ALL
            .into_iter()
            .find(|tier| tier.as_str() == text)
            .ok_or_else(|| FieldError::new("riskTier", format!("unknown risk tier {text}")))
    }

    /// How bad the tier is, for comparisons: blue 0, yellow 1, red 2.
    pub fn severity(self) -> u8 {
        match self {
            RiskTier::Blue => 0,
            RiskTier::Yellow => 1,
            RiskTier::Red => 2,
        }
    }

    /// Whether new contracts for the customer may not be approved
    /// (`CUSTOMER_RISK_FROZEN`): yellow and red.
    pub fn freezes_new_contracts(self) -> bool {
        self != RiskTier::Blue
    }
}

/// R4: an org's tier thresholds; [`Default`] is the SPEC's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierThresholds {
    /// Red when the cumulative overdue days exceed this (15).
    pub red_cumulative_overdue_days: u32,
    /// Red when the overdue amount is at least this percentage of the
    /// customer's total contract amount (10).
    pub red_overdue_share_percent: Decimal,
    /// Yellow when the on-time rate over the window is below this percentage (95).
    pub on_time_rate_percent: Decimal,
    /// The on-time rate looks at receivables due in the last this many
    /// calendar months (6).
    pub window_months: u32,
    /// Cumulative overdue days count only days inside the last this many
    /// days (365).
    pub cumulative_window_days: u32,
}

impl Default for TierThresholds {
    fn default() -> Self {
        Self {
            red_cumulative_overdue_days: 15,
            red_overdue_share_percent: Decimal::from(10),
            on_time_rate_percent: Decimal::from(95),
            window_months: 6,
            cumulative_window_days: 365,
        }
    }
}

/// The most decimal places a threshold percentage may have (they are stored
/// as hundredths of a percent).
pub const THRESHOLD_PERCENT_PLACES: u32 = 2;

/// The largest day count a threshold may hold: ten years.
pub const MAX_THRESHOLD_DAYS: u32 = 3660;

impl TierThresholds {
    /// Checks an org's settings: percentages in (0, 100] with at most two
    /// decimal places, the red day count at most ten years (0 means any
    /// overdue day is red), windows at least one month / day and at most ten
    /// years. Every broken rule is reported; fields are named in camelCase.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let hundred = Decimal::ONE_HUNDRED;
        let mut errors = Vec::new();
        if self.red_cumulative_overdue_days > MAX_THRESHOLD_DAYS {
            errors.push(FieldError::new(
                "redCumulativeOverdueDays",
                format!("must be between 0 and {MAX_THRESHOLD_DAYS}"),
            ));
        }
        for (field, value) in [
            ("redOverdueSharePercent", self.red_overdue_share_percent),
            ("onTimeRatePercent", self.on_time_rate_percent),
        ] {
            if value <= Decimal::ZERO || value > hundred {
                errors.push(FieldError::new(field, "must be greater than 0 and at most 100"));
            } else if value.normalize().scale() > THRESHOLD_PERCENT_PLACES {
                errors.push(FieldError::new(
                    field,
                    format!("must have at most {THRESHOLD_PERCENT_PLACES} decimal places"),
                ));
            }
        }
        if !(1..=120).contains(&self.window_months) {
            errors.push(FieldError::new("windowMonths", "must be between 1 and 120"));
        }
        if !(1..=MAX_THRESHOLD_DAYS).contains(&self.cumulative_window_days) {
            errors.push(FieldError::new(
                "cumulativeWindowDays",
                format!("must be between 1 and {MAX_THRESHOLD_DAYS}"),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// R4: what the tier of one customer is decided from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRiskFacts {
    /// Every receivable of the customer's approved contracts, paid or not.
    pub receivables: Vec<ReceivableFacts>,
    /// Whether litigation or arbitration is flagged for the customer.
    pub litigation: bool,
    /// The customer's total contract amount, the base of the overdue share.
    /// Receivables in another currency still count for overdue days and the
    /// on-time rate but not for the overdue amount.
    pub total_contract_amount: Money,
}

/// R4: a tier with the figures it was decided from, so the change record and
/// the alert can say why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierDecision {
    /// The tier: the first row of the table that matches, red checked first.
    pub tier: RiskTier,
    /// Why, one English sentence per matching condition of the chosen tier
    /// (lowercase, no trailing dot; percentages shown truncated to 2 places).
    pub reasons: Vec<String>,
    /// Days overdue, summed over the receivables, inside the cumulative window.
    pub cumulative_overdue_days: i64,
    /// What is overdue today, in the total contract amount's currency.
    pub overdue_amount: Money,
    /// Overdue amount × 100 ÷ total contract amount, unrounded; 100 when
    /// something is overdue but the total is zero, 0 when nothing is.
    pub overdue_share_percent: Decimal,
    /// On-time rate over the window in percent (see [`on_time_rate_percent`]),
    /// unrounded; `None` when nothing fell due in the window.
    pub on_time_rate_percent: Option<Decimal>,
}

/// R4: a customer's tier as of the end of `today`, exactly as SPEC's table,
/// red checked first.
///
/// - **Red**: cumulative overdue days > `red_cumulative_overdue_days`, or
///   litigation flagged, or overdue share ≥ `red_overdue_share_percent`.
/// - **Yellow**: any receivable overdue now, or an overdue amount > 0, or an
///   on-time rate below `on_time_rate_percent` for receivables due in the
///   last `window_months` months (no receivable due there: no trigger).
/// - **Blue**: otherwise.
///
/// Cumulative overdue days are [`ReceivableFacts::overdue_days_within`]
/// summed over the receivables. The on-time window holds receivables due
/// after `today − window_months` (calendar months) and on or before `today`.
pub fn risk_tier(
    facts: &CustomerRiskFacts,
    thresholds: &TierThresholds,
    today: NaiveDate,
) -> TierDecision {
    let currency = facts.total_contract_amount.currency();
    let cumulative_overdue_days: i64 = facts
        .receivables
        .iter()
        .map(|receivable| receivable.overdue_days_within(thresholds.cumulative_window_days, today))
        .sum();
    let overdue_cents: i128 = facts
        .receivables
        .iter()
        .filter(|receivable| receivable.amount.currency() == currency)
        .map(|receivable| cents(&receivable.overdue_amount(today)))
        .sum();
    let overdue_amount = money_from_cents(overdue_cents, currency);
    let overdue_share_percent = percent_of(&overdue_amount, &facts.total_contract_amount)
        .unwrap_or(if overdue_amount.is_positive() {
            Decimal::ONE_HUNDRED
        } else {
            Decimal::ZERO
        });
    let window_start = today
        .checked_sub_months(Months::new(thresholds.window_months))
        .unwrap_or(NaiveDate::MIN);
    let on_time = on_time_rate_percent(
        facts.receivables.iter().filter(|receivable| {
            receivable.due_date > window_start && receivable.due_date <= today
        }),
        today,
    );
    let overdue_now: Vec<&ReceivableFacts> = facts
        .receivables
        .iter()
        .filter(|receivable| receivable.is_overdue(today))
        .collect();

    let mut red = Vec::new();
    if cumulative_overdue_days > i64::from(thresholds.red_cumulative_overdue_days) {
        red.push(format!(
            "cumulative overdue days {cumulative_overdue_days} in the last {} days exceed {}",
            thresholds.cumulative_window_days, thresholds.red_cumulative_overdue_days
        ));
    }
    if facts.litigation {
        red.push("litigation or arbitration is flagged".to_owned());
    }
    if overdue_share_percent >= thresholds.red_overdue_share_percent {
        red.push(format!(
            "overdue amount {overdue_amount} is {} of the total contract amount {}, at least {}",
            show_percent(overdue_share_percent),
            facts.total_contract_amount,
            show_percent(thresholds.red_overdue_share_percent)
        ));
    }
    let (tier, reasons) = if !red.is_empty() {
        (RiskTier::Red, red)
    } else {
        let mut yellow = Vec::new();
        if let Some(longest) = overdue_now
            .iter()
            .map(|receivable| receivable.days_late(today))
            .max()
        {
            yellow.push(format!(
                "{} receivable(s) overdue, the longest by {longest} days",
                overdue_now.len()
            ));
        }
        if overdue_amount.is_positive() {
            yellow.push(format!(
                "overdue amount {overdue_amount} is {} of the total contract amount {}",
                show_percent(overdue_share_percent),
                facts.total_contract_amount
            ));
        }
        if let Some(rate) = on_time.filter(|rate| *rate < thresholds.on_time_rate_percent) {
            yellow.push(format!(
                "on-time rate {} over the last {} months is below {}",
                show_percent(rate),
                thresholds.window_months,
                show_percent(thresholds.on_time_rate_percent)
            ));
        }
        if !yellow.is_empty() {
            (RiskTier::Yellow, yellow)
        } else {
            let on_time_text = match on_time {
                Some(rate) => format!(
                    "on-time rate {} over the last {} months",
                    show_percent(rate),
                    thresholds.window_months
                ),
                None => format!(
                    "no receivable fell due in the last {} months",
                    thresholds.window_months
                ),
            };
            (
                RiskTier::Blue,
                vec!["nothing is overdue".to_owned(), on_time_text],
            )
        }
    };
    TierDecision {
        tier,
        reasons,
        cumulative_overdue_days,
        overdue_amount,
        overdue_share_percent,
        on_time_rate_percent: on_time,
    }
}

/// R4/R6: the share of `receivables` that were paid in full on or before
/// their due date, in percent (unrounded), as of the end of `today`.
///
/// Only receivables whose outcome is known count: those due before `today`,
/// and those due today that are already paid in full. Receivables not yet
/// due are ignored. `None` when none count (no rate, which is not 0 %).
pub fn on_time_rate_percent<'a>(
    receivables: impl IntoIterator<Item = &'a ReceivableFacts>,
    today: NaiveDate,
) -> Option<Decimal> {
    let mut counted: u64 = 0;
    let mut on_time: u64 = 0;
    for receivable in receivables {
        let paid_on = receivable.fully_paid_on().filter(|day| *day <= today);
        let decided =
            receivable.due_date < today || (receivable.due_date == today && paid_on.is_some());
        if !decided {
            continue;
        }
        counted += 1;
        if paid_on.is_some_and(|day| day <= receivable.due_date) {
            on_time += 1;
        }
    }
    if counted == 0 {
        return None;
    }
    Some(Decimal::from(on_time) * Decimal::ONE_HUNDRED / Decimal::from(counted))
}

/// R5: the knobs of the collection forecast; [`Default`] is the SPEC's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForecastSettings {
    /// Weight of the industry mean, in pseudo-payments (3).
    pub pseudo_payments: u32,
    /// Fewer paid receivables than this and the customer's own history is
    /// not used at all (3).
    pub min_history: usize,
    /// A forecast is never earlier than this many days before the due date
    /// (30): early payers may be predicted early, within reason.
    pub max_days_early: u32,
}

impl Default for ForecastSettings {
    fn default() -> Self {
        Self {
            pseudo_payments: 3,
            min_history: 3,
            max_days_early: 30,
        }
    }
}

/// The arithmetic mean of `days`; `None` when empty. Used for the industry
/// mean days-late from the org's own paid receivables.
pub fn mean_days_late(days: &[i64]) -> Option<Decimal> {
    if days.is_empty() {
        return None;
    }
    let sum: Decimal = days.iter().map(|day| Decimal::from(*day)).sum();
    Some(sum / Decimal::from(days.len()))
}

/// R5: the expected days late, unrounded: with `n ≥ min_history` paid
/// receivables, `(Σ customer + k × industry) ÷ (n + k)` with
/// `k = pseudo_payments`; otherwise the industry mean. `customer_days_late`
/// are signed ([`ReceivableFacts::payment_delay_days`]): early payments count
/// as negative.
pub fn expected_days_late(
    customer_days_late: &[i64],
    industry_mean_days_late: Decimal,
    settings: &ForecastSettings,
) -> Decimal {
    let n = customer_days_late.len();
    let weight = u64::from(settings.pseudo_payments) + n as u64;
    if n < settings.min_history || weight == 0 {
        return industry_mean_days_late;
    }
    let sum: Decimal = customer_days_late
        .iter()
        .map(|day| Decimal::from(*day))
        .sum();
    let pseudo = Decimal::from(settings.pseudo_payments);
    industry_mean_days_late
        .checked_mul(pseudo)
        .and_then(|shrink| shrink.checked_add(sum))
        .and_then(|total| total.checked_div(Decimal::from(weight)))
        .unwrap_or(industry_mean_days_late)
}

/// R5: the predicted payment date of an open receivable: the due date plus
/// [`expected_days_late`] rounded to the nearest whole day (halves round to
/// the later day, the cautious side for collection), but never more than
/// `max_days_early` days before the due date.
pub fn predicted_payment_date(
    due: NaiveDate,
    customer_days_late: &[i64],
    industry_mean_days_late: Decimal,
    settings: &ForecastSettings,
) -> NaiveDate {
    let expected = expected_days_late(customer_days_late, industry_mean_days_late, settings);
    let rounded = expected
        .checked_add(Decimal::new(5, 1))
        .unwrap_or(expected)
        .floor();
    let days = rounded
        .to_i64()
        .unwrap_or(if rounded.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
        .max(-i64::from(settings.max_days_early));
    if days >= 0 {
        due.checked_add_days(Days::new(days.unsigned_abs()))
            .unwrap_or(NaiveDate::MAX)
    } else {
        due.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// R5: a customer's (or an industry's) payment history in aggregate, as a
/// grouped query returns it: how many receivables were paid in full and the
/// sum of their signed delays ([`ReceivableFacts::payment_delay_days`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DelayHistory {
    /// Receivables paid in full.
    pub paid: u64,
    /// Σ (paid-in-full date − due date) in days; early payments negative.
    pub total_delay_days: i64,
}

impl DelayHistory {
    /// The mean delay ([`mean_days_late`] of the individual delays); `None`
    /// when nothing was paid.
    pub fn mean(&self) -> Option<Decimal> {
        if self.paid == 0 {
            return None;
        }
        Decimal::from(self.total_delay_days).checked_div(Decimal::from(self.paid))
    }
}

/// R5: [`expected_days_late`] from an aggregate history: the formula only
/// depends on the count and the sum, so this gives exactly the same value as
/// passing the individual delays.
pub fn expected_days_late_from_history(
    history: DelayHistory,
    industry_mean_days_late: Decimal,
    settings: &ForecastSettings,
) -> Decimal {
    let enough = usize::try_from(history.paid).map_or(true, |n| n >= settings.min_history);
    let weight = u64::from(settings.pseudo_payments).saturating_add(history.paid);
    if !enough || weight == 0 {
        return industry_mean_days_late;
    }
    industry_mean_days_late
        .checked_mul(Decimal::from(settings.pseudo_payments))
        .and_then(|shrink| shrink.checked_add(Decimal::from(history.total_delay_days)))
        .and_then(|total| total.checked_div(Decimal::from(weight)))
        .unwrap_or(industry_mean_days_late)
}

/// R5: [`predicted_payment_date`] from an aggregate history (same rounding
/// and the same `max_days_early` floor).
pub fn predicted_payment_date_from_history(
    due: NaiveDate,
    history: DelayHistory,
    industry_mean_days_late: Decimal,
    settings: &ForecastSettings,
) -> NaiveDate {
    let expected = expected_days_late_from_history(history, industry_mean_days_late, settings);
    // With no individual delays the expectation passes through unchanged and
    // only the rounding and the floor apply.
    predicted_payment_date(due, &[], expected, settings)
}

/// R5: a receivable is "likely late" when its prediction is after its due date.
pub fn likely_late(predicted: NaiveDate, due: NaiveDate) -> bool {
    predicted > due
}

/// R5: the day the collection warning goes out, [`COLLECTION_WARNING_DAYS`]
/// before the due date.
pub fn collection_warning_date(due: NaiveDate) -> NaiveDate {
    due.checked_sub_days(Days::new(COLLECTION_WARNING_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// R5: whether an open receivable is in its warning window on `today`: from
/// the warning date through the due date. A receivable created with less
/// than 15 days to go is warned at once; the caller sends it once.
pub fn collection_warning_due(due: NaiveDate, today: NaiveDate) -> bool {
    collection_warning_date(due) <= today && today <= due
}

/// R6: days sales outstanding,
/// `DSO = outstanding receivables at the end of the period ÷ contract amount
/// signed in the period × days in the period`, unrounded. `None` when nothing
/// was signed in the period, or the currencies differ.
pub fn days_sales_outstanding(
    outstanding: &Money,
    contracted_in_period: &Money,
    period_days: u32,
) -> Option<Decimal> {
    if outstanding.currency() != contracted_in_period.currency()
        || !contracted_in_period.is_positive()
    {
        return None;
    }
    outstanding
        .amount()
        .checked_mul(Decimal::from(period_days))?
        .checked_div(contracted_in_period.amount())
}

/// R6: first-instalment on-time rate (首笔回款达成率) in percent: pass each
/// contract's first instalment; same rule as [`on_time_rate_percent`].
pub fn first_instalment_on_time_rate(
    first_instalments: &[ReceivableFacts],
    today: NaiveDate,
) -> Option<Decimal> {
    on_time_rate_percent(first_instalments, today)
}

/// R6: overdue share of receivables (逾期账款占比) in percent, unrounded:
/// the overdue amount ÷ the outstanding amount of `receivables` at the end of
/// `today`. Only receivables in `currency` count. `None` when nothing is
/// outstanding.
pub fn overdue_share_percent(
    receivables: &[ReceivableFacts],
    currency: Currency,
    today: NaiveDate,
) -> Option<Decimal> {
    let in_currency = receivables
        .iter()
        .filter(|receivable| receivable.amount.currency() == currency);
    let (overdue, outstanding) =
        in_currency.fold((0_i128, 0_i128), |(overdue, outstanding), receivable| {
            (
                overdue + cents(&receivable.overdue_amount(today)),
                outstanding + cents(&receivable.outstanding_on(today)),
            )
        });
    percent_of(
        &money_from_cents(overdue, currency),
        &money_from_cents(outstanding, currency),
    )
}

/// R7: whether an industry's overdue share (逾期账款占比, overdue ÷
/// outstanding, see [`overdue_share_percent`]) rose from the previous month
/// end to this one.
///
/// A share is `None` when nothing was outstanding. Nothing outstanding at the
/// previous month end counts as 0 %, so an industry that owed nothing then
/// and has overdue money now is rising; nothing outstanding now never is.
pub fn overdue_share_rose(previous: Option<Decimal>, current: Option<Decimal>) -> bool {
    match current {
        Some(now) => now > previous.unwrap_or(Decimal::ZERO),
        None => false,
    }
}

/// R7: a mean number of days from a grouped query's sum and count,
/// unrounded; `None` when the count is zero.
pub fn mean_days(total_days: i64, count: i64) -> Option<Decimal> {
    if count <= 0 {
        return None;
    }
    Decimal::from(total_days).checked_div(Decimal::from(count))
}

fn cents(money: &Money) -> i128 {
    i128::from(money.to_minor_units())
}

fn money_from_cents(cents: i128, currency: Currency) -> Money {
    let clamped = i64::try_from(cents).unwrap_or(if cents < 0 { i64::MIN } else { i64::MAX });
    Money::from_minor_units(clamped, currency)
}

/// `part × 100 ÷ whole`, unrounded; `None` when `whole` is not positive or
/// the currencies differ.
fn percent_of(part: &Money, whole: &Money) -> Option<Decimal> {
    if part.currency() != whole.currency() || !whole.is_positive() {
        return None;
    }
    part.amount()
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(whole.amount())
}

/// A percentage for reasons, truncated (not rounded) to two places so a value
/// just under a threshold never reads as the threshold.
fn show_percent(value: Decimal) -> String {
    let mut shown = value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    shown.rescale(2);
    format!("{shown} %")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TODAY: (i32, u32, u32) = (2026, 6, 30);

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
    }

    /// The day `offset` days from today (negative: in the past).
    fn day(offset: i64) -> NaiveDate {
        today() + chrono::Duration::days(offset)
    }

    fn yuan(units: i64) -> Money {
        Money::from_minor_units(units * 100, Currency::CNY)
    }

    fn fen(units: i64) -> Money {
        Money::from_minor_units(units, Currency::CNY)
    }

    fn receivable(due: i64, amount: Money, paid: &[(i64, Money)]) -> ReceivableFacts {
        ReceivableFacts {
            due_date: day(due),
            amount,
            paid: paid
                .iter()
                .map(|(offset, money)| (day(*offset), *money))
                .collect(),
        }
    }

    fn customer(total: Money, receivables: Vec<ReceivableFacts>) -> CustomerRiskFacts {
        CustomerRiskFacts {
            receivables,
            litigation: false,
            total_contract_amount: total,
        }
    }

    /// One data-driven check: the tier with the default thresholds, and a
    /// reason containing `reason`.
    fn check(facts: &CustomerRiskFacts, tier: RiskTier, reason: &str) -> TierDecision {
        let decision = risk_tier(facts, &TierThresholds::default(), today());
        assert_eq!(decision.tier, tier, "{decision:#?}");
        assert!(
            decision.reasons.iter().any(|text| text.contains(reason)),
            "no reason containing {reason:?} in {:?}",
            decision.reasons
        );
        decision
    }

    #[test]
    fn instalments_that_sum_to_the_amount_validate() {
        let plan = [
            (day(30), yuan(300)),
            (day(60), yuan(300)),
            (day(90), yuan(400)),
        ];
        assert_eq!(
            validate_instalments(&yuan(1000), &plan, Some(day(0))),
            Ok(())
        );
        // A due date on the signing date is allowed.
        assert_eq!(
            validate_instalments(&yuan(1000), &plan, Some(day(30))),
            Ok(())
        );
        assert_eq!(validate_instalments(&yuan(1000), &plan, None), Ok(()));
    }

    #[test]
    fn a_wrong_sum_names_instalments_and_states_both_sums() {
        let plan = [(day(30), yuan(300)), (day(60), fen(59_999))];
        let errors = validate_instalments(&yuan(1000), &plan, None).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "instalments");
        assert_eq!(
            errors[0].message,
            "instalments sum to 899.99 CNY but the contract amount is 1000.00 CNY"
        );
        let errors = validate_instalments(&yuan(1000), &[], None).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new(
                "instalments",
                "must have at least one instalment"
            )]
        );
    }

    #[test]
    fn each_instalment_is_positive_in_the_contract_currency_and_in_date_order() {
        let usd = Money::parse("100", "USD", "amount").unwrap();
        let plan = [
            (day(-1), yuan(0)),
            (day(10), usd),
            (day(10), yuan(500)),
            (day(5), yuan(500)),
        ];
        let errors = validate_instalments(&yuan(1000), &plan, Some(day(0))).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "instalments[0].amount",
                "instalments[0].dueDate",
                "instalments[1].amount",
                "instalments[2].dueDate",
                "instalments[3].dueDate",
            ]
        );
        assert!(errors[1].message.contains("signing date"));
        assert!(errors[2].message.contains("CNY"));
        assert!(errors[3].message.contains("previous"));
    }

    #[test]
    fn receivable_state_follows_the_payments() {
        // Payments out of order; the second one (by date) completes it.
        let r = receivable(-10, yuan(1000), &[(-5, yuan(400)), (-12, yuan(600))]);
        assert_eq!(r.paid_total(), yuan(1000));
        assert_eq!(r.outstanding(), yuan(0));
        assert_eq!(r.fully_paid_on(), Some(day(-5)));
        assert_eq!(r.days_late(today()), 5);
        assert_eq!(r.payment_delay_days(), Some(5));
        assert!(!r.paid_on_time());
        assert!(!r.is_overdue(today()));
        // As of a day between the two payments it was overdue by 600 paid, 400 open.
        assert!(r.is_overdue(day(-7)));
        assert_eq!(r.overdue_amount(day(-7)), yuan(400));
        assert_eq!(r.outstanding_on(day(-7)), yuan(400));
        assert_eq!(r.days_late(day(-7)), 3);

        // Paid early: never negative days late, but a negative delay for the forecast.
        let early = receivable(-10, yuan(10), &[(-13, yuan(10))]);
        assert_eq!(early.days_late(today()), 0);
        assert_eq!(early.payment_delay_days(), Some(-3));
        assert!(early.paid_on_time());

        // Not yet due: nothing overdue, no days late.
        let future = receivable(5, yuan(10), &[]);
        assert_eq!(future.days_late(today()), 0);
        assert_eq!(future.overdue_amount(today()), yuan(0));
        assert!(!future.is_overdue(today()));
        assert_eq!(future.fully_paid_on(), None);

        // Due today and unpaid is not overdue yet; tomorrow it is.
        let due_today = receivable(0, yuan(10), &[]);
        assert!(!due_today.is_overdue(today()));
        assert!(due_today.is_overdue(day(1)));
        assert_eq!(due_today.days_late(day(1)), 1);
    }

    #[test]
    fn payments_check_amount_currency_and_outstanding() {
        let r = receivable(10, yuan(1000), &[(-1, yuan(400))]);
        assert_eq!(check_payment(&r, &yuan(600)), Ok(()));
        assert_eq!(check_payment(&r, &fen(1)), Ok(()));
        for bad in [
            yuan(0),
            fen(60_001),
            Money::parse("1", "USD", "amount").unwrap(),
        ] {
            assert_eq!(
                check_payment(&r, &bad).unwrap_err().field,
                "amount",
                "{bad}"
            );
        }
        assert_eq!(
            check_payment(&r, &fen(60_001)).unwrap_err().message,
            "must not exceed the outstanding 600.00 CNY"
        );
        let paid = receivable(10, yuan(1000), &[(-1, yuan(1000))]);
        assert_eq!(
            check_payment(&paid, &fen(1)).unwrap_err().message,
            "the receivable is already paid in full"
        );
        assert_eq!(check_payment_date(day(0), today()), Ok(()));
        assert_eq!(
            check_payment_date(day(1), today()).unwrap_err().field,
            "paidAt"
        );
    }

    #[test]
    fn red_at_sixteen_cumulative_overdue_days_yellow_at_fifteen() {
        // 1 % of the total contract amount, so only the days matter.
        let total = yuan(100_000);
        let fifteen = customer(total, vec![receivable(-15, yuan(1000), &[])]);
        let decision = check(
            &fifteen,
            RiskTier::Yellow,
            "overdue, the longest by 15 days",
        );
        assert_eq!(decision.cumulative_overdue_days, 15);
        let sixteen = customer(total, vec![receivable(-16, yuan(1000), &[])]);
        let decision = check(&sixteen, RiskTier::Red, "cumulative overdue days 16");
        assert_eq!(decision.cumulative_overdue_days, 16);
        assert_eq!(decision.reasons.len(), 1);
    }

    #[test]
    fn cumulative_overdue_days_add_up_over_receivables_paid_or_not() {
        let total = yuan(100_000);
        // Two receivables paid 8 days late each: nothing overdue now, 16 days → red.
        let paid_late = customer(
            total,
            vec![
                receivable(-100, yuan(1000), &[(-92, yuan(1000))]),
                receivable(-50, yuan(1000), &[(-42, yuan(1000))]),
            ],
        );
        let decision = check(&paid_late, RiskTier::Red, "cumulative overdue days 16");
        assert_eq!(decision.overdue_amount, yuan(0));
        // 7 + 8 = 15 days: not red, yellow through the on-time rate (0 of 2).
        let fifteen = customer(
            total,
            vec![
                receivable(-100, yuan(1000), &[(-93, yuan(1000))]),
                receivable(-50, yuan(1000), &[(-42, yuan(1000))]),
            ],
        );
        let decision = check(
            &fifteen,
            RiskTier::Yellow,
            "on-time rate 0.00 % over the last 6 months is below 95.00 %",
        );
        assert_eq!(decision.cumulative_overdue_days, 15);
    }

    #[test]
    fn only_the_last_twelve_months_count_towards_cumulative_days() {
        let total = yuan(100_000);
        // 30 days late, entirely before the window.
        let old = customer(
            total,
            vec![receivable(-420, yuan(1000), &[(-390, yuan(1000))])],
        );
        let decision = check(&old, RiskTier::Blue, "nothing is overdue");
        assert_eq!(decision.cumulative_overdue_days, 0);
        assert_eq!(decision.on_time_rate_percent, None);
        assert!(decision
            .reasons
            .iter()
            .any(|text| text.contains("no receivable fell due")));
        // 30 days late straddling the window start (today − 365): 15 inside.
        let straddling = customer(
            total,
            vec![receivable(-380, yuan(1000), &[(-350, yuan(1000))])],
        );
        assert_eq!(
            check(&straddling, RiskTier::Blue, "nothing is overdue").cumulative_overdue_days,
            15
        );
        // Paid a day later: 16 inside → red.
        let one_more = customer(
            total,
            vec![receivable(-380, yuan(1000), &[(-349, yuan(1000))])],
        );
        assert_eq!(
            check(&one_more, RiskTier::Red, "cumulative").cumulative_overdue_days,
            16
        );
        // Still unpaid after 400 days: only the 365 inside the window count.
        let ancient = customer(total, vec![receivable(-400, yuan(1000), &[])]);
        assert_eq!(
            risk_tier(&ancient, &TierThresholds::default(), today()).cumulative_overdue_days,
            365
        );
    }

    #[test]
    fn red_from_an_overdue_share_of_ten_percent_yellow_at_nine_point_nine_nine() {
        let total = yuan(10_000);
        let below = customer(total, vec![receivable(-1, yuan(999), &[])]);
        let decision = check(
            &below,
            RiskTier::Yellow,
            "overdue amount 999.00 CNY is 9.99 % of the total contract amount",
        );
        assert_eq!(decision.overdue_share_percent, Decimal::new(999, 2));
        assert_eq!(decision.overdue_amount, yuan(999));
        let at = customer(total, vec![receivable(-1, yuan(1000), &[])]);
        let decision = check(
            &at,
            RiskTier::Red,
            "is 10.00 % of the total contract amount 10000.00 CNY, at least 10.00 %",
        );
        assert_eq!(decision.overdue_share_percent, Decimal::from(10));
        assert_eq!(decision.reasons.len(), 1);
    }

    #[test]
    fn on_time_rate_of_exactly_95_percent_is_blue_just_below_is_yellow() {
        let total = yuan(1_000_000);
        // 20 due in the window, 19 on time, one paid a day late (1 cumulative day).
        let mut receivables: Vec<ReceivableFacts> = (1..=19)
            .map(|i| receivable(-i * 5, yuan(100), &[(-i * 5, yuan(100))]))
            .collect();
        receivables.push(receivable(-120, yuan(100), &[(-119, yuan(100))]));
        let decision = check(
            &customer(total, receivables),
            RiskTier::Blue,
            "on-time rate 95.00 % over the last 6 months",
        );
        assert_eq!(decision.on_time_rate_percent, Some(Decimal::from(95)));

        // 197 due, 10 paid a day late: 94.92 %, 10 cumulative days.
        let mut receivables: Vec<ReceivableFacts> = (0..187)
            .map(|i| receivable(-1 - i % 150, yuan(100), &[(-1 - i % 150, yuan(100))]))
            .collect();
        receivables.extend(
            (0..10).map(|i| receivable(-20 - i * 10, yuan(100), &[(-19 - i * 10, yuan(100))])),
        );
        let decision = check(
            &customer(total, receivables),
            RiskTier::Yellow,
            "on-time rate 94.92 % over the last 6 months is below 95.00 %",
        );
        assert_eq!(decision.reasons.len(), 1);
        assert_eq!(decision.cumulative_overdue_days, 10);

        // Exactly 94.9 % (949 of 1000), with the day rule relaxed so only the rate speaks.
        let mut receivables: Vec<ReceivableFacts> = (0..949)
            .map(|i| receivable(-1 - i % 170, yuan(1), &[(-1 - i % 170, yuan(1))]))
            .collect();
        receivables.extend((0..51).map(|i| receivable(-2 - i, yuan(1), &[(-1 - i, yuan(1))])));
        let relaxed = TierThresholds {
            red_cumulative_overdue_days: 1000,
            ..TierThresholds::default()
        };
        let decision = risk_tier(&customer(total, receivables), &relaxed, today());
        assert_eq!(decision.tier, RiskTier::Yellow);
        assert_eq!(decision.on_time_rate_percent, Some(Decimal::new(949, 1)));
    }

    #[test]
    fn the_on_time_window_is_six_calendar_months() {
        let total = yuan(100_000);
        // Due 2025-12-30 (exactly six months before 2026-06-30) is outside, a day later inside.
        let outside = receivable(0, yuan(100), &[]);
        let outside = ReceivableFacts {
            due_date: NaiveDate::from_ymd_opt(2025, 12, 30).unwrap(),
            paid: vec![(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), yuan(100))],
            ..outside
        };
        let decision = check(
            &customer(total, vec![outside.clone()]),
            RiskTier::Blue,
            "no receivable fell due",
        );
        assert_eq!(decision.on_time_rate_percent, None);
        let inside = ReceivableFacts {
            due_date: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            paid: vec![(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), yuan(100))],
            ..outside
        };
        let decision = check(
            &customer(total, vec![inside]),
            RiskTier::Yellow,
            "on-time rate 0.00 %",
        );
        assert_eq!(decision.on_time_rate_percent, Some(Decimal::ZERO));
    }

    #[test]
    fn litigation_alone_is_red() {
        let mut facts = customer(
            yuan(10_000),
            vec![receivable(-10, yuan(1000), &[(-10, yuan(1000))])],
        );
        assert_eq!(
            risk_tier(&facts, &TierThresholds::default(), today()).tier,
            RiskTier::Blue
        );
        facts.litigation = true;
        let decision = check(
            &facts,
            RiskTier::Red,
            "litigation or arbitration is flagged",
        );
        assert_eq!(decision.reasons.len(), 1);
        assert_eq!(decision.cumulative_overdue_days, 0);
    }

    #[test]
    fn three_to_seven_days_overdue_is_the_typical_yellow() {
        for days in 3..=7 {
            let facts = customer(yuan(100_000), vec![receivable(-days, yuan(2000), &[])]);
            let decision = check(
                &facts,
                RiskTier::Yellow,
                &format!("1 receivable(s) overdue, the longest by {days} days"),
            );
            assert_eq!(decision.overdue_amount, yuan(2000));
            assert_eq!(decision.overdue_share_percent, Decimal::from(2));
            assert!(decision.tier.freezes_new_contracts());
        }
    }

    #[test]
    fn nothing_overdue_and_on_time_is_blue() {
        let facts = customer(
            yuan(100_000),
            vec![
                receivable(-40, yuan(1000), &[(-41, yuan(1000))]),
                receivable(-10, yuan(1000), &[(-10, yuan(1000))]),
                // Due today and unpaid is not late yet, and does not count for the rate.
                receivable(0, yuan(1000), &[]),
                receivable(30, yuan(1000), &[]),
            ],
        );
        let decision = check(
            &facts,
            RiskTier::Blue,
            "on-time rate 100.00 % over the last 6 months",
        );
        assert!(!decision.tier.freezes_new_contracts());
        assert_eq!(decision.on_time_rate_percent, Some(Decimal::ONE_HUNDRED));
        // No receivables at all.
        check(
            &customer(yuan(0), vec![]),
            RiskTier::Blue,
            "nothing is overdue",
        );
    }

    #[test]
    fn a_partial_payment_leaves_the_rest_overdue() {
        let total = yuan(10_000);
        // 9 500 of 10 000 paid before the due date: 500 overdue (5 %), yellow.
        let mostly = customer(
            total,
            vec![receivable(-4, yuan(10_000), &[(-6, yuan(9_500))])],
        );
        let decision = check(
            &mostly,
            RiskTier::Yellow,
            "overdue amount 500.00 CNY is 5.00 %",
        );
        assert_eq!(decision.overdue_amount, yuan(500));
        // Only half paid: 5 000 overdue is 50 % → red on day one.
        let half = customer(
            total,
            vec![receivable(-1, yuan(10_000), &[(-6, yuan(5_000))])],
        );
        check(
            &half,
            RiskTier::Red,
            "overdue amount 5000.00 CNY is 50.00 %",
        );
        // The rest paid three days late: nothing overdue, late on the rate.
        let settled = customer(
            total,
            vec![receivable(
                -4,
                yuan(10_000),
                &[(-6, yuan(9_500)), (-1, yuan(500))],
            )],
        );
        let decision = check(&settled, RiskTier::Yellow, "on-time rate 0.00 %");
        assert_eq!(decision.cumulative_overdue_days, 3);
        assert_eq!(decision.overdue_amount, yuan(0));
    }

    #[test]
    fn red_is_checked_first_and_lists_every_red_reason() {
        let mut facts = customer(yuan(1000), vec![receivable(-20, yuan(500), &[])]);
        facts.litigation = true;
        let decision = check(&facts, RiskTier::Red, "litigation");
        assert_eq!(decision.reasons.len(), 3, "{:?}", decision.reasons);
    }

    #[test]
    fn tiers_round_trip_and_thresholds_validate() {
        for tier in RiskTier::ALL {
            assert_eq!(RiskTier::parse(tier.as_str()).unwrap(), tier);
        }
        assert!(RiskTier::parse("GREEN").is_err());
        assert!(RiskTier::Red.severity() > RiskTier::Yellow.severity());
        assert!(RiskTier::Yellow.severity() > RiskTier::Blue.severity());
        assert_eq!(TierThresholds::default().validate(), Ok(()));
        let bad = TierThresholds {
            red_overdue_share_percent: Decimal::ZERO,
            on_time_rate_percent: Decimal::from(101),
            window_months: 0,
            cumulative_window_days: 0,
            ..TierThresholds::default()
        };
        assert_eq!(bad.validate().unwrap_err().len(), 4);
        let fields = |thresholds: TierThresholds| -> Vec<String> {
            thresholds.validate().err().unwrap_or_default().into_iter().map(|error| error.field).collect()
        };
        assert_eq!(
            fields(TierThresholds {
                red_cumulative_overdue_days: 3661,
                red_overdue_share_percent: Decimal::new(9_999, 3),
                ..TierThresholds::default()
            }),
            ["redCumulativeOverdueDays", "redOverdueSharePercent"]
        );
        // Trailing zeros are not places: 9.50 is 9.5.
        let fine = TierThresholds {
            red_cumulative_overdue_days: 0,
            red_overdue_share_percent: Decimal::new(950, 2),
            on_time_rate_percent: Decimal::new(9_999, 2),
            window_months: 120,
            cumulative_window_days: 3660,
        };
        assert_eq!(fine.validate(), Ok(()));
    }

    #[test]
    fn a_lower_red_day_count_turns_the_same_facts_red() {
        // Five days overdue on 5 % of the total: yellow by default.
        let facts = customer(yuan(100_000), vec![receivable(-5, yuan(5_000), &[])]);
        let default = check(&facts, RiskTier::Yellow, "overdue");
        assert_eq!(default.cumulative_overdue_days, 5);
        let strict = TierThresholds { red_cumulative_overdue_days: 4, ..TierThresholds::default() };
        let decision = risk_tier(&facts, &strict, today());
        assert_eq!(decision.tier, RiskTier::Red);
        assert!(decision.reasons[0].contains("exceed 4"), "{:?}", decision.reasons);
        let share = TierThresholds { red_overdue_share_percent: Decimal::from(5), ..TierThresholds::default() };
        assert_eq!(risk_tier(&facts, &share, today()).tier, RiskTier::Red, "5 % is at least 5 %");
        let share = TierThresholds { red_overdue_share_percent: Decimal::new(501, 2), ..TierThresholds::default() };
        assert_eq!(risk_tier(&facts, &share, today()).tier, RiskTier::Yellow);
    }

    #[test]
    fn an_overdue_share_rises_from_nothing_but_not_to_nothing() {
        let percent = |value: i64| Some(Decimal::from(value));
        assert!(overdue_share_rose(percent(40), percent(56)));
        assert!(!overdue_share_rose(percent(25), percent(25)));
        assert!(!overdue_share_rose(percent(25), percent(6)));
        assert!(overdue_share_rose(None, percent(10)), "nothing outstanding before counts as 0 %");
        assert!(!overdue_share_rose(None, percent(0)));
        assert!(!overdue_share_rose(percent(10), None), "nothing outstanding now is not a rise");
        assert_eq!(mean_days(59, 2), Some(Decimal::new(295, 1)));
        assert_eq!(mean_days(0, 0), None);
    }

    #[test]
    fn forecast_shrinks_the_customer_mean_toward_the_industry() {
        let settings = ForecastSettings::default();
        let due = day(20);
        // Fewer than three payments: the industry mean alone.
        assert_eq!(
            predicted_payment_date(due, &[40, 40], Decimal::from(4), &settings),
            day(24)
        );
        // (10 + 10 + 10 + 3 × 4) ÷ 6 = 7.
        assert_eq!(
            expected_days_late(&[10, 10, 10], Decimal::from(4), &settings),
            Decimal::from(7)
        );
        assert_eq!(
            predicted_payment_date(due, &[10, 10, 10], Decimal::from(4), &settings),
            day(27)
        );
        // Halves round to the later day: 3 ÷ 6 = 0.5 → 1; −0.5 → 0.
        assert_eq!(
            predicted_payment_date(due, &[1, 1, 1], Decimal::ZERO, &settings),
            day(21)
        );
        assert_eq!(
            predicted_payment_date(due, &[-1, -1, -1], Decimal::ZERO, &settings),
            due
        );
        // 1.4 → 1, 1.6 → 2.
        assert_eq!(
            predicted_payment_date(due, &[], Decimal::new(14, 1), &settings),
            day(21)
        );
        assert_eq!(
            predicted_payment_date(due, &[], Decimal::new(16, 1), &settings),
            day(22)
        );
        // Early payers are predicted early, but not more than 30 days.
        assert_eq!(
            predicted_payment_date(due, &[-6, -6, -6], Decimal::ZERO, &settings),
            day(17)
        );
        assert_eq!(
            predicted_payment_date(due, &[-100; 5], Decimal::from(-100), &settings),
            day(-10)
        );
        assert_eq!(mean_days_late(&[1, 2, 3, 4]), Some(Decimal::new(25, 1)));
        assert_eq!(mean_days_late(&[]), None);
    }

    #[test]
    fn warnings_go_out_fifteen_days_ahead_and_flag_likely_late() {
        let due = day(15);
        assert_eq!(collection_warning_date(due), today());
        assert!(!collection_warning_due(due, day(-1)));
        assert!(collection_warning_due(due, today()));
        assert!(collection_warning_due(due, due));
        assert!(!collection_warning_due(due, day(16)));
        assert!(likely_late(day(16), due));
        assert!(!likely_late(due, due));
        assert!(!likely_late(day(14), due));
    }

    #[test]
    fn collection_metrics() {
        // 300 000 outstanding after signing 900 000 over 90 days: 30 days.
        assert_eq!(
            days_sales_outstanding(&yuan(300_000), &yuan(900_000), 90),
            Some(Decimal::from(30))
        );
        assert_eq!(days_sales_outstanding(&yuan(300_000), &yuan(0), 90), None);
        let firsts = [
            receivable(-30, yuan(100), &[(-30, yuan(100))]),
            receivable(-20, yuan(100), &[(-19, yuan(100))]),
            receivable(-10, yuan(100), &[]),
            receivable(-5, yuan(100), &[(-6, yuan(100))]),
            receivable(10, yuan(100), &[]),
        ];
        assert_eq!(
            first_instalment_on_time_rate(&firsts, today()),
            Some(Decimal::from(50))
        );
        assert_eq!(first_instalment_on_time_rate(&firsts[4..], today()), None);
        // 100 overdue of 200 outstanding (one overdue, one not yet due).
        assert_eq!(
            overdue_share_percent(&firsts, Currency::CNY, today()),
            Some(Decimal::from(50))
        );
        assert_eq!(
            overdue_share_percent(&firsts[..2], Currency::CNY, today()),
            None
        );
    }

    fn arbitrary_receivable() -> impl Strategy<Value = ReceivableFacts> {
        (-420i64..60, 1i64..1_000_000, 0u8..3, -30i64..60).prop_map(
            |(due, amount, kind, paid_after)| {
                let amount = fen(amount);
                let paid = match kind {
                    0 => vec![],
                    1 => vec![(day(due + paid_after), amount)],
                    _ => vec![(day(due + paid_after), fen(amount.to_minor_units() / 2))],
                };
                ReceivableFacts {
                    due_date: day(due),
                    amount,
                    paid,
                }
            },
        )
    }

    fn arbitrary_customer() -> impl Strategy<Value = CustomerRiskFacts> {
        (
            proptest::collection::vec(arbitrary_receivable(), 0..8),
            any::<bool>(),
            0i64..20_000_000,
        )
            .prop_map(|(receivables, litigation, total)| CustomerRiskFacts {
                receivables,
                litigation,
                total_contract_amount: fen(total),
            })
    }

    proptest! {
        #[test]
        fn instalments_validate_exactly_when_they_sum_to_the_amount(
            amounts in proptest::collection::vec(1i64..1_000_000_000, 1..12),
            gaps in proptest::collection::vec(1i64..90, 12),
            delta in -1_000_000i64..1_000_000,
        ) {
            let plan: Vec<(NaiveDate, Money)> = amounts
                .iter()
                .zip(gaps.iter().scan(0, |at, gap| { *at += gap; Some(*at) }))
                .map(|(amount, at)| (day(at), fen(*amount)))
                .collect();
            let sum: i64 = amounts.iter().sum();
            prop_assert_eq!(validate_instalments(&fen(sum), &plan, Some(day(0))), Ok(()));
            prop_assume!(delta != 0 && sum + delta >= 0);
            let errors = validate_instalments(&fen(sum + delta), &plan, Some(day(0))).unwrap_err();
            prop_assert_eq!(errors.len(), 1);
            prop_assert_eq!(errors[0].field.as_str(), "instalments");
        }

        #[test]
        fn the_prediction_lies_between_the_customer_and_industry_means(
            history in proptest::collection::vec(-60i64..200, 3..20),
            industry_cents in -3000i64..20_000,
        ) {
            let settings = ForecastSettings::default();
            let industry = Decimal::new(industry_cents, 2);
            let customer_mean = mean_days_late(&history).unwrap();
            let floor = -i64::from(settings.max_days_early);
            let low = customer_mean.min(industry).floor().to_i64().unwrap().max(floor);
            let high = customer_mean.max(industry).ceil().to_i64().unwrap().max(floor);
            let due = day(0);
            let predicted = (predicted_payment_date(due, &history, industry, &settings) - due).num_days();
            prop_assert!(low <= predicted && predicted <= high, "{} not in [{}, {}]", predicted, low, high);
        }

        #[test]
        fn adding_overdue_days_never_improves_the_tier(
            facts in arbitrary_customer(),
            pick in any::<prop::sample::Index>(),
            delay in 1i64..60,
            extra_due in -400i64..0,
        ) {
            let thresholds = TierThresholds::default();
            let before = risk_tier(&facts, &thresholds, today());
            // Pay one receivable later.
            if !facts.receivables.is_empty() {
                let mut later = facts.clone();
                let index = pick.index(later.receivables.len());
                for payment in &mut later.receivables[index].paid {
                    payment.0 += chrono::Duration::days(delay);
                }
                let after = risk_tier(&later, &thresholds, today());
                prop_assert!(after.tier.severity() >= before.tier.severity(), "{:?} → {:?}", before, after);
                prop_assert!(after.cumulative_overdue_days >= before.cumulative_overdue_days);
            }
            // Add an unpaid receivable past its due date.
            let mut more = facts.clone();
            more.receivables.push(receivable(extra_due, fen(100), &[]));
            let after = risk_tier(&more, &thresholds, today());
            prop_assert!(after.tier.severity() >= before.tier.severity(), "{:?} → {:?}", before, after);
        }

        #[test]
        fn payments_up_to_the_outstanding_are_accepted(r in arbitrary_receivable(), amount in 1i64..2_000_000) {
            let outstanding = r.outstanding().to_minor_units();
            let result = check_payment(&r, &fen(amount));
            prop_assert_eq!(result.is_ok(), amount <= outstanding);
            prop_assert_eq!(r.paid_total().to_minor_units() + outstanding, r.amount.to_minor_units());
        }
    }

    proptest! {
        #[test]
        fn aggregate_history_predicts_like_the_individual_delays(
            history in proptest::collection::vec(-60i64..200, 0..20),
            industry_cents in -3000i64..20_000,
        ) {
            let settings = ForecastSettings::default();
            let industry = Decimal::new(industry_cents, 2);
            let aggregate = DelayHistory { paid: history.len() as u64, total_delay_days: history.iter().sum() };
            prop_assert_eq!(aggregate.mean(), mean_days_late(&history));
            prop_assert_eq!(
                expected_days_late_from_history(aggregate, industry, &settings),
                expected_days_late(&history, industry, &settings)
            );
            prop_assert_eq!(
                predicted_payment_date_from_history(day(0), aggregate, industry, &settings),
                predicted_payment_date(day(0), &history, industry, &settings)
            );
        }
    }
}
