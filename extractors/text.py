"""Plain-text backend: UTF-8 / GB18030 / GBK / UTF-16 detection, BOM handled, hard wraps undone.

Offices still save .txt in GBK; GB18030 is its superset, so every GBK file is decoded as
GB18030. UTF-8 is tried first (strict), then charset-normalizer among the encodings Chinese
offices use; a file none of them decodes raises `UndecodableText`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from extractors.backend import PageText, RawDocument
from extractors.errors import UndecodableText
from extractors.model import SourceFormat
from extractors.normalize import unwrap_lines

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ["utf_8", "gb18030", "gbk", "gb2312", "big5", "utf_16"]
_SUPERSET = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "hz": "gb18030"}

# Treat a text as hard-wrapped when at least this share of its non-empty lines is "full"
# (as long as the longest, give or take): editors' soft paragraphs vary in length far more.
WRAPPED_SHARE = 0.5
# Fixed-width wraps of Chinese text are at least this wide (公文: 28 characters a line);
# shorter "full" lines are lists or headings, not wrapping.
MIN_WRAP_WIDTH = 15


def decode_bytes(data: bytes, *, source: str = "") -> tuple[str, str]:
    """Decode `data`; returns (text, encoding used). Raises UndecodableText."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UndecodableText(source) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass  # not UTF-8: try the Chinese encodings below
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass  # not GB18030 either: let charset-normalizer weigh the remaining candidates
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        raise UndecodableText(source)
    encoding = _SUPERSET.get(best.encoding, best.encoding)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise UndecodableText(source) from exc


def looks_wrapped(lines: list[str]) -> bool:
    """True if most lines are about as long as the longest: the text was wrapped at a fixed width."""
    lengths = [len(s.strip()) for s in lines if s.strip()]
    if len(lengths) < 3:
        return False
    longest = max(lengths)
    if longest < MIN_WRAP_WIDTH:
        return False
    return sum(1 for n in lengths if n >= 0.85 * longest) / len(lengths) >= WRAPPED_SHARE


class TextBackend:
    """A .txt (or non-LawRefBook .md) file: decoded, line endings unified, wrapping undone."""

    format = SourceFormat.TXT

    def read(self, path: Path) -> RawDocument:
        text, _ = decode_bytes(path.read_bytes(), source=str(path))
        return RawDocument(format=SourceFormat.TXT, pages=(PageText(1, prepare_text(text)),))


def prepare_text(text: str) -> str:
    """Unify line endings and re-join hard-wrapped lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").split("\n")
    if looks_wrapped(lines):
        lines = unwrap_lines(lines)
    return "\n".join(lines)
