//! Activities (calls, visits, meetings, emails, chats, notes); a
//! timeline's window of them is read in [`crate::timeline`].

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, IntoActiveModel};

use crate::entities::activities;

/// Adds an activity.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: activities::Model) -> Result<(), DbErr> {
    activities::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}
