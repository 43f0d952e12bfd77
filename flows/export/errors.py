"""Export errors: one small tree, turned into friendly messages only at the CLI boundary."""

from __future__ import annotations

from pathlib import Path


class ExportError(Exception):
    """Base of every error the exporters raise on purpose."""


class UnknownFormat(ExportError):
    """`export_all` was asked for a format it does not write."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"不支持的导出格式“{name}”，可选：{'、'.join(known)}")


class SofficeMissing(ExportError):
    """LibreOffice (`soffice`) is not installed, so a .docx cannot be rendered to PDF."""

    def __init__(self) -> None:
        super().__init__("缺少转换工具 soffice，请安装 Debian 软件包 libreoffice-writer-nogui")


class ConversionFailed(ExportError):
    """LibreOffice ran but did not produce the PDF (crash, timeout, or unreadable input)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"转换 PDF 失败：{path}（{detail}）")
