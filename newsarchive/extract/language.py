"""The article's language: detected from its text, with the page's lang attribute as a hint.

The lang attribute is often a theme default ("en-US" on a German blog), so the text
decides when it is long enough to be sure; short texts fall back to the hint.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

#: below this many characters of text a detector's guess is noise
MIN_DETECT_CHARS = 40
#: the detector must be at least this sure to overrule the page's own lang attribute
MIN_CONFIDENCE = 0.9
#: enough text to be sure; reading more only costs time
DETECT_CHARS = 800


@lru_cache(maxsize=1)
def _identifier() -> Any:
    try:
        import numpy as np
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except Exception:  # noqa: BLE001  (no detector: the hint is all we have)
        return None

    class SparseIdentifier(LanguageIdentifier):  # type: ignore[misc]
        """py3langid multiplies the whole 7,480-feature vector by its 7,480 x 97 table; an
        800-character sample has a few hundred features, so only those rows are read
        (same sums, about a tenth of the CPU)."""

        def nb_classprobs(self, fv: Any) -> Any:
            rows = np.flatnonzero(fv)
            return np.dot(fv[rows], self.nb_ptc[rows]) + self.nb_pc

    try:
        return SparseIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    except Exception:  # noqa: BLE001
        return None


def hint_code(lang: str | None) -> str | None:
    """'en-US' -> 'en'; None for anything that is not an ISO 639-1 code."""
    if not lang:
        return None
    code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def detect_language(text: str, hint: str | None) -> str | None:
    hinted = hint_code(hint)
    sample = text[:DETECT_CHARS]
    if len(sample.strip()) < MIN_DETECT_CHARS:
        return hinted
    ident = _identifier()
    if ident is None:
        return hinted
    try:
        code, prob = ident.classify(sample)
    except Exception:  # noqa: BLE001
        return hinted
    if hinted and (code == hinted or prob < MIN_CONFIDENCE):
        return hinted
    return str(code)
