"""The CI reporters (SARIF, JUnit, GitHub annotations), ``--statistics`` and the registry.

Input: ``tests/data/ci/`` (a log with late, missing, pending, unreadable and unknown-kind rows,
and a count rule that yields period findings). GitHub and statistics output are golden files in
``tests/golden/`` (``github_*.txt``, ``statistics_*.txt``); regenerate after an intended change
with ``GKLINT_REGEN_GOLDEN=1 python -m pytest tests/test_reporters_ci.py`` and review the diff.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace, stderr_of
from hypothesis import given, settings
from hypothesis import strategies as st

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("GKLINT_REGEN_GOLDEN") == "1"
ARGS = ("check", "events.csv", "-r", "rules.yaml", "--as-of", "2022-01-05", "--show-pending")


def _copy_input(ws: Workspace, name: str = "events.csv") -> None:
    shutil.copy(DATA / "ci" / "rules.yaml", ws.root / "rules.yaml")
    shutil.copy(DATA / "ci" / "events.csv", ws.root / name)


def _run(ws: Workspace, *args: str, code: int = 1) -> str:
    result = ws.cli(*args)
    assert result.exit_code == code, (result.output, stderr_of(result))
    return result.stdout


def _sarif(ws: Workspace, *extra: str) -> dict[str, Any]:
    return json.loads(_run(ws, *ARGS, "--format", "sarif", *extra))


def _check_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if REGEN:
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.is_file(), f"{golden} is missing: run with GKLINT_REGEN_GOLDEN=1 to create it"
    assert text == golden.read_text(encoding="utf-8")


# --- the registry -------------------------------------------------------------

def test_format_choices_come_from_the_registry() -> None:
    from gklint.cli import FORMATS, check
    from gklint.config import CHOICES
    from gklint.reporters import REPORTERS, get_reporter

    assert FORMATS == tuple(REPORTERS) == CHOICES["format"]
    option = next(p for p in check.params if p.name == "output_format")
    assert tuple(option.type.choices) == FORMATS  # type: ignore[attr-defined]
    for name in REPORTERS:
        assert get_reporter(name).name == name


def test_importing_the_cli_imports_no_reporter_module() -> None:
    code = ("import sys, gklint.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('gklint.reporters.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- SARIF --------------------------------------------------------------------

def _validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sarif_is_valid_against_the_schema(ws: Workspace, lang: str) -> None:
    _copy_input(ws)
    doc = _sarif(ws, "--lang", lang)
    errors = sorted(_validator().iter_errors(doc), key=str)
    assert not errors, errors[0]
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gklint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert ids[:2] == ["DEMO-REPLY-5WD", "DEMO-MEETINGS"] and "GK001" in ids and "GK021" in ids
    assert len(ids) == len(set(ids))
    reply = rules[0]
    assert reply["shortDescription"]["text"] == "Online inquiries answered within 5 working days"
    assert reply["properties"]["title_zh"] == "网上咨询答复期限不超过5个工作日"
    assert "三、（二）" in reply["help"]["text"] and "答复期限不得超过5个工作日" in reply["help"]["text"]
    assert reply["defaultConfiguration"]["level"] == "error"
    assert rules[1]["defaultConfiguration"]["level"] == "warning"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_results_levels_messages_and_locations(ws: Workspace) -> None:
    _copy_input(ws)
    results = _sarif(ws, "--lang", "zh")["runs"][0]["results"]
    by_line = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r for r in results
               if "period" not in r["properties"]}
    late = by_line[2]
    assert late["ruleId"] == "DEMO-REPLY-5WD" and late["level"] == "error"
    assert late["message"]["text"].startswith("“答复网上咨询留言”应于2021-06-08前完成")
    assert late["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "events.csv",
                                                                             "uriBaseId": "%SRCROOT%"}
    assert late["properties"]["status"] == "late" and late["properties"]["case"] == "Q-1"
    pending = by_line[12]
    assert pending["kind"] == "open" and pending["level"] == "none"
    periods = [r for r in results if "period" in r["properties"]]
    assert {r["properties"]["period"] for r in periods} == {"2021", "2022"}
    for r in periods:  # located at the log's first file, line 1 (code scanning needs a location)
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "events.csv"
        assert r["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    too_few = next(r for r in periods if r["properties"]["period"] == "2021")
    assert too_few["level"] == "warning" and "kind" not in too_few


def test_sarif_fingerprints_are_stable_and_ignore_the_line(ws: Workspace) -> None:
    _copy_input(ws)
    first = _sarif(ws)["runs"][0]["results"]
    again = _sarif(ws)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["gklint/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["gklint/v1"] for r in again]
    assert len(set(prints)) == len(prints)

    # Rows inserted above every finding: lines move, fingerprints stay.
    lines = (DATA / "ci" / "events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    extra = "2021-05-06,收到咨询,Q-0,办公室\n2021-05-07,答复咨询,Q-0,办公室\n"
    (ws.root / "events.csv").write_text(lines[0] + extra + "".join(lines[1:]), encoding="utf-8")
    shifted = _sarif(ws)["runs"][0]["results"]
    assert sorted(prints) == sorted(r["partialFingerprints"]["gklint/v1"] for r in shifted)
    old_lines = {r["partialFingerprints"]["gklint/v1"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
                 for r in first}
    for r in shifted:
        line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
        expected = old_lines[r["partialFingerprints"]["gklint/v1"]]
        assert line == (expected + 2 if expected > 1 else 1)


def test_sarif_fingerprints_tell_identical_findings_apart(ws: Workspace) -> None:
    ws.write("rules.yaml", (DATA / "ci" / "rules.yaml").read_text(encoding="utf-8"))
    ws.log("date,event,case\n2021-13-01,收到咨询,\n2021-13-01,收到咨询,X\n2021-13-01,收到咨询,\n")
    results = _sarif(ws)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["gklint/v1"] for r in results if r["ruleId"] == "GK001"]
    assert len(prints) == 3 and len(set(prints)) == 3


def test_sarif_fingerprints_of_for_each_groups_follow_the_group(ws: Workspace) -> None:
    """Two groups short of a count in the same year: when one is put right, the other keeps its
    fingerprint (a code-scanning alert must not move from one group to another)."""
    ws.write("rs.yaml", """\
        ruleset: pm
        title: {zh: 过程挖掘, en: Process mining}
        document: test
        issued: 2011-01-01
        vocabulary: open
        rules:
          - id: N
            count: {event: decided, at_least: 2, per: year, for_each: org:resource}
        """)
    log = "case,event,date,org:resource\nA,decided,2012-03-01,111\nC,decided,2012-03-05,113\n"
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2030-06-30", "--calendar", "NL", "--format", "sarif")

    def prints() -> dict[str, str]:
        results = json.loads(_run(ws, *args))["runs"][0]["results"]
        return {r["properties"]["group"]["org:resource"]: r["partialFingerprints"]["gklint/v1"] for r in results}

    ws.log(log)
    both = prints()
    assert set(both) == {"111", "113"}
    ws.log(log + "B,decided,2012-03-02,111\n")
    assert prints() == {"113": both["113"]}


def test_sarif_uris_are_relative_forward_slashed_and_percent_encoded(ws: Workspace, tmp_path_factory: Any) -> None:
    (ws.root / "记录 2021").mkdir()
    _copy_input(ws, name="记录 2021/台账#1.csv")
    results = json.loads(_run(ws, "check", "记录 2021", "-r", "rules.yaml", "--as-of", "2022-01-05",
                              "--format", "sarif"))["runs"][0]["results"]
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E8%AE%B0%E5%BD%95%202021/%E5%8F%B0%E8%B4%A6%231.csv"
    outside = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(DATA / "ci" / "events.csv", outside / "events.csv")
    doc = json.loads(_run(ws, "check", str(outside / "events.csv"), "-r", "rules.yaml", "--as-of", "2022-01-05",
                          "--format", "sarif"))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == (outside / "events.csv").as_uri() and "uriBaseId" not in location
    assert not list(_validator().iter_errors(doc))


def test_sarif_waived_findings_carry_a_suppression(ws: Workspace) -> None:
    _copy_input(ws)
    ws.write("waivers.yaml", """\
        - {rule: DEMO-REPLY-5WD, case: Q-1, reason: 申请人同意延期, approved_by: 办公室主任}
        """)
    before = {r["properties"].get("case"): r for r in _sarif(ws)["runs"][0]["results"]}
    doc = _sarif(ws, "--waivers", "waivers.yaml")
    assert not list(_validator().iter_errors(doc))
    waived = next(r for r in doc["runs"][0]["results"] if r["properties"].get("case") == "Q-1")
    assert waived["properties"]["status"] == "waived"
    assert waived["suppressions"][0]["kind"] == "external"
    assert "申请人同意延期" in waived["suppressions"][0]["justification"]
    # Waiving does not change the fingerprint: the alert is suppressed, not replaced.
    assert waived["partialFingerprints"] == before["Q-1"]["partialFingerprints"]


def test_sarif_with_no_findings_is_valid(ws: Workspace) -> None:
    shutil.copy(DATA / "ci" / "rules.yaml", ws.root / "rules.yaml")
    ws.log("date,event,case\n2021-06-01,收到咨询,A\n2021-06-02,答复咨询,A\n")
    doc = json.loads(_run(ws, "check", "events.csv", "-r", "rules.yaml", "--as-of", "2021-06-30",
                          "--select", "DEMO-REPLY-5WD", "--format", "sarif", code=0))
    assert doc["runs"][0]["results"] == []
    assert not list(_validator().iter_errors(doc))


# --- JUnit --------------------------------------------------------------------

def test_junit_suites_cases_and_counts(ws: Workspace) -> None:
    _copy_input(ws)
    shutil.copy(DATA / "ci" / "events.csv", ws.root / "clean.csv")
    (ws.root / "clean.csv").write_text("date,event,case\n2021-06-01,收到咨询,A\n2021-06-02,答复咨询,A\n",
                                       encoding="utf-8")
    out = _run(ws, "check", "events.csv", "clean.csv", "-r", "rules.yaml", "--as-of", "2022-01-05",
               "--show-pending", "--format", "junit")
    root = ET.fromstring(out)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"events.csv", "clean.csv", "log:."}
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests", -1)) == len(cases)
        assert int(suite.get("failures", -1)) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("skipped", -1)) == sum(c.find("skipped") is not None for c in cases)
        assert suite.get("errors") == "0"
        names = [c.get("name") for c in cases]
        assert len(names) == len(set(names))
    assert suites["clean.csv"].get("tests") == "0"
    assert int(root.get("tests", -1)) == sum(int(s.get("tests", 0)) for s in suites.values()) == 8
    assert int(root.get("failures", -1)) == 6 and root.get("skipped") == "2"
    late = next(c for c in suites["events.csv"] if c.get("line") == "2")
    failure = late.find("failure")
    assert failure is not None and failure.get("type") == "late"
    assert "2021-06-08" in (failure.get("message") or "")
    period = suites["log:."].findall("testcase")
    assert [c.get("name") for c in period] == ["DEMO-MEETINGS 2021", "DEMO-MEETINGS 2022"]
    assert period[1].find("skipped") is not None


def test_junit_names_are_unique_and_text_is_xml_safe(ws: Workspace) -> None:
    shutil.copy(DATA / "ci" / "rules.yaml", ws.root / "rules.yaml")
    ws.log('date,event,case\n2021-13-01,收到咨询,\n2021-13-01,收到咨询,\n2021-06-01,"bad\x01<&>",\n')
    out = _run(ws, "check", "events.csv", "-r", "rules.yaml", "--as-of", "2022-01-05", "--format", "junit")
    root = ET.fromstring(out)  # control characters would make this fail
    names = [c.get("name") for c in root.iter("testcase")]
    assert len(names) == len(set(names))
    assert any("<&>" in (f.get("message") or "") for f in root.iter("failure"))


# --- GitHub annotations --------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_github_golden(ws: Workspace, lang: str) -> None:
    _copy_input(ws)
    _check_golden(f"github_{lang}.txt", _run(ws, *ARGS, "--format", "github", "--lang", lang))


def test_github_escaping() -> None:
    from gklint.reporters.github import escape_data, escape_property

    assert escape_data("a%b\r\nc:d,e") == "a%25b%0D%0Ac:d,e"
    assert escape_property("a%b\r\nc:d,e") == "a%25b%0D%0Ac%3Ad%2Ce"


def test_github_file_property_is_escaped(ws: Workspace) -> None:
    _copy_input(ws, name="a,b:c.csv")
    out = _run(ws, "check", "a,b:c.csv", "-r", "rules.yaml", "--as-of", "2022-01-05", "--format", "github")
    first = out.splitlines()[0]
    assert first.startswith("::error file=a%2Cb%3Ac.csv,line=2,title=DEMO-REPLY-5WD::")


# --- statistics ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_statistics_golden(ws: Workspace, lang: str) -> None:
    _copy_input(ws)
    lines = _run(ws, *ARGS, "--statistics", "--lang", lang).splitlines(keepends=True)
    summary = next(i for i, line in enumerate(lines) if ("findings:" if lang == "en" else "项问题") in line)
    _check_golden(f"statistics_{lang}.txt", "".join(lines[summary + 1:]))  # the table follows the summary


def test_statistics_order_is_count_then_rule_id() -> None:
    import datetime as dt
    import io

    from gklint.engine import CheckResult
    from gklint.model import Finding, msg
    from gklint.reporters.statistics import write_statistics

    def f(rule: str, status: str = "late") -> Finding:
        return Finding(rule=rule, severity="error", status=status, message=msg("x", "x"))

    result = CheckResult(findings=[f("B"), f("C"), f("A"), f("C"), f("B", "waived"), f("GK001")],
                         files=[], events=0, rules=0, as_of=dt.date(2021, 1, 1))
    out = io.StringIO()
    write_statistics(result, out, "en")
    assert [line.split()[:2] for line in out.getvalue().splitlines()] == [
        ["2", "B"], ["2", "C"], ["1", "A"], ["1", "GK001"]]
    assert "(1 waived)" in out.getvalue().splitlines()[0]
    empty = io.StringIO()
    write_statistics(CheckResult(findings=[], files=[], events=0, rules=0, as_of=dt.date(2021, 1, 1)), empty, "en")
    assert empty.getvalue() == ""


def test_statistics_go_to_stderr_with_machine_formats(ws: Workspace) -> None:
    _copy_input(ws)
    result = ws.cli(*ARGS, "--format", "json", "--statistics")
    json.loads(result.stdout)
    assert "DEMO-REPLY-5WD" in stderr_of(result)


# --- large reports ----------------------------------------------------------------
# SARIF lists the rules before the results and JUnit writes a suite's counts in its opening tag,
# so both write each finding's text as it comes (reporters.base.Deferred) and copy it into the
# document at the end: the layout must be what serializing the whole document lays out, and the
# findings must not be held.

def _findings(n: int) -> Any:
    """``n`` findings, the suites interleaved (b.csv, a.csv, no file, c.csv not read), a rule no
    ruleset names late among them, repeated names (the same rule, line and case), pending ones."""
    from gklint.model import Finding

    for i in range(n):
        file = ("b.csv", "a.csv", None, "c.csv")[i % 4]
        yield Finding("X-RULE" if i == n - 2 else "DEMO-REPLY-5WD", "error", "pending" if i % 5 == 0 else "late",
                      {"en": f"finding {i} <&> \"quoted\"", "zh": f"第{i}条"}, file=file,
                      line=None if file is None else 2 + i % 3, case=f"依申〔2021〕{i % 7}号", period="2021" if file is None else None,
                      start="2021-06-01", due="2021-06-08", overdue={"value": 1, "unit": "working_days"} if i % 2 else None,
                      response={"file": "a.csv", "line": 9} if i % 3 == 0 else None)


def _report(fmt: str, findings: Any, lang: str = "en", out: Any = None) -> str:
    import datetime as dt
    import io

    from gklint.engine import CheckResult
    from gklint.reporters import get_reporter

    result = CheckResult(findings=findings, files=["b.csv", "a.csv"], events=10, rules=1, as_of=dt.date(2022, 1, 5))
    out = out or io.StringIO()
    get_reporter(fmt)(out, lang=lang).report(result)
    return out.getvalue() if isinstance(out, io.StringIO) else ""


@pytest.mark.parametrize("n", [0, 1, 57])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sarif_and_junit_are_laid_out_as_their_whole_document(monkeypatch: pytest.MonkeyPatch, n: int,
                                                               lang: str) -> None:
    from gklint.reporters.base import Deferred

    monkeypatch.setattr(Deferred, "IN_MEMORY", 100)  # (the text goes to a temporary file at once)
    findings = list(_findings(n))
    sarif = _report("sarif", iter(findings), lang)
    doc = json.loads(sarif)
    assert sarif == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    results = doc["runs"][0]["results"]
    assert [r["message"]["text"] for r in results] == [f.text(lang) for f in findings]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert (rules[-1]["id"] == "X-RULE") == (n > 1)

    junit = _report("junit", iter(findings), lang)
    root = ET.fromstring(junit)
    again = ET.fromstring(junit)
    ET.indent(again)
    assert junit == '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(again, encoding="unicode") + "\n"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    # the files read in their order, then the others as they came
    assert list(suites) == ["b.csv", "a.csv", *(["log:."] if n > 2 else []), *(["c.csv"] if n > 3 else [])]
    for name, suite in suites.items():
        mine = [f for f in findings if (f.file or "log:.") == name]
        cases = suite.findall("testcase")
        assert [c.find("*").get("message").split(": ", 1)[-1] for c in cases] == [f.text(lang) for f in mine]
        assert suite.get("tests") == str(len(mine))
        assert suite.get("skipped") == str(sum(f.status == "pending" for f in mine))
        names = [c.get("name") for c in cases]
        assert len(set(names)) == len(names)
    assert root.get("tests") == str(n)


@pytest.mark.parametrize("fmt", ["sarif", "junit"])
def test_a_large_report_is_not_held_in_memory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str) -> None:
    """What a reporter holds grows by less than a finding's report text a finding (the
    fingerprints' and case names' keys), not by the findings or their documents. (The report
    is written to a file, as with -o.)"""
    import gc
    import tracemalloc

    from gklint.reporters.base import Deferred

    monkeypatch.setattr(Deferred, "IN_MEMORY", 1 << 10)
    monkeypatch.setattr(Deferred, "COPY", 1 << 12)

    def peak(n: int) -> tuple[int, int]:
        path = tmp_path / f"report-{n}"
        with path.open("w", encoding="utf-8") as out:
            gc.disable()  # (as a command runs: garbage in cycles is not freed either)
            tracemalloc.start()
            try:
                _report(fmt, _findings(n), out=out)
                return tracemalloc.get_traced_memory()[1], path.stat().st_size
            finally:
                tracemalloc.stop()
                gc.enable()

    (small, small_text), (large, large_text) = peak(500), peak(2500)
    per_finding, text_per_finding = (large - small) / 2000, (large_text - small_text) / 2000
    assert per_finding < text_per_finding, (per_finding, text_per_finding)


def test_no_room_for_a_report_in_the_temporary_folder_is_exit_2(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import tempfile

    class Full:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            pass

    _copy_input(ws)
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Full)
    for fmt in ("sarif", "junit"):
        result = ws.cli(*ARGS, "--format", fmt, "-o", f"report.{fmt}")
        assert result.exit_code == 2, result.output
        err = stderr_of(result)
        assert "cannot hold the report in the temporary folder: No space left on device" in err
        assert "Traceback" not in err and f"--format {fmt} report" in err
        assert not (ws.root / f"report.{fmt}").exists()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.integers(0, 5))
def test_sarif_indents_a_value_as_json_does(value: Any, level: int) -> None:
    from gklint.reporters.sarif import indented

    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    assert indented(value, level) == expected


def test_file_names_follow_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """display_path and artifact_location are worked out once a file (reporters ask for every
    finding), and again when the working directory changes (a library run after run)."""
    from gklint.reporters import display_path
    from gklint.reporters.sarif import artifact_location

    (tmp_path / "a").mkdir()
    log = str(tmp_path / "a" / "log.csv")
    monkeypatch.chdir(tmp_path)
    assert (display_path(log), artifact_location(log)) == ("a/log.csv", {"uri": "a/log.csv", "uriBaseId": "%SRCROOT%"})
    artifact_location(log)["uri"] = "changed"  # (each caller gets its own)
    assert artifact_location(log)["uri"] == "a/log.csv"
    monkeypatch.chdir(tmp_path / "a")
    assert (display_path(log), artifact_location(log)) == ("log.csv", {"uri": "log.csv", "uriBaseId": "%SRCROOT%"})
    assert artifact_location("../b.csv") == {"uri": (tmp_path / "b.csv").as_uri()}
