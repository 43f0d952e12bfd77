"""Text that is safe to write: the one place where characters a format cannot hold are removed.

Every string that reaches a .docx, .xlsx, .csv or .json file goes through one of these
functions. XML 1.0 (and therefore Word and Excel) cannot hold C0 control characters other
than tab, newline and carriage return, lone UTF-16 surrogates, or U+FFFE/U+FFFF; UTF-8
cannot hold lone surrogates at all.
"""

from __future__ import annotations

import re
import unicodedata

REPLACEMENT = "\ufffd"

# Vertical tab and form feed come out of Word and PDF text as line or page breaks: keep the break.
_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# C0 controls except \t \n \r, and the two XML non-characters: dropped, they carry no text.
_XML_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
# Lone surrogates (from bad decoding with surrogateescape/surrogatepass): visibly replaced.
_SURROGATES = re.compile("[\ud800-\udfff]")

# Windows forbids these in file names; "/" and NUL everywhere.
_FILENAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
# Most file systems allow 255 bytes per name; 150 bytes (50 CJK characters) leaves room for a
# sequence prefix, a suffix and the ".docx" extension, and keeps paths short on Windows.
MAX_FILENAME_STEM_BYTES = 150


def unicode_safe(text: str) -> str:
    """Replace lone surrogates with U+FFFD so the text can be encoded as UTF-8; nothing else changes."""
    return _SURROGATES.sub(REPLACEMENT, text)


def xml_safe(text: str) -> str:
    """Make `text` writable into XML 1.0 (docx, xlsx): breaks kept, controls dropped, surrogates replaced."""
    text = _BREAKS.sub("\n", text)
    text = _XML_CONTROLS.sub("", text)
    return _SURROGATES.sub(REPLACEMENT, text)


def single_line(text: str) -> str:
    """`xml_safe` text folded onto one line (for table cells of names and numbers)."""
    return " ".join(xml_safe(text).split())


def truncate(text: str, limit: int, *, marker: str = "……") -> str:
    """Cut `text` to at most `limit` characters, ending with `marker` when something was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(marker), 0)] + marker


def safe_filename(
    text: str, *, fallback: str = "未命名文件", max_bytes: int = MAX_FILENAME_STEM_BYTES
) -> str:
    """A file name stem made from a title: no path separators, reserved names or control characters."""
    name = unicodedata.normalize("NFC", unicode_safe(text))
    name = _FILENAME_FORBIDDEN.sub("_", xml_safe(name).replace("\n", " "))
    name = " ".join(name.split()).replace(REPLACEMENT, "_")
    name = name.strip(" .")
    encoded = name.encode("utf-8")
    if len(encoded) > max_bytes:
        name = encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip(" .")
    if not name or name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"{fallback}_{name}" if name else fallback
    return name
