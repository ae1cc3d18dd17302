"""Configuration (contract section 6): ``gklint.toml`` or ``[tool.gklint]`` in ``pyproject.toml``,
found by walking up from the working directory, or ``--config FILE``. Command-line options
override the file. Relative paths in the file are relative to the file's folder.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from gklint.engines import NAMES as ENGINE_NAMES
from gklint.errors import ConfigError, closest
from gklint.reporters import NAMES as FORMATS

KEYS: dict[str, type | tuple[type, ...]] = {
    "rulesets": list, "paths": list, "calendar": str, "select": list, "ignore": list,
    "per_file_ignores": dict, "as_of": str, "lang": str, "units": list, "waivers": str,
    "columns": dict, "fail_on": str, "show_pending": bool, "format": str, "sheet": str, "engine": str,
    "ledger": dict, "timezone": str, "spark_master": str,
}
LEDGER_KEYS = ("case", "unit", "sheet", "events")
COLUMN_KEYS = ("date", "event", "case", "unit")
_TYPE_NAMES: dict[Any, str] = {list: "a list of strings", str: "a string", bool: "true or false", dict: "a table"}
CHOICES = {"lang": ("zh", "en"), "fail_on": ("error", "warning"), "format": FORMATS, "engine": ENGINE_NAMES}


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10
        import tomli as tomllib
    from gklint.ruleset.yamlio import MAX_BYTES, read_text

    try:
        # A regular file of at most MAX_BYTES, as every YAML file (a gklint.toml naming /dev/zero
        # or a 2 GB file is refused, not read).
        text = read_text(path, ConfigError, "configuration")
    except ConfigError as exc:
        if "not UTF-8" in exc.message:  # TOML is UTF-8 (a file saved as GBK by a Chinese editor is not)
            exc.hint = "Save it as UTF-8 (TOML files must be)."
        raise
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"TOML syntax error: {exc}", file=str(path), line=line,
                          hint="Check quotes, brackets and '=' on that line.") from None
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(f"the configuration is nested too deeply (gklint reads files of up to "
                          f"{MAX_BYTES >> 20} MiB and a few levels of tables)", file=str(path),
                          hint="A gklint.toml needs two levels at most: [columns] and per_file_ignores.") from None
    except ValueError as exc:  # an integer longer than Python reads (4300 digits)
        raise ConfigError(f"the configuration cannot be read: {exc}", file=str(path)) from None


def _line_in_table(path: Path, table: str, key: str) -> int | None:
    """The 1-based line of ``key = ...`` inside the ``[table]`` (or ``[tool.gklint.table]``)
    section of a TOML file, for the message; None when it cannot be found."""
    import re

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    inside = False
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    assignment = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(lines, 1):
        found = header.match(line)
        if found:
            inside = found.group(1).replace(" ", "") in (table, f"tool.gklint.{table}")
        elif inside and assignment.match(line):
            return number
    return None


def _mentions_gklint(path: Path) -> bool:
    """Whether a pyproject.toml can hold a [tool.gklint] table: one that never writes "gklint"
    cannot, and is not parsed (a records repository's pyproject.toml costs no TOML parser on
    every pre-commit run). One that cannot be read is parsed, so that :func:`_toml` says why."""
    try:
        with path.open("rb") as fh:
            return b"gklint" in fh.read(16 << 20)
    except OSError:
        return True


def find_config(start: Path | None = None, *, quiet: bool = False) -> Path | None:
    """The nearest gklint.toml, or pyproject.toml with a [tool.gklint] table, walking up from
    ``start`` (the working directory) -- but no higher than the repository root (the folder
    holding ``.git``) or the home folder, whichever comes first, and never into a folder that
    anyone may write to (``/tmp``): a configuration there, which chooses the files gklint reads,
    could have been put there by another user. Such a one is named in a warning, not used."""
    here = (start or Path.cwd()).resolve()
    home = _home()
    for folder in (here, *here.parents):
        candidates = [folder / "gklint.toml", folder / "pyproject.toml"]
        if _writable_by_anyone(folder):
            for candidate in candidates:
                if candidate.is_file() and not quiet:  # (quiet: the language is being decided)
                    from gklint.events import warn

                    warn(f"{candidate}: not used: anyone may write to {folder}; pass --config to use it")
            return None
        if candidates[0].is_file():
            return candidates[0]
        if candidates[1].is_file() and _mentions_gklint(candidates[1]) and "gklint" in _toml(candidates[1]).get("tool", {}):
            return candidates[1]
        if folder == home or (folder / ".git").exists():
            return None
    return None


def _home() -> Path | None:
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no $HOME and no password entry
        return None
    return home.resolve() if home.is_absolute() else None


def _writable_by_anyone(folder: Path) -> bool:
    """A folder others may write to (POSIX mode o+w, as /tmp is); never on Windows."""
    import stat

    if os.name != "posix":
        return False
    try:
        return bool(folder.stat().st_mode & stat.S_IWOTH)
    except OSError:
        return False


def load_config(path: Path) -> dict[str, Any]:
    """The validated settings of one file, with paths made relative to the working directory."""
    data = _toml(path)
    if path.name == "pyproject.toml":
        if "gklint" not in data.get("tool", {}):
            raise ConfigError("pyproject.toml has no [tool.gklint] table", file=str(path),
                              hint="Add a [tool.gklint] table, or point --config at a gklint.toml.")
        data = data["tool"]["gklint"]
    if isinstance(data.get("as_of"), dt.date):  # TOML's own date literal: as_of = 2019-01-31
        data["as_of"] = data["as_of"].isoformat()
    for key, value in data.items():
        if key not in KEYS:
            close = closest(key, KEYS)
            raise ConfigError(f"unknown key {key!r}", file=str(path),
                              hint=(f"Did you mean {close!r}? " if close else "") + f"Known keys: {', '.join(KEYS)}.")
        if not isinstance(value, KEYS[key]):
            raise ConfigError(f"{key!r} must be {_TYPE_NAMES.get(KEYS[key], 'another kind of value')}",
                              file=str(path), hint=f"Got {value!r}.")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key!r} must be a list of strings", file=str(path), hint=f"Got {value!r}.")
        if key in CHOICES and value not in CHOICES[key]:
            raise ConfigError(f"{key!r} must be one of {', '.join(CHOICES[key])}", file=str(path),
                              hint=f"Got {value!r}.")
    for table in ("columns", "per_file_ignores"):
        for key in data.get(table, {}):
            # TOML: every key after a table header belongs to that table, so `as_of = ...` written
            # below [columns] is a column mapping, not the setting. Say so instead of ignoring it.
            if key in KEYS:
                raise ConfigError(f"{key!r} belongs above [{table}]: in TOML every key after a table header is part "
                                  "of that table", file=str(path), line=_line_in_table(path, table, key),
                                  hint=f"Move {key} = ... above the [{table}] line (the top-level settings come first).")
    for key, value in data.get("columns", {}).items():
        # Any other key names an attribute (simple = "简单问题"); one spelled like a standard
        # column is taken for a typo of it.
        close = closest(key, COLUMN_KEYS, cutoff=0.7)
        if key not in COLUMN_KEYS and close:
            raise ConfigError(f"unknown column {key!r} in [columns]", file=str(path),
                              hint=f"Did you mean {close!r}? The standard columns are {', '.join(COLUMN_KEYS)}; "
                              "any other key names an attribute.")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"[columns] {key} must be the header text of a column", file=str(path),
                              hint=f'Got {value!r}; write e.g. {key} = "办理日期".')
    if "ledger" in data:
        data["ledger"] = _ledger(data["ledger"], path)
    for pattern, rules in data.get("per_file_ignores", {}).items():
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise ConfigError(f"per_file_ignores {pattern!r} must be a list of rule ids", file=str(path),
                              hint=f'Got {rules!r}; write e.g. "{pattern}" = ["GK004"].')
    base = path.parent

    def rel(p: str) -> str:
        """A path from the file, relative to the file's folder, spelled relative to the working
        directory (so reports name files as the user sees them)."""
        q = Path(p)
        if q.is_absolute():
            return str(q)
        try:
            return os.path.relpath(base / q)
        except ValueError:  # pragma: no cover - another Windows drive
            return str(base / q)

    if "rulesets" in data:
        data["rulesets"] = [rel(r) if r.endswith((".yaml", ".yml")) else r for r in data["rulesets"]]
    if "paths" in data:
        data["paths"] = [rel(p) for p in data["paths"]]
    if "waivers" in data:
        data["waivers"] = rel(data["waivers"])
    if "calendar" in data and data["calendar"].endswith((".yaml", ".yml")):
        data["calendar"] = rel(data["calendar"])
    data["__file__"] = str(path)
    return data


def _ledger(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """``[ledger]`` (contract section 10): ``case``, ``unit``, ``sheet`` (header texts, a sheet
    name) and ``[ledger.events]`` (date column header -> event kind)."""
    for key, value in table.items():
        if key not in LEDGER_KEYS:
            close = closest(key, LEDGER_KEYS)
            raise ConfigError(f"unknown key {key!r} in [ledger]", file=str(path),
                              hint=(f"Did you mean {close!r}? " if close else "")
                              + f"[ledger] takes {', '.join(LEDGER_KEYS)}.")
        if key == "events":
            if not isinstance(value, dict):
                raise ConfigError("[ledger] events must be a table of date column = event kind", file=str(path),
                                  hint='Write it as: [ledger.events] then "答复日期" = "request_answered".')
            for header, kind in value.items():
                if not isinstance(kind, str) or not kind.strip():
                    raise ConfigError(f"[ledger.events] {header!r} must name an event kind", file=str(path),
                                      hint=f'Got {kind!r}; write e.g. "{header}" = "request_answered".')
        elif not isinstance(value, str) or not value.strip():
            raise ConfigError(f"[ledger] {key} must be {'a sheet name' if key == 'sheet' else 'a column header'}",
                              file=str(path), hint=f'Got {value!r}; write e.g. {key} = "申请编号".')
    return {**table, "__file__": str(path)}


def _split(values: Any) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip() for x in str(v).split(",") if x.strip())
    return out


def build_check_request(opts: dict[str, Any], *, as_of: Any, default_lang: str, is_tty: bool) -> Any:
    """Merge the configuration file and the command line (which wins) into a CheckRequest."""
    from gklint.commands.check import CheckRequest

    config_file = opts.get("config_file")
    path = Path(config_file) if config_file else find_config()
    if config_file and not Path(config_file).is_file():
        raise ConfigError("no such configuration file", file=config_file, hint="Check the --config path.")
    cfg = load_config(path) if path else {}

    if as_of is None and "as_of" in cfg:
        from gklint.dates import parse_as_of

        try:
            as_of = parse_as_of(cfg["as_of"])
        except ValueError as exc:
            raise ConfigError(f"as_of: {exc}", file=cfg["__file__"]) from None

    sheets = opts.get("sheet") or ()
    if isinstance(sheets, str):
        sheets = (sheets,)
    if len(sheets) > 1:
        # Lines of two sheets of one workbook would be told apart by nothing in the findings.
        raise ConfigError(f"--sheet is given {len(sheets)} times ({', '.join(sheets)}); one worksheet of each workbook "
                          "is read", hint="Give --sheet once. To check several sheets, save each as a file of its own.")
    opts = {**opts, "sheet": sheets[0] if sheets else None}
    given = list(opts.get("paths") or ())
    config_paths = cfg.get("paths")
    if given and config_paths:
        # The whole record set is loaded (a response kept in another file still counts); only
        # findings in the given files are reported. A given file outside the set is added, once.
        from gklint.events import discover

        record_set = [str(p) for p in discover(config_paths)]
        given_files = [str(p) for p in discover(given)]
        known = {Path(p).resolve() for p in record_set}
        paths = list(record_set)
        for p in given_files:
            if Path(p).resolve() not in known:
                known.add(Path(p).resolve())
                paths.append(p)
        # A full check when a folder given covers the record set (`gklint check records/`); files
        # named one by one are a commit's (pre-commit passes file names), even when they are all
        # of them -- the first commit of a records repository is judged by its rows too, not by
        # the period findings of every year it covers (contract sections 6 and 14).
        whole = (any(Path(p).is_dir() for p in given)
                 and {Path(p).resolve() for p in given_files} >= {Path(p).resolve() for p in record_set})
        report_only: list[str] | None = None if whole else given_files  # None: report everything
    elif given:
        paths, report_only = given, None
    elif config_paths:
        paths, report_only = config_paths, None
    else:
        raise ConfigError("no event log given", hint="Name files or folders: gklint check events.csv "
                          "(or set paths = [...] in gklint.toml).")

    return CheckRequest(
        paths=paths,
        rulesets=list(opts.get("rulesets") or ()) or cfg.get("rulesets", []),
        as_of=as_of,
        output_format=opts.get("output_format") or cfg.get("format", "text"),
        output=opts.get("output"),
        select=_split(opts.get("select")) or cfg.get("select", []),
        ignore=_split(opts.get("ignore")) or cfg.get("ignore", []),
        fail_on=opts.get("fail_on") or cfg.get("fail_on", "error"),
        show_pending=bool(opts.get("show_pending") if opts.get("show_pending") is not None
                          else cfg.get("show_pending", False)),
        lang=opts.get("lang") or cfg.get("lang") or default_lang,
        calendar=opts.get("calendar") or cfg.get("calendar", "CN"),
        timezone=opts.get("timezone") or cfg.get("timezone"),
        units=cfg.get("units", []),
        columns=cfg.get("columns"),
        sheet=opts.get("sheet") or cfg.get("sheet") or cfg.get("ledger", {}).get("sheet"),
        ledger=cfg.get("ledger"),
        report_year=opts.get("report_year"),
        report_only=report_only,
        color=is_tty,
        statistics=bool(opts.get("statistics")),
        engine=opts.get("engine") or cfg.get("engine", "auto"),
        spark_master=opts.get("spark_master") or cfg.get("spark_master"),
        extra={"waivers": opts.get("waivers") or cfg.get("waivers"),
               "per_file_ignores": cfg.get("per_file_ignores", {}),
               "config_file": cfg.get("__file__")},
    )
