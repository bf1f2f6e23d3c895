"""Which language a text is written in (ISO 639-1), from py3langid's offline model."""

from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, *, min_confidence: float = 0.6) -> str | None:
    """Language code of ``text``, or None when it is too short or too mixed to say."""
    sample = text[:5000]
    if len(sample.split()) < 5:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= min_confidence else None
