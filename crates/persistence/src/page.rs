//! Keyset windows over `(timestamp, id)` orderings, shared by every list.

use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{ColumnTrait, Condition, EntityTrait, Order, QueryOrder, QuerySelect, Select};
use sea_orm::prelude::{DateTimeUtc, Uuid};

/// A page window: positions are `(timestamp, id)` in the display ordering.
#[derive(Clone, Debug)]
pub struct Keyset {
    /// Rows strictly after this position (display order).
    pub after: Option<(DateTimeUtc, Uuid)>,
    /// Rows strictly before this position (display order).
    pub before: Option<(DateTimeUtc, Uuid)>,
    /// How many rows to fetch (the page size plus one).
    pub limit: u64,
    /// Fetch from the end of the window (Relay `last`); rows come back reversed.
    pub backward: bool,
    /// Display order is newest first.
    pub descending: bool,
    /// Whether the caller reads the total matching. When it does not, the
    /// lists that count (deals, alerts, timelines) skip their `COUNT(*)`
    /// and report 0.
    pub count: bool,
}

/// `(at, id) > (cursor)` in ascending order, or `<` when `greater` is false.
fn beyond<C: ColumnTrait>(at: C, id: C, cursor: (DateTimeUtc, Uuid), greater: bool) -> Condition {
    let (cursor_at, cursor_id) = cursor;
    if greater {
        Condition::any()
            .add(at.gt(cursor_at))
            .add(Condition::all().add(at.eq(cursor_at)).add(id.gt(cursor_id)))
    } else {
        Condition::any()
            .add(at.lt(cursor_at))
            .add(Condition::all().add(at.eq(cursor_at)).add(id.lt(cursor_id)))
    }
}

/// Applies the window, ordering and limit to a select over `(at, id)`.
pub fn apply<E: EntityTrait>(select: Select<E>, at: E::Column, id: E::Column, keyset: &Keyset) -> Select<E> {
    let mut condition = Condition::all();
    if let Some(after) = keyset.after {
        // "After" in display order: later rows when ascending, earlier when descending.
        condition = condition.add(beyond(at, id, after, !keyset.descending));
    }
    if let Some(before) = keyset.before {
        condition = condition.add(beyond(at, id, before, keyset.descending));
    }
    let ascending = keyset.descending == keyset.backward;
    let order = if ascending { Order::Asc } else { Order::Desc };
    select
        .filter(condition)
        .order_by(at, order.clone())
        .order_by(id, order)
        .limit(keyset.limit)
}

/// A condition that is always false (an empty visible set).
pub fn nothing() -> Condition {
    Expr::val(1).eq(0).into_condition()
}

use sea_orm::QueryFilter;
