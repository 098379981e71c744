//! Models read by column position.
//!
//! sea-orm's derived `FromQueryResult` looks each value up by name: it
//! formats `prefix + column` into a new string and hashes it, for every
//! value of every row. Under callgrind, a page of 50 deals with their
//! owners and customers spent two fifths of the server's instructions
//! there. The hot statements select whole models, in column order, so
//! [`ByPosition`] reads them by position instead. A test checks each
//! field list against the entity's columns.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryResult, QuerySelect, QueryTrait, Select};

use crate::entities::{activities, customers, deal_assignments, deal_transitions, deals, users};

/// Every model `select` finds, read by position. `select` must select
/// whole models (an `Entity::find()` with filters and order, not
/// `select_only`).
pub async fn all<E, C>(conn: &C, select: Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
    C: ConnectionTrait,
{
    let rows = conn.query_all(select.build(conn.get_database_backend())).await?;
    rows.iter().map(|row| E::Model::read_at(row, 0)).collect()
}

/// The first model `select` finds, read by position (as [`all`]).
pub async fn one<E, C>(conn: &C, select: Select<E>) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
    C: ConnectionTrait,
{
    let row = conn.query_one(select.limit(1).build(conn.get_database_backend())).await?;
    row.map(|row| E::Model::read_at(&row, 0)).transpose()
}

/// A model read from consecutive columns of a row, in the entity's column
/// order (the order sea-orm selects a whole model in).
pub trait ByPosition: Sized {
    /// The model's fields, in column order.
    const FIELDS: &'static [&'static str];
    /// How many columns the model takes.
    const COLUMNS: usize = Self::FIELDS.len();

    /// The model from the columns starting at `start`.
    fn read_at(row: &QueryResult, start: usize) -> Result<Self, DbErr>;

    /// A model that a LEFT JOIN brought, starting at `start`: `None` when
    /// the join matched nothing (its key is NULL).
    fn read_joined_at(row: &QueryResult, start: usize) -> Result<Option<Self>, DbErr>;
}

/// Implements [`ByPosition`] for a model from its key and fields, listed
/// in column order (the struct literal makes the list complete; the test
/// below checks the order).
macro_rules! by_position {
    ($($model:path { $key:ident: $key_type:ty $(, $field:ident)* $(,)? })*) => {$(
        impl ByPosition for $model {
            const FIELDS: &'static [&'static str] = &[stringify!($key) $(, stringify!($field))*];

            fn read_at(row: &QueryResult, start: usize) -> Result<Self, DbErr> {
                let mut at = start;
                let mut next = || {
                    at += 1;
                    at - 1
                };
                Ok(Self { $key: row.try_get_by_index(next())?, $($field: row.try_get_by_index(next())?),* })
            }

            fn read_joined_at(row: &QueryResult, start: usize) -> Result<Option<Self>, DbErr> {
                match row.try_get_by_index::<Option<$key_type>>(start)? {
                    Some(_) => Self::read_at(row, start).map(Some),
                    None => Ok(None),
                }
            }
        }
    )*};
}

by_position! {
    deals::Model {
        id: sea_orm::prelude::Uuid, org_id, title, customer_id, owner_id, created_by, stage, amount_cents, currency, product_line,
        expected_close_date, source, core_need, decision_role, contact_id, next_follow_up_at, lost_reason, entered_stage_at,
        last_activity_at, created_at, updated_at,
    }
    users::Model { id: sea_orm::prelude::Uuid, org_id, email, name, password_hash, role, team_id, manager_id, joined_at, active, created_at }
    customers::Model {
        id: sea_orm::prelude::Uuid, org_id, name, normalized_name, credit_code, industry, region, size, owner_id, created_by, created_at, updated_at,
    }
    activities::Model {
        id: sea_orm::prelude::Uuid, org_id, deal_id, customer_id, contact_id, kind, text, occurred_at, recorded_at, next_follow_up_at,
        backdate_reason, author_kind, author_id,
    }
    deal_transitions::Model {
        id: sea_orm::prelude::Uuid, org_id, deal_id, from_stage, to_stage, actor_kind, actor_id, at, forward_skips, backward, core_need,
        decision_role, contact_id, next_follow_up_at, lost_reason, from_stage_entered_at,
    }
    deal_assignments::Model { id: sea_orm::prelude::Uuid, org_id, deal_id, from_owner_id, to_owner_id, actor_kind, actor_id, at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    fn columns<E: EntityTrait>() -> Vec<String> {
        E::Column::iter().map(|column| column.as_str().to_string()).collect()
    }

    #[test]
    fn fields_are_listed_in_column_order() {
        assert_eq!(deals::Model::FIELDS.to_vec(), columns::<deals::Entity>());
        assert_eq!(users::Model::FIELDS.to_vec(), columns::<users::Entity>());
        assert_eq!(customers::Model::FIELDS.to_vec(), columns::<customers::Entity>());
        assert_eq!(activities::Model::FIELDS.to_vec(), columns::<activities::Entity>());
        assert_eq!(deal_transitions::Model::FIELDS.to_vec(), columns::<deal_transitions::Entity>());
        assert_eq!(deal_assignments::Model::FIELDS.to_vec(), columns::<deal_assignments::Entity>());
    }
}
