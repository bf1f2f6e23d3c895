"""Who a speaker phrase means: a name, a pronoun or a role noun, resolved to an entity.

Given the grammatical subject of a reporting verb ("Mr. Macron", "she", "the
spokesman", "the Vermont senator"), return the canonical name of the entity
it refers to. The rules are ordinary news-writing conventions:

- names: a mention of an entity is that entity; a bare surname or "Mr.
  Surname" is the person with that surname mentioned most recently;
- pronouns: "he"/"she" is the most recent person of compatible gender,
  preferring people who were the subject of a sentence or the speaker of a
  previous quotation (the object in "X told Y that he ..." is rarely meant);
  gender comes from courtesy titles, gendered role nouns and the pronouns that
  follow a person's name elsewhere in the article;
- role nouns: "the spokesman" is the entity whose role is spokesman, the one
  whose role shares most modifiers ("the Republican nominee") and then the
  most recently mentioned.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.understand.models import Entity

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Sequence

    from spacy.tokens import Doc, Token

MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
MALE_TITLES = {"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"}
FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess", "sister"}
MALE_ROLES = {"spokesman", "chairman", "congressman", "businessman", "husband", "father", "son"}
FEMALE_ROLES = {
    "spokeswoman",
    "chairwoman",
    "congresswoman",
    "businesswoman",
    "wife",
    "mother",
    "daughter",
}
#: Role nouns that name the same job whatever the gender.
ROLE_STEMS = {
    "spokesman": "spokes",
    "spokeswoman": "spokes",
    "spokesperson": "spokes",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "chair": "chair",
    "congressman": "congress",
    "congresswoman": "congress",
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
#: Named-entity types that never speak.
NOT_SPEAKERS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LAW"}
#: "he said" goes to the most recent earlier speaker of that gender before the most
#: recent subject (a try of issue 16; see BENCHMARKS.md for what it did on each half).
SPEAKER_FIRST = False
#: How many sentences back a pronoun may reach for its person.
PRONOUN_WINDOW = 4


@dataclass(frozen=True, slots=True)
class _Mention:
    token: int  # first token
    entity: int
    subject: bool
    sentence: int


class SpeakerResolver:
    """Per-article index of entity mentions, answering "who is this speaker phrase"."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], in_quote: Sequence[bool]) -> None:
        self.doc = doc
        self.entities = list(entities)
        self.in_quote = in_quote
        self.sentence = _sentence_index(doc)
        self.token_entity: dict[int, int] = {}
        self.mentions: list[_Mention] = []
        self.speakers: list[_Mention] = []  # earlier quotations' speakers, in text order
        #: character ranges of bylines ("By Jane Doe") and datelines ("PORT VELAN —"):
        #: who wrote the article and where it was filed never speak in it
        self.masthead = _masthead_ranges(doc.text)
        for n, ent in enumerate(self.entities):
            for m in ent.mentions:
                if any(lo <= m.start < hi for lo, hi in self.masthead):
                    continue
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None or len(span) == 0:
                    continue
                for tok in span:
                    self.token_entity.setdefault(tok.i, n)
                if in_quote[span.start]:
                    continue
                root = span.root
                subject = root.dep_ in SUBJECT_DEPS or (
                    root.dep_ == "appos" and root.head.dep_ in SUBJECT_DEPS
                )
                self.mentions.append(_Mention(span.start, n, subject, self.sentence[span.start]))
        self.surnames: dict[str, list[int]] = {}
        for n, ent in enumerate(self.entities):
            for name in (ent.name, *ent.aliases):
                words = name.split()
                if words and n not in self.surnames.get(words[-1].lower(), []):
                    self.surnames.setdefault(words[-1].lower(), []).append(n)
        self._surname_mentions(doc)
        self.mentions.sort(key=lambda m: m.token)
        self.gender = self._genders()
        self._full_names: dict[int, str] = {}

    def _surname_mentions(self, doc: Doc) -> None:
        """A person's surname the entity stage missed, or took for an organisation, is them.

        Taggers often label a lone "Christie" or "Schiff" as an organisation once the
        full name has been given; news style only uses a bare surname for a person.
        """
        people = {
            word: [n for n in ns if self.entities[n].kind == "person"]
            for word, ns in self.surnames.items()
        }
        for i in _positions(doc, people):
            tok = doc[i]
            cands = people[tok.lower_]
            if not cands or tok.pos_ != "PROPN" or self.in_quote[tok.i] or self.in_masthead(tok):
                continue
            have = self.token_entity.get(tok.i)
            if have is not None and self.entities[have].kind == "person":
                continue
            n = cands[0] if len(cands) == 1 else self._nearest_before(cands, tok.i)
            self.token_entity[tok.i] = n
            subject = tok.dep_ in SUBJECT_DEPS
            self.mentions.append(_Mention(tok.i, n, subject, self.sentence[tok.i]))

    def _nearest_before(self, cands: list[int], i: int) -> int:
        best, pos = cands[0], -1
        for m in self.mentions:
            if m.entity in cands and pos < m.token <= i:
                best, pos = m.entity, m.token
        return best

    # ------------------------------------------------------------------ public
    def resolve(self, tok: Token) -> str | None:
        """Canonical name for the speaker phrase headed by ``tok``, or None."""
        n = self.resolve_index(tok)
        if isinstance(n, int):
            return self.name_of(n)
        return n

    def in_masthead(self, tok: Token) -> bool:
        return any(lo <= tok.idx < hi for lo, hi in self.masthead)

    def resolve_index(self, tok: Token) -> int | str | None:
        if self.in_masthead(tok):
            return None
        lower = tok.lower_
        if lower in ("who", "which", "that") and tok.head.dep_ == "relcl":
            return self.resolve_index(tok.head.head)
        if lower in MALE_PRONOUNS or lower in FEMALE_PRONOUNS:
            return self.pronoun(tok, "m" if lower in MALE_PRONOUNS else "f")
        if tok.pos_ == "PRON":
            return None
        if tok.i in self.token_entity:
            return self._titled(tok, self.token_entity[tok.i])
        if tok.pos_ == "PROPN":
            found = self.by_surname(tok)
            return self._titled(tok, found) if isinstance(found, int) else found
        if tok.pos_ != "NOUN":
            return None
        for child in tok.children:  # "the coup leader, Colonel Assimi Goita, said"
            if child.dep_ == "appos" and self._kind_at(child.i) == "person":
                return self.token_entity[child.i]
        found = self.by_role(tok)
        if found is None:
            found = self.by_kind_noun(tok)
        if found is not None:
            return found
        for child in tok.children:  # "the Clinton campaign said": that side
            if child.dep_ in ("compound", "poss") and self._kind_at(child.i) in ("person", "org"):
                return self.token_entity[child.i]
        return None

    def _titled(self, tok: Token, n: int) -> int:
        """ "Mrs. Okafor" when two Okafors are in the article: the one of the title's gender.

        A courtesy title before the surname settles which of several people sharing it
        is meant; the entity stage may have joined the surname to the other one."""
        title = _title_before(self.doc, tok)
        if title is None:
            return n
        surname = self.doc[tok.right_edge.i if tok.right_edge.pos_ == "PROPN" else tok.i].lower_
        cands = [c for c in self.surnames.get(surname, []) if self.entities[c].kind == "person"]
        if len(cands) < 2 or self.gender.get(n) == title:
            return n
        same = [c for c in cands if self.gender.get(c) == title]
        return self._most_recent(same, tok.i) if same else n

    def _kind_at(self, i: int) -> str | None:
        n = self.token_entity.get(i)
        return self.entities[n].kind if n is not None else None

    def note_speaker(self, tok: Token, entity: int) -> None:
        """Remember who spoke where: a later "he said" most often means the same person."""
        self.speakers.append(_Mention(tok.i, entity, True, self.sentence[tok.i]))

    def index_of(self, name: str) -> int | None:
        for n, ent in enumerate(self.entities):
            if ent.name == name:
                return n
        return None

    # ----------------------------------------------------------------- helpers
    def by_surname(self, tok: Token) -> int | str | None:
        candidates = self.surnames.get(tok.lower_, [])
        if candidates:
            return self._most_recent(candidates, tok.i)
        if tok.ent_type_ in NOT_SPEAKERS:
            return None
        return self.longest_name(tok)

    def name_of(self, n: int) -> str:
        """The entity's canonical name, or a fuller form of a lone surname the entity stage
        could not join (the tagger missed "Ilse Marten" but found "Ms. Marten")."""
        ent = self.entities[n]
        if ent.kind != "person" or " " in ent.name:
            return ent.name
        if n not in self._full_names:
            for tok in self.doc:
                if tok.text == ent.name:
                    self._full_names[n] = self.longest_name(tok)
                    break
            else:
                self._full_names[n] = ent.name
        return self._full_names[n]

    def longest_name(self, tok: Token) -> str:
        """A name the entity stage missed, in its longest form in the article ("Ilse Marten"
        for "Marten"): the run of proper nouns ending in the same word, without titles."""
        from newsdesk.understand.lexicon import HONORIFICS, ROLE_NOUNS

        best: list[str] = [tok.text]
        for other in self.doc:
            if other.text != tok.text or other.pos_ != "PROPN":
                continue
            run = [other.text]
            j = other.i - 1
            while j >= 0 and self.doc[j].pos_ == "PROPN" and not self.doc[j].is_space:
                run.insert(0, self.doc[j].text)
                j -= 1
            while len(run) > 1 and (run[0].lower() in HONORIFICS or run[0].lower() in ROLE_NOUNS):
                run.pop(0)
            if len(run) > len(best):
                best = run
        return " ".join(best)

    def by_role(self, tok: Token) -> int | None:
        word = tok.lower_
        stem = ROLE_STEMS.get(word, word)
        mods = {t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod")}
        best: tuple[int, int, int] | None = None
        for n, ent in enumerate(self.entities):
            if ent.kind != "person":
                continue
            for role in ent.roles:
                words = role.lower().replace(".", "").split()
                if not words or ROLE_STEMS.get(words[-1], words[-1]) != stem:
                    continue
                score = (len(mods & set(words)), self._last_before(n, tok.i), n)
                if best is None or score > best:
                    best = score
        return best[2] if best else None

    def by_kind_noun(self, tok: Token) -> int | None:
        """ "the company said" after "the Kestrel Rail Company": the most recently mentioned
        organisation whose name contains the noun."""
        if not any(c.lower_ == "the" for c in tok.lefts):
            return None
        word = tok.lower_
        cands = [
            n
            for n, ent in enumerate(self.entities)
            if ent.kind in ("org", "group") and word in ent.name.lower().split()
        ]
        return self._most_recent(cands, tok.i) if cands else None

    def pronoun(self, tok: Token, gender: str) -> int | None:
        """Most recent compatible person: subjects and earlier speakers first."""
        lo = self.sentence[tok.i] - PRONOUN_WINDOW
        events = sorted(
            (m for m in [*self.mentions, *self.speakers] if m.token < tok.i and m.sentence >= lo),
            key=lambda m: m.token,
            reverse=True,
        )
        events = [
            m
            for m in events
            if self.entities[m.entity].kind == "person"
            and self.gender.get(m.entity, gender) == gender
            and not _same_clause_object(self.doc, m.token, tok)
        ]
        found = None
        if SPEAKER_FIRST:
            spoke = {id(m) for m in self.speakers}
            found = next((m.entity for m in events if id(m) in spoke), None)
        if found is None:
            found = next((m.entity for m in events if m.subject), None)
        if found is None and events:
            found = events[0].entity
        if found is not None:
            self.gender.setdefault(found, gender)  # "she said" teaches us about the person
        return found

    def _most_recent(self, candidates: list[int], i: int) -> int:
        return max(candidates, key=lambda n: (self._last_before(n, i), -n))

    def _last_before(self, n: int, i: int) -> int:
        last = -1
        for m in self.mentions:
            if m.entity == n and m.token <= i:
                last = m.token
        return last

    def _genders(self) -> dict[int, str]:
        votes: dict[int, Counter[str]] = {}
        for m in self.mentions:
            prev = self.doc[m.token - 1].lower_ if m.token > 0 else ""
            first = self.doc[m.token].lower_
            for word in (prev, first):
                if word in MALE_TITLES:
                    votes.setdefault(m.entity, Counter())["m"] += 5
                elif word in FEMALE_TITLES:
                    votes.setdefault(m.entity, Counter())["f"] += 5
        for n, ent in enumerate(self.entities):
            for role in ent.roles:
                for word in role.lower().split():
                    if word in MALE_ROLES:
                        votes.setdefault(n, Counter())["m"] += 5
                    elif word in FEMALE_ROLES:
                        votes.setdefault(n, Counter())["f"] += 5
        # pronouns after a person's name, when that person was the last subject
        for i in _positions(self.doc, MALE_PRONOUNS | FEMALE_PRONOUNS):
            tok = self.doc[i]
            lower = tok.lower_
            if self.in_quote[tok.i]:
                continue
            g = "m" if lower in MALE_PRONOUNS else "f"
            lo = self.sentence[tok.i] - 1
            for m in reversed(self.mentions):
                if m.token >= tok.i or m.sentence < lo:
                    continue
                if not m.subject or self.entities[m.entity].kind != "person":
                    continue
                titled = votes.get(m.entity)
                if titled and titled.most_common(1)[0][0] != g and titled.total() >= 5:
                    continue  # "Mr. Ashby" is not the "she" of the next sentence
                votes.setdefault(m.entity, Counter())[g] += 1
                break
        return {n: c.most_common(1)[0][0] for n, c in votes.items() if c}


def _title_before(doc: Doc, tok: Token) -> str | None:
    """ "m" / "f" for a courtesy title right before the name headed by ``tok``."""
    start = tok.left_edge.i if tok.left_edge.i >= tok.i - 3 else tok.i
    for i in range(max(start - 1, 0), tok.i + 1):
        word = doc[i].lower_
        if word in MALE_TITLES:
            return "m"
        if word in FEMALE_TITLES:
            return "f"
    return None


_BYLINE = re.compile(r"(?m)^[ \t]*By[ \t]+[A-Z][^\n]{0,80}$")
_DATELINE = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,3}"
    r"(?:,[ \t]*[A-Z][A-Za-z.]*(?:[ \t]+[A-Z][A-Za-z.]*)?)?)"
    r"[ \t]*(?:\([A-Za-z. ]{1,20}\)[ \t]*)?(?:—|–|--|-[ \t])"
)


def _masthead_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of a byline line ("By Jane Doe, Staff Writer") and of a dateline
    that opens a paragraph ("PORT VELAN, Norland (Wire) —"): neither is ever a speaker."""
    ranges = [(m.start(), m.end()) for m in _BYLINE.finditer(text) if len(m.group().split()) <= 9]
    ranges += [(m.start(1), m.end(1)) for m in _DATELINE.finditer(text, 0, 400) if m.start() < 200]
    return ranges


def _sentence_index(doc: Doc) -> list[int]:
    from spacy.attrs import SENT_START

    out: list[int] = []
    n = -1
    for i, start in enumerate(doc.to_array([SENT_START]).tolist()):
        if start == 1 or i == 0:
            n += 1
        out.append(n)
    return out


def _positions(doc: Doc, words: Iterable[str]) -> list[int]:
    """Indexes of the tokens whose lower-case form is one of ``words``, without building a
    Token object per word of the article (that dominates the cost on long articles)."""
    from spacy.attrs import LOWER

    strings = doc.vocab.strings
    wanted = {strings.add(w) for w in words}
    return [i for i, h in enumerate(doc.to_array([LOWER]).tolist()) if h in wanted]


def _same_clause_object(doc: Doc, mention_token: int, pron: Token) -> bool:
    """True for "X told Y that he ...": Y is an object of the verb over the pronoun's clause."""
    tok = doc[mention_token]
    while tok.dep_ == "compound" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in ("dobj", "pobj", "dative"):
        return False
    verb = tok.head if tok.dep_ != "pobj" else tok.head.head
    return verb.is_ancestor(pron)
