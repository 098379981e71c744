//! Customers and contacts.

use dealdesk_domain::{CustomerId, OrgId};
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Select,
};

use crate::entities::{contacts, customers, deals};
use crate::page::{self, Keyset};
use crate::Visible;

/// Customers a caller may see: owned by a visible owner, or the customer of a visible owner's deal.
fn visible(org: OrgId, visible: &Visible) -> Select<customers::Entity> {
    let select = customers::Entity::find().filter(customers::Column::OrgId.eq(org.into_uuid()));
    match visible {
        Visible::All => select,
        Visible::Owners(owners) => {
            let deal_customers = Query::select()
                .column(deals::Column::CustomerId)
                .from(deals::Entity)
                .and_where(deals::Column::OrgId.eq(org.into_uuid()))
                .and_where(deals::Column::OwnerId.is_in(owners.iter().copied()))
                .to_owned();
            select.filter(
                Condition::any()
                    .add(customers::Column::OwnerId.is_in(owners.iter().copied()))
                    .add(customers::Column::Id.in_subquery(deal_customers)),
            )
        }
    }
}

/// A customer the caller may see.
pub async fn find_visible<C: ConnectionTrait>(conn: &C, org: OrgId, scope: &Visible, id: CustomerId) -> Result<Option<customers::Model>, DbErr> {
    visible(org, scope)
        .filter(customers::Column::Id.eq(id.into_uuid()))
        .one(conn)
        .await
}

/// The customers among `ids` the caller may see.
pub async fn find_many_visible<C: ConnectionTrait>(conn: &C, org: OrgId, scope: &Visible, ids: &[Uuid]) -> Result<Vec<customers::Model>, DbErr> {
    crate::rows::all(conn, visible(org, scope).filter(customers::Column::Id.is_in(ids.iter().copied()))).await
}

/// Customers of the org by id, whatever their owner (for a visible deal's customer).
pub async fn find_many<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<customers::Model>, DbErr> {
    let select = customers::Entity::find()
        .filter(customers::Column::OrgId.eq(org.into_uuid()))
        .filter(customers::Column::Id.is_in(ids.iter().copied()));
    crate::rows::all(conn, select).await
}

/// A customer of the org by credit code (duplicate check).
pub async fn find_by_credit_code<C: ConnectionTrait>(conn: &C, org: OrgId, code: &str) -> Result<Option<customers::Model>, DbErr> {
    customers::Entity::find()
        .filter(customers::Column::OrgId.eq(org.into_uuid()))
        .filter(customers::Column::CreditCode.eq(code))
        .one(conn)
        .await
}

/// Filters for [`list`].
#[derive(Clone, Debug, Default)]
pub struct CustomerQuery {
    /// Substring of the name, or an exact credit code.
    pub search: Option<String>,
    /// Exact industry.
    pub industry: Option<String>,
    /// Exact region.
    pub region: Option<String>,
    /// Exact owner.
    pub owner_id: Option<Uuid>,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

fn filtered(org: OrgId, scope: &Visible, query: &CustomerQuery) -> Select<customers::Entity> {
    let mut select = visible(org, scope);
    if let Some(search) = &query.search {
        select = select.filter(
            Condition::any()
                .add(customers::Column::Name.like(like_pattern(search)))
                .add(customers::Column::CreditCode.eq(search.to_uppercase())),
        );
    }
    if let Some(industry) = &query.industry {
        select = select.filter(customers::Column::Industry.eq(industry.as_str()));
    }
    if let Some(region) = &query.region {
        select = select.filter(customers::Column::Region.eq(region.as_str()));
    }
    if let Some(owner) = query.owner_id {
        select = select.filter(customers::Column::OwnerId.eq(owner));
    }
    select
}

/// A window of visible customers (newest first by default) and the total matching.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    scope: &Visible,
    query: &CustomerQuery,
    keyset: &Keyset,
) -> Result<(Vec<customers::Model>, u64), DbErr> {
    let total = filtered(org, scope, query).count(conn).await?;
    let rows = page::apply(filtered(org, scope, query), customers::Column::CreatedAt, customers::Column::Id, keyset)
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// Adds a customer.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: customers::Model) -> Result<(), DbErr> {
    customers::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Adds a contact.
pub async fn insert_contact<C: ConnectionTrait>(conn: &C, row: contacts::Model) -> Result<(), DbErr> {
    contacts::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// A contact of the org.
pub async fn find_contact<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<contacts::Model>, DbErr> {
    contacts::Entity::find_by_id(id)
        .filter(contacts::Column::OrgId.eq(org.into_uuid()))
        .one(conn)
        .await
}

/// Contacts of the org by id.
pub async fn find_contacts<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<contacts::Model>, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::OrgId.eq(org.into_uuid()))
        .filter(contacts::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await
}

/// The contacts of some customers, oldest first.
pub async fn contacts_of_customers<C: ConnectionTrait>(conn: &C, org: OrgId, customers: &[Uuid]) -> Result<Vec<contacts::Model>, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::OrgId.eq(org.into_uuid()))
        .filter(contacts::Column::CustomerId.is_in(customers.iter().copied()))
        .order_by_asc(contacts::Column::CreatedAt)
        .order_by_asc(contacts::Column::Id)
        .all(conn)
        .await
}

/// Replaces a customer row.
pub async fn update<C: ConnectionTrait>(conn: &C, row: customers::Model) -> Result<customers::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}
