"""``gklint check --format html`` (contract section 11): one self-contained page.

The page is tested in a real headless Chromium (Debian's ``chromium``; skipped with the reason
where it is not installed), driven over the DevTools protocol through a pipe (tests/browser.py):
it renders (a screenshot of the expected size, not blank, with the charts' bars drawn), its
filters and sorting work (driven through the select boxes and through the URL's #fragment), and
no request leaves it (every request the page makes is recorded, and a local HTTP server that the
log's cells point at must see none). The log is hostile on purpose: markup, a script end tag and
a line separator in its cells.
"""
from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import Browser, find_chromium, png_pixels
from conftest import Workspace, stderr_of

from gklint.reporters.html import CSP, SCRIPT, STYLE, script_json

RULES = """\
- id: R-REPLY
  title: {zh: 申请5个工作日内答复, en: Reply within 5 working days}
  clause: 第三条第<二>款
  quote: 应当在收到申请之日起5个工作日内答复 & 告知</script>
  deadline: {after: received, expect: answered, within: 5 working days}
- id: R-MONTHLY
  title: {zh: 每月信息发布情况次月14日前报送, en: Monthly report by the 14th}
  severity: warning
  due: {expect: published, period: month, offset: 1, by: 14}
"""


def hostile_log(port: int) -> str:
    img = f"<img src=http://127.0.0.1:{port}/unit.png>"
    script = f"</script><script>fetch('http://127.0.0.1:{port}/js')</script>"
    return (
        "date,event,case,unit\n"
        "2019-02-15,published,,\n"
        "2019-03-04,received,A1,办公室\n"
        "2019-03-20,answered,A1,办公室\n"
        "2019-04-01,received,A2,办公室\n"
        "2019-04-03,answered,A2,办公室\n"
        "2019-04-10,received,B1,法规司\n"
        f'2019-04-11,received,"{script.replace(chr(34), chr(34) * 2)}",{img}\n'
        "2019-05-06,received,B2,法规司\n"
        "2019-05-27,received,C1,\u2028政策研究室\n"
        "2019-06-05,received,D1,办公室\n"
    )


class _Sink(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - one list shared by the server's handlers

    def do_GET(self) -> None:
        _Sink.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def sink() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server: any request the page made would land here."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Sink.hits
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("no chromium on PATH: install Debian's chromium (apt-get install chromium) to run the "
                    "HTML report's browser tests")
    b = Browser(executable)
    try:
        b.call("Browser.getVersion")
    except Exception as exc:  # noqa: BLE001 - a browser that cannot start is a skip with its reason
        b.close()
        pytest.skip(f"chromium did not start: {exc}")
    yield b
    b.close()


def write_report(ws: Workspace, port: int, lang: str = "zh") -> tuple[Path, dict[str, Any]]:
    ws.ruleset(RULES)
    ws.log(hostile_log(port))
    page = ws.root / "report.html"
    args = ("check", "events.csv", "-r", "rs.yaml", "--as-of", "2019-06-10", "--show-pending", "--lang", lang)
    result = ws.cli(*args, "--format", "html", "-o", str(page))
    assert result.exit_code == 1, stderr_of(result)
    return page, ws.cli_json(*args)


# --- the markup, without a browser ---------------------------------------------------------------

def test_html_escapes_every_text_from_the_log_and_ruleset(ws: Workspace) -> None:
    page, report = write_report(ws, 9)
    text = page.read_text(encoding="utf-8")
    assert "<img src=http" not in text and "&lt;img src=http://127.0.0.1:9/unit.png&gt;" in text
    # One </script> per script element: the log's and the ruleset's never close one.
    assert text.count("</script>") == 2 and text.count("<script") == 2
    assert "\u2028" not in text.split('id="gklint-data">')[1].split("</script>")[0]
    assert "第三条第&lt;二&gt;款" in text and "告知&lt;/script&gt;" in text
    assert "fetch(&#x27;http" in text  # quotes escaped in text and attributes alike
    # The embedded data is the JSON report's findings.
    data = json.loads(text.split('id="gklint-data">')[1].split("</script>")[0])
    assert data["findings"] == report["findings"] and data["as_of"] == "2019-06-10"


def test_html_is_self_contained_under_a_strict_content_security_policy(ws: Workspace) -> None:
    page, _ = write_report(ws, 9)
    text = page.read_text(encoding="utf-8")
    assert f'content="{CSP.replace(chr(39), "&#x27;")}"' in text
    assert CSP.startswith("default-src 'none';")
    for body, directive in ((STYLE, "style-src"), (SCRIPT, "script-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in CSP
    assert f"<style>{STYLE}</style>" in text and f"<script>{SCRIPT}</script>" in text
    tags = _tags(text)
    # Nothing to fetch: the only links are to places in the page; no style attributes (the policy
    # would refuse them); no element but the two script elements runs anything.
    assert {(t, a) for t, attrs in tags for a, _ in attrs if a in ("src", "srcset", "style", "action")} == set()
    assert {v for _, attrs in tags for a, v in attrs if a == "href" and not (v or "").startswith("#")} == set()
    assert {a for _, attrs in tags for a, _ in attrs if a.startswith("on")} == set()
    assert [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed", "img")] == ["script", "script"]


def _tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(text)
    return found


def test_script_json_cannot_end_the_script_element() -> None:
    value = {"a": "</script><!-- \u2028\u2029 & >"}
    out = script_json(value)
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == value


def test_html_in_english(ws: Workspace) -> None:
    page, _ = write_report(ws, 9, lang="en")
    text = page.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Findings by unit" in text and "Findings by month" in text


# --- in the browser --------------------------------------------------------------------------------

def test_html_renders_in_chromium(ws: Workspace, browser: Browser, sink: tuple[int, list[str]],
                                  tmp_path: Path) -> None:
    page_file, report = write_report(ws, sink[0])
    page = browser.open(page_file.as_uri(), width=1200, height=900)
    width, height = page.size()
    assert width == 1200 and 900 <= height < 20000
    full = page.screenshot()
    out = Path(os.environ.get("GKLINT_SCREENSHOT_DIR") or tmp_path) / "report-zh.png"
    out.write_bytes(full)  # GKLINT_SCREENSHOT_DIR=... keeps it to look at
    thumb_w, thumb_h, rows = png_pixels(page.screenshot(scale=0.1))
    assert (thumb_w, thumb_h) == (120, round(height * 0.1)) or abs(thumb_h - height * 0.1) <= 1
    pixels = [row[i:i + 3] for row in rows for i in range(0, len(row), 3)]
    ink = sum(1 for p in pixels if min(p) < 200) / len(pixels)
    red = sum(1 for r, g, b in pixels if r > 150 and g < 110 and b < 110)
    assert ink > 0.03, f"the page looks blank ({ink:.1%} of it is not white)"
    assert red >= 10, "no error-red bars drawn"
    # The Chinese text was laid out with a font that has the characters (no tofu boxes): the
    # title is as wide as its characters, not as narrow as missing-glyph boxes would make it.
    title_width = page.evaluate("document.querySelector('h1').getBoundingClientRect().width")
    assert title_width > 10 * 16
    assert page.evaluate("document.querySelectorAll('svg rect.bar').length") >= 5
    assert page.evaluate("document.querySelectorAll('#findings tbody tr').length") == len(report["findings"])
    assert not [m for m in page.console() if "Content Security Policy" in m or "Refused" in m], page.console()


def _visible(page: Any) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('#findings tbody tr'))"
                         ".filter(tr => !tr.hidden).map(tr => tr.cells[3].textContent)")


def test_html_filters_and_sorts_in_chromium(ws: Workspace, browser: Browser, sink: tuple[int, list[str]]) -> None:
    page_file, report = write_report(ws, sink[0])
    findings = report["findings"]
    page = browser.open(page_file.as_uri())
    assert len(_visible(page)) == len(findings)
    # The select boxes, as a person uses them.
    page.evaluate("var s = document.getElementById('f-unit'); s.value = '法规司'; "
                  "s.dispatchEvent(new Event('change'))")
    expected = [f["case"] or f["period"] for f in findings if f["unit"] == "法规司"]
    assert _visible(page) == expected and len(expected) == 2
    assert page.evaluate("document.getElementById('shown').textContent") == "2"
    assert "unit=%E6%B3%95%E8%A7%84%E5%8F%B8" in page.evaluate("location.hash")  # a link that keeps the view
    page.evaluate("var s = document.getElementById('f-status'); s.value = 'pending'; "
                  "s.dispatchEvent(new Event('change'))")
    assert _visible(page) == [f["case"] for f in findings if f["unit"] == "法规司" and f["status"] == "pending"]
    # The #fragment: a link to the page with filters set (what the chart bars also do).
    page.navigate(page_file.as_uri() + "#rule=R-REPLY&status=missing")
    assert _visible(page) == [f["case"] for f in findings if f["rule"] == "R-REPLY" and f["status"] == "missing"]
    assert 0 < len(_visible(page)) < len(findings)
    # A click on a unit's bar filters the table by it.
    page.navigate(page_file.as_uri() + "#")
    page.evaluate("document.querySelector('g.pick[data-key=unit][data-value=\"办公室\"]')"
                  ".dispatchEvent(new MouseEvent('click'))")
    assert _visible(page) == [f["case"] for f in findings if f["unit"] == "办公室"]
    # Sorting by overdue: most overdue first, then the other way round.
    page.navigate(page_file.as_uri() + "#sort=overdue")
    overdue = page.evaluate("Array.from(document.querySelectorAll('#findings tbody tr'))"
                            ".map(tr => +tr.getAttribute('data-overdue'))")
    assert overdue == sorted(overdue, reverse=True) and overdue[0] > 0
    page.evaluate("document.getElementById('sort-overdue').click()")
    overdue = page.evaluate("Array.from(document.querySelectorAll('#findings tbody tr'))"
                            ".map(tr => +tr.getAttribute('data-overdue'))")
    assert overdue == sorted(overdue)


def test_no_request_leaves_the_page(ws: Workspace, browser: Browser, sink: tuple[int, list[str]]) -> None:
    port, hits = sink
    page_file, _ = write_report(ws, port)
    hits.clear()
    page = browser.open(page_file.as_uri())
    page.evaluate("document.getElementById('sort-overdue').click()")  # the script ran, and asked for nothing
    time.sleep(0.3)
    assert page.requests() == [page_file.as_uri()]
    assert page.blocked() == [] and hits == []


def test_the_request_log_sees_a_request_and_the_policy_blocks_it(browser: Browser, sink: tuple[int, list[str]],
                                                                 tmp_path: Path) -> None:
    """The harness's own control: a page that does fetch is seen fetching; the same page under
    the report's policy is blocked before anything reaches the server."""
    port, hits = sink
    hits.clear()
    leaky = tmp_path / "leaky.html"
    leaky.write_text(f'<!DOCTYPE html><img src="http://127.0.0.1:{port}/leak.png">', encoding="utf-8")
    page = browser.open(leaky.as_uri())
    assert f"http://127.0.0.1:{port}/leak.png" in page.requests()
    assert hits == ["/leak.png"]
    hits.clear()
    guarded = tmp_path / "guarded.html"
    guarded.write_text(f'<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="{CSP}">'
                       f'<img src="http://127.0.0.1:{port}/leak.png">', encoding="utf-8")
    page = browser.open(guarded.as_uri())
    time.sleep(0.3)
    assert hits == []
    # The attempt is still recorded (so the report's test above would see one), marked blocked.
    assert f"http://127.0.0.1:{port}/leak.png" in page.requests()
    assert [b.get("blockedReason") for b in page.blocked()] == ["csp"]


def test_html_shows_optional_fields_when_findings_carry_them() -> None:
    """A ledger's column next to FILE:LINE, a for_each group beside the case, the response's row."""
    from gklint.reporters.html import _where, _which

    record = {"case": "A1", "file": "台账.xlsx", "line": 14, "column": "答复日期",
              "group": {"类别": "简单"}, "response": {"file": "台账.xlsx", "line": 20}}
    assert _where(record, "zh") == "台账.xlsx:14 [答复日期]，答复见 台账.xlsx:20"
    assert _which(record) == "A1 (类别=简单)"
    assert _which({"period": "2019", "group": {"unit": "办公室"}}) == "2019 (unit=办公室)"
    assert _where({"period": "2019"}, "en") == ""


def test_the_unit_month_table_keeps_months_with_findings_over_two_years() -> None:
    from gklint.reporters.html import _charts

    def record(due: str, unit: str) -> dict[str, Any]:
        return {"rule": "R", "severity": "error", "status": "missing", "unit": unit, "due": due}

    short = _charts([record("2019-01-05", "甲"), record("2019-04-05", "乙")], {}, "zh")
    assert re.findall(r'<th class="num">(\d{4}-\d\d)</th>', short) == ["2019-01", "2019-02", "2019-03", "2019-04"]
    long = _charts([record("2019-01-05", "甲"), record("2021-06-05", "乙")], {}, "zh")
    assert re.findall(r'<th class="num">(\d{4}-\d\d)</th>', long) == ["2019-01", "2021-06"]
    assert long.count('class="bar error"') == 2 + 1 + 2  # a bar per unit, per rule, per month with findings
