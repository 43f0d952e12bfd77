"""Extractors: files -> `ParsedDocument` (metadata, clause tree, evidence spans). Pure: no database, no Prefect."""
