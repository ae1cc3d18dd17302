"""``gklint init [FOLDER]``: start a project: ``gklint.toml``, ``waivers.yaml`` and
``.pre-commit-config.yaml``.

Every configuration key is written, commented out at its default, with a note in Chinese and
English; uncommenting any line gives a valid file. ``paths`` is set to the folders that hold the
event logs found under FOLDER, and ``rulesets`` to the rulesets in force by default plus the work
plans chosen (``-r``, or ``--interactive`` on a terminal): a plan binds only its issuer's units, so
it is in force only when named (contract section 14). An existing file is never overwritten: it
is named and left alone (for ``.pre-commit-config.yaml`` the hook to add is printed), and the run
still succeeds (exit 0), so ``init`` is safe to re-run.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from gklint.errors import EXIT_OK, ConfigError

CONFIG_TEMPLATE = """\
# gklint 配置文件 / gklint configuration
# 文档 / docs: gklint check --help；以 # 开头的行是注释，去掉 # 即生效（值为示例或默认值）。
# Lines starting with # are comments; remove the # to use a setting (values shown are examples or defaults).
# 相对路径以本文件所在文件夹为准。Relative paths are relative to this file's folder.

# 适用的规则集：内置规则集编号或 YAML 文件路径。不写时只适用约束所有机关的规则集（{defaults}），
# 各在其有效期内；工作要点只约束发文单位，须写在这里才适用（内置：{plans}）。
# Rulesets in force: bundled ids or YAML paths. Without this key only the rulesets that bind every
# office are in force ({defaults}), each within its window; a work plan binds its issuer's units
# and is in force only when listed here (bundled: {plans}).
{rulesets_line}

# 台账（记录集）的文件和文件夹。pre-commit 钩子会读入全部记录，只报告与本次提交的文件有关的问题。
# The files and folders that form the log. The pre-commit hook loads them all and reports the findings
# that belong to the committed files.
{paths_line}

# 工作日历：CN（国务院办公厅放假安排），或日历覆盖文件（本地放假、调休）。
# Working-day calendar: CN (State Council schedule), or an overlay YAML file (local days off).
# calendar = "CN"

# 日志时间所在的时区（IANA 名称）；默认为日历所在时区（CN 为 Asia/Shanghai）。带时区偏移的时间换算到该时区。
# The IANA zone the log's times are in (default: the calendar's; Asia/Shanghai for CN). Times with an
# offset are converted to it.
# timezone = "Asia/Shanghai"

# 只检查这些规则（可用通配符）；默认全部。Only these rules (globs); default: all.
# select = ["SH21-*"]

# 不检查这些规则。Skip these rules.
# ignore = ["GK004"]

# 某些文件不检查某些规则（文件通配符 = 规则列表）。Skip some rules in some files (file glob = rule list).
# per_file_ignores = {"records/2017/*.csv" = ["GK004", "GK006"]}

# 检查日期；默认今天（北京时间）。固定它，结果可复现。
# The date the check is made on; default: today in China Standard Time. Pin it for reproducible runs.
# as_of = "2019-01-31"

# 输出语言 zh 或 en；默认随系统语言。Message language zh or en; default: from the locale.
# lang = "zh"

# 按部门检查时（for_each: unit），即使某部门在台账中没有记录，也要检查的部门。
# Units checked by per-unit rules (for_each: unit) even when they have no row in the log.
# units = ["办公室", "条法司"]

# 豁免清单（每条须有理由和批准人）。Waivers file (each waiver needs a reason and an approver).
waivers = "waivers.yaml"

# 达到哪一级别时退出状态为 1：error 或 warning。Lowest severity that makes the exit status 1.
# fail_on = "error"

# 是否也报告尚未到期的事项。Also report deadlines not yet due.
# show_pending = false

# 输出格式。Output format: {formats}.
# format = "text"

# .xlsx 文件读取的工作表；默认第一个。Worksheet of .xlsx files; default: the first.
# sheet = "台账"

# 检查引擎：auto（按输入大小选择）、python（参照实现）、columnar（大台账）或 spark（集群）；结果相同。
# Engine: auto (by the size of the input), python (the reference), columnar (large logs) or spark
# (a cluster; pip install 'gklint[spark]'); same report.
# engine = "auto"

# spark 引擎的 Spark master；默认 local[*]（本机全部核心）。The spark engine's master; default local[*].
# spark_master = "local[*]"

# 表头映射：把台账的列名对应到 date（日期）、event（事件）、case（编号）、unit（部门）。
# Map your headers to date, event, case and unit.
# [columns]
# date = "办理日期"
# event = "事项"
# case = "文号"
# unit = "承办部门"

# 台账（每个案件一行，每个环节一列日期）：编号列、部门列、工作表，以及日期列对应的事件类型。
# 词表已声明的列（收到申请日期、答复日期、留言日期……）无需配置。
# Case ledgers (one row per case, a date column per step): the case and unit columns, the sheet,
# and which event each date column records. Columns the vocabulary declares need no mapping.
# [ledger]
# case = "申请编号"
# unit = "承办部门"
# sheet = "台账"
# [ledger.events]
# "收文日期" = "request_received"
"""

LEDGER_EXAMPLE = "# [ledger]\n"  # where the template's commented [ledger] example starts

WAIVERS_TEMPLATE = """\
# gklint 豁免清单 / gklint waivers
#
# 每条豁免使一个问题显示为 waived（已豁免），不再导致检查失败。审计需要知道理由和批准人，
# 所以 reason 和 approved_by 必填；expires 之后豁免失效（GK020 警告）；没有匹配任何问题的
# 豁免会被提示（GK021），以免清单过时。编号、期间请加引号，例如 case: "010"。
#
# Each waiver marks one finding `waived`: it is still reported but no longer fails the run.
# reason and approved_by are required (auditors need both); after `expires` the waiver stops
# working (warning GK020); a waiver that matches nothing is reported as stale (GK021).
# Quote case numbers and periods, e.g. case: "010" (YAML reads 010 as the number 8).
#
# 键 / keys: rule (规则编号，可用通配符 / id or glob), case, period, unit, file (至少一项 /
# at least one), reason, approved_by, expires (可选 / optional, YYYY-MM-DD).
#
# - rule: SH21-REPLY-5WD
#   case: "Q-2021-0117"
#   reason: 申请人书面同意延期答复 / the applicant agreed in writing to a later reply
#   approved_by: 办公室 张三
#   expires: 2022-06-30
#
# - rule: CNIPA18-*
#   period: "2018"
#   unit: 条法司
#   reason: 机构改革期间职能调整 / functions moved during the 2018 reorganisation
#   approved_by: 政务公开领导小组
[]
"""

PRECOMMIT_SNIPPET = """\
# .pre-commit-config.yaml —— 提交台账时自动检查 / check the log on every commit
# (uses the gklint installed on this machine; see docs/precommit.md for the remote-repository form)
repos:
  - repo: local
    hooks:
      - id: gklint
        name: gklint (政务公开台账检查)
        entry: gklint check
        language: system
        files: \\.(csv|tsv|jsonl|xlsx|xls|et|parquet|xes|xes\\.gz)$
        exclude: (^|/)~\\$
        require_serial: true
"""


SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
MAX_SEARCHED = 20000  # entries looked at when searching FOLDER for logs (a home folder is big)


def find_log_paths(folder: Path) -> list[str]:
    """The record set's entries for ``paths``: each top-level folder under ``folder`` that holds
    event logs (at any depth), as ``"name/"``, and each log file directly in ``folder``. Hidden
    folders (``.git``, ``.venv``) and virtualenvs are not searched."""
    import os

    from gklint.events import SUFFIXES

    found: list[str] = []
    searched = 0
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith((".", "~$")):
            continue
        if entry.is_file() and Path(entry.name).suffix.lower() in SUFFIXES:
            found.append(entry.name)
        elif entry.is_dir() and entry.name not in SKIPPED_FOLDERS:
            for root, dirs, files in os.walk(entry.path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
                searched += len(files) + len(dirs)
                if any(Path(f).suffix.lower() in SUFFIXES and not f.startswith((".", "~$")) for f in files):
                    found.append(entry.name + "/")
                    break
                if searched > MAX_SEARCHED:
                    break
    return found


def choose_plans(out: TextIO, lang: str) -> list[str]:
    """Ask on the terminal which bundled work plans bind the office (numbers, or blank for none)."""
    import click

    from gklint.ruleset import bundled_ids, default_ids, load_ruleset

    plans = [i for i in bundled_ids() if i not in default_ids()]
    zh = lang == "zh"
    out.write(("本单位执行哪些工作要点？（编号，以空格分隔；直接回车表示不选）" if zh else
               "Which work plans bind this office? (numbers separated by blanks; Enter for none)") + "\n")
    for n, plan in enumerate(plans, 1):
        rs = load_ruleset(plan)
        out.write(f"  {n}. {plan}  {rs.title.get(lang, '')}\n")
    while True:
        answer = click.prompt("选择" if zh else "Choice", default="", show_default=False)
        picks = answer.replace(",", " ").split()
        if all(p.isdigit() and 1 <= int(p) <= len(plans) for p in picks):
            return [plans[int(p) - 1] for p in picks]
        out.write((f"请输入 1 到 {len(plans)} 之间的编号。" if zh else f"Give numbers from 1 to {len(plans)}.") + "\n")


def _toml_list(values: list[str]) -> str:
    import json

    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def init(folder: str, out: TextIO, lang: str = "en", rulesets: Sequence[str] = (),
         interactive: bool = False) -> int:
    """Write the files that do not exist yet; say what was written and what was left alone."""
    from gklint.reporters import NAMES
    from gklint.ruleset import bundled_ids, default_ids, resolve

    target = Path(folder)
    if not target.is_dir():
        raise ConfigError("no such folder", file=folder, hint="Create the folder first, or run gklint init in it.")
    zh = lang == "zh"
    chosen = list(rulesets)
    for name in chosen:
        resolve(name)  # an unknown id or a missing file is exit 2 before anything is written
    if interactive:
        chosen += [p for p in choose_plans(out, lang) if p not in chosen]
    defaults = default_ids()
    plans = [i for i in bundled_ids() if i not in defaults]
    if chosen:  # `rulesets` replaces the defaults, which bind the office too: keep them listed
        rulesets_line = "rulesets = " + _toml_list([*defaults, *(r for r in chosen if r not in defaults)])
    else:
        rulesets_line = "# rulesets = " + _toml_list([*defaults[-1:], plans[0] if plans else "rulesets/local.yaml"])
    log_paths = find_log_paths(target)
    ledger = None
    if log_paths:
        from gklint.commands.init_ledger import ledger_section

        ledger = ledger_section(target, log_paths, chosen)
    paths_line = ("paths = " + _toml_list(log_paths)) if log_paths else '# paths = ["records/"]'
    config = (CONFIG_TEMPLATE.replace("{formats}", ", ".join(NAMES)).replace("{defaults}", ", ".join(defaults))
              .replace("{plans}", ", ".join(plans)).replace("{rulesets_line}", rulesets_line)
              .replace("{paths_line}", paths_line))
    if ledger is not None:  # the [ledger] section gklint check would read the ledger found with
        config = config[:config.index(LEDGER_EXAMPLE)] + ledger[0]
    files = {"gklint.toml": config, "waivers.yaml": WAIVERS_TEMPLATE, ".pre-commit-config.yaml": PRECOMMIT_SNIPPET}
    written: dict[str, bool] = {}
    for name, text in files.items():
        path = target / name
        try:
            with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
                fh.write(text)
        except FileExistsError:
            written[name] = False
            out.write(f"{path}：已存在，未改动\n" if zh else f"{path}: exists, left unchanged\n")
            continue
        written[name] = True
        out.write(f"{path}：已创建\n" if zh else f"{path}: created\n")
    if written["gklint.toml"]:
        if log_paths:
            out.write((f"台账（paths）：{'、'.join(log_paths)}" if zh else f"Record set (paths): {', '.join(log_paths)}")
                      + "\n")
        else:
            out.write(("没有找到台账文件（.csv、.tsv、.jsonl、.xlsx）：有了台账后，请在 gklint.toml 中设置 paths。" if zh else
                       "No event logs (.csv, .tsv, .jsonl, .xlsx) found: set paths in gklint.toml once there are some.")
                      + "\n")
        shown = [*defaults, *(r for r in chosen if r not in defaults)]
        out.write((f"适用的规则集：{'、'.join(shown)}" if zh else f"Rulesets in force: {', '.join(shown)}") + "\n")
        if not chosen and plans:
            out.write((f"工作要点须指定才适用：gklint init -r ID，或在 gklint.toml 的 rulesets 中写明（{', '.join(plans)}）。"
                       if zh else "A work plan is in force only when named: gklint init -r ID, or list it in "
                       f"rulesets in gklint.toml ({', '.join(plans)}).") + "\n")
    elif chosen:  # the choice would be lost silently
        line = "rulesets = " + _toml_list([*defaults, *(r for r in chosen if r not in defaults)])
        out.write((f"gklint.toml 已存在，未写入所选规则集；请自行加入：{line}" if zh else
                   f"gklint.toml exists, so the rulesets chosen are not written; add this line yourself: {line}")
                  + "\n")
    if written["gklint.toml"] and ledger is not None:
        out.write((f"台账 {ledger[1]} 的读取方式写在 gklint.toml 的 [ledger] 一节，请核对。" if zh else
                   f"How the ledger {ledger[1]} is read is written in gklint.toml [ledger]; check it.") + "\n")
    if written[".pre-commit-config.yaml"]:
        out.write(("已写入 pre-commit 钩子；运行 pre-commit install 后，每次提交台账都会检查。" if zh else
                   "The pre-commit hook is written; run pre-commit install to check the log on every commit.") + "\n")
    else:
        out.write("\n" + ("把下面的钩子加入已有的 .pre-commit-config.yaml，再运行 pre-commit install：" if zh else
                          "Add this hook to the existing .pre-commit-config.yaml, then run pre-commit install:")
                  + "\n\n" + PRECOMMIT_SNIPPET)
    return EXIT_OK
