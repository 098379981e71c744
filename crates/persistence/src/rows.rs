//! Models read by column position.
//!
//! sea-orm's derived `FromQueryResult` looks each value up by name: it
//! formats `prefix + column` into a new string and hashes it, for every
//! value of every row. Under callgrind, a page of 50 deals with their
//! owners and customers spent two fifths of the server's instructions
//! there. The hot statements select whole models, in column order, so
//! [`ByPosition`] reads them by position instead. A test checks each
//! field list against the entity's columns.
//!
//! On PostgreSQL the values are decoded by sqlx directly, and each
//! column's type is checked against its field once per result ([`Checked`]):
//! every row of a result has the same columns. Going through sea-orm's
//! `TryGetable` checked the type again for every value and, for every
//! NULL, formatted an error message only to turn it into `None`; that was
//! 15% of a list request's instructions under callgrind.

use std::sync::OnceLock;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::sqlx::postgres::{PgRow, Postgres};
use sea_orm::sqlx::{Column as _, Decode, Row as _, Type, TypeInfo as _};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, Iterable, ModelTrait, QueryResult, QuerySelect, QueryTrait, Select, TryGetable,
};

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
    let backend = conn.get_database_backend();
    let rows = conn.query_all(whole_models(select, backend).build(backend)).await?;
    let rows = Checked::new(&rows, |columns| E::Model::check_at(columns, 0))?;
    rows.iter().map(|row| E::Model::read_at(&row, 0)).collect()
}

/// The first model `select` finds, read by position (as [`all`]).
pub async fn one<E, C>(conn: &C, select: Select<E>) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: ByPosition,
    C: ConnectionTrait,
{
    Ok(all(conn, select.limit(1)).await?.into_iter().next())
}

/// `select` with its select list replaced by the model's rendered one:
/// the same columns in the same order, without sea-query quoting each
/// identifier again (7% of a list request's instructions, for some fifty
/// columns).
fn whole_models<E>(select: Select<E>, backend: DbBackend) -> Select<E>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    select.select_only().expr(Expr::cust(E::Model::select_list(backend)))
}

/// How many backends sea-orm has, for texts rendered once per backend.
pub const BACKENDS: usize = 3;

/// The index of `backend` among [`BACKENDS`].
pub fn backend_index(backend: DbBackend) -> usize {
    match backend {
        DbBackend::MySql => 0,
        DbBackend::Postgres => 1,
        DbBackend::Sqlite => 2,
    }
}

/// A select list of every column of `entity`, in column order (how
/// [`ByPosition::select_list`] renders its model's).
pub fn render_select_list<E: EntityTrait>(entity: E, backend: DbBackend) -> String {
    let mut list = Query::select();
    list.columns(E::Column::iter().map(|column| (entity, column)));
    let sql = backend.build(&list).sql;
    sql.strip_prefix("SELECT ").unwrap_or(&sql).to_string()
}

/// A statement's rows, their column types checked against the models
/// read from them.
pub struct Checked<'r> {
    rows: &'r [QueryResult],
}

impl<'r> Checked<'r> {
    /// Checks the columns of `rows` with `check` (the models' `check_at`
    /// at their offsets); nothing to check when there are no rows.
    pub fn new(rows: &'r [QueryResult], check: impl FnOnce(&Columns<'_>) -> Result<(), DbErr>) -> Result<Self, DbErr> {
        if let Some(first) = rows.first() {
            check(&Columns(first.try_as_pg_row()))?;
        }
        Ok(Self { rows })
    }

    /// The rows, to read models from.
    pub fn iter(&self) -> impl Iterator<Item = Row<'r>> + '_ {
        self.rows.iter().map(Row::new)
    }

}

/// The columns of a result, for their types to be checked.
pub struct Columns<'r>(Option<&'r PgRow>);

impl Columns<'_> {
    /// Whether column `index` can be read into a field of type `T`; the
    /// field accessor only names `T`. (Off PostgreSQL every read is checked.)
    pub fn check<M, T: Type<Postgres>>(&self, index: usize, _field: fn(&M) -> &T) -> Result<(), DbErr> {
        let Some(row) = self.0 else { return Ok(()) };
        let column = row.try_column(index).map_err(|error| DbErr::Type(format!("column {index}: {error}")))?;
        if T::compatible(column.type_info()) {
            Ok(())
        } else {
            Err(DbErr::Type(format!(
                "column {index} ({}) is {}, which does not read as {}",
                column.name(),
                column.type_info().name(),
                std::any::type_name::<T>()
            )))
        }
    }
}

/// A row of a [`Checked`] result.
pub struct Row<'r> {
    row: &'r QueryResult,
    pg: Option<&'r PgRow>,
}

impl<'r> Row<'r> {
    fn new(row: &'r QueryResult) -> Self {
        Self { row, pg: row.try_as_pg_row() }
    }

    /// The value at `index`: on PostgreSQL decoded without checking its
    /// type again (its column was checked), elsewhere through sea-orm.
    pub fn get<T>(&self, index: usize) -> Result<T, DbErr>
    where
        T: TryGetable + Type<Postgres> + Decode<'r, Postgres>,
    {
        match self.pg {
            Some(row) => row.try_get_unchecked::<T, _>(index).map_err(|error| DbErr::Type(format!("column {index}: {error}"))),
            None => self.row.try_get_by_index(index),
        }
    }
}

/// A model read from consecutive columns of a row, in the entity's column
/// order (the order sea-orm selects a whole model in).
pub trait ByPosition: Sized {
    /// The model's fields, in column order.
    const FIELDS: &'static [&'static str];
    /// How many columns the model takes.
    const COLUMNS: usize = Self::FIELDS.len();

    /// Every column of the model's table, qualified by the table's name,
    /// in column order, as `backend` writes them (rendered once).
    fn select_list(backend: DbBackend) -> &'static str;

    /// Checks the types of the columns starting at `start` against the
    /// model's fields.
    fn check_at(columns: &Columns<'_>, start: usize) -> Result<(), DbErr>;

    /// The model from the columns starting at `start`.
    fn read_at(row: &Row<'_>, start: usize) -> Result<Self, DbErr>;

    /// A model that a LEFT JOIN brought, starting at `start`: `None` when
    /// the join matched nothing (its key is NULL).
    fn read_joined_at(row: &Row<'_>, start: usize) -> Result<Option<Self>, DbErr>;
}

/// Implements [`ByPosition`] for a model from its key and fields, listed
/// in column order (the struct literal makes the list complete; the test
/// below checks the order).
macro_rules! by_position {
    ($($model:path { $key:ident: $key_type:ty $(, $field:ident)* $(,)? })*) => {$(
        impl ByPosition for $model {
            const FIELDS: &'static [&'static str] = &[stringify!($key) $(, stringify!($field))*];

            fn select_list(backend: DbBackend) -> &'static str {
                static RENDERED: [OnceLock<String>; BACKENDS] = [const { OnceLock::new() }; BACKENDS];
                RENDERED[backend_index(backend)].get_or_init(|| render_select_list(<Self as ModelTrait>::Entity::default(), backend))
            }

            fn check_at(columns: &Columns<'_>, start: usize) -> Result<(), DbErr> {
                columns.check(start, |model: &Self| &model.$key)?;
                let mut at = start;
                $(
                    at += 1;
                    columns.check(at, |model: &Self| &model.$field)?;
                )*
                let _ = at;
                Ok(())
            }

            fn read_at(row: &Row<'_>, start: usize) -> Result<Self, DbErr> {
                let mut at = start;
                let mut next = || {
                    at += 1;
                    at - 1
                };
                Ok(Self { $key: row.get(next())?, $($field: row.get(next())?),* })
            }

            fn read_joined_at(row: &Row<'_>, start: usize) -> Result<Option<Self>, DbErr> {
                match row.get::<Option<$key_type>>(start)? {
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

    /// The rendered list is exactly the select list of `Entity::find()`.
    fn assert_select_list<E: EntityTrait>()
    where
        E::Model: ByPosition,
    {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let sql = E::find().build(backend).sql;
            let list = sql.strip_prefix("SELECT ").and_then(|rest| rest.split(" FROM ").next()).expect("a select list");
            assert_eq!(E::Model::select_list(backend), list);
        }
    }

    #[test]
    fn select_lists_are_those_sea_orm_writes() {
        assert_select_list::<deals::Entity>();
        assert_select_list::<users::Entity>();
        assert_select_list::<customers::Entity>();
        assert_select_list::<activities::Entity>();
        assert_select_list::<deal_transitions::Entity>();
        assert_select_list::<deal_assignments::Entity>();
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
