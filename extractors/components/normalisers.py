"""Per-family normalisers: a matched span in, its attributes out (or None: a lawful look-alike).

Each is registered in spaCy's ``misc`` registry under a versioned name and referenced from the
pipeline config, so a changed behaviour gets a new name instead of silently changing results.
Attribute values are strings (they end up in `Span.attrs`); integers are written in decimal.
The pattern id that matched is ``span.id_``; for most families it already is the type.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache

from spacy.tokens import Span
from spacy.util import registry

from extractors.amounts import AmountRange, AmountUnit, find_amount_ranges
from extractors.components.ruler import Attrs, Extender, Normaliser, char_classes, load_patterns
from extractors.numerals import chinese_to_int

# A range like 第一条至第九十条 is expanded into its articles only up to this many; longer
# ranges are written as first-last (nobody cites ninety articles to mean each of them).
MAX_EXPANDED_RANGE = 30
# How far (characters) a look-alike check looks around a span.
CONTEXT_CHARS = 4


# Context is read from a slice of tokens, never from ``doc.text`` (which re-joins the whole doc
# on every call). With character segmentation a token is a character.
def _before(span: Span, n: int = CONTEXT_CHARS) -> str:
    text: str = span.doc[max(0, span.start - n) : span.start].text_with_ws
    return text[-n:] if n <= len(text) else text


def _after(span: Span, n: int = CONTEXT_CHARS) -> str:
    text: str = span.doc[span.end : span.end + n].text
    return text[:n]


def _at_line_start(span: Span) -> bool:
    """Only whitespace between the start of the text (or of a line) and the span."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].is_space:
        if "\n" in doc[i].text:
            return True
        i -= 1
    return i < 0


def _number(text: str) -> int | None:
    return chinese_to_int(text.replace("○", "〇").replace("Ｏ", "〇"))


def _decimal(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value)


# --- CITATION -------------------------------------------------------------------------------

# Title suffixes, checked on the title without trailing （试行）/（2019年修订）. Longest first
# within each list; certificates win over law suffixes only by being the actual ending
# (行政处罚决定书 ends in 书, 许可证管理办法 ends in 办法).
_CERTIFICATE_SUFFIXES = (
    "证书",
    "执照",
    "许可证",
    "批件",
    "证",
    "照",
    "书",
    "表",
    "单",
    "卡",
    "牌",
    "册",
    "簿",
)
_LAW_SUFFIXES = (
    "法典", "修正案", "通则", "法", "条例", "规定", "办法", "细则", "决定", "解释", "规则", "决议", "规章",
    "意见", "通知", "批复", "答复", "命令", "令", "公约", "条约", "协定", "准则",
)  # fmt: skip
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")
_ARTICLE = re.compile(r"第([〇零一二三四五六七八九十百千0-9]+)条(?:之([一二三四五六七八九十]+))?")
_PARAGRAPH = re.compile(r"第([〇零一二三四五六七八九十百千0-9]+)款")
_ITEM = re.compile(r"第[（(]?([〇零一二三四五六七八九十百千0-9]+)[)）]?项")
_RANGE_WORDS = ("至", "到")
_TITLE_END_CHARS = set("法典例定则")
_REF_LOOKALIKE_BEFORE = {"本法": ("根", "基", "版", "资"), "该法": ("应",)}


def title_kind(title: str) -> str:
    """law / certificate / document, by the ending of a title written inside 《》."""
    core = title
    while _TRAILING_NOTE.search(core):
        core = _TRAILING_NOTE.sub("", core).rstrip()
    if core.endswith(_CERTIFICATE_SUFFIXES):
        return "certificate"
    if core.endswith(_LAW_SUFFIXES):
        return "law"
    return "document"


def _citation_numbers(tail: str) -> Attrs:
    """Article, paragraph and item of 第十二条第二款第（三）项, and the article list of 第十二条、第十五条."""
    attrs: Attrs = {}
    articles: list[int] = []
    ranged = False
    for m in _ARTICLE.finditer(tail):
        number = _number(m.group(1))
        if number is None:
            continue
        between = tail[: m.start()].rstrip()
        if articles and between.endswith(_RANGE_WORDS) and number > articles[-1]:
            if number - articles[-1] <= MAX_EXPANDED_RANGE:
                articles.extend(range(articles[-1] + 1, number + 1))
            else:
                ranged = True
                articles.append(number)
        else:
            articles.append(number)
        if m.group(2) and len(articles) == 1:
            sub = _number(m.group(2))
            if sub is not None:
                attrs["article_suffix"] = str(sub)  # 第十条之一
    if articles:
        attrs["article"] = str(articles[0])
        if len(articles) > 1:
            attrs["articles"] = (
                f"{articles[0]}-{articles[-1]}"
                if ranged
                else ",".join(str(a) for a in dict.fromkeys(articles))
            )
    # Paragraph and item belong to the first provision named (第十二条第二款第（三）项、第十五条).
    first = re.split(r"[、和及或]", tail, maxsplit=1)[0]
    paragraph = _PARAGRAPH.search(first)
    if paragraph and (value := _number(paragraph.group(1))) is not None:
        attrs["paragraph"] = str(value)
    item = _ITEM.search(first)
    if item and (value := _number(item.group(1))) is not None:
        attrs["item"] = str(value)
    return attrs


@cache
def _artref_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Characters of an article reference tail: all of them, those after 第, those that end it."""
    classes = char_classes()
    return (frozenset(classes["ARTREF"]), frozenset(classes["ARTREF_OPEN"]), frozenset(classes["ARTREF_END"]))


def _citation_extend(span: Span) -> tuple[int, int]:
    """Take in 第十二条第二款、第十五条 written right after a title or a reference word."""
    doc = span.doc
    if span.id_ == "this" and span.text.startswith("第"):
        return (span.start, span.end)  # a bare reference already holds its numbers
    allowed, opening, ending = _artref_sets()
    end = span.end
    if end + 2 < len(doc) and doc[end].text == "第" and doc[end + 1].text in opening:
        i = end
        while i < len(doc) and doc[i].text in allowed:
            if doc[i].text in ending:
                end = i + 1
            i += 1
    return (span.start, end)


def citation_extend() -> Extender:
    """Take in the article numbers after 《…》 / 本法 / 前款."""
    return _citation_extend


def _citation_attrs(span: Span) -> Attrs | None:
    text = span.text
    key = span.id_
    if key == "title":
        close = "》" if text[0] == "《" else "〉"
        end = text.find(close)
        title = text[1:end].strip()
        if not title:
            return None
        attrs = {"law_title": title, "kind": title_kind(title)}
        attrs.update(_citation_numbers(text[end + 1 :]))
        return attrs
    if key == "this" and text.startswith("第"):
        # A bare 第十二条 at the start of a line is the article's own heading, not a citation.
        if _at_line_start(span):
            return None
        if _before(span, 1) in _TITLE_END_CHARS:
            # 刑法第九十条, 文物保护法第六十六条: another instrument named without 《》 (out of
            # scope); calling it "this" would send the resolver to the wrong law.
            return None
        return {"ref": "this", **_citation_numbers(text)}
    word_end = text.find("第")
    word = text if word_end < 0 else text[:word_end]
    if _before(span, 1) in _REF_LOOKALIKE_BEFORE.get(word, ()):
        return None  # 根本法, 基本法: not a reference to the instrument itself
    if word == "本条" and _after(span, 1) == "件":
        return None  # 本条件
    attrs = {"ref": key}
    if word_end >= 0:
        attrs.update(_citation_numbers(text[word_end:]))
    return attrs


def citation_attrs() -> Normaliser:
    """CITATION: law_title, kind, article, articles, paragraph, item, ref."""
    return _citation_attrs


# --- DOC_NUMBER_CITATION ---------------------------------------------------------------------

_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "［": "〔",
        "【": "〔",
        "(": "〔",
        "（": "〔",
        "]": "〕",
        "］": "〕",
        "】": "〕",
        ")": "〕",
        "）": "〕",
    }
)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DOC_NUMBER = re.compile(r"^(?P<issuer>.+?)〔(?P<year>.{4})〕第?(?P<serial>.+)号$")
_DECREE = re.compile(r"^(?P<issuer>.+?)令第(?P<serial>.+)号$")


def _doc_number_attrs(span: Span) -> Attrs | None:
    compact = "".join(span.text.split()).translate(_FULLWIDTH_DIGITS)
    if span.id_ == "decree-number":
        decree = _DECREE.match(compact)
        if decree is None or (serial := _number(decree.group("serial"))) is None:
            return None
        return {
            "doc_number": f"{decree.group('issuer')}令第{serial}号",
            "issuer": decree.group("issuer"),
            "serial": str(serial),
            "kind": "decree",
        }
    normalised = compact.translate(_BRACKETS)
    m = _DOC_NUMBER.match(normalised)
    if m is None:
        return None  # no issuer before the bracket: a year in brackets, not a 文号
    year, serial = _number(m.group("year")), _number(m.group("serial"))
    if year is None or serial is None:
        return None
    return {
        "doc_number": f"{m.group('issuer')}〔{year}〕{serial}号",
        "issuer": m.group("issuer"),
        "year": str(year),
        "serial": str(serial),
        "kind": "document",
    }


def doc_number_attrs() -> Normaliser:
    """DOC_NUMBER_CITATION: doc_number (brackets 〔〕, half-width digits), issuer, year, serial."""
    return _doc_number_attrs


# Characters that end a 文号 issuer abbreviation on its left: the extender stops there.
ISSUER_MAX_CHARS = 10  # 国务院办公厅秘书局 is nine; longer runs are running text
_ISSUER_STOP = set("据照依按的和及与见于在件号第是为印转根参关知由经将对向日")


def _doc_number_extend(span: Span) -> tuple[int, int]:
    """Start token of a 文号 once the issuer abbreviation left of the bracketed year is taken in."""
    doc = span.doc
    start = span.start
    while start > 0 and span.start - start < ISSUER_MAX_CHARS:
        prev = doc[start - 1]
        ch = prev.text
        if prev.whitespace_ or len(ch) != 1 or not ("\u4e00" <= ch <= "\u9fff") or ch in _ISSUER_STOP:
            break
        if ch == "府" and start > 1 and doc[start - 2].text == "政":
            break  # 市人民政府京政发〔1985〕167号: the issuer's full name is not part of the number
        start -= 1
    return (start, span.end)


def doc_number_extend() -> Extender:
    """Take in the issuer abbreviation written before 〔2018〕37号."""
    return _doc_number_extend


# --- DEONTIC ---------------------------------------------------------------------------------

# (word, characters before it, characters after it) that make it a look-alike, not a modal.
_DEONTIC_LOOKALIKES: dict[str, tuple[str, str]] = {
    "有权": ("所享拥具共", "利益威属力"),  # 所有权, 共有权人, 享有权利, 具有权威
    "须": ("无毋不胡", "知臾"),  # 无须 (no need), 须知 (notice)
    "禁止": ("", "性令"),  # 禁止性规定 (a kind of provision), 禁止令 (a court order)
    "可以": ("", ""),
}


def _deontic_attrs(span: Span) -> Attrs | None:
    before_chars, after_chars = _DEONTIC_LOOKALIKES.get(span.text, ("", ""))
    if before_chars and _before(span, 1) and _before(span, 1) in before_chars:
        return None
    if after_chars and _after(span, 1) and _after(span, 1) in after_chars:
        return None
    return {"modality": span.id_}


def deontic_attrs() -> Normaliser:
    """DEONTIC: modality = obligation | prohibition | permission."""
    return _deontic_attrs


# --- SANCTION --------------------------------------------------------------------------------

_WARNING_LOOKALIKE_AFTER = set("标牌信灯性装语线色区提示函")
_DETENTION_LOOKALIKE_BEFORE = ("刑事", "司法")
_CONFISCATION_CRIMINAL = ("财产", "全部财产", "部分财产")


def _range_attrs(found: AmountRange, prefix: str = "") -> Attrs:
    attrs: Attrs = {}
    if found.unit is AmountUnit.YUAN:
        names = ("min_amount", "max_amount")
    elif found.unit is AmountUnit.MULTIPLE:
        names = ("min_multiple", "max_multiple")
    else:
        names = ("min_percent", "max_percent")
    if found.low is not None:
        attrs[prefix + names[0]] = _decimal(found.low)
    if found.high is not None:
        attrs[prefix + names[1]] = _decimal(found.high)
    if found.base:
        attrs[prefix + "base"] = found.base
    return attrs


# 处十日以上十五日以下拘留: the days are written just before 拘留.
DETENTION_CONTEXT_CHARS = 16
_DAYS = "[0-9〇零一二三四五六七八九十两]+"
_DETENTION_RANGE = re.compile(
    rf"(?:(?P<low>{_DAYS})日以上)?(?P<high>{_DAYS})日(?P<below>以下)?(?:的)?(?:行政)?$"
)


def _detention_days(before: str) -> Attrs:
    m = _DETENTION_RANGE.search(before)
    if m is None:
        return {}
    high = _number(m.group("high"))
    low = _number(m.group("low")) if m.group("low") else (None if m.group("below") else high)
    attrs: Attrs = {}
    if low is not None:
        attrs["min_days"] = str(low)
    if high is not None:
        attrs["max_days"] = str(high)
    return attrs


def _sanction_attrs(span: Span) -> Attrs | None:
    kind = span.id_
    text = span.text
    if kind == "warning" and _after(span, 1) in _WARNING_LOOKALIKE_AFTER:
        return None  # 警告标志, 警告牌
    if kind == "detention" and (_before(span, 2) in _DETENTION_LOOKALIKE_BEFORE or _after(span, 1) == "所"):
        return None  # 刑事拘留 and 司法拘留 are not administrative penalties; 拘留所 is a place
    if kind == "detention" and text == "拘留" and _before(span, 2) == "行政":
        return None  # the longer 行政拘留 span carries it
    if kind == "confiscation" and text.removeprefix("没收") in _CONFISCATION_CRIMINAL:
        return None  # 没收财产 is a criminal penalty (刑法第五十九条)
    if kind == "fine" and text.startswith("处") and _before(span, 1) == "加":
        return None  # 加处罚款: a late-payment surcharge (行政强制法第四十五条), not a fine
    if kind == "qualification-downgrade" and "资" not in text:
        return None  # 降低一个等级奖励: a lower reward, not a lower qualification
    attrs: Attrs = {"type": kind}
    if kind == "detention":
        attrs.update(_detention_days(_before(span, DETENTION_CONTEXT_CHARS)))
    if kind == "fine":
        ranges = find_amount_ranges(text)
        for found in ranges[:1]:
            attrs.update(_range_attrs(found))
        # 处违法所得一倍以上三倍以下罚款, 没有违法所得的处一万元以下罚款: a second kind of range.
        for found in ranges[1:2]:
            if found.unit is not ranges[0].unit:
                attrs.update(_range_attrs(found))
    return attrs


def sanction_attrs() -> Normaliser:
    """SANCTION: type; for fines min_amount/max_amount (yuan), min_multiple/max_multiple + base, or percent."""
    return _sanction_attrs


# --- LICENSING, COMPULSORY, FEE, MARKET_RESTRICTION -----------------------------------------------


def _licensing_attrs(span: Span) -> Attrs | None:
    if span.id_ == "filing" and _after(span, 2) == "审查":
        return None  # 备案审查: review of normative documents by the legislature, not a filing duty
    return {"kind": span.id_}


def licensing_attrs() -> Normaliser:
    """LICENSING: kind = licence | approval | filing."""
    return _licensing_attrs


def _compulsory_attrs(span: Span) -> Attrs | None:
    attrs = {"type": span.id_}
    if _before(span, 2) == "解除":
        attrs["release"] = "true"  # 解除查封: ends a measure
    if span.id_ == "enforcement" and "法院" in _before(span, 8):
        attrs["via_court"] = "true"  # 申请人民法院强制执行
    return attrs


def compulsory_attrs() -> Normaliser:
    """COMPULSORY: type (seal-up, seizure, freeze, forced-demolition, enforcement, ...), release, via_court."""
    return _compulsory_attrs


# How far after a fee word its amount may be written (押金5000元, 保证金人民币二十万元).
FEE_AMOUNT_CHARS = 12


def _fee_attrs(span: Span) -> Attrs | None:
    if span.id_ == "fundraising" and _before(span, 2) in ("非法", "违法"):
        return None  # 非法集资 names a crime; it does not impose anything
    if span.id_ == "fundraising" and (_before(span, 1) == "筹" or _after(span, 1) == "金"):
        return None  # 筹集资金: raising funds, the words only share 集资
    attrs: Attrs = {"type": span.id_}
    # The amount is inside the span (收取200元考试费) or right after it (缴纳押金5000元).
    after = _after(span, FEE_AMOUNT_CHARS)
    found = [r for r in find_amount_ranges(span.text) if r.unit is AmountUnit.YUAN]
    found += [r for r in find_amount_ranges(after) if r.unit is AmountUnit.YUAN and r.start == 0]
    if found:
        attrs.update(_range_attrs(found[0]))
    return attrs


def fee_attrs() -> Normaliser:
    """FEE: type = charge | deposit | fundraising | levy; min_amount/max_amount when written."""
    return _fee_attrs


def _market_attrs(span: Span) -> Attrs | None:
    if span.id_ == "barrier" and "无障碍" in _before(span, 1) + span.text:
        return None  # 无障碍设施: accessibility, not a market barrier
    if span.id_ == "barrier" and _after(span, 1) in ("灯", "物", "标"):
        return None  # 障碍灯, 障碍物: physical obstructions
    return {"type": span.id_}


def market_restriction_attrs() -> Normaliser:
    """MARKET_RESTRICTION: type = designation | restriction | local-protection | barrier | discrimination | subsidy."""
    return _market_attrs


# --- AGENCY ----------------------------------------------------------------------------------

_LEVEL_CHARS = {
    "省": "provincial",
    "市": "municipal",
    "区": "district",
    "县": "county",
    "州": "municipal",
    "旗": "county",
    "镇": "township",
    "乡": "township",
}
# Characters after 市/区 that make it part of another word, not an administrative level (市场, 区域).
_NOT_LEVEL_AFTER = set("场域间")
_NOT_PLACE_BEFORE = set("城超都地")  # 城市, 超市, 都市, 地区
PLACE_PREFIX_ROUNDS = 3  # 上海市 + 浦东新区 + a generic phrase: a place is at most a few units deep
PLACE_PREFIX_CHARS = 24  # longest prefix taken in: 新疆维吾尔自治区 + 乌鲁木齐市 + a district


@cache
def _places() -> tuple[tuple[str, str], ...]:
    """(place, level) pairs from places.jsonl, longest first."""
    entries = [(str(e["pattern"]), str(e["id"])) for e in load_patterns("places")]
    return tuple(sorted(entries, key=lambda e: -len(e[0])))


@cache
def _place_levels() -> dict[str, str]:
    return dict(_places())


@cache
def _places_by_last_char() -> dict[str, tuple[str, ...]]:
    """Places indexed by their last character (longest first), for suffix look-ups."""
    index: dict[str, list[str]] = {}
    for place, _level in _places():
        index.setdefault(place[-1], []).append(place)
    return {ch: tuple(places) for ch, places in index.items()}


def _place_ending(head: str) -> str | None:
    """The longest known place `head` ends with."""
    if not head:
        return None
    return next((p for p in _places_by_last_char().get(head[-1], ()) if head.endswith(p)), None)


def _agency_extend(span: Span) -> tuple[int, int]:
    """Start token once the place and level written before a department name are taken in."""
    doc = span.doc
    head_all = _before(span, PLACE_PREFIX_CHARS)
    start_char = span.start_char
    for _ in range(PLACE_PREFIX_ROUNDS):
        head = head_all[: len(head_all) - (span.start_char - start_char)]
        place = _place_ending(head)
        if place is None and head and head[-1] in _LEVEL_CHARS and head[-2:-1] not in _NOT_PLACE_BEFORE:
            place = head[-1]  # 市人民政府: the level alone (a name we do not know is never guessed)
        if place is None:
            break
        start_char -= len(place)
    if start_char == span.start_char:
        return (span.start, span.end)
    widened = doc.char_span(start_char, span.end_char, alignment_mode="expand")
    return (span.start, span.end) if widened is None else (widened.start, widened.end)


def agency_extend() -> Extender:
    """Take in 上海市 / 浦东新区 / 县级以上地方 written before a department name."""
    return _agency_extend


def _agency_attrs(span: Span) -> Attrs | None:
    name = "".join(span.text.split())
    if _after(span, 1) in ("采", "购") and name.endswith("政府"):
        return None  # 政府采购 is procurement, not an agency
    if not name.endswith(("人民政府", "政府办公厅", "政府办公室")) and name.endswith("政府"):
        name = name[: -len("政府")] + "人民政府"  # 市政府 -> 市人民政府
    if span.id_ == "national" and name.endswith("部") and _after(span, 1) == "门":
        return None  # 财政部门, 公安部门: a department of any level, not the ministry
    attrs: Attrs = {"name": name}
    if span.id_ == "national":
        attrs["level"] = "national"
        return attrs
    # 上海市浦东新区人民政府办公室: the innermost place written decides the level.
    place, rest = None, name
    while (found := next((p for p, _level in _places() if rest.startswith(p)), None)) is not None:
        place, rest = found, rest[len(found) :]
    level = None
    if place is not None:
        level = _place_levels()[place]
        if level == "generic":
            level = _generic_level(place)
        else:
            attrs["place"] = name[: len(name) - len(rest)]
    elif rest[0] in _LEVEL_CHARS and rest[1:2] not in _NOT_LEVEL_AFTER:
        level = _LEVEL_CHARS[rest[0]]
    attrs["level"] = level or "unknown"
    return attrs


def _generic_level(phrase: str) -> str:
    for ch in phrase:
        if ch in _LEVEL_CHARS:
            return _LEVEL_CHARS[ch]
    return "unknown"


def agency_attrs() -> Normaliser:
    """AGENCY: name (whitespace removed, 市政府 -> 市人民政府), level, place when it is a named place."""
    return _agency_attrs


# --- DATE and DURATION -------------------------------------------------------------------------

_DATE = re.compile(r"(?P<y>[^年]{4})年(?:(?P<m>[^月]{1,3})月)?(?:(?P<d>[^日号]{1,3})[日号])?")


def _iso(text: str) -> tuple[str, date | None] | None:
    """('2019-05-06', date) or ('2019-05', None) for the first date in `text`; None if impossible."""
    m = _DATE.search(text)
    if m is None:
        return None
    year = _number(m.group("y"))
    month = _number(m.group("m")) if m.group("m") else None
    day = _number(m.group("d")) if m.group("d") else None
    if year is None:
        return None
    if month is None:
        return (f"{year:04d}", None)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return (f"{year:04d}-{month:02d}", None)
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return (value.isoformat(), value)


def _date_attrs(span: Span) -> Attrs | None:
    found = _iso(span.text)
    if found is None:
        return None
    return {"iso": found[0]}


def date_attrs() -> Normaliser:
    """DATE: iso (YYYY-MM-DD, or YYYY-MM when the day is not written); impossible dates are dropped."""
    return _date_attrs


_PERIOD = re.compile(r"(?P<n>[〇零一二三四五六七八九十百两半0-9]+)(?P<unit>个月|年|月|日|天)")
_PERIOD_UNITS = {"年": "Y", "个月": "M", "月": "M", "日": "D", "天": "D"}


def _period(text: str) -> str | None:
    m = _PERIOD.search(text)
    if m is None:
        return None
    if m.group("n") == "半":
        return "P6M" if m.group("unit") == "年" else None
    n = _number(m.group("n").replace("两", "二"))
    return None if n is None else f"P{n}{_PERIOD_UNITS[m.group('unit')]}"


def _last_day(text: str) -> str | None:
    """2020年底 -> 2020-12-31, 2021年6月底 -> 2021-06-30, 2020年12月31日前 -> 2020-12-31."""
    found = _iso(text)
    if found is None:
        return None
    iso, exact = found
    if exact is not None:
        return iso
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return f"{parts[0]:04d}-12-31"
    year, month = parts
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(next_month.toordinal() - 1).isoformat()


def _duration_attrs(span: Span) -> Attrs | None:
    kind = span.id_
    attrs: Attrs = {"kind": kind}
    if kind in ("validity", "trial"):
        period = _period(span.text.removeprefix("有效期").removeprefix("试行"))
        if period is None:
            return None
        attrs["period"] = period
    elif kind in ("until", "deadline"):
        until = _last_day(span.text)
        if until is None:
            return None
        attrs["until"] = until
    else:  # commencement
        found = _iso(span.text)
        if found is None or found[1] is None:
            return None
        attrs["from"] = found[0]
    return attrs


def duration_attrs() -> Normaliser:
    """DURATION: kind = validity | trial | until | deadline | commencement; period (ISO 8601), until, from."""
    return _duration_attrs


# Registered by hand rather than with the decorator, which is untyped.
_REGISTRY_NAMES = {
    "qingli.citation_extend.v1": citation_extend,
    "qingli.citation_attrs.v1": citation_attrs,
    "qingli.doc_number_attrs.v1": doc_number_attrs,
    "qingli.doc_number_extend.v1": doc_number_extend,
    "qingli.deontic_attrs.v1": deontic_attrs,
    "qingli.sanction_attrs.v1": sanction_attrs,
    "qingli.licensing_attrs.v1": licensing_attrs,
    "qingli.compulsory_attrs.v1": compulsory_attrs,
    "qingli.fee_attrs.v1": fee_attrs,
    "qingli.market_restriction_attrs.v1": market_restriction_attrs,
    "qingli.agency_extend.v1": agency_extend,
    "qingli.agency_attrs.v1": agency_attrs,
    "qingli.date_attrs.v1": date_attrs,
    "qingli.duration_attrs.v1": duration_attrs,
}
for _name, _func in _REGISTRY_NAMES.items():
    registry.misc.register(_name, func=_func)
