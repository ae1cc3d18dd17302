"""table: arithmetic checks of a report table, and reconciliation with the event log (contract §7).

``table: {assert: EXPR}`` -- EXPR is a condition in :mod:`gklint.tables.expr` over indicator
names. When EXPR is ``A and B and …`` each part is checked and reported on its own, so one rule
can check a whole family of rows (``X[总计] == …`` for every row) and each failing row gets its
own finding. ``table: {reconcile: {indicator: NAME, count: EVENT_REF}}`` -- the indicator must
equal the number of matching events dated in the report's year. Optional ``blank: error`` makes
a blank cell named by the rule a finding (``invalid`` on its line) instead of counting as 0.

PASS: ``收到申请数 == 当面申请数 + 传真申请数 + 网络申请数 + 信函申请数`` on 10 = 0 + 0 + 8 + 2.
FAIL: ``从事政府信息公开工作人员数 == 专职人员数 + 兼职人员数`` on 0 vs 0 + 2 -> ``invalid`` on the line
of 从事政府信息公开工作人员数 (an assert's finding is on the row of the first indicator of its left
side): ``从事政府信息公开工作人员数 = 0，但 专职人员数 0 + 兼职人员数 2 = 2``.

Choices where the contract is silent:

* A rule none of whose indicators is in the table does not apply to it (it is another
  template) and yields nothing. When only some are missing, each missing or ambiguous name is
  an ``unknown`` finding with its position in the expression and a did-you-mean.
* A cell that is not a number is reported once by the reader (``BadValue``); parts of rules
  that use it are skipped rather than reported again.
* Division by zero makes the part ``unknown``, not ``invalid``.
* Reconcile rules need an event log: when none was given, :func:`evaluate_table` yields nothing
  (callers may say so once with :func:`needs_event_log`); a table without a year gives an
  ``unknown`` finding asking for a ``年度`` row or ``--period``.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, DecimalException
from typing import Any, NamedTuple

from gklint.errors import closest
from gklint.kinds.base import EVENT_REF_SCHEMA, CompileContext, CompileError, EvalContext, EventRef, Problem
from gklint.model import msg
from gklint.tables import expr as ex
from gklint.tables.expr import (
    Compare,
    Expr,
    ExprError,
    Name,
    Undefined,
    conjuncts,
    explain,
    fmt,
    is_condition,
    names,
    parse,
)
from gklint.tables.reader import ReportTable, TableRow

NAME = "table"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "assert": {"type": "string", "minLength": 1},
        "reconcile": {
            "type": "object", "required": ["indicator", "count"], "additionalProperties": False,
            "properties": {"indicator": {"type": "string", "minLength": 1}, "count": EVENT_REF_SCHEMA},
        },
        "blank": {"enum": ["zero", "error"]},
    },
    "oneOf": [{"required": ["assert"]}, {"required": ["reconcile"]}],
}

_CENT = Decimal("0.01")
EventsInYear = Callable[[Any, int], int]  # (the rule's count reference, year) -> number of events
TableProblem = Problem  # status, message {zh, en}, file, line, period: what the engine stamps


class TableRuleError(CompileError):
    """A ``table:`` value that cannot be used; ``position`` is 0-based in ``expression``."""

    def __init__(self, message: str, rule_id: str = "", position: int | None = None, expression: str = "",
                 path: tuple[str, ...] = ()) -> None:
        self.rule_id, self.position, self.expression = rule_id, position, expression
        excerpt = ExprError("", position, expression).excerpt if position is not None else None
        where = f" at column {position + 1}" if position is not None else ""
        owner = f"rule {rule_id}: " if rule_id else ""
        super().__init__(f"{owner}table.{'.'.join(path) or 'value'}: {message}{where}", path, hint=excerpt)


class CompiledTable(NamedTuple):
    rule_id: str
    source: str  # the assert expression, or the reconcile indicator, as written
    expr: Expr | None  # assert
    indicator: Name | None  # reconcile
    count: Any  # reconcile: an EventRef (compiled by the ruleset loader) or the reference as written
    blank: str  # zero | error

    @property
    def names(self) -> list[Name]:
        """The indicators the rule names, with positions (to check them against a table)."""
        return names(self.expr) if self.expr is not None else [self.indicator] if self.indicator else []

    @property
    def needs_event_log(self) -> bool:
        return self.indicator is not None


def compile(spec: Mapping[str, Any], rule_id: str | CompileContext = "") -> CompiledTable:
    """Check and parse a ``table:`` value; TableRuleError (a ValueError) names rule and position.

    The ruleset loader passes its CompileContext in place of ``rule_id`` (it names the rule
    itself and checks the ``count`` event reference against the declared events).
    """
    ctx = rule_id if isinstance(rule_id, CompileContext) else None
    rid = "" if ctx is not None else str(rule_id)
    if not isinstance(spec, Mapping):
        raise TableRuleError("expected {assert: EXPR} or {reconcile: {indicator: NAME, count: EVENT}}", rid)
    unknown = sorted(set(spec) - {"assert", "reconcile", "blank"})
    if unknown or ("assert" in spec) == ("reconcile" in spec):
        raise TableRuleError("needs exactly one of assert or reconcile (and optionally blank)"
                             + (f", not {', '.join(map(str, unknown))}" if unknown else ""), rid)
    blank = spec.get("blank", "zero")
    if blank not in ("zero", "error"):
        raise TableRuleError(f"blank must be zero or error, not {blank!r}", rid, path=("blank",))
    if "assert" in spec:
        source = str(spec["assert"])
        try:
            expr = parse(source)
        except ExprError as exc:
            raise TableRuleError(exc.message, rid, exc.position, source, ("assert",)) from None
        if not is_condition(expr):
            raise TableRuleError("an assert must be a comparison, such as A == B + C", rid, 0, source, ("assert",))
        return CompiledTable(rid, source, expr, None, None, blank)
    recon = spec["reconcile"]
    if not isinstance(recon, Mapping) or not {"indicator", "count"} <= set(recon):
        raise TableRuleError("reconcile needs indicator and count", rid, path=("reconcile",))
    source = str(recon["indicator"])
    try:
        indicator = parse(source)
    except ExprError as exc:
        raise TableRuleError(exc.message, rid, exc.position, source, ("reconcile", "indicator")) from None
    if not isinstance(indicator, Name):
        raise TableRuleError("indicator must be one indicator name (quote it with `…` if it has blanks "
                             "or operators)", rid, 0, source, ("reconcile", "indicator"))
    count = ctx.ref(recon["count"], ["reconcile", "count"]) if ctx is not None else recon["count"]
    return CompiledTable(rid, source, None, indicator, count, blank)


def evaluate_table(compiled: CompiledTable, table: ReportTable,
                   events_in_year: EventsInYear | None = None, *,
                   report_missing: bool = True) -> Iterator[TableProblem]:
    """Problems of one rule on one table: ``invalid`` on the failing row, ``unknown`` otherwise.

    ``report_missing=False`` leaves names the table lacks to :func:`format_problems`, which reports
    them once per table for all the rules in force (the engine's way).
    """
    period = str(table.year) if table.year is not None else None
    rows, problems, ambiguous = _resolve(compiled, table, period, report_missing)
    if not rows and not ambiguous:
        return  # none of its indicators is in this table: another template
    yield from problems
    reported_blanks: set[int] = set()
    if compiled.indicator is not None:
        parts: tuple[Expr, ...] = (compiled.indicator,)
    else:
        assert compiled.expr is not None
        parts = conjuncts(compiled.expr)
    for part in parts:
        used = [rows.get(n.name) for n in names(part)]
        if any(row is None or row.bad for row in used):
            continue  # a missing name is reported above; a bad cell by the reader
        if compiled.blank == "error" and any(row is not None and row.value is None for row in used):
            for row in used:
                if row is not None and row.value is None and row.line not in reported_blanks:
                    reported_blanks.add(row.line)
                    yield Problem("invalid", msg(f"“{row.name}”为空：此规则要求填写（没有就填 0）",
                                                 f"{row.name!r} is blank: this rule needs a number (0 for none)"),
                                  file=table.path, line=row.line, period=period)
            continue
        values = {n.name: rows[n.name].value for n in names(part)}
        line = _line_of(part, rows)
        if compiled.indicator is not None:
            yield from _reconcile(compiled, table, values[compiled.indicator.name], line, events_in_year)
            continue
        result = ex.evaluate(part, values)
        if isinstance(result, Undefined) or result is False:
            yield Problem("unknown" if isinstance(result, Undefined) else "invalid",
                          msg(explain(part, values, "zh"), explain(part, values, "en")),
                          file=table.path, line=line, period=period)


def _resolve(compiled: CompiledTable, table: ReportTable, period: str | None,
             report_missing: bool = True) -> tuple[dict[str, TableRow], list[TableProblem], bool]:
    """The row of each name the rule uses, an ``unknown`` problem for each name that has none,
    and whether some name is ambiguous."""
    rows: dict[str, TableRow] = {}
    problems: list[TableProblem] = []
    ambiguous = False
    unresolved: set[str] = set()
    for name in compiled.names:
        if name.name in rows or name.name in unresolved:
            continue
        found = table.resolve(name.text)
        if found.row is not None:
            rows[name.name] = found.row
            continue
        unresolved.add(name.name)
        if found.candidates:
            ambiguous = True
            options = "、".join(found.candidates)
            m = msg(f"规则中的指标“{name.text}”在表中有歧义，可指：{options}；请在规则中写成 上级/指标",
                    f"the rule's indicator {name.text!r} is ambiguous in this table: it may mean "
                    f"{', '.join(found.candidates)}; write PARENT/LABEL in the rule")
        elif not report_missing:
            continue
        else:
            close = closest(name.name, table.names())
            m = msg(f"表中没有指标“{name.text}”" + (f"，是否应为“{close}”？" if close else ""),
                    f"the table has no indicator {name.text!r}" + (f"; did you mean {close!r}?" if close else ""))
        problems.append(Problem("unknown", m, file=table.path, line=None, period=period))
    return rows, problems, ambiguous


def _line_of(part: Expr, rows: Mapping[str, TableRow]) -> int | None:
    """The failing row: the first indicator on the left of a comparison, else the first named."""
    named = (names(part.left) if isinstance(part, Compare) else []) or names(part)
    return rows[named[0].name].line if named else None


def _reconcile(compiled: CompiledTable, table: ReportTable, value: Decimal | None, line: int | None,
               events_in_year: EventsInYear | None) -> Iterator[TableProblem]:
    if events_in_year is None:
        return  # no event log given: skipped (see needs_event_log)
    assert compiled.indicator is not None
    if table.year is None:
        yield Problem("unknown", msg(
            f"无法与事件记录核对“{compiled.source}”：报告年度未知，请在表中加一行“年度”或使用 --period",
            f"cannot reconcile {compiled.source!r} with the event log: the report's year is unknown; "
            "add a 年度 row to the table or pass --period"), file=table.path, line=line)
        return
    count = events_in_year(compiled.count, table.year)
    shown = fmt(value) if value is not None else "0（空）"
    try:
        same = Decimal(count).quantize(_CENT) == (value or Decimal(0)).quantize(_CENT)
    except DecimalException:  # a value past 28 digits (quantize cannot hold it) is no count of a log
        same = False
    if not same:
        ref_zh, ref_en = _ref_text(compiled.count, "zh"), _ref_text(compiled.count, "en")
        yield Problem("invalid", msg(
            f"{compiled.indicator.text} = {shown}，但事件记录中 {ref_zh} 为 {count} 条（{table.year}年）",
            f"{compiled.indicator.text} = {shown.replace('（空）', ' (blank)')}, but the event log has "
            f"{count} {ref_en} events in {table.year}"), file=table.path, line=line, period=str(table.year))


def _ref_text(ref: Any, lang: str, label: Callable[[str, str], str] | None = None) -> str:
    """An event reference in words: its name (or label) and its ``where`` filter."""
    if hasattr(ref, "describe"):
        return str(ref.describe(lambda name: label(name, lang) if label else name, lang))
    if isinstance(ref, Mapping):
        where = ", ".join(f"{k}={v}" for k, v in (ref.get("where") or {}).items())
        event = str(ref.get("event"))
        return event if not where else f"{event}（{where}）" if lang == "zh" else f"{event} ({where})"
    return str(ref)


def needs_event_log(compiled: CompiledTable) -> bool:
    """True for reconcile rules: without an event log they are skipped (say so once, as info)."""
    return compiled.needs_event_log


def describe(rule: CompiledTable, lang: str, label: Callable[[str, str], str] | None = None) -> str:
    """The rule in words, for ``gklint explain``."""
    if rule.expr is not None:
        text = ex.render(rule.expr)
        return f"报告统计表须满足：{text}" if lang == "zh" else f"The report table must satisfy: {text}"
    ref = _ref_text(rule.count, lang, label)
    if lang == "zh":
        return f"报告统计表中“{rule.source}”须等于报告年度事件记录中 {ref} 的条数。"
    return f"The report table's {rule.source!r} must equal the number of {ref} events in the report's year."


def evaluate(rule: CompiledTable, ctx: EvalContext) -> Iterator[TableProblem]:
    """The registry entry point: every ReportTable in ``ctx.tables`` whose year is in the window.

    The engine reads each table once (``gklint.tables.read_table``) and passes the
    ``ReportTable`` values; a table without a year is checked whatever the window.
    """
    has_log = ctx.index.first_date is not None

    def events_in_year(ref: Any, year: int) -> int:
        if not isinstance(ref, EventRef):  # compiled without the loader's context
            name = ref if isinstance(ref, str) else ref["event"]
            ref = CompileContext(events={name: {}}, suggest=lambda _: None).ref(ref, [])
        return sum(1 for ev in ctx.index.select(ref) if ev.date.year == year)

    for table in ctx.tables:
        if not isinstance(table, ReportTable):
            raise TypeError("ctx.tables must hold ReportTable values (gklint.tables.read_table)")
        if table.year is not None and not (
                (ctx.window_from is None or ctx.window_from.year <= table.year)
                and (ctx.window_until is None or table.year <= ctx.window_until.year)):
            continue
        yield from evaluate_table(rule, table, events_in_year if has_log else None, report_missing=False)


# --- the format in force for a table: which one, and indicators it does not know ----------------------

FormatEntry = tuple[str, CompiledTable, Any, Any]  # (rule id, compiled, window_from, window_until)
UNCHECKED_TABLE = "GK015"  # a report table no format in force checks (its year, or none applies)
UNKNOWN_INDICATOR = "GK016"  # an indicator the format does not know, with a did-you-mean


def _in_window(entry: FormatEntry, year: int | None) -> bool:
    _, _, start, until = entry
    return year is None or ((start is None or start.year <= year) and (until is None or year <= until.year))


def _years(entries: list[FormatEntry]) -> str:
    spans = sorted({(e[2].year if e[2] else None, e[3].year if e[3] else None) for e in entries},
                   key=lambda s: (s[0] or 0, s[1] or 9999))
    return "、".join(f"{a or ''}–{b or ''}" for a, b in spans)


def _split(name: Name) -> tuple[str, str | None]:
    """``LABEL[COLUMN]`` -> (LABEL, COLUMN), as the rule writes it."""
    from gklint.tables.labels import normalise, unify

    written = unify(name.text)
    if written.endswith("]") and "[" in written:
        base, _, column = written[:-1].rpartition("[")
        return base, normalise(column)
    return written, None


def format_problems(entries: list[FormatEntry], tables: list[ReportTable]) -> Iterator[TableProblem]:
    """Per table: GK015 when no format in force checks it, GK016 for indicators it does not know.

    A table of a year that no table rule in force covers, or one that has none of the indicators
    of the formats in force for its year, is a warning (never a silent pass). Among the formats
    that do apply, a name the rules use and the table lacks is matched to the table's rows (and
    columns) that no rule uses: each such row close to a missing name is one finding, "unknown
    indicator 合计; did you mean 总计?", on its line; the missing names matched to no row are one
    finding for the table.
    """
    from gklint.tables.labels import normalise, normalise_name

    for table in tables:
        period = str(table.year) if table.year is not None else None
        line = table.year_line
        in_force = [e for e in entries if _in_window(e, table.year)]
        if not in_force:
            covered = _years(entries)
            yield Problem("unknown", msg(
                f"报告统计表未检查：没有适用于{table.year}年度的统计表格式"
                + (f"（在用的格式覆盖的年度：{covered}）" if covered else "（没有在用的统计表规则集）")
                + "；请核对“年度”行或 --period，或用 -r 指定规则集",
                f"report table not checked: no table format in force covers {table.year}"
                + (f" (the formats in force cover {covered.replace('、', ', ')})" if covered
                   else " (no table ruleset is in force)")
                + "; check the 年度 row or --period, or name a ruleset with -r"),
                file=table.path, line=line, period=period, rule=UNCHECKED_TABLE, severity="warning")
            continue
        applying = [e for e in in_force
                    if any(table.resolve(n.text).row is not None for n in e[1].names)]
        if not applying:
            which = "、".join(sorted({e[0].split("-")[0] for e in in_force}))
            yield Problem("unknown", msg(
                f"报告统计表未检查：表中没有任何一个{'' if table.year is None else f'{table.year}年度'}格式的指标"
                f"（{which}）；请核对表头和指标名称是否与模板一致",
                f"report table not checked: it has none of the indicators of the format"
                f"{'' if table.year is None else f' for {table.year}'} ({which.replace('、', ', ')}); check "
                "that its header and indicator labels are the template's"),
                file=table.path, line=line, period=period, rule=UNCHECKED_TABLE, severity="warning")
            continue
        yield from _unknown_indicators(table, applying, period, normalise, normalise_name)


def _unknown_indicators(table: ReportTable, applying: list[FormatEntry], period: str | None,
                        normalise: Callable[[str], str], normalise_name: Callable[[str], str]) -> Iterator[Problem]:
    known_labels: set[str] = set()
    known_columns: set[str] = set()
    missing_labels: dict[str, str] = {}  # normalised last segment -> as written
    missing_columns: dict[str, str] = {}
    for _, compiled, _, _ in applying:
        for name in compiled.names:
            base, column = _split(name)
            last = normalise_name(base).rsplit("/", 1)[-1]
            known_labels.add(last)
            if column:
                known_columns.add(column)
            found = table.resolve(name.text)
            if found.row is not None or found.candidates:
                continue  # (an ambiguous name is the rule's to report)
            if column and any(table.resolve(f"{base}[{c}]").row is not None for c in table.columns):
                missing_columns.setdefault(column, column)  # the row is there, the column is not
            else:
                missing_labels.setdefault(last, base)
    parents = {row.parent for row in table.rows if row.parent}
    unknown_rows: dict[str, int] = {}
    for row in table.rows:
        label = normalise(row.label)
        base_name = row.name.rsplit("[", 1)[0] if row.column is not None else row.name
        if label in known_labels or base_name in parents or label in unknown_rows:
            continue
        unknown_rows[label] = row.line
    unknown_columns = [c for c in table.columns if c not in known_columns]
    paired: set[str] = set()
    for kind, missing, unknown in (("row", missing_labels, list(unknown_rows)), ("column", missing_columns, unknown_columns)):
        best: dict[str, tuple[float, str]] = {}
        for wanted in missing:
            # (cutoff 0.5: a two-character label renamed by one character, 总计 -> 合计, is exactly 0.5 alike)
            match = closest(wanted, unknown, cutoff=0.5)
            if match is not None:
                score = difflib.SequenceMatcher(None, wanted, match).ratio()
                if match not in best or score > best[match][0]:
                    best[match] = (score, wanted)
        for written, (_, wanted) in best.items():
            paired.add(f"{kind}:{wanted}")
            where = unknown_rows.get(written) if kind == "row" else table.column_lines.get(written, table.header_line)
            what_zh, what_en = ("指标", "indicator") if kind == "row" else ("列", "column")
            yield Problem("invalid", msg(
                f"未知{what_zh}：{written}；是否应为“{wanted}”？（模板的{what_zh}名称须一致，否则用到它的检查都不能做）",
                f"unknown {what_en}: {written}; did you mean {wanted}? (the template's {what_en} labels must be kept, "
                "or the checks that use it cannot be made)"),
                file=table.path, line=where, period=period, rule=UNKNOWN_INDICATOR, severity="error")
    rest = [w for w in missing_labels if f"row:{w}" not in paired] + [
        f"[{c}]" for c in missing_columns if f"column:{c}" not in paired]
    if rest:
        yield Problem("unknown", msg(
            f"表中没有以下指标，用到它们的检查未做：{'、'.join(rest)}",
            f"the table lacks these indicators, so the checks that use them were not made: {', '.join(rest)}"),
            file=table.path, line=None, period=period, rule=UNKNOWN_INDICATOR, severity="error")
