"""A case ledger (one row per case, contract section 10) and the event log with the same events give
the same findings, except where a finding is: its file, line, column and response row."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from conftest import dedent
from hypothesis import given, settings
from hypothesis import strategies as st

from gklint.engine import CheckOptions, run_check
from gklint.ruleset import load_rulesets

RULESET = """\
ruleset: ledger-equivalence
title: 台账与事件记录
document: 测试〔2019〕1号
issued: 2019-01-01
events:
  received: {label: 收到申请, columns: [收到申请日期]}
  answered: {label: 答复, columns: [答复日期]}
  extended: {label: 延期答复告知, columns: [延期告知日期]}
rules:
  - id: REPLY-20WD
    title: 20个工作日内答复
    deadline: {after: received, expect: answered, within: 20 working days,
               extend: {by: extended, up_to: 20 working days}}
  - id: REPLY-AFTER-EXTENSION
    title: 延期须先于答复
    severity: warning
    precedence: {event: answered, requires: received}
"""
AS_OF = dt.date(2019, 12, 31)
START = dt.date(2019, 5, 1)
UNITS = ("办公室", "法规处", "")


@st.composite
def cases(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 12))
    out = []
    for n in range(count):
        received = START + dt.timedelta(days=draw(st.integers(0, 200)))
        answered = draw(st.one_of(st.none(), st.integers(-3, 70)))
        extended = draw(st.one_of(st.none(), st.integers(0, 40)))
        out.append({
            "case": draw(st.sampled_from((f"A-{n}", f"依申〔2019〕{n}号"))),
            "unit": draw(st.sampled_from(UNITS)),
            "received": received,
            "extended": None if extended is None else received + dt.timedelta(days=extended),
            "answered": None if answered is None else received + dt.timedelta(days=answered),
            "note": draw(st.sampled_from(("", "延期", "已办结"))),
        })
    return out


def _cell(day: dt.date | None, chinese: bool) -> str:
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日" if chinese else day.isoformat()


def _findings(folder: Path, name: str) -> list[tuple[Any, ...]]:
    result = run_check([str(folder / name)], load_rulesets([str(folder / "rs.yaml")]),
                       CheckOptions(as_of=AS_OF, show_pending=True))
    # The contract's "modulo line/column": the same finding, wherever the row that makes it lies.
    return sorted((f.rule, f.status, f.case, f.unit, f.start, f.due, f.actual, str(f.overdue), f.message["en"])
                  for f in result.findings)


@settings(max_examples=40, deadline=None)
@given(cases(), st.booleans())
def test_a_ledger_and_its_event_log_give_the_same_findings(rows: list[dict[str, Any]], chinese: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "rs.yaml").write_text(dedent(RULESET), encoding="utf-8")
        ledger = ["编号,部门,收到申请日期,延期告知日期,答复日期,备注"]
        log = ["date,event,case,unit,备注"]
        for row in rows:
            ledger.append(",".join([row["case"], row["unit"], _cell(row["received"], chinese),
                                    _cell(row["extended"], chinese), _cell(row["answered"], chinese), row["note"]]))
            for kind in ("received", "extended", "answered"):
                if row[kind] is not None:
                    log.append(",".join([row[kind].isoformat(), kind, row["case"], row["unit"], row["note"]]))
        (folder / "台账.csv").write_text("\n".join(ledger) + "\n", encoding="utf-8")
        (folder / "events.csv").write_text("\n".join(log) + "\n", encoding="utf-8")
        assert _findings(folder, "台账.csv") == _findings(folder, "events.csv")
