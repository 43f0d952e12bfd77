"""Render exported .docx files to PDF (LibreOffice headless) and PDF pages to PNG (pdftoppm).

For checking what a reviewer will see: tests, the export benchmark, and `docs/export.md`.
Each conversion uses its own throw-away LibreOffice profile, so conversions can run side by
side and never touch the user's profile.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from flows.export.errors import ConversionFailed, ExportError, SofficeMissing

# A fresh profile costs ~5 s on first start; a 400-page list converts in well under a minute.
CONVERSION_TIMEOUT_SECONDS = 300.0
PNG_DPI = 100


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(
    docx: Path, out_dir: Path, *, timeout: float = CONVERSION_TIMEOUT_SECONDS, profile: Path | None = None
) -> Path:
    """Convert `docx` to PDF in `out_dir` with LibreOffice headless; return the PDF's path."""
    (pdf,) = convert_all_to_pdf([docx], out_dir, timeout=timeout, profile=profile)
    return pdf


def convert_all_to_pdf(
    docxs: Sequence[Path],
    out_dir: Path,
    *,
    timeout: float = CONVERSION_TIMEOUT_SECONDS,
    profile: Path | None = None,
) -> list[Path]:
    """Convert several .docx files in one LibreOffice run (one start-up); return the PDFs in order.

    `profile` is a LibreOffice user-profile folder to reuse between calls (start-up is faster once it
    exists); by default a throw-away profile is made and removed. Names must differ in their stems.
    """
    soffice = soffice_path()
    if soffice is None:
        raise SofficeMissing()
    sources = [Path(d).resolve() for d in docxs]
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = [out_dir / (source.stem + ".pdf") for source in sources]
    for stale in pdfs:  # LibreOffice may fail silently: an old PDF must not pass for a new one
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="qingli-lo-") as scratch:
        user_dir = Path(profile).resolve() if profile is not None else Path(scratch)
        command = [
            soffice,
            f"-env:UserInstallation={user_dir.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *(str(s) for s in sources),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed(sources[0], f"超过 {timeout:.0f} 秒未完成") from exc
    for source, pdf in zip(sources, pdfs, strict=True):
        if result.returncode != 0 or not pdf.is_file():
            detail = (result.stderr or result.stdout).strip() or f"退出码 {result.returncode}"
            raise ConversionFailed(source, detail)
    return pdfs


def render_png(pdf: Path, prefix: Path, *, first: int = 1, last: int = 1, dpi: int = PNG_DPI) -> list[Path]:
    """Render pages `first`..`last` of `pdf` to PNG files named ``<prefix>-<page>.png``; return them."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ExportError("缺少 pdftoppm，请安装 Debian 软件包 poppler-utils")
    prefix = Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    command = [pdftoppm, "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(prefix)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ConversionFailed(Path(pdf), result.stderr.strip() or f"pdftoppm 退出码 {result.returncode}")
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))
