//! Models read by column position.
//!
//! sea-orm's derived `FromQueryResult` looks each value up by name: it
//! formats `prefix + column` into a new string and hashes it, for every
//! value of every row. Under callgrind, a page of 50 deals with their
//! owners and customers spent two fifths of the server's instructions
//! there. The hot statements select whole models, or some of their
//! columns ([`Picked`]), in column order, so [`ByPosition`] reads them by
//! position instead. A test checks each field list against the entity's
//! columns.
//!
//! On PostgreSQL the values are decoded by sqlx directly, and each
//! column's type is checked against its field once per result ([`Checked`]):
//! every row of a result has the same columns. Going through sea-orm's
//! `TryGetable` checked the type again for every value and, for every
//! NULL, formatted an error message only to turn it into `None`; that was
//! 15% of a list request's instructions under callgrind.

use std::borrow::Cow;
use std::sync::OnceLock;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::sqlx::postgres::{PgRow, Postgres};
use sea_orm::sqlx::{Column as _, Decode, Row as _, Type, TypeInfo as _};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable, ModelTrait, QueryResult, QuerySelect, QueryTrait, Select, TryGetable,
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
pub(crate) fn whole_models<E>(select: Select<E>, backend: DbBackend) -> Select<E>
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    select.select_only().expr(Expr::cust(E::Model::select_list(backend)))
}

/// How many backends sea-orm has, for texts rendered once per backend.
const BACKENDS: usize = 3;

/// The index of `backend` among [`BACKENDS`].
fn backend_index(backend: DbBackend) -> usize {
    match backend {
        DbBackend::MySql => 0,
        DbBackend::Postgres => 1,
        DbBackend::Sqlite => 2,
    }
}

/// Every column of `entity`, qualified by its table, in column order, each
/// as `backend` writes it in a select list (how [`ByPosition::select_list`]
/// and [`ByPosition::picked_select_list`] render their model's).
pub fn render_columns<E: EntityTrait>(entity: E, backend: DbBackend) -> Vec<String> {
    E::Column::iter()
        .map(|column| {
            let sql = backend.build(Query::select().column((entity, column))).sql;
            sql.strip_prefix("SELECT ").unwrap_or(&sql).to_string()
        })
        .collect()
}

/// Which columns of a model a statement reads: positions in
/// [`ByPosition::FIELDS`]. A list reads only what its GraphQL selection
/// shows (whole deals with their owners and customers are 48 columns; the
/// bench's list screen reads 13); the fields not read are left at their
/// type's default, so whoever picks the columns must pick every one its
/// readers look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Picked(u64);

impl Picked {
    /// Every column: the whole model.
    pub const ALL: Picked = Picked(u64::MAX);
    /// No column (yet).
    pub const NONE: Picked = Picked(0);
    /// The model's key, its first column.
    pub const KEY: Picked = Picked(1);

    /// The columns `columns` of entity `E`.
    pub fn of<E: EntityTrait>(columns: &[E::Column]) -> Self {
        columns.iter().fold(Self::NONE, |picked, &column| picked.with::<E>(column))
    }

    /// These columns and `column` of entity `E`.
    #[must_use]
    pub fn with<E: EntityTrait>(self, column: E::Column) -> Self {
        // `column` is one of its entity's columns: its position is always found.
        let at = E::Column::iter().position(|each| each.as_str() == column.as_str()).unwrap_or(0);
        Self(self.0 | 1 << at)
    }

    /// The columns of both.
    #[must_use]
    pub fn union(self, other: Picked) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the column at `position` is read.
    pub fn has(self, position: usize) -> bool {
        self.0 & (1 << position) != 0
    }

    /// How many of a model's `columns` are read.
    pub fn count(self, columns: usize) -> usize {
        (0..columns).filter(|&position| self.has(position)).count()
    }
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

/// Where the next field of a model is read: the field's position in
/// [`ByPosition::FIELDS`] and, when its column is picked, the column's
/// index in the row.
pub struct Cursor {
    field: usize,
    column: usize,
    picked: Picked,
}

impl Cursor {
    /// Before the first field of a model whose picked columns start at `start`.
    pub fn new(start: usize, picked: Picked) -> Self {
        Self { field: 0, column: start, picked }
    }

    /// Moves past the next field; the index of its column when it is read.
    fn next(&mut self) -> Option<usize> {
        let field = self.field;
        self.field += 1;
        self.picked.has(field).then(|| {
            self.column += 1;
            self.column - 1
        })
    }
}

impl Columns<'_> {
    /// Checks the next field's column, when it is read (see [`Columns::check`]).
    pub fn check_next<M, T: Type<Postgres>>(&self, cursor: &mut Cursor, field: fn(&M) -> &T) -> Result<(), DbErr> {
        match cursor.next() {
            Some(index) => self.check(index, field),
            None => Ok(()),
        }
    }
}

impl<'r> Row<'r> {
    /// The next field: its column's value when it is read, else its type's default.
    pub fn take<T>(&self, cursor: &mut Cursor) -> Result<T, DbErr>
    where
        T: TryGetable + Type<Postgres> + Decode<'r, Postgres> + Default,
    {
        match cursor.next() {
            Some(index) => self.get(index),
            None => Ok(T::default()),
        }
    }
}

/// A model read from consecutive columns of a row, in the entity's column
/// order (the order sea-orm selects a whole model in), all of them or the
/// [`Picked`] ones.
pub trait ByPosition: Sized {
    /// The model's fields, in column order.
    const FIELDS: &'static [&'static str];
    /// How many columns the whole model takes.
    const COLUMNS: usize = Self::FIELDS.len();

    /// Each column of the model's table, qualified by the table's name, in
    /// column order, as `backend` writes it (rendered once).
    fn columns(backend: DbBackend) -> &'static [String];

    /// Every column, as [`ByPosition::columns`], as one select list (joined once).
    fn select_list(backend: DbBackend) -> &'static str;

    /// The picked columns, in column order, as one select list.
    fn picked_select_list(backend: DbBackend, picked: Picked) -> Cow<'static, str> {
        if picked == Picked::ALL {
            return Cow::Borrowed(Self::select_list(backend));
        }
        let picked: Vec<&str> =
            Self::columns(backend).iter().enumerate().filter(|(position, _)| picked.has(*position)).map(|(_, column)| column.as_str()).collect();
        Cow::Owned(picked.join(", "))
    }

    /// How many columns the picked ones are.
    fn picked_columns(picked: Picked) -> usize {
        picked.count(Self::COLUMNS)
    }

    /// Checks the types of the picked columns, starting at `start`,
    /// against the model's fields.
    fn check_picked_at(columns: &Columns<'_>, start: usize, picked: Picked) -> Result<(), DbErr>;

    /// Checks the types of every column, starting at `start`.
    fn check_at(columns: &Columns<'_>, start: usize) -> Result<(), DbErr> {
        Self::check_picked_at(columns, start, Picked::ALL)
    }

    /// The model from the picked columns starting at `start`; the other
    /// fields hold their type's default.
    fn read_picked_at(row: &Row<'_>, start: usize, picked: Picked) -> Result<Self, DbErr>;

    /// The whole model from the columns starting at `start`.
    fn read_at(row: &Row<'_>, start: usize) -> Result<Self, DbErr> {
        Self::read_picked_at(row, start, Picked::ALL)
    }

    /// A model that a LEFT JOIN brought, from the picked columns starting
    /// at `start` (the key among them): `None` when the join matched
    /// nothing (its key is NULL).
    fn read_joined_at(row: &Row<'_>, start: usize, picked: Picked) -> Result<Option<Self>, DbErr>;
}

/// Implements [`ByPosition`] for a model from its key and fields, listed
/// in column order (the struct literal makes the list complete; the test
/// below checks the order).
macro_rules! by_position {
    ($($model:path { $key:ident: $key_type:ty $(, $field:ident)* $(,)? })*) => {$(
        impl ByPosition for $model {
            const FIELDS: &'static [&'static str] = &[stringify!($key) $(, stringify!($field))*];

            fn columns(backend: DbBackend) -> &'static [String] {
                static RENDERED: [OnceLock<Vec<String>>; BACKENDS] = [const { OnceLock::new() }; BACKENDS];
                RENDERED[backend_index(backend)].get_or_init(|| render_columns(<Self as ModelTrait>::Entity::default(), backend))
            }

            fn select_list(backend: DbBackend) -> &'static str {
                static JOINED: [OnceLock<String>; BACKENDS] = [const { OnceLock::new() }; BACKENDS];
                JOINED[backend_index(backend)].get_or_init(|| Self::columns(backend).join(", "))
            }

            fn check_picked_at(columns: &Columns<'_>, start: usize, picked: Picked) -> Result<(), DbErr> {
                let mut cursor = Cursor::new(start, picked);
                columns.check_next(&mut cursor, |model: &Self| &model.$key)?;
                $(columns.check_next(&mut cursor, |model: &Self| &model.$field)?;)*
                Ok(())
            }

            fn read_picked_at(row: &Row<'_>, start: usize, picked: Picked) -> Result<Self, DbErr> {
                let mut cursor = Cursor::new(start, picked);
                Ok(Self { $key: row.take(&mut cursor)?, $($field: row.take(&mut cursor)?),* })
            }

            fn read_joined_at(row: &Row<'_>, start: usize, picked: Picked) -> Result<Option<Self>, DbErr> {
                if !picked.has(0) {
                    return Err(DbErr::Custom(format!("a joined {} is read without its key", stringify!($model))));
                }
                match row.get::<Option<$key_type>>(start)? {
                    Some(_) => Self::read_picked_at(row, start, picked).map(Some),
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
    fn picked_columns_are_selected_in_column_order() {
        let picked = Picked::of::<deals::Entity>(&[deals::Column::Stage, deals::Column::Id]);
        assert_eq!(deals::Model::picked_select_list(DbBackend::Postgres, picked), r#""deals"."id", "deals"."stage""#);
        assert_eq!(deals::Model::picked_columns(picked), 2);
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            assert_eq!(deals::Model::picked_select_list(backend, Picked::ALL), deals::Model::select_list(backend));
        }
        assert_eq!(deals::Model::picked_columns(Picked::ALL), deals::Model::COLUMNS);
        assert_eq!(users::Model::picked_columns(Picked::KEY), 1);
        // A picked set has a bit per column.
        for columns in [deals::Model::COLUMNS, users::Model::COLUMNS, customers::Model::COLUMNS, activities::Model::COLUMNS] {
            assert!(columns <= 64, "{columns} columns");
        }
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
