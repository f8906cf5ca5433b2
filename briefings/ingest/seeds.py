"""The bundled seed articles, read from package data with their manifest."""

from __future__ import annotations

import tomllib
from importlib import resources

from briefings.models import ArticleDraft, Published


def seed_drafts() -> list[ArticleDraft]:
    """One draft per seed article, with the title, publisher and date the manifest gives."""
    folder = resources.files("briefings") / "seeds"
    manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    return [
        ArticleDraft(
            title=entry.get("title", ""),
            text=(folder / entry["file"]).read_text(encoding="utf-8"),
            publisher=entry.get("publisher"),
            published=Published.from_iso(entry.get("published")),
            guid=f"seed:{entry['file']}",
        )
        for entry in manifest["article"]
    ]
