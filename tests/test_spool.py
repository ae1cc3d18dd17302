"""A report past ``spool.SPILL_AFTER`` findings is held on disk (gklint/spool.py), and reads back
as the list it stands for: the same findings in the same order, so the same report, byte for byte,
in every format and through per-file ignores, --show-pending and waivers."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from gklint import spool
from gklint.model import Finding

FINDING = st.builds(
    Finding, rule=st.sampled_from(["R1", "R2", "GK004"]), severity=st.sampled_from(["error", "warning"]),
    status=st.sampled_from(["late", "missing", "pending"]), message=st.fixed_dictionaries({"en": st.text(max_size=5)}),
    file=st.sampled_from([None, "a.csv", "b.csv"]), line=st.one_of(st.none(), st.integers(1, 5)),
    case=st.sampled_from([None, "A", "依申〔2019〕22号"]),
    overdue=st.one_of(st.none(), st.fixed_dictionaries({"days": st.integers(1, 9), "unit": st.just("working_days")})),
    extra=st.one_of(st.just(spool._NO_EXTRA), st.fixed_dictionaries({"waiver": st.text(max_size=3)})))


@settings(max_examples=200, deadline=None)
@given(st.lists(FINDING, max_size=40), st.integers(1, 7), st.integers(1, 4), st.booleans())
def test_a_spool_reads_back_what_a_list_holds(findings: list[Finding], spill_after: int, chunk: int,
                                             keyed: bool) -> None:
    """In the order added, or sorted by the key as ``list.sort`` sorts (stable: equal keys in the
    order added, across runs too); every field as it was, the shared empty ``extra`` included;
    as often as it is read, and after more is added."""
    key = (lambda f: f.sort_key) if keyed else None
    saved = spool.SPILL_AFTER, spool.CHUNK
    spool.SPILL_AFTER, spool.CHUNK = spill_after, chunk
    try:
        held = spool.Spool(findings[:-1], key=key)
        expect = sorted(findings[:-1], key=key) if keyed else findings[:-1]
        assert [(f, dict(f.extra)) for f in held] == [(f, dict(f.extra)) for f in expect]
        assert held.spilled == (len(findings) - 1 >= spill_after)
        held.extend(findings[-1:])
        expect = sorted(findings, key=key) if keyed else findings
        for _ in range(2):
            back = list(held)
            assert back == expect and len(held) == len(findings)
            assert [f.extra for f in back] == [f.extra for f in expect]
            assert all(b.extra is spool._NO_EXTRA for b, f in zip(back, expect) if f.extra is spool._NO_EXTRA)
        assert list(spool.kept(held, lambda f: f.status != "pending")) == [f for f in expect if f.status != "pending"]
        held.close()
    finally:
        spool.SPILL_AFTER, spool.CHUNK = saved


def generated_log(ws: Workspace, rows: int = 1000) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import write_log

    path = ws.root / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        write_log(fh, rows, late_share=0.3)
    return path


FORMATS = [("json", []), ("text", ["--statistics"]), ("sarif", []), ("junit", []), ("github", []),
           ("json", ["--show-pending", "--lang", "zh"])]


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_a_spilled_report_is_the_report(ws: Workspace, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    """Every bundled ruleset over the benchmark generator's log, whose report is spilled after 3
    findings, in runs read back 2 at a time: the bytes of the report held in memory, in every
    format, with a per-file ignore and a waiver too."""
    if engine == "columnar":
        pytest.importorskip("duckdb")
    generated_log(ws)
    ws.write("waivers.yaml", "- {rule: GK004, file: events.csv, reason: 台账重复登记，已核实, approved_by: 办公室, expires: 2030-12-31}\n"
                             "- {rule: NOSUCH, file: events.csv, reason: x, approved_by: y}\n")  # (GK021: stale)

    def reports(config: str) -> list[str]:
        (ws.root / "gklint.toml").write_text(config, encoding="utf-8")
        out = []
        for fmt, args in FORMATS:
            for extra in ([], ["--waivers", "waivers.yaml"]):
                result = ws.cli("check", "events.csv", "--as-of", "2024-06-30", "--engine", engine, "--format", fmt,
                                *args, *extra)
                assert result.exit_code in (0, 1), (fmt, result.output)
                out.append(result.stdout)
        return out

    configs = ["", '[per_file_ignores]\n"events.csv" = ["GK004", "*-REPLY-*"]\n']
    held = [reports(config) for config in configs]
    spills: list[Any] = []
    real = spool.Spool._spill
    monkeypatch.setattr(spool, "SPILL_AFTER", 3)
    monkeypatch.setattr(spool, "CHUNK", 2)
    monkeypatch.setattr(spool.Spool, "_spill", lambda self: spills.append(1) or real(self))
    spilled = [reports(config) for config in configs]
    assert spills  # (the reports above were spilled)
    assert spilled == held
    assert held[0][0].count('"rule"') > 20 and held[1][0] != held[0][0]


@pytest.mark.parametrize("args", [[], ["--show-pending"], ["--fail-on", "warning", "--ignore", "*-REPLY-*"]])
def test_a_spilled_report_is_read_from_disk_once(ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                  args: list[str]) -> None:
    """The JSON report of a spilled check reads each run once: the summary's counts and the exit
    code come from the tally the engine counted while it made the report, not from reading the
    findings again (at 10^7 events each pass unpickles half a million findings). Counts and exit
    code are those of the report held in memory."""
    generated_log(ws)
    check = ["check", "events.csv", "--as-of", "2024-06-30", "--format", "json", *args]
    held = ws.cli(*check)
    reads: list[Any] = []
    real = spool._Run.__iter__
    monkeypatch.setattr(spool, "SPILL_AFTER", 5)
    monkeypatch.setattr(spool._Run, "__iter__", lambda self: reads.append(self) or real(self))
    spilled = ws.cli(*check)
    assert (spilled.stdout, spilled.exit_code) == (held.stdout, held.exit_code)
    assert held.exit_code == 1 and '"errors": 0' not in held.stdout
    assert len(reads) > 2 and len(reads) == len({id(run) for run in reads}), len(reads)  # each run once


def test_a_spilled_report_stays_on_disk_through_waivers(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Waivers mark findings and add GK020/GK021 out of order: the report is put in order again
    in a spool, which reaches the reporter as a spool (not a list of every finding)."""
    from gklint.reporters.json import JsonReporter

    generated_log(ws)
    ws.write("waivers.yaml", "- {rule: GK004, file: events.csv, reason: 已核实, approved_by: 办公室, expires: 2030-12-31}\n"
                             "- {rule: NOSUCH, file: events.csv, reason: x, approved_by: y}\n")
    check = ["check", "events.csv", "--as-of", "2024-06-30", "--format", "json", "--waivers", "waivers.yaml"]
    held = ws.cli(*check)
    given: list[Any] = []
    real = JsonReporter.report
    monkeypatch.setattr(spool, "SPILL_AFTER", 5)
    monkeypatch.setattr(JsonReporter, "report", lambda self, result: given.append(result.findings) or real(self, result))
    spilled = ws.cli(*check)
    assert (spilled.stdout, spilled.exit_code) == (held.stdout, held.exit_code)
    assert '"GK021"' in held.stdout and '"waived"' in held.stdout
    assert [type(f) for f in given] == [spool.Spool]


@pytest.mark.parametrize("errno_", ["ENOSPC", "EACCES"])
def test_a_temporary_folder_that_cannot_hold_the_findings_is_exit_2(ws: Workspace, monkeypatch: pytest.MonkeyPatch,
                                                                  errno_: str) -> None:
    """A full or unwritable temporary folder while a large report spills: exit 2 naming the
    folder and saying what to do, no traceback."""
    import errno
    import tempfile

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise OSError(getattr(errno, errno_), "No space left on device" if errno_ == "ENOSPC" else "Permission denied")

    generated_log(ws)
    monkeypatch.setattr(spool, "SPILL_AFTER", 3)
    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    result = ws.cli("check", "events.csv", "--as-of", "2024-06-30", "--format", "json")
    err = result.stderr
    assert result.exit_code == 2, err
    assert tempfile.gettempdir() in err and "TMPDIR" in err and "Traceback" not in err
