//! Users, teams and orgs.

use dealdesk_domain::{OrgId, TeamId, UserId};
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::entities::{orgs, teams, users};

/// Finds a user by email across orgs (login is the one global lookup).
pub async fn find_by_email<C: ConnectionTrait>(conn: &C, email: &str) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find().filter(users::Column::Email.eq(email)).one(conn).await
}

/// A user of the org.
pub async fn find<C: ConnectionTrait>(conn: &C, org: OrgId, id: UserId) -> Result<Option<users::Model>, DbErr> {
    crate::rows::one(conn, users::Entity::find_by_id(id.into_uuid()).filter(users::Column::OrgId.eq(org.into_uuid()))).await
}

/// A user's role and whether they are active: what authenticating a
/// request needs (every request does it, so it reads two columns, not the
/// row with its password hash).
pub async fn find_standing<C: ConnectionTrait>(conn: &C, org: OrgId, id: UserId) -> Result<Option<(String, bool)>, DbErr> {
    users::Entity::find_by_id(id.into_uuid())
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .select_only()
        .column(users::Column::Role)
        .column(users::Column::Active)
        .into_tuple()
        .one(conn)
        .await
}

/// Users of the org by id (missing ids are skipped).
pub async fn find_many<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<users::Model>, DbErr> {
    let select = users::Entity::find()
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .filter(users::Column::Id.is_in(ids.iter().copied()));
    crate::rows::all(conn, select).await
}

/// Every user of the org, by name.
pub async fn list<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<users::Model>, DbErr> {
    users::Entity::find()
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .order_by_asc(users::Column::Name)
        .order_by_asc(users::Column::Id)
        .all(conn)
        .await
}

/// Ids of the users a manager manages: direct reports and members of teams they manage.
pub async fn managed_user_ids<C: ConnectionTrait>(conn: &C, org: OrgId, manager: UserId) -> Result<Vec<Uuid>, DbErr> {
    // One statement: the manager's teams are a subquery.
    let managed_teams = Query::select()
        .column(teams::Column::Id)
        .from(teams::Entity)
        .and_where(teams::Column::OrgId.eq(org.into_uuid()))
        .and_where(teams::Column::ManagerId.eq(manager.into_uuid()))
        .to_owned();
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .filter(
            Condition::any()
                .add(users::Column::ManagerId.eq(manager.into_uuid()))
                .add(users::Column::TeamId.in_subquery(managed_teams)),
        )
        .into_tuple()
        .all(conn)
        .await
}

/// Ids of a team's members (users whose team it is, active or not).
pub async fn team_member_ids<C: ConnectionTrait>(conn: &C, org: OrgId, team: TeamId) -> Result<Vec<Uuid>, DbErr> {
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .filter(users::Column::TeamId.eq(team.into_uuid()))
        .into_tuple()
        .all(conn)
        .await
}

/// Adds a user.
pub async fn insert<C: ConnectionTrait>(conn: &C, user: users::Model) -> Result<users::Model, DbErr> {
    user.into_active_model().insert(conn).await
}

/// Adds an org.
pub async fn insert_org<C: ConnectionTrait>(conn: &C, org: orgs::Model) -> Result<orgs::Model, DbErr> {
    org.into_active_model().insert(conn).await
}

/// The org itself.
pub async fn find_org<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Option<orgs::Model>, DbErr> {
    orgs::Entity::find_by_id(org.into_uuid()).one(conn).await
}

/// Whether any org exists (an empty database gets the demo org).
pub async fn any_org<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    Ok(orgs::Entity::find().one(conn).await?.is_some())
}

/// A team of the org.
pub async fn find_team<C: ConnectionTrait>(conn: &C, org: OrgId, id: TeamId) -> Result<Option<teams::Model>, DbErr> {
    teams::Entity::find_by_id(id.into_uuid())
        .filter(teams::Column::OrgId.eq(org.into_uuid()))
        .one(conn)
        .await
}

/// A team of the org by name.
pub async fn find_team_by_name<C: ConnectionTrait>(conn: &C, org: OrgId, name: &str) -> Result<Option<teams::Model>, DbErr> {
    teams::Entity::find()
        .filter(teams::Column::OrgId.eq(org.into_uuid()))
        .filter(teams::Column::Name.eq(name))
        .one(conn)
        .await
}

/// Every team of the org, by name.
pub async fn list_teams<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<teams::Model>, DbErr> {
    teams::Entity::find()
        .filter(teams::Column::OrgId.eq(org.into_uuid()))
        .order_by_asc(teams::Column::Name)
        .all(conn)
        .await
}

/// Adds a team.
pub async fn insert_team<C: ConnectionTrait>(conn: &C, team: teams::Model) -> Result<teams::Model, DbErr> {
    team.into_active_model().insert(conn).await
}

/// Replaces a team row.
pub async fn update_team<C: ConnectionTrait>(conn: &C, team: teams::Model) -> Result<teams::Model, DbErr> {
    team.into_active_model().reset_all().update(conn).await
}

/// Teams of the org by id.
pub async fn find_teams<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<teams::Model>, DbErr> {
    teams::Entity::find()
        .filter(teams::Column::OrgId.eq(org.into_uuid()))
        .filter(teams::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await
}
