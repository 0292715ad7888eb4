"""Bytes -> text without mojibake: header charset, BOM, <meta charset>, then detection.

Order follows the WHATWG "encoding sniffing" rules, with one correction real pages
need: a page declared Latin-1 whose bytes are valid multi-byte UTF-8 is UTF-8 (the
declaration is a server default, the bytes are what the CMS wrote).
"""

from __future__ import annotations

import codecs
import hashlib
import re

#: how far into the document a <meta charset> is looked for (WHATWG says 1024; real
#: pages put long <script>s first, so look further)
META_SNIFF_BYTES = 16_384
#: broken UTF-8 is still UTF-8 when at most this share of its bytes are invalid
MAX_BAD_UTF8_SHARE = 0.01
#: ...or when valid multi-byte characters outnumber the broken ones this many times over
#: (legacy 8-bit text almost never forms valid UTF-8 sequences by chance)
GOOD_PER_BAD_UTF8 = 3
#: detection reads only this much: enough for any statistical guess, bounded for 50 MB pages
DETECT_BYTES = 65_536

#: binary content is told apart from a page within this many leading bytes
BINARY_SNIFF_BYTES = 4096
#: ...when over this share of them are "binary data bytes" (WHATWG MIME sniffing: controls
#: no text uses); broken or hostile HTML with a few stray NULs stays a page
MAX_BINARY_SHARE = 0.10
#: leading bytes of formats that are never a page (PDF, images, archives, executables)
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04",
                 b"\x1f\x8b", b"\x7fELF", b"RIFF", b"\x00\x00\x01\x00")
_BINARY_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,40})""", re.I
)
#: labels whose real-world meaning is a superset (WHATWG encoding standard)
_SUPERSETS = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "iso8859-1": "cp1252", "shift_jis": "cp932", "shift-jis": "cp932",
    "sjis": "cp932", "x-sjis": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
    "euc-kr": "cp949", "iso-8859-9": "cp1254", "tis-620": "cp874", "utf8": "utf-8",
    "unicode": "utf-8", "x-cp1251": "cp1251", "win-1251": "cp1251",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_LATIN = {"cp1252", "iso8859-1", "ascii"}


def _normalise(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type or "charset=" not in content_type.lower():
        return None
    raw = content_type.lower().split("charset=", 1)[1].split(";")[0]
    return _normalise(raw)


def _utf8_if_mostly_valid(data: bytes) -> str | None:
    """UTF-8 text when the bytes are UTF-8 with at most a few broken sequences."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if _has_multibyte(data) and (bad <= max(1, len(data) * MAX_BAD_UTF8_SHARE)
                                 or good >= GOOD_PER_BAD_UTF8 * bad):
        return text
    return None


def _has_multibyte(data: bytes) -> bool:
    return re.search(rb"[\xc2-\xf4][\x80-\xbf]", data[:DETECT_BYTES * 4]) is not None


def _detect(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:DETECT_BYTES]).best()
        if best is not None and best.encoding:
            return _normalise(best.encoding) or "cp1252"
    except Exception:  # noqa: BLE001  (detection is a guess; a guess may fail)
        pass
    return "cp1252"


def looks_binary(data: bytes | str) -> bool:
    """Whether these bytes are a file of some other kind (an image, a PDF, an executable):
    extracting "text" from them gives garbage, so the extractor says what they are."""
    if isinstance(data, str) or any(data.startswith(bom) for bom, _name in _BOMS):
        return False
    head = bytes(data[:BINARY_SNIFF_BYTES])
    if head.startswith(_BINARY_MAGIC):
        return True
    binary = len(head) - len(head.translate(None, _BINARY_BYTES))
    return binary > MAX_BINARY_SHARE * len(head)


def decode_html(data: bytes | str, content_type: str | None = None) -> str:
    """The page as text. Never raises; undecodable bytes become U+FFFD, never mojibake."""
    if isinstance(data, str):
        return data
    data = bytes(data)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    declared = charset_from_content_type(content_type)
    if declared is None:
        match = _META_CHARSET.search(data[:META_SNIFF_BYTES])
        declared = _normalise(match.group(1).decode("ascii", "ignore")) if match else None
    if declared in ("utf-16-le", "utf-16-be", "utf-16"):
        declared = "utf-8"  # a <meta> read as ASCII cannot really be UTF-16
    if declared is None or declared in _LATIN or declared == "utf-8":
        utf8 = _utf8_if_mostly_valid(data)
        if utf8 is not None:
            return utf8
        if declared is None or declared == "utf-8":
            declared = _detect(data)  # declared UTF-8 but far from it: the label lies
            if declared == "utf-8":
                return data.decode("utf-8", errors="replace")
    return data.decode(declared, errors="replace")


def content_hash(text: str) -> str:
    """Hash of the text with whitespace and case normalised: equal text, equal hash."""
    normalised = " ".join(text.split()).lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
