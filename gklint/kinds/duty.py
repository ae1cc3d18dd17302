"""Whose duty a per-unit rule is: the ``units`` key of ``due`` and ``count`` (with ``for_each: unit``).

Without ``units`` a per-unit rule checks every unit that appears in the log during the period,
and every unit listed in config ``units`` (contract section 4). Plans usually say who must act:
"局机关各部门、专利局综合管理部门及专利复审委员会" (CNIPA 2016), "各项工作的牵头部门和责任部门"
(CNIPA 2018/2019). ``units`` says it in the rule:

* ``units: [办公室, 条法司]`` -- exactly these units;
* ``units: {event: task_assigned}`` (any event reference, ``where`` allowed) -- the units named on
  the matching events dated in the period: e.g. the units that were assigned plan items;
* ``units: config`` -- exactly the units listed in config ``units`` (the office's list of the
  departments the duty falls on).

Only those units are checked; a unit outside them that happens to act is neither counted as
obliged nor reported. When the source names no unit (``config`` with no config ``units``, or no
matching event names a unit in the period), the rule cannot tell who must act: it says so once
with an ``unknown`` finding instead of passing silently.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from gklint.kinds.base import EVENT_REF_SCHEMA, CompileContext, CompileError, EvalContext, EventRef, Problem
from gklint.model import Period, msg

SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
        {"type": "object", "required": ["event"], "additionalProperties": False,
         "properties": {"event": EVENT_REF_SCHEMA}},
        {"const": "config"},
    ],
}


class Units(NamedTuple):
    """A compiled ``units`` value: one of ``names``, ``source`` or ``config`` is set."""

    names: tuple[str, ...] = ()
    source: EventRef | None = None
    config: bool = False


def compile_units(spec: dict[str, Any], ctx: CompileContext, for_each: str | None) -> Units | None:
    """The ``units`` value of a rule spec, or None when it has none."""
    value = spec.get("units")
    if value is None:
        return None
    if for_each != "unit":
        raise CompileError("units needs for_each: unit", ["units"],
                           hint="units says which units a per-unit rule checks; add for_each: unit.")
    if value == "config":
        return Units(config=True)
    if isinstance(value, list):
        names = tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
        if not names:
            raise CompileError("units lists no unit", ["units"])
        return Units(names=names)
    if isinstance(value, dict) and "event" in value:
        return Units(source=ctx.ref(value["event"], ["units", "event"]))
    raise CompileError("units must be a list of unit names, {event: EVENT} or config", ["units"])


def describe_units(units: Units | None, lang: str, label: Any) -> str:
    """The units clause of a rule's description ('' without ``units``)."""
    if units is None:
        return ""
    if units.names:
        return f"（须报送的部门：{'、'.join(units.names)}）" if lang == "zh" else f" (units: {', '.join(units.names)})"
    if units.config:
        return "（须报送的部门：配置文件 units 所列）" if lang == "zh" else " (units: those listed in config units)"
    assert units.source is not None
    ref = units.source.describe(lambda n: label(n, lang), lang)
    return f"（须报送的部门：当期“{ref}”记录中的部门）" if lang == "zh" else f" (units: those named on '{ref}' events of the period)"


def duty_units(units: Units, ctx: EvalContext, period: Period) -> list[str]:
    """The units the rule checks in ``period`` (sorted); empty when its source names none."""
    if units.names:
        return sorted(units.names)
    if units.config:
        return sorted({str(u) for u in ctx.units if str(u).strip()})
    assert units.source is not None
    found = {str(ev.unit) for ev in ctx.index.in_window(units.source, period.start, period.end)
             if ev.unit is not None and str(ev.unit).strip()}
    return sorted(found)


def no_units_problem(units: Units, period: Period, label: Any) -> Problem:
    """``unknown``: the rule's source of units names none, so nobody can be checked."""
    if units.config:
        return Problem("unknown", msg(
            "此规则只检查配置文件中 units 所列的部门，但没有列出任何部门：无法判断谁须履行此项义务；"
            "请在 gklint.toml 中写 units = [\"办公室\", …]",
            "this rule checks only the units listed in config units, and none are listed: it cannot tell "
            "who must act; list them in gklint.toml (units = [\"办公室\", ...])"), period=str(period))
    assert units.source is not None
    zh = units.source.describe(lambda n: label(n, "zh"), "zh")
    en = units.source.describe(lambda n: label(n, "en"), "en")
    return Problem("unknown", msg(
        f"{period.label('zh')}没有任何“{zh}”记录注明部门（unit）：无法判断哪些部门须履行此项义务",
        f"no '{en}' event of {period} names a unit: cannot tell which units must act"), period=str(period))

