//! An org's customers and everything that happens with them: contacts,
//! deals with their stage transitions, activities and reassignments,
//! tickets, contracts, receivables, payments and risk tiers.
//!
//! Each customer draws from its own random stream, so its rows depend only
//! on the seed, the org and its number. Tickets are numbered per org and
//! kind in order of creation once the org is complete, as the application's
//! counters would have numbered them.

use std::collections::BTreeMap;

use dealdesk_domain::{
    is_follow_up_overdue, is_stuck, normalize_company_name, ticket_code, CreditCode, RequirementType, Role, TicketKind, TicketStatus,
};
use dealdesk_persistence::entities::{activities, contacts, customers, deal_assignments, deal_transitions, deals, ticket_counters, ticket_events, tickets};
use uuid::Uuid;

use crate::deals::{is_closed, move_metrics, simulate_path, DEMO, LEAD, LOST, NEEDS_CONFIRMED, NEGOTIATION, QUOTE, WON};
use crate::org::{person_name, OrgContext, STAGE_KEYS};
use crate::receivables::{self, ContractPlan};
use crate::rng::Rng;
use crate::sink::Sink;
use crate::tickets::{StepActor, TicketClock};
use crate::time::{at, local_date, uuid_at, working_moment, Instant, DAY, HOUR, MINUTE};
use crate::vocab::{
    City, BACKDATE_REASONS, BLOCK_REASONS, BRANDS, CITIES, COMPANY_SIZES, CONTACT_TITLES, DOCUMENTS, INDUSTRIES, LOST_REASONS, NEEDS, PRODUCT_LINES,
    REACTIONS, REJECT_REASONS, SOURCES, SUFFIXES, TOPICS,
};
use crate::SeedError;

/// How far back deals go.
const HISTORY_DAYS: i64 = 540;
/// Share of deals handed to another rep once.
const REASSIGNED: f64 = 0.04;
/// Share of eligible open deals left without any sign of life (E1).
const STUCK: f64 = 0.03;
/// Share of open deals whose follow-up passed with nothing logged since (E2).
const OVERDUE: f64 = 0.08;

/// Figures about the generated pipeline, checked with the application's own rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PipelineStats {
    /// Deals still open at the as-of moment.
    pub open_deals: u64,
    /// Open deals the stuck rule (E1) matches at the as-of moment.
    pub stuck_deals: u64,
    /// Open deals whose follow-up is overdue (E2) at the as-of moment.
    pub overdue_follow_ups: u64,
    /// Won deals.
    pub won_deals: u64,
    /// Lost deals.
    pub lost_deals: u64,
    /// Customers in each risk tier (red, yellow) at the as-of moment.
    pub red_customers: u64,
    /// Customers in the yellow tier.
    pub yellow_customers: u64,
}

/// A bijection of `[0, n)` (`i ↦ a·i + b mod n` with `a` coprime to `n`), so
/// customer numbers map to distinct names and credit codes.
#[derive(Clone, Copy, Debug)]
pub struct Shuffle {
    a: u128,
    b: u128,
    n: u128,
}

impl Shuffle {
    /// A random bijection of `[0, n)`.
    pub fn new(rng: &mut Rng, n: u64) -> Shuffle {
        let gcd = |mut x: u64, mut y: u64| {
            while y != 0 {
                (x, y) = (y, x % y);
            }
            x
        };
        let mut a = 1 + rng.below(n.max(2) - 1);
        while gcd(a, n) != 1 {
            a = 1 + rng.below(n.max(2) - 1);
        }
        Shuffle { a: u128::from(a), b: u128::from(rng.below(n)), n: u128::from(n.max(1)) }
    }

    /// The image of `i`.
    pub fn apply(&self, i: u64) -> u64 {
        ((self.a * u128::from(i) + self.b) % self.n) as u64
    }
}

/// A company name's parts.
struct Combo {
    city: &'static City,
    brand: &'static str,
    industry: usize,
    word: &'static str,
}

/// Every industry word with its industry.
fn industry_words() -> Vec<(usize, &'static str)> {
    INDUSTRIES.iter().enumerate().flat_map(|(index, industry)| industry.words.iter().map(move |word| (index, *word))).collect()
}

fn combos() -> u64 {
    (CITIES.len() * BRANDS.len() * industry_words().len()) as u64
}

/// An org's customers: who owns each, how many deals each has, and the
/// shuffles that give each a distinct name and credit code.
pub struct OrgPlan {
    words: Vec<(usize, &'static str)>,
    names: Shuffle,
    codes: Shuffle,
    /// Owner (index into `People::persons`) of each customer.
    pub owners: Vec<usize>,
    /// Deals of each customer; they sum to the preset's deal count.
    pub deal_counts: Vec<u32>,
}

impl OrgPlan {
    /// Plans `customers` customers and `deals` deals for an org.
    pub fn new(ctx: &OrgContext, customers: u32, deals: u32) -> Result<OrgPlan, SeedError> {
        let mut rng = Rng::derive(ctx.seed, &[u64::from(ctx.number), 1]);
        let words = industry_words();
        if u64::from(customers) > combos() {
            return Err(SeedError::Generator(format!("at most {} customers per org have distinct names", combos())));
        }
        let names = Shuffle::new(&mut rng, combos());
        let codes = Shuffle::new(&mut rng, 31u64.pow(9));
        let people = &ctx.people;
        let weights: Vec<f64> = people.reps.iter().map(|rep| people.get(*rep).weight).collect();
        let mut by_region: BTreeMap<&str, (Vec<usize>, Vec<f64>)> = BTreeMap::new();
        for (rep, weight) in people.reps.iter().zip(&weights) {
            if let Some(team) = people.get(*rep).team {
                let entry = by_region.entry(people.teams[team].region).or_default();
                entry.0.push(*rep);
                entry.1.push(*weight);
            }
        }
        let mut plan = OrgPlan { words, names, codes, owners: Vec::with_capacity(customers as usize), deal_counts: Vec::new() };
        for index in 0..u64::from(customers) {
            let region = plan.combo(index).city.region;
            let owner = match by_region.get(region) {
                Some((reps, weights)) if rng.chance(0.85) => reps[rng.weighted(weights)],
                _ => people.reps[rng.weighted(&weights)],
            };
            plan.owners.push(owner);
        }
        // Every customer has a deal; the rest follow a skewed appetite, summing exactly.
        let extra = u64::from(deals.saturating_sub(customers));
        let appetite: Vec<f64> = (0..customers).map(|_| rng.log_normal(1.0, 0.9)).collect();
        let total: f64 = appetite.iter().sum();
        let mut counts: Vec<u32> = Vec::with_capacity(customers as usize);
        let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(customers as usize);
        let mut assigned = 0u64;
        for (index, share) in appetite.iter().enumerate() {
            let exact = share / total * extra as f64;
            let whole = exact.floor();
            assigned += whole as u64;
            counts.push(1 + whole as u32);
            remainders.push((exact - whole, index));
        }
        remainders.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for (_, index) in remainders.iter().take(extra.saturating_sub(assigned) as usize) {
            counts[*index] += 1;
        }
        plan.deal_counts = counts;
        Ok(plan)
    }

    fn combo(&self, customer: u64) -> Combo {
        let value = self.names.apply(customer) as usize;
        let city = &CITIES[value % CITIES.len()];
        let rest = value / CITIES.len();
        let brand = BRANDS[rest % BRANDS.len()];
        let (industry, word) = self.words[(rest / BRANDS.len()) % self.words.len()];
        Combo { city, brand, industry, word }
    }

    /// A valid, org-unique unified social credit code for a customer.
    fn credit_code(&self, customer: u64, division: &str) -> Result<String, SeedError> {
        const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut value = self.codes.apply(customer);
        let mut body = [b'0'; 9];
        for slot in body.iter_mut().rev() {
            *slot = CHARSET[(value % 31) as usize];
            value /= 31;
        }
        let first17 = format!("91{division}{}", String::from_utf8_lossy(&body));
        let check = CreditCode::check_char(&first17).ok_or_else(|| SeedError::Generator(format!("no check character for {first17}")))?;
        Ok(CreditCode::parse(&format!("{first17}{check}")).map_err(|error| SeedError::Generator(error.message.to_string()))?.as_str().to_string())
    }
}

/// A contact of the customer being generated.
#[derive(Clone, Debug)]
struct Contact {
    id: Uuid,
    name: String,
    role: &'static str,
}

/// A ticket waiting for its number.
pub struct PendingTicket {
    /// The row, with `number` and `code` still empty.
    pub row: tickets::Model,
    kind: TicketKind,
}

/// What the generator of one org accumulates across its customers.
pub struct OrgOutput {
    /// Tickets, numbered when the org is done.
    pub tickets: Vec<PendingTicket>,
    /// Pipeline figures.
    pub stats: PipelineStats,
}

/// Writes the org's tickets, numbered per kind in order of creation, and the counters after them.
pub fn finish_tickets(ctx: &OrgContext, mut pending: Vec<PendingTicket>, sink: &mut Sink) -> Result<(), SeedError> {
    pending.sort_by(|x, y| x.row.created_at.cmp(&y.row.created_at).then(x.row.id.cmp(&y.row.id)));
    let mut numbers: BTreeMap<&'static str, i64> = BTreeMap::new();
    for ticket in &mut pending {
        let number = numbers.entry(ticket.kind.as_str()).or_insert(0);
        *number += 1;
        ticket.row.number = *number;
        ticket.row.code = ticket_code(ticket.kind, *number);
        sink.put(&ticket.row)?;
    }
    for (kind, last_number) in numbers {
        sink.put(&ticket_counters::Model { org_id: ctx.id, kind: kind.to_string(), last_number })?;
    }
    Ok(())
}

/// The moment a deal's life is cut at for a stuck, overdue or healthy ending.
enum Ending {
    /// Closed: nothing special.
    Closed,
    /// Open, worked recently, follow-up ahead.
    Healthy,
    /// Open, last logged a while ago with a follow-up that has passed.
    Overdue,
    /// Open with no sign of life since before the stage's threshold.
    Stuck,
}

/// One generated activity.
struct Activity {
    occurred: Instant,
    follow_up: Option<Instant>,
}

/// Generates one customer with everything about it.
pub struct CustomerGenerator<'a> {
    ctx: &'a OrgContext,
    plan: &'a OrgPlan,
    out: &'a mut OrgOutput,
    rng: Rng,
    index: u64,
}

impl<'a> CustomerGenerator<'a> {
    /// The generator of customer `index` of the org.
    pub fn new(ctx: &'a OrgContext, plan: &'a OrgPlan, out: &'a mut OrgOutput, index: u64) -> Self {
        let rng = Rng::derive(ctx.seed, &[u64::from(ctx.number), 2, index]);
        CustomerGenerator { ctx, plan, out, rng, index }
    }

    /// A moment between `low` and `high`, drawn toward `high` (the business grows).
    fn recent_between(&mut self, low: Instant, high: Instant) -> Instant {
        if high <= low {
            return low;
        }
        let position = self.rng.unit().sqrt();
        low + ((high - low) as f64 * position) as i64
    }

    /// Writes the customer, its contacts, deals and money.
    pub fn run(mut self, sink: &mut Sink) -> Result<(), SeedError> {
        let ctx = self.ctx;
        let as_of = ctx.as_of;
        let owner_index = self.plan.owners[self.index as usize];
        let owner = ctx.people.get(owner_index);
        let combo = self.plan.combo(self.index);
        let industry = &INDUSTRIES[combo.industry];
        let suffix_weights: Vec<f64> = SUFFIXES.iter().map(|(_, share)| *share).collect();
        let suffix = SUFFIXES[self.rng.weighted(&suffix_weights)].0;
        let name = format!("{}{}{}{}", combo.city.name, combo.brand, combo.word, suffix);
        let history_start = as_of - HISTORY_DAYS * DAY;
        let created = working_moment(self.recent_between(history_start.max(owner.joined + DAY), as_of - 3 * DAY), &mut self.rng).min(as_of - 2 * DAY);
        let customer_id = uuid_at(created, &mut self.rng);
        let size_weights: Vec<f64> = COMPANY_SIZES.iter().map(|(_, share)| *share).collect();
        sink.put(&customers::Model {
            id: customer_id,
            org_id: ctx.id,
            name: name.clone(),
            normalized_name: normalize_company_name(&name),
            credit_code: Some(self.plan.credit_code(self.index, combo.city.division)?),
            industry: Some(industry.name.to_string()),
            region: Some(combo.city.region.to_string()),
            size: Some(COMPANY_SIZES[self.rng.weighted(&size_weights)].0.to_string()),
            owner_id: owner.id,
            created_by: owner.id,
            created_at: at(created),
            updated_at: at(created),
        })?;

        let contact_count = 1 + self.rng.poisson(1.0).min(3);
        let mut customer_contacts = Vec::new();
        for _ in 0..contact_count {
            let contact_created = created + self.rng.range(MINUTE, 2 * HOUR);
            let (title, role) = *self.rng.pick(&CONTACT_TITLES);
            let contact = Contact { id: uuid_at(contact_created, &mut self.rng), name: person_name(&mut self.rng), role };
            sink.put(&contacts::Model {
                id: contact.id,
                org_id: ctx.id,
                customer_id,
                name: contact.name.clone(),
                title: Some(title.to_string()),
                phone: Some(format!("1{}{:09}", self.rng.range(3, 10), self.rng.below(1_000_000_000))),
                email: self.rng.chance(0.4).then(|| format!("contact{}@{}", self.rng.below(100_000), "example.cn")),
                decision_role: Some(role.to_string()),
                created_by: owner.id,
                created_at: at(contact_created),
            })?;
            customer_contacts.push(contact);
        }

        // A few notes about the customer itself, outside any deal.
        for _ in 0..self.rng.poisson(0.3) {
            let occurred = working_moment(self.rng.range(created + HOUR, as_of - HOUR), &mut self.rng).min(as_of - HOUR);
            let text = format!("客户层面沟通：{}。", self.rng.pick(&REACTIONS));
            self.put_activity(sink, None, customer_id, &customer_contacts, owner.id, occurred, None, text)?;
        }

        let mut contracts: Vec<ContractPlan> = Vec::new();
        for _ in 0..self.plan.deal_counts[self.index as usize] {
            let deal_created = working_moment(self.rng.range(created + HOUR, as_of - HOUR), &mut self.rng).min(as_of - HOUR);
            if let Some(contract) = self.deal(sink, customer_id, &customer_contacts, owner_index, deal_created)? {
                contracts.push(contract);
            }
        }
        let mut rng = Rng::derive(ctx.seed, &[u64::from(ctx.number), 3, self.index]);
        let risk = receivables::write_money(ctx, &mut rng, sink, (customer_id, &name), industry, owner_index, &contracts)?;
        match risk.tier {
            Some(dealdesk_domain::RiskTier::Red) => self.out.stats.red_customers += 1,
            Some(dealdesk_domain::RiskTier::Yellow) => self.out.stats.yellow_customers += 1,
            _ => {}
        }
        self.out.tickets.extend(risk.tickets);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn put_activity(&mut self, sink: &mut Sink, deal: Option<Uuid>, customer: Uuid, contacts: &[Contact], author: Uuid, occurred: Instant, follow_up: Option<Instant>, text: String) -> Result<Instant, SeedError> {
        let late = self.rng.chance(0.03);
        let recorded = if late { occurred + self.rng.range(25 * HOUR, 72 * HOUR) } else { occurred + self.rng.range(MINUTE, 2 * HOUR) };
        let recorded = recorded.min(self.ctx.as_of).max(occurred);
        let backdate_reason = (recorded - occurred > 24 * HOUR).then(|| self.rng.pick(&BACKDATE_REASONS).to_string());
        const KINDS: [&str; 6] = ["CALL", "CHAT", "VISIT", "MEETING", "EMAIL", "NOTE"];
        const SHARES: [f64; 6] = [0.32, 0.22, 0.14, 0.12, 0.12, 0.08];
        let kind = KINDS[self.rng.weighted(&SHARES)];
        let contact = (!contacts.is_empty() && self.rng.chance(0.9)).then(|| contacts[self.rng.index(contacts.len())].clone());
        let who = contact.as_ref().map_or("客户", |contact| contact.name.as_str());
        let text = if text.is_empty() { activity_text(&mut self.rng, kind, who) } else { text };
        sink.put(&activities::Model {
            id: uuid_at(recorded, &mut self.rng),
            org_id: self.ctx.id,
            deal_id: deal,
            customer_id: customer,
            contact_id: contact.map(|contact| contact.id),
            kind: kind.to_string(),
            text,
            occurred_at: at(occurred),
            recorded_at: at(recorded),
            next_follow_up_at: follow_up.map(at),
            backdate_reason,
            author_kind: "USER".into(),
            author_id: Some(author),
        })?;
        Ok(recorded)
    }

    /// One deal with its history; returns its contract when it has one.
    fn deal(&mut self, sink: &mut Sink, customer: Uuid, contacts: &[Contact], owner0: usize, created: Instant) -> Result<Option<ContractPlan>, SeedError> {
        let ctx = self.ctx;
        let as_of = ctx.as_of;
        let people = &ctx.people;
        let path = simulate_path(&mut self.rng, created, as_of);
        let last = *path.last().ok_or_else(|| SeedError::Generator("empty deal path".into()))?;
        let closed_at = is_closed(last.stage).then_some(last.at);
        let id = uuid_at(created, &mut self.rng);

        // Who created it, who owns it when.
        let source_weights: Vec<f64> = SOURCES.iter().map(|(_, share, _)| *share).collect();
        let (source, by_marketing) = {
            let (source, _, marketing) = SOURCES[self.rng.weighted(&source_weights)];
            (source, marketing && self.rng.chance(0.6) && !people.marketing.is_empty())
        };
        let creator = if by_marketing { people.marketing[self.rng.index(people.marketing.len())] } else { owner0 };
        let life_end = closed_at.unwrap_or(as_of);
        let reassignment = if self.rng.chance(REASSIGNED) {
            let when = working_moment(created + (life_end - created) / 10 + self.rng.range(0, ((life_end - created) * 8 / 10).max(1)), &mut self.rng);
            let team = people.get(owner0).team.map(|team| &people.teams[team]);
            let candidates: Vec<usize> = team.map_or(Vec::new(), |team| team.reps.iter().copied().filter(|rep| *rep != owner0 && people.get(*rep).joined < when).collect());
            (when < life_end && !candidates.is_empty()).then(|| (when, candidates[self.rng.index(candidates.len())]))
        } else {
            None
        };
        let owner_at = |moment: Instant| match reassignment {
            Some((when, to)) if moment >= when => to,
            _ => owner0,
        };

        // What it is about.
        let product_weights: Vec<f64> = PRODUCT_LINES.iter().map(|line| line.share).collect();
        let product = &PRODUCT_LINES[self.rng.weighted(&product_weights)];
        let amount_cents = ((self.rng.log_normal(product.median_yuan, 0.7) / 1_000.0).round().max(10.0) as i64) * 1_000 * 100;
        let amount_known_at_creation = self.rng.chance(0.55);
        let main_need = *self.rng.pick(&NEEDS);
        let main_contact = contacts[self.rng.index(contacts.len())].clone();
        let customer_name = {
            let combo = self.plan.combo(self.index);
            format!("{}{}", combo.brand, combo.word)
        };
        let title = format!("{customer_name}{}", product.project);

        // How an open deal ends at the as-of moment.
        let stuck_hours = |stage: usize| i64::from(ctx.stuck_hours(stage).unwrap_or(72));
        let ending = if closed_at.is_some() {
            Ending::Closed
        } else if last.at < as_of - (stuck_hours(last.stage) + 24) * HOUR && self.rng.chance(STUCK) {
            Ending::Stuck
        } else if self.rng.chance(OVERDUE) {
            Ending::Overdue
        } else {
            Ending::Healthy
        };

        // Each move after creation sets a follow-up (the open stages' gate), in office hours.
        let move_follow_ups: Vec<Option<Instant>> = path
            .iter()
            .enumerate()
            .map(|(index, entry)| (index > 0 && !is_closed(entry.stage)).then(|| working_moment(entry.at + self.rng.range(DAY, 7 * DAY), &mut self.rng)))
            .collect();

        // Activities: a Poisson number per stage visit, in office hours.
        let mut logged: Vec<Activity> = Vec::new();
        for (index, entry) in path.iter().enumerate() {
            if is_closed(entry.stage) {
                continue;
            }
            let mut end = path.get(index + 1).map_or(as_of, |next| next.at);
            if index + 1 == path.len() {
                end = match ending {
                    Ending::Stuck => (as_of - (stuck_hours(entry.stage) * HOUR + self.rng.range(12 * HOUR, 25 * DAY))).min(end),
                    Ending::Overdue => as_of - 60 * HOUR,
                    Ending::Healthy => as_of - 40 * HOUR,
                    Ending::Closed => end,
                };
            }
            if end <= entry.at + MINUTE {
                continue;
            }
            let dwell_days = (end - entry.at) as f64 / DAY as f64;
            let count = self.rng.poisson(0.25 + dwell_days * 0.16).min(12);
            let mut times: Vec<Instant> = (0..count).map(|_| self.rng.range(entry.at + MINUTE, end)).collect();
            times.sort_unstable();
            for raw in times {
                let moved = working_moment(raw, &mut self.rng);
                let occurred = if moved < end { moved } else { raw };
                let follow_up = self.rng.chance(0.55).then(|| working_moment(occurred + self.rng.range(DAY, 7 * DAY), &mut self.rng));
                logged.push(Activity { occurred, follow_up });
            }
        }
        // The tail that makes an open deal healthy or overdue at the as-of moment.
        let current = last;
        match ending {
            Ending::Healthy => {
                let move_follow_up_ahead = current.at >= as_of - 40 * HOUR && move_follow_ups.last().copied().flatten().is_some_and(|follow_up| follow_up > as_of);
                if !move_follow_up_ahead || self.rng.chance(0.5) {
                    let from = (as_of - 40 * HOUR).max(current.at + MINUTE);
                    let occurred = self.rng.range(from, as_of - 10 * MINUTE).max(from);
                    let follow_up = (occurred + self.rng.range(DAY, 7 * DAY)).max(as_of + self.rng.range(2 * HOUR, 3 * DAY));
                    logged.push(Activity { occurred, follow_up: Some(follow_up) });
                }
            }
            Ending::Overdue => {
                let from = (as_of - 60 * HOUR).max(current.at + MINUTE);
                let occurred = self.rng.range(from, as_of - 3 * HOUR).max(from);
                let follow_up = self.rng.range(occurred + 30 * MINUTE, as_of - 30 * MINUTE).max(occurred + MINUTE);
                logged.push(Activity { occurred, follow_up: Some(follow_up.min(as_of - MINUTE)) });
            }
            Ending::Stuck | Ending::Closed => {}
        }
        // A marketing lead is usually called within minutes: that answers its hand-off.
        if by_marketing {
            let limit = path.get(1).map_or(as_of, |next| next.at).min(as_of) - MINUTE;
            let occurred = (created + (self.rng.log_normal(10.0, 0.9) * MINUTE as f64) as i64).min(limit);
            if occurred > created && logged.iter().all(|activity| activity.occurred > occurred) {
                logged.push(Activity { occurred, follow_up: None });
            }
        }
        logged.sort_by_key(|activity| activity.occurred);

        // Transitions: the creation, then every move with its gate's facts.
        let mut follow_up_state: (Instant, Option<Instant>) = (created, None);
        let mut deal_fields = (None::<String>, None::<&str>, None::<Uuid>, None::<String>);
        let mut amount_set = amount_known_at_creation;
        let mut updated = created;
        let creator_id = people.get(creator).id;
        sink.put(&deal_transitions::Model {
            id: uuid_at(created, &mut self.rng),
            org_id: ctx.id,
            deal_id: id,
            from_stage: None,
            from_stage_entered_at: None,
            to_stage: STAGE_KEYS[LEAD].into(),
            actor_kind: "USER".into(),
            actor_id: Some(creator_id),
            at: at(created),
            forward_skips: 0,
            backward: false,
            core_need: None,
            decision_role: None,
            contact_id: None,
            next_follow_up_at: None,
            lost_reason: None,
        })?;
        let mut ticket_moments: Vec<(TicketKind, Instant)> = Vec::new();
        let mut seen = [false; 8];
        for (index, pair) in path.windows(2).enumerate() {
            let (from, to) = (pair[0], pair[1]);
            let follow_up = move_follow_ups[index + 1];
            let actor = people.get(owner_at(to.at)).id;
            let contact = if self.rng.chance(0.7) { main_contact.clone() } else { contacts[self.rng.index(contacts.len())].clone() };
            let need = if self.rng.chance(0.7) { main_need } else { *self.rng.pick(&NEEDS) };
            let lost_reason = (to.stage == LOST).then(|| self.rng.pick(&LOST_REASONS).to_string());
            let (forward_skips, backward) = move_metrics(from.stage, to.stage);
            if to.stage >= QUOTE && to.stage != LOST {
                amount_set = true;
            }
            sink.put(&deal_transitions::Model {
                id: uuid_at(to.at, &mut self.rng),
                org_id: ctx.id,
                deal_id: id,
                from_stage: Some(STAGE_KEYS[from.stage].into()),
                from_stage_entered_at: Some(at(from.at)),
                to_stage: STAGE_KEYS[to.stage].into(),
                actor_kind: "USER".into(),
                actor_id: Some(actor),
                at: at(to.at),
                forward_skips,
                backward,
                core_need: (to.stage != LOST).then(|| need.to_string()),
                decision_role: (to.stage != LOST).then(|| contact.role.to_string()),
                contact_id: (to.stage != LOST).then_some(contact.id),
                next_follow_up_at: follow_up.map(at),
                lost_reason: lost_reason.clone(),
            })?;
            if to.stage != LOST {
                deal_fields.0 = Some(need.to_string());
                deal_fields.1 = Some(contact.role);
                deal_fields.2 = Some(contact.id);
            } else {
                deal_fields.3 = lost_reason;
            }
            if let Some(follow_up) = follow_up {
                follow_up_state = (to.at, Some(follow_up));
            }
            updated = updated.max(to.at);
            if !seen[to.stage] {
                seen[to.stage] = true;
                let kind = match to.stage {
                    NEEDS_CONFIRMED if self.rng.chance(0.35) => Some(TicketKind::TechAssessment),
                    DEMO if self.rng.chance(0.08) => Some(TicketKind::Requirement),
                    NEGOTIATION if self.rng.chance(0.35) => Some(TicketKind::DeliveryConfirmation),
                    _ => None,
                };
                if let Some(kind) = kind {
                    ticket_moments.push((kind, to.at + self.rng.range(5 * MINUTE, 4 * HOUR)));
                }
            }
        }

        // Activities, by whoever owned the deal then.
        let mut last_activity: Option<Instant> = None;
        for activity in &logged {
            let author = people.get(owner_at(activity.occurred)).id;
            let recorded = self.put_activity(sink, Some(id), customer, contacts, author, activity.occurred, activity.follow_up, String::new())?;
            last_activity = Some(last_activity.map_or(activity.occurred, |previous: Instant| previous.max(activity.occurred)));
            if let Some(follow_up) = activity.follow_up {
                if activity.occurred >= follow_up_state.0 {
                    follow_up_state = (activity.occurred, Some(follow_up));
                }
            }
            updated = updated.max(recorded);
        }
        if let Some((when, to)) = reassignment {
            sink.put(&deal_assignments::Model {
                id: uuid_at(when, &mut self.rng),
                org_id: ctx.id,
                deal_id: id,
                from_owner_id: Some(people.get(owner0).id),
                to_owner_id: people.get(to).id,
                actor_kind: "USER".into(),
                actor_id: people.get(owner0).team.map(|team| people.get(people.teams[team].manager).id),
                at: at(when),
            })?;
            updated = updated.max(when);
        }

        let row = deals::Model {
            id,
            org_id: ctx.id,
            title: title.clone(),
            customer_id: customer,
            owner_id: people.get(owner_at(as_of)).id,
            created_by: creator_id,
            stage: STAGE_KEYS[last.stage].into(),
            amount_cents: amount_set.then_some(amount_cents),
            currency: amount_set.then(|| "CNY".to_string()),
            product_line: Some(product.name.to_string()),
            expected_close_date: Some(local_date(created + self.rng.range(30 * DAY, 150 * DAY))),
            source: Some(source.to_string()),
            core_need: deal_fields.0,
            decision_role: deal_fields.1.map(str::to_string),
            contact_id: deal_fields.2,
            next_follow_up_at: follow_up_state.1.map(at),
            lost_reason: deal_fields.3,
            entered_stage_at: at(last.at),
            last_activity_at: last_activity.map(at),
            created_at: at(created),
            updated_at: at(updated),
        };
        let stats = &mut self.out.stats;
        match last.stage {
            WON => stats.won_deals += 1,
            LOST => stats.lost_deals += 1,
            stage => {
                stats.open_deals += 1;
                let last_activity_at = row.last_activity_at;
                if ctx.stuck_hours(stage).is_some_and(|hours| is_stuck(row.entered_stage_at, last_activity_at, hours, at(as_of))) {
                    stats.stuck_deals += 1;
                }
                if is_follow_up_overdue(row.next_follow_up_at, last_activity_at, at(as_of)) {
                    stats.overdue_follow_ups += 1;
                }
            }
        }
        sink.put(&row)?;

        // Tickets the deal raised.
        if by_marketing {
            let first_action = path.get(1).map(|entry| entry.at).into_iter().chain(logged.first().map(|activity| activity.occurred)).min();
            self.handoff(sink, &row, creator, owner0, first_action.filter(|moment| owner_at(*moment) == owner0))?;
        }
        for (kind, moment) in ticket_moments {
            self.work_ticket(sink, &row, kind, owner_at(moment), moment)?;
        }

        // A contract: approved before the deal was won, or being drawn up in negotiation.
        let negotiation_entry = path.iter().rev().find(|entry| entry.stage == NEGOTIATION).copied();
        let contract = match (last.stage, negotiation_entry) {
            (WON, Some(entry)) => Some(ContractPlan::approved(&row, owner_at(last.at), entry.at, last.at, amount_cents)),
            (NEGOTIATION, Some(entry)) if entry.at < as_of - DAY && self.rng.chance(0.4) => Some(ContractPlan::pending(&row, owner_at(as_of), entry.at, as_of, amount_cents, self.rng.chance(0.4))),
            _ => None,
        };
        Ok(contract)
    }

    /// A hand-off from marketing, answered by the owner's first action.
    fn handoff(&mut self, sink: &mut Sink, deal: &deals::Model, marketing: usize, owner: usize, answered: Option<Instant>) -> Result<(), SeedError> {
        let ctx = self.ctx;
        let created = deal.created_at.timestamp();
        let policy = ctx.policy(TicketKind::Handoff, None);
        let owner_id = ctx.people.get(owner).id;
        let mut clock = TicketClock::open(&ctx.calendar, policy.calendar_time, policy.minutes, created, StepActor::User(ctx.people.get(marketing).id), Some(owner_id), ctx.as_of);
        if let Some(moment) = answered {
            clock.step(moment, "ANSWERED", TicketStatus::Accepted, StepActor::User(owner_id), None, None, &mut self.rng);
        }
        clock.settle(&mut self.rng);
        self.put_ticket(sink, clock, TicketKind::Handoff, None, Some(deal.id), format!("线索移交：{}", deal.title), None, ctx.people.get(marketing).id, "SALES")
    }

    /// A tech assessment, requirement or delivery confirmation worked by its department.
    fn work_ticket(&mut self, sink: &mut Sink, deal: &deals::Model, kind: TicketKind, requester: usize, created: Instant) -> Result<(), SeedError> {
        let ctx = self.ctx;
        let requirement = (kind == TicketKind::Requirement).then(|| *self.rng.pick(&RequirementType::ALL));
        let policy = ctx.policy(kind, requirement);
        let department = policy.route.unwrap_or(Role::Tech);
        let workers = match department {
            Role::Delivery => &ctx.people.delivery,
            _ => &ctx.people.tech,
        };
        let worker = ctx.people.get(workers[self.rng.index(workers.len())]).id;
        let requester_id = ctx.people.get(requester).id;
        let (title, details) = match kind {
            TicketKind::TechAssessment => (format!("技术评估：{}", deal.title), format!("需求要点：{}", deal.core_need.as_deref().unwrap_or("待补充"))),
            TicketKind::DeliveryConfirmation => (format!("交付确认：{}", deal.title), "请确认交付周期与实施团队配置".to_string()),
            _ => (format!("新增需求：{}", deal.title), format!("客户提出：{}", self.rng.pick(&TOPICS))),
        };
        let mut clock = TicketClock::open(&ctx.calendar, policy.calendar_time, policy.minutes, created, StepActor::User(requester_id), None, ctx.as_of);
        script_work(&mut self.rng, &mut clock, f64::from(policy.minutes), StepActor::User(worker), StepActor::User(requester_id));
        self.put_ticket(sink, clock, kind, requirement, Some(deal.id), title, Some(details), requester_id, department.as_str())
    }

    #[allow(clippy::too_many_arguments)]
    fn put_ticket(&mut self, sink: &mut Sink, clock: TicketClock<'_>, kind: TicketKind, requirement: Option<RequirementType>, deal: Option<Uuid>, title: String, details: Option<String>, requester: Uuid, department: &str) -> Result<(), SeedError> {
        let ticket = pending_ticket(self.ctx, &mut self.rng, sink, clock, kind, requirement, deal, title, details, requester, department)?;
        self.out.tickets.push(ticket);
        Ok(())
    }
}

/// Plays a worked ticket: a response, the work, sometimes a block, a
/// rejection and rework, then acceptance with a rating; each delay counted
/// in the ticket's own clock (working time unless calendar time).
pub fn script_work(rng: &mut Rng, clock: &mut TicketClock<'_>, budget_minutes: f64, worker: StepActor, requester: StepActor) {
    let created = clock.created_at;
    let wait = |rng: &mut Rng, clock: &TicketClock<'_>, from: Instant, median_minutes: f64| clock.after(from, (rng.log_normal(median_minutes, 0.8) * 60.0) as i64).max(from + MINUTE);
    let started = wait(rng, clock, created, budget_minutes * 0.25);
    if !clock.step(started, "STARTED", TicketStatus::InProgress, worker, None, None, rng) {
        return clock.settle(rng);
    }
    let mut moment = started;
    if rng.chance(0.05) {
        let blocked = wait(rng, clock, moment, budget_minutes * 0.2);
        let unblocked = blocked + rng.range(2 * HOUR, 3 * DAY);
        if !clock.step(blocked, "BLOCKED", TicketStatus::Blocked, worker, Some(*rng.pick(&BLOCK_REASONS)), None, rng)
            || !clock.step(unblocked, "UNBLOCKED", TicketStatus::InProgress, worker, None, None, rng)
        {
            return clock.settle(rng);
        }
        moment = unblocked;
    }
    for round in 0..3 {
        let delivered = wait(rng, clock, moment, budget_minutes * 0.3);
        if !clock.step(delivered, "DELIVERED", TicketStatus::Delivered, worker, None, None, rng) {
            return clock.settle(rng);
        }
        let reviewed = delivered + rng.range(HOUR, 3 * DAY);
        if round < 2 && rng.chance(0.15) {
            if !clock.step(reviewed, "REJECTED", TicketStatus::InProgress, requester, Some(*rng.pick(&REJECT_REASONS)), None, rng) {
                return clock.settle(rng);
            }
            moment = reviewed;
            continue;
        }
        let rating = [5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 1][rng.index(11)];
        clock.step(reviewed, "ACCEPTED", TicketStatus::Accepted, requester, None, Some(rating), rng);
        break;
    }
    clock.settle(rng)
}

/// Writes a ticket's steps and returns the ticket itself, to be numbered later.
#[allow(clippy::too_many_arguments)]
pub fn pending_ticket(
    ctx: &OrgContext,
    rng: &mut Rng,
    sink: &mut Sink,
    clock: TicketClock<'_>,
    kind: TicketKind,
    requirement: Option<RequirementType>,
    deal: Option<Uuid>,
    title: String,
    details: Option<String>,
    requester: Uuid,
    department: &str,
) -> Result<PendingTicket, SeedError> {
    let id = uuid_at(clock.created_at, rng);
    for step in &clock.steps {
        sink.put(&ticket_events::Model {
            id: uuid_at(step.at, rng),
            org_id: ctx.id,
            ticket_id: id,
            action: step.action.to_string(),
            from_status: step.from.map(|status| status.as_str().to_string()),
            to_status: step.to.as_str().to_string(),
            actor_kind: step.actor.kind().to_string(),
            actor_id: step.actor.id(),
            note: step.note.map(str::to_string),
            rating: step.rating,
            at: at(step.at),
        })?;
    }
    let warn_and_due = clock.warn_and_due();
    let row = tickets::Model {
        id,
        org_id: ctx.id,
        number: 0,
        code: String::new(),
        kind: kind.as_str().to_string(),
        status: clock.status.as_str().to_string(),
        blocked_from: clock.blocked_from.map(|status| status.as_str().to_string()),
        deal_id: deal,
        title,
        details,
        requirement_type: requirement.map(|kind| kind.as_str().to_string()),
        department: department.to_string(),
        requester_id: requester,
        assignee_id: clock.assignee,
        sla_minutes: ctx.policy(kind, requirement).minutes,
        calendar_time: ctx.policy(kind, requirement).calendar_time,
        consumed_seconds: clock.consumed_seconds,
        clock_started_at: clock.clock_started_at.map(at),
        warn_at: warn_and_due.map(|(warn, _)| at(warn)),
        due_at: warn_and_due.map(|(_, due)| at(due)),
        color: clock.color.as_str().to_string(),
        warned_at: clock.warned_at.map(at),
        breached_at: clock.breached_at.map(at),
        first_response_at: clock.first_response_at.map(at),
        first_response_minutes: clock.first_response_minutes,
        rework_count: clock.rework_count,
        rating: clock.rating,
        created_at: at(clock.created_at),
        updated_at: at(clock.updated_at),
        closed_at: clock.closed_at.map(at),
    };
    Ok(PendingTicket { row, kind })
}

/// An activity note in the words a rep would use.
fn activity_text(rng: &mut Rng, kind: &str, who: &str) -> String {
    let topic = rng.pick(&TOPICS);
    let reaction = rng.pick(&REACTIONS);
    match kind {
        "CALL" => format!("电话跟进{who}，确认{topic}。{reaction}。"),
        "VISIT" => format!("上门拜访{who}，现场演示方案并讨论{topic}。{reaction}。"),
        "MEETING" => format!("与{who}等人召开线上会议，讨论{topic}。{reaction}。"),
        "EMAIL" => format!("邮件发送{}给{who}，请其确认{topic}。", rng.pick(&DOCUMENTS)),
        "CHAT" => format!("微信沟通：{who}询问{topic}，已答复。"),
        _ => format!("备注：{reaction}。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_bijections() {
        let mut rng = Rng::from_seed(8);
        for n in [1u64, 2, 10, 97, 1_000] {
            let shuffle = Shuffle::new(&mut rng, n);
            let mut images: Vec<u64> = (0..n).map(|i| shuffle.apply(i)).collect();
            images.sort_unstable();
            assert_eq!(images, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn there_are_enough_names_for_the_largest_org() {
        assert!(combos() >= 200_000, "{}", combos());
    }
}
