"""``gklint stats``: the 依申请公开 figures of an annual report, counted from an event log.

Counting is :mod:`gklint.stats` (pure); this module reads the log with the vocabulary of the
rulesets in force, writes the table (CSV a report table ``gklint check`` reads, or Markdown) and
prints notes on stderr. Every cell goes through :func:`gklint.output.escape_cell`.
"""
from __future__ import annotations

import csv
import datetime as dt
import shlex
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from gklint.display import for_terminal
from gklint.errors import EXIT_OK, ConfigError
from gklint.output import escape_cell, open_output
from gklint.stats import REQUEST_EVENTS, TEMPLATES, StatsTable, default_template, request_figures

FORMATS = ("csv", "markdown", "xlsx")  # the --format choices
XLSX_SUFFIXES = (".xlsx", ".xlsm")
FIRST_YEAR = 2008  # 国务院令第492号 took effect on 2008-05-01


@dataclass
class StatsRequest:
    paths: Sequence[str]
    year: int
    template: str | None = None
    output_format: str = "csv"
    output: str | None = None
    rulesets: Sequence[str] = ()
    lang: str = "en"
    columns: dict[str, str] | None = None
    sheet: str | None = None
    ledger: dict[str, Any] | None = None  # config [ledger] (contract section 10)


def build_stats_request(opts: dict[str, Any], *, default_lang: str) -> StatsRequest:
    """The command line merged with the configuration file (rulesets, paths, columns, sheet, lang)."""
    from gklint.config import find_config, load_config

    config_file = opts.get("config_file")
    if config_file and not Path(config_file).is_file():
        raise ConfigError("no such configuration file", file=config_file, hint="Check the --config path.")
    path = Path(config_file) if config_file else find_config()
    cfg = load_config(path) if path else {}
    paths = list(opts.get("paths") or ()) or cfg.get("paths", [])
    if not paths:
        raise ConfigError("no event log given", hint="Name files or folders: gklint stats --year 2019 events.csv "
                          "(or set paths = [...] in gklint.toml).")
    return StatsRequest(
        paths=paths, year=opts["year"], template=opts.get("template"),
        output_format=_output_format(opts.get("output_format"), opts.get("output")), output=opts.get("output"),
        rulesets=list(opts.get("rulesets") or ()) or cfg.get("rulesets", []),
        lang=opts.get("lang") or cfg.get("lang") or default_lang,
        columns=cfg.get("columns"), sheet=cfg.get("sheet") or cfg.get("ledger", {}).get("sheet"),
        ledger=cfg.get("ledger"))


def _output_format(chosen: str | None, output: str | None) -> str:
    """--format, else xlsx for ``-o FILE.xlsx``, else csv; exit 2 where the two disagree.

    A workbook is binary: it cannot go to stdout, and CSV or Markdown text in a file named .xlsx
    is a file Excel refuses to open.
    """
    to_file = output not in (None, "-")
    named_xlsx = to_file and Path(str(output)).suffix.lower() in XLSX_SUFFIXES
    fmt = chosen or ("xlsx" if named_xlsx else "csv")
    if fmt == "xlsx" and not to_file:
        raise ConfigError("--format xlsx writes a workbook, which needs a file", hint="Add -o FILE.xlsx.")
    if named_xlsx and fmt != "xlsx":
        raise ConfigError(f"-o {output} names an Excel workbook, but --format {fmt} writes text",
                          file=str(output), hint="Drop --format (or use --format xlsx) to write a workbook, "
                          "or name the file .csv or .md.")
    return fmt


def stats(request: StatsRequest, stderr: TextIO | None = None) -> int:
    """Count, write the table, print the notes; 0 on success (errors raise GklintError, exit 2)."""
    from gklint.commands.check import rulesets_in_force
    from gklint.dates import today_cst
    from gklint.engine import build_vocabulary
    from gklint.events import discover, read_events

    template, notes = _template(request.year, request.template)
    rulesets = rulesets_in_force(request.rulesets)
    vocabulary = build_vocabulary(rulesets)
    missing = [name for name in REQUEST_EVENTS[:2] if name not in vocabulary.labels]
    if missing:
        raise ConfigError(f"the rulesets in force do not declare the event kinds {', '.join(missing)}",
                          hint="Use a bundled ruleset (they include vocabulary.yaml) or declare them in yours.")
    # Rows dated after today are typing errors, not events: left out, and counted in the note.
    files = discover(request.paths)
    log = read_events(files, vocabulary, as_of=today_cst(), columns=request.columns, sheet=request.sheet,
                      ledger=request.ledger)
    table = request_figures(log.events, request.year, template)
    with open_output(request.output, inputs=[*files, *(rs.path for rs in rulesets)]) as out:
        if request.output_format == "xlsx":
            out.flush()
            write_xlsx(table, out.buffer)  # (a file: _output_format refused stdout)
            out.buffer.flush()
        elif request.output_format == "markdown":
            write_markdown(table, out)
        else:
            if request.output not in (None, "-"):
                out.write("\ufeff")  # a file is opened in Excel, which reads UTF-8 only after a BOM
            write_csv(table, out)
    notes += table.notes
    unused = Counter(f.rule for f in log.findings if f.rule != "GK012")  # GK012: a value in a report table
    if unused:
        notes.append(_unused_rows(unused, request.paths))
    if log.tables:
        notes.append({"zh": f"跳过了{len(log.tables)}个统计表文件（不是事件记录）",
                      "en": f"{len(log.tables)} report table files were skipped (not event logs)"})
    err = stderr or sys.stderr
    for note in notes:
        err.write(f"gklint: note: {for_terminal(note.get(request.lang) or note['en'])}\n")
    return EXIT_OK


def _template(year: int, chosen: str | None) -> tuple[str, list[dict[str, str]]]:
    """The template to use, with a note when it is not the year's; ConfigError for a year with no reports."""
    if not FIRST_YEAR <= year <= dt.MAXYEAR - 1:
        raise ConfigError(f"--year {year}: there are no annual reports of that year",
                          hint=f"Give a report year from {FIRST_YEAR} (the 2008 Regulations took effect on 2008-05-01).")
    expected = default_template(year)
    template = chosen or expected
    if template not in TEMPLATES:
        raise ConfigError(f"--template {template}: unknown template", hint=f"Use one of {', '.join(TEMPLATES)}.")
    if template != expected:
        return template, [{
            "zh": f"{year}年度报告使用{expected}年格式；按{template}年格式输出的表不在"
                  f"annual-report-{template}-table 规则集的适用年度内，gklint check 不会检查它",
            "en": f"{year} reports use the {expected} format; a {template}-format table for "
                  f"{year} is outside the years annual-report-{template}-table checks"}]
    return template, []


def _unused_rows(by_rule: Counter[str], paths: Sequence[str]) -> dict[str, str]:
    total = sum(by_rule.values())
    rules = ", ".join(f"{rule} x{n}" for rule, n in sorted(by_rule.items()))
    command = "gklint check " + " ".join(shlex.quote(p) for p in paths)
    return {"zh": f"未计入统计的行：{total}行（{rules}：未知事件类型、无法识别的日期、空的必填单元格、重复行等）；"
                  f"详见 {command}",
            "en": f"rows not counted: {total} ({rules}: unknown event kinds, unreadable dates, empty "
                  f"required cells, duplicates...); run {command} for details"}


def write_csv(table: StatsTable, out: IO[str]) -> None:
    """The table as a report table CSV (narrow for 2008, wide for 2019)."""
    writer = csv.writer(out, lineterminator="\n")
    for row in table.grid():
        writer.writerow([escape_cell(cell) for cell in row])


def write_xlsx(table: StatsTable, out: IO[bytes]) -> None:
    """The table as a workbook of one sheet, laid out as the CSV (a report table gklint check reads).

    Counts are numbers; every text cell goes through :func:`escape_cell` and is stored as text,
    so that no cell is a formula. The header row is frozen.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "统计表"
    header, *rows = table.grid()
    value_columns = {i for i, name in enumerate(header) if name in table.columns}
    for r, cells in enumerate([header, *rows], start=1):
        for c, text in enumerate(cells):
            if r > 1 and c in value_columns and text.isdigit():
                sheet.cell(row=r, column=c + 1, value=int(text))
            elif text:
                cell = sheet.cell(row=r, column=c + 1, value=escape_cell(text))
                cell.data_type = "s"  # text, never a formula, whatever it begins with
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 48
    book.save(out)


def write_markdown(table: StatsTable, out: IO[str]) -> None:
    """The same table as a GitHub-flavoured Markdown table (numbers right-aligned)."""
    header, *rows = table.grid()
    out.write(_md_row(header))
    out.write("|" + "|".join([" --- "] + [" ---: " if name != "单位" else " --- " for name in header[1:]]) + "|\n")
    out.writelines(_md_row(row) for row in rows)


def _md_row(cells: Sequence[str]) -> str:
    escaped = (escape_cell(c).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
               for c in cells)
    return "| " + " | ".join(escaped) + " |\n"
