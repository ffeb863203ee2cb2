//! Policy events: government measures on mining, read from policy-events.csv, with the date
//! arithmetic that decides whether a measure was known, in force, or lapsed on a given day.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Error;

/// What kind of measure an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Mining is prohibited (or its power cut off).
    Ban,
    /// A ban drafted, proposed or announced, not (yet) enacted.
    BanProposed,
    /// No new or renewed operations or permits.
    Moratorium,
    /// Mining stopped for part of every year.
    SeasonalBan,
    /// Power to miners limited or cut for grid reasons.
    Rationing,
    /// A tax, fee or tariff aimed at mining.
    TariffOrTax,
    /// A duty to disclose energy use or emissions.
    Disclosure,
    /// A measure that favours mining.
    Incentive,
}

impl EventType {
    /// The name used in the data and the output.
    pub fn name(self) -> &'static str {
        match self {
            EventType::Ban => "ban",
            EventType::BanProposed => "ban_proposed",
            EventType::Moratorium => "moratorium",
            EventType::SeasonalBan => "seasonal_ban",
            EventType::Rationing => "rationing",
            EventType::TariffOrTax => "tariff_or_tax",
            EventType::Disclosure => "disclosure",
            EventType::Incentive => "incentive",
        }
    }
}

/// Which mining a measure is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// All mining.
    All,
    /// Mining powered by fossil fuels.
    FossilPowered,
    /// New facilities (or new permits) only.
    NewFacilities,
}

impl Scope {
    /// The name used in the data and the output.
    pub fn name(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::FossilPowered => "fossil_powered",
            Scope::NewFacilities => "new_facilities",
        }
    }
}

/// The state of a measure when the data was compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Adopted (it may have lapsed since: see the end date).
    Enacted,
    /// Drafted or proposed.
    Proposed,
    /// Announced by a government or utility, not yet adopted.
    Announced,
    /// Stopped by a court.
    Halted,
    /// Repealed.
    Repealed,
}

impl Status {
    /// The name used in the data and the output.
    pub fn name(self) -> &'static str {
        match self {
            Status::Enacted => "enacted",
            Status::Proposed => "proposed",
            Status::Announced => "announced",
            Status::Halted => "halted",
            Status::Repealed => "repealed",
        }
    }
}

/// How sure the compiler was of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Official notice or several consistent reports.
    High,
    /// One good report, or details not verified.
    Medium,
    /// Thinly sourced.
    Low,
}

/// Whether a measure covers its whole jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The whole jurisdiction.
    Whole,
    /// Part of it (one park, the south of a region).
    Part,
}

/// How exact an event's date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// YYYY-MM-DD.
    Day,
    /// YYYY-MM.
    Month,
    /// YYYY.
    Year,
}

/// One row of policy-events.csv as written.
#[derive(Debug, Deserialize)]
struct Row {
    id: String,
    date: String,
    date_precision: Precision,
    effective_date: String,
    end_date: String,
    jurisdictions: String,
    coverage: Coverage,
    #[serde(rename = "type")]
    kind: EventType,
    scope: Scope,
    status: Status,
    confidence: Confidence,
    season: String,
    description: String,
    source: String,
    source_url: String,
    note: String,
}

/// A government measure on mining.
#[derive(Debug, Clone)]
pub struct PolicyEvent {
    /// Identifier, e.g. `CN-2021-09-24`.
    pub id: String,
    /// The date as written, to its precision (`2021-10`, `2021-09-24`).
    pub date: String,
    /// The precision of `date`.
    pub precision: Precision,
    /// The first day the event was certainly public: the last day of its dated period.
    pub known: NaiveDate,
    /// The day the measure takes effect (`known` when no later date is given).
    pub effective: NaiveDate,
    /// The last day the measure applies, if it lapses, ends or was repealed.
    pub end: Option<NaiveDate>,
    /// ISO 3166-1 or 3166-2 codes the measure applies to.
    pub jurisdictions: Vec<String>,
    /// Whole jurisdiction or part of it.
    pub coverage: Coverage,
    /// What kind of measure.
    pub kind: EventType,
    /// Which mining it is aimed at.
    pub scope: Scope,
    /// The state when the data was compiled.
    pub status: Status,
    /// How sure the compiler was.
    pub confidence: Confidence,
    /// For a seasonal ban, the season (`11-15..03-15`).
    pub season: Option<String>,
    /// What the measure does.
    pub description: String,
    /// The sources as cited.
    pub source: String,
    /// The first source's address, where one is known.
    pub source_url: Option<String>,
    /// What was checked or changed when the row was reviewed.
    pub note: String,
}

impl PolicyEvent {
    /// A proposal (drafted, proposed or announced) rather than an adopted measure.
    pub fn is_proposal(&self) -> bool {
        self.kind == EventType::BanProposed || matches!(self.status, Status::Proposed | Status::Announced)
    }

    /// Public on or before `day`.
    pub fn known_by(&self, day: NaiveDate) -> bool {
        self.known <= day
    }

    /// Adopted, public and in effect on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        !self.is_proposal() && self.known_by(day) && self.effective <= day && self.end.is_none_or(|end| day <= end)
    }

    /// Public on or before `day` and no more than `months` before it.
    pub fn known_within(&self, day: NaiveDate, months: u32) -> bool {
        self.known_by(day)
            && day
                .checked_sub_months(Months::new(months))
                .is_none_or(|from| self.known >= from)
    }

    /// Whether `self` continues `earlier` without a gap, as known on `day`: an adopted measure
    /// of the same type on the same jurisdictions, public by `day`, that starts after `earlier`
    /// did, no later than the day after `earlier` ends, and runs past that end. Manitoba's 2024
    /// directive (CA-MB-2024-04-15) continues its 2022 pause (CA-MB-2022-11-28), so the pause has
    /// not lapsed: one measure extended counts once (issue 23). A measure that resumes after a
    /// gap (Abkhazia's 2020 ban, three months after the 2018 ban was lifted) does not continue.
    pub fn continues(&self, earlier: &PolicyEvent, day: NaiveDate) -> bool {
        let Some(end) = earlier.end else { return false };
        self.id != earlier.id
            && !self.is_proposal()
            && self.known_by(day)
            && self.kind == earlier.kind
            && self.jurisdictions == earlier.jurisdictions
            && self.effective > earlier.effective
            && end.succ_opt().is_some_and(|next| self.effective <= next)
            && self.end.is_none_or(|later| later > end)
    }

    /// The address to cite: the source URL, else the citation as written.
    pub fn citation(&self) -> &str {
        self.source_url.as_deref().unwrap_or(&self.source)
    }
}

/// Parse `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    read_day(text).ok()
}

/// Parse `YYYY-MM-DD`, saying what is wrong when it cannot: the form, or the month or day
/// that does not exist (`2021-02-30`). A one-digit month or day (`2021-3-1`) is read the same
/// way wherever a date is read: `--as-of`, policy-events.csv and risk-rules.toml.
pub fn read_day(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let form = || format!("'{text}': expected a date YYYY-MM-DD");
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else { return Err(form()) };
    let digits = |p: &str, max: usize| (1..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return Err(form());
    }
    let (year, month, day) = (
        y.parse::<i32>().map_err(|_| form())?,
        m.parse::<u32>().map_err(|_| form())?,
        d.parse::<u32>().map_err(|_| form())?,
    );
    if !(1..=12).contains(&month) {
        return Err(format!("'{text}': there is no month {month} (expected 1-12)"));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let last = NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|first| first.checked_add_months(Months::new(1)))
            .and_then(|next| next.pred_opt())
            .map_or(31, |d| d.day());
        format!(
            "'{text}': the day is invalid: {} {year} has no day {day} (it has {last} days)",
            crate::months::NAMES[month as usize - 1]
        )
    })
}

/// The last day of the period `text` names at `precision`.
fn period_end(text: &str, precision: Precision) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let num = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    match (precision, parts.len()) {
        (Precision::Day, 3) => parse_day(text),
        (Precision::Month, 2) => {
            let first = NaiveDate::from_ymd_opt(i32::try_from(num(0)?).ok()?, num(1)?, 1)?;
            first.checked_add_months(Months::new(1))?.pred_opt()
        }
        (Precision::Year, 1) => NaiveDate::from_ymd_opt(i32::try_from(num(0)?).ok()?, 12, 31),
        _ => None,
    }
}

/// Parse policy-events.csv.
pub fn parse_events(text: &str, file: &str) -> Result<Vec<PolicyEvent>, Error> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        let line = i + 2;
        let bad = |what: String| Error::GridData {
            file: file.to_string(),
            message: format!("line {line}: {what}"),
        };
        let row = row.map_err(|e| bad(e.to_string()))?;
        if row.date_precision == Precision::Day {
            read_day(&row.date).map_err(|e| bad(format!("date {e}")))?;
        }
        let known = period_end(&row.date, row.date_precision).ok_or_else(|| {
            bad(format!(
                "date '{}' does not match its precision {:?}",
                row.date, row.date_precision
            ))
        })?;
        let optional_day = |text: &str, column: &str| -> Result<Option<NaiveDate>, Error> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            read_day(text).map(Some).map_err(|e| bad(format!("{column} {e}")))
        };
        let effective = optional_day(&row.effective_date, "effective_date")?.unwrap_or(known);
        let end = optional_day(&row.end_date, "end_date")?;
        let jurisdictions: Vec<String> = row
            .jurisdictions
            .split(';')
            .map(|j| j.trim().to_string())
            .filter(|j| !j.is_empty())
            .collect();
        if jurisdictions.is_empty() {
            return Err(bad("no jurisdiction".into()));
        }
        let non_empty = |s: String| (!s.trim().is_empty()).then_some(s);
        out.push(PolicyEvent {
            id: row.id,
            date: row.date,
            precision: row.date_precision,
            known,
            effective,
            end,
            jurisdictions,
            coverage: row.coverage,
            kind: row.kind,
            scope: row.scope,
            status: row.status,
            confidence: row.confidence,
            season: non_empty(row.season),
            description: row.description,
            source: row.source,
            source_url: non_empty(row.source_url),
            note: row.note,
        });
    }
    if out.is_empty() {
        // Issue 20: no events would score every site low without saying why.
        return Err(Error::GridData {
            file: file.to_string(),
            message: "line 2: no events: expected at least one policy event".into(),
        });
    }
    Ok(out)
}

/// The year of a day, as the grid tables count years.
pub fn year_of(day: NaiveDate) -> u16 {
    u16::try_from(day.year()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_day(text).expect("test date")
    }

    #[test]
    fn a_month_precision_event_is_known_from_the_last_day_of_its_month() {
        assert_eq!(period_end("2021-10", Precision::Month), Some(day("2021-10-31")));
        assert_eq!(period_end("2024-02", Precision::Month), Some(day("2024-02-29")));
        assert_eq!(period_end("2022", Precision::Year), Some(day("2022-12-31")));
        assert_eq!(period_end("2021-10", Precision::Day), None);
    }

    #[test]
    fn a_date_that_does_not_exist_says_the_day_is_invalid() {
        // Issue 20: a generic "expected a date" hid which part was wrong.
        assert_eq!(
            read_day("2021-02-30"),
            Err("'2021-02-30': the day is invalid: February 2021 has no day 30 (it has 28 days)".into())
        );
        assert_eq!(
            read_day("2024-02-30").unwrap_err(),
            "'2024-02-30': the day is invalid: February 2024 has no day 30 (it has 29 days)"
        );
        assert_eq!(
            read_day("2021-13-01").unwrap_err(),
            "'2021-13-01': there is no month 13 (expected 1-12)"
        );
        assert_eq!(
            read_day("1 March 2021").unwrap_err(),
            "'1 March 2021': expected a date YYYY-MM-DD"
        );
        assert_eq!(
            read_day("21-03-01").unwrap_err(),
            "'21-03-01': expected a date YYYY-MM-DD"
        );
        assert_eq!(
            read_day("+2021-03-01").unwrap_err(),
            "'+2021-03-01': expected a date YYYY-MM-DD"
        );
    }

    #[test]
    fn a_one_digit_month_or_day_is_read_everywhere() {
        // Issue 20: `2021-3-1` is accepted in --as-of, in the events and in the rules alike.
        assert_eq!(read_day("2021-3-1"), Ok(day("2021-03-01")));
        assert_eq!(period_end("2021-3-1", Precision::Day), Some(day("2021-03-01")));
        assert_eq!(period_end("2021-3", Precision::Month), Some(day("2021-03-31")));
        let header = "id,date,date_precision,effective_date,end_date,jurisdictions,coverage,type,scope,status,confidence,season,description,source,source_url,note";
        let text = format!("{header}\nX-1,2021-3-1,day,2021-3-5,2021-4-1,KZ,whole,ban,all,enacted,high,,d,s,,\n");
        let e = &parse_events(&text, "policy-events.csv").expect("one-digit dates parse")[0];
        assert_eq!(
            (e.known, e.effective, e.end),
            (day("2021-03-01"), day("2021-03-05"), Some(day("2021-04-01")))
        );
        let bad = format!("{header}\nX-1,2021-02-30,day,,,KZ,whole,ban,all,enacted,high,,d,s,,\n");
        assert_eq!(
            parse_events(&bad, "policy-events.csv").unwrap_err().to_string(),
            "grid data policy-events.csv: line 2: date '2021-02-30': the day is invalid: February 2021 has no day 30 (it has 28 days)"
        );
    }

    #[test]
    fn the_embedded_events_parse_and_a_temporary_ban_is_in_force_only_between_its_dates() {
        let events = parse_events(include_str!("../../grid-data/policy-events.csv"), "policy-events.csv")
            .expect("embedded events parse");
        assert_eq!(events.len(), 58);
        let iran = events.iter().find(|e| e.id == "IR-2021-05-26").expect("Iran 2021 ban");
        assert!(!iran.in_force(day("2021-05-25")));
        assert!(iran.in_force(day("2021-05-26")));
        assert!(iran.in_force(day("2021-09-22")));
        assert!(!iran.in_force(day("2021-09-23")));
        let kz_tax = events.iter().find(|e| e.id == "KZ-2021-06-24").expect("Kazakh fee");
        assert!(kz_tax.known_by(day("2021-06-24")) && !kz_tax.in_force(day("2021-12-31")));
        assert!(kz_tax.in_force(day("2022-01-01")));
        let draft = events.iter().find(|e| e.id == "CN-NM-2021-02").expect("draft");
        assert!(draft.is_proposal() && !draft.in_force(day("2021-03-01")));
    }
}
