"""Writes this folder's ledger twice: .xlsx (real Excel dates, a merged title row) and GBK CSV.

    python examples/ledger-2019/make_ledger.py examples/ledger-2019
"""
import datetime as dt
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

out = Path(sys.argv[1])
TITLE = "2019年依申请公开登记台账"
HEADER = ["申请编号", "申请人类型", "申请方式", "承办部门", "收到申请日期", "是否需要补正", "补正告知日期",
          "收到补正日期", "延期告知日期", "征求意见日期", "收到意见日期", "答复日期", "答复类型", "备注"]
D = dt.date
ROWS = [
    ["依申〔2019〕1号", "自然人", "网络", "办公室", D(2019, 6, 3), "否", None, None, None, None, None, D(2019, 6, 24), "予以公开", ""],
    ["依申〔2019〕2号", "商业企业", "信函", "法规处", D(2019, 6, 10), "否", None, None, D(2019, 7, 5), None, None, D(2019, 7, 30), "部分公开", "延期答复"],
    ["依申〔2019〕3号", "自然人", "当面", "专利管理处", D(2019, 7, 1), "否", None, None, None, None, None, D(2019, 8, 2), "不予公开", ""],
    ["依申〔2019〕4号", "自然人", "网络", "办公室", D(2019, 8, 5), "是", D(2019, 8, 9), D(2019, 8, 20), None, None, None, D(2019, 9, 10), "予以公开", "申请内容不明确"],
    ["依申〔2019〕5号", "科研机构", "网络", "商标管理处", D(2019, 9, 2), "否", None, None, None, D(2019, 9, 6), D(2019, 10, 18), D(2019, 10, 25), "予以公开", "征求第三方意见"],
    ["依申〔2019〕6号", "自然人", "网络", "专利管理处", D(2019, 11, 4), "否", None, None, None, None, None, None, "", "未办结"],
    ["依申〔2019〕7号", "法律服务机构", "信函", "办公室", D(2019, 11, 11), "需要", D(2019, 11, 25), None, None, None, None, None, "", "等待补正"],
    ["依申〔2019〕8号", "自然人", "网络", "法规处", D(2019, 11, 18), "否", None, None, None, None, None, "2019年11月31日", "予以公开", ""],
    ["依申〔2019〕9号", "自然人", "当面", "办公室", D(2019, 12, 16), "否", None, None, None, None, None, None, "", ""],
]
FOOTER = ["填表人：张三", "", "", "", "", "", "", "", "", "", "审核人：李四"]

book = openpyxl.Workbook()
sheet = book.active
sheet.title = "台账"
sheet.append([TITLE])
sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
sheet["A1"].font = Font(bold=True, size=14)
sheet["A1"].alignment = Alignment(horizontal="center")
sheet.append(HEADER)
for row in ROWS:
    sheet.append([dt.datetime.combine(c, dt.time()) if isinstance(c, dt.date) else c for c in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy\"年\"m\"月\"d\"日\""
sheet.append([])
sheet.append(FOOTER)
for i, width in enumerate([16, 12, 10, 12] + [14] * 8 + [10, 16], start=1):
    sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
book.properties.creator = "gklint example"
book.properties.created = book.properties.modified = dt.datetime(2020, 1, 2)
book.save(out / "依申请公开登记台账.xlsx")


def text(c):
    if isinstance(c, dt.date):
        return f"{c.year}年{c.month}月{c.day}日"
    return c or ""


lines = [",".join([TITLE] + [""] * (len(HEADER) - 1)), ",".join(HEADER)]
lines += [",".join(text(c) for c in row) for row in ROWS]
lines += [",".join([""] * len(HEADER)), ",".join(FOOTER + [""] * (len(HEADER) - len(FOOTER)))]
(out / "依申请公开登记台账-GBK.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
