//! A timeline's page: the activities, stage changes and reassignments of
//! some deals, one keyset window of each, read in one statement (and
//! their total in one more, when the caller reads it).
//!
//! The deal page used to read each kind on its own, a round trip apiece.
//! Each window keeps its own `ORDER BY … LIMIT` inside a subquery, so
//! every kind still walks its `(org_id, deal_id, at)` index for at most a
//! page of rows; the windows are stacked with `UNION ALL`, each kind's
//! columns in their own block of the row and the other blocks NULL.

use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use std::sync::OnceLock;

use sea_orm::sea_query::{Alias, Expr, PostgresQueryBuilder, Query, SelectStatement, TableBuilder, UnionType};
use sea_orm::{ColumnTrait, ColumnType, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, Iterable, QueryFilter, QuerySelect, QueryTrait, Select};

use crate::entities::{activities, deal_assignments, deal_transitions};
use crate::page::{self, Keyset};
use crate::rows::{self, ByPosition, Checked};

/// One page window of each kind of timeline entry, in the keyset's fetch
/// order; the caller merges them.
#[derive(Debug, Default)]
pub struct Windows {
    /// Activities on the deals (and the customer's own, when asked for).
    pub activities: Vec<activities::Model>,
    /// Stage changes of the deals.
    pub transitions: Vec<deal_transitions::Model>,
    /// Owner changes of the deals.
    pub assignments: Vec<deal_assignments::Model>,
    /// How many entries of all kinds there are (0 unless the keyset counts).
    pub total: u64,
}

/// The activities on `deal_ids`, plus the deal-less activities of
/// `customer_level` when given.
fn activities_of(org: OrgId, deal_ids: &[Uuid], customer_level: Option<Uuid>) -> Select<activities::Entity> {
    let mut subject = Condition::any().add(activities::Column::DealId.is_in(deal_ids.iter().copied()));
    if let Some(customer) = customer_level {
        subject = subject.add(Condition::all().add(activities::Column::CustomerId.eq(customer)).add(activities::Column::DealId.is_null()));
    }
    activities::Entity::find().filter(activities::Column::OrgId.eq(org.into_uuid())).filter(subject)
}

fn transitions_of(org: OrgId, deal_ids: &[Uuid]) -> Select<deal_transitions::Entity> {
    deal_transitions::Entity::find()
        .filter(deal_transitions::Column::OrgId.eq(org.into_uuid()))
        .filter(deal_transitions::Column::DealId.is_in(deal_ids.iter().copied()))
}

fn assignments_of(org: OrgId, deal_ids: &[Uuid]) -> Select<deal_assignments::Entity> {
    deal_assignments::Entity::find()
        .filter(deal_assignments::Column::OrgId.eq(org.into_uuid()))
        .filter(deal_assignments::Column::DealId.is_in(deal_ids.iter().copied()))
}

/// The kinds, in the order of their blocks in a row; a row's first
/// column is its kind's index here.
const ACTIVITY: i32 = 0;
const TRANSITION: i32 = 1;
const ASSIGNMENT: i32 = 2;

/// The window of each kind and, when `keyset.count`, the total.
pub async fn window<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    deal_ids: &[Uuid],
    customer_level: Option<Uuid>,
    keyset: &Keyset,
) -> Result<Windows, DbErr> {
    let backend = conn.get_database_backend();
    let total = if keyset.count { total(conn, org, deal_ids, customer_level).await? } else { 0 };

    let blocks = null_blocks(backend);
    let branch = |kind: i32, select: SelectStatement| {
        let mut branch = Query::select();
        branch.expr(Expr::cust(kind.to_string()));
        for (block, nulls) in blocks.iter().enumerate() {
            branch.expr(Expr::cust(if block == kind as usize { "w.*" } else { nulls.as_str() }));
        }
        branch.from_subquery(select, Alias::new("w"));
        branch
    };
    let statement = branch(ACTIVITY, window_of(activities_of(org, deal_ids, customer_level), activities::Column::OccurredAt, activities::Column::Id, keyset, backend))
        .union(UnionType::All, branch(TRANSITION, window_of(transitions_of(org, deal_ids), deal_transitions::Column::At, deal_transitions::Column::Id, keyset, backend)))
        .union(UnionType::All, branch(ASSIGNMENT, window_of(assignments_of(org, deal_ids), deal_assignments::Column::At, deal_assignments::Column::Id, keyset, backend)))
        .to_owned();

    let found = conn.query_all(backend.build(&statement)).await?;
    let (activity_at, transition_at) = (1, 1 + activities::Model::COLUMNS);
    let assignment_at = transition_at + deal_transitions::Model::COLUMNS;
    let found = Checked::new(&found, |columns| {
        activities::Model::check_at(columns, activity_at)?;
        deal_transitions::Model::check_at(columns, transition_at)?;
        deal_assignments::Model::check_at(columns, assignment_at)
    })?;
    let mut windows = Windows { total, ..Windows::default() };
    for row in found.iter() {
        match row.get::<i32>(0)? {
            ACTIVITY => windows.activities.push(activities::Model::read_at(&row, activity_at)?),
            TRANSITION => windows.transitions.push(deal_transitions::Model::read_at(&row, transition_at)?),
            ASSIGNMENT => windows.assignments.push(deal_assignments::Model::read_at(&row, assignment_at)?),
            other => return Err(DbErr::Type(format!("timeline row of unknown kind {other}"))),
        }
    }
    Ok(windows)
}

/// One kind's keyset window over `(at, id)`, selecting its whole models.
fn window_of<E>(select: Select<E>, at: E::Column, id: E::Column, keyset: &Keyset, backend: DbBackend) -> SelectStatement
where
    E: EntityTrait,
    E::Model: ByPosition,
{
    rows::whole_models(page::apply(select, at, id, keyset), backend).into_query()
}

/// How many entries of every kind there are: one count per kind, in one statement.
async fn total<C: ConnectionTrait>(conn: &C, org: OrgId, deal_ids: &[Uuid], customer_level: Option<Uuid>) -> Result<u64, DbErr> {
    fn counted<E: EntityTrait>(select: Select<E>) -> SelectStatement {
        select.select_only().expr(Expr::cust("COUNT(*)")).into_query()
    }
    let statement = counted(activities_of(org, deal_ids, customer_level))
        .union(UnionType::All, counted(transitions_of(org, deal_ids)))
        .union(UnionType::All, counted(assignments_of(org, deal_ids)))
        .to_owned();
    let backend = conn.get_database_backend();
    let mut total = 0u64;
    for row in conn.query_all(backend.build(&statement)).await? {
        let count: i64 = row.try_get_by_index(0)?;
        total += u64::try_from(count).map_err(|_| DbErr::Type(format!("negative count {count}")))?;
    }
    Ok(total)
}

/// Each kind's block of a row as NULLs, typed like the kind's columns
/// (PostgreSQL resolves a UNION's column types a pair of branches at a
/// time: a column NULL in two branches would become text and clash with
/// the third). Rendered once per backend.
fn null_blocks(backend: DbBackend) -> &'static [String; 3] {
    static POSTGRES: OnceLock<[String; 3]> = OnceLock::new();
    static OTHERS: OnceLock<[String; 3]> = OnceLock::new();
    let rendered = if backend == DbBackend::Postgres { &POSTGRES } else { &OTHERS };
    rendered.get_or_init(|| [nulls::<activities::Entity>(backend), nulls::<deal_transitions::Entity>(backend), nulls::<deal_assignments::Entity>(backend)])
}

/// A typed NULL for each column of `E`, in column order, as one select list.
fn nulls<E: EntityTrait>(backend: DbBackend) -> String {
    let nulls: Vec<String> = E::Column::iter().map(|column| typed_null(column.def().get_column_type(), backend)).collect();
    nulls.join(", ")
}

/// `NULL` as a value of `column_type`, the type written as sea-query
/// writes it in a `CREATE TABLE` (SQLite's columns take any value).
fn typed_null(column_type: &ColumnType, backend: DbBackend) -> String {
    if backend != DbBackend::Postgres {
        return "NULL".to_string();
    }
    let mut sql_type = String::new();
    PostgresQueryBuilder.prepare_column_type(column_type, &mut sql_type);
    format!("CAST(NULL AS {sql_type})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_timeline_column_has_a_typed_null() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let blocks = null_blocks(backend);
            assert_eq!(blocks[0].matches("NULL").count(), activities::Model::COLUMNS);
            assert_eq!(blocks[1].matches("NULL").count(), deal_transitions::Model::COLUMNS);
            assert_eq!(blocks[2].matches("NULL").count(), deal_assignments::Model::COLUMNS);
        }
        assert!(null_blocks(DbBackend::Postgres)[1].contains("CAST(NULL AS timestamp with time zone)"));
    }
}
