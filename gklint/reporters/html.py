"""``--format html`` (contract section 11): one page a division head opens from an email attachment.

Self-contained: the styles and the script are inline, the charts are SVG drawn here, and a
Content-Security-Policy (``default-src 'none'``, the style and the script allowed by their
SHA-256 hashes) keeps the page from fetching anything, whatever a log cell holds. At a glance:
counts of findings by unit, by rule and by month (bar charts, and a unit × month table), then
every finding in a table that filters by unit, rule and status and sorts by overdue; each rule's
clause and quote are in its cell's tooltip and in the rules section at the end.

Every text from a log or ruleset goes through ``html.escape``; the report's JSON, embedded for
the script (and for anyone who wants the data back), has ``<``, ``>``, ``&``, U+2028 and U+2029
escaped, so no cell can close the script element. The page works without the script too: the
charts and the full table are in the markup.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from gklint import __version__
from gklint.model import Finding
from gklint.reporters.base import Reporter
from gklint.reporters.labels import (
    NO_UNIT,
    SEVERITY,
    STATUS,
    cell_text,
    location_text,
    month_of,
    overdue_days,
    overdue_text,
    word,
)

STYLE = """
:root{--err:#c62828;--warn:#ef8f00;--info:#1565c0;--muted:#666;--line:#ddd}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:0 auto;max-width:1200px;padding:16px 24px;color:#222;line-height:1.5}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em;border-bottom:2px solid #333}
.meta{color:var(--muted);margin:0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:1.6em}.card.err b{color:var(--err)}.card.warn b{color:var(--warn)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:16px;align-items:start}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px}
figcaption{font-weight:bold;margin-bottom:4px}
svg{width:100%;height:auto;font-size:13px}svg text{fill:#222}svg .n{fill:var(--muted)}
.bar.error{fill:var(--err)}.bar.warning{fill:var(--warn)}.bar.info{fill:var(--info)}
g.pick{cursor:pointer}g.pick:hover text{text-decoration:underline}
.legend span{margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.legend .error{background:var(--err)}.legend .warning{background:var(--warn)}.legend .info{background:var(--info)}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
td.num,th.num{text-align:right}td.nw{white-space:nowrap}
table.heat{width:auto}.heat th{white-space:nowrap}.heat td.num{min-width:3.2em}.scroll{overflow-x:auto}
.h1{background:#fde0dc}.h2{background:#f9bdbb}.h3{background:#f36c60;color:#fff}.h4{background:#c62828;color:#fff}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
.filters select{max-width:260px}
tr.error td.status{color:var(--err);font-weight:bold}tr.warning td.status{color:var(--warn);font-weight:bold}
tr.pending td,tr.waived td{color:var(--muted)}
button.sort{font:inherit;font-weight:bold;border:0;background:none;cursor:pointer;padding:0}
details{margin:4px 0}details blockquote{margin:4px 0 4px 16px;color:#333;border-left:3px solid var(--line);padding-left:8px}
.note{color:var(--muted);font-size:12px}
@media print{.filters{display:none}th{position:static}}
"""

SCRIPT = """
(function(){
var data=JSON.parse(document.getElementById('gklint-data').textContent);
var rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
var sel={unit:document.getElementById('f-unit'),rule:document.getElementById('f-rule'),
status:document.getElementById('f-status')};
var sortButton=document.getElementById('sort-overdue');var order='';
function apply(){
var shown=0;
rows.forEach(function(tr){var f=data.findings[+tr.getAttribute('data-i')];
var ok=(!sel.unit.value||(f.unit||'')===sel.unit.value)&&(!sel.rule.value||f.rule===sel.rule.value)
&&(!sel.status.value||f.status===sel.status.value);
tr.hidden=!ok;if(ok){shown++;}});
document.getElementById('shown').textContent=shown;
var body=rows.length?rows[0].parentNode:null;
if(body){var sorted=rows.slice();
if(order){var sign=order==='overdue'?-1:1;sorted.sort(function(a,b){
var d=(+a.getAttribute('data-overdue'))-(+b.getAttribute('data-overdue'));
return d?sign*d:(+a.getAttribute('data-i'))-(+b.getAttribute('data-i'));});}
sorted.forEach(function(tr){body.appendChild(tr);});}
sortButton.setAttribute('data-order',order);
}
function save(){var parts=[];['unit','rule','status'].forEach(function(k){
if(sel[k].value){parts.push(k+'='+encodeURIComponent(sel[k].value));}});
if(order){parts.push('sort='+order);}
try{history.replaceState(null,'','#'+parts.join('&'));}catch(e){}}
function load(){var hash=location.hash.replace(/^#/,'');if(hash.indexOf('=')<0){return;}
hash.split('&').forEach(function(p){var kv=p.split('=');var k=kv[0];var v=decodeURIComponent(kv.slice(1).join('='));
if(sel[k]){sel[k].value=v;if(sel[k].value!==v){sel[k].value='';}}
if(k==='sort'&&(v==='overdue'||v==='overdue-asc')){order=v;}});}
Object.keys(sel).forEach(function(k){sel[k].addEventListener('change',function(){apply();save();});});
sortButton.addEventListener('click',function(){order=order==='overdue'?'overdue-asc':'overdue';apply();save();});
Array.prototype.forEach.call(document.querySelectorAll('g.pick'),function(g){
g.addEventListener('click',function(){var k=g.getAttribute('data-key');sel[k].value=g.getAttribute('data-value');
apply();save();document.getElementById('findings').scrollIntoView();});});
window.addEventListener('hashchange',function(){load();apply();});
load();apply();
})();
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (f"default-src 'none'; style-src {_csp_hash(STYLE)}; script-src {_csp_hash(SCRIPT)}; "
       "img-src data:; base-uri 'none'; form-action 'none'")

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, no ``<!--``, no line separators
    that older parsers end a string at."""
    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


WORDS = {
    "title": ("政务公开时限检查报告", "Disclosure time-limit report"),
    "as_of": ("检查日期", "As of"),
    "errors": ("错误", "errors"),
    "warnings": ("警告", "warnings"),
    "pending": ("未到期", "pending"),
    "units_late": ("有问题的部门", "units with findings"),
    "by_unit": ("各部门问题数", "Findings by unit"),
    "by_rule": ("各规则问题数", "Findings by rule"),
    "by_month": ("各月问题数（按截止日期所在月份）", "Findings by month (of the due date)"),
    "heat": ("部门 × 月份", "Units × months"),
    "findings": ("问题清单", "Findings"),
    "rules": ("规则依据", "Rules and their sources"),
    "all": ("全部", "all"),
    "unit": ("部门", "unit"),
    "rule": ("规则", "rule"),
    "status": ("状态", "status"),
    "shown": ("显示", "showing"),
    "of": ("项，共", "of"),
    "none": ("没有发现问题。", "No findings."),
    "undated": ("项没有日期的问题（如数据问题）未计入月份图。", ("findings without a date (such as data findings) "
                "are not in the month chart.")),
    "counted": ("图表只计错误、警告和提示，不含未到期和已豁免的事项。", ("Charts count errors, warnings and infos, "
                "not pending or waived findings.")),
    "rulesets": ("规则集", "Rulesets"),
    "clause": ("条款", "Clause"),
    "files": ("个文件", "files"),
    "events": ("条事件", "events"),
    "click": ("点击图中的部门或规则可筛选下表。", "Click a unit or rule in a chart to filter the table."),
}
COLUMNS = [("rule", ("规则", "rule")), ("status", ("状态", "status")), ("unit", ("部门", "unit")),
           ("case", ("编号/期间", "case/period")), ("where", ("位置", "location")), ("due", ("截止日期", "due")),
           ("actual", ("实际日期", "actual")), ("overdue", ("逾期", "overdue")), ("message", ("说明", "message"))]


class HtmlReporter(Reporter):
    name = "html"

    def start(self, result: Any) -> None:
        self._findings: list[Finding] = []

    def handle(self, finding: Finding) -> None:
        self._findings.append(finding)

    def finish(self, result: Any) -> None:
        self.out.write(render(self._findings, result, self.rules, self.lang))


def _w(key: str, lang: str) -> str:
    return WORDS[key][lang != "zh"]


def render(findings: Sequence[Finding], result: Any, rules: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    records = [f.to_json(lang) for f in findings]
    counted = [r for r in records if r["status"] not in ("pending", "waived")]
    c = result.counts()
    units = Counter(r.get("unit") or NO_UNIT[not zh] for r in counted)
    head = (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if zh else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="gklint {esc(__version__)}">\n'
            f'<title>{esc(_w("title", lang))} {esc(result.as_of.isoformat())}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n")
    rulesets = ", ".join(f"{rs.id}" + (f"（{rs.title.get(lang, '')}）" if zh else f" ({rs.title.get(lang, '')})")
                         for rs in getattr(result, "rulesets", []))
    parts = [head, f'<header><h1>{esc(_w("title", lang))}</h1>\n<p class="meta">{esc(_w("as_of", lang))} '
             f'{esc(result.as_of.isoformat())} · {c["files"]} {esc(_w("files", lang))} · {c["events"]} '
             f'{esc(_w("events", lang))}' + (f' · {esc(_w("rulesets", lang))}: {esc(rulesets)}' if rulesets else "")
             + "</p></header>\n"]
    parts.append('<section class="cards">'
                 f'<div class="card err"><b>{c["errors"]}</b>{esc(_w("errors", lang))}</div>'
                 f'<div class="card warn"><b>{c["warnings"]}</b>{esc(_w("warnings", lang))}</div>'
                 f'<div class="card"><b>{c["pending"]}</b>{esc(_w("pending", lang))}</div>'
                 f'<div class="card"><b>{len(units)}</b>{esc(_w("units_late", lang))}</div></section>\n')
    if counted:
        parts.append(_charts(counted, rules, lang))
    parts.append(_table(records, rules, lang))
    parts.append(_rules_section(records, rules, lang))
    data = {"gklint": __version__, "as_of": result.as_of.isoformat(), "lang": lang, "findings": records,
            "summary": c}
    parts.append(f'<script type="application/json" id="gklint-data">{script_json(data)}</script>\n'
                 f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return "".join(parts)


# --- charts ------------------------------------------------------------------------------------

def _stacked(records: Sequence[dict[str, Any]], key: Any) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for r in records:
        out.setdefault(key(r), Counter())[r["severity"]] += 1
    return out


def _hbars(groups: dict[str, Counter[str]], filter_key: str, labels: dict[str, str] | None = None,
           tips: dict[str, str] | None = None) -> str:
    """Horizontal bars, the largest first, each split by severity; a click filters the table."""
    items = sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    top = max((sum(v.values()) for _, v in items), default=1)
    label_w, bar_w, row_h = 200, 200, 22
    height = row_h * len(items) + 8
    out = [f'<svg viewBox="0 0 {label_w + bar_w + 50} {height}" role="img">']
    for i, (name, sev) in enumerate(items):
        y = 4 + i * row_h
        shown = _clip((labels or {}).get(name, name), 24)
        tip = (tips or {}).get(name, name)
        out.append(f'<g class="pick" data-key="{filter_key}" data-value="{esc(name)}"><title>{esc(tip)}</title>'
                   f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(shown)}</text>')
        x = float(label_w)
        for severity in ("error", "warning", "info"):
            n = sev.get(severity, 0)
            if n:
                width = bar_w * n / top
                out.append(f'<rect class="bar {severity}" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}"/>')
                x += width
        out.append(f'<text class="n" x="{x + 4:.1f}" y="{y + 15}">{sum(sev.values())}</text></g>')
    out.append("</svg>")
    return "".join(out)


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns (a Chinese character takes two), with an ellipsis."""
    import unicodedata

    used = 0
    for i, ch in enumerate(text):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width:
            return text[:i] + "…"
    return text


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _vbars(groups: dict[str, Counter[str]], months: list[str]) -> str:
    """Vertical bars, one per month in order (months with none included), split by severity."""
    top = max((sum(v.values()) for v in groups.values()), default=1)
    chart_w, chart_h = 420, 160  # one scale whatever the number of months: bars get narrower
    col_w = min(56.0, chart_w / max(len(months), 1))
    width = 30 + col_w * len(months)
    out = [f'<svg viewBox="0 0 {30 + chart_w + 10} {chart_h + 46}" role="img">']
    for i, month in enumerate(months):
        x = 30 + i * col_w
        gap = min(4.0, col_w / 5)
        sev = groups.get(month, Counter())
        y = float(chart_h + 16)
        out.append(f"<g><title>{month}: {sum(sev.values())}</title>")
        for severity in ("error", "warning", "info"):
            n = sev.get(severity, 0)
            if n:
                h = chart_h * n / top
                y -= h
                out.append(f'<rect class="bar {severity}" x="{x + gap / 2:.1f}" y="{y:.1f}" width="{col_w - gap:.1f}" '
                           f'height="{h:.1f}"/>')
        if sev:
            out.append(f'<text class="n" x="{x + col_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{sum(sev.values())}</text>')
        if i % -(-len(months) // 10) == 0:  # at most ten labels
            out.append(f'<text x="{x + col_w / 2:.1f}" y="{chart_h + 32}" text-anchor="middle">{month[2:]}</text>')
        out.append("</g>")
    out.append(f'<line x1="28" y1="{chart_h + 16}" x2="{width:.1f}" y2="{chart_h + 16}" stroke="#999"/></svg>')
    return "".join(out)


def _legend(lang: str) -> str:
    return ('<div class="legend">' + "".join(f'<span><i class="{s}"></i>{esc(word(SEVERITY, s, lang))}</span>'
                                            for s in ("error", "warning", "info")) + "</div>")


def _charts(counted: Sequence[dict[str, Any]], rules: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    by_unit = _stacked(counted, lambda r: r.get("unit") or "")
    unit_labels = {"": NO_UNIT[not zh]}
    by_rule = _stacked(counted, lambda r: r["rule"])
    rule_tips = {rid: f"{rid} {_title(rules, rid, lang)}" for rid in by_rule}
    dated = [r for r in counted if month_of(r)]
    parts = ['<section class="charts">',
             (f'<figure><figcaption>{esc(_w("by_unit", lang))}</figcaption>{_legend(lang)}'
             f'{_hbars(by_unit, "unit", unit_labels)}</figure>'),
             (f'<figure><figcaption>{esc(_w("by_rule", lang))}</figcaption>{_legend(lang)}'
             f'{_hbars(by_rule, "rule", tips=rule_tips)}</figure>')]
    months: list[str] = []
    if dated:
        by_month = _stacked(dated, month_of)
        months = _months_between(min(by_month), max(by_month))
        parts.append(f'<figure><figcaption>{esc(_w("by_month", lang))}</figcaption>{_legend(lang)}'
                     f'{_vbars(by_month, months)}'
                     + (f'<p class="note">{len(counted) - len(dated)} {esc(_w("undated", lang))}</p>'
                        if len(dated) < len(counted) else "") + "</figure>")
    parts.append("</section>\n")
    parts.append(f'<p class="note">{esc(_w("counted", lang))} {esc(_w("click", lang))}</p>\n')
    if months:
        # Over two years the table keeps the months that have findings (a column each is too many).
        shown = months if len(months) <= 24 else sorted({m for r in dated if (m := month_of(r))})
        parts.append(_heat(dated, shown, lang))
    return "".join(parts)


def _heat(dated: Sequence[dict[str, Any]], months: list[str], lang: str) -> str:
    """Units down, months across: which units are late in which months."""
    zh = lang == "zh"
    cells = Counter((r.get("unit") or NO_UNIT[not zh], month_of(r)) for r in dated)
    units = sorted({u for u, _ in cells}, key=lambda u: (-sum(n for (v, _), n in cells.items() if v == u), u))
    top = max(cells.values())
    out = [f'<h2>{esc(_w("heat", lang))}</h2><div class="scroll"><table class="heat"><thead><tr>'
           f'<th>{esc(_w("unit", lang))}</th>' + "".join(f'<th class="num">{m}</th>' for m in months) + "</tr></thead><tbody>"]
    for unit in units:
        out.append(f"<tr><th>{esc(unit)}</th>")
        for m in months:
            n = cells.get((unit, m), 0)
            level = 0 if not n else min(4, 1 + (3 * n) // max(top, 1))
            out.append(f'<td class="num h{level}">{n or ""}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>\n")
    return "".join(out)


# --- the table and the rules -------------------------------------------------------------------

def _title(rules: dict[str, Any], rule_id: str, lang: str) -> str:
    rule = rules.get(rule_id)
    if rule is None:
        from gklint.engine import BUILTIN_RULES

        builtin = BUILTIN_RULES.get(rule_id)
        return builtin["title"].get(lang, "") if builtin else ""
    return rule.title.get(lang) or rule.title.get("en") or ""


def _rule_tip(rules: dict[str, Any], rule_id: str, lang: str) -> str:
    rule = rules.get(rule_id)
    parts = [f"{rule_id} {_title(rules, rule_id, lang)}"]
    if rule is not None:
        if rule.ruleset is not None and rule.ruleset.document:
            parts.append(rule.ruleset.document)
        if rule.clause:
            parts.append(rule.clause)
        if rule.quote:
            parts.append(f"“{rule.quote.strip()}”" if lang == "zh" else f'"{rule.quote.strip()}"')
    return "\n".join(parts)


def _select(key: str, values: Sequence[tuple[str, str]], lang: str) -> str:
    options = "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in values)
    return (f'<label>{esc(_w(key, lang))} <select id="f-{key}"><option value="">{esc(_w("all", lang))}</option>'
            f"{options}</select></label>")


def _table(records: Sequence[dict[str, Any]], rules: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    units = sorted({r.get("unit") or "" for r in records})
    rule_ids = sorted({r["rule"] for r in records})
    statuses = [s for s in STATUS if any(r["status"] == s for r in records)]
    filters = ('<div class="filters">'
               + _select("unit", [(u, u or NO_UNIT[not zh]) for u in units], lang)
               + _select("rule", [(r, f"{r} {_title(rules, r, lang)}") for r in rule_ids], lang)
               + _select("status", [(s, word(STATUS, s, lang)) for s in statuses], lang)
               + f'<span>{esc(_w("shown", lang))} <b id="shown">{len(records)}</b> '
               + (f'{_w("of", lang)} {len(records)} 项' if zh else f"{_w('of', lang)} {len(records)}")
               + "</span></div>")
    header = "".join(
        f'<th class="num"><button class="sort" id="sort-overdue" type="button">{esc(label[not zh])} ⇅</button></th>'
        if key == "overdue" else f"<th>{esc(label[not zh])}</th>" for key, label in COLUMNS)
    rows = []
    for i, r in enumerate(records):
        status_class = r["status"] if r["status"] in ("pending", "waived") else r["severity"]
        rows.append(
            f'<tr class="{esc(status_class)}" data-i="{i}" data-overdue="{overdue_days(r.get("overdue")):g}">'
            f'<td class="nw" title="{esc(_rule_tip(rules, r["rule"], lang))}">'
            f'<a href="#rule-{esc(r["rule"])}">{esc(r["rule"])}</a></td>'
            f'<td class="status nw">{esc(word(STATUS, r["status"], lang))}</td>'
            f'<td>{esc(r.get("unit") or "")}</td>'
            f'<td>{esc(_which(r))}</td>'
            f'<td>{esc(_where(r, lang))}</td>'
            f'<td class="nw">{esc(r.get("due") or "")}</td><td class="nw">{esc(r.get("actual") or "")}</td>'
            f'<td class="num nw">{esc(overdue_text(r.get("overdue"), lang))}</td>'
            f'<td>{esc(r["message"])}</td></tr>')
    body = "".join(rows) if rows else f'<tr><td colspan="{len(COLUMNS)}">{esc(_w("none", lang))}</td></tr>'
    return (f'<section id="findings"><h2>{esc(_w("findings", lang))}</h2>{filters}'
            f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></section>\n")


def _which(record: dict[str, Any]) -> str:
    """The case or period, and the group a ``for_each`` rule checked (``ATTR=VALUE``)."""
    which = record.get("case") or record.get("period") or ""
    if record.get("group"):
        which = f"{which} ({cell_text(record['group'])})" if which else cell_text(record["group"])
    return str(which)


def _where(record: dict[str, Any], lang: str) -> str:
    """``FILE:LINE [COLUMN]``, and the response's row when the finding names one."""
    where = location_text(record) if record.get("file") else ""
    if record.get("response"):
        where += ("，答复见 " if lang == "zh" else "; response at ") + cell_text(record["response"])
    return where


def _rules_section(records: Sequence[dict[str, Any]], rules: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    out = [f'<section id="rules"><h2>{esc(_w("rules", lang))}</h2>']
    for rule_id in sorted({r["rule"] for r in records}):
        rule = rules.get(rule_id)
        out.append(f'<details id="rule-{esc(rule_id)}"><summary><b>{esc(rule_id)}</b> '
                   f"{esc(_title(rules, rule_id, lang))}</summary>")
        if rule is not None:
            rs = rule.ruleset
            if rs is not None:
                out.append(f"<p>{esc(rs.document or rs.id)}" + (f"（{esc(rs.issued)}）" if zh and rs.issued else
                                                               f" ({esc(rs.issued)})" if rs.issued else "") + "</p>")
            if rule.clause:
                out.append(f"<p>{esc(_w('clause', lang))}：{esc(rule.clause)}</p>" if zh else
                           f"<p>{esc(_w('clause', lang))}: {esc(rule.clause)}</p>")
            if rule.quote:
                out.append(f"<blockquote>{esc(rule.quote.strip())}</blockquote>")
        out.append("</details>")
    out.append("</section>\n")
    return "".join(out)
