//! Generated organizations for benchmarks and demos at scale
//! (`dealdesk seed --org-size small|medium|large`): deterministic for a seed,
//! consistent with the application's invariants, bulk-loaded.
//!
//! Everything is derived from the seed and a fixed as-of moment (never the
//! wall clock): ids are time-ordered UUIDs whose random bits come from the
//! generator's own PRNG, so the same seed and as-of give identical rows.
//! The data obeys what the application assumes: a deal's stage is its last
//! transition's target and `entered_stage_at` that transition's time; every
//! move carries its gate's facts; WON deals have an approved contract signed
//! before the move; receivables follow approved contracts' instalment plans
//! and payments never exceed them; risk tiers are the domain's own decision
//! on the generated payments; ticket numbers run per org and kind in order
//! of creation, with the counters after them; every row has its `org_id`.
//!
//! Modules:
//! - `rng`: xoshiro256** and the distributions (uniform, Poisson, log-normal).
//! - `vocab`: Chinese cities, regions, company names, industries, product lines and phrases.
//! - `time`: instants, office hours in Asia/Shanghai, time-ordered UUIDs.
//! - `org`: sizes, the org with its teams, people, stages and SLA policies.
//! - `deals`: a deal's path through the stages (dwell times, skips, returns, outcomes).
//! - `tickets`: ticket life-cycles with the SLA clock and the scan's warnings and breaches.
//! - `world`: customers, contacts, deals, transitions, activities, reassignments and tickets.
//! - `receivables`: contracts, receivables, payments and risk tiers.
//! - `sink`: the tables written and their encoding (COPY text, INSERT values).
//! - `load`: the loader (COPY on PostgreSQL, batched INSERTs on SQLite) and `ANALYZE`.
//! - `checksum`: per-table counts and checksums read back through the entities.

mod checksum;
mod deals;
mod load;
mod org;
mod receivables;
mod rng;
mod sink;
mod tickets;
mod time;
mod vocab;
mod world;

use argon2::password_hash::{PasswordHasher, SaltString};
use chrono::{DateTime, Utc};
use dealdesk_domain::Role;
use dealdesk_persistence::entities::audit_log;
use serde_json::json;

pub use checksum::{table_checksums, TableChecksum};
pub use load::{seed, table_names, Rebuilt};
pub use sink::{Engine, Sink};
pub use world::PipelineStats;

/// The password of every generated user.
pub const PASSWORD: &str = "dealdesk-bench";

/// The moment generated histories end when no other is given.
pub const DEFAULT_AS_OF: &str = "2026-11-27T00:00:00Z";

/// How big each generated organization is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgSize {
    /// 50 reps, 1 000 customers, 5 000 deals.
    Small,
    /// 300 reps, 20 000 customers, 100 000 deals.
    Medium,
    /// 2 000 reps, 200 000 customers, 1 000 000 deals.
    Large,
}

impl OrgSize {
    /// `small`, `medium` or `large`.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSize::Small => "small",
            OrgSize::Medium => "medium",
            OrgSize::Large => "large",
        }
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    /// The size of each org.
    pub size: OrgSize,
    /// How many orgs (each of `size`), numbered from 1.
    pub orgs: u32,
    /// The seed: same seed (and as-of), same rows.
    pub seed: u64,
    /// When the generated history ends (its "now").
    pub as_of: DateTime<Utc>,
}

/// A login to print for benchmarks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    /// Which org (1-based).
    pub org: u32,
    /// The role.
    pub role: Role,
    /// The email to log in with ([`PASSWORD`] is the password).
    pub email: String,
    /// The display name.
    pub name: String,
}

/// What a load did.
#[derive(Clone, Debug)]
pub struct Summary {
    /// Rows written per table, in load order.
    pub tables: Vec<(String, u64)>,
    /// Seconds from the first generated row to the commit.
    pub load_seconds: f64,
    /// The indexes built after the rows, within those
    /// seconds (PostgreSQL into a database without deals); `None` when
    /// they stayed in place during the load.
    pub rebuilt: Option<Rebuilt>,
    /// Seconds `ANALYZE` took afterwards.
    pub analyze_seconds: f64,
    /// An admin, a manager and one of that manager's reps per org.
    pub logins: Vec<Login>,
    /// Figures about the generated pipelines.
    pub stats: PipelineStats,
    /// The engine loaded into.
    pub engine: Engine,
}

impl Summary {
    /// Every row written.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }

    /// Rows per second of the load (generation, writing and commit).
    pub fn rows_per_second(&self) -> f64 {
        self.total_rows() as f64 / self.load_seconds.max(f64::EPSILON)
    }
}

/// Why generation or loading failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The request cannot be served (engine, size, already loaded).
    #[error("{0}")]
    Refused(String),
    /// A database error through sea-orm.
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A database error from the bulk path (COPY, transactions).
    #[error("database error: {0}")]
    Sqlx(#[from] sea_orm::sqlx::Error),
    /// The loader stopped taking rows (its own error is reported instead).
    #[error("the loader stopped before the generator finished")]
    LoaderStopped,
    /// The generator met something it cannot produce.
    #[error("generator error: {0}")]
    Generator(String),
}

/// The admin's login of org `number`.
pub fn admin_email(options: &GenerateOptions, number: u32) -> String {
    format!("admin@{}-s{}-o{number}.dealdesk.test", options.size.as_str(), options.seed)
}

/// The argon2id hash of [`PASSWORD`], computed once per run with a salt
/// from the seed (so the users' rows are identical for a seed too).
fn password_hash(seed: u64) -> Result<String, SeedError> {
    let mut rng = rng::Rng::derive(seed, &[u64::MAX]);
    let salt: Vec<u8> = (0..2).flat_map(|_| rng.next_u64().to_le_bytes()).collect();
    let salt = SaltString::encode_b64(&salt).map_err(|error| SeedError::Generator(format!("salt: {error}")))?;
    argon2::Argon2::default()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| SeedError::Generator(format!("password hashing failed: {error}")))
}

/// Generates every org into `sink` (without finishing it); returns the
/// logins to print and the pipeline figures.
pub fn generate(options: &GenerateOptions, sink: &mut Sink) -> Result<(Vec<Login>, PipelineStats), SeedError> {
    if options.orgs == 0 {
        return Err(SeedError::Refused("--orgs must be at least 1".into()));
    }
    let as_of = options.as_of.timestamp();
    let hash = password_hash(options.seed)?;
    let preset = options.size.preset();
    let mut logins = Vec::new();
    let mut stats = PipelineStats::default();
    for number in 1..=options.orgs {
        let ctx = org::create_org(options.size, number, options.seed, as_of, &hash, sink)?;
        let plan = world::OrgPlan::new(&ctx, preset.customers, preset.deals)?;
        let mut out = world::OrgOutput { tickets: Vec::new(), stats: PipelineStats::default() };
        for index in 0..u64::from(preset.customers) {
            world::CustomerGenerator::new(&ctx, &plan, &mut out, index).run(sink)?;
        }
        world::finish_tickets(&ctx, out.tickets, sink)?;
        let people = &ctx.people;
        let admin = people.get(people.admin);
        let team = &people.teams[0];
        for person in [admin, people.get(team.manager)].into_iter().chain(team.reps.first().map(|rep| people.get(*rep))) {
            logins.push(Login { org: number, role: person.role, email: person.email.clone(), name: person.name.clone() });
        }
        let mut rng = rng::Rng::derive(options.seed, &[u64::from(number), 4]);
        sink.put(&audit_log::Model {
            id: time::uuid_at(as_of, &mut rng),
            org_id: ctx.id,
            actor_kind: "SYSTEM".into(),
            actor_id: None,
            action: "seed.generate".into(),
            entity_type: "org".into(),
            entity_id: Some(ctx.id),
            before: None,
            after: Some(json!({ "size": options.size.as_str(), "seed": options.seed.to_string(), "org": number, "asOf": options.as_of.to_rfc3339(), "generator": env!("CARGO_PKG_VERSION") })),
            at: time::at(as_of),
            request_id: None,
        })?;
        let org_stats = out.stats;
        stats.open_deals += org_stats.open_deals;
        stats.stuck_deals += org_stats.stuck_deals;
        stats.overdue_follow_ups += org_stats.overdue_follow_ups;
        stats.won_deals += org_stats.won_deals;
        stats.lost_deals += org_stats.lost_deals;
        stats.red_customers += org_stats.red_customers;
        stats.yellow_customers += org_stats.yellow_customers;
    }
    Ok((logins, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(seed: u64) -> GenerateOptions {
        GenerateOptions { size: OrgSize::Small, orgs: 1, seed, as_of: DateTime::parse_from_rfc3339(DEFAULT_AS_OF).unwrap().with_timezone(&Utc) }
    }

    #[test]
    fn the_password_hash_verifies_and_depends_only_on_the_seed() {
        let hash = password_hash(1).unwrap();
        assert!(dealdesk_app::auth::verify_password(PASSWORD, &hash));
        assert_eq!(hash, password_hash(1).unwrap());
        assert_ne!(hash, password_hash(2).unwrap());
    }

    #[test]
    fn a_small_org_has_the_promised_sizes_and_a_believable_pipeline() {
        let mut sink = Sink::new(Engine::Discard, None);
        let (logins, stats) = generate(&options(42), &mut sink).unwrap();
        let count = |table| sink.count(table);
        assert_eq!(count(sink::TableId::Deals), 5_000);
        assert_eq!(count(sink::TableId::Customers), 1_000);
        assert_eq!(count(sink::TableId::Users), 1 + 5 + 50 + 1 + 3 + 1 + 1 + 1);
        assert_eq!(count(sink::TableId::Stages), 8);
        assert_eq!(logins.iter().map(|login| login.role).collect::<Vec<_>>(), [Role::Admin, Role::Manager, Role::Rep]);
        let transitions = count(sink::TableId::DealTransitions) as f64 / 5_000.0;
        let activities = count(sink::TableId::Activities) as f64 / 5_000.0;
        assert!((3.0..5.0).contains(&transitions), "{transitions} transitions per deal");
        assert!((4.0..6.5).contains(&activities), "{activities} activities per deal");
        assert!(stats.open_deals > 300, "{stats:?}");
        let stuck_share = stats.stuck_deals as f64 / stats.open_deals as f64;
        assert!((0.003..0.03).contains(&stuck_share), "{stats:?}");
        assert!(stats.overdue_follow_ups > 0 && stats.won_deals > 0 && stats.lost_deals > stats.won_deals, "{stats:?}");
        assert!(count(sink::TableId::Tickets) > 0 && count(sink::TableId::Payments) > 0 && count(sink::TableId::Receivables) > 0);
    }

    #[test]
    fn the_same_seed_gives_the_same_counts() {
        let counts = |seed| {
            let mut sink = Sink::new(Engine::Discard, None);
            generate(&options(seed), &mut sink).unwrap();
            sink.counts()
        };
        assert_eq!(counts(7), counts(7));
        assert_ne!(counts(7), counts(8));
    }
}
