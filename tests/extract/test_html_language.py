"""Language detection on article text we wrote, in several scripts and languages."""

from __future__ import annotations

import pytest

from newsdesk.extract.language import SAMPLE_CHARS, detect_language

TEXTS = {
    "en": "The ferry to the outer islands will run once a day this winter, the operator said on "
    "Monday, while the older boat is repaired.",
    "fr": "La bibliothèque de Valrose a rouvert samedi matin après deux années de travaux, et une "
    "longue file d'attente s'était formée devant la porte.",
    "de": "Die neue Brücke über die Wend wird im Frühjahr eröffnet, teilte die Stadtverwaltung am "
    "Dienstag mit, nachdem die Bauarbeiten länger gedauert hatten.",
    "es": "El ayuntamiento aprobó el martes la construcción de una barrera contra las mareas, "
    "después de diez años de discusiones con los pescadores del puerto.",
    "pt": "A prefeitura anunciou nesta segunda-feira que os ônibus noturnos voltarão a circular em "
    "maio, depois de um acordo com o sindicato dos motoristas.",
    "ru": "Городской совет во вторник одобрил строительство нового моста через реку, споры о "
    "котором продолжались почти десять лет.",
    "ja": "町議会は火曜日、十年にわたる議論の末に、"
    "河口に防潮堤を建設する計画を賛成多数で可決した。",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_detects_the_language_of_a_paragraph(code: str) -> None:
    assert detect_language(TEXTS[code]) == code


def test_too_little_text_gives_no_answer() -> None:
    assert detect_language("Hello") is None
    assert detect_language("") is None


def test_only_the_opening_of_a_long_text_is_read() -> None:
    # A French article with a long English appendix is French: its opening decides.
    text = TEXTS["fr"] * 8 + " " + TEXTS["en"] * 40
    assert len(TEXTS["fr"] * 8) > SAMPLE_CHARS
    assert detect_language(text) == "fr"
