"""Extractors: files -> `ParsedDocument` (metadata, clause tree, evidence spans). Pure: no database, no Prefect."""

from extractors.reader import DEFAULT_MAX_BYTES, extract

__all__ = ["DEFAULT_MAX_BYTES", "extract"]
