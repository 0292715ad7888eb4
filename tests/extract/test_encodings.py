"""Pages in legacy encodings come out without mojibake, however the charset is declared."""

from __future__ import annotations

import codecs

import pytest

from newsarchive.extract import extract
from newsarchive.extract.core import decode_html
from newsarchive.extract.decode import looks_binary
from tests.pages import seed_page

RU = "Городской совет утвердил новый бюджет на общественный транспорт. " * 4
JA = "市議会は火曜日、公共交通機関への支出を増やす新しい予算案を可決した。" * 4
DE = "Der Stadtrat beschließt größere Ausgaben für Straßenbahnen und Busse. " * 4


def _page(text: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><article><p>{text}</p></article></body></html>"


@pytest.mark.parametrize(("text", "encoding"), [(RU, "windows-1251"), (JA, "shift_jis"), (DE, "iso-8859-1")])
def test_charset_from_header(text: str, encoding: str) -> None:
    data = _page(text).encode(encoding)
    assert text in decode_html(data, f"text/html; charset={encoding}")


@pytest.mark.parametrize(("text", "encoding"), [(RU, "windows-1251"), (JA, "shift_jis"), (DE, "iso-8859-1")])
def test_charset_from_meta(text: str, encoding: str) -> None:
    data = _page(text, f'<meta charset="{encoding}">').encode(encoding)
    assert text in decode_html(data, "text/html")


@pytest.mark.parametrize(("text", "encoding"), [(RU, "windows-1251"), (JA, "shift_jis")])
def test_charset_detected_when_undeclared(text: str, encoding: str) -> None:
    assert text in decode_html(_page(text).encode(encoding), None)


def test_boms() -> None:
    assert DE in decode_html(codecs.BOM_UTF8 + _page(DE).encode("utf-8"), "text/html; charset=iso-8859-1")
    assert RU in decode_html(codecs.BOM_UTF16_LE + _page(RU).encode("utf-16-le"), None)


def test_latin1_label_on_utf8_bytes_is_utf8() -> None:
    assert DE in decode_html(_page(DE).encode("utf-8"), "text/html; charset=ISO-8859-1")


def test_broken_utf8_keeps_the_rest() -> None:
    data = _page(DE).encode("utf-8").replace("größere".encode(), b"gr\xc3\xb6\xdfere")
    text = decode_html(data, "text/html; charset=utf-8")
    assert "beschließt" in text and "Ã" not in text


def test_extract_reads_legacy_page_end_to_end() -> None:
    rec = extract(_page(RU, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
                  .encode("cp1251"), "https://example.ru/2024/01/02/news/")
    assert "Городской совет" in rec.text and rec.language == "ru"


def test_unknown_charset_label_does_not_raise() -> None:
    assert "Stadtrat" in decode_html(_page(DE).encode("utf-8"), "text/html; charset=x-nonsense")


BINARY_FILES = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n" * 20,
    "executable": b"\x7fELF\x02\x01\x01" + b"\x00" * 500 + b"GLIBC_2.34 libc.so.6 " * 20,
    "unknown binary": bytes(range(32)) * 50 + b"some words between the controls " * 5,
}


@pytest.mark.parametrize("name", BINARY_FILES)
def test_binary_content_is_said_to_be_binary_not_read_as_text(name: str) -> None:
    rec = extract(BINARY_FILES[name], "https://example.com/file")
    assert (rec.is_article, rec.page_type, rec.text) == (False, "binary", "")
    assert rec.reason == "not a text page (binary content)"


def test_a_page_with_a_few_stray_control_bytes_is_still_a_page() -> None:
    page = seed_page().encode("utf-8")
    mid = len(page) // 2
    rec = extract(page[:mid] + b"\x00\x01\x02\x1b" + page[mid:], "https://example.com/a")
    assert rec.page_type != "binary" and rec.is_article and rec.word_count > 100
    utf16 = codecs.BOM_UTF16_LE + "<html><body><p>Hallo Welt</p></body></html>".encode("utf-16-le")
    assert not looks_binary(utf16)  # its NULs are text, the BOM says so
