"""Canonical entities within one article: every way a person, organisation or place is named.

spaCy finds spans ("Emmanuel Macron", "Macron", "the Wagner Group", "Mali");
this module turns them into one :class:`Entity` per real-world thing, because
"follow Emmanuel Macron" must match an article that only says "Mr. Macron":

* names are cleaned of articles, possessives and honorifics ("the Wagner
  Group" -> Wagner Group, "Canada's" -> Canada, "Mr. Macron" -> Macron);
* titles and roles are kept apart from names ("Canadian Defence Minister
  Anita Anand": person Anita Anand, role Defence Minister; "Olivier Salgado,
  a spokesman for ...": role spokesman), so the quote code can resolve "the
  spokesman said";
* surnames and first names join the full name seen elsewhere in the article;
* acronyms join their expansion ("United Nations" / "UN"), and an expansion
  the article spells out ("the ... mission in Mali, known as MINUSMA") becomes
  an alias;
* the kind is voted over all mentions, with a list of countries and regions
  correcting the small model's habit of calling "Mali" a person.

Everything here is pure: a parsed ``Doc`` in, entities out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from newsdesk.understand.lexicon import (
    ACRONYM_STOPWORDS,
    HONORIFICS,
    PLACES,
    ROLE_NOUNS,
    TITLE_WORDS,
    words,
)
from newsdesk.understand.models import Entity, EntityKind, Mention, normalise_key

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

LABEL_KINDS: dict[str, EntityKind] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "event",
}
_KIND_PRIORITY: dict[EntityKind, int] = {"place": 4, "org": 3, "person": 2, "event": 1, "group": 0}
_POSSESSIVE = {"'s", "’s", "'", "’", "s"}
_EDGE_STRIP = {"the", "a", "an", "this", "that", "these", "those"}
_LEFT_ROLE_DEPS = {"compound", "amod", "nmod", "nn"}


@dataclass
class _Raw:
    """One cleaned named span before clustering."""

    start: int  # character offsets into the body
    end: int
    text: str
    label: str
    sentence: int
    root: Token
    first: int  # token index of the cleaned span's first token
    titles: list[Token] = field(default_factory=list)  # title tokens cut off the span


@dataclass
class _Cluster:
    kind: EntityKind
    names: list[str] = field(default_factory=list)  # each mention's cleaned text, in order
    keys: set[str] = field(default_factory=set)  # normalised ``names``
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    extra_aliases: list[str] = field(default_factory=list)
    surface: list[str] = field(default_factory=list)  # forms as written ("Mr. Macron")
    roots: list[Token] = field(default_factory=list)  # each mention's syntactic head

    @property
    def tokens(self) -> list[str]:
        return self.canonical().split()

    def canonical(self) -> str:
        counts = Counter(self.names)
        if self.kind == "person" or self.kind == "org":
            plain = [n for n in counts if not _is_acronym(n)] or list(counts)
            return max(plain, key=lambda n: (len(n.split()), counts[n], -self.names.index(n)))
        return max(counts, key=lambda n: (counts[n], len(n), -self.names.index(n)))

    def last_seen(self) -> int:
        return self.mentions[-1].start if self.mentions else -1


def find_entities(doc: Doc, sentence_of: Sequence[int]) -> list[Entity]:
    """Canonical entities of ``doc`` (salience left at 0: see ``salience.score``).

    ``sentence_of`` maps a token index to its sentence number.
    """
    raws = [r for ent in doc.ents if ent.label_ in LABEL_KINDS for r in _clean(ent, sentence_of)]
    if not raws:
        return []
    kinds = _vote_kinds(raws)
    clusters: list[_Cluster] = []
    for raw in raws:
        kind = kinds[normalise_key(raw.text)]
        _add_to_cluster(clusters, raw, kind)
    _merge_acronyms_and_parts(clusters)
    _link_spelled_out_acronyms(doc, clusters)
    return [_to_entity(c) for c in clusters if c.mentions]


# --- cleaning -----------------------------------------------------------------------------


def _role_shaped(word: str) -> bool:
    """ "Chairperson", "Harbourmaster", "Congressman": a job title by its shape, stripped
    from the front of a three-word name ("Chairperson Donna Brazile")."""
    return len(word) > 6 and word.endswith(("person", "master", "woman", "man"))


def _clean(ent: Span, sentence_of: Sequence[int]) -> list[_Raw]:
    """``ent`` cut at brackets, without articles, possessives, honorifics and titles."""
    pieces: list[list[Token]] = [[]]
    for tok in ent:
        if tok.text in "()[]":
            pieces.append([])
        else:
            pieces[-1].append(tok)
    out: list[_Raw] = []
    for toks in pieces:
        titles: list[Token] = []
        while toks and (toks[0].lower_ in _EDGE_STRIP or toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        while toks and (toks[-1].lower_ in _POSSESSIVE or toks[-1].is_punct or toks[-1].is_space):
            toks = toks[:-1]
        if ent.label_ in {"PERSON", "NORP"}:
            while len(toks) > 1 and (
                toks[0].lower_ in HONORIFICS
                or toks[0].lower_ in TITLE_WORDS
                or (len(toks) > 2 and _role_shaped(toks[0].lower_))
            ):
                titles.append(toks[0])
                toks = toks[1:]
        if ent.label_ == "PERSON":
            # "Tom Nides Thanked Clinton": a title-case headline run into the name; a name
            # ends before a verb
            verb = next((k for k in range(2, len(toks)) if toks[k].tag_.startswith("VB")), None)
            if verb is not None:
                toks = toks[:verb]
        if not toks:
            continue
        label = ent.label_
        if label == "NORP" and _looks_like_a_full_name(toks):
            label = "PERSON"  # the small model calls some unfamiliar names nationalities
        elif label == "NORP" and not _norp_is_a_group(toks):
            continue
        start = toks[0].idx
        text = ent.doc[toks[0].i : toks[-1].i + 1].text  # Doc.text would rebuild the whole body
        text = re.sub(r"[’']s$", "", text).strip()
        if not any(ch.isalpha() for ch in text) or text.islower() or "\n" in text:
            continue
        root = ent.doc[toks[0].i : toks[-1].i + 1].root
        out.append(
            _Raw(
                start,
                start + len(text),
                text,
                label,
                sentence_of[toks[0].i],
                root,
                toks[0].i,
                titles,
            )
        )
    return out


_DEMONYM_ENDINGS = ("an", "ans", "ese", "ish", "ians")
_COMPASS = words("north south east west central latin new northern southern eastern western")


def _looks_like_a_full_name(toks: list[Token]) -> bool:
    """Unfamiliar names the model calls a nationality ("Marguerite Tallis"); not "West African"."""
    if len(toks) < 2 or not all(t.pos_ == "PROPN" and t.is_title for t in toks):
        return False
    if toks[0].lower_ in _COMPASS or any(t.lower_ in PLACES for t in toks):
        return False
    return not toks[-1].lower_.endswith(_DEMONYM_ENDINGS)


def _norp_is_a_group(toks: list[Token]) -> bool:
    """ "the Islamists" names a group; "French troops" only describes the troops."""
    last = toks[-1]
    return last.pos_ in {"NOUN", "PROPN"} and last.dep_ not in {"amod", "compound"}


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper() and " " not in name


def _acronym_letters(name: str) -> str:
    return name.replace(".", "").replace("&", "").upper()


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ACRONYM_STOPWORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


# --- kinds and clusters ---------------------------------------------------------------------


def _vote_kinds(raws: list[_Raw]) -> dict[str, EntityKind]:
    """One kind per cleaned name: the list of places first, then the labels' majority."""
    votes: dict[str, Counter[EntityKind]] = {}
    for raw in raws:
        votes.setdefault(normalise_key(raw.text), Counter())[LABEL_KINDS[raw.label]] += 1
    surnames = {
        normalise_key(r.text.split()[-1])
        for r in raws
        if r.label == "PERSON" and len(r.text.split()) > 1
    }
    # "harbour master Ines Okafor": a full name under a job title is a person, whatever
    # label the small model gave it (it often calls unfamiliar names places).
    titled = {normalise_key(r.text) for r in raws if _is_titled_full_name(r)}
    kinds: dict[str, EntityKind] = {}
    for key, counter in votes.items():
        if key in PLACES:
            kinds[key] = "place"
        elif key in surnames or key in titled:
            kinds[key] = "person"
        else:
            kinds[key] = max(counter, key=lambda k: (counter[k], _KIND_PRIORITY[k]))
    return kinds


def _is_titled_full_name(raw: _Raw) -> bool:
    """Two or more capitalised words right after a job noun ("master", "mayor", "editor")."""
    words = raw.text.split()
    if raw.label not in {"GPE", "LOC", "FAC", "NORP"} or not 2 <= len(words) <= 3:
        return False
    if not all(w[:1].isupper() and w[1:].islower() for w in words):
        return False
    before = raw.titles[-1] if raw.titles else (raw.root.doc[raw.first - 1] if raw.first else None)
    if before is None or before.pos_ != "NOUN" or before.dep_ not in _LEFT_ROLE_DEPS:
        return False
    job = before.lower_
    return job in ROLE_NOUNS or job.endswith(("man", "woman", "er", "or", "ist"))


def _add_to_cluster(clusters: list[_Cluster], raw: _Raw, kind: EntityKind) -> None:
    key = normalise_key(raw.text)
    words = [normalise_key(w) for w in raw.text.split()]  # "Adebayo-Marsh" is one word
    mention = Mention(raw.start, raw.end, raw.text, raw.sentence)
    target: _Cluster | None = None
    same_kind = [c for c in clusters if c.kind == kind]
    for cluster in same_kind:
        if key in cluster.keys:
            target = cluster
            break
    if target is None and kind == "person":
        if len(words) == 1:
            # A surname (or a first name) alone: the most recent person it belongs to.
            for pos in (-1, 0):
                found = [c for c in same_kind if _name_words(c.canonical())[pos] == key]
                if found:
                    target = max(found, key=_Cluster.last_seen)
                    break
        else:
            # A full name after its surname was seen alone: the same person, now named in full;
            # "Guajardo Villarreal" after "Ildefonso Guajardo Villarreal", "Donald J. Trump"
            # and "Donald Trump": the same person named more or less fully.
            for cluster in same_kind:
                if _same_person(_name_words(cluster.canonical()), words):
                    target = cluster
                    break
    if target is None:
        target = _Cluster(kind)
        clusters.append(target)
    target.names.append(raw.text)
    target.keys.add(key)
    target.mentions.append(mention)
    target.roots.append(raw.root)
    titles = raw.titles
    if not titles and raw.first > 0 and raw.root.doc[raw.first - 1].lower_ in HONORIFICS:
        titles = [raw.root.doc[raw.first - 1]]
    if titles:
        target.surface.append(" ".join(t.text for t in titles) + " " + raw.text)
    if kind == "person":
        for role in _roles(raw):
            if role not in target.roles:
                target.roles.append(role)


def _name_words(name: str) -> list[str]:
    return [normalise_key(w) for w in name.split()]


def _same_person(known: list[str], words: list[str]) -> bool:
    """Whether a multi-word name ``words`` names the person already known as ``known``."""
    if len(known) == 1:
        return known[0] == words[-1]
    shorter, longer = sorted((known, words), key=len)
    if longer[-len(shorter) :] == shorter and len(shorter) >= 2:
        return True
    return len(known) >= 2 and known[0] == words[0] and known[-1] == words[-1]


def _merge_acronyms_and_parts(clusters: list[_Cluster]) -> None:
    """Join "UN" to "United Nations" and "Barkhane" to "Operation Barkhane", when unambiguous."""
    for cluster in list(clusters):
        if cluster not in clusters or cluster.kind == "person":
            continue
        if any(len(n.split()) > 1 for n in cluster.names):
            continue  # already has a full name
        name = cluster.canonical()
        others = [c for c in clusters if c is not cluster and c.kind in {"org", "place", "group"}]
        if _is_acronym(name):
            letters = _acronym_letters(name)
            found = [
                c
                for c in others
                if not _is_acronym(c.canonical()) and _initials(c.canonical()) == letters
            ]
        else:
            key = normalise_key(name)
            # "Solenne chief executive ...": a word that modifies a noun can be an org's short name.
            as_modifier = key not in PLACES and all(
                r.dep_ in {"compound", "nmod"} for r in cluster.roots
            )
            found = [
                c
                for c in others
                if (c.kind == cluster.kind or (as_modifier and c.kind == "org"))
                and key in normalise_key(c.canonical()).split()
                and len(c.canonical().split()) > 1
            ]
        if len(found) == 1:
            _merge_into(found[0], cluster)
            clusters.remove(cluster)


def _merge_into(target: _Cluster, other: _Cluster) -> None:
    target.names.extend(other.names)
    target.keys |= other.keys
    target.mentions = sorted([*target.mentions, *other.mentions], key=lambda m: m.start)
    target.roles.extend(r for r in other.roles if r not in target.roles)
    target.extra_aliases.extend(other.extra_aliases)
    target.surface.extend(other.surface)
    target.roots.extend(other.roots)


def _link_spelled_out_acronyms(doc: Doc, clusters: list[_Cluster]) -> None:
    """ "the United Nations peacekeeping mission in Mali, known as MINUSMA": an alias of MINUSMA."""
    for cluster in list(clusters):
        if cluster not in clusters or not _is_acronym(cluster.canonical()):
            continue
        for mention in cluster.mentions:
            spelled = _spelled_out_before(doc, mention)
            if spelled is None:
                continue
            expansion, head = spelled
            key = normalise_key(expansion)
            same = [
                c
                for c in clusters
                if c is not cluster
                and c.kind != "person"
                and (
                    normalise_key(c.canonical()) == key
                    or any(m.start <= head < m.end for m in c.mentions)
                )
            ]
            if same:
                same[0].extra_aliases.append(expansion)
                _merge_into(same[0], cluster)
                clusters.remove(cluster)
                break
            if expansion not in cluster.extra_aliases:
                cluster.extra_aliases.append(expansion)


def _spelled_out_before(doc: Doc, mention: Mention) -> tuple[str, int] | None:
    """The phrase an acronym is introduced with, and the character offset of its head noun."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or span.start < 3:
        return None
    before = doc[span.start - 1]
    if before.lower_ == "as" and doc[span.start - 2].lower_ in {"known", "called", "named"}:
        head = doc[span.start - 2].head
        while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ == "NOUN":
            head = head.head.head  # "the mission in Mali, known as ...": the mission, not Mali
        if head.pos_ not in {"NOUN", "PROPN"}:
            return None
        left = head.left_edge.i
        right = doc[span.start - 2].i
        toks = [t for t in doc[left:right] if not (t.is_punct and t.i == right - 1)]
        head_at = head.idx
    elif before.text == "(":
        head_tok = doc[span.start - 2]
        left = head_tok.left_edge.i if head_tok.pos_ in {"NOUN", "PROPN"} else head_tok.i
        toks = list(doc[left : span.start - 1])
        head_at = head_tok.idx
    else:
        return None
    while toks and (toks[0].lower_ in _EDGE_STRIP or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if len(toks) < 2 or not toks[0].text[:1].isupper():
        return None
    return doc[toks[0].i : toks[-1].i + 1].text, head_at


# --- roles --------------------------------------------------------------------------------


def _roles(raw: _Raw) -> list[str]:
    """Titles before the name and appositions around it: "Defence Minister", "spokesman"."""
    roles: list[str] = []
    doc = raw.root.doc
    # Titles: "Canadian Defence Minister Anita Anand", "Colonel Assimi Goita".
    left: list[Token] = [t for t in raw.titles if t.lower_ not in HONORIFICS]
    i = (raw.titles[0].i if raw.titles else raw.first) - 1
    while i >= 0 and len(left) < 6:
        tok = doc[i]
        if tok.dep_ not in _LEFT_ROLE_DEPS or tok.is_punct or tok.lower_ in HONORIFICS:
            break
        left.insert(0, tok)
        i -= 1
    while left and (left[0].ent_type_ in {"NORP", "GPE", "ORG"} or left[0].pos_ in {"DET", "PART"}):
        left = left[1:]
    if left and any(t.lower_ in TITLE_WORDS or t.pos_ == "NOUN" for t in left):
        roles.append(" ".join(t.text for t in left))
    # Appositions: "Olivier Salgado, a spokesman for ...", "The coup leader, Colonel ...".
    root = raw.root
    candidates = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        candidates.append(root.head)
    for noun in candidates:
        if noun.pos_ != "NOUN" or noun.ent_type_:
            continue
        mods = [c for c in noun.lefts if c.dep_ in {"compound", "amod"} and not c.ent_type_]
        phrase = " ".join(t.text for t in [*mods, noun])
        agent_like = noun.lower_.endswith(("man", "woman", "er", "or", "ist"))
        if noun.lower_ in ROLE_NOUNS or mods or agent_like:
            at_start = phrase[:1].isupper() and (mods or [noun])[0].i == noun.sent.start
            roles.append(phrase.lower() if at_start else phrase)
    return roles


# --- output ---------------------------------------------------------------------------------


def _to_entity(cluster: _Cluster) -> Entity:
    name = cluster.canonical()
    seen = {name}
    aliases: list[str] = []
    for alias in [*cluster.names, *cluster.surface, *cluster.extra_aliases]:
        if alias not in seen:
            seen.add(alias)
            aliases.append(alias)
    return Entity(
        name=name,
        kind=cluster.kind,
        aliases=tuple(aliases),
        roles=tuple(dict.fromkeys(cluster.roles)),
        mentions=tuple(sorted(cluster.mentions, key=lambda m: m.start)),
    )


def with_salience(entity: Entity, salience: float) -> Entity:
    return replace(entity, salience=salience)
