"""Topics: what an article is about, as keys that mean the same thing in every article.

A topic is either a salient entity (key ``place:mali``, the entity's own key)
or a key phrase the article keeps coming back to ("military junta",
"peacekeeping", "elections"; key ``military junta``, ``peacekeeping``,
``election``). Phrase keys are lower-cased and singular, so "Elections" in one
article and "election" in another are one followable topic.

Key phrases are nouns and adjective/noun pairs outside named entities, counted
over the article with extra weight in the headline and the opening sentences;
words that fit any story ("official", "year", "statement") are left out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.understand.lexicon import words
from newsdesk.understand.models import Entity, Topic, normalise_key

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

MAX_ENTITY_TOPICS = 6
MAX_PHRASE_TOPICS = 8
MIN_ENTITY_SALIENCE = 0.25
LEDE_SENTENCES = 3

_GENERIC = words(
    """
    people person year years time times day days week weeks month months decade decades
    official officials report reports statement statements country countries government
    way part parts number numbers percent cent lot lots thing things issue issues today
    state news conference group groups member members side sides term terms case cases
    area areas place places point points end fact facts sign signs kind kinds world life
    lives work home week interview told reporters reporter spokesman spokeswoman
    spokesperson analyst analysts week's minister president leader director head chief
    presence number level levels percentage proportion amount figure figures million
    billion thousand hundred dozen decision plan plans problem problems question
    questions reason reasons result results
    """
)
#: Broad news nouns: fine inside a phrase ("peacekeeping mission"), too vague alone.
_WEAK_ALONE = words(
    """
    troop troops force forces operation operations mission missions ally allies aircraft
    support security power authority authorities announcement company companies service
    services move step talk talks deal meeting meetings
    """
)
#: Heads that say little beside their modifier: "peacekeeping mission" is about peacekeeping.
_CONTAINERS = words(
    """
    mission missions operation operations program programs programme programmes campaign
    campaigns effort efforts process sector industry system
    """
)
_KEEP_S = ("ss", "us", "is", "sis", "ics", "news", "series", "species")


def singular(word: str) -> str:
    """A small English singulariser for topic keys: "militias" -> "militia", "forces" -> "force"."""
    if len(word) <= 3 or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def phrase_key(phrase: str) -> str:
    words = normalise_key(phrase).split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words)


def _is_candidate(tok: Token) -> bool:
    return (
        tok.is_alpha
        and not tok.is_stop
        and not tok.ent_type_
        and len(tok.text) > 3
        and tok.lower_ not in _GENERIC
    )


def find_topics(
    doc: Doc,
    entities: Sequence[Entity],
    sentence_of: Sequence[int],
    headline: str = "",
) -> list[Topic]:
    """The article's topics, most central first."""
    topics: list[Topic] = [
        Topic(e.name, e.key, round(e.salience, 3))
        for e in entities
        if e.salience >= MIN_ENTITY_SALIENCE and e.kind != "group"
    ][:MAX_ENTITY_TOPICS]
    topics.extend(_phrase_topics(doc, sentence_of, headline))
    topics.sort(key=lambda t: -t.score)
    seen: set[str] = set()
    unique: list[Topic] = []
    for topic in topics:
        if topic.key and topic.key not in seen:
            seen.add(topic.key)
            unique.append(topic)
    return unique


def _phrase_topics(doc: Doc, sentence_of: Sequence[int], headline: str) -> list[Topic]:
    unigrams: dict[str, float] = defaultdict(float)
    bigrams: dict[str, float] = defaultdict(float)
    display: dict[str, Counter[str]] = {}
    heading = {singular(w) for w in re.findall(r"[a-z]+", headline.lower())}
    for tok in doc:
        if tok.pos_ != "NOUN" or not _is_candidate(tok):
            continue
        weight = 2.0 if sentence_of[tok.i] < LEDE_SENTENCES else 1.0
        key = singular(tok.lower_)
        if key in heading:
            weight += 2.0
        unigrams[key] += weight
        display.setdefault(key, Counter())[tok.lower_] += 1
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if (
            prev is not None
            and prev.pos_ in {"ADJ", "NOUN"}
            and _is_candidate(prev)
            and prev.dep_ in {"amod", "compound"}
            and prev.head.i == tok.i
        ):
            bkey = f"{prev.lower_} {key}"
            bigrams[bkey] += weight
            display.setdefault(bkey, Counter())[f"{prev.lower_} {tok.lower_}"] += 1
    chosen: list[tuple[str, float]] = []
    for key, count in bigrams.items():
        if count >= 3 and sum(display[key].values()) >= 2:
            chosen.append((key, count * 1.5))
    covered = Counter[str]()
    for key, _ in chosen:
        covered[key.split()[-1]] += sum(display[key].values())
        covered[key.split()[0]] += sum(display[key].values())
    for key, count in unigrams.items():
        raw = sum(display[key].values())
        if raw - covered[key] >= 2 and count >= 3 and key not in _WEAK_ALONE:
            chosen.append((key, count))
    chosen = [_container_to_modifier(kv, display) for kv in chosen]
    chosen.sort(key=lambda kv: -kv[1])
    chosen = chosen[:MAX_PHRASE_TOPICS]
    if not chosen:
        return []
    top = chosen[0][1]
    return [
        Topic(display[key].most_common(1)[0][0], phrase_key(key), round(0.8 * score / top, 3))
        for key, score in chosen
    ]


def _container_to_modifier(
    item: tuple[str, float], display: dict[str, Counter[str]]
) -> tuple[str, float]:
    key, score = item
    words = key.split()
    if len(words) == 2 and words[1] in _CONTAINERS:
        display.setdefault(words[0], Counter())[words[0]] += 1
        return words[0], score
    return item
