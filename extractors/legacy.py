"""Legacy word-processor files (.doc, .wps, .rtf, .odt) turned into .docx by LibreOffice headless.

The converted copy is cached as ``<cache_dir>/<sha256 of the source>.docx``, so a re-run (or the
same file under another name) is never converted twice; the normal .docx backend reads it.

What must stay true:
- every LibreOffice run gets its own throwaway profile (``-env:UserInstallation``): two runs that
  share a profile hand their work to each other or block on its lock, and a profile left by a
  killed run must never poison the next one;
- at most one conversion runs per process at a time (`_CONVERSION_LOCK`): soffice uses one to
  two cores and ~300 MB per instance, and callers parallelise across processes if they want to;
- a conversion that overruns its timeout is killed with its whole process group (``soffice`` is
  a wrapper script around ``soffice.bin``);
- the cache only ever holds complete files (written to a temporary name, then renamed).

.wps: Kingsoft WPS Office 2003 and later writes .wps files in the Word 97 binary format (an OLE
compound file with a WordDocument stream). LibreOffice detects them by content and imports them
with its "MS Word 97" filter; the Microsoft Works files that share the extension go to its Works
filter. Neither needs forcing; `infilter` is there for files whose detection goes wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from extractors.errors import ConversionFailed, ConverterMissing, CorruptFile, EmptyFile, FileMissing

SOFFICE_COMMAND = "soffice"
SOFFICE_PACKAGE = "libreoffice-writer-nogui"
LEGACY_SUFFIXES = frozenset({".doc", ".wps", ".rtf", ".odt"})
# A cold conversion of a two-page document takes ~6 s, most of it LibreOffice starting with a
# fresh profile; a 200-page .doc took ~25 s. Anything past two minutes is stuck.
CONVERSION_TIMEOUT_SECONDS = 120.0
# Where converted copies go when the caller names no cache: $QINGLI_CACHE_DIR/legacy, else the
# user's XDG cache.
CACHE_DIR_ENV = "QINGLI_CACHE_DIR"
# Bytes read at a time while hashing the source.
_HASH_CHUNK = 1 << 20
# Characters of LibreOffice's stderr kept in an error message.
_STDERR_TAIL = 300

_CONVERSION_LOCK = threading.Lock()

# How word-processor files begin. LibreOffice imports anything, garbage included (as plain
# text), so a file that starts like none of these is refused before conversion. The list is
# wider than the suffixes: .doc files from government sites are often RTF, HTML or MHT saved
# under .doc, and LibreOffice reads those correctly by content.
_DOCUMENT_SIGNATURES = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE compound file: Word 97-2003, Kingsoft WPS, Works
    b"{\\rtf",  # RTF
    b"PK\x03\x04",  # zip: ODF, or OOXML under a legacy name
    b"<",  # HTML / XML (Word 2003 XML, "Web page" saved as .doc)
    b"MIME-Version",  # MHT ("single file web page" saved as .doc)
)
_SIGNATURE_BYTES = 64


def convert_to_docx(
    path: Path,
    *,
    cache_dir: Path,
    timeout: float = CONVERSION_TIMEOUT_SECONDS,
    infilter: str | None = None,
) -> Path:
    """Return a .docx copy of the legacy document `path`, converting it unless the cache has it."""
    path = Path(path)
    if not path.is_file():
        raise FileMissing(str(path))
    _check_signature(path)
    digest = file_sha256(path)
    target = Path(cache_dir) / f"{digest}.docx"
    if target.is_file():
        return target
    soffice = shutil.which(SOFFICE_COMMAND)
    if soffice is None:
        raise ConverterMissing(str(path), tool=SOFFICE_COMMAND, package=SOFFICE_PACKAGE)
    with _CONVERSION_LOCK:
        if target.is_file():  # converted by another thread while this one waited
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="qingli-soffice-") as tmp:
            work = Path(tmp)
            # A plain ASCII name keeps LibreOffice's output name predictable whatever the
            # original is called; the suffix stays because type detection starts from it.
            source = work / f"source{path.suffix.lower()}"
            shutil.copyfile(path, source)
            outdir = work / "out"
            command = [
                soffice,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                *([f"--infilter={infilter}"] if infilter else []),
                "--convert-to",
                "docx",
                "--outdir",
                str(outdir),
                str(source),
            ]
            _run(command, path=path, timeout=timeout)
            produced = outdir / "source.docx"
            if not produced.is_file() or produced.stat().st_size == 0:
                raise ConversionFailed(
                    str(path), detail="LibreOffice 未生成 docx 文件（可能文件已损坏或格式无法识别）"
                )
            partial_target = target.with_name(f".{digest}.{os.getpid()}.partial")
            shutil.move(produced, partial_target)
            os.replace(partial_target, target)
    return target


def default_cache_dir() -> Path:
    """Where converted copies are kept when the caller does not say: $QINGLI_CACHE_DIR/legacy or ~/.cache/qingli/legacy."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured) / "legacy"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "qingli" / "legacy"


def converter(
    cache_dir: Path | None = None, *, timeout: float = CONVERSION_TIMEOUT_SECONDS
) -> Callable[[Path], Path]:
    """The `convert` hook for `extractors.reader.extract`: legacy file in, cached .docx out."""
    return partial(convert_to_docx, cache_dir=cache_dir or default_cache_dir(), timeout=timeout)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check_signature(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(_SIGNATURE_BYTES)
    if not head:
        raise EmptyFile(str(path))
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not stripped.startswith(_DOCUMENT_SIGNATURES):
        raise CorruptFile(str(path), detail="内容不是 Word、WPS、RTF 或 ODT 文档")


def _run(command: list[str], *, path: Path, timeout: float) -> None:
    """Run soffice in its own process group; kill the whole group when it overruns `timeout`."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise ConversionFailed(str(path), detail=f"无法启动 LibreOffice：{exc}") from exc
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise ConversionFailed(str(path), detail=f"LibreOffice 超过 {timeout:g} 秒未完成，已终止") from exc
    except BaseException:
        _kill_group(process)  # interrupted (Ctrl-C): never leave soffice behind
        raise
    if process.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip()[-_STDERR_TAIL:]
        raise ConversionFailed(str(path), detail=f"LibreOffice 退出码 {process.returncode}：{message}")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    # The group may have exited between the timeout and the kill; that is the outcome we want.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
