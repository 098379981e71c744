//! Deals, their stage transitions and reassignments.

use chrono::{DateTime, Duration, Utc};
use dealdesk_domain::{DealId, OrgId};
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, IntoCondition, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, IntoActiveModel, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationDef, Select,
};

use crate::customers::like_pattern;
use crate::entities::{customers, deal_assignments, deal_transitions, deals, users};
use crate::page::{self, Keyset};
use crate::rows::{ByPosition, Checked, Picked};
use crate::Visible;

fn visible(org: OrgId, scope: &Visible) -> Select<deals::Entity> {
    let select = deals::Entity::find().filter(deals::Column::OrgId.eq(org.into_uuid()));
    match scope {
        Visible::All => select,
        Visible::Owners(owners) => select.filter(deals::Column::OwnerId.is_in(owners.iter().copied())),
    }
}

/// A deal the caller may see.
pub async fn find_visible<C: ConnectionTrait>(conn: &C, org: OrgId, scope: &Visible, id: DealId) -> Result<Option<deals::Model>, DbErr> {
    visible(org, scope).filter(deals::Column::Id.eq(id.into_uuid())).one(conn).await
}

/// The deals among `ids` the caller may see.
pub async fn find_many_visible<C: ConnectionTrait>(conn: &C, org: OrgId, scope: &Visible, ids: &[Uuid]) -> Result<Vec<deals::Model>, DbErr> {
    crate::rows::all(conn, visible(org, scope).filter(deals::Column::Id.is_in(ids.iter().copied()))).await
}

/// Deals of the org by id (for jobs, which see the whole org).
pub async fn find_many<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<deals::Model>, DbErr> {
    deals::Entity::find()
        .filter(deals::Column::OrgId.eq(org.into_uuid()))
        .filter(deals::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await
}

/// The ids of a customer's deals the caller may see, as a subquery (a
/// customer's timeline reads its deals' entries through it, however many
/// deals there are, without binding each id).
pub fn visible_ids_of_customer(org: OrgId, scope: &Visible, customer: Uuid) -> sea_orm::sea_query::SelectStatement {
    visible(org, scope).select_only().column(deals::Column::Id).filter(deals::Column::CustomerId.eq(customer)).into_query()
}

/// A stage's stuck threshold, for the `stuck` filter.
#[derive(Clone, Debug)]
pub struct StuckRule {
    /// The stage key.
    pub stage: String,
    /// Hours without activity after which a deal in it is stuck.
    pub hours: u32,
}

/// The sort key of a deal list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealSort {
    /// Creation time.
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Time the deal entered its current stage.
    EnteredStageAt,
}

/// Filters for [`list`].
#[derive(Clone, Debug, Default)]
pub struct DealQuery {
    /// Substring of the title.
    pub search: Option<String>,
    /// Exact stage key.
    pub stage: Option<String>,
    /// Exact owner.
    pub owner_id: Option<Uuid>,
    /// Exact customer.
    pub customer_id: Option<Uuid>,
    /// The customer's industry.
    pub industry: Option<String>,
    /// The customer's region.
    pub region: Option<String>,
    /// Exact product line.
    pub product_line: Option<String>,
    /// Only deals in one of these stages (e.g. the open ones).
    pub stage_in: Option<Vec<String>>,
    /// Only deals whose next follow-up is at or before this time.
    pub follow_up_due_before: Option<DateTime<Utc>>,
    /// Only stuck (true) or only not-stuck open deals (false), given the rules and `now`.
    pub stuck: Option<(bool, Vec<StuckRule>, DateTime<Utc>)>,
}

pub(crate) fn stuck_condition(rules: &[StuckRule], now: DateTime<Utc>) -> Condition {
    let mut any = Condition::any();
    for rule in rules {
        let cutoff = now - Duration::hours(i64::from(rule.hours));
        any = any.add(
            Condition::all()
                .add(deals::Column::Stage.eq(rule.stage.as_str()))
                .add(deals::Column::EnteredStageAt.lt(cutoff))
                .add(
                    Condition::any()
                        .add(deals::Column::LastActivityAt.is_null())
                        .add(deals::Column::LastActivityAt.lt(cutoff)),
                ),
        );
    }
    if rules.is_empty() {
        any = any.add(page::nothing());
    }
    any
}

fn filtered(org: OrgId, scope: &Visible, query: &DealQuery) -> Select<deals::Entity> {
    let mut select = visible(org, scope);
    if let Some(search) = &query.search {
        select = select.filter(deals::Column::Title.like(like_pattern(search)));
    }
    if let Some(stage) = &query.stage {
        select = select.filter(deals::Column::Stage.eq(stage.as_str()));
    }
    if let Some(owner) = query.owner_id {
        select = select.filter(deals::Column::OwnerId.eq(owner));
    }
    if let Some(stages) = &query.stage_in {
        select = select.filter(deals::Column::Stage.is_in(stages.iter().map(String::as_str)));
    }
    if let Some(due) = query.follow_up_due_before {
        select = select.filter(deals::Column::NextFollowUpAt.lte(due));
    }
    if let Some(customer) = query.customer_id {
        select = select.filter(deals::Column::CustomerId.eq(customer));
    }
    if let Some(product_line) = &query.product_line {
        select = select.filter(deals::Column::ProductLine.eq(product_line.as_str()));
    }
    if query.industry.is_some() || query.region.is_some() {
        let mut customers_matching = Query::select()
            .column(customers::Column::Id)
            .from(customers::Entity)
            .and_where(customers::Column::OrgId.eq(org.into_uuid()))
            .to_owned();
        if let Some(industry) = &query.industry {
            customers_matching.and_where(customers::Column::Industry.eq(industry.as_str()));
        }
        if let Some(region) = &query.region {
            customers_matching.and_where(customers::Column::Region.eq(region.as_str()));
        }
        select = select.filter(deals::Column::CustomerId.in_subquery(customers_matching));
    }
    if let Some((stuck, rules, now)) = &query.stuck {
        let condition = stuck_condition(rules, *now);
        select = if *stuck {
            select.filter(condition)
        } else {
            let open: Vec<&str> = rules.iter().map(|rule| rule.stage.as_str()).collect();
            select.filter(deals::Column::Stage.is_in(open)).filter(condition.not())
        };
    }
    select
}

/// What a statement reads for each deal: which of its columns and, joined
/// to it because the screen shows them beside it, its owner and customer
/// with which of theirs. Joining makes a page one statement instead of one
/// more batch per kind of record; picking columns keeps that statement as
/// narrow as the screen (see [`Picked`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The deal's columns.
    pub deal: Picked,
    /// The owner's columns, when joined.
    pub owner: Option<Picked>,
    /// The customer's columns, when joined.
    pub customer: Option<Picked>,
}

/// A listed deal with the records joined to it (`None` when not joined),
/// each holding the columns its [`Selection`] picked.
#[derive(Clone, Debug)]
pub struct Listed {
    pub deal: deals::Model,
    pub owner: Option<users::Model>,
    pub customer: Option<customers::Model>,
}

impl Listed {
    fn new(deal: deals::Model, owner: Option<users::Model>, customer: Option<customers::Model>) -> Self {
        Self { deal, owner, customer }
    }
}

/// `deals.owner_id = users.id`, within the deal's org.
fn owner_join() -> RelationDef {
    deals::Entity::belongs_to(users::Entity)
        .from(deals::Column::OwnerId)
        .to(users::Column::Id)
        .on_condition(|deal, user| Expr::col((deal, deals::Column::OrgId)).equals((user, users::Column::OrgId)).into_condition())
        .into()
}

/// `deals.customer_id = customers.id`, within the deal's org.
fn customer_join() -> RelationDef {
    deals::Entity::belongs_to(customers::Entity)
        .from(deals::Column::CustomerId)
        .to(customers::Column::Id)
        .on_condition(|deal, customer| {
            Expr::col((deal, deals::Column::OrgId)).equals((customer, customers::Column::OrgId)).into_condition()
        })
        .into()
}

/// The select list of deals with the records `selection` joins: the
/// deal's picked columns, then its owner's, then its customer's, each in
/// column order (see [`ByPosition::picked_select_list`]).
fn selected_columns(backend: DbBackend, selection: Selection) -> String {
    let mut lists = vec![deals::Model::picked_select_list(backend, selection.deal)];
    if let Some(owner) = selection.owner {
        lists.push(users::Model::picked_select_list(backend, owner));
    }
    if let Some(customer) = selection.customer {
        lists.push(customers::Model::picked_select_list(backend, customer));
    }
    lists.join(", ")
}

/// The deals `select` finds, with the columns and joined records
/// `selection` asks for, in one statement (read by column position: see
/// [`crate::rows`]). A joined record's key is always read: a NULL key is
/// how a LEFT JOIN that matched nothing shows.
async fn all_joined<C: ConnectionTrait>(conn: &C, select: Select<deals::Entity>, selection: Selection) -> Result<Vec<Listed>, DbErr> {
    let backend = conn.get_database_backend();
    let selection = Selection {
        owner: selection.owner.map(|owner| owner.union(Picked::KEY)),
        customer: selection.customer.map(|customer| customer.union(Picked::KEY)),
        ..selection
    };
    let mut select = select.select_only().expr(Expr::cust(selected_columns(backend, selection)));
    if selection.owner.is_some() {
        select = select.join(JoinType::LeftJoin, owner_join());
    }
    if selection.customer.is_some() {
        select = select.join(JoinType::LeftJoin, customer_join());
    }
    let statement = select.build(backend);
    let rows = conn.query_all(statement).await?;
    // The joined models follow the deal's columns, the owner's first.
    let owner_at = deals::Model::picked_columns(selection.deal);
    let customer_at = owner_at + selection.owner.map_or(0, users::Model::picked_columns);
    let rows = Checked::new(&rows, |columns| {
        deals::Model::check_picked_at(columns, 0, selection.deal)?;
        if let Some(owner) = selection.owner {
            users::Model::check_picked_at(columns, owner_at, owner)?;
        }
        if let Some(customer) = selection.customer {
            customers::Model::check_picked_at(columns, customer_at, customer)?;
        }
        Ok(())
    })?;
    rows.iter()
        .map(|row| {
            let deal = deals::Model::read_picked_at(&row, 0, selection.deal)?;
            let owner = match selection.owner {
                Some(owner) => users::Model::read_joined_at(&row, owner_at, owner)?,
                None => None,
            };
            let customer = match selection.customer {
                Some(customer) => customers::Model::read_joined_at(&row, customer_at, customer)?,
                None => None,
            };
            Ok(Listed::new(deal, owner, customer))
        })
        .collect()
}

/// A deal the caller may see, with the columns and records `selection` asks for.
pub async fn find_visible_joined<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    scope: &Visible,
    id: DealId,
    selection: Selection,
) -> Result<Option<Listed>, DbErr> {
    let select = visible(org, scope).filter(deals::Column::Id.eq(id.into_uuid()));
    Ok(all_joined(conn, select, selection).await?.into_iter().next())
}

/// A window of visible deals, with the columns and records `selection`
/// asks for (and always the id and the sort key, which the window's
/// cursors are made of), and the total matching.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    scope: &Visible,
    query: &DealQuery,
    sort: DealSort,
    keyset: &Keyset,
    selection: Selection,
) -> Result<(Vec<Listed>, u64), DbErr> {
    let total = if keyset.count { filtered(org, scope, query).count(conn).await? } else { 0 };
    let at = match sort {
        DealSort::CreatedAt => deals::Column::CreatedAt,
        DealSort::UpdatedAt => deals::Column::UpdatedAt,
        DealSort::EnteredStageAt => deals::Column::EnteredStageAt,
    };
    let selection = Selection { deal: selection.deal.with::<deals::Entity>(deals::Column::Id).with::<deals::Entity>(at), ..selection };
    let rows = all_joined(conn, page::apply(filtered(org, scope, query), at, deals::Column::Id, keyset), selection).await?;
    Ok((rows, total))
}

/// Adds a deal.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: deals::Model) -> Result<(), DbErr> {
    deals::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Replaces a deal row.
pub async fn update<C: ConnectionTrait>(conn: &C, row: deals::Model) -> Result<deals::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}

/// Records a stage transition.
pub async fn insert_transition<C: ConnectionTrait>(conn: &C, row: deal_transitions::Model) -> Result<(), DbErr> {
    deal_transitions::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Records a reassignment.
pub async fn insert_assignment<C: ConnectionTrait>(conn: &C, row: deal_assignments::Model) -> Result<(), DbErr> {
    deal_assignments::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Every transition of some deals, oldest first (each deal's in its own order).
pub async fn transitions_of_deals<C: ConnectionTrait>(conn: &C, org: OrgId, deals: &[Uuid]) -> Result<Vec<deal_transitions::Model>, DbErr> {
    deal_transitions::Entity::find()
        .filter(deal_transitions::Column::OrgId.eq(org.into_uuid()))
        .filter(deal_transitions::Column::DealId.is_in(deals.iter().copied()))
        .order_by_asc(deal_transitions::Column::At)
        .order_by_asc(deal_transitions::Column::Id)
        .all(conn)
        .await
}
