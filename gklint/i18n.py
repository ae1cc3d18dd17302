"""Chinese for every message the command line prints (contract section 14, "Language").

Findings carry both languages themselves (``msg(zh, en)``). What else the command line says --
errors that stop a run (exit 2), click's usage errors, ``--help`` -- is written in English in the
code, and this module turns it into Chinese when the language is ``zh``:

- ``ERRORS``: templates of error messages and hints (``{}`` stands for a value), each with its
  Chinese (``{0}``, ``{1}`` ... the values in order). A message matching no template is translated
  sentence by sentence; a value that is itself a message (``rule R1: <why>``) is translated too.
  ``tests/test_i18n.py`` holds every error raised in the package to a template.
- ``CLICK``: click's own messages, by the message id click passes to gettext.
- ``HELP``: the commands' and options' help texts, by their English text.

The language is decided before click parses the command line (:func:`decide_lang`), so that
``--help`` and usage errors are translated too: ``--lang`` in the arguments, else ``lang`` in the
configuration file, else ``GKLINT_LANG``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, ``LANGUAGE``, else
the system's language (on Windows the user's UI language, which no environment variable carries).
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

# --- deciding the language -------------------------------------------------------------------------

ENV_VARS = ("GKLINT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def _option_value(args: Sequence[str], name: str) -> str | None:
    """The value of the last ``name VALUE`` / ``name=VALUE`` in ``args`` (before ``--``)."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(name + "="):
            value = arg[len(name) + 1:]
    return value


def _is_zh(value: str) -> bool:
    value = value.strip().lower()
    return value.startswith(("zh", "chinese"))


def env_lang(environ: Any = None) -> str | None:
    """``zh``/``en`` from the first of ``ENV_VARS`` that is set, else None."""
    environ = os.environ if environ is None else environ
    for var in ENV_VARS:
        value = environ.get(var)
        if value:
            # LANGUAGE may list several (zh_CN:en_US): the first is preferred.
            return "zh" if _is_zh(value.split(":")[0]) else "en"
    return None


# Windows LANGIDs: the low 10 bits are the primary language; 0x04 is Chinese (zh-CN, zh-TW, ...).
_LANG_CHINESE = 0x04


def system_lang() -> str:
    """The system's language where no variable says it: on Windows the user's UI language
    (``GetUserDefaultUILanguage``), elsewhere (and as a fallback) Python's locale."""
    if sys.platform == "win32":
        try:
            import ctypes

            langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            return "zh" if (int(langid) & 0x3FF) == _LANG_CHINESE else "en"
        except (AttributeError, OSError, ValueError, TypeError):
            pass
    import locale

    try:
        name = locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    return "zh" if _is_zh(name) else "en"


def config_lang(args: Sequence[str]) -> str | None:
    """``lang`` of the configuration the run would use (``--config`` or found walking up), or
    None. A configuration that cannot be read says nothing here; the command reports it."""
    from pathlib import Path

    try:
        from gklint.config import _toml, find_config

        given = _option_value(args, "--config")
        path = Path(given) if given else find_config(quiet=True)  # its warning is the command's
        if path is None or not path.is_file():
            return None
        data = _toml(path)  # not validated: a configuration with a mistake still says its language
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("gklint", {})
        value = data.get("lang")
    except Exception:  # noqa: BLE001 - a broken configuration is the command's to report
        return None
    return value if value in ("zh", "en") else None


def decide_lang(args: Sequence[str]) -> str:
    """The language of a run, decided from its arguments before click parses them."""
    value = _option_value(args, "--lang")
    if value in ("zh", "en"):
        return value
    return config_lang(args) or env_lang() or system_lang()


# --- translating ------------------------------------------------------------------------------------

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

# English template -> Chinese. ``{}`` in the English matches any text; ``{0}``... in the Chinese
# are those texts in order.
ERRORS: dict[str, str] = {
    # the command line
    "--as-of: {}": "--as-of：{0}",
    "Give a date such as 2018-12-31.": "请写成 2018-12-31 这样的日期。",
    "no event log given": "没有指定台账",
    "Name files or folders: gklint check events.csv (or set paths = [...] in gklint.toml).":
        "请指定文件或文件夹，如 gklint check events.csv（或在 gklint.toml 中设置 paths = [...]）。",
    "Name files or folders: gklint stats --year 2019 events.csv (or set paths = [...] in gklint.toml).":
        "请指定文件或文件夹，如 gklint stats --year 2019 events.csv（或在 gklint.toml 中设置 paths = [...]）。",
    "cannot write the output: {}": "无法写出结果：{0}",
    "interrupted": "已中断",
    "internal error: {}": "内部错误：{0}",
    "This is a bug in gklint; run again with GKLINT_DEBUG=1 for details and report it.":
        "这是 gklint 的缺陷；请设置 GKLINT_DEBUG=1 重新运行以查看详情，并报告此问题。",
    # dates (gklint.dates): the value, then Python's own reason in brackets, kept as it is
    "unreadable date {}: expected one of {}": "无法识别的日期 {0}：应为以下格式之一：{1}",
    "impossible date or time {}: expected one of {}": "不存在的日期或时间 {0}：应为以下格式之一：{1}",
    "impossible zone offset {}: expected one of {}": "不存在的时区偏移 {0}：应为以下格式之一：{1}",
    "empty date: expected one of {}": "日期为空：应为以下格式之一：{0}",
    "2018-05-17, 2018-05-17T09:30, 2018-05-17 09:30[:00], 2018/5/17, 2018.5.17, 20180517, 二〇一八年五月十七日, "
    "2018年5月17日 [9:30 | 9时30分], or ISO 8601 with seconds and a zone (2018-05-17T09:30:00.5+08:00, ...Z)":
        "2018-05-17、2018-05-17T09:30、2018-05-17 09:30[:00]、2018/5/17、2018.5.17、20180517、二〇一八年五月十七日、"
        "2018年5月17日 [9:30 | 9时30分]，"
        "或带秒和时区的 ISO 8601（2018-05-17T09:30:00.5+08:00、...Z）",
    "{} is outside {}": "{0} 超出 {1} 的范围",
    "unreadable date": "无法识别的日期",
    # configuration
    "no such configuration file": "没有这个配置文件",
    "Check the --config path.": "请检查 --config 的路径。",
    "cannot read the configuration: {}": "无法读取配置文件：{0}",
    "the configuration is not UTF-8 text": "配置文件不是 UTF-8 文本",
    "Save it as UTF-8 (TOML files must be).": "请另存为 UTF-8 编码（TOML 文件必须是 UTF-8）。",
    "TOML syntax error: {}": "TOML 语法错误：{0}",
    "Check quotes, brackets and '=' on that line.": "请检查该行的引号、括号和“=”。",
    "pyproject.toml has no [tool.gklint] table": "pyproject.toml 中没有 [tool.gklint] 表",
    "Add a [tool.gklint] table, or point --config at a gklint.toml.":
        "请添加 [tool.gklint] 表，或用 --config 指定一个 gklint.toml。",
    "unknown key {}": "未知的配置项 {0}",
    # case ledgers: config [ledger] and the ledger reader (gklint.events.ledger)
    "--sheet is given {} times ({}); one worksheet of each workbook is read":
        "--sheet 给了 {0} 次（{1}）；每个工作簿只读取一个工作表",
    "Give --sheet once. To check several sheets, save each as a file of its own.":
        "请只给一次 --sheet。要检查多个工作表，请把每个工作表另存为单独的文件。",
    "reading .xls and .et files needs the python-calamine package": "读取 .xls 和 .et 文件需要 python-calamine 包",
    "pip install python-calamine, or save the workbook as .xlsx or CSV.":
        "请 pip install python-calamine，或把工作簿另存为 .xlsx 或 CSV。",
    "cannot read the workbook ({}: {}); it may be damaged, password-protected, or not really an Excel or WPS file":
        "无法读取工作簿（{0}：{1}）；文件可能已损坏、设有密码，或并非 Excel/WPS 文件",
    "Open it in Excel or WPS and save it again (as .xlsx, or as CSV).": "请用 Excel 或 WPS 打开后重新保存（存为 .xlsx 或 CSV）。",
    "the worksheet {} has no header in row {}": "工作表 {0} 的第 {1} 行没有表头",
    "Put the column names (date, event, case, unit) in the first row.": "请在第一行写列名（date、event、case、unit）。",
    "cannot read the sheet ({}: {})": "无法读取工作表（{0}：{1}）",
    "cannot read the sheet after row {} ({}: {})": "第 {0} 行之后的工作表无法读取（{1}：{2}）",
    "unknown key {} in [ledger]": "[ledger] 中有未知的配置项 {0}",
    "[ledger] takes {}.": "[ledger] 可用的配置项：{0}。",
    "[ledger] events must be a table of date column = event kind":
        "[ledger] 的 events 必须是“日期列 = 事件类型”的表",
    'Write it as: [ledger.events] then "答复日期" = "request_answered".':
        '请写成：[ledger.events]，下一行 "答复日期" = "request_answered"。',
    "[ledger.events] {} must name an event kind": "[ledger.events] 中的 {0} 必须写明事件类型",
    'Got {}; write e.g. "{}" = "request_answered".': '实际为 {0}；请写成例如 "{1}" = "request_answered"。',
    "[ledger] {} must be a column header": "[ledger] 中的 {0} 必须是某一列的表头",
    "[ledger] {} must be a sheet name": "[ledger] 中的 {0} 必须是工作表名称",
    'Got {}; write e.g. {} = "申请编号".': '实际为 {0}；请写成例如 {1} = "申请编号"。',
    "the ledger column {} is the date of {} (both declare it), and the other columns do not say which":
        "台账列 {0} 可以是 {1} 的日期（两者都声明了该列），其他列也无法判定是哪一个",
    'Settle it in gklint.toml: [ledger.events] "{}" = "{}" (or "{}").':
        '请在 gklint.toml 中指定：[ledger.events] "{0}" = "{1}"（或 "{2}"）。',
    "the ledger has no column {} ([ledger] {})": "台账中没有 {0} 列（[ledger] {1}）",
    "Its header is: {}.": "其表头为：{0}。",
    "[ledger.events] maps {} to {}, which no ruleset in force declares":
        "[ledger.events] 把 {0} 对应到 {1}，但适用的规则集都没有声明该事件类型",
    "Name an event kind (gklint rules lists them).": "请写事件类型名称（gklint rules 列出全部）。",
    "Did you mean {}?": "是否应为 {0}？",
    "Known keys: {}.": "可用的配置项：{0}。",
    "{} must be {}": "{0} 必须是{1}",
    "a list of strings": "字符串列表",
    "a string": "字符串",
    "true or false": "true 或 false",
    "a table": "表（table）",
    "another kind of value": "另一种类型的值",
    "Got {}.": "实际为 {0}。",
    "{} must be a list of strings": "{0} 必须是字符串列表",
    "{} must be one of {}": "{0} 必须是以下之一：{1}",
    "unknown column {} in [columns]": "[columns] 中有未知的列 {0}",
    "The standard columns are {}; any other key names an attribute.":
        "标准列为 {0}；其他键名表示属性列。",
    "[columns] {} must be the header text of a column": "[columns] 中的 {0} 必须是某一列的表头文字",
    'Got {}; write e.g. {} = "办理日期".': '实际为 {0}；请写成如 {1} = "办理日期"。',
    "per_file_ignores {} must be a list of rule ids": "per_file_ignores 中的 {0} 必须是规则编号列表",
    'Got {}; write e.g. "{}" = ["GK004"].': '实际为 {0}；请写成如 "{1}" = ["GK004"]。',
    "as_of: {}": "as_of：{0}",
    "{} belongs above [{}]: in TOML every key after a table header is part of that table":
        "{0} 应写在 [{1}] 之上：TOML 中表头之后的键都属于该表",
    "Move {} = ... above the [{}] line (the top-level settings come first).":
        "请把 {0} = ... 移到 [{1}] 一行之上（顶层设置写在前面）。",
    # rulesets
    "unknown ruleset {}": "未知的规则集 {0}",
    "Bundled rulesets: {}; or give a path to a .yaml file.": "内置规则集：{0}；也可以给出 .yaml 文件的路径。",
    "no such ruleset file": "没有这个规则集文件",
    "Check the path, or name a bundled ruleset: {}.": "请检查路径，或指定内置规则集：{0}。",
    "{} {} is not a date": "{0} {1} 不是日期",
    "Write dates as YYYY-MM-DD, e.g. 2018-05-17.": "日期请写成 YYYY-MM-DD，如 2018-05-17。",
    "unknown key {}{} (at {})": "未知的键 {0}{1}（位置：{2}）",
    "Allowed: {}.": "允许的键：{0}。",
    "{}{} (at {})": "{0}{1}（位置：{2}）",
    " in rule {}": "（规则 {0} 中）",
    "the top level": "顶层",
    "Add the missing key; see rulesets/README.md, section 'How a ruleset is structured'.": "请补上缺少的键；参见 rulesets/README.md 的“规则集的结构”一节。",
    "{} is not allowed{} (at {})": "{0} 不是允许的值{1}（位置：{2}）",
    "Use one of: {}.": "请使用以下之一：{0}。",
    "See the ruleset schema (gklint/schemas/ruleset.schema.json).":
        "参见规则集的 JSON Schema（gklint/schemas/ruleset.schema.json）。",
    "rule {} needs exactly one kind key, found {}": "规则 {0} 须有且只有一个类型键，实际为 {1}",
    "none": "无",
    "a ruleset must be a YAML mapping with 'ruleset:' and 'rules:'": "规则集必须是含 ruleset: 和 rules: 的 YAML 映射",
    "included file {} not found": "找不到 include 的文件 {0}",
    "Paths in include: are relative to the ruleset file.": "include: 中的路径相对于规则集文件所在的文件夹。",
    "event alias clash: {}": "事件别名冲突：{0}",
    "Give each alias to one event only.": "每个别名只能属于一个事件。",
    "event alias clash between rulesets in force: {}": "适用的规则集之间事件别名冲突：{0}",
    "Use one shared vocabulary (include: [vocabulary.yaml]).": "请共用同一份事件词表（include: [vocabulary.yaml]）。",
    "duplicate rule id {} (first at line {})": "规则编号 {0} 重复（第一次出现在第 {1} 行）",
    "Give every rule its own id.": "每条规则须有自己的编号。",
    "rule {}: {}": "规则 {0}：{1}",
    "rule id {} is also defined in {}": "规则编号 {0} 也定义在 {1} 中",
    "Rule ids must be unique across rulesets in force.": "同时适用的规则集之间规则编号不能重复。",
    "the event {} is not declared in this ruleset's events": "事件 {0} 没有在本规则集的 events 中声明",
    "Declare it under events: (or include: [vocabulary.yaml]).": "请在 events: 下声明（或 include: [vocabulary.yaml]）。",
    "a count rule needs at_least or at_most": "count 规则需要 at_least 或 at_most",
    "'by: {}' is not a day of a {} period": "“by: {0}”不是 {1} 周期中的一天",
    "'by: {}' is not a real date": "“by: {0}”不是真实存在的日期",
    "Write it as {}.": "请写成 {0}。",
    "not a Chinese numeral from 零 to 九百九十九: {}": "不是“零”到“九百九十九”之间的中文数字：{0}",
    "time limit {} ({}) has no unit: write it as text, {}": "时限 {0}（{1}）没有单位：请写成文字，{2}",
    "unreadable time limit {}: expected {}": "无法识别的时限 {0}：应为 {1}",
    "negative time limit {}: expected {}": "时限 {0} 为负数：应为 {1}",
    "unreadable time limit {} ({}): expected {}": "无法识别的时限 {0}（{1}）：应为 {2}",
    # event logs
    "no such file or directory": "没有这个文件或文件夹",
    "Check the path; gklint reads .csv, .tsv, .jsonl, .xlsx, .xls, .et and .parquet files.":
        "请检查路径；gklint 读取 .csv、.tsv、.jsonl、.xlsx、.xls、.et 和 .parquet 文件。",
    "the folder holds no event logs (.csv, .tsv, .jsonl, .xlsx, .xls, .et or .parquet files)":
        "文件夹中没有台账文件（.csv、.tsv、.jsonl、.xlsx、.xls、.et 或 .parquet）",
    "reading .parquet files needs the pyarrow package": "读取 .parquet 文件需要 pyarrow 包",
    "Install it: pip install pyarrow": "请安装：pip install pyarrow",
    "the file is not a readable Parquet file ({})": "该文件不是可读取的 Parquet 文件（{0}）",
    "Write it with a Parquet writer (pandas, Polars, DuckDB, Spark).": "请用 Parquet 写入工具（pandas、Polars、DuckDB、Spark）生成。",
    "Name the folder the logs are in, or the files themselves.": "请指定台账所在的文件夹，或直接指定文件。",
    "the header has no {} column (header: {})": "表头中没有 {0} 列（表头：{1}）",
    "Name the columns date/日期 and event/事件, or map your headers in gklint.toml [columns].":
        "请把列名写成 date/日期 和 event/事件，或在 gklint.toml 的 [columns] 中对应本单位的表头。",
    "cannot read the file: {}": "无法读取文件：{0}",
    "the file is neither UTF-8 nor GB18030/GBK text": "文件既不是 UTF-8 也不是 GB18030/GBK 编码的文本",
    "Save it from Excel as 'CSV UTF-8' or as .xlsx.": "请在 Excel 中另存为“CSV UTF-8”或 .xlsx。",
    "the file contains NUL bytes: it looks binary, not a text log": "文件含有 NUL 字节：像是二进制文件，不是文本台账",
    "Export the sheet as CSV (UTF-8 or GBK) or as .xlsx.": "请把表格导出为 CSV（UTF-8 或 GBK）或 .xlsx。",
    "the file is empty; a header row is required": "文件是空的；必须有表头行",
    "Add a header row such as: date,event,case,unit": "请加上表头行，如：date,event,case,unit",
    "the header row cannot be read: {}": "无法读取表头行：{0}",
    "the file has no JSON records": "文件中没有 JSON 记录",
    'Write one object per line: {"date": "2018-05-17", "event": "..."}': '请每行写一个对象：{"date": "2018-05-17", "event": "..."}',
    "no such file": "没有这个文件",
    "Check the path.": "请检查路径。",
    "unsupported file type {}": "不支持的文件类型 {0}",
    "gklint reads .csv, .tsv, .jsonl, .xlsx, .xls, .et, .parquet and .xes(.gz) files.":
        "gklint 读取 .csv、.tsv、.jsonl、.xlsx、.xls、.et、.parquet 和 .xes(.gz) 文件。",
    "the XES file has no events with attributes": "XES 文件中没有带属性的事件",
    "the file is not well-formed XML: {}": "文件不是格式正确的 XML：{0}",
    "the file cannot be decompressed: {}": "文件无法解压：{0}",
    "the file has a document type declaration (<!DOCTYPE ...>); XES needs none, and gklint does not read one "
    "(entity declarations can expand without bound)":
        "文件含有文档类型声明（<!DOCTYPE ...>）；XES 不需要它，gklint 也不读取（实体声明可无限展开）",
    "the file declares an XML entity; gklint does not expand entities": "文件声明了 XML 实体；gklint 不展开实体",
    "the file refers to an external entity; gklint does not read other files from an XES log":
        "文件引用了外部实体；gklint 不会因 XES 日志读取其他文件",
    "elements are nested more than {} deep": "元素嵌套超过 {0} 层",
    "the file has more than {} distinct attribute keys": "文件中不同的属性键超过 {0} 个",
    "Export the log again from the process-mining tool (XES 1.0/IEEE 1849), or as CSV.":
        "请从过程挖掘工具重新导出日志（XES 1.0/IEEE 1849），或导出为 CSV。",
    "An XES log holds <trace> elements with <event> elements in them. {}":
        "XES 日志由包含 <event> 元素的 <trace> 元素组成。{0}",
    "the holidays package knows no subdivision {} of {}": "holidays 包中没有 {1} 的行政区 {0}",
    "the holidays package knows no subdivisions of {}": "holidays 包中没有 {0} 的行政区",
    "use {} alone": "请只写 {0}",
    "use one of: {} ..., or {} alone": "请使用其中之一：{0} ……，或只写 {1}",
    "use one of: {}, or {} alone": "请使用其中之一：{0}，或只写 {1}",
    "extends names no calendar gklint knows: {}": "extends 指定的日历 gklint 不认识：{0}",
    "write 'extends: {}' (the official calendar) or a country the holidays package knows, such as 'extends: NL' "
    "or 'extends: DE-BY'": "请写 'extends: {0}'（官方日历），或 holidays 包支持的国家，如 'extends: NL'、'extends: DE-BY'",
    "use {} (the official calendar), a country the holidays package knows (NL, DE-BY, US-CA) or the path of an "
    "overlay YAML file; {}": "请使用 {0}（官方日历）、holidays 包支持的国家（NL、DE-BY、US-CA）或日历补充 YAML 文件的路径；{1}",
    "the {} calendar spans several time zones: say which the log's times are in":
        "{0} 日历跨越多个时区：请指明日志中的时间属于哪个时区",
    'Add --timezone (or timezone = "..." in gklint.toml), e.g. --timezone America/Los_Angeles.':
        '请加上 --timezone（或在 gklint.toml 中写 timezone = "..."），例如 --timezone America/Los_Angeles。',
    "Use a name of the tz database (Region/City), as listed by python -c 'import zoneinfo; "
    "print(zoneinfo.available_timezones())'.":
        "请使用时区数据库中的名称（地区/城市），可用 python -c 'import zoneinfo; print(zoneinfo.available_timezones())' 列出。",
    "unknown time zone {}: expected an IANA name such as Asia/Shanghai or Europe/Amsterdam":
        "未知的时区 {0}：应为 IANA 名称，如 Asia/Shanghai 或 Europe/Amsterdam",
    "per: case counts each case on its own: for_each and units do not apply":
        "per: case 逐个案件计数：不适用 for_each 和 units",
    "Remove for_each/units, or count per year.": "请删去 for_each/units，或按年计数。",
    "gklint reads .csv, .tsv, .jsonl, .xlsx, .xls, .et and .parquet files.":
        "gklint 读取 .csv、.tsv、.jsonl、.xlsx、.xls、.et 和 .parquet 文件。",
    "reading .xlsx files needs the openpyxl package": "读取 .xlsx 文件需要 openpyxl 包",
    "pip install openpyxl, or export the sheet as CSV.": "请 pip install openpyxl，或把表格导出为 CSV。",
    "cannot read the Excel file ({}: {}); it may be damaged, password-protected, or not really an .xlsx file":
        "无法读取 Excel 文件（{0}：{1}）；文件可能已损坏、设有密码，或并不是真正的 .xlsx 文件",
    "the workbook has no worksheet": "工作簿中没有工作表",
    "no worksheet named {}; the workbook has: {}": "没有名为 {0} 的工作表；工作簿中有：{1}",
    'Give one of those names to --sheet (or sheet = "..." in gklint.toml).': '请把其中一个名称交给 --sheet（或在 gklint.toml 中写 sheet = "..."）。',
    "cannot read the Excel sheet ({}: {})": "无法读取 Excel 工作表（{0}：{1}）",
    "the worksheet {} has no header in row 1": "工作表 {0} 的第 1 行没有表头",
    "Put the column names (date, event, case, unit) in row 1.": "请在第 1 行写列名（date、event、case、unit）。",
    "cannot read the Excel sheet after row {} ({}: {})": "无法读取 Excel 工作表第 {0} 行之后的内容（{1}：{2}）",
    # output
    "-o names a folder, not a file": "-o 指定的是文件夹，不是文件",
    "Give a file name, such as report.json.": "请给出文件名，如 report.json。",
    "the output folder does not exist": "输出文件夹不存在",
    "Create the folder first, or choose another -o path.": "请先创建该文件夹，或另选 -o 路径。",
    "-o names a file this run reads{}; writing the report would replace it":
        "-o 指定的是本次检查要读取的文件{0}；写出结果会覆盖它",
    "Choose another -o path, such as report.txt.": "请另选 -o 路径，如 report.txt。",
    "cannot write the report: {}": "无法写出结果：{0}",
    "Choose an -o path in a folder you can write to.": "请选择可写文件夹中的 -o 路径。",
    # waivers
    "no such waivers file": "没有这个豁免文件",
    "Check `waivers` in gklint.toml or --waivers; `gklint init` writes a template.":
        "请检查 gklint.toml 中的 waivers 或 --waivers；gklint init 会写出模板。",
    "a waivers file must be a YAML list of waivers": "豁免文件必须是由豁免项组成的 YAML 列表",
    "Write entries such as: - {rule: ID, case: X, reason: ..., approved_by: ...}":
        "请写成：- {rule: ID, case: X, reason: ..., approved_by: ...}",
    "each waiver must be a mapping with rule, reason and approved_by": "每个豁免项必须是含 rule、reason 和 approved_by 的映射",
    "Write: - {rule: ID, case: X, reason: ..., approved_by: ...}": "请写成：- {rule: ID, case: X, reason: ..., approved_by: ...}",
    "unknown key {} in a waiver": "豁免项中有未知的键 {0}",
    "the waiver has no {}": "豁免项缺少 {0}",
    "Auditors need both why (reason) and on whose authority (approved_by); add them, or remove the waiver.":
        "审计需要知道原因（reason）和批准人（approved_by）；请补上，或删除该豁免项。",
    "the waiver for {} names no case, period, unit or file": "{0} 的豁免项没有写 case、period、unit 或 file",
    "A waiver is for one exception; to switch a rule off everywhere, use ignore = [...] in gklint.toml.":
        "豁免只针对个别例外；要整体停用一条规则，请在 gklint.toml 中使用 ignore = [...]。",
    "expires {} is not a date": "expires {0} 不是日期",
    "Write a date such as 2022-06-30.": "请写成 2022-06-30 这样的日期。",
    # calendar
    "give a date such as 2018-05-17": "请写成 2018-05-17 这样的日期",
    "N must be a whole number of working days, got {}": "N 必须是整数个工作日，实际为 {0}",
    "e.g. 15": "如 15",
    "N must not be negative, got {}": "N 不能为负数，实际为 {0}",
    "N counts working days after DATE; use 'calendar count' for the days between":
        "N 是 DATE 之后的工作日数；两个日期之间的天数请用 calendar count",
    "cannot add {} working days to {}: {}": "无法在 {1} 上加 {0} 个工作日：{2}",
    "YEAR must be a year such as 2018, got {}": "YEAR 必须是 2018 这样的年份，实际为 {0}",
    "YEAR must be between {} and {}, got {}": "YEAR 必须在 {0} 到 {1} 之间，实际为 {2}",
    "calendar {} not found: not a known calendar name and no such file": "找不到日历 {0}：既不是已知的日历名，也没有这个文件",
    "use {} (the official calendar) or the path of an overlay YAML file; {}":
        "请使用 {0}（官方日历）或日历补充 YAML 文件的路径；{1}",
    "cannot read calendar overlay: {}": "无法读取日历补充文件：{0}",
    "save it as UTF-8 text": "请另存为 UTF-8 文本",
    "calendar overlay is not valid YAML: {}": "日历补充文件不是有效的 YAML：{0}",
    "check indentation and quoting; {}": "请检查缩进和引号；{0}",
    "calendar overlay must be a YAML mapping": "日历补充文件必须是 YAML 映射",
    # stats, init, fixtures, rules
    "the rulesets in force do not declare the event kinds {}": "适用的规则集没有声明事件类型 {0}",
    "Use a bundled ruleset (they include vocabulary.yaml) or declare them in yours.":
        "请使用内置规则集（它们包含 vocabulary.yaml），或在你的规则集中声明。",
    "--year {}: there are no annual reports of that year": "--year {0}：该年度没有年度报告",
    "Give a report year from {} (the 2008 Regulations took effect on 2008-05-01).":
        "请给出 {0} 年以后的报告年度（2008 年《条例》自 2008-05-01 起施行）。",
    "--template {}: unknown template": "--template {0}：未知的格式",
    "no such folder": "没有这个文件夹",
    "Create the folder first, or run gklint init in it.": "请先创建该文件夹，或在其中运行 gklint init。",
    "no rule {} in the bundled rulesets": "内置规则集中没有规则 {0}",
    "no rule {} in the bundled rulesets or those named": "内置规则集和指定的规则集中都没有规则 {0}",
    "Did you mean: {}?": "是否应为：{0}？",
    "List them with: gklint rules": "用 gklint rules 列出适用的规则",
    "expected.yaml needs as_of, rulesets and findings": "expected.yaml 需要 as_of、rulesets 和 findings",
    "See rulesets/README.md, section 'Fixtures'.": "参见 rulesets/README.md 的“测试夹具”一节。",
    "unknown key {} in expected.yaml": "expected.yaml 中有未知的键 {0}",
    "{} must be {}, not {}": "{0} 必须是{1}，而不是{2}",
    "For example: {}": "例如：{0}",
    "no fixtures (folders with {}) under {}": "{1} 下没有测试用例（含 {0} 的文件夹）",
    "A fixture folder holds events.csv and expected.yaml; see rulesets/README.md, section 'Fixtures'.":
        "测试用例文件夹包含 events.csv 和 expected.yaml；参见 rulesets/README.md 的“测试夹具”一节。",
    "Name a folder of ruleset fixtures.": "请指定规则集测试用例所在的文件夹。",
    "unknown key {} in an expected finding": "预期问题中有未知的键 {0}",
    "unknown engine {}": "未知的引擎 {0}",
    "this is the lock file Excel or WPS keeps while {} is open, not a workbook":
        "这是 {0} 打开期间 Excel 或 WPS 生成的锁定文件，不是工作簿",
    "Close the workbook and name {}. In a records repository add ~$* to .gitignore (git rm --cached the lock file if it was committed).":
        "请关闭工作簿后指定 {0}。在台账仓库中请把 ~$* 加入 .gitignore（锁定文件已提交的，用 git rm --cached 移除）。",
    "--format xlsx writes a workbook, which needs a file": "--format xlsx 写出的是工作簿，须写入文件",
    "Add -o FILE.xlsx.": "请加上 -o FILE.xlsx。",
    "-o {} names an Excel workbook, but --format {} writes text": "-o {0} 是 Excel 工作簿，但 --format {1} 写出的是文本",
    "Drop --format (or use --format xlsx) to write a workbook, or name the file .csv or .md.":
        "要写出工作簿，请去掉 --format（或用 --format xlsx）；否则请把文件命名为 .csv 或 .md。",
    "--format {} writes a file, not terminal text: -o FILE is required": "--format {0} 写出的是文件，不是终端文本：须用 -o FILE",
    "Add -o, e.g. -o report.{} (or -o - to write it to stdout on purpose).": "请加上 -o，如 -o report.{0}（确要写到标准输出时用 -o -）。",
    "cannot read the folder: {}": "无法读取文件夹：{0}",
    "Check its permissions.": "请检查它的权限。",
    "{} moves or counts a due date, and this deadline has no 'within'": "{0} 会推移或计算到期日，但这条时限规则没有 within",
    "Add 'within: N working days', or drop the key: without 'within' a response must merely follow its trigger.":
        "请加上 'within: N working days'，或删去该键：没有 within 时只要求答复在触发事件之后。",
    "units needs for_each: unit": "units 需要 for_each: unit",
    "units says which units a per-unit rule checks; add for_each: unit.": "units 指定按部门检查的规则检查哪些部门；请加上 for_each: unit。",
    "units lists no unit": "units 中没有列出部门",
    "Use one of {}.": "请使用以下之一：{0}。",
    # calendar overlays
    "unknown key {} in calendar overlay": "日历补充文件中有未知的键 {0}",
    "did you mean {}?": "是否应为 {0}？",
    "allowed keys: {}": "允许的键：{0}",
    "duplicate key {} in calendar overlay": "日历补充文件中的键 {0} 重复",
    "give each key once": "每个键只写一次",
    "extends must be {}": "extends 必须是 {0}",
    "overlays extend the official calendar: write 'extends: {}'": "日历补充文件扩展官方日历：请写 'extends: {0}'",
    "{} is both in days_off and in workdays": "{0} 同时出现在 days_off 和 workdays 中",
    "keep it in one of the two lists": "请只保留在其中一个列表中",
    "{} must be a single value": "{0} 必须是单个值",
    "{} must be a list": "{0} 必须是列表",
    "bad date in {}: {}": "{0} 中的日期有误：{1}",
    "write dates as 2027-02-05, ranges as '2027-02-05..2027-02-11'": "日期请写成 2027-02-05，区间写成 '2027-02-05..2027-02-11'",
    "a {} entry must have either 'date' or both 'from' and 'to' (and optionally 'name'), got keys {}":
        "{0} 的每一项须有 'date'，或同时有 'from' 和 'to'（可另加 'name'），实际的键为 {1}",
    "range in {} ends before it starts: {} .. {}": "{0} 中的区间结束早于开始：{1} .. {2}",
    "write the earlier date first": "请先写较早的日期",
    "covers must list years such as 2027, got {}": "covers 必须列出 2027 这样的年份，实际为 {0}",
    "write 'covers: [2027]' for a year whose State Council notice the overlay carries":
        "日历补充文件载有某年国务院办公厅通知的，请写 'covers: [2027]'",
    "an overlay looks like: {}": "日历补充文件的写法如：{0}",
    # report-table rules and expressions
    "table.{}: {}": "table.{0}：{1}",
    "{} at column {}": "{0}（第 {1} 列）",
    "expected {assert: EXPR} or {reconcile: {indicator: NAME, count: EVENT}}":
        "应为 {assert: EXPR} 或 {reconcile: {indicator: NAME, count: EVENT}}",
    "needs exactly one of assert or reconcile (and optionally blank)": "须有且只有 assert 或 reconcile 之一（可另加 blank）",
    "needs exactly one of assert or reconcile (and optionally blank), not {}":
        "须有且只有 assert 或 reconcile 之一（可另加 blank），而不是 {0}",
    "blank must be zero or error, not {}": "blank 必须是 zero 或 error，而不是 {0}",
    "reconcile needs indicator and count": "reconcile 需要 indicator 和 count",
    "an assert must be a comparison, such as A == B + C": "assert 必须是比较式，如 A == B + C",
    "indicator must be one indicator name (quote it with `…` if it has blanks or operators)":
        "indicator 必须是一个指标名（含空格或运算符时用 `…` 括起来）",
    "the expression is empty": "表达式为空",
    "the expression is more than {} operations deep; split it into several rules": "表达式嵌套超过 {0} 层运算；请拆成几条规则",
    "no value for {}": "{0} 没有值",
    "a name cannot start with a digit; quote it: `…`": "名称不能以数字开头；请用 `…` 括起来",
    "unclosed quote {}": "引号 {0} 没有闭合",
    "empty quoted name": "引号中的名称为空",
    "'=' is not an operator: compare with '=='": "'=' 不是运算符：比较请用 '=='",
    "'!' is not an operator: write 'not' or '!='": "'!' 不是运算符：请写 'not' 或 '!='",
    "'」' without '「'": "有 '」' 而没有 '「'",
    "{} needs numbers on both sides, not a condition": "{0} 两边须是数，而不是条件",
    "{} needs conditions (comparisons) on both sides, not a number": "{0} 两边须是条件（比较式），而不是数",
    "'(' after a value: there are no function calls": "值后面出现 '('：表达式中没有函数调用",
    "')' without '('": "有 ')' 而没有 '('",
    "expected an operator before {}": "{0} 之前应有运算符",
    "unexpected {}": "意外的 {0}",
    "nested more than {} levels deep": "嵌套超过 {0} 层",
    "comparisons cannot be chained: write 'a < b and b < c'": "比较式不能连写：请写 'a < b and b < c'",
    "empty parentheses": "括号中为空",
    "'(' is never closed": "'(' 没有闭合",
    "the expression ends too early: expected a number, a name or '('": "表达式提前结束：应为数、名称或 '('",
    "expected a number, a name or '(', found {}": "应为数、名称或 '('，实际为 {0}",
    "the {} engine cannot run: {}": "{0} 引擎无法运行：{1}",
    "--format {} writes a folder: -o DIR is required": "--format {0} 写出的是文件夹：需要 -o DIR",
    "Add -o with a new folder, e.g. -o findings/.": "请用 -o 指定一个新文件夹，例如 -o findings/。",
    "--format parquet writes a folder, and -o names a file": "--format parquet 写出的是文件夹，而 -o 指定的是文件",
    "Give a folder that does not exist yet, e.g. -o findings.parquet/.": "请指定一个尚不存在的文件夹，例如 -o findings.parquet/。",
    "-o names a folder that holds other files: gklint replaces only a folder it wrote":
        "-o 指定的文件夹中有其他文件：gklint 只替换它自己写出的文件夹",
    "Give a new or empty folder.": "请指定新的或空的文件夹。",
    "the output folder's parent does not exist": "输出文件夹的上级文件夹不存在",
    "Create it first, or choose another -o path.": "请先创建它，或另选 -o 路径。",
    "cannot write the Parquet dataset: {}": "无法写出 Parquet 数据集：{0}",
    "Check that the folder can be written and the disk has room.": "请检查文件夹是否可写、磁盘是否有空间。",
    "Spark cannot write the Parquet dataset: {}": "Spark 无法写出 Parquet 数据集：{0}",
    "cannot hold the findings in the temporary folder: {}": "无法在临时文件夹中存放检查结果：{0}",
    "A report of more than {} findings is kept there while it is sorted (about 350 bytes a finding): free space "
    "in it, or set TMPDIR to a folder with room.":
        "检查结果超过 {0} 条时，排序期间存放在该文件夹中（每条约 350 字节）：请腾出空间，或将 TMPDIR 设为有空间的文件夹。",
    "cannot hold the report in the temporary folder: {}": "无法在临时文件夹中存放报告：{0}",
    "A --format {} report is put together there before it is written: free space in it, or set TMPDIR to a folder "
    "with room.": "--format {0} 报告在写出前先在该文件夹中拼合：请腾出空间，或将 TMPDIR 设为有空间的文件夹。",
    "Give a folder that does not exist yet, where the cluster can write.": "请指定一个尚不存在、集群可写入的文件夹。",
    "the spark engine cannot run: pyspark cannot be imported ({})": "spark 引擎无法运行：无法导入 pyspark（{0}）",
    "the spark engine cannot start a Spark session on {}: {}": "spark 引擎无法在 {0} 上启动 Spark 会话：{1}",
    "Check Java ({}) and the --spark-master URL.": "请检查 Java（{0}）和 --spark-master 地址。",
    "Spark ran out of memory while checking: {}": "Spark 在检查时内存不足：{0}",
    "Give Spark more memory: in local mode set SPARK_DRIVER_MEMORY (e.g. SPARK_DRIVER_MEMORY=16g; gklint's default "
    "is a quarter of the machine's memory, at most 8g); on a cluster raise spark.driver.memory and "
    "spark.executor.memory in spark-submit's --conf.":
        "请给 Spark 更多内存：本机模式设置 SPARK_DRIVER_MEMORY（如 SPARK_DRIVER_MEMORY=16g；gklint 默认用本机内存的四分之一，"
        "最多 8g）；集群上在 spark-submit 的 --conf 中调大 spark.driver.memory 和 spark.executor.memory。",
    "Spark's JVM ended before the check did: {}": "Spark 的 JVM 在检查完成前已结束：{0}",
    "it was stopped by signal {} ({})": "它被信号 {0}（{1}）终止",
    "it was stopped by signal {} ({}), on Linux most often the system's out-of-memory killer":
        "它被信号 {0}（{1}）终止，在 Linux 上多半是系统因内存不足而终止了它",
    "it exited with status {}": "它以状态 {0} 退出",
    "If the system stopped it for want of memory (dmesg says so), give the check a machine or a cluster with more "
    "memory, or set SPARK_DRIVER_MEMORY below the memory the machine has free; then run the check again.":
        "若是系统因内存不足终止了它（dmesg 会写明），请换用内存更多的机器或集群，或将 SPARK_DRIVER_MEMORY 设得低于本机空闲内存，"
        "然后重新检查。",
    # inputs that can be read once; windows; files that are not rulesets
    "not a file that can be read (a folder or a device)": "不是可读取的文件（是文件夹或设备）",
    "Name an event log: a .csv, .tsv, .jsonl or .xlsx file, or a named pipe.":
        "请指定事件记录：.csv、.tsv、.jsonl 或 .xlsx 文件，或命名管道。",
    "{} is empty: from {} is after until {}": "{0}为空：from {1} 晚于 until {2}",
    "Swap the dates, or correct the one that is mistyped.": "请对调两个日期，或改正写错的那个。",
    "the ruleset's effective window": "规则集的适用期间",
    "rule {}'s effective window": "规则 {0} 的适用期间",
    "rule {}'s effective window, within the ruleset's,": "规则 {0} 在规则集适用期间内的适用期间",
    "not a gklint ruleset: a ruleset is a YAML mapping with 'ruleset:' and 'rules:' at the top level "
    "({} found; its contents are not shown)":
        "不是 gklint 规则集：规则集是顶层含 'ruleset:' 和 'rules:' 的 YAML 映射（实际为{0}；不显示其内容）",
    "Check the path given as a ruleset (-r, or rulesets in gklint.toml).":
        "请检查作为规则集给出的路径（-r，或 gklint.toml 中的 rulesets）。",
    "not a gklint vocabulary: an included file is a YAML mapping with 'events:' "
    "({} found; its contents are not shown)":
        "不是 gklint 词汇表：被包含的文件是含 'events:' 的 YAML 映射（实际为{0}；不显示其内容）",
    "Check include: in {}.": "请检查 {0} 中的 include:。",
    # warnings on stderr (gklint.events.warn)
    "{}: cannot read the folder ({}); the logs in it are not checked": "{0}：无法读取该文件夹（{1}）；其中的记录未检查",
    "{}: a symbolic link to a folder is not followed; name the folder itself to check the logs in it":
        "{0}：不跟随指向文件夹的符号链接；要检查其中的记录，请直接指定该文件夹",
    "{}: a symbolic link that leads nowhere; not checked": "{0}：符号链接指向的文件不存在；未检查",
    "{}: not a regular file (a pipe or device) inside a folder; not checked": "{0}：文件夹中的不是普通文件（管道或设备）；未检查",
    "{}: not used: anyone may write to {}; pass --config to use it": "{0}：未使用：任何人都可以写入 {1}；如要使用请传 --config",
    # the limits of docs/security.md: input files, nesting, numbers, the calendar's span, the cache
    "{}: not using the cache folder: {}; running without a cache. Make it your own (chmod 700), or set "
    "GKLINT_CACHE_DIR to a private folder or GKLINT_NO_CACHE=1.":
        "{0}：不使用该缓存文件夹：{1}；本次不使用缓存。请将其改为仅本人可写（chmod 700），或将 GKLINT_CACHE_DIR "
        "设为私有文件夹，或设置 GKLINT_NO_CACHE=1。",
    "it belongs to another user (uid {})": "它属于另一个用户（uid {0}）",
    "group or others may write to it (mode {})": "同组或其他用户可以写入（权限 {0}）",
    "it is not a folder": "它不是文件夹",
    "the {} is {}, not a regular file": "该{0}是{1}，不是普通文件",
    "a folder": "文件夹", "a device, pipe or socket": "设备、管道或套接字",
    "file": "文件", "configuration": "配置文件",
    "Name a {} saved on disk.": "请指定保存在磁盘上的{0}。",
    "cannot read the {}: {}": "无法读取该{0}：{1}",
    "the {} is larger than {} MiB": "该{0}大于 {1} MiB",
    "gklint reads {}s of up to {} MiB; split it, or check that this is the file you meant.":
        "gklint 读取的{0}最大为 {1} MiB；请拆分，或确认这是要指定的文件。",
    "the {} is not UTF-8 text (byte {})": "该{0}不是 UTF-8 文本（字节 {1}）",
    "Save YAML files as UTF-8.": "请将 YAML 文件另存为 UTF-8 编码。",
    "YAML may not contain the control character U+{}": "YAML 中不能含控制字符 U+{0}",
    "Remove it (a NUL or escape byte usually means a binary or damaged file).":
        "请删除它（NUL 或转义字节通常表示这是二进制文件或已损坏的文件）。",
    "YAML nested more than {} levels deep": "YAML 嵌套超过 {0} 层",
    "No gklint file needs this much nesting; check for a runaway bracket or indentation.":
        "gklint 的文件不需要这么深的嵌套；请检查是否有未闭合的括号或错误的缩进。",
    "YAML nested too deeply": "YAML 嵌套过深",
    "YAML value cannot be read: {}": "无法读取 YAML 中的值：{0}",
    "Write numbers of a sensible size.": "请写合理大小的数。",
    "the configuration is nested too deeply (gklint reads files of up to {} MiB and a few levels of tables)":
        "配置文件嵌套过深（gklint 读取最大 {0} MiB、只有几层表的配置文件）",
    "A gklint.toml needs two levels at most: [columns] and per_file_ignores.":
        "gklint.toml 最多只需两层：[columns] 和 per_file_ignores。",
    "the configuration cannot be read: {}": "无法读取配置文件：{0}",
    "date outside the calendar {} (gklint reads dates in the years {}): expected one of {}":
        "日期 {0} 超出日历范围（gklint 读取 {1} 年的日期）：应为以下格式之一：{2}",
    "time limit {} is longer than the calendar gklint counts on (the years 1900–2999): at most {} {}s":
        "期限 {0} 超出 gklint 日历的范围（1900–2999 年）：最多 {1} 个 {2}",
    "covers must list years from {} to {} such as 2027 (the calendar's span), got {}":
        "covers 必须列出 {0} 至 {1} 之间的年份（日历的范围），如 2027，实际为 {2}",
    "N must be at most {} (the days of the calendar's span, 1900–2999), got {}":
        "N 最大为 {0}（日历范围 1900–2999 年的天数），实际为 {1}",
    "{} is more {}s than the calendar's span ({}–{}) holds": "{0} 超出日历范围（{2}–{3} 年）所含的 {1} 数",
    "Write an offset from -{} to {}; 1 is the next {}.": "请写 -{0} 至 {1} 之间的 offset；1 表示下一个 {2}。",
    "{} {} is outside the years {}–{} that gklint's calendar covers": "{0} {1} 超出 gklint 日历的范围（{2}–{3} 年）",
    "Write a date in that span, or leave the key out for no limit.": "请写该范围内的日期，或省略此项表示不限。",
    "the workbook's part {} expands from {} bytes to {} bytes ({}:1): this looks like a zip bomb, not a "
    "spreadsheet; it was not read":
        "工作簿中的部件 {0} 从 {1} 字节解压为 {2} 字节（{3}:1）：这像是压缩炸弹而不是电子表格；未读取",
    "{}: the path cannot be used ({})": "{0}：无法使用该路径（{1}）",
    "gklint reads parts over {} MiB only when they compress less than {}:1. {}":
        "超过 {0} MiB 的部件，只有压缩比低于 {1}:1 时 gklint 才读取。{2}",
}

# click's messages (the ids click passes to gettext) -> Chinese, same placeholders.
CLICK: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "No such option: {name}": "没有这个选项：{name}",
    "No such option {name!r}.": "没有这个选项：{name!r}。",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing {param_type} {param_hint}.": "缺少{param_type} {param_hint}。",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否应为 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否应为以下之一：{possibilities}？）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下格式：{formats}。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止！",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "unknown error": "未知错误",
}

# Help texts of commands and options -> Chinese.
HELP: dict[str, str] = {
    "gklint: check government information disclosure logs (政务公开) against their time limits.":
        "gklint：按官方工作日历检查政务公开台账是否符合时限要求。",
    "Check event logs (files or folders) against the rulesets in force.": "按适用的规则集检查台账（文件或文件夹）。",
    "Bundled ruleset id or YAML path (repeatable).": "内置规则集编号或 YAML 文件路径（可重复）。",
    "The date the check is made on (default: today, China Standard Time).": "检查日期（默认：今天，北京时间）。",
    "Output format.": "输出格式。",
    "Write the report to FILE (atomically) instead of stdout.": "把结果写入 FILE（整体写入），而不是标准输出。",
    "Only these rule ids (globs; repeatable or comma-separated).": "只检查这些规则（可用通配符；可重复或用逗号分隔）。",
    "Skip these rule ids (globs; repeatable or comma-separated).": "跳过这些规则（可用通配符；可重复或用逗号分隔）。",
    "Lowest severity that makes the exit status 1 (default: error).": "使退出状态为 1 的最低严重级别（默认：error）。",
    "Also report deadlines not yet due.": "同时报告尚未到期的时限。",
    "Message language (default: from the locale).": "提示语言（默认：按系统语言）。",
    "Configuration file (default: found by walking up).": "配置文件（默认：从当前目录向上查找）。",
    "CN, or a calendar overlay YAML file.": "CN，或日历补充 YAML 文件。",
    "CN, a country the holidays package knows (NL, DE-BY, US-CA), or an overlay YAML file.":
        "CN、holidays 包支持的国家（NL、DE-BY、US-CA），或日历补充 YAML 文件。",
    "IANA zone times are read in (default: the calendar's; Asia/Shanghai for CN).":
        "读取时间所用的 IANA 时区（默认：日历所在时区；CN 为 Asia/Shanghai）。",
    "Worksheet of .xlsx, .xls and .et files (default: the first).": ".xlsx、.xls 和 .et 文件的工作表（默认：第一个）；只能给一次。",
    "The year of report tables that have no 年度 row.": "没有“年度”行的统计表所属的年度。",
    "Also print the number of findings per rule.": "同时输出每条规则的问题数。",
    "Waivers YAML file (default: config `waivers`).": "豁免 YAML 文件（默认：配置中的 waivers）。",
    "Exit 0 even when there are findings (errors still exit 2).": "即使发现问题也以 0 退出（无法检查时仍为 2）。",
    "What runs the rules: python (the reference), columnar (also called duckdb), spark, or auto (default: by the "
    "size of the input). Every engine gives the same report.":
        "执行规则的引擎：python（参考实现）、columnar（又名 duckdb）、spark 或 auto（默认：按输入大小选择）。各引擎的结果相同。",
    "The Spark master the spark engine runs on (default: spark-submit's when run by it, else local[*], this "
    "machine's cores).":
        "spark 引擎所用的 Spark master（默认：由 spark-submit 运行时用其 master，否则为 local[*]，即本机的全部核心）。",
    "Deprecated and ignored: large logs are the columnar engine's (--engine).": "已弃用并忽略：大台账由 columnar 引擎处理（--engine）。",
    "List the rules in force.": "列出适用的规则。",
    "What a rule checks, its source document, clause and quote.": "说明一条规则检查什么，及其来源文件、条款和原文。",
    "Also look in these rulesets.": "同时在这些规则集中查找。",
    "Working-day arithmetic on the official calendar.": "按官方日历计算工作日。",
    "Print yes or no.": "输出 yes 或 no。",
    "Print the N-th working day after DATE.": "输出 DATE 之后的第 N 个工作日。",
    "Print the number of working days in (START, END].": "输出 (START, END] 中的工作日数。",
    "The year's days off and make-up working days.": "该年的放假日和调休上班日。",
    "Count the annual report's request figures (依申请公开) from event logs.": "从台账统计年度报告中的依申请公开数据。",
    "The report year.": "报告年度。",
    "Annual-report table format (default: the year's: 2008 up to 2018, 2019 for 2019-2020, 2021 from 2021).":
        "年度报告表格格式（默认按年度：2018 年及以前用 2008，2019—2020 年用 2019，2021 年起用 2021）。",
    "csv: a report table gklint check reads; markdown: the same table in Markdown; xlsx: a workbook (needs -o; the default for -o FILE.xlsx).":
        "csv：gklint check 可读取的统计表；markdown：同一张表的 Markdown 形式；xlsx：工作簿（须用 -o；-o FILE.xlsx 时默认）。",
    "Write the table to FILE (atomically) instead of stdout.": "把表写入 FILE（整体写入），而不是标准输出。",
    "Run ruleset test fixtures (folders with expected.yaml).": "运行规则集测试用例（含 expected.yaml 的文件夹）。",
    "Write gklint.toml, waivers.yaml and .pre-commit-config.yaml (never overwriting).":
        "写出 gklint.toml、waivers.yaml 和 .pre-commit-config.yaml（不覆盖已有文件）。",
    "A work plan (bundled ruleset id or YAML path) that binds this office (repeatable).":
        "本单位执行的工作要点（内置规则集编号或 YAML 路径，可重复）。",
    "Choose the work plans from a list (on a terminal).": "从列表中选择工作要点（在终端中）。",
    "What is still open and due within N working days, most urgent first.": "列出 N 个工作日内到期、尚未办结的事项，最紧急的在前。",
    "Due at most N working days after as-of (overdue ones are always listed).": "检查日期之后至多 N 个工作日内到期（已逾期的总会列出）。",
    "The date the agenda is made on (default: today, China Standard Time).": "待办清单的日期（默认：今天，北京时间）。",
    "text, json, xlsx (needs -o) or ics (a calendar file).": "text、json、xlsx（须用 -o）或 ics（日历文件）。",
    "Write the agenda to FILE (atomically) instead of stdout.": "把待办清单写入 FILE（整体写入），而不是标准输出。",
}


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = template.split("{}")
    return re.compile("(.*?)".join(re.escape(p) for p in parts), re.DOTALL)


def _literal(template: str) -> int:
    return len(template.replace("{}", "").strip(" :;,.()"))


def translate(text: str, depth: int = 0) -> str:
    """``text`` (an error message or hint written in English) in Chinese, as far as the catalog
    goes: a whole template, else sentence by sentence, else ``WHAT: WHY`` part by part; values
    that are messages themselves are translated too. What no template covers is kept as written
    (a file name, a value, a message of another program)."""
    if not text or depth > 4:
        return text
    found = _whole(text, depth)
    if found is not None:
        return found
    pieces = re.split(r"(?<=[.?])\s+", text)
    if len(pieces) > 1:
        return "".join(_whole(p, depth) or _parts(p, depth) for p in pieces)
    return _parts(text, depth)


def _parts(text: str, depth: int) -> str:
    """``WHAT: WHY`` (an option or a file and what is wrong with it), each translated."""
    what, sep, why = text.partition(": ")
    if not sep:
        return text
    return f"{_value(what, depth)}：{translate(why, depth + 1)}"


def _whole(text: str, depth: int) -> str | None:
    zh = ERRORS.get(text)
    if zh is not None:
        return zh
    best: tuple[int, str] | None = None
    for template, zh in ERRORS.items():
        if "{}" not in template:
            continue
        match = _pattern(template).fullmatch(text)
        if match is None:
            continue
        # A template that starts with its own words anchors better than one that starts with a
        # value ("--as-of: {}" over "{} {}: ..."); then the one with more words wins.
        weight = _literal(template) + (1000 if not template.startswith("{}") else 0)
        if best is None or weight > best[0]:
            values = [_value(v, depth) for v in match.groups()]
            best = (weight, zh.format(*values))
    return best[1] if best else None


def _value(value: str, depth: int) -> str:
    """A value in a message: a message itself (``rule R1: <message>``) is translated, other
    text (names, paths, quoted values) is kept."""
    if not value or value[:1] in "'\"" or not re.search(r"[a-z]{3} [a-z]", value):
        return value
    found = translate(value, depth + 1)
    return value if found is None else found


def error_text(exc: Any, lang: str) -> str:
    """A ``GklintError`` as ``str(exc)`` writes it, in ``lang``."""
    if lang != "zh":
        return str(exc)
    where = ""
    if getattr(exc, "file", None):
        where = f"{exc.file}:{exc.line}: " if exc.line else f"{exc.file}: "
    text = where + translate(exc.message)
    if exc.hint:
        text += "\n  " + translate(exc.hint)
    return text


# --- click -------------------------------------------------------------------------------------------

_CLICK_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.formatting",
                  "click.decorators", "click.utils", "click.termui")
_ORIGINALS: dict[tuple[str, str], Any] = {}
_ENGLISH_HELP: dict[int, tuple[Any, str, str | None]] = {}  # id -> (object, attribute, English text)


def _gettext(message: str) -> str:
    return CLICK.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return CLICK.get(chosen, chosen)


def touched() -> bool:
    """Whether :func:`use_language` changed anything that English must restore."""
    return bool(_ORIGINALS or _ENGLISH_HELP)


def use_language(lang: str, command: Any) -> None:
    """Make click (its messages) and ``command``'s tree (help texts) speak ``lang``; English
    restores what was there (the test suite runs many commands in one process)."""
    import importlib

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - another click layout
            continue
        for attr, zh_fn in (("_", _gettext), ("ngettext", _ngettext)):
            if not hasattr(module, attr):
                continue
            key = (name, attr)
            if key not in _ORIGINALS:
                _ORIGINALS[key] = getattr(module, attr)
            setattr(module, attr, zh_fn if lang == "zh" else _ORIGINALS[key])
    for cmd in _commands(command):
        if getattr(cmd, "_help_option", None) is not None:
            cmd._help_option = None  # click caches --help with its text; made again in this language
    for obj, attr in _help_slots(command):
        key = id(obj) * 4 + (attr == "short_help")
        if key not in _ENGLISH_HELP:
            _ENGLISH_HELP[key] = (obj, attr, getattr(obj, attr))
        english = _ENGLISH_HELP[key][2]
        setattr(obj, attr, (HELP.get(english) or CLICK.get(english, english)) if lang == "zh" and english else english)


def _commands(command: Any) -> list[Any]:
    import click

    out = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            out += _commands(sub)
    return out


def _help_slots(command: Any) -> list[tuple[Any, str]]:
    import click

    slots: list[tuple[Any, str]] = [(command, "help")]
    slots += [(p, "help") for p in command.params if isinstance(p, click.Option)]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            slots += _help_slots(sub)
    return slots


def help_texts(command: Any) -> list[str]:
    """Every help text of ``command``'s tree, in English (for the test that each is translated)."""
    out = []
    for obj, attr in _help_slots(command):
        key = id(obj) * 4 + (attr == "short_help")
        english = _ENGLISH_HELP[key][2] if key in _ENGLISH_HELP else getattr(obj, attr)
        if english:
            out.append(english)
    return out
