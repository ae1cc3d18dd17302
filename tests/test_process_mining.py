"""Contract section 13: general event logs -- XES input, XES/pm4py column names, --timezone,
any country's calendar, `vocabulary: open`, GK010 by runs of years."""
from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Workspace, dedent, statuses, stderr_of

OPEN_RULESET = """\
ruleset: pm
title: {zh: 过程挖掘, en: Process mining}
document: test
issued: 2011-01-01
vocabulary: open
rules:
  - id: R
    deadline: {after: submitted, expect: decided, within: 2 working days}
"""

XES = """\
<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
	<global scope="event">
		<string key="concept:name" value="UNKNOWN"/>
	</global>
	<string key="concept:name" value="the log's own name"/>
	<trace>
		<string key="concept:name" value="A"/>
		<string key="AMOUNT_REQ" value="20000"/>
		<event>
			<string key="org:resource" value="112"/>
			<string key="concept:name" value="submitted"/>
			<date key="time:timestamp" value="2023-04-26T23:30:00.000+02:00"/>
		</event>
		<event>
			<string key="concept:name" value="decided"/>
			<string key="org:group" value="loans"/>
			<date key="time:timestamp" value="2023-05-01T09:00:00.000+02:00"/>
			<list key="nested"><string key="x" value="not a column"/></list>
		</event>
	</trace>
	<trace>
		<string key="concept:name" value="B"/>
		<event>
			<string key="concept:name" value="submitted"/>
			<date key="time:timestamp" value="2023-05-02T10:00:00.000+02:00"/>
		</event>
	</trace>
</log>
"""


def _xes(ws: Workspace, text: str = XES, name: str = "log.xes") -> Path:
    path = ws.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = dedent(text).encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


# --- XES input ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["log.xes", "log.xes.gz"])
def test_xes__rows_with_their_event_line_and_case_attributes(ws: Workspace, name: str) -> None:
    from gklint.events.readers import open_raw

    raw = open_raw(_xes(ws, name=name))
    assert raw.header == ["case:concept:name", "case:AMOUNT_REQ", "org:resource", "concept:name",
                          "time:timestamp", "org:group"]
    rows = list(raw.rows)
    assert [(line, cells) for line, cells, _ in rows] == [
        (10, ["A", "20000", "112", "submitted", "2023-04-26T23:30:00.000+02:00", ""]),
        (15, ["A", "20000", "", "decided", "2023-05-01T09:00:00.000+02:00", "loans"]),
        (24, ["B", "", "", "submitted", "2023-05-02T10:00:00.000+02:00", ""]),
    ]


def test_xes__checked_with_no_configuration(ws: Workspace, both_engines: str) -> None:
    """XES keys are the standard columns: case:concept:name is the case, concept:name the event,
    time:timestamp the date, org:group the unit; org:resource stays an attribute."""
    ws.write("rs.yaml", OPEN_RULESET)
    _xes(ws, name="log.xes.gz")
    result = ws.check("2023-06-30", paths=[ws.root / "log.xes.gz"], calendar="NL", timezone="Europe/Amsterdam")
    assert result.events == 3
    # A: submitted Wednesday 26 April 23:30 in Amsterdam (27 April, King's Day, is a day off; 29-30
    # a weekend): 2 working days end on Monday 1 May, when it was decided. B was never decided.
    assert statuses(result, "R") == [("R", "B", "missing")]
    [overdue] = [f for f in result.findings if f.rule == "R"]
    assert (overdue.file, overdue.line) == (str(ws.root / "log.xes.gz"), 24)


@pytest.mark.parametrize(("prolog", "what"), [
    ('<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n',
     "document type declaration"),
    ('<!DOCTYPE log SYSTEM "file:///etc/passwd">\n', "document type declaration"),
])
def test_xes__document_type_declarations_are_refused(ws: Workspace, prolog: str, what: str) -> None:
    """Untrusted XML (docs/security.md): no DTD, so no entity expansion (billion laughs) and no
    external entity is ever read; exit 2 naming the file and line."""
    ws.write("rs.yaml", OPEN_RULESET)
    text = XES.replace('<log xes', prolog + '<log xes', 1)
    _xes(ws, text)
    result = ws.cli("check", "log.xes", "-r", "rs.yaml", "--as-of", "2012-06-30")
    assert result.exit_code == 2
    assert "log.xes:2:" in stderr_of(result) and what in stderr_of(result)
    assert "Traceback" not in stderr_of(result)


def test_xes__malformed_xml_is_exit_2_at_its_line(ws: Workspace) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    _xes(ws, XES.replace("</trace>\n\t<trace>", "</trace>\n\t<trace", 1))
    result = ws.cli("check", "log.xes", "-r", "rs.yaml", "--as-of", "2012-06-30")
    assert result.exit_code == 2
    assert "log.xes:23:" in stderr_of(result) and "not well-formed XML" in stderr_of(result)


def test_xes__an_undefined_entity_is_exit_2(ws: Workspace) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    _xes(ws, XES.replace('value="112"', 'value="&xxe;"'))
    result = ws.cli("check", "log.xes", "-r", "rs.yaml", "--as-of", "2012-06-30")
    assert result.exit_code == 2 and "log.xes:11:" in stderr_of(result)


def test_xes__an_oversized_value_is_a_malformed_row(ws: Workspace) -> None:
    from gklint.events.readers import MAX_CELL

    ws.write("rs.yaml", OPEN_RULESET)
    _xes(ws, XES.replace('value="112"', f'value="{"x" * (MAX_CELL + 1)}"'))
    result = ws.check("2012-06-30", paths=[ws.root / "log.xes"], timezone="Europe/Amsterdam", calendar="NL")
    assert [(f.rule, f.line) for f in result.findings if f.rule == "GK007"] == [("GK007", 10)]


def test_xes__a_damaged_gzip_stream_is_exit_2(ws: Workspace) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    (ws.root / "log.xes.gz").write_bytes(gzip.compress(dedent(XES).encode())[:200])
    result = ws.cli("check", "log.xes.gz", "-r", "rs.yaml", "--as-of", "2012-06-30")
    assert result.exit_code == 2 and "log.xes.gz" in stderr_of(result)
    assert "Traceback" not in stderr_of(result)


def test_xes__found_in_folder_walks(ws: Workspace) -> None:
    from gklint.events import discover

    _xes(ws, name="logs/a.xes.gz")
    _xes(ws, name="logs/b.xes")
    (ws.root / "logs" / "c.gz").write_bytes(b"")
    assert [p.name for p in discover([ws.root / "logs"])] == ["a.xes.gz", "b.xes"]


def test_pm4py_csv_export__reads_with_no_configuration(ws: Workspace, both_engines: str) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    ws.log("""
        case:concept:name,concept:name,time:timestamp,org:group,org:resource
        A,submitted,2023-04-26 23:30:00+02:00,loans,112
        A,decided,2023-05-01 09:00:00+02:00,loans,112
        B,submitted,2023-05-02 10:00:00+02:00,loans,113
        """)
    result = ws.check("2023-06-30", calendar="NL", timezone="Europe/Amsterdam")
    assert statuses(result, "R") == [("R", "B", "missing")]
    assert [f.unit for f in result.findings if f.rule == "R"] == ["loans"]


# --- --timezone -----------------------------------------------------------------------------

def test_timezone__offsets_converted_to_it_naive_times_in_it(ws: Workspace, both_engines: str) -> None:
    """23:30 in Amsterdam on 25 April is 26 April in China: the day the period starts from moves
    with the zone, and a time without an offset is in the zone."""
    ws.write("rs.yaml", OPEN_RULESET.replace("2 working days", "1 working day"))
    ws.log("""
        case,event,date
        A,submitted,2023-04-25T23:30:00+02:00
        A,decided,2023-04-28T09:00:00+02:00
        B,submitted,2023-04-25T23:30:00
        B,decided,2023-04-28T09:00:00
        """)
    amsterdam = ws.check("2023-06-30", calendar="NL", timezone="Europe/Amsterdam")
    assert statuses(amsterdam, "R") == [("R", "A", "late"), ("R", "B", "late")]
    assert statuses(ws.check("2023-06-30", calendar="NL"), "R") == statuses(amsterdam, "R")  # its default
    shanghai = ws.check("2023-06-30", calendar="NL", timezone="Asia/Shanghai")
    # In China's zone A was submitted on the 26th: due on the 28th (the 27th is King's Day).
    assert statuses(shanghai, "R") == [("R", "B", "late")]


def test_timezone__config_key_and_errors(ws: Workspace) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    ws.log("""
        case,event,date
        A,submitted,2012-04-26T23:30:00+02:00
        """)
    (ws.root / "gklint.toml").write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2012-06-30")
    assert result.exit_code == 2 and "Mars/Olympus" in stderr_of(result)
    (ws.root / "gklint.toml").write_text("", encoding="utf-8")
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2012-06-30", "--calendar", "US")
    assert result.exit_code == 2 and "--timezone" in stderr_of(result)
    result = ws.cli("check", "events.csv", "-r", "rs.yaml", "--as-of", "2012-06-30", "--calendar", "US-CA",
                    "--timezone", "America/Los_Angeles")
    assert result.exit_code in (0, 1), stderr_of(result)


def test_timezone__chinas_calendar_needs_no_tz_database(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no tz database (only the tzdata package, a dependency there, brings one).
    China's times are read at UTC+8 without it, so a check on China's calendar does not look its
    zone up; another zone is looked up, and one the database lacks is exit 2 naming it."""
    import zoneinfo

    ws.write("rs.yaml", OPEN_RULESET)
    ws.log("""
        case,event,date
        A,submitted,2023-04-25T23:30:00+02:00
        B,submitted,2023-04-26
        """)
    check = ["check", "events.csv", "-r", "rs.yaml", "--as-of", "2023-06-30", "--format", "json"]
    with_database = ws.cli(*check)

    def no_database(key: str) -> Any:
        raise zoneinfo.ZoneInfoNotFoundError(f"No time zone found with key {key}")

    monkeypatch.setattr(zoneinfo, "ZoneInfo", no_database)
    for zone in ([], ["--timezone", "Asia/Shanghai"]):
        result = ws.cli(*check, *zone)
        assert (result.exit_code, result.stdout) == (with_database.exit_code, with_database.stdout), stderr_of(result)
    assert with_database.exit_code == 1 and '"missing"' in with_database.stdout
    result = ws.cli(*check, "--timezone", "Europe/Amsterdam")
    assert result.exit_code == 2 and "Europe/Amsterdam" in stderr_of(result)


# --- --calendar for any country ------------------------------------------------------------

def test_calendar__countries_and_subdivisions_from_the_package() -> None:
    from gklint.calendar import load_calendar

    nl = load_calendar("NL")
    assert not nl.is_workday(dt.date(2023, 4, 27))  # Koningsdag
    assert nl.is_workday(dt.date(2023, 4, 28)) and not nl.is_workday(dt.date(2023, 4, 29))
    assert nl.zone == "Europe/Amsterdam"
    assert not load_calendar("DE-BY").is_workday(dt.date(2025, 1, 6))  # Epiphany in Bavaria
    assert load_calendar("de-be").is_workday(dt.date(2025, 1, 6))  # ... not in Berlin
    sa = load_calendar("SA")  # the package's own weekend: Friday and Saturday
    assert not sa.is_workday(dt.date(2024, 3, 8)) and sa.is_workday(dt.date(2024, 3, 10))


def test_calendar__coverage_is_the_years_the_package_computes() -> None:
    from gklint.calendar import load_calendar

    nl = load_calendar("NL")
    assert nl.covers(2012) and nl.covers(2090) and not nl.covers(1950)
    assert "NL calendar" in nl.coverage_warning(1950)


def test_calendar__unknown_names_are_exit_2(ws: Workspace) -> None:
    from gklint.calendar import load_calendar
    from gklint.errors import CalendarError

    with pytest.raises(CalendarError, match="not found"):
        load_calendar("XX")
    with pytest.raises(CalendarError, match="subdivision"):
        load_calendar("DE-ZZ")
    with pytest.raises(CalendarError, match="no subdivisions of CN") as caught:  # none to list
        load_calendar("CN-11")
    assert caught.value.hint == "use CN alone"


def test_calendar__overlays_extend_any_country(ws: Workspace) -> None:
    from gklint.calendar import load_calendar

    path = ws.write("nl.yaml", """
        extends: NL
        name: gemeente
        days_off: [2023-04-28]
        """)
    cal = load_calendar(str(path))
    assert not cal.is_workday(dt.date(2023, 4, 27)) and not cal.is_workday(dt.date(2023, 4, 28))
    assert cal.zone == "Europe/Amsterdam"
    bad = ws.write("bad.yaml", "extends: Narnia\n")
    from gklint.errors import CalendarError

    with pytest.raises(CalendarError, match="extends"):
        load_calendar(str(bad))


def test_calendar__gk010_for_every_calendar(ws: Workspace, both_engines: str) -> None:
    """Coverage applies to every calendar: NL years before the package's first are warned about,
    one GK010 per run of consecutive years."""
    ws.write("rs.yaml", OPEN_RULESET)
    ws.log("""
        case,event,date
        A,submitted,1963-03-01
        A,decided,1963-03-04
        B,submitted,1965-03-01
        B,decided,1965-03-02
        """)
    result = ws.check("1967-01-01", calendar="NL")
    assert [(f.period, f.line) for f in result.findings if f.rule == "GK010"] == [("1963..1965", 2)]


def test_gk010__a_covered_year_ends_a_run(ws: Workspace, both_engines: str) -> None:
    overlay = ws.write("cn.yaml", "extends: CN\ncovers: [2028]\n")
    ws.ruleset("- id: R\n  deadline: {after: received, expect: answered, within: 5 working days}\n")
    ws.log("""
        date,event,case
        2027-03-01,received,A
        2027-03-02,answered,A
        2029-01-03,received,B
        2029-01-04,answered,B
        """)
    result = ws.check("2030-06-30", calendar=str(overlay))
    assert [(f.period, f.line) for f in result.findings if f.rule == "GK010"] == [("2027", 2), ("2029..2030", 4)]


# --- vocabulary: open -----------------------------------------------------------------------

def test_vocabulary_open__rules_name_undeclared_kinds_and_rows_are_kept(ws: Workspace, both_engines: str) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    ws.log("""
        case,event,date
        A,submitted,2012-05-01
        A,looked at,2012-05-02
        A,decided,2012-05-03
        """)
    result = ws.check("2012-06-30", calendar="NL")
    assert result.events == 3 and not [f for f in result.findings if f.rule == "GK002"]


def test_vocabulary_open__a_closed_ruleset_in_force_keeps_gk002(ws: Workspace, both_engines: str) -> None:
    ws.write("rs.yaml", OPEN_RULESET)
    closed = ws.ruleset("- id: C\n  deadline: {after: received, expect: answered, within: 5 working days}\n",
                        name="closed.yaml", ruleset_id="closed")
    ws.log("""
        case,event,date
        A,submitted,2012-05-01
        A,looked at,2012-05-02
        """)
    result = ws.check("2012-06-30", rulesets=[ws.root / "rs.yaml", closed])
    assert [(f.rule, f.line) for f in result.findings if f.rule == "GK002"] == [("GK002", 3)]


def test_vocabulary_closed__an_undeclared_kind_is_still_a_ruleset_error(ws: Workspace) -> None:
    from gklint.errors import RulesetError
    from gklint.ruleset import load_rulesets

    ws.write("rs.yaml", OPEN_RULESET.replace("vocabulary: open\n", ""))
    with pytest.raises(RulesetError, match="not declared"):
        load_rulesets([str(ws.root / "rs.yaml")])


# --- count per case, group, the far as-of date ----------------------------------------------

def test_count_per_case__each_case_over_its_whole_life(ws: Workspace, both_engines: str) -> None:
    """DECLARE exactly-once: each case of the log, its events of every year counted; a finding
    is about one case, on its first row."""
    ws.write("rs.yaml", OPEN_RULESET.replace(
        "  - id: R\n    deadline: {after: submitted, expect: decided, within: 2 working days}\n",
        "  - id: ONCE\n    count: {event: decided, at_least: 1, at_most: 1, per: case}\n"))
    ws.log("""
        case,event,date
        A,submitted,2022-12-30
        A,decided,2023-01-02
        B,submitted,2023-01-03
        C,submitted,2023-01-04
        C,decided,2023-01-05
        C,decided,2023-01-06
        ,decided,2023-01-06
        """)
    result = ws.check("2023-06-30", calendar="NL")
    found = [(f.rule, f.case, f.status, f.line, f.period) for f in result.findings if f.rule == "ONCE"]
    assert found == [("ONCE", "B", "too_few", 4, None), ("ONCE", "C", "too_many", 5, None)]


def test_count_per_case__for_each_does_not_apply(ws: Workspace) -> None:
    from gklint.errors import RulesetError
    from gklint.ruleset import load_rulesets

    ws.write("rs.yaml", OPEN_RULESET.replace(
        "  - id: R\n    deadline: {after: submitted, expect: decided, within: 2 working days}\n",
        "  - id: ONCE\n    count: {event: decided, at_least: 1, per: case, for_each: unit}\n"))
    with pytest.raises(RulesetError, match="per: case"):
        load_rulesets([str(ws.root / "rs.yaml")])


def test_for_each__findings_carry_group_and_empty_years_have_no_groups(ws: Workspace, both_engines: str) -> None:
    """Findings of a for_each rule carry {"ATTR": "VALUE"}; a year without events has no group to
    check when the log has values (the log is one group only when it has none at all)."""
    ws.write("rs.yaml", OPEN_RULESET.replace(
        "  - id: R\n    deadline: {after: submitted, expect: decided, within: 2 working days}\n",
        "  - id: N\n    count: {event: decided, at_least: 2, per: year, for_each: org:resource}\n"))
    ws.log("""
        case,event,date,org:resource
        A,decided,2012-03-01,112
        B,decided,2012-03-02,112
        C,decided,2012-03-05,113
        """)
    result = ws.check("2030-06-30", calendar="NL")
    found = [(f.period, f.group, f.unit) for f in result.findings if f.rule == "N"]
    assert found == [("2012", {"org:resource": "113"}, None)]
    record = next(f for f in result.findings if f.rule == "N").to_json("en")
    assert list(record)[-2:] == ["overdue", "group"]


def test_for_each__true_and_1_are_two_groups(ws: Workspace, both_engines: str) -> None:
    """是 (read as true) and 1 in one column are two groups, each counted: as typed values they
    are equal in a Python set, and one of them was checked with the other's events uncounted."""
    ws.write("rs.yaml", OPEN_RULESET.replace(
        "  - id: R\n    deadline: {after: submitted, expect: decided, within: 2 working days}\n",
        "  - id: N\n    count: {event: decided, at_least: 2, per: year, for_each: flag}\n"))
    ws.log("""
        case,event,date,flag
        B,decided,2012-03-01,1
        C,decided,2012-03-02,1
        A,decided,2012-03-05,是
        """)
    found = [(f.period, f.group, f.status) for f in ws.check("2030-06-30", calendar="NL").findings if f.rule == "N"]
    assert found == [("2012", {"flag": "True"}, "too_few")]  # 1 was counted twice, 是 once


def test_for_each__a_log_with_no_values_is_one_group(ws: Workspace, both_engines: str) -> None:
    ws.write("rs.yaml", OPEN_RULESET.replace(
        "  - id: R\n    deadline: {after: submitted, expect: decided, within: 2 working days}\n",
        "  - id: N\n    count: {event: decided, at_least: 2, per: year, for_each: org:resource}\n"))
    ws.log("""
        case,event,date
        A,decided,2012-03-01
        """)
    found = [(f.period, f.group) for f in ws.check("2013-06-30", calendar="NL").findings if f.rule == "N"]
    assert found == [("2012", None)]


# --- every engine gives the same report (contract section 12) -------------------------------

DIFFERENTIAL_RULESET = OPEN_RULESET.replace(
    "  - id: R\n    deadline: {after: submitted, expect: decided, within: 2 working days}\n", """\
  - id: R
    deadline: {after: submitted, expect: decided, within: 2 working days}
  - id: ONCE
    count: {event: decided, at_least: 1, at_most: 1, per: case}
  - id: EACH
    count: {event: submitted, at_least: 2, per: year, for_each: org:resource}
  - id: AFTER
    precedence: {event: decided, requires: submitted}
""")


@pytest.mark.parametrize("calendar, zone", [("NL", "Europe/Amsterdam"), ("CN", None), ("DE-BY", None)])
def test_engines_give_byte_identical_reports(ws: Workspace, calendar: str, zone: str | None) -> None:
    import io

    from gklint.engine import CheckOptions, run_check
    from gklint.reporters import get_reporter
    from gklint.ruleset import load_rulesets

    ws.write("rs.yaml", DIFFERENTIAL_RULESET)
    _xes(ws, name="log.xes.gz")
    ws.log("""
        case:concept:name,concept:name,time:timestamp,org:resource
        C,submitted,2023-04-26 23:30:00+02:00,112
        C,decided,2023-04-26 23:30:00+02:00,112
        C,decided,2023-05-03 10:00:00+02:00,113
        D,decided,2023-05-04 10:00:00,113
        D,looked at,1960-05-04 10:00:00,113
        """)
    reports = []
    for engine in ("python", "columnar"):
        result = run_check([str(ws.root / "events.csv"), str(ws.root / "log.xes.gz")],
                           load_rulesets([str(ws.root / "rs.yaml")]),
                           CheckOptions(as_of=dt.date(2031, 1, 1), calendar=calendar, timezone=zone,
                                        engine=engine, show_pending=True))
        out = io.StringIO()
        get_reporter("json")(out, lang="en", color=False, rules={}).report(result)
        reports.append(out.getvalue())
    assert reports[0] == reports[1]
    assert '"group": {"org:resource": "113"}' in reports[0] and '"rule": "ONCE"' in reports[0]
