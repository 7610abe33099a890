"""A generated 5-page report whose known sentences sit on known pages (found independently,
by searching PDFium's own page text for each sentence's unique name)."""

from __future__ import annotations

from pathlib import Path

FILLER = (
    "The committee reviewed the general arrangements for the coming season and agreed that "
    "the usual procedures would continue without change. Members noted that the records were "
    "kept in good order and that the annual inspection had raised no particular concerns. "
    "Several routine matters were discussed at some length before the meeting moved on."
)
# (unique name, sentence, question): each sentence holds one figure, about one named thing.
FACTS = [
    (
        "Quillmere",
        "The Quillmere reservoir holds 412 million cubic metres of water.",
        "How much water does the Quillmere reservoir hold?",
    ),
    (
        "Brantowe",
        "The Brantowe pumping station lifts 7,300 litres of water per second.",
        "How many litres per second does the Brantowe pumping station lift?",
    ),
    (
        "Ostravel",
        "The Ostravel treatment plant cleans 64 percent of the valley's waste water.",
        "What share of the valley's waste water does the Ostravel treatment plant clean?",
    ),
    (
        "Vendhollow",
        "The Vendhollow aqueduct was completed in 1887 by the county engineers.",
        "When was the Vendhollow aqueduct completed?",
    ),
    (
        "Marrowfield",
        "The Marrowfield canal is 38 kilometres long from end to end.",
        "How long is the Marrowfield canal?",
    ),
]
# A sentence long enough to be set over two pages when it ends the fourth page's text (and
# under the 60 words of a chunk, so it is quoted whole).
SPANNING = (
    "Zentheria",
    "The Zentheria pipeline, which the regional water board planned for many years, argued "
    "over in three public consultations and finally approved after a long dispute about its "
    "route through the wetlands north of the old mill and the meadows beyond the river, "
    "carries 950 litres of water per second from the northern springs to the city.",
    "How many litres of water per second does the Zentheria pipeline carry?",
)
HEADINGS = ["Storage", "Pumping", "Treatment", "History", "Transport"]


def paged_report(path: Path) -> None:
    """Five A4 pages: each of the first four opens with a heading and one fact among filler;
    filler then fills page 4 so far that the spanning sentence starts on page 4 and ends on
    page 5, where the fifth heading and fact follow."""
    for fill in range(20):
        _build(path, fill)
        if pages_of(path, "Zentheria") == [4] and pages_of(path, "northern springs") == [5]:
            return
    raise AssertionError("no filler length sets the spanning sentence over a page break")


def _build(path: Path, fill: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15)
    heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=15, leading=20)
    story: list[object] = []
    for page, (title, (_, fact, _q)) in enumerate(zip(HEADINGS, FACTS, strict=True), start=1):
        if page > 1 and page != 5:
            story.append(PageBreak())
        story.append(Paragraph(title, heading))
        story.append(Paragraph(f"{FILLER} {fact} {FILLER}", body))
        if page == 4:  # fill the page so the spanning sentence runs over onto page 5
            story.extend(Paragraph(FILLER, body) for _ in range(fill))
            story.append(Paragraph(f"{FILLER} {FILLER} {SPANNING[1]}", body))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def pages_of(path: Path, word: str) -> list[int]:
    """The 1-based pages whose PDFium text holds `word`."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        found = []
        for number in range(len(document)):
            text = document[number].get_textpage().get_text_range()
            if word in " ".join(text.split()):
                found.append(number + 1)
        return found
    finally:
        document.close()
