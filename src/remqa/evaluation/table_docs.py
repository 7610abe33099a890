"""Documents with tables, written from plain data: a Word datasheet, an HTML page and a PDF
report (ruled and unruled tables), for the table eval and the PDF table bench.

The same `TableDoc` can be written in any of the three formats; the writers are deterministic
(fixed creation dates), so a regenerated file has the same bytes and the same index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DocTable:
    rows: list[list[str]]
    header: list[str] = field(default_factory=list)  # empty: a table without a header row
    caption: str = ""
    style: str = "ruled"  # PDF only: "ruled" (a grid) or "unruled" (no lines, bold header)


@dataclass(frozen=True)
class TableDoc:
    file: str
    title: str
    intro: str
    tables: list[DocTable]
    outro: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TableDoc:
        tables = [
            DocTable(
                rows=[[str(c) for c in row] for row in t["rows"]],
                header=[str(c) for c in t.get("header", [])],
                caption=str(t.get("caption", "")),
                style=str(t.get("style", "ruled")),
            )
            for t in data["tables"]
        ]
        return cls(
            file=str(data["file"]),
            title=str(data["title"]),
            intro=" ".join(str(data["intro"]).split()),
            tables=tables,
            outro=" ".join(str(data.get("outro", "")).split()),
        )


def write(doc: TableDoc, folder: Path) -> Path:
    """Write `doc` into `folder` in the format its file name says."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / doc.file
    suffix = path.suffix.lower()
    if suffix == ".docx":
        write_docx(doc, path)
    elif suffix in {".html", ".htm"}:
        path.write_text(html_page(doc), encoding="utf-8")
    elif suffix == ".pdf":
        write_pdf(doc, path)
    else:
        raise ValueError(f"{doc.file}: write .docx, .html or .pdf")
    return path


def html_page(doc: TableDoc) -> str:
    parts = [f"<h1>{escape(doc.title)}</h1>", f"<p>{escape(doc.intro)}</p>"]
    for table in doc.tables:
        rows = []
        if table.header:
            rows.append("<tr>" + "".join(f"<th>{escape(c)}</th>" for c in table.header) + "</tr>")
        rows += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in table.rows]
        caption = f"<caption>{escape(table.caption)}</caption>" if table.caption else ""
        parts.append(f"<table>{caption}\n" + "\n".join(rows) + "\n</table>")
    if doc.outro:
        parts.append(f"<p>{escape(doc.outro)}</p>")
    return (
        "<!doctype html>\n<html><head><meta charset='utf-8'>"
        f"<title>{escape(doc.title)}</title></head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def write_docx(doc: TableDoc, path: Path) -> None:
    import datetime

    import docx

    document = docx.Document()
    document.core_properties.created = datetime.datetime(2025, 1, 1)
    document.core_properties.modified = datetime.datetime(2025, 1, 1)
    document.add_heading(doc.title, level=1)
    document.add_paragraph(doc.intro)
    for table in doc.tables:
        if table.caption:
            document.add_heading(table.caption, level=2)
        grid = ([table.header] if table.header else []) + table.rows
        out = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))
        out.style = "Table Grid"
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                out.cell(r, c).text = value
                if table.header and r == 0:  # a header row as people mark it: bold
                    for run in out.cell(r, c).paragraphs[0].runs:
                        run.bold = True
    if doc.outro:
        document.add_paragraph(doc.outro)
    document.save(str(path))


def write_pdf(doc: TableDoc, path: Path) -> None:
    """A report: title, paragraphs and tables (a grid, or no lines at all and a bold header),
    with the running header and page numbers of `pdf_maker`."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

    from remqa.evaluation.pdf_maker import _document, _fonts, _markup

    fonts = _fonts()
    title = ParagraphStyle("title", fontName=fonts.bold, fontSize=16, leading=8 * mm)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10.5, leading=14)
    heading = ParagraphStyle(
        "heading", fontName=fonts.bold, fontSize=12, leading=16, spaceBefore=4 * mm
    )
    story: list[Any] = [Paragraph(_markup(doc.title), title), Spacer(0, 3 * mm)]
    story.append(Paragraph(_markup(doc.intro), body))
    for i, table in enumerate(doc.tables):
        if i:
            story.append(PageBreak())  # a table a page, as reports lay out their exhibits
        if table.caption:
            story.append(Paragraph(_markup(table.caption), heading))
        story.append(Spacer(0, 2 * mm))
        story.append(_pdf_table(table, fonts, Table, TableStyle, colors))
    if doc.outro:
        story += [Spacer(0, 4 * mm), Paragraph(_markup(doc.outro), body)]
    _document(path, f"{doc.title} - survey results", doc.title, fonts).build(story)


def _pdf_table(table: DocTable, fonts: Any, table_cls: Any, style_cls: Any, colors: Any) -> Any:
    grid: Sequence[Sequence[str]] = ([table.header] if table.header else []) + table.rows
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if table.header:
        commands.append(("FONTNAME", (0, 0), (-1, 0), fonts.bold))
    if table.style == "ruled":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    return table_cls([list(row) for row in grid], hAlign="LEFT", style=style_cls(commands))
