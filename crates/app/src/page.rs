//! Relay-style pagination over a stable key `(timestamp, id)`.
//!
//! A cursor names a position in the caller's own, org-scoped ordering; it
//! carries no org id and grants nothing: the query that uses it is scoped
//! like any other, so a cursor from another org only positions within the
//! caller's own rows.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use dealdesk_persistence::page::Keyset;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The default page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// A position in an ordering by `(at, id)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The sort timestamp of the row.
    pub at: DateTime<Utc>,
    /// The row id, breaking ties.
    pub id: Uuid,
}

impl Cursor {
    /// The opaque string form sent to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.at.timestamp_micros(), self.id))
    }

    /// Parses a cursor a client sent back; `field` names the argument.
    pub fn decode(field: &str, value: &str) -> AppResult<Cursor> {
        let invalid = || AppError::bad_input(field, "is not a cursor from this API");
        let bytes = URL_SAFE_NO_PAD.decode(value.trim()).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (micros, id) = text.split_once(':').ok_or_else(invalid)?;
        let micros: i64 = micros.parse().map_err(|_| invalid())?;
        let at = Utc.timestamp_micros(micros).single().ok_or_else(invalid)?;
        let id = Uuid::parse_str(id).map_err(|_| invalid())?;
        Ok(Cursor { at, id })
    }
}

/// The `first/after/last/before` arguments of a connection, validated.
#[derive(Clone, Debug)]
pub struct PageRequest {
    /// Forward page size (or the default).
    pub first: Option<u64>,
    /// Start after this position.
    pub after: Option<Cursor>,
    /// Backward page size.
    pub last: Option<u64>,
    /// End before this position.
    pub before: Option<Cursor>,
    /// Whether the ordering is newest first.
    pub descending: bool,
    /// Whether the caller reads [`Page::total_count`] (true unless turned
    /// off: a GraphQL connection whose `totalCount` is not selected). When
    /// false, lists that would count skip it and report 0.
    pub count_total: bool,
}

impl PageRequest {
    /// Validates connection arguments.
    pub fn parse(
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
        descending: bool,
    ) -> AppResult<PageRequest> {
        let size = |field: &str, value: Option<i32>| -> AppResult<Option<u64>> {
            match value {
                None => Ok(None),
                Some(n) if (0..=MAX_PAGE_SIZE as i32).contains(&n) => Ok(Some(n as u64)),
                Some(_) => Err(AppError::bad_input(field, format!("must be between 0 and {MAX_PAGE_SIZE}"))),
            }
        };
        let first = size("first", first)?;
        let last = size("last", last)?;
        if first.is_some() && last.is_some() {
            return Err(AppError::bad_input("last", "cannot be combined with first"));
        }
        Ok(PageRequest {
            first,
            after: after.map(|value| Cursor::decode("after", value)).transpose()?,
            last,
            before: before.map(|value| Cursor::decode("before", value)).transpose()?,
            descending,
            count_total: true,
        })
    }

    /// The first page of a newest-first list.
    pub fn newest(first: u64) -> PageRequest {
        PageRequest {
            first: Some(first),
            after: None,
            last: None,
            before: None,
            descending: true,
            count_total: true,
        }
    }

    /// Whether the client pages backwards (`last`).
    pub fn backward(&self) -> bool {
        self.last.is_some()
    }

    /// How many rows the page holds.
    pub fn limit(&self) -> u64 {
        self.last.or(self.first).unwrap_or(DEFAULT_PAGE_SIZE)
    }

    /// The database-level window (fetches one extra row to learn whether more exist).
    pub fn to_keyset(&self) -> Keyset {
        Keyset {
            after: self.after.map(|cursor| (cursor.at, cursor.id)),
            before: self.before.map(|cursor| (cursor.at, cursor.id)),
            limit: self.limit() + 1,
            backward: self.backward(),
            descending: self.descending,
            count: self.count_total,
        }
    }
}

/// One page of a connection.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The rows with their cursors, in display order.
    pub items: Vec<(Cursor, T)>,
    /// Whether rows follow the last one.
    pub has_next_page: bool,
    /// Whether rows precede the first one.
    pub has_previous_page: bool,
    /// How many rows match the filter in all.
    pub total_count: u64,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with [`PageRequest::to_keyset`].
    pub fn from_rows(mut rows: Vec<T>, total_count: u64, request: &PageRequest, key: impl Fn(&T) -> (DateTime<Utc>, Uuid)) -> Page<T> {
        let limit = request.limit() as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        if request.backward() {
            rows.reverse();
        }
        let (has_next_page, has_previous_page) = if request.backward() {
            (request.before.is_some(), more)
        } else {
            (more, request.after.is_some())
        };
        let items = rows
            .into_iter()
            .map(|row| {
                let (at, id) = key(&row);
                (Cursor { at, id }, row)
            })
            .collect();
        Page {
            items,
            has_next_page,
            has_previous_page,
            total_count,
        }
    }

    /// Converts the rows, keeping cursors and page info.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(cursor, row)| (cursor, f(row))).collect(),
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            total_count: self.total_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let cursor = Cursor {
            at: Utc.timestamp_micros(1_780_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode("after", &cursor.encode()).unwrap(), cursor);
    }

    #[test]
    fn garbage_cursor_names_the_argument() {
        let error = Cursor::decode("after", "not-a-cursor").unwrap_err();
        assert_eq!(error.fields(), vec!["after".to_string()]);
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert!(PageRequest::parse(Some(101), None, None, None, true).is_err());
        assert!(PageRequest::parse(Some(5), None, Some(5), None, true).is_err());
        assert_eq!(PageRequest::parse(None, None, None, None, true).unwrap().limit(), DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn backward_pages_come_out_in_display_order() {
        let request = PageRequest::parse(None, None, Some(2), None, false).unwrap();
        let at = Utc::now();
        let rows = vec![3, 2, 1];
        let page = Page::from_rows(rows, 3, &request, |_| (at, Uuid::nil()));
        assert_eq!(page.items.iter().map(|(_, n)| *n).collect::<Vec<_>>(), vec![2, 3]);
        assert!(page.has_previous_page);
        assert!(!page.has_next_page);
    }
}
