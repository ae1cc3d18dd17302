"""Findings the columnar engine writes as JSON itself (``gklint.model.Encoded``).

``gklint check --format json`` without waivers lets an engine hand over a finding already
written as the JSON reporter writes it. The report must stay the reference engine's, byte for
byte; the differential tests (tests/test_engine_differential.py) draw logs and rules with and
without it. These tests hold the pieces: the JSON strings SQL writes, when the engine writes
findings and when it must not (a case hint to add, waivers to apply, a file name written with
escapes), and a report large enough to be held on disk.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import EVENTS, Workspace

from gklint.engine import CheckOptions, run_check
from gklint.model import Encoded, Finding
from gklint.ruleset import load_rulesets

duckdb = pytest.importorskip("duckdb")

LOG = """\
date,event,case,unit
2018-09-27,received,A,办公室
2018-10-08,answered,A,办公室
2018-09-27,received,B,"二""处\\"
2018-10-10,answered,B,"二""处\\"
2018-10-08,received,C,"办	公室"
2018-11-29,received,D,
2018-11-01,received,,办公室
"""
RULES = """\
  - id: LATE
    deadline: {after: received, expect: answered, within: 3 working days, match: [case]}
  - id: DAYS
    deadline: {after: received, expect: answered, within: 5 days, match: [case]}
  - id: OPEN
    deadline: {after: received, expect: answered, match: [unit]}
"""


def ruleset(tmp_path: Path, rules: str = RULES) -> Path:
    path = tmp_path / "rs.yaml"
    path.write_text("ruleset: enc\ntitle: {zh: 测试, en: Test}\ndocument: 测试\nissued: 2018-01-01\n" + EVENTS
                    + "rules:\n" + rules, encoding="utf-8")
    return path


def check(paths: list[Path], rules: Path, engine: str, encoded: str | None) -> Any:
    return run_check([str(p) for p in paths], load_rulesets([str(rules)]),
                     CheckOptions(as_of=dt.date(2018, 12, 1), engine=engine, show_pending=True, encoded=encoded))


def written(result: Any, lang: str) -> str:
    import io

    from gklint.reporters import get_reporter

    out = io.StringIO()
    get_reporter("json")(out, lang=lang, color=False, rules={}).report(result)
    return out.getvalue()


def test_sql_writes_every_character_as_pythons_json_module_does() -> None:
    """``sql.json_text`` against ``json.dumps(ensure_ascii=False)`` for every character but NUL
    (which no table holds) and the surrogates: the escapes below U+0020 in small hex letters, the
    quote and the backslash escaped, everything else as it is."""
    from gklint.engines.columnar.sql import json_text

    texts = [f"a{chr(c)}b" for c in [*range(1, 0xD800), *range(0xE000, 0x110000)]]
    texts += ["", "\\u000B\x0b", 'x"y\\z\x1f\n', "\x01", "\x1f\x1f"]
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT unnest(?::VARCHAR[]) AS s", [texts])
    got = dict(con.execute(f"SELECT s, {json_text('s')} FROM t").fetchall())
    encode = json.JSONEncoder(ensure_ascii=False).encode
    assert [s for s in texts if got[s] != encode(s)] == []
    assert con.execute(f"SELECT {json_text('CAST(NULL AS VARCHAR)')}").fetchall() == [(None,)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_engine_writes_the_verdicts_when_asked_and_the_report_is_the_references(tmp_path: Path, lang: str) -> None:
    """Late (in working days and in days), missing, pending and unfollowed verdicts, with a quote,
    a backslash and a tab in unit cells and an empty case, written by the engine."""
    log = tmp_path / "a.csv"
    log.write_text(LOG, encoding="utf-8")
    rules = ruleset(tmp_path)
    expected = written(check([log], rules, "python", lang), lang)
    result = check([log], rules, "columnar", lang)
    kinds = {type(f) for f in result.findings}
    assert Encoded in kinds, kinds
    assert written(result, lang) == expected
    assert {f.status for f in result.findings if type(f) is Encoded} == {"late", "missing", "pending"}
    for f in result.findings:  # (each keeps what the steps after the engine read)
        if type(f) is Encoded:
            assert f.to_json(lang)["line"] == f.line and f.to_json(lang)["status"] == f.status
    not_asked = check([log], rules, "columnar", None)
    assert {type(f) for f in not_asked.findings} == {Finding}
    assert written(not_asked, lang) == expected


def test_a_finding_written_in_one_language_is_not_read_in_another(tmp_path: Path) -> None:
    log = tmp_path / "a.csv"
    log.write_text(LOG, encoding="utf-8")
    result = check([log], ruleset(tmp_path), "columnar", "zh")
    finding = next(f for f in result.findings if type(f) is Encoded)
    assert finding.to_json("zh")["message"]
    with pytest.raises(ValueError, match="'zh' was asked for in 'en'"):
        finding.to_json("en")


def test_a_rule_whose_findings_may_get_a_case_hint_is_not_written_by_the_engine(tmp_path: Path) -> None:
    """A reply whose case answers no request may be named in a missing request's message (a case
    hint, rewritten after the engine): that rule's findings come as ``Finding``s, the others' as
    JSON, and the report is the reference's."""
    log = tmp_path / "a.csv"
    log.write_text(LOG + "2018-10-09,answered,依申〔2018〕第22号,办公室\n2018-10-08,received,依申〔2018〕22号,办公室\n",
                   encoding="utf-8")
    rules = ruleset(tmp_path)
    expected = written(check([log], rules, "python", "en"), "en")
    assert "the same case written differently?" in expected
    result = check([log], rules, "columnar", "en")
    assert written(result, "en") == expected
    hinted = [f for f in result.findings if "22" in (f.case or "")]
    assert hinted and {type(f) for f in hinted} == {Finding}
    assert {type(f) for f in result.findings if f.rule == "OPEN"} == {Encoded}  # (matched by unit)


def test_a_file_whose_name_is_not_utf8_is_left_to_the_reference_engine(ws: Workspace,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that is not UTF-8 (written with \\xNN escapes in a report) cannot be held in a
    table of text: ``auto`` at any size and ``--engine columnar`` check such a log on the
    reference engine, and give its report (contract section 12), not an internal error."""
    from gklint import engines

    name = os.fsdecode(b"log\xff.csv")
    (ws.root / name).write_text(LOG, encoding="utf-8")
    ws.write("rs.yaml", ruleset(ws.root).read_text(encoding="utf-8"))
    args = ["check", name, "-r", "rs.yaml", "--as-of", "2018-12-01", "--format", "json"]
    monkeypatch.setattr(engines, "AUTO_COLUMNAR_BYTES", 1)
    reference = ws.cli(*args, "--engine", "python")
    assert reference.exit_code == 1 and '"file": "log\\\\xff.csv"' in reference.stdout
    for engine in ("auto", "columnar"):
        got = ws.cli(*args, "--engine", engine)
        assert got.exit_code == 1 and got.stdout == reference.stdout, engine
    assert engines.choose("columnar", [ws.root / name], 10**9).NAME == "python"
    assert engines.choose("columnar", [ws.root / "a.csv"], 10**9).NAME == "columnar"


def test_a_report_held_on_disk_keeps_the_written_findings_and_their_order(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``spool.SPILL_AFTER`` findings the report is held on disk in sorted runs: written
    findings and ``Finding``s (GK003 on a row without a case) pickled, read back and merged."""
    from gklint import spool

    monkeypatch.setattr(spool, "SPILL_AFTER", 3)
    monkeypatch.setattr(spool, "CHUNK", 2)
    log = tmp_path / "a.csv"
    log.write_text(LOG, encoding="utf-8")
    rules = ruleset(tmp_path)
    result = check([log], rules, "columnar", "en")
    assert isinstance(result.findings, spool.Spool) and result.findings.spilled
    assert {type(f) for f in result.findings} == {Encoded, Finding}
    assert written(result, "en") == written(check([log], rules, "python", "en"), "en")


def test_check_with_waivers_gets_findings_it_can_waive(ws: Workspace) -> None:
    """Waivers change a finding's status: ``gklint check --format json --waivers`` on the
    columnar engine asks for ``Finding``s and gives the reference's report."""
    ws.write("a.csv", LOG)
    ws.write("rs.yaml", ruleset(ws.root).read_text(encoding="utf-8"))
    ws.write("w.yaml", "- {rule: LATE, case: A, reason: 申请人同意延期, approved_by: 张三}\n")
    args = ["check", "a.csv", "-r", "rs.yaml", "--as-of", "2018-12-01", "--format", "json", "--waivers", "w.yaml"]
    reports = [ws.cli(*args, "--engine", engine) for engine in ("python", "columnar")]
    assert reports[0].exit_code == reports[1].exit_code == 1
    assert reports[1].stdout == reports[0].stdout
    assert '"status": "waived"' in reports[0].stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_check_format_json_on_the_columnar_engine_is_the_references(ws: Workspace, lang: str) -> None:
    """The command line: the summary's counts (tallied from written findings too), a pending
    finding left out unless --show-pending, a rule's findings in a file dropped (config
    ``per_file_ignores``), and a commit's files (config ``paths`` and the files
    given: a late reply in b.csv reports the request it answers in a.csv, by its response)."""
    ws.write("a.csv", LOG)
    ws.write("b.csv", "date,event,case,unit\n2018-10-12,answered,D,办公室\n")
    ws.write("rs.yaml", ruleset(ws.root).read_text(encoding="utf-8"))
    (ws.root / "a.csv").write_text(LOG.replace("2018-11-29,received,D,", "2018-10-08,received,D,办公室"), encoding="utf-8")
    for files, extra in ((["a.csv", "b.csv"], []), (["a.csv", "b.csv"], ["--show-pending"]), (["b.csv"], []),
                         (["a.csv", "b.csv"], ["ignores"])):
        if files == ["b.csv"]:
            ws.write("gklint.toml", 'paths = ["a.csv", "b.csv"]\n')
        if extra == ["ignores"]:  # (config per_file_ignores: a rule's findings in a file dropped)
            ws.write("gklint.toml", '[per_file_ignores]\n"a.csv" = ["DAYS"]\n')
            extra = []
        args = ["check", *files, "-r", "rs.yaml", "--as-of", "2018-10-15", "--format", "json", "--lang", lang, *extra]
        reports = [ws.cli(*args, "--engine", engine) for engine in ("python", "columnar")]
        assert reports[1].exit_code == reports[0].exit_code == 1, reports[0].stderr
        assert reports[1].stdout == reports[0].stdout, extra
        out = json.loads(reports[0].stdout)
        assert out["summary"]["errors"] >= 1
        assert ('"status": "pending"' in reports[0].stdout) == (extra == ["--show-pending"])
        if len(files) == 2:
            ignoring = "per_file" in (ws.root / "gklint.toml").read_text(encoding="utf-8")
            assert ('"rule": "DAYS"' in reports[0].stdout) != ignoring, extra
        if files == ["b.csv"]:
            assert [(f["rule"], f["case"], f["status"], f["response"]) for f in out["findings"]] == [
                ("LATE", "D", "late", {"file": "b.csv", "line": 2})]  # (DAYS: due 10-15, answered in time)

