"""The project's own policy events (tools/policy_events_added.csv) and their merge (issue 23).

build_risk_data.check_added must refuse a row that disagrees with its review, has no URL, reuses
a raw row's id or names a jurisdiction outside its country, and a review without its row; the
committed file must pass; and, with the raw folder, the merge must give the committed
grid-data/policy-events.csv exactly. Run from the repository root:

    HASHMIX_DATA_RAW=../shared/data-raw python3 -m pytest tools/tests/test_policy_events_added.py
"""

import csv
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
import build_risk_data as b  # noqa: E402

GRID = REPO / "grid-data"
ADDED = REPO / "tools" / "policy_events_added.csv"
REGIONS = {r["region"] for r in csv.DictReader(open(GRID / "regions.csv", newline=""))}


def header():
    with open(ADDED, newline="") as fh:
        return next(csv.reader(fh))


def rows():
    return list(csv.DictReader(open(ADDED, newline="")))


def write(tmp_path, edited):
    path = tmp_path / "policy_events_added.csv"
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header(), lineterminator="\n")
        w.writeheader()
        w.writerows(edited)
    return path


def test_the_committed_file_passes_and_has_21_sourced_rows():
    got = b.check_added(ADDED, header(), set(b.REVIEW) | set(b.DROPPED), REGIONS)
    assert len(got) == 21
    assert sorted(r["event_id"] for r in got) == sorted(b.ADDED_REVIEW)


def test_a_row_whose_type_disagrees_with_its_review_is_refused_with_line_column_and_value(tmp_path):
    edited = rows()
    assert edited[0]["event_id"] == "AO-2024-02-28"
    edited[0]["event_type"] = "moratorium"
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, edited), header(), set(), REGIONS)
    assert str(e.value) == ("policy_events_added.csv: line 2, column event_type: 'moratorium': "
                            "expected 'ban', as ADDED_REVIEW says")


def test_a_row_without_a_url_is_refused(tmp_path):
    edited = rows()
    edited[1]["source"] = "a newspaper, some day"
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, edited), header(), set(), REGIONS)
    assert str(e.value) == ("policy_events_added.csv: line 3, column source: 'a newspaper, some day': "
                            "expected the publisher, title, date and an http(s) URL")


def test_an_id_the_raw_file_already_has_is_refused(tmp_path):
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, rows()), header(), {"KW-2025-04"}, REGIONS)
    assert "column event_id: 'KW-2025-04': expected an id not used by the raw file" in str(e.value)


def test_a_jurisdiction_outside_the_rows_country_is_refused(tmp_path):
    edited = rows()
    row = next(r for r in edited if r["event_id"] == "CA-MB-2024-04-15")
    row["iso3166_1"] = "US"
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, edited), header(), set(), REGIONS)
    assert "column iso3166_1: 'US': expected the country of every jurisdiction (CA-MB)" in str(e.value)


def test_a_review_without_its_row_is_refused(tmp_path):
    edited = [r for r in rows() if r["event_id"] != "LA-2023-08-23"]
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, edited), header(), set(), REGIONS)
    assert str(e.value) == "policy_events_added.csv: ADDED_REVIEW has no row for LA-2023-08-23"


def test_columns_other_than_the_raw_files_are_refused(tmp_path):
    path = tmp_path / "policy_events_added.csv"
    path.write_text("event_id,date\n")
    with pytest.raises(ValueError) as e:
        b.check_added(path, header(), set(), REGIONS)
    assert str(e.value).startswith("policy_events_added.csv: line 1: the columns are ['event_id', 'date']")


@pytest.mark.raw
def test_the_merge_gives_the_committed_policy_events_exactly(tmp_path):
    raw = Path(os.environ.get("HASHMIX_DATA_RAW", REPO.parent / "shared" / "data-raw"))
    assert (raw / "mining" / "policy_events.csv").exists(), f"no raw folder at {raw}"
    kept, own = b.write_events(raw, tmp_path, REGIONS)
    assert (kept, own) == (58, 21)
    assert (tmp_path / "policy-events.csv").read_text() == (GRID / "policy-events.csv").read_text()


def test_a_new_row_whose_date_disagrees_with_its_review_is_refused(tmp_path):
    # Issue 23, second pass: Kyrgyzstan's ban is dated by the minister's interview.
    edited = rows()
    line, row = next((i + 2, r) for i, r in enumerate(edited) if r["event_id"] == "KG-2025-11-12")
    row["date"] = "2025-11-13"
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, edited), header(), set(), REGIONS)
    assert str(e.value) == (f"policy_events_added.csv: line {line}, column date: '2025-11-13': "
                            "expected '2025-11-12', as ADDED_REVIEW says")


def test_a_new_row_naming_a_subdivision_outside_its_jurisdictions_is_refused(tmp_path):
    edited = rows()
    line, row = next((i + 2, r) for i, r in enumerate(edited) if r["event_id"] == "RU-2025-12-16")
    row["iso3166_2"] = "RU-IRK"
    with pytest.raises(ValueError) as e:
        b.check_added(write(tmp_path, edited), header(), set(), REGIONS)
    assert str(e.value) == (f"policy_events_added.csv: line {line}, column iso3166_2: 'RU-IRK': "
                            "expected one of the jurisdictions (RU-BU;RU-ZAB)")


def test_an_enacted_rationing_with_no_end_must_say_it_stands(tmp_path):
    # Issue 23: such a measure counts for as long as it is in force, so leaving its end out by
    # omission would make an episode count for ever.
    review = dict(b.ADDED_REVIEW)
    review["LA-2023-08-23"] = dict(review["LA-2023-08-23"], note="no end date given")
    line = next(i + 2 for i, r in enumerate(rows()) if r["event_id"] == "LA-2023-08-23")
    with pytest.raises(ValueError) as e:
        b.check_added(ADDED, header(), set(), REGIONS, review=review)
    assert str(e.value) == (f"policy_events_added.csv: line {line}, column event_type: 'rationing': expected an "
                            "end date in ADDED_REVIEW, or 'standing' in its note: an enacted rationing with no "
                            "end date counts for as long as it stands")
    # With its end it is an episode and passes.
    review["LA-2023-08-23"] = dict(review["LA-2023-08-23"], end="2023-08-31")
    assert len(b.check_added(ADDED, header(), set(), REGIONS, review=review)) == 21


def test_every_reviewed_raw_rationing_with_no_end_says_it_stands():
    assert [rid for rid, ev in b.REVIEW.items() if b.stands_unstated(ev)] == []
    standing = sorted(rid for rid, ev in {**b.REVIEW, **b.ADDED_REVIEW}.items()
                      if ev["type"] == "rationing" and ev["status"] == "enacted" and not ev.get("end"))
    assert standing == ["KZ-2023-02-06", "LA-2023-08-23"]
