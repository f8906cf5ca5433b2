"""Size limits of the places a reply is shown; adapters pass one of these to the fitting code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Character and count limits of one platform; None means the platform sets no limit there."""

    name: str
    message: int | None = None
    embed_title: int | None = None
    embed_description: int | None = None
    embed_total: int | None = None
    embed_fields: int | None = None
    field_name: int | None = None
    field_value: int | None = None
    footer: int | None = None
    embeds_per_message: int | None = None
    url: int | None = None
    blocks: int | None = None
    section_text: int | None = None
    header: int | None = None
    context_element: int | None = None
    context_elements: int | None = None


# Discord answers 400 (error 50035) to a whole message when any one of these is exceeded; the embed
# total counts title, description, field names and values and footer text of all embeds together.
DISCORD = Limits(
    name="discord",
    message=2000,
    embed_title=256,
    embed_description=4096,
    embed_total=6000,
    embed_fields=25,
    field_name=256,
    field_value=1024,
    footer=2048,
    embeds_per_message=10,
    url=2048,
)

# Slack rejects a message (invalid_blocks) over any of these.
SLACK = Limits(
    name="slack",
    blocks=50,
    section_text=3000,
    header=150,
    context_element=2000,
    context_elements=10,
)

TERMINAL = Limits(name="terminal")
