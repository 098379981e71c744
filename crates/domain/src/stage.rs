//! Pipeline stages, their entry gates, and planning a deal's move between stages.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{ContactId, FieldError, Money};

/// The stable key of a pipeline stage (e.g. `LEAD`), used in the API and storage
/// while the display name may change.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct StageKey(String);

impl StageKey {
    /// Validates a key: `^[A-Z][A-Z0-9_]{0,31}$` (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Result<StageKey, FieldError> {
        let s = s.trim();
        let mut chars = s.chars();
        let starts_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase());
        let rest_ok = chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if starts_ok && rest_ok && s.len() <= 32 {
            Ok(StageKey(s.to_owned()))
        } else {
            Err(FieldError::new(
                "stage",
                "must be 1-32 characters of A-Z, 0-9 or _, starting with a letter",
            ))
        }
    }

    /// Builds a key from a literal known to be valid (the defaults below).
    fn known(s: &'static str) -> StageKey {
        StageKey(s.to_owned())
    }

    /// The default first stage every new deal starts in.
    pub fn lead() -> StageKey {
        Self::known("LEAD")
    }

    /// The default won stage.
    pub fn won() -> StageKey {
        Self::known("WON")
    }

    /// The default lost stage.
    pub fn lost() -> StageKey {
        Self::known("LOST")
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for StageKey {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        StageKey::parse(&value)
    }
}

impl From<StageKey> for String {
    fn from(key: StageKey) -> Self {
        key.0
    }
}

/// Whether a stage is still in play or an outcome; outcomes are terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StageKind {
    /// The deal is still being worked.
    Open,
    /// The deal was signed.
    Won,
    /// The deal was lost.
    Lost,
}

impl StageKind {
    /// The wire/storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "OPEN",
            StageKind::Won => "WON",
            StageKind::Lost => "LOST",
        }
    }

    /// Parses a wire/storage name.
    pub fn parse(s: &str) -> Result<StageKind, FieldError> {
        [StageKind::Open, StageKind::Won, StageKind::Lost]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| FieldError::new("kind", format!("unknown stage kind {s:?}")))
    }

    /// Whether no further move is allowed out of this kind of stage.
    pub fn is_terminal(self) -> bool {
        self != StageKind::Open
    }
}

/// A fact a stage may require before a deal can enter it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GateField {
    /// The customer's core need, in words.
    CoreNeed,
    /// The role of the main contact in the buying decision.
    DecisionRole,
    /// The main contact person.
    ContactId,
    /// When the rep will follow up next (must be in the future).
    NextFollowUpAt,
    /// A positive deal amount.
    Amount,
    /// Why the deal was lost.
    LostReason,
}

impl GateField {
    /// Every gate field, in canonical order.
    pub const ALL: [GateField; 6] = [
        GateField::CoreNeed,
        GateField::DecisionRole,
        GateField::ContactId,
        GateField::NextFollowUpAt,
        GateField::Amount,
        GateField::LostReason,
    ];

    /// The GraphQL input field name this gate refers to.
    pub fn as_str(self) -> &'static str {
        match self {
            GateField::CoreNeed => "coreNeed",
            GateField::DecisionRole => "decisionRole",
            GateField::ContactId => "contactId",
            GateField::NextFollowUpAt => "nextFollowUpAt",
            GateField::Amount => "amount",
            GateField::LostReason => "lostReason",
        }
    }

    /// Parses a GraphQL input field name, e.g. when an admin configures gates.
    pub fn parse(s: &str) -> Result<GateField, FieldError> {
        GateField::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| FieldError::new("gateFields", format!("unknown gate field {s:?}")))
    }
}

impl fmt::Display for GateField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part a contact plays in the customer's buying decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecisionRole {
    /// Signs off the purchase.
    DecisionMaker,
    /// Sways the decision without making it.
    Influencer,
    /// Will use the product.
    User,
    /// Controls access to the decision makers.
    Gatekeeper,
    /// Advocates for us internally.
    Champion,
}

impl DecisionRole {
    /// Every decision role, for listings and tests.
    pub const ALL: [DecisionRole; 5] = [
        DecisionRole::DecisionMaker,
        DecisionRole::Influencer,
        DecisionRole::User,
        DecisionRole::Gatekeeper,
        DecisionRole::Champion,
    ];

    /// The wire/storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionRole::DecisionMaker => "DECISION_MAKER",
            DecisionRole::Influencer => "INFLUENCER",
            DecisionRole::User => "USER",
            DecisionRole::Gatekeeper => "GATEKEEPER",
            DecisionRole::Champion => "CHAMPION",
        }
    }

    /// Parses a wire/storage name.
    pub fn parse(s: &str) -> Result<DecisionRole, FieldError> {
        DecisionRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| FieldError::new("decisionRole", format!("unknown decision role {s:?}")))
    }
}

/// One configured pipeline stage of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StageDef {
    /// Stable key.
    pub key: StageKey,
    /// Display name (may be edited).
    pub name: String,
    /// Order in the pipeline, starting at 1.
    pub position: i32,
    /// Open or an outcome.
    pub kind: StageKind,
    /// Win probability in percent, for weighted forecasts.
    pub probability: u8,
    /// Facts required to enter this stage, in the order they are reported.
    pub gate_fields: Vec<GateField>,
    /// Hours after which a deal sitting here counts as stuck; `None` never.
    pub stuck_after_hours: Option<u32>,
}

/// The pipeline a new organisation starts with.
pub fn default_stages() -> Vec<StageDef> {
    use GateField::{Amount, CoreNeed, DecisionRole, LostReason, NextFollowUpAt};
    let open_gate = vec![CoreNeed, DecisionRole, NextFollowUpAt];
    let stage =
        |key: &'static str, name: &str, position, kind, probability, gate_fields, stuck| StageDef {
            key: StageKey::known(key),
            name: name.to_owned(),
            position,
            kind,
            probability,
            gate_fields,
            stuck_after_hours: stuck,
        };
    vec![
        stage("LEAD", "线索", 1, StageKind::Open, 10, vec![], Some(72)),
        stage(
            "QUALIFICATION",
            "初筛",
            2,
            StageKind::Open,
            20,
            open_gate.clone(),
            Some(72),
        ),
        stage(
            "NEEDS_CONFIRMED",
            "需求确认",
            3,
            StageKind::Open,
            40,
            open_gate.clone(),
            Some(72),
        ),
        stage(
            "DEMO",
            "方案演示",
            4,
            StageKind::Open,
            50,
            open_gate.clone(),
            Some(48),
        ),
        stage(
            "QUOTE",
            "报价",
            5,
            StageKind::Open,
            60,
            vec![CoreNeed, DecisionRole, NextFollowUpAt, Amount],
            Some(72),
        ),
        stage(
            "NEGOTIATION",
            "谈判",
            6,
            StageKind::Open,
            80,
            open_gate,
            Some(72),
        ),
        stage(
            "WON",
            "签约",
            7,
            StageKind::Won,
            100,
            vec![CoreNeed, DecisionRole],
            None,
        ),
        stage(
            "LOST",
            "输单",
            8,
            StageKind::Lost,
            0,
            vec![LostReason],
            None,
        ),
    ]
}

/// Looks a stage up by key.
pub fn stage_by_key<'a>(stages: &'a [StageDef], key: &StageKey) -> Option<&'a StageDef> {
    stages.iter().find(|s| &s.key == key)
}

/// Facts submitted with a stage move (everything optional; the gate decides what's required).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoveFacts {
    /// The customer's core need.
    pub core_need: Option<String>,
    /// The main contact's role in the decision.
    pub decision_role: Option<DecisionRole>,
    /// The main contact.
    pub contact_id: Option<ContactId>,
    /// Next planned follow-up.
    pub next_follow_up_at: Option<DateTime<Utc>>,
    /// Deal amount submitted with the move (overrides nothing; either it or the deal's amount counts).
    pub amount: Option<Money>,
    /// Why the deal was lost.
    pub lost_reason: Option<String>,
}

/// An approved stage move, with the path metrics to record alongside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionPlan {
    /// Stage the deal leaves.
    pub from: StageKey,
    /// Stage the deal enters.
    pub to: StageKey,
    /// Open stages jumped over on a forward move.
    pub forward_skips: u32,
    /// Whether the deal moved back to an earlier open stage.
    pub backward: bool,
}

/// Why a stage move was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    /// The target key is not one of the organisation's stages.
    #[error("unknown stage {0:?}")]
    UnknownStage(String),
    /// The deal is already in the target stage.
    #[error("deal is already in that stage")]
    SameStage,
    /// The deal is won or lost and cannot leave that stage.
    #[error("deal is in terminal stage {0} and cannot be moved")]
    FromTerminal(StageKey),
    /// Entering a won stage needs a signed contract.
    #[error("a signed contract is required to win a deal")]
    ContractRequired,
    /// Gate fields of the target stage that are missing, in gate order.
    #[error("missing required fields: {}", join_fields(.0))]
    MissingFields(Vec<GateField>),
}

fn join_fields(fields: &[GateField]) -> String {
    fields
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// Every gate field of `stage` not satisfied by `facts` (or the deal's current
/// amount), in gate order. Exposed so the UI can ask for everything at once.
pub fn missing_gate_fields(
    stage: &StageDef,
    deal_amount: Option<&Money>,
    facts: &MoveFacts,
    now: DateTime<Utc>,
) -> Vec<GateField> {
    stage
        .gate_fields
        .iter()
        .copied()
        .filter(|field| match field {
            GateField::CoreNeed => blank(facts.core_need.as_deref()),
            GateField::DecisionRole => facts.decision_role.is_none(),
            GateField::ContactId => facts.contact_id.is_none(),
            GateField::NextFollowUpAt => facts.next_follow_up_at.is_none_or(|at| at <= now),
            GateField::Amount => !facts
                .amount
                .as_ref()
                .or(deal_amount)
                .is_some_and(Money::is_positive),
            GateField::LostReason => blank(facts.lost_reason.as_deref()),
        })
        .collect()
}

/// Decides whether a deal may move from `from` to `to`, and with which path metrics.
///
/// Checks run in this order: unknown target, same stage, leaving a terminal
/// stage, missing contract for a won stage, then the target's gate. The
/// contract is checked before the gate so users are never asked to fill in
/// fields for a move that would be refused anyway.
///
/// A `from` key missing from `stages` (e.g. a since-deleted stage) is treated
/// as an open stage with no position, so the deal can be rescued; such moves
/// report no skips and are not backward.
pub fn plan_move(
    stages: &[StageDef],
    from: &StageKey,
    to: &StageKey,
    deal_amount: Option<&Money>,
    facts: &MoveFacts,
    has_contract: bool,
    now: DateTime<Utc>,
) -> Result<TransitionPlan, MoveError> {
    let target =
        stage_by_key(stages, to).ok_or_else(|| MoveError::UnknownStage(to.as_str().to_owned()))?;
    if from == to {
        return Err(MoveError::SameStage);
    }
    let source = stage_by_key(stages, from);
    if source.is_some_and(|s| s.kind.is_terminal()) {
        return Err(MoveError::FromTerminal(from.clone()));
    }
    if target.kind == StageKind::Won && !has_contract {
        return Err(MoveError::ContractRequired);
    }
    let missing = missing_gate_fields(target, deal_amount, facts, now);
    if !missing.is_empty() {
        return Err(MoveError::MissingFields(missing));
    }

    let (forward_skips, backward) = match source {
        Some(src) if target.kind == StageKind::Open => {
            if target.position > src.position {
                let between = stages
                    .iter()
                    .filter(|s| {
                        s.kind == StageKind::Open
                            && s.position > src.position
                            && s.position < target.position
                    })
                    .count();
                (u32::try_from(between).unwrap_or(u32::MAX), false)
            } else {
                (0, target.position < src.position)
            }
        }
        _ => (0, false),
    };
    Ok(TransitionPlan {
        from: from.clone(),
        to: to.clone(),
        forward_skips,
        backward,
    })
}

/// Validates an admin's edit of a stage, returning every problem at once.
pub fn validate_stage_update(
    name: Option<&str>,
    probability: Option<i32>,
    stuck_after_hours: Option<i32>,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if let Some(name) = name {
        let len = name.trim().chars().count();
        if !(1..=50).contains(&len) {
            errors.push(FieldError::new(
                "name",
                "must be 1-50 characters and not blank",
            ));
        }
    }
    if probability.is_some_and(|p| !(0..=100).contains(&p)) {
        errors.push(FieldError::new("probability", "must be between 0 and 100"));
    }
    if stuck_after_hours.is_some_and(|h| !(1..=8760).contains(&h)) {
        errors.push(FieldError::new(
            "stuckAfterHours",
            "must be between 1 and 8760",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap()
    }

    fn key(s: &str) -> StageKey {
        StageKey::parse(s).unwrap()
    }

    fn full_facts() -> MoveFacts {
        MoveFacts {
            core_need: Some("crm rollout".into()),
            decision_role: Some(DecisionRole::DecisionMaker),
            contact_id: Some(ContactId::new()),
            next_follow_up_at: Some(now() + Duration::days(1)),
            amount: Some(Money::from_minor_units(100_000, Currency::cny())),
            lost_reason: Some("price".into()),
        }
    }

    fn plan(
        from: &str,
        to: &str,
        facts: &MoveFacts,
        contract: bool,
    ) -> Result<TransitionPlan, MoveError> {
        plan_move(
            &default_stages(),
            &key(from),
            &key(to),
            None,
            facts,
            contract,
            now(),
        )
    }

    #[test]
    fn stage_key_rules() {
        assert!(StageKey::parse("A").is_ok());
        assert!(StageKey::parse("NEEDS_CONFIRMED2").is_ok());
        assert!(StageKey::parse(&"A".repeat(32)).is_ok());
        for bad in ["", "lead", "1LEAD", "_LEAD", "LE-AD", &"A".repeat(33)] {
            assert_eq!(StageKey::parse(bad).unwrap_err().field, "stage", "{bad}");
        }
    }

    #[test]
    fn enum_names_round_trip() {
        for g in GateField::ALL {
            assert_eq!(GateField::parse(g.as_str()), Ok(g));
        }
        for r in DecisionRole::ALL {
            assert_eq!(DecisionRole::parse(r.as_str()), Ok(r));
        }
        for k in [StageKind::Open, StageKind::Won, StageKind::Lost] {
            assert_eq!(StageKind::parse(k.as_str()), Ok(k));
        }
        assert_eq!(GateField::parse("budget").unwrap_err().field, "gateFields");
        assert_eq!(
            DecisionRole::parse("CEO").unwrap_err().field,
            "decisionRole"
        );
    }

    #[test]
    fn defaults_are_well_formed() {
        let stages = default_stages();
        let keys: Vec<&str> = stages.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "LEAD",
                "QUALIFICATION",
                "NEEDS_CONFIRMED",
                "DEMO",
                "QUOTE",
                "NEGOTIATION",
                "WON",
                "LOST"
            ]
        );
        for (i, s) in stages.iter().enumerate() {
            assert_eq!(s.position, i32::try_from(i).unwrap() + 1);
            assert!(StageKey::parse(s.key.as_str()).is_ok());
        }
        assert_eq!(
            stage_by_key(&stages, &StageKey::won()).unwrap().kind,
            StageKind::Won
        );
        assert_eq!(
            stage_by_key(&stages, &StageKey::lost()).unwrap().kind,
            StageKind::Lost
        );
        assert_eq!(
            stage_by_key(&stages, &key("DEMO"))
                .unwrap()
                .stuck_after_hours,
            Some(48)
        );
        assert!(stage_by_key(&stages, &key("QUOTE"))
            .unwrap()
            .gate_fields
            .contains(&GateField::Amount));
    }

    #[test]
    fn lists_every_missing_field_in_gate_order() {
        let err = plan("LEAD", "QUOTE", &MoveFacts::default(), false).unwrap_err();
        assert_eq!(
            err,
            MoveError::MissingFields(vec![
                GateField::CoreNeed,
                GateField::DecisionRole,
                GateField::NextFollowUpAt,
                GateField::Amount,
            ])
        );
        assert_eq!(
            err.to_string(),
            "missing required fields: coreNeed, decisionRole, nextFollowUpAt, amount"
        );
    }

    #[test]
    fn blank_and_past_values_count_as_missing() {
        let facts = MoveFacts {
            core_need: Some("   ".into()),
            next_follow_up_at: Some(now()),
            amount: Some(Money::from_minor_units(0, Currency::cny())),
            ..full_facts()
        };
        assert_eq!(
            plan("LEAD", "QUOTE", &facts, false),
            Err(MoveError::MissingFields(vec![
                GateField::CoreNeed,
                GateField::NextFollowUpAt,
                GateField::Amount
            ]))
        );
    }

    #[test]
    fn deal_amount_satisfies_amount_gate() {
        let facts = MoveFacts {
            amount: None,
            ..full_facts()
        };
        let amount = Money::from_minor_units(500, Currency::cny());
        let ok = plan_move(
            &default_stages(),
            &key("DEMO"),
            &key("QUOTE"),
            Some(&amount),
            &facts,
            false,
            now(),
        );
        assert!(ok.is_ok());
        let err = plan_move(
            &default_stages(),
            &key("DEMO"),
            &key("QUOTE"),
            None,
            &facts,
            false,
            now(),
        );
        assert_eq!(err, Err(MoveError::MissingFields(vec![GateField::Amount])));
    }

    #[test]
    fn contact_gate() {
        let mut stages = default_stages();
        stages[1].gate_fields = vec![GateField::ContactId];
        let facts = MoveFacts {
            contact_id: None,
            ..full_facts()
        };
        let err = plan_move(
            &stages,
            &key("LEAD"),
            &key("QUALIFICATION"),
            None,
            &facts,
            false,
            now(),
        );
        assert_eq!(
            err,
            Err(MoveError::MissingFields(vec![GateField::ContactId]))
        );
    }

    #[test]
    fn skips_and_backward() {
        let p = plan("LEAD", "DEMO", &full_facts(), false).unwrap();
        assert_eq!((p.forward_skips, p.backward), (2, false));
        let p = plan("LEAD", "QUALIFICATION", &full_facts(), false).unwrap();
        assert_eq!((p.forward_skips, p.backward), (0, false));
        let p = plan("NEGOTIATION", "QUALIFICATION", &full_facts(), false).unwrap();
        assert_eq!((p.forward_skips, p.backward), (0, true));
        let p = plan("LEAD", "LOST", &full_facts(), false).unwrap();
        assert_eq!((p.forward_skips, p.backward), (0, false));
        let p = plan("QUALIFICATION", "WON", &full_facts(), true).unwrap();
        assert_eq!((p.forward_skips, p.backward), (0, false));
    }

    #[test]
    fn refusals() {
        assert_eq!(
            plan("LEAD", "NOPE", &full_facts(), true),
            Err(MoveError::UnknownStage("NOPE".into()))
        );
        assert_eq!(
            plan("DEMO", "DEMO", &full_facts(), true),
            Err(MoveError::SameStage)
        );
        assert_eq!(
            plan("WON", "DEMO", &full_facts(), true),
            Err(MoveError::FromTerminal(StageKey::won()))
        );
        assert_eq!(
            plan("LOST", "LEAD", &full_facts(), true),
            Err(MoveError::FromTerminal(StageKey::lost()))
        );
        assert_eq!(
            plan("LOST", "WON", &full_facts(), true),
            Err(MoveError::FromTerminal(StageKey::lost()))
        );
    }

    #[test]
    fn contract_checked_before_gate() {
        assert_eq!(
            plan("DEMO", "WON", &MoveFacts::default(), false),
            Err(MoveError::ContractRequired)
        );
        assert_eq!(
            plan("DEMO", "WON", &MoveFacts::default(), true),
            Err(MoveError::MissingFields(vec![
                GateField::CoreNeed,
                GateField::DecisionRole
            ]))
        );
        assert!(plan("DEMO", "WON", &full_facts(), true).is_ok());
    }

    #[test]
    fn lost_needs_reason() {
        let facts = MoveFacts {
            lost_reason: Some(" ".into()),
            ..MoveFacts::default()
        };
        assert_eq!(
            plan("DEMO", "LOST", &facts, false),
            Err(MoveError::MissingFields(vec![GateField::LostReason]))
        );
    }

    #[test]
    fn unknown_source_can_be_rescued() {
        let p = plan("ARCHIVED", "DEMO", &full_facts(), false).unwrap();
        assert_eq!((p.forward_skips, p.backward), (0, false));
    }

    #[test]
    fn stage_update_validation() {
        assert_eq!(
            validate_stage_update(Some("报价"), Some(60), Some(72)),
            Ok(())
        );
        assert_eq!(validate_stage_update(None, None, None), Ok(()));
        let errs = validate_stage_update(Some("  "), Some(101), Some(0)).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "probability", "stuckAfterHours"]);
        assert!(
            validate_stage_update(Some(&"x".repeat(51)), Some(-1), Some(8761))
                .unwrap_err()
                .len()
                == 3
        );
        assert!(validate_stage_update(Some(&"名".repeat(50)), Some(0), Some(8760)).is_ok());
    }

    proptest! {
        #[test]
        fn forward_skips_match_position_gap(a in 0usize..6, b in 0usize..6) {
            let stages = default_stages();
            let (from, to) = (&stages[a], &stages[b]);
            prop_assume!(a != b);
            let p = plan_move(&stages, &from.key, &to.key, None, &full_facts(), false, now()).unwrap();
            let diff = to.position - from.position;
            prop_assert_eq!(i64::from(p.forward_skips), i64::from((diff - 1).max(0)));
            prop_assert_eq!(p.backward, diff < 0);
        }
    }
}
