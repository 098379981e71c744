//! A timeline's page: the activities, stage changes and reassignments of
//! a deal, or of the deals of a customer the caller may see, one keyset
//! window of each, read in one statement (and their total in one more,
//! when the caller reads it).
//!
//! The deal page used to read each kind on its own, a round trip apiece.
//! Each window keeps its own `ORDER BY … LIMIT` inside a subquery, so
//! every kind still walks its `(org_id, deal_id, at)` index for at most a
//! page of rows; the windows are stacked with `UNION ALL`, each kind's
//! columns in their own block of the row and the other blocks NULL. A
//! customer's deals are a subquery in each window, not a list of ids, so
//! a customer with many deals binds no more values than one with few.

use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use std::sync::OnceLock;

use sea_orm::sea_query::{Alias, Expr, SimpleExpr, PostgresQueryBuilder, Query, SelectStatement, TableBuilder, UnionType};
use sea_orm::{ColumnTrait, ColumnType, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, IntoSimpleExpr, Iterable, QueryFilter, QuerySelect, QueryTrait, Select};

use crate::deals;
use crate::entities::{activities, deal_assignments, deal_transitions};
use crate::page::{self, Keyset};
use crate::rows::{self, ByPosition, Checked};
use crate::Visible;

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

/// Whose entries a timeline shows.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// One deal, already read through the caller's scope.
    Deal(Uuid),
    /// The customer's deals the caller may see (read in the same
    /// statement, as a subquery) and the customer's own activities, those
    /// on no deal.
    Customer {
        /// The customer.
        customer: Uuid,
        /// Whose deals the caller may see.
        scope: &'a Visible,
    },
}

impl Subject<'_> {
    /// `column` (a deal id) names one of the subject's deals.
    fn deals(self, org: OrgId, column: impl ColumnTrait, backend: DbBackend) -> SimpleExpr {
        let (customer, scope) = match self {
            Subject::Deal(deal) => return column.eq(deal),
            Subject::Customer { customer, scope } => (customer, scope),
        };
        let ids = deals::visible_ids_of_customer(org, scope, customer);
        if backend != DbBackend::Postgres {
            return column.in_subquery(ids);
        }
        // PostgreSQL runs `ARRAY(subquery)` once and probes the index with
        // its ids. Under the OR of a customer's activities (theirs or their
        // deals'), `IN (subquery)` became a hashed SubPlan tested against
        // every activity of the org, in a sequential scan.
        Expr::cust_with_exprs("$1 = ANY(ARRAY($2))", [column.into_simple_expr(), SimpleExpr::SubQuery(None, Box::new(ids.into_sub_query_statement()))])
    }
}

/// The activities on the subject's deals, plus the customer's own.
fn activities_of(org: OrgId, subject: Subject<'_>, backend: DbBackend) -> Select<activities::Entity> {
    let mut on = Condition::any().add(subject.deals(org, activities::Column::DealId, backend));
    if let Subject::Customer { customer, .. } = subject {
        on = on.add(Condition::all().add(activities::Column::CustomerId.eq(customer)).add(activities::Column::DealId.is_null()));
    }
    activities::Entity::find().filter(activities::Column::OrgId.eq(org.into_uuid())).filter(on)
}

fn transitions_of(org: OrgId, subject: Subject<'_>, backend: DbBackend) -> Select<deal_transitions::Entity> {
    deal_transitions::Entity::find()
        .filter(deal_transitions::Column::OrgId.eq(org.into_uuid()))
        .filter(subject.deals(org, deal_transitions::Column::DealId, backend))
}

fn assignments_of(org: OrgId, subject: Subject<'_>, backend: DbBackend) -> Select<deal_assignments::Entity> {
    deal_assignments::Entity::find()
        .filter(deal_assignments::Column::OrgId.eq(org.into_uuid()))
        .filter(subject.deals(org, deal_assignments::Column::DealId, backend))
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
    subject: Subject<'_>,
    keyset: &Keyset,
) -> Result<Windows, DbErr> {
    let backend = conn.get_database_backend();
    let total = if keyset.count { total(conn, org, subject).await? } else { 0 };

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
    let statement = branch(ACTIVITY, window_of(activities_of(org, subject, backend), activities::Column::OccurredAt, activities::Column::Id, keyset, backend))
        .union(UnionType::All, branch(TRANSITION, window_of(transitions_of(org, subject, backend), deal_transitions::Column::At, deal_transitions::Column::Id, keyset, backend)))
        .union(UnionType::All, branch(ASSIGNMENT, window_of(assignments_of(org, subject, backend), deal_assignments::Column::At, deal_assignments::Column::Id, keyset, backend)))
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
async fn total<C: ConnectionTrait>(conn: &C, org: OrgId, subject: Subject<'_>) -> Result<u64, DbErr> {
    fn counted<E: EntityTrait>(select: Select<E>) -> SelectStatement {
        select.select_only().expr(Expr::cust("COUNT(*)")).into_query()
    }
    let backend = conn.get_database_backend();
    let statement = counted(activities_of(org, subject, backend))
        .union(UnionType::All, counted(transitions_of(org, subject, backend)))
        .union(UnionType::All, counted(assignments_of(org, subject, backend)))
        .to_owned();
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
