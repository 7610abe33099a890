"""Made-up documents shaped like real ones (a product datasheet, a multi-page report), with
questions a reader would ask of them and the line that answers each."""

from __future__ import annotations

from remqa.evaluation.table_docs import DocTable, TableDoc

DATASHEET_TITLE = "Velkor VX-31 Photovoltaic Module"
DATASHEET_INTRO = (
    "The Velkor VX-31 is a 415 W glass-glass module for rooftop installations. Every module "
    "is flash-tested and labelled before it leaves the Tallinn plant."
)
DATASHEET_SECTIONS = [
    (
        "General specifications",
        [
            ("Model", "VX-31 glass-glass"),
            ("Modules per box", "31 pieces"),
            ("Weight", "21.4 kg"),
            ("Dimensions", "1722 x 1134 x 30 mm"),
            ("Operating temperature", "-40 to 85 °C"),
            ("Maximum system voltage", "1500 V DC"),
            ("Module efficiency", "21.3%"),
            ("Cell type", "Monocrystalline, 108 half-cells"),
        ],
    ),
    (
        "Logistics and warranty",
        [
            ("Boxes per pallet", "26"),
            ("Cable length", "1.2 m"),
            ("Product warranty", "12 years"),
            ("Power warranty", "30 years"),
            ("Snow load", "5400 Pa"),
        ],
    ),
]
DATASHEET_TABLE = [
    ["Parameter", "STC", "NOCT", "Unit"],
    ["Maximum power", "415", "311", "W"],
    ["Open-circuit voltage", "37.6", "35.3", "V"],
    ["Short-circuit current", "14.1", "11.4", "A"],
    ["Current at Pmax", "13.2", "10.6", "A"],
]
DATASHEET_NOTES = ["STC: irradiance 1000 W/m², cell temperature 25 °C."]
# (question, the line the answer must quote, a figure the answer must state)
DATASHEET_QUESTIONS = [
    ("How many modules come in one box?", "Modules per box: 31 pieces", "31"),
    ("How heavy is the module?", "Weight: 21.4 kg", "21.4 kg"),
    ("How many boxes fit on a pallet?", "Boxes per pallet: 26", "26"),
    ("How long is the power warranty?", "Power warranty: 30 years", "30 years"),
]

REPORT_HEADER = "Harbour Authority of Norrvik - Annual water report"
REPORT_PARAGRAPHS = [
    "Summary",
    "The Harbour Authority of Norrvik monitored water quality at fourteen sampling stations "
    "throughout the year. Dissolved oxygen stayed above the regulatory minimum at every "
    "station except the inner basin, where it fell below the limit during three weeks of "
    "August after an unusually long spell of warm and windless weather.",
    "Dredging of the eastern fairway removed 184,000 cubic metres of sediment, considerably "
    "more than the 120,000 cubic metres planned, because the spring floods had carried "
    "unexpected quantities of silt from the upstream agricultural catchment into the channel.",
    "Finances",
    "Operating revenue reached 41.7 million kronor, an increase of 6% over the previous year, "
    "driven mainly by higher cargo volumes at the container terminal and by the new fees "
    "introduced for recreational vessels at the municipal guest harbour.",
    "The authority invested 12.3 million kronor in a new wastewater reception facility for "
    "cruise ships, which will be commissioned next spring and is expected to eliminate the "
    "discharge of untreated grey water inside the harbour limits.",
    "Environmental incidents",
    "Two minor oil spills were reported, both contained within hours by the standby response "
    "team. The first, in March, involved a refuelling hose that ruptured on a fishing "
    "vessel; the second, in October, was traced to a leaking bilge pump on a visiting yacht.",
    "Eelgrass meadows in the northern bay expanded to 38 hectares, the largest extent "
    "recorded since systematic monitoring began in 1996, which the authority attributes to "
    "clearer water and to the anchoring ban introduced in the bay three years ago.",
    "Outlook",
    "For the coming year the authority plans to install continuous oxygen sensors in the "
    "inner basin, to extend the anchoring ban to the western shallows, and to publish its "
    "sampling data every month on an open data portal maintained together with the university.",
]
REPORT_QUESTIONS = [
    ("How much sediment was dredged from the eastern fairway?", "184,000 cubic metres"),
    ("What was the operating revenue of the harbour authority?", "41.7 million kronor"),
    ("How large are the eelgrass meadows in the northern bay?", "38 hectares"),
    (
        "How much did the authority invest in the wastewater reception facility?",
        "12.3 million kronor",
    ),
]


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A real Word file holding these paragraphs (python-docx)."""
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A small zip that unpacks to 50 MB: a .docx in name only."""
    import io
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 50_000_000)
    return bomb.getvalue()


# A two-page PDF report (`table_docs.write`): a ruled grid on page 1, then (a table a page) a
# table with no lines at all on page 2; the paragraphs, caption and a bulleted list are prose.
KILN_SURVEY = TableDoc(
    file="survey.pdf",
    title="Kiln survey",
    intro="Every kiln of the district was measured twice during the winter of 2024, "
    "once at full load and once idling, by the same two inspectors.",
    tables=[
        DocTable(
            header=["Kiln", "Capacity", "Fuel use", "Uptime"],
            rows=[["Ostra", "12.5 t", "3,100 l", "91%"], ["Vasta", "8 t", "2,450 l", "87%"]],
            caption="Kilns at full load",
            style="ruled",
        ),
        DocTable(
            header=["Inspector", "Visits", "Report due"],
            rows=[["Agneta Lindqvist", "14", "week 9"], ["Bertil Holmgren", "11", "week 12"]],
            style="unruled",
        ),
    ],
    outro="• The figures are rounded.",
)
