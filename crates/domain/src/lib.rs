//! Dealdesk's pure domain: value types, validation rules and pipeline logic,
//! free of I/O, async, storage and GraphQL so every rule is unit-testable.
//!
//! Modules:
//! - `ids`: typed UUID identifiers for every entity.
//! - `error`: [`FieldError`], a broken input rule naming its field.
//! - `role`: user roles and their data scope.
//! - `credit_code`: China's unified social credit code with check digit.
//! - `email`: normalised email addresses and password rules.
//! - `money`: currencies and cent-precise money amounts.
//! - `stage`: pipeline stages, entry gates and stage-move planning.
//! - `transition`: dwell-time and path metrics derived from stage transitions.
//! - `activity`: activity kinds and date/text input rules.
//! - `alert`: the alert rules (E1–E4) and their defaults.
//! - `funnel`: funnel health (E6): report periods, conversion pairs, rates and the team median.
//! - `analytics`: the funnel and bottleneck heatmap (B1, B2): dimensions, metrics, median ranks and worst cells.
//! - `retry`: delivery back-off with jitter and its bound.
//! - `schedule`: weekly moments in an org's time zone, DST-correct.
//! - `calendar`: business calendars (C1) and working-time arithmetic across DST, holidays and 调休.
//! - `ticket`: ticket kinds, numbering, life-cycle and SLA colour.
//! - `collaboration`: collaboration health (C5): nearest-rank percentile and rates.
//! - `receivables`: instalment plans, receivable state, payment rule, red/yellow/blue risk tiers and their per-org thresholds (R4), collection forecast and metrics (R5, R6), the monthly report's share and mean rules (R7).
//! - `clock`: the [`Clock`] abstraction over "now".

mod activity;
mod analytics;
mod alert;
mod calendar;
mod clock;
mod collaboration;
mod credit_code;
mod email;
mod error;
mod funnel;
mod ids;
mod money;
mod receivables;
mod retry;
mod role;
mod schedule;
mod stage;
mod ticket;
mod transition;

pub use activity::*;
pub use analytics::*;
pub use alert::*;
pub use calendar::*;
pub use clock::*;
pub use collaboration::*;
pub use credit_code::*;
pub use email::*;
pub use error::*;
pub use funnel::*;
pub use ids::*;
pub use money::*;
pub use receivables::*;
pub use retry::*;
pub use role::*;
pub use schedule::*;
pub use stage::*;
pub use ticket::*;
pub use transition::*;
