"""Render exported .docx files to PDF (LibreOffice headless) and PDF pages to PNG (pdftoppm).

For checking what a reviewer will see: tests, the export benchmark, and `docs/export.md`.
Each conversion uses its own throw-away LibreOffice profile, so conversions can run side by
side and never touch the user's profile.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from flows.export.errors import ConversionFailed, ExportError, SofficeMissing

# A fresh profile costs ~5 s on first start; a 400-page list converts in well under a minute.
CONVERSION_TIMEOUT_SECONDS = 300.0
PNG_DPI = 100


def soffice_path() -> str | None:
    """The LibreOffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, out_dir: Path, *, timeout: float = CONVERSION_TIMEOUT_SECONDS) -> Path:
    """Convert `docx` to PDF in `out_dir` with LibreOffice headless; return the PDF's path."""
    soffice = soffice_path()
    if soffice is None:
        raise SofficeMissing()
    docx = Path(docx).resolve()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qingli-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed(docx, f"超过 {timeout:.0f} 秒未完成") from exc
    pdf = out_dir / (docx.stem + ".pdf")
    if result.returncode != 0 or not pdf.is_file():
        detail = (result.stderr or result.stdout).strip() or f"退出码 {result.returncode}"
        raise ConversionFailed(docx, detail)
    return pdf


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
