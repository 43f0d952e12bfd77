"""LawRefBook Markdown -> ParsedDocument and Articles, on inline examples and the whole corpus."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from extractors.lawtext import INFO_END, articles_of, parse_law_markdown, read_law_markdown
from extractors.model import ClauseKind, DocumentKind

LAW = """# 中华人民共和国示例管理法

2019年4月23日 第十三届全国人民代表大会常务委员会第十次会议通过

2019年10月1日 施行

<!-- INFO END -->

## 第一章  总 则

第一条 为了规范示例管理，制定本法。

第二条 示例管理应当遵循下列原则：

（一）合法；

（二）公开。

违反前款规定的，依法处理。

## 第二章 法律责任

### 第一节 一般规定

第三条 依照本法第一条 规定处理。
"""

# Local files list the chapter headings once as a table of contents before the body.
LAW_WITH_TOC = """# 某市示例条例

2022年1月10日 某市第十五届人民代表大会第五次会议通过

<!-- INFO END -->

## 第一章 总 则

## 第二章 附 则

## 第一章 总 则

第一条 为了示例，制定本条例。

## 第二章 附 则

第二条 本条例自2022年3月1日起施行。
"""


def test_parse_law_markdown_reads_title_and_history() -> None:
    doc = parse_law_markdown(LAW)
    assert doc.meta.title == "中华人民共和国示例管理法"
    assert doc.meta.history == (
        "2019年4月23日第十三届全国人民代表大会常务委员会第十次会议通过",
        "2019年10月1日施行",
    )


def test_parse_law_markdown_dates_from_history() -> None:
    meta = parse_law_markdown(LAW).meta
    assert (meta.issued_on, meta.effective_on) == (date(2019, 4, 23), date(2019, 10, 1))


def test_parse_law_markdown_headings_carried_by_articles() -> None:
    doc = parse_law_markdown(LAW)
    article = doc.clause("第三条")
    assert article is not None
    assert article.headings == ("第二章 法律责任", "第一节 一般规定")


def test_parse_law_markdown_heading_spaces_inside_names_removed() -> None:
    doc = parse_law_markdown(LAW)
    first = doc.clause("第一条")
    assert first is not None and first.headings == ("第一章 总则",)


def test_parse_law_markdown_paragraphs_and_items() -> None:
    doc = parse_law_markdown(LAW)
    labels = [c.label for c in doc.clauses]
    assert labels == [
        "第一条",
        "第二条",
        "第二条第一款",
        "第二条第一款第（一）项",
        "第二条第一款第（二）项",
        "第二条第二款",
        "第三条",
    ]


def test_parse_law_markdown_offsets_round_trip() -> None:
    doc = parse_law_markdown(LAW)
    assert all(doc.text[c.start : c.end] == c.text for c in doc.clauses)


def test_parse_law_markdown_table_of_contents_ignored() -> None:
    doc = parse_law_markdown(LAW_WITH_TOC)
    assert [(c.label, c.headings) for c in doc.clauses] == [
        ("第一条", ("第一章 总则",)),
        ("第二条", ("第二章 附则",)),
    ]


def test_parse_law_markdown_title_parts_become_headings() -> None:
    text = "# 中华人民共和国民法典\n\n# 合同编\n\n<!-- INFO END -->\n\n## 第一分编 通则\n\n第四百六十三条 本编调整因合同产生的民事关系。\n"
    doc = parse_law_markdown(text)
    assert doc.meta.title == "中华人民共和国民法典"
    assert doc.clauses[0].headings == ("合同编", "第一分编 通则")


def test_articles_of_strips_labels_and_joins_paragraphs() -> None:
    articles = articles_of(parse_law_markdown(LAW))
    second = articles[1]
    assert (second.number, second.label) == (2, "第二条")
    assert second.paragraphs == (
        "示例管理应当遵循下列原则：\n（一）合法；\n（二）公开。",
        "违反前款规定的，依法处理。",
    )
    assert second.text == "示例管理应当遵循下列原则：\n（一）合法；\n（二）公开。\n违反前款规定的，依法处理。"


def test_articles_of_single_paragraph_article() -> None:
    first = articles_of(parse_law_markdown(LAW))[0]
    assert first.paragraphs == ("为了规范示例管理，制定本法。",)


def test_articles_of_reference_in_text_is_not_an_article() -> None:
    assert [a.label for a in articles_of(parse_law_markdown(LAW))] == ["第一条", "第二条", "第三条"]


def test_read_law_markdown_kind_from_folder(tmp_path: Path) -> None:
    folder = tmp_path / "司法解释"
    folder.mkdir()
    path = folder / "示例解释.md"
    path.write_text("# 最高人民法院关于示例的解释\n\n<!-- INFO END -->\n\n第一条 示例。\n", "utf-8")
    assert read_law_markdown(path).meta.kind is DocumentKind.JUDICIAL_INTERPRETATION


def test_read_law_markdown_sha256_of_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(LAW.encode("utf-8"))
    assert read_law_markdown(path).sha256 == hashlib.sha256(LAW.encode("utf-8")).hexdigest()


# Counted independently of the parser: body lines that start with 第N条.
_ARTICLE_LINE = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+条", re.MULTILINE)
# How many corpus files may disagree with the independent count: the issue asks for >= 99.5 %.
MIN_AGREEMENT = 0.995


@pytest.mark.corpus
@pytest.mark.slow
def test_read_law_markdown_whole_corpus_article_counts(corpus_root: Path) -> None:
    files = sorted(corpus_root.rglob("*.md"))
    assert len(files) > 1000
    mismatches = []
    for path in files:
        raw = path.read_text("utf-8-sig")
        expected = len(_ARTICLE_LINE.findall(raw.split(INFO_END, 1)[-1]))
        doc = read_law_markdown(path)
        got = sum(1 for c in doc.clauses if c.kind is ClauseKind.ARTICLE)
        if got != expected:
            mismatches.append(f"{path.relative_to(corpus_root)}: {expected} lines, {got} articles")
    agreement = 1 - len(mismatches) / len(files)
    assert agreement >= MIN_AGREEMENT, "\n".join(mismatches)
