//! One generated organization's people and settings: the org, its sales
//! teams (a manager each, reps of one region), the other departments, the
//! default pipeline and SLA policies, and the shared password hash.

use dealdesk_domain::{default_sla_policies, default_stages, BusinessCalendar, Role, StageDef, TicketKind};
use dealdesk_persistence::entities::{orgs, sla_policies, stages, teams, users};
use uuid::Uuid;

use crate::rng::Rng;
use crate::sink::Sink;
use crate::time::{at, uuid_at, Instant, DAY};
use crate::vocab::{BRANDS, GIVEN_NAMES, REGIONS, SURNAMES};
use crate::{OrgSize, SeedError};

/// The stage keys the generator's deal paths use, in pipeline order; checked
/// against the domain's default pipeline when an org is planned.
pub const STAGE_KEYS: [&str; 8] = ["LEAD", "QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "QUOTE", "NEGOTIATION", "WON", "LOST"];

/// A user of a generated org.
#[derive(Clone, Debug)]
pub struct Person {
    /// `users.id`.
    pub id: Uuid,
    /// The role.
    pub role: Role,
    /// The login.
    pub email: String,
    /// The display name.
    pub name: String,
    /// Index into `People::teams` for sales people.
    pub team: Option<usize>,
    /// The direct manager (reps: their team's manager).
    pub manager: Option<Uuid>,
    /// When they joined (newcomers joined within the last 90 days).
    pub joined: Instant,
    /// How much business a rep brings in relative to colleagues.
    pub weight: f64,
}

/// A sales team: one manager, reps of one region.
#[derive(Clone, Debug)]
pub struct Team {
    /// `teams.id`.
    pub id: Uuid,
    /// Unique within the org, e.g. 华东销售二组.
    pub name: String,
    /// The region its customers are mostly in.
    pub region: &'static str,
    /// Index of the manager in `People::persons`.
    pub manager: usize,
    /// Indexes of the reps.
    pub reps: Vec<usize>,
}

/// Everyone in a generated org, by role.
#[derive(Clone, Debug, Default)]
pub struct People {
    /// Every user; the role lists below index into it.
    pub persons: Vec<Person>,
    /// The admin.
    pub admin: usize,
    /// Team managers.
    pub managers: Vec<usize>,
    /// Sales reps.
    pub reps: Vec<usize>,
    /// Marketing (they create leads and hand them off).
    pub marketing: Vec<usize>,
    /// Pre-sales / tech (tech assessments, product requirements).
    pub tech: Vec<usize>,
    /// Delivery (delivery confirmations, service upgrades).
    pub delivery: Vec<usize>,
    /// Finance (approves contracts, records payments).
    pub finance: Vec<usize>,
    /// Legal (reviews terms, takes over red customers).
    pub legal: Vec<usize>,
    /// Sales teams.
    pub teams: Vec<Team>,
}

impl People {
    /// The person at `index`.
    pub fn get(&self, index: usize) -> &Person {
        &self.persons[index]
    }
}

/// How many of each kind an org of a size has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Sales reps.
    pub reps: u32,
    /// Reps per team (one manager each).
    pub team_size: u32,
    /// Customers.
    pub customers: u32,
    /// Deals, exactly.
    pub deals: u32,
}

impl OrgSize {
    /// The numbers behind the size.
    pub fn preset(self) -> Preset {
        match self {
            OrgSize::Small => Preset { reps: 50, team_size: 10, customers: 1_000, deals: 5_000 },
            OrgSize::Medium => Preset { reps: 300, team_size: 10, customers: 20_000, deals: 100_000 },
            OrgSize::Large => Preset { reps: 2_000, team_size: 10, customers: 200_000, deals: 1_000_000 },
        }
    }
}

/// The ticket policy of a kind (and requirement type): budget, clock kind, department.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Budget in minutes.
    pub minutes: i32,
    /// Calendar (not working) time.
    pub calendar_time: bool,
    /// The department queue unassigned tickets go to.
    pub route: Option<Role>,
}

/// An org's fixed parts, shared by everything generated in it.
pub struct OrgContext {
    /// 1-based number of the org within the run.
    pub number: u32,
    /// `orgs.id`.
    pub id: Uuid,
    /// The moment the data describes ("now" for the generated history).
    pub as_of: Instant,
    /// The run's seed.
    pub seed: u64,
    /// Its people.
    pub people: People,
    /// The default calendar (Mon–Fri 09:00–18:00 Shanghai), as the app uses without a stored one.
    pub calendar: BusinessCalendar,
    /// The default pipeline.
    pub stages: Vec<StageDef>,
}

impl OrgContext {
    /// The SLA policy of a ticket kind (and requirement type).
    pub fn policy(&self, kind: TicketKind, requirement: Option<dealdesk_domain::RequirementType>) -> Policy {
        default_sla_policies()
            .into_iter()
            .find(|policy| policy.kind == kind && policy.requirement_type == requirement)
            .map_or(Policy { minutes: 540, calendar_time: false, route: None }, |policy| Policy { minutes: policy.minutes, calendar_time: policy.calendar_time, route: policy.route_role })
    }

    /// The stuck threshold of a stage (by index into `STAGE_KEYS`), in hours.
    pub fn stuck_hours(&self, stage: usize) -> Option<u32> {
        self.stages.get(stage).and_then(|stage| stage.stuck_after_hours)
    }
}

/// A random Chinese person's name.
pub fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN_NAMES))
}

fn ordinal(number: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match number {
        1..=9 => DIGITS[number].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[number - 10]),
        20..=99 => format!("{}十{}", DIGITS[number / 10], if number.is_multiple_of(10) { "" } else { DIGITS[number % 10] }),
        _ => number.to_string(),
    }
}

/// Plans an org's people and writes the org, its teams, users, stages and SLA policies.
pub fn create_org(size: OrgSize, number: u32, seed: u64, as_of: Instant, password_hash: &str, sink: &mut Sink) -> Result<OrgContext, SeedError> {
    let preset = size.preset();
    let mut rng = Rng::derive(seed, &[u64::from(number), 0]);
    let stages = default_stages();
    if stages.iter().map(|stage| stage.key.as_str()).ne(STAGE_KEYS) {
        return Err(SeedError::Generator("the default pipeline no longer matches the generator's stages".into()));
    }
    let created = as_of - 4 * 365 * DAY - rng.range(0, 30 * DAY);
    let id = uuid_at(created, &mut rng);
    let domain = format!("{}-s{seed}-o{number}.dealdesk.test", size.as_str());
    let brand = rng.pick(&BRANDS);
    sink.put(&orgs::Model { id, name: format!("{brand}科技集团（生成数据 {} #{number}）", size.as_str()), time_zone: dealdesk_app::orgs::DEFAULT_TIME_ZONE.into(), created_at: at(created) })?;

    let mut people = People::default();
    let add = |people: &mut People, rng: &mut Rng, role: Role, local: String, joined: Instant| {
        let index = people.persons.len();
        people.persons.push(Person { id: uuid_at(joined, rng), role, email: format!("{local}@{domain}"), name: person_name(rng), team: None, manager: None, joined, weight: 1.0 });
        index
    };
    people.admin = add(&mut people, &mut rng, Role::Admin, "admin".into(), created);

    // Teams: a manager each, spread over the regions by their share.
    let team_count = preset.reps.div_ceil(preset.team_size) as usize;
    let region_weights: Vec<f64> = REGIONS.iter().map(|(_, share)| *share).collect();
    let mut per_region = [0usize; REGIONS.len()];
    for team_index in 0..team_count {
        // The first teams cover the regions in order of size, then by share.
        let region_index = if team_index < REGIONS.len() { team_index } else { rng.weighted(&region_weights) };
        per_region[region_index] += 1;
        let region = REGIONS[region_index].0;
        let joined = created + rng.range(0, 3 * 365 * DAY);
        let manager = add(&mut people, &mut rng, Role::Manager, format!("manager{}", team_index + 1), joined);
        people.managers.push(manager);
        people.teams.push(Team { id: uuid_at(joined, &mut rng), name: format!("{region}销售{}组", ordinal(per_region[region_index])), region, manager, reps: Vec::new() });
    }
    for rep_index in 0..preset.reps as usize {
        let team_index = rep_index % team_count;
        // About 6 % joined in the last 90 days (the newcomer rule's window).
        let joined = if rng.chance(0.06) { as_of - rng.range(5 * DAY, 88 * DAY) } else { created + rng.range(30 * DAY, 4 * 365 * DAY - 100 * DAY) };
        let rep = add(&mut people, &mut rng, Role::Rep, format!("rep{}", rep_index + 1), joined);
        let tenure_days = ((as_of - joined) / DAY) as f64;
        let manager_id = people.persons[people.teams[team_index].manager].id;
        let person = &mut people.persons[rep];
        person.team = Some(team_index);
        person.manager = Some(manager_id);
        person.weight = rng.log_normal(1.0, 0.5) * (tenure_days / 365.0).clamp(0.15, 1.0);
        people.teams[team_index].reps.push(rep);
        people.reps.push(rep);
    }
    for (role, count, local) in [
        (Role::Marketing, 1 + preset.reps / 100, "marketing"),
        (Role::Tech, 2 + preset.reps / 40, "tech"),
        (Role::Delivery, 1 + preset.reps / 60, "delivery"),
        (Role::Finance, 1 + preset.reps / 200, "finance"),
        (Role::Legal, 1 + preset.reps / 500, "legal"),
    ] {
        for index in 0..count {
            let joined = created + rng.range(0, 3 * 365 * DAY);
            let person = add(&mut people, &mut rng, role, format!("{local}{}", index + 1), joined);
            match role {
                Role::Marketing => people.marketing.push(person),
                Role::Tech => people.tech.push(person),
                Role::Delivery => people.delivery.push(person),
                Role::Finance => people.finance.push(person),
                _ => people.legal.push(person),
            }
        }
    }
    for team in &people.teams {
        let manager = &people.persons[team.manager];
        sink.put(&teams::Model { id: team.id, org_id: id, name: team.name.clone(), manager_id: Some(manager.id), created_at: at(manager.joined) })?;
    }
    for person in &people.persons {
        sink.put(&users::Model {
            id: person.id,
            org_id: id,
            email: person.email.clone(),
            name: person.name.clone(),
            password_hash: password_hash.to_string(),
            role: person.role.as_str().to_string(),
            team_id: person.team.map(|team| people.teams[team].id),
            manager_id: person.manager,
            joined_at: at(person.joined),
            active: true,
            created_at: at(person.joined),
        })?;
    }
    for stage in &stages {
        sink.put(&stages::Model {
            id: uuid_at(created, &mut rng),
            org_id: id,
            key: stage.key.as_str().to_string(),
            name: stage.name.clone(),
            position: stage.position,
            kind: stage.kind.as_str().to_string(),
            probability: i32::from(stage.probability),
            gate_fields: dealdesk_app::stages::gate_json(&stage.gate_fields),
            stuck_after_hours: stage.stuck_after_hours.and_then(|hours| i32::try_from(hours).ok()),
            created_at: at(created),
            updated_at: at(created),
        })?;
    }
    for policy in default_sla_policies() {
        sink.put(&sla_policies::Model {
            id: uuid_at(created, &mut rng),
            org_id: id,
            kind: policy.kind.as_str().to_string(),
            requirement_type: policy.requirement_type.map_or(String::new(), |kind| kind.as_str().to_string()),
            minutes: policy.minutes,
            calendar_time: policy.calendar_time,
            route_role: policy.route_role.map(|role| role.as_str().to_string()),
            updated_at: at(created),
        })?;
    }
    Ok(OrgContext { number, id, as_of, seed, people, calendar: BusinessCalendar::default_for(chrono_tz::Asia::Shanghai), stages })
}
