"""Fuzzing the command line in-process (issue 17; issue 19's classes): random and mutated logs,
rulesets, waivers, overlays and configurations, hostile numbers, nesting, control characters,
odd file names and ``-o`` onto an input. For every case:

- the exit status is 0, 1 or 2 (never 3, an internal error);
- no traceback is printed;
- every input file is byte-identical after the run;
- a JSON report parses.

The budget is small by default (CI stays fast). A large run:

    GKLINT_FUZZ_EXAMPLES=5000 python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

(``benchmarks/fuzz.py`` does the same and prints the count). The number of cases run is printed
at the end of the session (``pytest_terminal_summary`` in conftest.py).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from conftest import _chdir, _runner, _stderr

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gklint.cli import main  # noqa: E402

EXAMPLES = int(os.environ.get("GKLINT_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50, database=None,
                suppress_health_check=list(HealthCheck))
CASES: dict[str, int] = {}

RULESET = """\
ruleset: fuzz
title: {zh: 模糊测试, en: Fuzz}
effective: {from: 2018-01-01}
events:
  received: {label: 收到申请, aliases: [收到]}
  answered: {label: 答复}
  extended: {label: 延期答复告知}
  meeting: {label: 会议}
rules:
  - id: F-1
    deadline: {after: received, expect: answered, within: 15 working days, extend: {by: extended, up_to: 15 working days}}
  - id: F-2
    count: {event: meeting, at_least: 1, per: year}
  - id: F-3
    due: {expect: answered, period: year, offset: 1, by: 01-31}
  - id: F-4
    deadline: {after: received, expect: answered, within: 20 days}
  - id: F-5
    deadline: {after: received, expect: answered, within: 48 hours}
"""
LOG = """\
date,event,case,unit
2018-06-01,收到,A,办公室
2018-06-04 09:30,答复,A,办公室
2018-06-04,received,B,财政局
2018-06-20,extended,B,财政局
2018-07-30,answered,B,财政局
2018-12-28,meeting,,办公室
2019-01-02,received,C,
"""
JSONL = '{"date": "2018-06-01", "event": "received", "case": "A"}\n{"date": "2018-06-09", "event": "answered", "case": "A"}\n'
WAIVERS = """\
- rule: F-1
  case: A
  reason: 申请人同意
  approved_by: 办公室 张三
  expires: 2019-06-30
"""
OVERLAY = """\
extends: CN
name: 本地
covers: [2027]
days_off: ['2018-06-05..2018-06-06', {date: 2018-06-08, name: 本地休息日}]
workdays: [2018-06-09]
"""
CONFIG = """\
rulesets = ["rules.yaml"]
calendar = "overlay.yaml"
waivers = "waivers.yaml"
lang = "en"
[columns]
date = "date"
"""
TABLE_RULES = """\
ruleset: fuzz-tables
events:
  received: {label: 收到申请}
rules:
  - id: T-1
    table: {reconcile: {indicator: 收到申请数, count: received}}
  - id: T-2
    table: {assert: "收到申请数 >= 当面申请数 and 收到申请数 / 2 < 100000"}
"""
TABLE = """\
统计指标,单位,统计数
年度,,2018
收到申请数,件,3
当面申请数,件,1
"""
SEEDS = {name: text.encode("utf-8") for name, text in {
    "rules.yaml": RULESET, "events.csv": LOG, "waivers.yaml": WAIVERS, "overlay.yaml": OVERLAY,
    "gklint.toml": CONFIG, "log.jsonl": JSONL, "tables.yaml": TABLE_RULES, "t.csv": TABLE}.items()}

# Bytes that have broken readers before: NUL, ESC, BOM, CR, a lone surrogate's UTF-8, 0xFF, the
# line and paragraph separators, YAML's indicators.
SPICE = [b"\x00", b"\x1b[2J", b"\xef\xbb\xbf", b"\r", b"\xed\xa0\x80", b"\xff", "\u2028".encode(), b"&a ", b"*a",
         b"!!python/object:os.system ", b"{", b"[", b'"', b"'", b"\t", b"- ", b": ", b"#", b"%YAML 1.1\n", b"---\n",
         b"1e20", b"99999999999", b"-1", b".nan", b"9" * 5000]
NUMBERS = ["0", "1", "-1", "3000000", "1e20", "99999999999", "9" * 30, "9999999", "1000000000", ".inf", "1_000"]
UNITS = ["days", "working days", "hours", "个工作日", "日", "小时", "weeks"]


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> bytes:
    """``seed`` with a few random edits: spice inserted, bytes replaced, parts cut or repeated."""
    data = bytearray(seed.encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["spice", "byte", "cut", "repeat", "truncate"]))
        if op == "spice":
            data[at:at] = draw(st.sampled_from(SPICE))
        elif op == "byte" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 60))] * draw(st.integers(1, 3))
        else:
            del data[at:]
    return bytes(data)


def nesting(depth: int, flow: bool, key: str) -> str:
    if flow:
        return f"{key}: " + "[" * depth + "]" * depth + "\n"
    return "".join(f"{' ' * i}{key}:\n" for i in range(depth)) + " " * depth + "x\n"


@st.composite
def extreme_ruleset(draw: st.DrawFn) -> bytes:
    """The seed ruleset with a hostile number in a time limit or an offset."""
    number, unit = draw(st.sampled_from(NUMBERS)), draw(st.sampled_from(UNITS))
    where = draw(st.sampled_from(["within: 15 working days", "within: 20 days", "within: 48 hours",
                                  "up_to: 15 working days", "offset: 1", "at_least: 1"]))
    key = where.split(":")[0]
    value = number if key in ("offset", "at_least") else f"{number} {unit}"
    return RULESET.replace(where, f"{key}: {value}", 1).encode()


@st.composite
def extreme_overlay(draw: st.DrawFn) -> bytes:
    year = draw(st.sampled_from(["0001", "1899", "1900", "2999", "3000", "9999", "2018"]))
    form = draw(st.sampled_from([f"days_off: ['2018-06-05..{year}-12-31']\n", f"workdays: ['{year}-01-01..2018-06-09']\n",
                                 f"covers: [{year}]\n", f"days_off: [{{from: 2018-06-01, to: {year}-01-01}}]\n",
                                 f"covers: [{draw(st.sampled_from(NUMBERS))}]\n"]))
    return ("extends: CN\n" + form).encode()


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_case(kind: str, files: dict[str, bytes], args: list[str], outputs: tuple[str, ...] = ()) -> None:
    """Write ``files`` into a fresh folder, run ``gklint ARGS`` there, check the four properties."""
    CASES[kind] = CASES.get(kind, 0) + 1
    with tempfile.TemporaryDirectory(prefix="gklint-fuzz-") as tmp:
        root = Path(tmp)
        for name, data in files.items():
            path = root / os.fsdecode(name.encode("utf-8", "surrogateescape"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        before = files_of(root)
        with _chdir(root):
            result = _runner().invoke(main, args, env={"GKLINT_LANG": "en"}, catch_exceptions=True)
        err = _stderr(result)
        shown = f"{kind} {args!r}\nexit {result.exit_code}\nstdout {result.stdout[:2000]!r}\nstderr {err[:2000]!r}"
        assert result.exit_code in (0, 1, 2), shown
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in result.stdout + err and "internal error" not in err, shown
        after = files_of(root)
        for name in outputs:  # a report written where no input was
            if name not in before:
                after.pop(name, None)
        assert after == before, shown
        if "json" in args and result.exit_code in (0, 1) and "-o" not in args:
            json.loads(result.stdout)


def check_args(*extra: str, fmt: str = "json") -> list[str]:
    return ["check", "events.csv", "-r", "rules.yaml", "--as-of", "2019-06-30", "--format", fmt, *extra]


@FUZZ
@given(log=st.one_of(mutated(LOG), st.binary(max_size=400)), fmt=st.sampled_from(["json", "sarif", "junit", "text"]))
def test_fuzz_logs(log: bytes, fmt: str) -> None:
    run_case("logs", {**SEEDS, "events.csv": log, "gklint.toml": b""}, check_args(fmt=fmt))


@FUZZ
@given(table=st.one_of(mutated(TABLE), st.sampled_from(NUMBERS + ["9" * 60, "1,000,000", "-0", "１２"]).map(
    lambda n: TABLE.replace(",3\n", f",{n}\n").encode())),
       rules=st.one_of(st.just(TABLE_RULES.encode()), mutated(TABLE_RULES)))
def test_fuzz_report_tables(table: bytes, rules: bytes) -> None:
    run_case("tables", {**SEEDS, "t.csv": table, "tables.yaml": rules, "gklint.toml": b""},
             ["check", "t.csv", "events.csv", "-r", "tables.yaml", "--as-of", "2019-06-30", "--format", "json"])


@FUZZ
@given(log=mutated(JSONL))
def test_fuzz_jsonl_logs(log: bytes) -> None:
    run_case("jsonl", {**SEEDS, "log.jsonl": log, "gklint.toml": b""},
             ["check", "log.jsonl", "-r", "rules.yaml", "--as-of", "2019-06-30", "--format", "json"])


XES = """\
<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="依申〔2019〕1号"/>
<event><string key="concept:name" value="收到"/><date key="time:timestamp" value="2019-03-01T09:00:00+08:00"/></event>
<event><string key="concept:name" value="答复"/><date key="time:timestamp" value="2019-03-04T09:00:00.000+08:00"/></event>
</trace>
</log>
"""
XML_HOSTILE = [
    '<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE log SYSTEM "file:///etc/passwd">', '<!DOCTYPE log [<!ENTITY % p SYSTEM "http://x/">%p;]>',
    "&b;", "<![CDATA[", "<" * 200, "<event>" * 150, "\x00",
]


@FUZZ
@given(log=st.one_of(mutated(XES), st.builds(lambda hostile, at: XES[:at] + hostile + XES[at:],
                                              st.sampled_from(XML_HOSTILE), st.integers(0, len(XES)))),
       gz=st.booleans())
def test_fuzz_xes_logs(log: bytes | str, gz: bool) -> None:
    import gzip

    data = log.encode("utf-8") if isinstance(log, str) else log
    name = "log.xes.gz" if gz else "log.xes"
    run_case("xes", {**SEEDS, name: gzip.compress(data) if gz else data, "gklint.toml": b""},
             ["check", name, "-r", "rules.yaml", "--as-of", "2019-06-30", "--format", "json"])


@FUZZ
@given(rules=st.one_of(mutated(RULESET), extreme_ruleset(),
                       st.builds(nesting, st.sampled_from([50, 99, 100, 101, 3000]), st.booleans(),
                                 st.sampled_from(["rules", "events", "x"])).map(str.encode),
                       st.binary(max_size=200)))
def test_fuzz_rulesets(rules: bytes) -> None:
    run_case("rulesets", {**SEEDS, "rules.yaml": rules, "gklint.toml": b""}, check_args())


@FUZZ
@given(which=st.sampled_from(["waivers.yaml", "overlay.yaml"]),
       data=st.data())
def test_fuzz_waivers_and_overlays(which: str, data: st.DataObject) -> None:
    seed = WAIVERS if which == "waivers.yaml" else OVERLAY
    text = data.draw(st.one_of(mutated(seed), extreme_overlay() if which == "overlay.yaml" else mutated(seed),
                               st.builds(nesting, st.sampled_from([101, 3000]), st.booleans(),
                                         st.just("days_off" if which == "overlay.yaml" else "rule")).map(str.encode)))
    option = "--waivers" if which == "waivers.yaml" else "--calendar"
    run_case("waivers/overlays", {**SEEDS, which: text, "gklint.toml": b""}, check_args(option, which))


@FUZZ
@given(config=st.one_of(mutated(CONFIG),
                        st.sampled_from(['calendar = "/dev/zero"\n', 'rulesets = ["/proc/self/environ"]\n',
                                         'waivers = "/dev/null"\n', "x = " + "[" * 3000 + "]" * 3000 + "\n",
                                         "paths = " + "9" * 5000 + "\n", 'as_of = "9999-12-31"\n',
                                         'calendar = "."\n']).map(str.encode)))
def test_fuzz_configs(config: bytes) -> None:
    run_case("configs", {**SEEDS, "gklint.toml": config},
             ["check", "events.csv", "--as-of", "2019-06-30", "--format", "json"])


NAME_BYTES = st.sampled_from([b"\xff", b"\x1b[31m", b"\n", b"\x07", b"\xe4\xb8\xad", b" ", b"-", b"'", b"\\", b"\x7f"])


@FUZZ
@given(name=st.lists(NAME_BYTES, min_size=1, max_size=3).map(lambda parts: b"log" + b"".join(parts) + b".csv"),
       fmt=st.sampled_from(["json", "sarif", "junit", "github", "text"]), to_file=st.booleans())
def test_fuzz_file_names(name: bytes, fmt: str, to_file: bool) -> None:
    """Log names with bytes that are not UTF-8 or are control characters, reported in every
    format, to stdout or with -o."""
    text_name = name.decode("utf-8", "surrogateescape")
    args = ["check", text_name, "-r", "rules.yaml", "--as-of", "2019-06-30", "--format", fmt]
    if to_file:
        args += ["-o", "report.out"]
    run_case("file names", {**SEEDS, text_name: LOG.encode(), "gklint.toml": b""}, args, outputs=("report.out",))


@FUZZ
@given(target=st.sampled_from(["events.csv", "./events.csv", "rules.yaml", "waivers.yaml", "overlay.yaml",
                               "gklint.toml", "link.csv"]),
       fmt=st.sampled_from(["json", "text", "sarif"]))
def test_fuzz_output_onto_an_input(target: str, fmt: str) -> None:
    """-o naming a file the run reads (directly or by a symbolic link) never replaces it."""
    args = ["check", "events.csv", "--as-of", "2019-06-30", "--format", fmt, "-o", target]
    if target == "link.csv":
        _run_with_link(args, SEEDS)
    else:
        run_case("-o onto input", SEEDS, args)


def _run_with_link(args: list[str], files: dict[str, bytes]) -> None:
    CASES["-o onto input"] = CASES.get("-o onto input", 0) + 1
    with tempfile.TemporaryDirectory(prefix="gklint-fuzz-") as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).write_bytes(data)
        (root / "link.csv").symlink_to("events.csv")
        before = files_of(root)
        with _chdir(root):
            result = _runner().invoke(main, args, env={"GKLINT_LANG": "en"}, catch_exceptions=True)
        assert result.exit_code == 2, (result.exit_code, result.stdout, _stderr(result))
        assert files_of(root) == before
