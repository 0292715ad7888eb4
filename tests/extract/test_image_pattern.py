"""The lean image-file pattern answers as trafilatura's own does."""

from __future__ import annotations

import re

import pytest

from newsarchive.extract.image_pattern import (
    LEAN_IMAGE_EXTENSION,
    SHIPPED_IMAGE_EXTENSION,
    lean_image_test,
)

SHIPPED = re.compile(SHIPPED_IMAGE_EXTENSION, re.IGNORECASE)
VALUES = ["a.jpg", "/img/a.JPEG?w=1", "x.png\n", ".png", " .png", "a .png", "a.pngx", "a.png_", "a.png-2",
          "a.heic", "a.heix", "a.jpe", "a.jpeg2", "data:image/png;base64," + "A" * 5000,
          "https://x.test/" + "a" * 3000 + ".webp", "a.gif b", "a\t.gif", "é.avif", "a.bmpé", "", "no image"]


@pytest.mark.parametrize("value", VALUES)
def test_same_answer_as_shipped(value: str) -> None:
    assert bool(LEAN_IMAGE_EXTENSION.search(value)) == bool(SHIPPED.search(value))


def test_swapped_only_for_the_shipped_pattern() -> None:
    from trafilatura import utils

    swaps = lean_image_test()
    assert swaps == ([(utils, "IMAGE_EXTENSION", LEAN_IMAGE_EXTENSION)]
                     if utils.IMAGE_EXTENSION.pattern == SHIPPED_IMAGE_EXTENSION else [])
