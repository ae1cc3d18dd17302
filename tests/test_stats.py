"""``gklint stats``: the annual report's request figures, counted from an event log.

The figures of the example log are counted here a second time with plain ``csv`` and
``collections`` -- not with :mod:`gklint.stats` -- and the command's output, in both templates and
both formats, must match them; its CSV must pass the bundled report-table rulesets.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import Workspace, stderr_of

from gklint.commands.stats import FORMATS, write_csv, write_markdown
from gklint.stats import TEMPLATES, StatsRow, StatsTable, default_template, outcome_2008, outcome_2019

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "requests-2019" / "events.csv"
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

# Every spelling the example log uses, mapped by hand to the template rows it belongs in.
CHANNEL = {"网上申请": "网络", "网络": "网络", "电子邮件": "网络", "信函": "信函", "邮寄": "信函",
           "当面": "当面", "传真": "传真"}
APPLICANT = {"自然人": "自然人", "个人": "自然人", "企业": "商业企业", "商业企业": "商业企业",
             "科研机构": "科研机构", "科研院所": "科研机构", "社会公益组织": "社会公益组织",
             "律师事务所": "法律服务机构", "法律服务机构": "法律服务机构", "其他": "其他"}
OUTCOME_2008 = {"同意公开": "同意公开答复数", "2.同意公开答复": "同意公开答复数",
                "属于已主动公开范围": "属于已主动公开范围数", "已主动公开": "属于已主动公开范围数",
                "同意部分公开": "同意部分公开答复数", "不同意公开": "不同意公开答复数",
                "不属于本机关公开": "不属于本行政机关公开数", "申请信息不存在": "申请信息不存在数",
                "告知作出更改补充": "告知作出更改补充数", "告知通过其他途径办理": "告知通过其他途径办理数"}
OUTCOME_2019 = {
    ("予以公开", ""): "（一）予以公开", ("同意公开", ""): "（一）予以公开",
    ("部分公开", ""): "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ("信息不存在", ""): "1.本机关不掌握相关政府信息",
    ("无法提供", "本机关不掌握相关政府信息"): "1.本机关不掌握相关政府信息",
    ("无法提供", "没有现成信息需要另行制作"): "2.没有现成信息需要另行制作",
    ("无法提供", "补正后申请内容仍不明确"): "3.补正后申请内容仍不明确",
    ("不予公开", "涉及个人隐私"): "4.保护第三方合法权益", ("不予公开", "保护第三方合法权益"): "4.保护第三方合法权益",
    ("不予公开", "属于四类过程性信息"): "6.属于四类过程性信息",
    ("不予公开", "属于三类内部事务信息"): "5.属于三类内部事务信息",
    ("不予公开（属于国家秘密）", ""): "1.属于国家秘密",
    ("不予处理", "重复申请"): "2.重复申请", ("不予处理", "信访举报投诉类申请"): "1.信访举报投诉类申请",
    ("不予处理", "要求提供公开出版物"): "3.要求提供公开出版物",
    ("其他处理", "申请人逾期未补正，视为放弃申请"): "（六）其他处理",
}


def example_requests() -> dict[str, dict[str, Any]]:
    """The example's requests by case: receipt and answer dates (ISO text), attributes, extensions."""
    requests: dict[str, dict[str, Any]] = defaultdict(lambda: {"extensions": []})
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            r = requests[row["case"]]
            if row["event"] == "收到申请":
                r.update(received=row["date"], channel=CHANNEL[row["channel"]], applicant=APPLICANT[row["applicant"]])
            elif row["event"] == "答复申请":
                r.update(answered=row["date"], outcome=row["outcome"], reason=row["reason"])
            elif row["event"] == "延期告知":
                r["extensions"].append(row["date"])
    return {case: r for case, r in requests.items() if "received" in r}


def expected_2008(year: int) -> dict[str, int]:
    reqs = example_requests().values()
    received = [r for r in reqs if r["received"].startswith(str(year))]
    answered = [r for r in reqs if r.get("answered", "").startswith(str(year))]
    extended = [r for r in answered if any(r["received"] < x <= r["answered"] for x in r["extensions"])]
    channels = Counter(r["channel"] for r in received)
    outcomes = Counter(OUTCOME_2008[r["outcome"]] for r in answered)
    reasons = Counter(r["reason"] for r in answered if OUTCOME_2008[r["outcome"]] == "不同意公开答复数")
    figures = {"（一）收到申请数": len(received), "1.当面申请数": channels["当面"], "2.传真申请数": channels["传真"],
               "3.网络申请数": channels["网络"], "4.信函申请数": channels["信函"],
               "（二）申请办结数": len(answered), "1.按时办结数": len(answered) - len(extended),
               "2.延期办结数": len(extended), "（三）申请答复数": len(answered),
               "其中：涉及国家秘密": reasons["涉及国家秘密"], "涉及商业秘密": reasons["涉及商业秘密"],
               "涉及个人隐私": reasons["涉及个人隐私"]}
    labels = ["属于已主动公开范围数", "同意公开答复数", "同意部分公开答复数", "不同意公开答复数", "不属于本行政机关公开数",
              "申请信息不存在数", "告知作出更改补充数", "告知通过其他途径办理数"]
    figures.update({f"{i}.{label}": outcomes[label] for i, label in enumerate(labels, 1)})
    return figures


def expected_2019(year: int) -> dict[str, list[int]]:
    start, end = f"{year}-01-01", f"{year}-12-31"
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for r in example_requests().values():
        answered = r.get("answered", "9999")
        if start <= r["received"] <= end:
            rows["一、本年新收政府信息公开申请数量"][r["applicant"]] += 1
        if r["received"] < start <= answered:
            rows["二、上年结转政府信息公开申请数量"][r["applicant"]] += 1
        if start <= answered <= end:
            rows[OUTCOME_2019[(r["outcome"], r["reason"])]][r["applicant"]] += 1
            rows["（七）总计"][r["applicant"]] += 1
        if r["received"] <= end < answered:
            rows["四、结转下年度继续办理"][r["applicant"]] += 1
    return {label: [found[a] for a in APPLICANTS] + [sum(found.values())] for label, found in rows.items()}


def stats(ws: Workspace, *args: str) -> Result:
    result = ws.cli("stats", *args)
    assert result.exit_code == 0, (result.output, stderr_of(result))
    return result


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def parse_markdown(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert lines[1].startswith("| --- |")
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in [lines[0], *lines[2:]]]


def narrow_figures(grid: list[list[str]]) -> dict[str, int]:
    assert grid[0] == ["统计指标", "单位", "统计数"]
    return {label: int(value) for label, _, value in grid[1:] if value and label != "年度"}


def wide_figures(grid: list[list[str]]) -> dict[str, list[int]]:
    assert grid[0] == ["统计指标", *APPLICANTS, "总计"]
    return {row[0]: [int(v) for v in row[1:]] for row in grid[1:] if row[1] and row[0] != "年度"}


# --- the example log: figures counted twice -----------------------------------------------------

def test_the_example_has_requests_across_the_year_boundary() -> None:
    reqs = example_requests().values()
    assert 30 <= len(reqs) <= 60
    assert any(r["received"] < "2019" <= r["answered"] for r in reqs)
    assert any(r["received"] < "2020" <= r.get("answered", "9999") for r in reqs)
    assert sum(bool(r["extensions"]) for r in reqs) >= 3


@pytest.mark.parametrize("output_format, parse", [("csv", parse_csv), ("markdown", parse_markdown)])
def test_2008_figures_match_an_independent_count(ws: Workspace, output_format: str, parse: Any) -> None:
    result = stats(ws, "--year", "2018", "--format", output_format, str(EXAMPLE))
    grid = parse(result.stdout)
    assert grid[1] == ["年度", "", "2018"]
    figures = narrow_figures(grid)
    expected = expected_2008(2018)
    assert {label: figures[label] for label in expected} == expected
    assert expected["（一）收到申请数"] == 15 and expected["2.延期办结数"] == 2  # the count itself is sane
    assert not [label for label in figures if label.startswith("待核实")]
    assert stderr_of(result) == ""


@pytest.mark.parametrize("output_format, parse", [("csv", parse_csv), ("markdown", parse_markdown)])
def test_2019_figures_match_an_independent_count(ws: Workspace, output_format: str, parse: Any) -> None:
    result = stats(ws, "--year", "2019", "--format", output_format, str(EXAMPLE))
    grid = parse(result.stdout)
    assert grid[1][:2] == ["年度", "2019"]
    figures = wide_figures(grid)
    expected = expected_2019(2019)
    assert {label: figures[label] for label in expected} == expected
    zero = [0] * 7
    assert all(figures[label] == zero for label in set(figures) - set(expected))
    assert expected["二、上年结转政府信息公开申请数量"][-1] == 3 and expected["四、结转下年度继续办理"][-1] == 3
    assert stderr_of(result) == ""


def test_the_2008_template_for_2019_counts_the_same_way(ws: Workspace) -> None:
    # Not the year's format (a note says so), but the figures are still those of 2019.
    result = stats(ws, "--year", "2019", "--template", "2008", str(EXAMPLE))
    figures = narrow_figures(parse_csv(result.stdout))
    assert figures["（一）收到申请数"] == expected_2019(2019)["一、本年新收政府信息公开申请数量"][-1]
    assert "2019 reports use the 2019 format" in stderr_of(result)


def test_markdown_is_the_csv_table(ws: Workspace) -> None:
    for year in ("2018", "2019"):
        as_csv = parse_csv(stats(ws, "--year", year, str(EXAMPLE)).stdout)
        as_md = parse_markdown(stats(ws, "--year", year, "--format", "markdown", str(EXAMPLE)).stdout)
        assert as_md == as_csv


def test_the_example_readme_shows_the_output(ws: Workspace) -> None:
    readme = (EXAMPLE.parent / "README.md").read_text(encoding="utf-8")
    for year in ("2018", "2019"):
        assert stats(ws, "--year", year, "--format", "markdown", str(EXAMPLE)).stdout in readme


def test_the_template_follows_the_year() -> None:
    assert [default_template(y) for y in (2008, 2018, 2019, 2020, 2021, 2024)] == [
        "2008", "2008", "2019", "2019", "2021", "2021"]


def test_cli_choices_are_the_templates_and_formats() -> None:
    from gklint.cli import stats as command

    choices = {p.name: tuple(p.type.choices) for p in command.params  # type: ignore[attr-defined]
               if p.name in ("template", "output_format")}
    assert choices == {"template": TEMPLATES, "output_format": FORMATS}


# --- the output is a report table gklint check accepts -----------------------------------------

@pytest.mark.parametrize("year, ruleset", [("2018", "annual-report-2008-table"), ("2019", "annual-report-2019-table")])
def test_the_csv_validates_with_the_report_table_ruleset(ws: Workspace, year: str, ruleset: str) -> None:
    stats(ws, "--year", year, "-o", "table.csv", str(EXAMPLE))
    alone = ws.cli("check", "table.csv", "-r", ruleset)
    assert alone.exit_code == 0, alone.output
    # With the log, the reconcile rule (收到申请数 against request_received) applies too.
    with_log = ws.cli("check", "table.csv", str(EXAMPLE), "-r", ruleset, "--as-of", "2020-12-31",
                      "--format", "json")
    assert with_log.exit_code == 0, with_log.output
    assert json.loads(with_log.stdout)["findings"] == []  # the rules do run: see the control below


@pytest.mark.parametrize("year, ruleset, row", [
    ("2018", "annual-report-2008-table", "1.当面申请数"),
    ("2019", "annual-report-2019-table", "（一）予以公开"),
])
def test_a_changed_figure_fails_the_check(ws: Workspace, year: str, ruleset: str, row: str) -> None:
    stats(ws, "--year", year, "-o", "table.csv", str(EXAMPLE))
    grid = parse_csv((ws.root / "table.csv").read_text(encoding="utf-8"))
    for cells in grid:
        if cells[0] == row:
            cells[1 if year == "2019" else 2] = str(int(cells[1 if year == "2019" else 2]) + 1)
    with (ws.root / "changed.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(grid)
    assert ws.cli("check", "changed.csv", "-r", ruleset).exit_code == 1


# --- what is not recognised is shown, not guessed -----------------------------------------------

ODD_LOG = """\
date,event,case,channel,applicant,outcome,reason
2018-03-01,收到申请,A1,微信,行业协会,,
2018-03-05,答复申请,A1,,,同意公开,
2018-03-02,收到申请,A2,现场,个人,,
2018-03-06,答复申请,A2,,,不予公开,说不清
2018-03-03,收到申请,A3,邮寄,企业,,
2018-03-07,答复申请,A3,,,转交信访,
2018-03-08,发传真,A3,,,,
2018-13-01,收到申请,A4,网络,,,
"""


def test_unrecognised_values_get_their_own_rows_and_notes(ws: Workspace) -> None:
    ws.log(ODD_LOG)
    result = stats(ws, "--year", "2018", "events.csv")
    figures = narrow_figures(parse_csv(result.stdout))
    assert figures["（一）收到申请数"] == 3 and figures["待核实：渠道未识别的申请数"] == 1
    assert figures["4.不同意公开答复数"] == 1 and figures["待核实：理由未识别的不同意公开答复数"] == 1
    assert figures["待核实：答复类型未识别的答复数"] == 1
    err = stderr_of(result).splitlines()
    assert "gklint: note: requests with no recognised channel, in no channel row: 1 (微信 x1)" in err
    assert "gklint: note: refusals with no recognised reason: 1 (说不清 x1)" in err
    assert "gklint: note: answers with no recognised outcome, in no outcome row: 1 (转交信访 x1)" in err
    # Unusable rows: one line with the count, pointing at gklint check.
    assert [line for line in err if line.startswith("gklint: note: rows not counted: 2 (GK001 x1, GK002 x1")]
    assert any("gklint check events.csv" in line for line in err)
    # Such a table is not ready to submit, and gklint check says where.
    ws.write("out.csv", result.stdout)
    assert ws.cli("check", "out.csv", "-r", "annual-report-2008-table").exit_code == 1


def test_unrecognised_outcomes_and_applicants_in_the_2019_table(ws: Workspace) -> None:
    ws.log(ODD_LOG.replace("2018", "2019"))
    result = stats(ws, "--year", "2019", "--lang", "zh", "events.csv")
    figures = wide_figures(parse_csv(result.stdout))
    assert figures["待核实：办理结果未识别"] == [1, 1, 0, 0, 0, 0, 2]  # 不予公开 without a reason (个人); 转交信访 (企业)
    assert figures["待核实：办理结果未识别"][-1] + figures["（一）予以公开"][-1] == figures["（七）总计"][-1]
    assert figures["（七）总计"] == [1, 1, 0, 0, 0, 1, 3]  # 行业协会 is counted under 其他
    assert "申请人类型（applicant）未注明或未识别、计入“其他”列的申请：1件（行业协会×1）" in stderr_of(result)


def test_an_answer_without_its_receipt_is_carried_over_with_a_note(ws: Workspace) -> None:
    ws.log("date,event,case,outcome,applicant\n2019-01-10,答复申请,X1,予以公开,企业\n")
    result = stats(ws, "--year", "2019", "events.csv")
    figures = wide_figures(parse_csv(result.stdout))
    assert figures["二、上年结转政府信息公开申请数量"][1] == figures["（一）予以公开"][1] == 1
    assert "no request_received in the log: 1" in stderr_of(result)
    ws.write("t.csv", result.stdout)
    assert ws.cli("check", "t.csv", "-r", "annual-report-2019-table").exit_code == 0


@pytest.mark.parametrize("outcome, reason, row_2008, row_2019", [
    ("同意公开", "", ("同意公开答复数", None), "（一）予以公开"),
    ("（一）予以公开", "", ("同意公开答复数", None), "（一）予以公开"),
    ("3.同意部分公开答复数", "", ("同意部分公开答复数", None), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("不予公开", "涉及国家秘密", ("不同意公开答复数", "涉及国家秘密"), "1.属于国家秘密"),
    ("不同意公开（涉及商业秘密）", "", ("不同意公开答复数", "涉及商业秘密"), "4.保护第三方合法权益"),
    ("不予公开", "危及“三安全一稳定”", ("不同意公开答复数", "危及国家安全、公共安全、经济安全和社会稳定"),
     "3.危及“三安全一稳定”"),
    ("非本机关", "", ("不属于本行政机关公开数", None), None),
    ("信息不存在", "", ("申请信息不存在数", None), "1.本机关不掌握相关政府信息"),
    ("告知补正", "", ("告知作出更改补充数", None), None),
    ("其他途径", "", ("告知通过其他途径办理数", None), None),
    ("无法提供", "另行制作", (None, None), "2.没有现成信息需要另行制作"),
    ("不予处理", "大量反复申请", (None, None), "4.无正当理由大量反复申请"),
    ("重复申请", "", (None, None), "2.重复申请"),
    ("不予公开", "", ("不同意公开答复数", None), None),
    ("转交", "", (None, None), None),
])
def test_outcomes_are_matched_leniently(outcome: str, reason: str, row_2008: tuple[str | None, str | None],
                                        row_2019: str | None) -> None:
    assert outcome_2008(outcome, reason) == row_2008
    assert outcome_2019(outcome, reason) == row_2019


# --- escaping, atomic output, errors -------------------------------------------------------------

def test_every_cell_is_escaped_against_formula_injection() -> None:
    table = StatsTable("2008", 2019, ("统计数",), "件", (StatsRow("=HYPERLINK(\"http://x\")|1", (3,)),
                                                        StatsRow("@SUM(A1)", None)))
    out = io.StringIO()
    write_csv(table, out)
    rows = parse_csv(out.getvalue())
    assert rows[2] == ["'=HYPERLINK(\"http://x\")|1", "件", "3"] and rows[3][0] == "'@SUM(A1)"
    out = io.StringIO()
    write_markdown(table, out)
    assert "| '=HYPERLINK(\"http://x\")\\|1 | 件 | 3 |" in out.getvalue().splitlines()


def test_output_file_is_written_atomically(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    target = ws.write("table.csv", "old\n")
    import gklint.commands.stats as command

    def broken(table: StatsTable, out: io.StringIO) -> None:
        out.write("统计指标,单位,统计数\n")
        raise RuntimeError("disk full")

    monkeypatch.setattr(command, "write_csv", broken)
    assert ws.cli("stats", "--year", "2018", "-o", "table.csv", str(EXAMPLE)).exit_code == 3  # internal error
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in ws.root.iterdir()) == ["gklint.toml", "table.csv"]  # no temporary left
    monkeypatch.undo()
    stats(ws, "--year", "2018", "-o", "table.csv", str(EXAMPLE))
    assert target.read_bytes().startswith("\ufeff统计指标,单位,统计数\n".encode())


@pytest.mark.parametrize("args, message", [
    (["--year", "2018", "missing.csv"], "missing.csv: no such file or directory"),
    (["--year", "2007", str(EXAMPLE)], "--year 2007"),
    (["--year", "2018"], "no event log given"),
    (["--year", "2018", "-o", "no/such/dir/t.csv", str(EXAMPLE)], "the output folder does not exist"),
])
def test_errors_exit_2_with_a_message(ws: Workspace, args: list[str], message: str) -> None:
    result = ws.cli("stats", *args)
    assert result.exit_code == 2
    assert message in stderr_of(result) and "Traceback" not in stderr_of(result)


def test_a_year_that_is_not_a_number_is_a_usage_error(ws: Workspace) -> None:
    assert ws.cli("stats", "--year", "2019年", str(EXAMPLE)).exit_code == 2


def test_config_supplies_paths_and_rulesets(ws: Workspace) -> None:
    ws.write("gklint.toml", f'paths = ["{EXAMPLE.as_posix()}"]\nrulesets = ["ogi-regulation-2019"]\n')
    result = stats(ws, "--year", "2019")
    assert wide_figures(parse_csv(result.stdout)) == {**{k: [0] * 7 for k in wide_figures(parse_csv(result.stdout))},
                                                      **expected_2019(2019)}


def test_rulesets_without_the_request_events_are_an_error(ws: Workspace) -> None:
    ws.ruleset("- id: C\n  count: {event: meeting, at_least: 1, per: year}\n")
    result = ws.cli("stats", "--year", "2019", "-r", "rs.yaml", str(EXAMPLE))
    assert result.exit_code == 2 and "request_received" in stderr_of(result)


# --- the 2021 format (国办公开办函〔2021〕30号) and workbooks ---------------------------------------

LOG_2024 = """\
date,event,case,applicant,outcome,reason,needs_supplement
2024-03-01,收到申请,B1,个人,,,否
2024-03-08,答复申请,B1,,予以公开,,
2024-04-01,收到申请,B2,企业,,,否
2024-04-26,答复申请,B2,,其他处理,视为放弃申请,
2024-05-06,收到申请,B3,个人,,,否
2024-05-20,答复申请,B3,,逾期未缴费,,
2024-12-20,收到申请,B4,个人,,,否
"""


def test_stats_for_2024_prints_the_2021_layout(ws: Workspace) -> None:
    """`gklint stats --year 2024` printed the 2019 layout (one （六）其他处理 row)."""
    ws.write("log.csv", LOG_2024)
    grid = parse_csv(stats(ws, "--year", "2024", "log.csv").stdout)
    rows = {cells[0]: cells[1:] for cells in grid}
    assert rows["（六）其他处理"] == [""] * 7  # a heading in the 2021 format
    assert rows["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"] == ["0", "1", "0", "0", "0", "0", "1"]
    assert rows["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"][-1] == "1"
    assert rows["3.其他"][-1] == "0"
    assert rows["（七）总计"][-1] == "3" and rows["四、结转下年度继续办理"][-1] == "1"
    # ... and it is a table the 2021 format's rules accept.
    stats(ws, "--year", "2024", "-o", "table.csv", "log.csv")
    checked = ws.cli("check", "table.csv", "log.csv", "--as-of", "2025-01-10", "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["findings"] == []


def test_stats_xlsx_is_a_workbook_read_back_equal_to_the_csv(ws: Workspace) -> None:
    """`gklint stats -o stat.xlsx` wrote CSV text into a file named .xlsx."""
    from openpyxl import load_workbook

    stats(ws, "--year", "2019", "-o", "stat.xlsx", str(EXAMPLE))
    grid = parse_csv(stats(ws, "--year", "2019", str(EXAMPLE)).stdout)
    book = load_workbook(ws.root / "stat.xlsx")
    sheet = book.worksheets[0]
    read = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert read == grid
    assert sheet.freeze_panes == "B2"
    assert all(isinstance(c.value, int) for c in sheet["H"][2:] if c.value is not None)  # 总计: numbers
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if isinstance(c.value, str))
    # gklint check reads it as the report table it is.
    assert ws.cli("check", "stat.xlsx", "-r", "annual-report-2019-table").exit_code == 0


@pytest.mark.parametrize("args, says", [
    (("--format", "csv", "-o", "stat.xlsx"), "names an Excel workbook"),
    (("--format", "markdown", "-o", "stat.XLSX"), "names an Excel workbook"),
    (("--format", "xlsx",), "needs a file"),
    (("--format", "xlsx", "-o", "-"), "needs a file"),
])
def test_text_into_a_workbook_or_a_workbook_to_stdout_is_refused(ws: Workspace, args: tuple[str, ...],
                                                                   says: str) -> None:
    result = ws.cli("stats", "--year", "2019", str(EXAMPLE), *args)
    assert result.exit_code == 2 and says in stderr_of(result)
    assert not (ws.root / "stat.xlsx").exists() and not (ws.root / "stat.XLSX").exists()


def test_stats_reads_applicant_and_outcome_from_their_chinese_headers(ws: Workspace) -> None:
    """Issue 18: `applicant` and `outcome` were read only under those internal names; an office's
    申请人类型 and 答复类型 columns left every request under 其他 and every answer unrecognised."""
    ws.write("台账.csv", "日期,事件,编号,申请人类型,答复类型\n"
                        "2024-03-01,收到申请,B1,商业企业,\n2024-03-08,答复申请,B1,,予以公开\n"
                        "2024-04-01,收到申请,B2,自然人,\n2024-04-20,答复申请,B2,,部分公开\n")
    result = stats(ws, "--year", "2024", "台账.csv")
    rows = {cells[0]: cells[1:] for cells in parse_csv(result.stdout)}
    assert rows["一、本年新收政府信息公开申请数量"] == ["1", "1", "0", "0", "0", "0", "2"]
    assert rows["（一）予以公开"] == ["0", "1", "0", "0", "0", "0", "1"]
    assert rows["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"][0] == "1"
    assert not any(label.startswith("待核实") for label in rows), rows
    assert "未识别" not in stderr_of(result)
