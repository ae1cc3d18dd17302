"""The 依申请公开 (requests) figures of an annual report, counted from an event log.

Pure functions: events in, a :class:`StatsTable` out; ``gklint stats`` (``gklint.commands.stats``)
reads the log and writes the table. The counting rules, in words (``docs/stats.md`` has them in
Chinese too):

* A **request** is a ``case`` (request number). Its receipt is its earliest ``request_received``
  event; its answer is the earliest ``request_answered`` dated on or after the receipt; it was
  **extended** when an ``extension_notified`` of the case is dated after the receipt and on or
  before the answer. An event without a case number is a request of its own.
* The attributes read: ``channel`` (渠道) and ``applicant`` (申请人类型) of the receipt,
  ``outcome`` (办理结果) and ``reason`` (理由) of the answer. Values are matched leniently
  (:class:`Lexicon`); what is not recognised is counted in a row labelled ``待核实：…`` and
  named in a note, never guessed into a template row.
* **2008 template** (report years up to 2018): 收到申请数 counts requests received in the year;
  申请办结数 and 申请答复数 count requests answered in the year, 延期办结数 those extended.
* **2021 template** (国办公开办函〔2021〕30号, report years from 2021): as 2019, but （六）其他处理
  has three rows: 1. no supplement in time (视为放弃, 条例 art. 30), 2. the fee notified not paid in
  time, 3. 其他 (withdrawals and anything else the outcome names as other).
* **2019 template** (国办公开办函〔2019〕60号, table 三, report years 2019 and 2020), per applicant type: 一 received in the year;
  二 received before the year and not answered when it began; 三 answered in the year, by
  outcome; 四 received by the year's end and not answered by then. So 一 + 二 = 三（七） + 四
  always holds. An answer in the year whose receipt is not in the log is counted in 二 (the log
  began after the request came in), with a note.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from gklint.model import Event, msg
from gklint.tables.labels import normalise

TEMPLATES = ("2008", "2019", "2021")
RECEIVED, ANSWERED, EXTENDED = "request_received", "request_answered", "extension_notified"
REQUEST_EVENTS = (RECEIVED, ANSWERED, EXTENDED)
# The attributes read, each under its English name or a Chinese header (the first found is used).
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "channel": ("channel", "渠道", "申请渠道", "申请方式"),
    "applicant": ("applicant", "申请人类型"),
    "outcome": ("outcome", "办理结果", "答复结果", "答复类型"),
    "reason": ("reason", "理由", "不予公开理由"),
}
TOTAL = "总计"

Note = dict[str, str]  # {"zh": ..., "en": ...}: something the user should know about the figures


def default_template(year: int) -> str:
    """The template of a report year: 2008 up to 2018; 2019 for 2019 and 2020 (国办公开办函〔2019〕60号);
    2021 from 2021 (国办公开办函〔2021〕30号, which split （六）其他处理 into three rows)."""
    return "2008" if year <= 2018 else "2019" if year <= 2020 else "2021"


# --- matching attribute values ------------------------------------------------------------------

_NOISE = re.compile(r"[、，,。.;；:：·\"'“”‘’《》〈〉()（）\[\]【】〔〕—\-_/\s]+")
_AFFIXES = (("告知", ""), ("", "数"), ("", "答复"), ("", "申请"), ("", "的"))


def _key(text: str) -> str:
    """What a value is compared by: no enumerator, punctuation, blanks, or 告知…/…数/…答复/…申请."""
    key = _NOISE.sub("", normalise(text)).casefold()
    changed = True
    while changed:
        changed = False
        for prefix, suffix in _AFFIXES:
            if prefix and key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix):], True
            if suffix and key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[:-len(suffix)], True
    return key


class Lexicon:
    """Spellings -> a canonical value, compared by :func:`_key`. ``values``: the canonical values, in order."""

    def __init__(self, entries: Mapping[str, Sequence[str]]) -> None:
        self.values = tuple(entries)
        self._by_key: dict[str, str] = {}
        for canonical, spellings in entries.items():
            for spelling in (canonical, *spellings):
                other = self._by_key.setdefault(_key(spelling), canonical)
                if other != canonical:
                    raise ValueError(f"{spelling!r} spells both {other!r} and {canonical!r}")

    def __call__(self, value: object) -> str | None:
        return self._by_key.get(_key(str(value))) if value is not None else None

    def split(self, value: object) -> tuple[str, str] | None:
        """``不予公开（属于国家秘密）`` -> (the canonical value of a spelling it begins with, the rest)."""
        key = _key(str(value)) if value is not None else ""
        for spelling in sorted(self._by_key, key=len, reverse=True):
            if key.startswith(spelling) and len(key) > len(spelling):
                return self._by_key[spelling], key[len(spelling):]
        return None


# The canonical values are the template's row labels (without enumerator), in the template's order.
# 2008 template, 三、（一）1.–4.
CHANNELS = Lexicon({
    "当面申请数": ("当面", "现场", "窗口", "来访", "in person"),
    "传真申请数": ("传真", "fax"),
    "网络申请数": ("网络", "网上", "互联网", "电子邮件", "电子邮箱", "邮箱", "网站", "在线", "email", "online"),
    "信函申请数": ("信函", "邮寄", "信件", "来信", "邮政", "挂号信", "letter", "post"),
})
# 2019 template, the applicant columns.
APPLICANT_TYPES = Lexicon({
    "自然人": ("个人", "公民", "群众", "natural person", "individual"),
    "商业企业": ("企业", "公司", "business", "company"),
    "科研机构": ("科研院所", "研究机构", "research institution"),
    "社会公益组织": ("公益组织", "社会组织", "non-profit"),
    "法律服务机构": ("律师事务所", "律所", "law firm"),
    "其他": ("其他组织", "other"),
})
APPLICANTS = APPLICANT_TYPES.values  # the columns of the 2019 table, before 总计

# 2008 template, 三、（三）申请答复数 and the 其中 reasons of 4.不同意公开答复数.
REFUSED_2008 = "不同意公开答复数"
OUTCOMES_2008 = Lexicon({
    "属于已主动公开范围数": ("已主动公开", "已公开", "主动公开范围"),
    "同意公开答复数": ("公开", "予以公开", "全部公开"),
    "同意部分公开答复数": ("部分公开", "区分处理"),
    REFUSED_2008: ("不予公开", "不公开"),
    "不属于本行政机关公开数": ("不属于本机关公开", "不属于本行政机关", "不属于本机关", "非本机关", "非本机关信息"),
    "申请信息不存在数": ("信息不存在", "不存在"),
    "告知作出更改补充数": ("作出更改补充", "更改补充", "补正"),
    "告知通过其他途径办理数": ("通过其他途径办理", "其他途径办理", "其他途径"),
})
REASONS_2008 = Lexicon({
    "涉及国家秘密": ("国家秘密", "属于国家秘密"),
    "涉及商业秘密": ("商业秘密",),
    "涉及个人隐私": ("个人隐私", "隐私"),
    "危及国家安全、公共安全、经济安全和社会稳定": ("危及“三安全一稳定”", "三安全一稳定", "危及国家安全公共安全经济安全社会稳定"),
    "不是《条例》所指政府信息": ("不是政府信息", "非政府信息", "不属于政府信息"),
    "法律法规规定的其他情形": ("其他情形",),
})

# 2019 template, 三、本年度办理结果: the rows that hold numbers, under their group heading (None: no
# heading). Labels are those of annual-report-2019-table.yaml (the rules name them without the
# enumerator; （二）'s parenthesised note may be left out).
RESULTS_2019: tuple[tuple[str | None, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (None, (("（一）予以公开", ("同意公开", "公开", "全部公开")),
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开", "同意部分公开", "区分处理")))),
    ("（三）不予公开", (
        ("1.属于国家秘密", ("国家秘密", "涉及国家秘密")),
        ("2.其他法律行政法规禁止公开", ("法律行政法规禁止公开",)),
        ("3.危及“三安全一稳定”", ("三安全一稳定", "危及国家安全、公共安全、经济安全和社会稳定")),
        # 2019 条例 art. 15: trade secrets and privacy are withheld to protect third parties.
        ("4.保护第三方合法权益", ("第三方合法权益", "涉及商业秘密", "商业秘密", "涉及个人隐私", "个人隐私")),
        ("5.属于三类内部事务信息", ("三类内部事务信息", "内部事务信息")),
        ("6.属于四类过程性信息", ("四类过程性信息", "过程性信息")),
        ("7.属于行政执法案卷", ("行政执法案卷", "执法案卷")),
        ("8.属于行政查询事项", ("行政查询事项", "查询事项")))),
    ("（四）无法提供", (
        ("1.本机关不掌握相关政府信息", ("本机关不掌握", "不掌握", "信息不存在", "申请信息不存在")),
        ("2.没有现成信息需要另行制作", ("需要另行制作", "另行制作", "没有现成信息")),
        ("3.补正后申请内容仍不明确", ("补正后仍不明确", "申请内容仍不明确")))),
    ("（五）不予处理", (
        ("1.信访举报投诉类申请", ("信访举报投诉",)),
        ("2.重复申请", ()),
        ("3.要求提供公开出版物", ("公开出版物", "提供公开出版物")),
        ("4.无正当理由大量反复申请", ("大量反复申请",)),
        ("5.要求行政机关确认或重新出具已获取信息", ("确认或重新出具已获取信息", "重新出具已获取信息")))),
    (None, (("（六）其他处理", ("其他",)),)),
)
GROUP_SPELLINGS_2019 = {"（三）不予公开": ("不同意公开", "不公开"), "（四）无法提供": (), "（五）不予处理": ()}
RESULTS_2019_LEXICON = Lexicon({label: spellings for _, rows in RESULTS_2019 for label, spellings in rows})
GROUPS_2019 = Lexicon(GROUP_SPELLINGS_2019)
GROUP_ROWS_2019 = {group: Lexicon(dict(rows)) for group, rows in RESULTS_2019 if group}

# 2021 template: （六）其他处理 is a heading over three rows (labels of the published format).
OTHER_2021 = "（六）其他处理"
RESULTS_2021: tuple[tuple[str | None, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    *RESULTS_2019[:-1],
    (OTHER_2021, (
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         ("逾期不补正", "视为放弃", "视为放弃申请", "无正当理由逾期不补正")),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
         ("逾期未缴费", "未缴纳费用", "逾期未缴纳费用", "未按收费通知缴费")),
        ("3.其他", ("撤回", "申请人撤回", "其他"))))
)
RESULTS_2021_LEXICON = Lexicon({label: spellings for _, rows in RESULTS_2021 for label, spellings in rows})
GROUPS_2021 = Lexicon({**GROUP_SPELLINGS_2019, OTHER_2021: ()})
GROUP_ROWS_2021 = {group: Lexicon(dict(rows)) for group, rows in RESULTS_2021 if group}


def outcome_2008(outcome: object, reason: object) -> tuple[str | None, str | None]:
    """(row of 申请答复数, the refusal reason's row) for an answer; None where not recognised."""
    row = OUTCOMES_2008(outcome)
    if row is None:
        found = REASONS_2008(outcome)  # the reason written as the outcome: 涉及国家秘密
        if found:
            return REFUSED_2008, found
        split = OUTCOMES_2008.split(outcome)  # 不予公开（涉及国家秘密）
        if split and split[0] == REFUSED_2008 and REASONS_2008(split[1]):
            return REFUSED_2008, REASONS_2008(split[1])
        return None, None
    return row, REASONS_2008(reason) if row == REFUSED_2008 else None


def outcome_2019(outcome: object, reason: object, template: str = "2019") -> str | None:
    """The row of 三、本年度办理结果 an answer counts in; None when not recognised."""
    lexicon, groups, rows = ((RESULTS_2021_LEXICON, GROUPS_2021, GROUP_ROWS_2021) if template == "2021"
                             else (RESULTS_2019_LEXICON, GROUPS_2019, GROUP_ROWS_2019))
    row = lexicon(outcome)  # 予以公开, or a reason row written as the outcome
    if row:
        return row
    group = groups(outcome)
    if group == OTHER_2021 and template == "2021":  # 其他处理 for neither of the two named reasons: 3.其他
        return rows[group](reason) or "3.其他"
    if group:
        return rows[group](reason)
    split = groups.split(outcome)  # 不予公开（属于国家秘密）
    return rows[split[0]](split[1]) if split else None


# --- requests -----------------------------------------------------------------------------------

class Request(NamedTuple):
    """One request as the log tells it; attribute values as written (None when absent)."""

    case: str | None
    received: dt.date | None
    answered: dt.date | None
    extended: bool
    channel: str | None = None
    applicant: str | None = None
    outcome: str | None = None
    reason: str | None = None


def attribute(event: Event | None, name: str) -> str | None:
    """An attribute by its English name or a Chinese header (ATTRIBUTES), as text."""
    if event is None:
        return None
    for spelling in ATTRIBUTES[name]:
        value = event.get(spelling)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def collect_requests(events: Iterable[Event]) -> tuple[list[Request], list[Note]]:
    """Requests from the request events of a log (other kinds are skipped), with notes on matching."""
    by_case: dict[str, dict[str, list[Event]]] = {}
    requests: list[Request] = []
    caseless = 0
    for ev in events:
        if ev.kind not in REQUEST_EVENTS:
            continue
        if ev.case is None:
            caseless += 1
            if ev.kind != EXTENDED:
                requests.append(_request(None, {ev.kind: [ev]}))
            continue
        by_case.setdefault(ev.case, {}).setdefault(ev.kind, []).append(ev)
    received_twice = unused_answers = 0
    for case, kinds in by_case.items():
        for found in kinds.values():
            found.sort(key=lambda e: (e.date, e.time or dt.time.min))
        request = _request(case, kinds)
        received_twice += len(kinds.get(RECEIVED, ())) > 1
        unused_answers += len(kinds.get(ANSWERED, ())) - (request.answered is not None)
        if request.received or request.answered:
            requests.append(request)
    notes = []
    if caseless:
        notes.append(msg(f"没有编号（case）的依申请公开事件：{caseless}条；无法与同一申请的其他事件对应，各自单独计数",
                         f"request events without a case number: {caseless}; they cannot be matched to the "
                         "other events of their request, so each is counted on its own"))
    if received_twice:
        notes.append(msg(f"有多条“收到申请”记录的申请：{received_twice}件；每件按最早一条计1件",
                         f"requests with more than one request_received event: {received_twice}; "
                         "each is counted once, at the earliest"))
    if unused_answers:
        notes.append(msg(f"未计入的“答复申请”记录：{unused_answers}条（同一申请已有更早的答复，或答复早于收到申请）",
                         f"request_answered events not counted: {unused_answers} (the request has an "
                         "earlier answer, or the answer is dated before the request was received)"))
    return requests, notes


def _request(case: str | None, kinds: Mapping[str, list[Event]]) -> Request:
    receipt = next(iter(kinds.get(RECEIVED, ())), None)
    answer = next((a for a in kinds.get(ANSWERED, ()) if receipt is None or a.date >= receipt.date), None)
    extended = answer is not None and any(
        (receipt is None or receipt.date < x.date) and x.date <= answer.date for x in kinds.get(EXTENDED, ()))
    return Request(case, receipt.date if receipt else None, answer.date if answer else None, extended,
                   attribute(receipt, "channel"), attribute(receipt, "applicant") or attribute(answer, "applicant"),
                   attribute(answer, "outcome"), attribute(answer, "reason"))


# --- tables -------------------------------------------------------------------------------------

class StatsRow(NamedTuple):
    label: str  # as printed, with the template's enumerator
    values: tuple[int, ...] | None  # None: a heading with no numbers of its own


class StatsTable(NamedTuple):
    """A report table: narrow (统计指标,单位,统计数) for 2008, wide (统计指标,自然人,…,总计) for 2019."""

    template: str
    year: int
    columns: tuple[str, ...]  # the value columns
    unit: str | None  # the 单位 of every number (narrow form only)
    rows: tuple[StatsRow, ...]
    notes: tuple[Note, ...] = ()

    def grid(self) -> list[list[str]]:
        """Header, 年度 row and rows as text cells, in the order a report table is read."""
        narrow = self.unit is not None

        def line(label: str, unit: str, cells: Sequence[str]) -> list[str]:
            return [label, unit, *cells] if narrow else [label, *cells]

        blank = [""] * len(self.columns)
        out = [line("统计指标", "单位", self.columns), line("年度", "", [str(self.year), *blank[1:]])]
        for row in self.rows:
            if row.values is None:
                out.append(line(row.label, "", blank))
            else:
                out.append(line(row.label, self.unit or "", [str(v) for v in row.values]))
        return out


def _unrecognised(what: Note, values: Counter[str]) -> Note:
    shown = "、".join(f"{v or '（空）'}×{n}" for v, n in values.most_common(8))
    shown_en = ", ".join(f"{v or '(blank)'} x{n}" for v, n in values.most_common(8))
    total = sum(values.values())
    return msg(f"{what['zh']}：{total}件（{shown}）", f"{what['en']}: {total} ({shown_en})")


def table_2008(requests: Sequence[Request], year: int) -> StatsTable:
    """三、依申请公开情况 of the 2008-format table, for ``year``."""
    received = [r for r in requests if r.received and r.received.year == year]
    answered = [r for r in requests if r.answered and r.answered.year == year]
    notes: list[Note] = []
    channels = Counter(CHANNELS(r.channel) for r in received)
    outcomes: Counter[str | None] = Counter()
    reasons: Counter[str | None] = Counter()
    bad_outcomes: Counter[str] = Counter()
    bad_reasons: Counter[str] = Counter()
    for r in answered:
        row, reason = outcome_2008(r.outcome, r.reason)
        outcomes[row] += 1
        if row is None:
            bad_outcomes[r.outcome or ""] += 1
        elif row == REFUSED_2008:
            reasons[reason] += 1
            if reason is None:
                bad_reasons[r.reason or ""] += 1
    rows = [StatsRow("三、依申请公开情况", None), StatsRow("（一）收到申请数", (len(received),))]
    rows += [StatsRow(f"{i}.{c}", (channels[c],)) for i, c in enumerate(CHANNELS.values, 1)]
    if channels[None]:
        rows.append(StatsRow("待核实：渠道未识别的申请数", (channels[None],)))
        notes.append(_unrecognised(msg("渠道（channel）未识别、未计入各渠道的申请", "requests with no recognised "
                                       "channel, in no channel row"),
                                   Counter(r.channel or "" for r in received if CHANNELS(r.channel) is None)))
    extended = sum(r.extended for r in answered)
    rows += [StatsRow("（二）申请办结数", (len(answered),)), StatsRow("1.按时办结数", (len(answered) - extended,)),
             StatsRow("2.延期办结数", (extended,)), StatsRow("（三）申请答复数", (len(answered),))]
    for i, label in enumerate(OUTCOMES_2008.values, 1):
        rows.append(StatsRow(f"{i}.{label}", (outcomes[label],)))
        if label == REFUSED_2008:
            rows += [StatsRow(f"其中：{r}" if j == 0 else r, (reasons[r],)) for j, r in enumerate(REASONS_2008.values)]
            if reasons[None]:
                rows.append(StatsRow("待核实：理由未识别的不同意公开答复数", (reasons[None],)))
                notes.append(_unrecognised(msg("理由（reason）未识别的不同意公开答复", "refusals with no "
                                               "recognised reason"), bad_reasons))
    if outcomes[None]:
        rows.append(StatsRow("待核实：答复类型未识别的答复数", (outcomes[None],)))
        notes.append(_unrecognised(msg("办理结果（outcome）未识别、未计入各类答复的答复", "answers with no "
                                       "recognised outcome, in no outcome row"), bad_outcomes))
    return StatsTable("2008", year, ("统计数",), "件", tuple(rows), tuple(notes))


def table_2019(requests: Sequence[Request], year: int, template: str = "2019") -> StatsTable:
    """Table 三 "收到和处理政府信息公开申请情况" of the 2019 format (or the 2021 one), for ``year``."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts: dict[str, Counter[str]] = {}
    bad_outcomes: Counter[str] = Counter()
    bad_applicants: Counter[str] = Counter()
    no_receipt = 0

    for r in requests:
        answered_in_year = r.answered is not None and start <= r.answered <= end
        keys = []
        if r.received is not None and r.received.year == year:
            keys.append("new")
        if r.received is None and answered_in_year:
            keys.append("carried_in")
            no_receipt += 1
        elif r.received is not None and r.received < start and (r.answered is None or r.answered >= start):
            keys.append("carried_in")
        if answered_in_year:
            row = outcome_2019(r.outcome, r.reason, template)
            keys += [row or "unrecognised", "answered"]
            if row is None:
                bad_outcomes[" / ".join(v for v in (r.outcome, r.reason) if v)] += 1
        if r.received is not None and r.received <= end and (r.answered is None or r.answered > end):
            keys.append("carried_out")
        applicant = APPLICANT_TYPES(r.applicant)
        if keys and applicant is None:
            bad_applicants[r.applicant or ""] += 1
        for key in keys:
            counts.setdefault(key, Counter())[applicant or "其他"] += 1

    def values(key: str) -> tuple[int, ...]:
        found = counts.get(key, Counter())
        return (*(found[c] for c in APPLICANTS), sum(found.values()))

    rows = [StatsRow("一、本年新收政府信息公开申请数量", values("new")),
            StatsRow("二、上年结转政府信息公开申请数量", values("carried_in")),
            StatsRow("三、本年度办理结果", None)]
    for group, members in (RESULTS_2021 if template == "2021" else RESULTS_2019):
        if group:
            rows.append(StatsRow(group, None))
        rows += [StatsRow(label, values(label)) for label, _ in members]
    notes: list[Note] = []
    if "unrecognised" in counts:
        rows.append(StatsRow("待核实：办理结果未识别", values("unrecognised")))
        notes.append(_unrecognised(msg("办理结果（outcome/reason）未识别、只计入（七）总计的答复",
                                       "answers with no recognised outcome (outcome/reason), counted "
                                       "only in （七）总计"), bad_outcomes))
    rows += [StatsRow("（七）总计", values("answered")), StatsRow("四、结转下年度继续办理", values("carried_out"))]
    if no_receipt:
        notes.append(msg(f"{year}年答复、但记录中没有“收到申请”的申请：{no_receipt}件，按上年结转计",
                         f"requests answered in {year} with no request_received in the log: {no_receipt}, "
                         "counted as carried over from the year before"))
    if bad_applicants:
        notes.append(_unrecognised(msg("申请人类型（applicant）未注明或未识别、计入“其他”列的申请",
                                       "requests with no recognised applicant type, counted in "
                                       "the 其他 column"), bad_applicants))
    return StatsTable(template, year, (*APPLICANTS, TOTAL), None, tuple(rows), tuple(notes))


def table_2021(requests: Sequence[Request], year: int) -> StatsTable:
    """Table 三 of the 2021 format (国办公开办函〔2021〕30号), for ``year``."""
    return table_2019(requests, year, "2021")


BUILDERS = {"2008": table_2008, "2019": table_2019, "2021": table_2021}


def request_figures(events: Iterable[Event], year: int, template: str | None = None) -> StatsTable:
    """The table of ``template`` (default: the year's, :func:`default_template`) for ``year``."""
    requests, notes = collect_requests(events)
    table = BUILDERS[template or default_template(year)](requests, year)
    return table._replace(notes=(*notes, *table.notes))
