"""``gklint init [FOLDER]``: start a project: ``gklint.toml``, ``waivers.yaml``, and the
``.pre-commit-config.yaml`` snippet to paste.

Every configuration key is written, commented out at its default, with a note in Chinese and
English; uncommenting any line gives a valid file. An existing file is never overwritten: it is
named and left alone, and the run still succeeds (exit 0), so ``init`` is safe to re-run.
"""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from gklint.errors import EXIT_OK, ConfigError

CONFIG_TEMPLATE = """\
# gklint 配置文件 / gklint configuration
# 文档 / docs: gklint check --help；以 # 开头的行是注释，去掉 # 即生效（值为示例或默认值）。
# Lines starting with # are comments; remove the # to use a setting (values shown are examples or defaults).
# 相对路径以本文件所在文件夹为准。Relative paths are relative to this file's folder.

# 适用的规则集：内置规则集编号或 YAML 文件路径；默认全部内置规则集，各在其有效期内适用。
# Rulesets in force: bundled ids or YAML paths; default: every bundled ruleset, each within its own window.
# rulesets = ["cnipa-2018", "rulesets/local.yaml"]

# 台账（记录集）的文件和文件夹。pre-commit 钩子会读入全部记录，只报告本次提交的文件中的问题。
# The files and folders that form the log. The pre-commit hook loads them all and reports only the committed files.
# paths = ["records/"]

# 工作日历：CN（国务院办公厅放假安排），或日历覆盖文件（本地放假、调休）。
# Working-day calendar: CN (State Council schedule), or an overlay YAML file (local days off).
# calendar = "CN"

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

# 检查引擎：auto（按输入大小选择）、python（参照实现）或 columnar（大台账）；结果相同。
# Engine: auto (by the size of the input), python (the reference) or columnar (large logs); same report.
# engine = "auto"

# 表头映射：把台账的列名对应到 date（日期）、event（事件）、case（编号）、unit（部门）。
# Map your headers to date, event, case and unit.
# [columns]
# date = "办理日期"
# event = "事项"
# case = "文号"
# unit = "承办部门"
"""

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
        files: \\.(csv|tsv|jsonl|xlsx)$
        require_serial: true
"""


def init(folder: str, out: TextIO, lang: str = "en") -> int:
    """Write the templates that do not exist yet; print the pre-commit snippet."""
    from gklint.reporters import NAMES

    target = Path(folder)
    if not target.is_dir():
        raise ConfigError("no such folder", file=folder, hint="Create the folder first, or run gklint init in it.")
    zh = lang == "zh"
    files = {"gklint.toml": CONFIG_TEMPLATE.replace("{formats}", ", ".join(NAMES)),
             "waivers.yaml": WAIVERS_TEMPLATE}
    for name, text in files.items():
        path = target / name
        try:
            with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
                fh.write(text)
        except FileExistsError:
            out.write(f"{path}：已存在，未改动\n" if zh else f"{path}: exists, left unchanged\n")
            continue
        out.write(f"{path}：已创建\n" if zh else f"{path}: created\n")
    out.write("\n" + ("把下面的内容加入 .pre-commit-config.yaml，再运行 pre-commit install：" if zh else
                      "Add this to .pre-commit-config.yaml, then run pre-commit install:") + "\n\n")
    out.write(PRECOMMIT_SNIPPET)
    return EXIT_OK
