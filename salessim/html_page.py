"""The pieces of salessim's self-contained HTML pages (the comparison report, the calibration's fit
report): one style sheet, tables of formatted cells, figures as base64 PNG data URIs, so that a
page opens from disk with no network."""

from __future__ import annotations

import base64
import html
import re
from typing import Any

CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;background:#f6f6f4;
color:#222;line-height:1.45}
main{max-width:1500px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;
padding-bottom:4px}.sub{color:#666;font-size:13px}
.question{font-size:17px;background:#eef4fa;border-left:4px solid #4a7fb5;padding:10px 14px}
.answer{font-size:16px;border-left:4px solid #2e7d4f;padding:6px 14px}
.points li{margin:4px 0}
.alert{background:#fdecea;border-left:4px solid #c0392b;padding:10px 14px}
.note{background:#fafafa;border-left:4px solid #bbb;padding:8px 14px;font-size:14px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{padding:4px 6px;
border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}th{background:#f0f0ee}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.n span{white-space:nowrap}
.scroll{overflow-x:auto}ul.sub li{margin:3px 0}
tr.base td{font-weight:600;background:#f7f7f2}
figure{margin:16px 0 28px}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:14px;color:#333;max-width:900px;margin-top:6px}
code{font-size:12px;background:#f3f3f3;padding:1px 3px}details summary{cursor:pointer;font-weight:600}
li pre{font-size:12px;background:#f3f3f3;padding:6px 8px;margin:6px 0 10px;white-space:pre-wrap;
overflow-wrap:anywhere}
"""


def escaped(x: Any) -> str:
    """``x`` as text an HTML page shows as it is."""
    return html.escape(str(x))


def html_table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
           row_class: list[str] | None = None) -> str:
    """An HTML table of already formatted (unescaped) cells."""
    out = ["<div class='scroll'><table>" + ("<tr>" + "".join(f"<th>{escaped(h)}</th>" for h in head) + "</tr>"
                                             if head else "")]
    for i, row in enumerate(rows):
        cls = f' class="{row_class[i]}"' if row_class and row_class[i] else ""
        cells = "".join(f'<td class="n">{numeric_cell(c)}</td>' if j in numeric
                        else f"<td>{escaped(c).replace(',', ',<wbr>')}</td>" for j, c in enumerate(row))
        out.append(f"<tr{cls}>{cells}</tr>")
    return "\n".join(out) + "</table></div>"


def numeric_cell(cell: str) -> str:
    """A figure and its interval or note, '+1,234 [+1,000, +1,500]', '-5,000 (month 3)', each kept
    whole: a table too wide for the page puts the second under the first instead of making the
    reader scroll."""
    parts = re.split(r" (?=[\[(])", cell, maxsplit=1)
    return " ".join(f"<span>{escaped(part)}</span>" for part in parts)


def html_figure(png: bytes, alt: str, caption: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{escaped(alt)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{caption}</figcaption></figure>")
