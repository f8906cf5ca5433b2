"""A feed's bytes to the text the parser will see: the bot decodes, and the parser reads UTF-8.

The entity refusal and every other check judge this text, so nothing an encoding hides from a
look at the bytes ("+ADw-!ENTITY" in UTF-7, "\\x3c!ENTITY" in unicode_escape, EBCDIC) can reach
the parser unseen. Only encodings that read ASCII as ASCII are accepted, besides UTF-16 and
UTF-32 (whose byte patterns give them away); any other is refused with its name.
"""

from __future__ import annotations

import codecs
import re

from briefings.errors import UnsafeDocument

UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
# Where a BOM-less UTF-16 or UTF-32 document shows itself: "<" (or "<?") in its code units.
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# Encodings that show themselves by how "<" or "<?xm" is written, not by a readable name.
_BYTE_PATTERNS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # EBCDIC
)
_WIDE = frozenset({"utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be", "utf-32-le"})
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_DECLARED = re.compile(rb"""\A\s*<\?xml\s[^>]{0,200}?encoding\s*=\s*["']([^"']{1,40})["']""")
_DECLARATION = re.compile(r"\A\s*<\?xml\b[^>]{0,500}\?>")
# Characters XML 1.0 does not allow: the parser would stop at the first, and the bot strips them
# from every field anyway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]+")
# Printable ASCII: an encoding is ASCII-compatible when it reads and writes these unchanged.
_ASCII_SAMPLE = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\n\r"


def document_text(body: bytes, content_type: str | None) -> str:
    """The document as text with a UTF-8 declaration; UnsafeDocument for an encoding refused.

    The encoding is the byte order mark's, else the UTF-16/32 byte pattern's, else the
    Content-Type charset, else the XML declaration's, else UTF-8; bytes it cannot decode fall back to
    UTF-8 and then Windows-1252, as feedparser would. Byte order marks, leading whitespace and
    characters XML does not allow are dropped, so that they stop no parse.
    """
    label, source = _declared(body, content_type)
    codec = _codec(label, source) if label else "utf-8"
    for bom, _ in _BOMS:
        while body.startswith(bom):  # one, or a server's repeated ones
            body = body[len(bom) :]
    text = _decoded(body, codec)
    text = _NOT_XML.sub("", text.lstrip("\ufeff \t\r\n"))
    declaration = _DECLARATION.match(text)
    return UTF8_DECLARATION + (text[declaration.end() :] if declaration else "\n" + text)


def _decoded(body: bytes, codec: str) -> str:
    """The body in `codec`, else in UTF-8 or Windows-1252 (feedparser's fallbacks), else UTF-8
    with its undecodable bytes replaced."""
    for attempt in dict.fromkeys((codec, "utf-8", "cp1252")):
        try:
            return body.decode(attempt)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def _declared(body: bytes, content_type: str | None) -> tuple[str | None, str]:
    """The encoding the document names (or its bytes show), and where it was found."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec, "byte order mark"
    for start, codec in _BYTE_PATTERNS:
        if body.startswith(start):
            return codec, "byte pattern"
    charset = _CHARSET.search(content_type or "")
    if charset:
        return charset.group(1), "Content-Type header"
    declared = _DECLARED.match(body[:512])
    if declared:
        return declared.group(1).decode("ascii", errors="replace"), "XML declaration"
    return None, ""


def _codec(label: str, source: str) -> str:
    """The Python codec for an encoding label; an unknown label means UTF-8, a refused one raises."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return "utf-8"
    if name in _WIDE:
        # Named in ASCII bytes, so the document is not UTF-16 or UTF-32 whatever the label says.
        return name if source in ("byte order mark", "byte pattern") else "utf-8"
    if _ascii_compatible(name):
        return name
    raise UnsafeDocument(
        f"refused: the document's encoding is {label[:40]!r} (from its {source}), which the bot "
        "does not read; feeds must be UTF-8, UTF-16 or another encoding that keeps ASCII as is"
    )


def _ascii_compatible(name: str) -> bool:
    """Whether the codec writes and reads printable ASCII as the same bytes (UTF-7, EBCDIC and
    the escape codecs do not)."""
    try:
        encoded = _ASCII_SAMPLE.encode(name)
        return encoded == _ASCII_SAMPLE.encode("ascii") and encoded.decode(name) == _ASCII_SAMPLE
    except (UnicodeError, LookupError, TypeError):
        return False
