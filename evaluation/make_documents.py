"""Write the labelled evaluation set: invented normative documents as .docx and .pdf, plus labels.

Run ``.venv/bin/python -m evaluation.make_documents`` from the project root. Every document below
is our own writing (invented places 江川市, 清河县, 云岭县 …); only law titles and article numbers
are real facts. A body line may end with markers: ``⟦rule-id⟧`` plants a problem the catalogue must
find in that clause, ``⟦~rule-id⟧`` marks a lawful look-alike a keyword matcher would flag.
Markers are stripped before rendering and written to ``labels.csv`` / ``decoys.csv``.

With a set name (``heldout``, ``heldout2``, ``heldout3``, ``heldout4``, ``heldout5``) the documents of
``evaluation/<name>_documents.py`` are rendered into ``evaluation/<name>/`` instead, with a
``meta.json`` carrying the review date.
"""

from __future__ import annotations

import csv
import importlib
import re
from pathlib import Path

from evaluation.documents import AS_OF, DOCUMENTS, Doc

HERE = Path(__file__).resolve().parent
# Held-out sets: name on the command line -> module holding its DOCUMENTS; rendered into HERE / name.
HELDOUT_SETS = {
    "heldout": "evaluation.heldout_documents",
    "heldout2": "evaluation.heldout2_documents",
    "heldout3": "evaluation.heldout3_documents",
    "heldout4": "evaluation.heldout4_documents",
    "heldout5": "evaluation.heldout5_documents",
}
MARKER = re.compile(r"⟦(~?)([a-z-]+)⟧")
ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条)")
TOP = re.compile(r"^([一二三四五六七八九十]+、)")
SUB = re.compile(r"^(（[一二三四五六七八九十]+）)")
FONT = "STSong-Light"


def clean(line: str) -> str:
    return MARKER.sub("", line).rstrip()


def lines_of(doc: Doc) -> list[str]:
    """The whole text of a document, in reading order."""
    head = [f"{doc.issuer}文件", doc.number, doc.title, doc.to, doc.intro]
    if doc.attachment:
        tail_of_notice = [f"附件：{doc.attachment}", doc.sign, doc.date, doc.attachment]
        return head + tail_of_notice + [clean(b) for b in doc.body] + list(doc.closing)
    return head + [clean(b) for b in doc.body] + list(doc.closing) + [doc.sign, doc.date]


def labels_of(doc: Doc) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(clause label, rule) pairs of planted problems and of decoys, in document order."""
    problems: list[tuple[str, str]] = []
    decoys: list[tuple[str, str]] = []
    top = sub = ""
    article = ""
    for raw in doc.body:
        text = clean(raw)
        if m := ARTICLE.match(text):
            article = m.group(1)
        elif m := TOP.match(text):
            top, sub = m.group(1), ""
        elif m := SUB.match(text):
            sub = m.group(1)
        label = article or (top + sub) or "全文"
        for tilde, rule in MARKER.findall(raw):
            (decoys if tilde else problems).append((label, rule))
    return problems, decoys


def write_docx(doc: Doc, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    out = Document()
    style = out.styles["Normal"]
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    style.font.size = Pt(14)
    red = out.add_paragraph()
    red.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = red.add_run(f"{doc.issuer}文件")
    run.font.size = Pt(26)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    run.bold = True
    for text in lines_of(doc)[1:]:
        para = out.add_paragraph(text)
        if text in (doc.number, doc.title, doc.attachment) or (text.startswith("第") and "章" in text[:5]):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif text in (doc.sign, doc.date):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out.core_properties.title = doc.title
    out.save(str(path))


def write_pdf(doc: Doc, path: Path) -> None:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    # Noto CJK ships CFF outlines, which reportlab cannot embed; the Adobe CID font needs no file.
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK")
    center = ParagraphStyle("center", parent=body, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    red = ParagraphStyle("red", parent=center, fontSize=22, leading=30, textColor="#C00000")
    story: list[object] = [Paragraph(f"{doc.issuer}文件", red), Spacer(1, 8)]
    for text in lines_of(doc)[1:]:
        style = body
        if text in (doc.number, doc.title, doc.attachment):
            style = center
        elif text in (doc.sign, doc.date):
            style = right
        story.append(Paragraph(text, style))
    SimpleDocTemplate(str(path), pagesize=A4, title=doc.title, author=doc.issuer).build(story)


def main() -> None:
    import sys

    documents, here = DOCUMENTS, HERE
    args = sys.argv[1:]
    if args:
        if len(args) != 1 or args[0] not in HELDOUT_SETS:
            raise SystemExit(f"usage: python -m evaluation.make_documents [{' | '.join(HELDOUT_SETS)}]")
        documents = importlib.import_module(HELDOUT_SETS[args[0]]).DOCUMENTS
        here = HERE / args[0]
        here.mkdir(exist_ok=True)
        (here / "meta.json").write_text(f'{{"as_of": "{AS_OF}"}}\n', encoding="utf-8")
    out = here / "documents"
    out.mkdir(exist_ok=True)
    names = [d.name for d in documents]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate document names")
    with (
        (here / "labels.csv").open("w", encoding="utf-8", newline="") as labels,
        (here / "decoys.csv").open("w", encoding="utf-8", newline="") as decoys,
        (here / "recommendations.csv").open("w", encoding="utf-8", newline="") as recs,
    ):
        lw, dw, rw = csv.writer(labels), csv.writer(decoys), csv.writer(recs)
        lw.writerow(["document", "clause", "rule"])
        dw.writerow(["document", "clause", "looks_like"])
        rw.writerow(["document", "decision", "repeal_kind", "kind"])
        for doc in documents:
            problems, lookalikes = labels_of(doc)
            lw.writerows((doc.name, c, r) for c, r in problems)
            dw.writerows((doc.name, c, r) for c, r in lookalikes)
            rw.writerow([doc.name, doc.decision, doc.repeal_kind, doc.kind])
            write_docx(doc, out / f"{doc.name}.docx")
            write_pdf(doc, out / f"{doc.name}.pdf")
    print(f"wrote {len(documents)} documents to {out}")


if __name__ == "__main__":
    main()
