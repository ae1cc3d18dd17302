"""Which format checks a report table, and indicators it does not know (GK015, GK016).

Reproduces what users saw: a 2024 table gave 0 findings and exit 0 (no 2021 format was bundled);
a 2019 table whose （七）总计 row was written 合计 gave 21 errors in parser jargon ("表达式第2752列").
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import Workspace

from gklint.stats import APPLICANTS

HEADER = ["统计指标", *APPLICANTS, "总计"]


def table_2019(year: int = 2019, renames: dict[str, str] | None = None) -> str:
    """A consistent wide table 三 of the 2019 format (the labels of the published template)."""
    from gklint.stats import RESULTS_2019

    def values(n: int) -> list[str]:
        return [str(n), "0", "0", "0", "0", "0", str(n)]

    rows: list[list[str]] = [["年度", str(year)], ["一、本年新收政府信息公开申请数量", *values(3)],
                             ["二、上年结转政府信息公开申请数量", *values(1)], ["三、本年度办理结果"]]
    for group, members in RESULTS_2019:
        if group:
            rows.append([group])
        for label, _ in members:
            rows.append([label, *values(2 if label.startswith("（一）") else 0)])
    rows += [["（七）总计", *values(2)], ["四、结转下年度继续办理", *values(2)]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        label = (renames or {}).get(row[0], row[0])
        writer.writerow([label, *row[1:], *[""] * (len(HEADER) - len(row))])
    return out.getvalue()


def check_json(ws: Workspace, text: str, *args: str) -> list[dict]:
    ws.write("table.csv", text)
    return ws.cli_json("check", "table.csv", "--as-of", "2026-03-01", *args)["findings"]


def test_a_consistent_2019_table_passes(ws: Workspace) -> None:
    assert check_json(ws, table_2019()) == []


def test_a_renamed_total_row_is_one_unknown_indicator_with_did_you_mean(ws: Workspace) -> None:
    found = check_json(ws, table_2019(renames={"（七）总计": "（七）合计"}))
    assert [(f["rule"], f["status"], f["line"]) for f in found] == [("GK016", "invalid", 28)]
    assert found[0]["message"] == ("unknown indicator: 合计; did you mean 总计? (the template's indicator labels "
                                   "must be kept, or the checks that use it cannot be made)")
    ws.write("table.csv", table_2019(renames={"（七）总计": "（七）合计"}))
    zh = ws.cli("check", "table.csv", "--as-of", "2026-03-01", "--lang", "zh")
    assert "未知指标：合计；是否应为“总计”？" in zh.stdout and "表达式" not in zh.stdout


def test_a_renamed_total_column_is_one_unknown_column(ws: Workspace) -> None:
    text = table_2019().replace(",其他,总计\n", ",其他,合计\n", 1)
    found = check_json(ws, text)
    assert [(f["rule"], f["line"]) for f in found] == [("GK016", 1)]
    assert "unknown column: 合计; did you mean 总计?" in found[0]["message"]


def test_a_missing_row_is_named_once(ws: Workspace) -> None:
    text = "".join(line for line in table_2019().splitlines(keepends=True) if not line.startswith("二、"))
    found = check_json(ws, text)
    assert [(f["rule"], f["status"]) for f in found] == [("GK016", "unknown")]
    assert "上年结转政府信息公开申请数量" in found[0]["message"]


def test_a_2024_table_is_checked_by_the_2021_format(ws: Workspace) -> None:
    # In the 2021 format （六）其他处理 has three rows; a 2019-format table dated 2024 lacks them.
    found = check_json(ws, table_2019(2024))
    assert found and {f["rule"] for f in found} <= {"GK016", "AR21-RESULTS-TOTAL"}
    assert any("申请人无正当理由逾期不补正" in f["message"] for f in found)


def test_a_table_of_a_year_no_format_covers_is_a_warning(ws: Workspace) -> None:
    found = check_json(ws, table_2019(2005))
    assert [(f["rule"], f["severity"], f["line"]) for f in found] == [("GK015", "warning", 2)]
    assert "2005" in found[0]["message"] and "2021–" in found[0]["message"]
    # Only the 2019 format in force, a 2024 table: a warning, not "0 findings".
    found = check_json(ws, table_2019(2024), "-r", "annual-report-2019-table")
    assert [f["rule"] for f in found] == ["GK015"] and "2019–2020" in found[0]["message"]


def test_a_table_none_of_whose_indicators_a_format_knows_is_a_warning(ws: Workspace) -> None:
    found = check_json(ws, "统计指标,统计数\n年度,2022\n某某指标,3\n")
    assert [(f["rule"], f["severity"]) for f in found] == [("GK015", "warning")]


def test_the_2021_format_fixtures_use_published_figures() -> None:
    text = (Path(__file__).resolve().parents[2] / "rulesets" / "tests" / "annual-report-2021-table"
            / "AR21-TABLE-THREE-pass" / "events.csv").read_text(encoding="utf-8")
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in text


def test_the_columnar_engine_reports_tables_as_the_reference_does(ws: Workspace) -> None:
    """Contract section 12: report tables (formats by year, GK015, GK016) give the same report on
    every engine; the columnar engine leaves them to the reference code, findings about formats too."""
    import pytest

    pytest.importorskip("duckdb")
    cases = [table_2019(), table_2019(renames={"（七）总计": "（七）合计"}), table_2019(2024), table_2019(2005),
             "".join(line for line in table_2019().splitlines(keepends=True) if not line.startswith("二、"))]
    for number, text in enumerate(cases):
        ws.write(f"t{number}.csv", text)
    files = [f"t{number}.csv" for number in range(len(cases))]
    reports = [ws.cli("check", *files, "--as-of", "2026-03-01", "--format", "json", "--engine", engine)
               for engine in ("python", "columnar")]
    assert reports[0].exit_code == reports[1].exit_code == 1
    assert {"GK015", "GK016"} <= {f["rule"] for f in __import__("json").loads(reports[0].stdout)["findings"]}
    assert reports[0].stdout == reports[1].stdout
