"""Render helpers fail with named errors when LibreOffice is missing, hangs or produces nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from flows.export import ConversionFailed, SofficeMissing, render


def test_convert_to_pdf_without_soffice_raises_soffice_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "soffice_path", lambda: None)
    with pytest.raises(SofficeMissing, match="libreoffice-writer-nogui"):
        render.convert_to_pdf(tmp_path / "a.docx", tmp_path)


def test_convert_to_pdf_reports_a_timeout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def hang(*args: Any, **kwargs: Any) -> None:
        raise subprocess.TimeoutExpired(cmd="soffice", timeout=kwargs["timeout"])

    monkeypatch.setattr(render, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr("flows.export.render.subprocess.run", hang)
    with pytest.raises(ConversionFailed, match="超过 5 秒"):
        render.convert_to_pdf(tmp_path / "a.docx", tmp_path, timeout=5)


def test_convert_to_pdf_fails_when_no_pdf_appears(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def silent(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(
            args[0], 0, stdout="", stderr="Error: source file could not be loaded"
        )

    monkeypatch.setattr(render, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr("flows.export.render.subprocess.run", silent)
    with pytest.raises(ConversionFailed, match="could not be loaded"):
        render.convert_to_pdf(tmp_path / "a.docx", tmp_path)


def test_convert_to_pdf_never_passes_off_an_old_pdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-old")

    def silent(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args[0], 0, stdout="", stderr="")

    monkeypatch.setattr(render, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr("flows.export.render.subprocess.run", silent)
    with pytest.raises(ConversionFailed):
        render.convert_to_pdf(tmp_path / "a.docx", tmp_path)


def test_convert_to_pdf_uses_a_private_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def record(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        seen.append(command)
        (tmp_path / "a.pdf").write_bytes(b"%PDF-new")
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="")

    monkeypatch.setattr(render, "soffice_path", lambda: "/usr/bin/soffice")
    monkeypatch.setattr("flows.export.render.subprocess.run", record)
    assert render.convert_to_pdf(tmp_path / "a.docx", tmp_path) == tmp_path / "a.pdf"
    assert seen[0][1].startswith("-env:UserInstallation=file:///")
    assert "--headless" in seen[0]
