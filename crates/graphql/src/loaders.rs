//! Per-request dataloaders, built for one org: batch the lookups that list
//! fields make (deal owners, customers, contacts, stages, deal histories,
//! customers' contacts, the deals alerts and tickets name, the
//! receivables, customers and tickets alerts name, the business calendar) into one query each.
//!
//! Batches run on their own tasks, spawned through
//! [`statements::carry`](dealdesk_app::statements::carry) so that the
//! statements they run count towards their request.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::Context;
use dealdesk_app::activities::Timeline;
use dealdesk_app::deals::DealHistory;
use dealdesk_app::{statements, App, AppError, Principal};
use dealdesk_domain::{BusinessCalendar, OrgId};
use dealdesk_persistence::entities::{contacts, customers, deals, receivables, stages, teams, tickets, users};
use uuid::Uuid;

use crate::error::to_graphql;

/// All loaders of one request.
pub struct Loaders {
    /// Users by id, cached for the request (a timeline feeds the people it names).
    pub users: DataLoader<UserLoader, HashMapCache>,
    /// Customers by id, cached for the request.
    pub customers: DataLoader<CustomerLoader, HashMapCache>,
    /// Contacts by id, cached for the request (a timeline feeds the contacts it names).
    pub contacts: DataLoader<ContactLoader, HashMapCache>,
    /// Stages by key.
    pub stages: DataLoader<StageLoader>,
    /// Teams by id.
    pub teams: DataLoader<TeamLoader>,
    /// Deals' transitions and the figures derived from them, by deal id.
    pub histories: DataLoader<HistoryLoader>,
    /// Customers' contacts, by customer id.
    pub customer_contacts: DataLoader<CustomerContactsLoader>,
    /// Deals the caller may see, by id (alert subjects, tickets' deals).
    pub visible_deals: DataLoader<VisibleDealLoader>,
    /// Receivables, customers and tickets the caller may see, by id (alert subjects).
    pub visible_receivables: DataLoader<VisibleReceivableLoader>,
    pub visible_customers: DataLoader<VisibleCustomerLoader>,
    pub visible_tickets: DataLoader<VisibleTicketLoader>,
    /// The org's business calendar (one key), cached for the request.
    pub calendar: DataLoader<CalendarLoader, HashMapCache>,
}

/// Runs a batch on its own task, counted with the request that queued it.
fn spawn(batch: async_graphql::futures_util::future::BoxFuture<'static, ()>) {
    tokio::spawn(statements::carry(batch));
}

impl Loaders {
    /// Loaders scoped to `org`; deals are visible only to `caller` (none
    /// in an anonymous request).
    pub fn new(app: App, org: OrgId, caller: Option<Principal>) -> Self {
        Self {
            visible_deals: DataLoader::new(VisibleDealLoader { app: app.clone(), caller: caller.clone() }, spawn),
            visible_receivables: DataLoader::new(VisibleReceivableLoader { app: app.clone(), caller: caller.clone() }, spawn),
            visible_customers: DataLoader::new(VisibleCustomerLoader { app: app.clone(), caller: caller.clone() }, spawn),
            visible_tickets: DataLoader::new(VisibleTicketLoader { app: app.clone(), caller }, spawn),
            calendar: DataLoader::with_cache(CalendarLoader { app: app.clone(), org }, spawn, HashMapCache::default()),
            users: DataLoader::with_cache(UserLoader { app: app.clone(), org }, spawn, HashMapCache::default()),
            customers: DataLoader::with_cache(CustomerLoader { app: app.clone(), org }, spawn, HashMapCache::default()),
            contacts: DataLoader::with_cache(ContactLoader { app: app.clone(), org }, spawn, HashMapCache::default()),
            stages: DataLoader::new(StageLoader { app: app.clone(), org }, spawn),
            teams: DataLoader::new(TeamLoader { app: app.clone(), org }, spawn),
            histories: DataLoader::new(HistoryLoader { app: app.clone(), org }, spawn),
            customer_contacts: DataLoader::new(CustomerContactsLoader { app, org }, spawn),
        }
    }
}

/// The request's loaders (present for every authenticated request).
pub fn loaders<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Loaders> {
    ctx.data_opt::<Loaders>()
        .ok_or_else(|| to_graphql(AppError::Unauthenticated("sign in first".into())))
}

/// Loaders borrowed from the request, or made for one record's org.
pub enum ScopedLoaders<'a> {
    /// The request's own, org-scoped loaders.
    Request(&'a Loaders),
    /// Loaders scoped to the org of the record being resolved.
    Record(Box<Loaders>),
}

impl std::ops::Deref for ScopedLoaders<'_> {
    type Target = Loaders;

    fn deref(&self) -> &Loaders {
        match self {
            ScopedLoaders::Request(loaders) => loaders,
            ScopedLoaders::Record(loaders) => loaders,
        }
    }
}

/// The request's loaders or, in an anonymous request, loaders scoped to
/// `org`. Anonymous requests (sign-up, login, refresh) reach records only
/// through their payload's user, so `org` is that user's org: the caller
/// just proved to be that user.
pub fn loaders_in<'a>(ctx: &'a Context<'_>, org: Uuid) -> async_graphql::Result<ScopedLoaders<'a>> {
    match ctx.data_opt::<Loaders>() {
        Some(loaders) => Ok(ScopedLoaders::Request(loaders)),
        None => {
            let app = ctx.data::<App>()?.clone();
            Ok(ScopedLoaders::Record(Box::new(Loaders::new(app, OrgId::from_uuid(org), None))))
        }
    }
}

macro_rules! id_loader {
    ($name:ident, $model:ty, $find:path) => {
        /// Loads rows of one org by id.
        pub struct $name {
            app: App,
            org: OrgId,
        }

        impl Loader<Uuid> for $name {
            type Value = $model;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let rows = $find(&self.app.db, self.org, keys)
                    .await
                    .map_err(|error| Arc::new(AppError::from(error)))?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
}

id_loader!(UserLoader, users::Model, dealdesk_persistence::users::find_many);
id_loader!(CustomerLoader, customers::Model, dealdesk_persistence::customers::find_many);
id_loader!(ContactLoader, contacts::Model, dealdesk_persistence::customers::find_contacts);
id_loader!(TeamLoader, teams::Model, dealdesk_persistence::users::find_teams);

/// Loads the org's stages by key (one query for all).
pub struct StageLoader {
    app: App,
    org: OrgId,
}

impl Loader<String> for StageLoader {
    type Value = stages::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = dealdesk_persistence::stages::list(&self.app.db, self.org)
            .await
            .map_err(|error| Arc::new(AppError::from(error)))?;
        Ok(rows
            .into_iter()
            .filter(|row| keys.contains(&row.key))
            .map(|row| (row.key.clone(), row))
            .collect())
    }
}

macro_rules! grouped_loader {
    ($(#[$doc:meta])* $name:ident, $value:ty, $load:ident) => {
        $(#[$doc])*
        pub struct $name {
            app: App,
            org: OrgId,
        }

        impl Loader<Uuid> for $name {
            type Value = $value;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                self.app.$load(self.org, keys).await.map_err(Arc::new)
            }
        }
    };
}

grouped_loader!(
    /// Loads deals' histories (transitions, dwell times, path statistics) in one query.
    HistoryLoader,
    DealHistory,
    deal_histories
);
grouped_loader!(
    /// Loads customers' contacts in one query.
    CustomerContactsLoader,
    Vec<contacts::Model>,
    contacts_of_customers
);

macro_rules! visible_loader {
    ($name:ident, $model:ty, $find:ident) => {
        /// Loads rows the caller may see by id, through the same rule as
        /// their single lookup (the caller's scope read once per batch).
        pub struct $name {
            app: App,
            caller: Option<Principal>,
        }

        impl Loader<Uuid> for $name {
            type Value = $model;
            type Error = Arc<AppError>;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let Some(caller) = &self.caller else { return Ok(HashMap::new()) };
                let rows = self.app.$find(caller, keys).await.map_err(Arc::new)?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
}

visible_loader!(VisibleDealLoader, deals::Model, visible_deals);
visible_loader!(VisibleReceivableLoader, receivables::Model, visible_receivables);
visible_loader!(VisibleCustomerLoader, customers::Model, visible_customers);
visible_loader!(VisibleTicketLoader, tickets::Model, visible_tickets);

/// Loads the org's business calendar (the key is the unit value).
pub struct CalendarLoader {
    app: App,
    org: OrgId,
}

impl Loader<()> for CalendarLoader {
    type Value = BusinessCalendar;
    type Error = Arc<AppError>;

    async fn load(&self, _keys: &[()]) -> Result<HashMap<(), Self::Value>, Self::Error> {
        let calendar = self.app.calendar_for(&self.app.db, self.org).await.map_err(Arc::new)?;
        Ok(HashMap::from([((), calendar)]))
    }
}

/// The org's business calendar, read once per request.
pub async fn calendar(ctx: &Context<'_>) -> async_graphql::Result<BusinessCalendar> {
    loaders(ctx)?
        .calendar
        .load_one(())
        .await
        .map_err(loader_error)?
        .ok_or_else(|| async_graphql::Error::new("the business calendar is missing"))
}

/// Feeds a timeline's people and contacts to the request's loaders, so
/// that showing its entries' authors, movers, owners and contacts runs no
/// further query (and the count of statements does not depend on when the
/// timeline's queries finish relative to other batches).
pub async fn feed_timeline(loaders: &Loaders, timeline: &mut Timeline) {
    loaders.users.feed_many(std::mem::take(&mut timeline.people).into_iter().map(|user| (user.id, user))).await;
    loaders.contacts.feed_many(std::mem::take(&mut timeline.contacts).into_iter().map(|contact| (contact.id, contact))).await;
}

/// Maps a loader error for a resolver.
pub fn loader_error(error: Arc<AppError>) -> async_graphql::Error {
    async_graphql::Error::new(error.to_string()).extend_with(|_, extensions| extensions.set("code", error.code().as_str()))
}

use async_graphql::ErrorExtensions;
