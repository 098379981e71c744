//! Business calendars (C1): working days, working hours, holidays and make-up
//! working days (调休) in an org's time zone, and working-time arithmetic over them.
//!
//! Working time is a union of local intervals, one or two per working day
//! (`[start, end)` minus the lunch break), converted to UTC with DST handled by
//! [`local_instant`]. Every computation walks those intervals day by day and
//! adds whole intervals at once, so cost grows with calendar days, not minutes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use crate::{local_instant, FieldError};

/// How many calendar days [`BusinessCalendar::add_working_minutes`] walks
/// before it gives up: five years, enough for any SLA on a calendar that has
/// working time at all.
const SEARCH_HORIZON_DAYS: u32 = 5 * 366;

/// The local hours of a working day, the same on every working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    /// When work starts (inclusive), local time.
    pub start: NaiveTime,
    /// When work ends (exclusive), local time, later on the same day than `start`.
    pub end: NaiveTime,
    /// A break inside the day (start inclusive, end exclusive) during which
    /// working-time clocks stop, e.g. 12:00–13:30.
    pub lunch: Option<(NaiveTime, NaiveTime)>,
}

impl WorkingHours {
    /// 09:00–18:00 without a lunch break, the default of SPEC C1.
    pub fn standard() -> Self {
        Self {
            start: clock_time(9, 0),
            end: clock_time(18, 0),
            lunch: None,
        }
    }

    /// Working minutes in a day without a DST switch inside working hours:
    /// the span minus the lunch break. This is what "1 working day" means to
    /// an SLA policy.
    pub fn minutes_per_day(&self) -> i64 {
        let span = self.end.signed_duration_since(self.start);
        let lunch = self
            .lunch
            .map(|(lunch_start, lunch_end)| lunch_end.signed_duration_since(lunch_start))
            .unwrap_or_else(Duration::zero);
        (span - lunch).num_minutes().max(0)
    }

    /// The local spans worked on a working day, in order.
    fn local_spans(&self) -> Vec<(NaiveTime, NaiveTime)> {
        match self.lunch {
            Some((lunch_start, lunch_end)) => {
                vec![(self.start, lunch_start), (lunch_end, self.end)]
            }
            None => vec![(self.start, self.end)],
        }
    }
}

/// An org's business calendar: which days and hours count as working time.
///
/// Built only through [`BusinessCalendar::new`] (validated) or
/// [`BusinessCalendar::default_for`], so its hours are always ordered and a
/// date is never both a holiday and a make-up working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessCalendar {
    /// The org's IANA time zone; working hours are local to it.
    tz: Tz,
    /// The regular working weekdays, Monday first, without duplicates.
    workdays: Vec<Weekday>,
    /// The local working hours of every working day.
    hours: WorkingHours,
    /// Dates that are days off even when their weekday is a working day.
    holidays: BTreeSet<NaiveDate>,
    /// Make-up working days (调休): dates worked even when their weekday is not.
    extra_workdays: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    /// Validates and builds a calendar. Checks that `workdays` is non-empty,
    /// `start < end`, the lunch break lies strictly inside working hours and is
    /// ordered, and no date is both a holiday and an extra working day. Every
    /// broken rule is returned, each naming its input field (`workdays`,
    /// `workEnd`, `lunchStart`, `lunchEnd`, `extraWorkdays`). `tz` is an IANA
    /// zone by construction; use [`parse_time_zone`] to read one from text.
    /// Duplicate weekdays are dropped.
    pub fn new(
        tz: Tz,
        workdays: Vec<Weekday>,
        hours: WorkingHours,
        holidays: BTreeSet<NaiveDate>,
        extra_workdays: BTreeSet<NaiveDate>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();

        let mut unique_workdays: Vec<Weekday> = Vec::new();
        for day in workdays {
            if !unique_workdays.contains(&day) {
                unique_workdays.push(day);
            }
        }
        unique_workdays.sort_by_key(Weekday::num_days_from_monday);
        if unique_workdays.is_empty() {
            errors.push(FieldError::new(
                "workdays",
                "must list at least one working day",
            ));
        }

        if hours.start >= hours.end {
            errors.push(FieldError::new(
                "workEnd",
                "must be after the start of work",
            ));
        }
        if let Some((lunch_start, lunch_end)) = hours.lunch {
            if lunch_start <= hours.start || lunch_start >= hours.end {
                errors.push(FieldError::new(
                    "lunchStart",
                    "must be inside working hours",
                ));
            }
            if lunch_end <= lunch_start {
                errors.push(FieldError::new(
                    "lunchEnd",
                    "must be after the start of the lunch break",
                ));
            } else if lunch_end >= hours.end {
                errors.push(FieldError::new(
                    "lunchEnd",
                    "must be before the end of work",
                ));
            }
        }

        let clashes: Vec<String> = holidays
            .intersection(&extra_workdays)
            .map(ToString::to_string)
            .collect();
        if !clashes.is_empty() {
            errors.push(FieldError::new(
                "extraWorkdays",
                format!(
                    "{} cannot be both a holiday and a working day",
                    clashes.join(", ")
                ),
            ));
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            tz,
            workdays: unique_workdays,
            hours,
            holidays,
            extra_workdays,
        })
    }

    /// Monday to Friday, 09:00–18:00 in `tz`, no lunch break, no holidays:
    /// the calendar every org starts with (SPEC C1).
    pub fn default_for(tz: Tz) -> Self {
        Self {
            tz,
            workdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            hours: WorkingHours::standard(),
            holidays: BTreeSet::new(),
            extra_workdays: BTreeSet::new(),
        }
    }

    /// The time zone working hours are local to.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The regular working weekdays, Monday first.
    pub fn workdays(&self) -> &[Weekday] {
        &self.workdays
    }

    /// The local working hours of every working day.
    pub fn hours(&self) -> WorkingHours {
        self.hours
    }

    /// Dates off even on a working weekday.
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// Make-up working days (调休), worked even on a weekend.
    pub fn extra_workdays(&self) -> &BTreeSet<NaiveDate> {
        &self.extra_workdays
    }

    /// Whether `date` is a working day: an extra (make-up) workday always is;
    /// a holiday never is; otherwise its weekday decides.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.extra_workdays.contains(&date) {
            return true;
        }
        if self.holidays.contains(&date) {
            return false;
        }
        self.workdays.contains(&date.weekday())
    }

    /// The working intervals of local `date` as UTC half-open ranges, in
    /// order: empty on a day off, one without a lunch break, two with one. A
    /// local time skipped by a DST jump resolves to the first instant after it,
    /// a repeated one to its first occurrence; an interval a DST jump swallows
    /// entirely is left out.
    pub fn working_intervals_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(date) {
            return Vec::new();
        }
        self.hours
            .local_spans()
            .into_iter()
            .map(|(from, to)| {
                (
                    local_instant(self.tz, date, from),
                    local_instant(self.tz, date, to),
                )
            })
            .filter(|(from, to)| from < to)
            .collect()
    }

    /// Whether `at` lies inside working time.
    pub fn is_working_time(&self, at: DateTime<Utc>) -> bool {
        let date = self.local_date(at);
        [date.pred_opt(), Some(date)]
            .into_iter()
            .flatten()
            .flat_map(|day| self.working_intervals_on(day))
            .any(|(from, to)| from <= at && at < to)
    }

    /// The first instant at or after `at` that is working time: `at` itself
    /// inside working time, else the start of the next working interval.
    /// `None` past the five-year search horizon.
    pub fn next_working_moment(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut date = self.local_date(at);
        date = date.pred_opt().unwrap_or(date);
        for _ in 0..SEARCH_HORIZON_DAYS + 2 {
            for (from, to) in self.working_intervals_on(date) {
                if to > at {
                    return Some(from.max(at));
                }
            }
            date = date.succ_opt()?;
        }
        None
    }

    /// The instant `minutes` working minutes after `start`: the earliest
    /// instant by which that much working time has passed since `start`, so a
    /// count that ends exactly at the close of a day lands at the close, not
    /// at the next opening. A `start` outside working time counts from the
    /// next working moment; zero or negative `minutes` return `start`.
    /// Walks interval by interval. Returns `None` only when the working time
    /// runs past the five-year search horizon.
    pub fn add_working_minutes(&self, start: DateTime<Utc>, minutes: i64) -> Option<DateTime<Utc>> {
        if minutes <= 0 {
            return Some(start);
        }
        let mut remaining = Duration::try_minutes(minutes)?;
        let mut date = self.local_date(start);
        date = date.pred_opt().unwrap_or(date);
        for _ in 0..SEARCH_HORIZON_DAYS + 2 {
            for (from, to) in self.working_intervals_on(date) {
                if to <= start {
                    continue;
                }
                let from = from.max(start);
                let available = to - from;
                if remaining <= available {
                    return Some(from + remaining);
                }
                remaining -= available;
            }
            date = date.succ_opt()?;
        }
        None
    }

    /// Working seconds between two instants, 0 when `to <= from`, with
    /// sub-second precision dropped. Exactly additive:
    /// `between(a, b) + between(b, c) == between(a, c)` for whole-second
    /// instants `a <= b <= c`.
    pub fn working_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let last = self.local_date(to);
        let mut date = self.local_date(from);
        date = date.pred_opt().unwrap_or(date);
        let mut total = Duration::zero();
        while date <= last {
            for (start, end) in self.working_intervals_on(date) {
                let start = start.max(from);
                let end = end.min(to);
                if start < end {
                    total += end - start;
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total.num_seconds()
    }

    /// Working minutes between two instants, 0 when `to <= from`: the working
    /// seconds floored to whole minutes, so
    /// `working_minutes_between(t, add_working_minutes(t, n)) == n` for every
    /// `t`, and the count is additive for whole-minute instants (for instants
    /// with seconds, two parts may sum to one minute less than the whole).
    pub fn working_minutes_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        self.working_seconds_between(from, to) / 60
    }

    /// The local date of `at` in this calendar's zone.
    fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }
}

/// Reads an IANA time zone name (e.g. `Asia/Shanghai`) for a calendar,
/// naming the `timeZone` field when it is unknown.
pub fn parse_time_zone(text: &str) -> Result<Tz, FieldError> {
    text.trim().parse::<Tz>().map_err(|_| {
        FieldError::new(
            "timeZone",
            "must be an IANA time zone such as Asia/Shanghai",
        )
    })
}

/// Reads a local time of day written `HH:MM` (or `HH:MM:SS`) for the input
/// field `field` (`workStart`, `workEnd`, `lunchStart`, `lunchEnd`).
pub fn parse_work_time(field: &str, text: &str) -> Result<NaiveTime, FieldError> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| FieldError::new(field, "must be a time of day written HH:MM"))
}

/// Parses an official holiday schedule an admin provides: CSV with a header
/// naming the columns `date,kind,name` (any order, `name` optional), or a JSON
/// array of `{"date", "kind", "name"}` objects. `kind` is `HOLIDAY` (a day
/// off) or `WORKDAY` (a make-up working day, 调休), in any letter case; dates
/// are `YYYY-MM-DD`. A leading byte-order mark, blank lines and CSV lines
/// starting with `#` are ignored. Returns `(holidays, extra_workdays)`, or
/// every bad line as a [`FieldError`] on field `file` whose message starts
/// with `line N:`.
pub fn parse_holiday_schedule(
    text: &str,
) -> Result<(BTreeSet<NaiveDate>, BTreeSet<NaiveDate>), Vec<FieldError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let entries = if text.trim_start().starts_with('[') {
        schedule_entries_from_json(text)?
    } else {
        schedule_entries_from_csv(text)?
    };
    collect_schedule(entries)
}

/// One row of a holiday schedule before its values are checked.
struct ScheduleEntry {
    /// The 1-based line the row starts on, for error messages.
    line: usize,
    /// The `date` value as written.
    date: String,
    /// The `kind` value as written.
    kind: String,
}

/// Whether a schedule row takes a day off or adds a working day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ScheduleKind {
    Holiday,
    Workday,
}

/// A schedule row in file order: its raw values, or why its shape is wrong.
type ScheduleRow = Result<ScheduleEntry, FieldError>;

/// Checks every row and splits the dates into holidays and make-up working days.
fn collect_schedule(
    rows: Vec<ScheduleRow>,
) -> Result<(BTreeSet<NaiveDate>, BTreeSet<NaiveDate>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<NaiveDate, (ScheduleKind, usize)> = BTreeMap::new();
    let row_count = rows.len();
    for row in rows {
        let entry = match row {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let line = entry.line;
        let date = NaiveDate::parse_from_str(entry.date.trim(), "%Y-%m-%d");
        let kind = match entry.kind.trim().to_ascii_uppercase().as_str() {
            "HOLIDAY" => Some(ScheduleKind::Holiday),
            "WORKDAY" => Some(ScheduleKind::Workday),
            _ => None,
        };
        if date.is_err() {
            errors.push(file_error(
                line,
                format!(
                    "invalid date \"{}\", expected YYYY-MM-DD",
                    entry.date.trim()
                ),
            ));
        }
        if kind.is_none() {
            errors.push(file_error(
                line,
                format!(
                    "unknown kind \"{}\", expected HOLIDAY or WORKDAY",
                    entry.kind.trim()
                ),
            ));
        }
        let (Ok(date), Some(kind)) = (date, kind) else {
            continue;
        };
        match seen.get(&date) {
            Some(&(earlier_kind, earlier_line)) if earlier_kind != kind => {
                let earlier = match earlier_kind {
                    ScheduleKind::Holiday => "a holiday",
                    ScheduleKind::Workday => "a working day",
                };
                errors.push(file_error(
                    line,
                    format!("{date} is already listed as {earlier} on line {earlier_line}"),
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(date, (kind, line));
            }
        }
    }
    if row_count == 0 {
        errors.push(FieldError::new("file", "the schedule lists no dates"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let pick = |wanted: ScheduleKind| {
        seen.iter()
            .filter(|(_, (kind, _))| *kind == wanted)
            .map(|(date, _)| *date)
            .collect::<BTreeSet<_>>()
    };
    Ok((pick(ScheduleKind::Holiday), pick(ScheduleKind::Workday)))
}

/// Reads CSV rows, mapping columns by the header line.
fn schedule_entries_from_csv(text: &str) -> Result<Vec<ScheduleRow>, Vec<FieldError>> {
    let mut rows = Vec::new();
    let mut columns: Option<(usize, usize)> = None;
    for (index, raw_line) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw_line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let fields = match split_csv_line(trimmed) {
            Ok(fields) => fields,
            Err(message) => {
                rows.push(Err(file_error(line, message)));
                continue;
            }
        };
        let Some((date_column, kind_column)) = columns else {
            let names: Vec<String> = fields
                .iter()
                .map(|field| field.trim().to_ascii_lowercase())
                .collect();
            let date_column = names.iter().position(|name| name == "date");
            let kind_column = names.iter().position(|name| name == "kind");
            match (date_column, kind_column) {
                (Some(date_column), Some(kind_column)) => {
                    columns = Some((date_column, kind_column))
                }
                _ => {
                    return Err(vec![file_error(
                        line,
                        "expected a header line date,kind,name".to_string(),
                    )])
                }
            }
            continue;
        };
        match (fields.get(date_column), fields.get(kind_column)) {
            (Some(date), Some(kind)) => rows.push(Ok(ScheduleEntry {
                line,
                date: date.clone(),
                kind: kind.clone(),
            })),
            _ => rows.push(Err(file_error(
                line,
                "missing the date or kind column".to_string(),
            ))),
        }
    }
    Ok(rows)
}

/// Splits one CSV line into fields, honouring double quotes (`""` is a quote).
fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
            }
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err("unterminated quoted field".to_string());
    }
    fields.push(field);
    Ok(fields)
}

/// Reads a JSON array of schedule objects.
fn schedule_entries_from_json(text: &str) -> Result<Vec<ScheduleRow>, Vec<FieldError>> {
    let mut reader = JsonReader {
        bytes: text.as_bytes(),
        position: 0,
        line: 1,
    };
    let value = reader.value(0).map_err(|error| vec![error])?;
    reader.skip_whitespace();
    if reader.position < reader.bytes.len() {
        return Err(vec![reader.error("unexpected text after the array")]);
    }
    let JsonValue::Array(elements) = value else {
        return Err(vec![file_error(
            1,
            "expected a json array of {date, kind, name} objects".to_string(),
        )]);
    };
    let mut rows = Vec::new();
    for (line, element) in elements {
        let JsonValue::Object(members) = element else {
            rows.push(Err(file_error(
                line,
                "expected an object with date, kind and name".to_string(),
            )));
            continue;
        };
        let text_member = |key: &str| match members.iter().find(|(name, _)| name == key) {
            Some((_, JsonValue::Text(value))) => Ok(value.clone()),
            Some(_) => Err(file_error(line, format!("\"{key}\" must be a string"))),
            None => Err(file_error(line, format!("missing \"{key}\""))),
        };
        match (text_member("date"), text_member("kind")) {
            (Ok(date), Ok(kind)) => rows.push(Ok(ScheduleEntry { line, date, kind })),
            (date, kind) => rows.extend(date.err().into_iter().chain(kind.err()).map(Err)),
        }
    }
    Ok(rows)
}

/// A schedule-file error on `line`.
fn file_error(line: usize, message: String) -> FieldError {
    FieldError::new("file", format!("line {line}: {message}"))
}

/// A local time of day from constant parts.
fn clock_time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

/// The JSON values a schedule file can hold; only strings, arrays and objects
/// are kept, the rest are recognised and ignored.
enum JsonValue {
    /// `null`, `true`, `false` or a number.
    Scalar,
    /// A string, unescaped.
    Text(String),
    /// An array, each element with the line it starts on.
    Array(Vec<(usize, JsonValue)>),
    /// An object's members in file order.
    Object(Vec<(String, JsonValue)>),
}

/// Nesting deeper than this is rejected rather than risking the stack.
const JSON_MAX_DEPTH: usize = 16;

/// A small JSON reader that tracks line numbers, enough for schedule files
/// without pulling a JSON crate into the pure domain.
struct JsonReader<'a> {
    /// The whole input.
    bytes: &'a [u8],
    /// The next byte to read.
    position: usize,
    /// The 1-based line of `position`.
    line: usize,
}

impl JsonReader<'_> {
    fn error(&self, message: &str) -> FieldError {
        file_error(self.line, format!("invalid json: {message}"))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' => {}
                b'\n' => self.line += 1,
                _ => break,
            }
            self.position += 1;
        }
    }

    fn expect_literal(&mut self, literal: &[u8]) -> Result<JsonValue, FieldError> {
        if self.bytes[self.position..].starts_with(literal) {
            self.position += literal.len();
            Ok(JsonValue::Scalar)
        } else {
            Err(self.error("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<JsonValue, FieldError> {
        if depth > JSON_MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error("unexpected end of file")),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'"') => self.string().map(JsonValue::Text),
            Some(b't') => self.expect_literal(b"true"),
            Some(b'f') => self.expect_literal(b"false"),
            Some(b'n') => self.expect_literal(b"null"),
            Some(b'-' | b'0'..=b'9') => {
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.position += 1;
                }
                Ok(JsonValue::Scalar)
            }
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, FieldError> {
        self.position += 1;
        let mut elements = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(JsonValue::Array(elements));
        }
        loop {
            self.skip_whitespace();
            let line = self.line;
            elements.push((line, self.value(depth + 1)?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b']') => {
                    self.position += 1;
                    return Ok(JsonValue::Array(elements));
                }
                _ => return Err(self.error("expected , or ]")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, FieldError> {
        self.position += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected :"));
            }
            self.position += 1;
            let value = self.value(depth + 1)?;
            members.push((name, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    return Ok(JsonValue::Object(members));
                }
                _ => return Err(self.error("expected , or }")),
            }
        }
    }

    fn string(&mut self) -> Result<String, FieldError> {
        self.position += 1;
        let mut bytes = Vec::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            self.position += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(escape) = self.peek() else {
                        return Err(self.error("unterminated string"));
                    };
                    self.position += 1;
                    let unescaped = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape in string")),
                    };
                    let mut buffer = [0; 4];
                    bytes.extend_from_slice(unescaped.encode_utf8(&mut buffer).as_bytes());
                }
                0..=0x1f => return Err(self.error("control character in string")),
                _ => bytes.push(byte),
            }
        }
        String::from_utf8(bytes).map_err(|_| self.error("invalid text in string"))
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining surrogate pairs.
    fn unicode_escape(&mut self) -> Result<char, FieldError> {
        let high = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&high) {
            if !self.bytes[self.position..].starts_with(b"\\u") {
                return Err(self.error("unpaired surrogate in string"));
            }
            self.position += 2;
            let low = self.hex4()?;
            if !(0xdc00..0xe000).contains(&low) {
                return Err(self.error("unpaired surrogate in string"));
            }
            0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape in string"))
    }

    fn hex4(&mut self) -> Result<u32, FieldError> {
        let digits = self
            .bytes
            .get(self.position..self.position + 4)
            .filter(|digits| digits.iter().all(u8::is_ascii_hexdigit))
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| u32::from_str_radix(digits, 16).ok())
            .ok_or_else(|| self.error("invalid \\u escape in string"))?;
        self.position += 4;
        Ok(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// The shipped sample file `/work/shared/data/cn-holidays-2026.csv`, copied
    /// so tests do no I/O.
    const CN_HOLIDAYS_2026: &str = "\
date,kind,name
2026-01-01,HOLIDAY,元旦 New Year's Day
2026-01-02,HOLIDAY,元旦 New Year's Day
2026-01-03,HOLIDAY,元旦 New Year's Day
2026-01-04,WORKDAY,元旦调休 make-up workday
2026-02-14,WORKDAY,春节调休 make-up workday
2026-02-15,HOLIDAY,春节 Spring Festival
2026-02-16,HOLIDAY,春节 Spring Festival
2026-02-17,HOLIDAY,春节 Spring Festival
2026-02-18,HOLIDAY,春节 Spring Festival
2026-02-19,HOLIDAY,春节 Spring Festival
2026-02-20,HOLIDAY,春节 Spring Festival
2026-02-21,HOLIDAY,春节 Spring Festival
2026-02-22,HOLIDAY,春节 Spring Festival
2026-02-23,HOLIDAY,春节 Spring Festival
2026-02-28,WORKDAY,春节调休 make-up workday
2026-04-04,HOLIDAY,清明节 Qingming Festival
2026-04-05,HOLIDAY,清明节 Qingming Festival
2026-04-06,HOLIDAY,清明节 Qingming Festival
2026-05-01,HOLIDAY,劳动节 Labour Day
2026-05-02,HOLIDAY,劳动节 Labour Day
2026-05-03,HOLIDAY,劳动节 Labour Day
2026-05-04,HOLIDAY,劳动节 Labour Day
2026-05-05,HOLIDAY,劳动节 Labour Day
2026-05-09,WORKDAY,劳动节调休 make-up workday
2026-06-19,HOLIDAY,端午节 Dragon Boat Festival
2026-06-20,HOLIDAY,端午节 Dragon Boat Festival
2026-06-21,HOLIDAY,端午节 Dragon Boat Festival
2026-09-20,WORKDAY,国庆节调休 make-up workday
2026-09-25,HOLIDAY,中秋节 Mid-Autumn Festival
2026-09-26,HOLIDAY,中秋节 Mid-Autumn Festival
2026-09-27,HOLIDAY,中秋节 Mid-Autumn Festival
2026-10-01,HOLIDAY,国庆节 National Day
2026-10-02,HOLIDAY,国庆节 National Day
2026-10-03,HOLIDAY,国庆节 National Day
2026-10-04,HOLIDAY,国庆节 National Day
2026-10-05,HOLIDAY,国庆节 National Day
2026-10-06,HOLIDAY,国庆节 National Day
2026-10-07,HOLIDAY,国庆节 National Day
2026-10-10,WORKDAY,国庆节调休 make-up workday
";

    const WEEKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    const ALL_DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    fn shanghai() -> Tz {
        chrono_tz::Asia::Shanghai
    }

    fn berlin() -> Tz {
        chrono_tz::Europe::Berlin
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    /// The unambiguous instant of a local wall-clock time in `tz`.
    fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn hours(
        start: NaiveTime,
        end: NaiveTime,
        lunch: Option<(NaiveTime, NaiveTime)>,
    ) -> WorkingHours {
        WorkingHours { start, end, lunch }
    }

    /// Mainland China 2026 in Shanghai, Mon–Fri 09:00–18:00, optionally with a lunch break.
    fn cn_2026(lunch: Option<(NaiveTime, NaiveTime)>) -> BusinessCalendar {
        let (holidays, extra) = parse_holiday_schedule(CN_HOLIDAYS_2026).unwrap();
        BusinessCalendar::new(
            shanghai(),
            WEEKDAYS.to_vec(),
            hours(time(9, 0), time(18, 0), lunch),
            holidays,
            extra,
        )
        .unwrap()
    }

    /// Asserts that `minutes` working minutes after `start` is `expect`, and
    /// that measuring back gives the same minutes.
    fn check_add(
        calendar: &BusinessCalendar,
        start: DateTime<Utc>,
        minutes: i64,
        expect: DateTime<Utc>,
    ) {
        let due = calendar.add_working_minutes(start, minutes).unwrap();
        assert_eq!(
            due.with_timezone(&calendar.tz()),
            expect.with_timezone(&calendar.tz()),
            "{minutes} working minutes after {}",
            start.with_timezone(&calendar.tz())
        );
        assert_eq!(calendar.working_minutes_between(start, due), minutes);
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn default_calendar_is_monday_to_friday_nine_to_six() {
        let calendar = BusinessCalendar::default_for(shanghai());
        assert_eq!(calendar.tz(), shanghai());
        assert_eq!(calendar.workdays(), &WEEKDAYS);
        assert_eq!(calendar.hours(), hours(time(9, 0), time(18, 0), None));
        assert_eq!(calendar.hours().minutes_per_day(), 540);
        assert!(calendar.holidays().is_empty() && calendar.extra_workdays().is_empty());
        assert!(calendar.is_working_day(date(2026, 10, 1)));
        assert!(!calendar.is_working_day(date(2026, 10, 10)));
    }

    #[test]
    fn new_names_every_broken_field() {
        let errors = BusinessCalendar::new(
            shanghai(),
            vec![],
            hours(time(18, 0), time(9, 0), None),
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .unwrap_err();
        assert_eq!(fields(&errors), ["workdays", "workEnd"]);

        let outside = BusinessCalendar::new(
            shanghai(),
            WEEKDAYS.to_vec(),
            hours(time(9, 0), time(18, 0), Some((time(8, 0), time(19, 0)))),
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .unwrap_err();
        assert_eq!(fields(&outside), ["lunchStart", "lunchEnd"]);

        let reversed = BusinessCalendar::new(
            shanghai(),
            WEEKDAYS.to_vec(),
            hours(time(9, 0), time(18, 0), Some((time(13, 0), time(12, 0)))),
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .unwrap_err();
        assert_eq!(
            reversed,
            [FieldError::new(
                "lunchEnd",
                "must be after the start of the lunch break"
            )]
        );

        let both = BTreeSet::from([date(2026, 10, 1)]);
        let clash = BusinessCalendar::new(
            shanghai(),
            WEEKDAYS.to_vec(),
            WorkingHours::standard(),
            both.clone(),
            both,
        )
        .unwrap_err();
        assert_eq!(
            clash,
            [FieldError::new(
                "extraWorkdays",
                "2026-10-01 cannot be both a holiday and a working day"
            )]
        );
    }

    #[test]
    fn new_orders_and_deduplicates_workdays() {
        let calendar = BusinessCalendar::new(
            berlin(),
            vec![Weekday::Fri, Weekday::Mon, Weekday::Fri],
            WorkingHours::standard(),
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(calendar.workdays(), &[Weekday::Mon, Weekday::Fri]);
    }

    #[test]
    fn parses_time_zones_and_work_times() {
        assert_eq!(parse_time_zone(" Europe/Berlin ").unwrap(), berlin());
        assert_eq!(
            parse_time_zone("Mars/Olympus").unwrap_err().field,
            "timeZone"
        );
        assert_eq!(parse_work_time("workStart", "09:30").unwrap(), time(9, 30));
        assert_eq!(
            parse_work_time("workStart", "09:30:00").unwrap(),
            time(9, 30)
        );
        assert_eq!(
            parse_work_time("lunchEnd", "25:00").unwrap_err().field,
            "lunchEnd"
        );
    }

    #[test]
    fn parses_the_shipped_chinese_schedule() {
        let (holidays, extra) = parse_holiday_schedule(CN_HOLIDAYS_2026).unwrap();
        assert_eq!(holidays.len(), 33);
        assert_eq!(
            extra,
            BTreeSet::from([
                date(2026, 1, 4),
                date(2026, 2, 14),
                date(2026, 2, 28),
                date(2026, 5, 9),
                date(2026, 9, 20),
                date(2026, 10, 10),
            ])
        );
        assert!((1..=7).all(|day| holidays.contains(&date(2026, 10, day))));
    }

    #[test]
    fn parses_csv_variants() {
        let text = "\u{feff}Kind, Date ,Name\r\n\r\n# National Day\r\nholiday,2026-10-01,\"国庆节, National Day\"\r\nWORKDAY,2026-10-10,\r\n";
        let (holidays, extra) = parse_holiday_schedule(text).unwrap();
        assert_eq!(holidays, BTreeSet::from([date(2026, 10, 1)]));
        assert_eq!(extra, BTreeSet::from([date(2026, 10, 10)]));
    }

    #[test]
    fn reports_every_bad_csv_line() {
        let text = "date,kind,name\n2026-10-01,HOLIDAY,ok\n2026-13-01,HOLIDAY,bad month\n2026-10-02,DAYOFF,bad kind\n2026-10-01,WORKDAY,clash\n2026-10-03\n";
        let errors = parse_holiday_schedule(text).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|error| error.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "line 3: invalid date \"2026-13-01\", expected YYYY-MM-DD",
                "line 4: unknown kind \"DAYOFF\", expected HOLIDAY or WORKDAY",
                "line 5: 2026-10-01 is already listed as a holiday on line 2",
                "line 6: missing the date or kind column",
            ]
        );
        assert!(errors.iter().all(|error| error.field == "file"));

        let headerless = parse_holiday_schedule("2026-10-01,HOLIDAY,x\n").unwrap_err();
        assert_eq!(
            headerless[0].message,
            "line 1: expected a header line date,kind,name"
        );
        let empty = parse_holiday_schedule("date,kind,name\n").unwrap_err();
        assert_eq!(
            empty,
            [FieldError::new("file", "the schedule lists no dates")]
        );
    }

    #[test]
    fn parses_json_schedules() {
        let text = r#"[
  {"date": "2026-10-01", "kind": "HOLIDAY", "name": "\u56fd\u5e86\u8282 \"National Day\""},
  {"name": null, "kind": "workday", "date": "2026-10-10", "extra": [1, 2.5e3, true, {}]}
]"#;
        let (holidays, extra) = parse_holiday_schedule(text).unwrap();
        assert_eq!(holidays, BTreeSet::from([date(2026, 10, 1)]));
        assert_eq!(extra, BTreeSet::from([date(2026, 10, 10)]));
    }

    #[test]
    fn reports_bad_json_by_line() {
        let text = "[\n  {\"date\": \"2026-10-01\", \"kind\": \"HOLIDAY\"},\n  {\"kind\": \"HOLIDAY\"},\n  {\"date\": 20261002, \"kind\": \"NOPE\"},\n  \"2026-10-03\"\n]";
        let messages: Vec<String> = parse_holiday_schedule(text)
            .unwrap_err()
            .into_iter()
            .map(|error| error.message)
            .collect();
        assert_eq!(
            messages,
            [
                "line 3: missing \"date\"",
                "line 4: \"date\" must be a string",
                "line 5: expected an object with date, kind and name",
            ]
        );

        let broken =
            parse_holiday_schedule("[\n  {\"date\": \"2026-10-01\",\n  \"kind\" \"HOLIDAY\"}\n]")
                .unwrap_err();
        assert_eq!(
            broken,
            [FieldError::new("file", "line 3: invalid json: expected :")]
        );
        let unterminated = parse_holiday_schedule("[{\"date\": \"2026-10-01").unwrap_err();
        assert_eq!(
            unterminated[0].message,
            "line 1: invalid json: unterminated string"
        );
        let trailing = parse_holiday_schedule("[] x").unwrap_err();
        assert_eq!(
            trailing[0].message,
            "line 1: invalid json: unexpected text after the array"
        );
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(
            parse_holiday_schedule(&deep).unwrap_err()[0].message,
            "line 1: invalid json: nested too deeply"
        );
    }

    #[test]
    fn working_days_follow_holidays_and_make_up_days() {
        let calendar = cn_2026(None);
        // National Day: Thursday 1 to Wednesday 7 October off, Saturday 10 October worked.
        assert_eq!(date(2026, 10, 1).weekday(), Weekday::Thu);
        assert!(!calendar.is_working_day(date(2026, 10, 1)));
        assert!(!calendar.is_working_day(date(2026, 10, 7)));
        assert!(calendar.is_working_day(date(2026, 10, 8)));
        assert!(calendar.is_working_day(date(2026, 10, 10)));
        assert!(!calendar.is_working_day(date(2026, 10, 11)));
        assert!(calendar.is_working_day(date(2026, 9, 20)));
        assert!(!calendar.is_working_day(date(2026, 9, 19)));
    }

    #[test]
    fn one_working_day_across_national_day_lands_after_the_holiday() {
        let calendar = cn_2026(None);
        let one_day = calendar.hours().minutes_per_day();
        // Wednesday 30 September 10:00: 8 hours that day, the last hour on Thursday 8 October.
        check_add(
            &calendar,
            local(shanghai(), 2026, 9, 30, 10, 0),
            one_day,
            local(shanghai(), 2026, 10, 8, 10, 0),
        );
        // From the close on the eve, a full day ends at the close of the first day back.
        check_add(
            &calendar,
            local(shanghai(), 2026, 9, 30, 18, 0),
            one_day,
            local(shanghai(), 2026, 10, 8, 18, 0),
        );
        // The whole holiday week holds no working time.
        let during = calendar.working_minutes_between(
            local(shanghai(), 2026, 10, 1, 0, 0),
            local(shanghai(), 2026, 10, 8, 0, 0),
        );
        assert_eq!(during, 0);
    }

    #[test]
    fn a_make_up_saturday_counts_as_working() {
        let calendar = cn_2026(None);
        assert_eq!(date(2026, 10, 10).weekday(), Weekday::Sat);
        // Friday 9 October 17:00 plus 2 working hours: Saturday 10 October 10:00.
        check_add(
            &calendar,
            local(shanghai(), 2026, 10, 9, 17, 0),
            120,
            local(shanghai(), 2026, 10, 10, 10, 0),
        );
        let saturday = calendar.working_minutes_between(
            local(shanghai(), 2026, 10, 10, 0, 0),
            local(shanghai(), 2026, 10, 11, 0, 0),
        );
        assert_eq!(saturday, 540);
        // The make-up Sunday before National Day is worked too.
        check_add(
            &calendar,
            local(shanghai(), 2026, 9, 18, 17, 0),
            120,
            local(shanghai(), 2026, 9, 20, 10, 0),
        );
    }

    #[test]
    fn ticket_created_friday_17_50_with_two_working_hours_is_due_monday_10_50() {
        let calendar = BusinessCalendar::default_for(shanghai());
        assert_eq!(date(2026, 11, 27).weekday(), Weekday::Fri);
        check_add(
            &calendar,
            local(shanghai(), 2026, 11, 27, 17, 50),
            120,
            local(shanghai(), 2026, 11, 30, 10, 50),
        );
    }

    #[test]
    fn one_working_hour_across_the_spring_dst_switch_in_berlin() {
        let calendar = BusinessCalendar::default_for(berlin());
        // Friday 27 March 2026 17:30 CET; clocks jump on Sunday 29 March.
        let friday = local(berlin(), 2026, 3, 27, 17, 30);
        assert_eq!(
            friday,
            Utc.with_ymd_and_hms(2026, 3, 27, 16, 30, 0).unwrap()
        );
        let monday = local(berlin(), 2026, 3, 30, 9, 30);
        assert_eq!(monday, Utc.with_ymd_and_hms(2026, 3, 30, 7, 30, 0).unwrap());
        check_add(&calendar, friday, 60, monday);
    }

    #[test]
    fn working_hours_spanning_a_dst_switch_are_shorter_or_longer() {
        let night = hours(time(1, 0), time(5, 0), None);
        let calendar = BusinessCalendar::new(
            berlin(),
            ALL_DAYS.to_vec(),
            night,
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .unwrap();
        let day = |y, m, d| {
            calendar.working_minutes_between(
                local(berlin(), y, m, d, 0, 0),
                local(berlin(), y, m, d, 12, 0),
            )
        };
        assert_eq!(day(2026, 3, 28), 240);
        assert_eq!(day(2026, 3, 29), 180);
        assert_eq!(day(2026, 10, 25), 300);
        // 02:30 does not exist on 29 March: the day opens at 03:00 CEST.
        let gap = hours(time(2, 30), time(4, 0), None);
        let calendar = BusinessCalendar::new(
            berlin(),
            ALL_DAYS.to_vec(),
            gap,
            BTreeSet::new(),
            BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(
            calendar.working_intervals_on(date(2026, 3, 29)),
            [(
                Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 3, 29, 2, 0, 0).unwrap()
            )]
        );
    }

    #[test]
    fn lunch_break_is_skipped() {
        let calendar = cn_2026(Some((time(12, 0), time(13, 30))));
        assert_eq!(calendar.hours().minutes_per_day(), 450);
        let tuesday = |h, m| local(shanghai(), 2026, 11, 24, h, m);
        check_add(&calendar, tuesday(11, 30), 60, tuesday(14, 0));
        check_add(&calendar, tuesday(12, 15), 30, tuesday(14, 0));
        // Exactly the morning: lands at the start of the break, not after it.
        check_add(&calendar, tuesday(9, 0), 180, tuesday(12, 0));
        assert_eq!(
            calendar.working_minutes_between(tuesday(11, 0), tuesday(14, 0)),
            90
        );
        assert!(!calendar.is_working_time(tuesday(12, 45)));
        assert_eq!(
            calendar.next_working_moment(tuesday(12, 45)),
            Some(tuesday(13, 30))
        );
    }

    #[test]
    fn start_outside_working_hours_counts_from_the_next_opening() {
        let calendar = BusinessCalendar::default_for(shanghai());
        let at = |d, h, m| local(shanghai(), 2026, 11, d, h, m);
        check_add(&calendar, at(24, 7, 0), 30, at(24, 9, 30));
        check_add(&calendar, at(24, 20, 0), 30, at(25, 9, 30));
        check_add(&calendar, at(28, 10, 0), 30, at(30, 9, 30));
        assert_eq!(
            calendar.working_minutes_between(at(28, 0, 0), at(29, 23, 59)),
            0
        );
        assert!(calendar.is_working_time(at(24, 9, 0)));
        assert!(!calendar.is_working_time(at(24, 18, 0)));
    }

    #[test]
    fn zero_minutes_and_reversed_ranges() {
        let calendar = BusinessCalendar::default_for(shanghai());
        let saturday = local(shanghai(), 2026, 11, 28, 10, 0);
        assert_eq!(calendar.add_working_minutes(saturday, 0), Some(saturday));
        assert_eq!(calendar.add_working_minutes(saturday, -5), Some(saturday));
        let monday = local(shanghai(), 2026, 11, 30, 10, 0);
        assert_eq!(calendar.working_minutes_between(monday, saturday), 0);
        assert_eq!(calendar.working_minutes_between(monday, monday), 0);
    }

    #[test]
    fn seconds_are_kept_and_floored_consistently() {
        let calendar = BusinessCalendar::default_for(shanghai());
        let start = local(shanghai(), 2026, 11, 27, 17, 59) + Duration::seconds(30);
        let due = calendar.add_working_minutes(start, 1).unwrap();
        assert_eq!(
            due,
            local(shanghai(), 2026, 11, 30, 9, 0) + Duration::seconds(30)
        );
        assert_eq!(calendar.working_seconds_between(start, due), 60);
        assert_eq!(
            calendar.working_minutes_between(start, due - Duration::seconds(1)),
            0
        );
    }

    #[test]
    fn long_spans_are_fast_and_a_calendar_without_working_time_gives_up() {
        let calendar = cn_2026(Some((time(12, 0), time(13, 0))));
        let start = local(shanghai(), 2026, 1, 5, 9, 0);
        let due = calendar.add_working_minutes(start, 10_000).unwrap();
        assert_eq!(calendar.working_minutes_between(start, due), 10_000);
        let years = calendar.add_working_minutes(start, 500_000).unwrap();
        assert_eq!(calendar.working_minutes_between(start, years), 500_000);
        assert_eq!(calendar.add_working_minutes(start, i64::MAX), None);

        let mondays: BTreeSet<NaiveDate> = (0..7 * 53)
            .map(|week| date(2026, 1, 5) + Duration::weeks(week))
            .collect();
        let never = BusinessCalendar::new(
            shanghai(),
            vec![Weekday::Mon],
            WorkingHours::standard(),
            mondays,
            BTreeSet::new(),
        )
        .unwrap();
        assert_eq!(never.add_working_minutes(start, 1), None);
        assert_eq!(never.next_working_moment(start), None);
    }

    /// Calendars the properties run over: China 2026 with a lunch break,
    /// Berlin with DST, and New York working every night across its DST gaps.
    fn sample_calendars() -> Vec<BusinessCalendar> {
        let berlin_hours = hours(time(8, 30), time(17, 0), None);
        let new_york_hours = hours(time(0, 30), time(2, 30), Some((time(1, 0), time(1, 15))));
        vec![
            cn_2026(Some((time(12, 0), time(13, 30)))),
            BusinessCalendar::new(
                berlin(),
                WEEKDAYS.to_vec(),
                berlin_hours,
                BTreeSet::new(),
                BTreeSet::new(),
            )
            .unwrap(),
            BusinessCalendar::new(
                chrono_tz::America::New_York,
                ALL_DAYS.to_vec(),
                new_york_hours,
                BTreeSet::from([date(2026, 7, 4)]),
                BTreeSet::new(),
            )
            .unwrap(),
        ]
    }

    /// An instant between December 2025 and early 2027, to the second.
    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..400 * 24 * 3600).prop_map(|seconds| {
            Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).unwrap() + Duration::seconds(seconds)
        })
    }

    /// An instant like [`instant`] on a whole minute.
    fn minute_instant() -> impl Strategy<Value = DateTime<Utc>> {
        (0i64..400 * 24 * 60).prop_map(|minutes| {
            Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
        })
    }

    proptest! {
        #[test]
        fn measuring_an_addition_returns_its_minutes(which in 0usize..3, start in instant(), minutes in 0i64..12_000) {
            let calendar = &sample_calendars()[which];
            let due = calendar.add_working_minutes(start, minutes).unwrap();
            prop_assert!(due >= start);
            prop_assert_eq!(calendar.working_minutes_between(start, due), minutes);
            prop_assert_eq!(calendar.working_seconds_between(start, due), minutes * 60);
        }

        #[test]
        fn from_inside_working_time_adding_then_measuring_round_trips(which in 0usize..3, start in instant(), minutes in 1i64..12_000) {
            let calendar = &sample_calendars()[which];
            let inside = calendar.next_working_moment(start).unwrap();
            prop_assert!(calendar.is_working_time(inside));
            prop_assert!(calendar.working_seconds_between(start, inside) == 0);
            let due = calendar.add_working_minutes(inside, minutes).unwrap();
            prop_assert_eq!(calendar.working_minutes_between(inside, due), minutes);
            prop_assert_eq!(calendar.add_working_minutes(start, minutes), Some(due));
        }

        #[test]
        fn adding_the_measured_minutes_stays_within_the_range(which in 0usize..3, from in instant(), span in 0i64..40 * 24 * 3600) {
            let calendar = &sample_calendars()[which];
            let to = from + Duration::seconds(span);
            let minutes = calendar.working_minutes_between(from, to);
            let reached = calendar.add_working_minutes(from, minutes).unwrap();
            prop_assert!(reached <= to);
            prop_assert!(calendar.working_seconds_between(reached, to) < 60);
        }

        #[test]
        fn adding_is_monotone_in_minutes(which in 0usize..3, start in instant(), a in 0i64..10_000, b in 0i64..10_000) {
            let calendar = &sample_calendars()[which];
            let (fewer, more) = (a.min(b), a.max(b));
            prop_assert!(calendar.add_working_minutes(start, fewer).unwrap() <= calendar.add_working_minutes(start, more).unwrap());
        }

        #[test]
        fn adding_is_monotone_in_the_start(which in 0usize..3, t1 in instant(), t2 in instant(), minutes in 0i64..10_000) {
            let calendar = &sample_calendars()[which];
            let (earlier, later) = (t1.min(t2), t1.max(t2));
            prop_assert!(calendar.add_working_minutes(earlier, minutes).unwrap() <= calendar.add_working_minutes(later, minutes).unwrap());
        }

        #[test]
        fn measuring_is_additive(which in 0usize..3, a in minute_instant(), b in minute_instant(), c in minute_instant()) {
            let calendar = &sample_calendars()[which];
            let mut points = [a, b, c];
            points.sort();
            let [a, b, c] = points;
            prop_assert_eq!(
                calendar.working_minutes_between(a, b) + calendar.working_minutes_between(b, c),
                calendar.working_minutes_between(a, c)
            );
        }

        #[test]
        fn measuring_seconds_is_additive(which in 0usize..3, a in instant(), b in instant(), c in instant()) {
            let calendar = &sample_calendars()[which];
            let mut points = [a, b, c];
            points.sort();
            let [a, b, c] = points;
            prop_assert_eq!(
                calendar.working_seconds_between(a, b) + calendar.working_seconds_between(b, c),
                calendar.working_seconds_between(a, c)
            );
            let parts = calendar.working_minutes_between(a, b) + calendar.working_minutes_between(b, c);
            let whole = calendar.working_minutes_between(a, c);
            prop_assert!(parts == whole || parts + 1 == whole);
        }

        #[test]
        fn a_holiday_week_adds_a_week(berlin_zone in any::<bool>(), week in 0i64..100, offset in 0i64..24 * 60) {
            let tz = if berlin_zone { berlin() } else { shanghai() };
            let monday = date(2025, 1, 6) + Duration::weeks(week);
            let friday_before = monday - Duration::days(3);
            let start = local_instant(tz, friday_before, NaiveTime::MIN) + Duration::minutes(offset);
            let holiday_week: BTreeSet<NaiveDate> = (0..5).map(|day| monday + Duration::days(day)).collect();
            let plain = BusinessCalendar::default_for(tz);
            let with_holidays = BusinessCalendar::new(tz, WEEKDAYS.to_vec(), WorkingHours::standard(), holiday_week, BTreeSet::new()).unwrap();
            let five_days = 5 * WorkingHours::standard().minutes_per_day();
            let without = plain.add_working_minutes(start, five_days).unwrap().with_timezone(&tz).naive_local();
            let with = with_holidays.add_working_minutes(start, five_days).unwrap().with_timezone(&tz).naive_local();
            prop_assert_eq!(with, without + Duration::weeks(1));
        }
    }
}
