"""Person and organisation entities straight from spaCy's NER, for quote attribution.

A stand-in used only when the canonical entities of
:mod:`newsdesk.understand.entities` are not available (they are the real
source: aliases, roles and salience across the article). It does the minimum
that attribution needs: full names as canonical names, a lone surname or
"Mr. Surname" joined to the most recent full name that ends with it, and roles
from titles before a name ("Defence Minister Anita Anand") and appositions
after it ("Olivier Salgado, a spokesman for MINUSMA").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.understand.models import Entity, Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sen", "rep", "gov", "rev", "gen", "lt", "col",
    "capt", "sgt", "adm", "maj", "president", "senator", "governor", "mayor", "judge",
    "justice", "sir", "dame", "lord", "lady", "the", "pope", "king", "queen", "prince",
    "princess", "chancellor", "minister", "secretary", "speaker", "colonel", "general",
    "sheriff", "chief", "commissioner", "representative", "congressman", "congresswoman",
    "ambassador", "professor", "reverend", "father", "sister", "brother", "bishop",
}
ABBREVIATED_ROLES = {
    "sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
    "col": "colonel", "lt": "lieutenant", "capt": "captain", "sgt": "sergeant",
    "adm": "admiral", "maj": "major", "rev": "reverend", "prof": "professor",
    "dr": "doctor", "pres": "president",
}


def fallback_entities(doc: Doc) -> list[Entity]:
    """Canonical people and organisations of one parsed article."""
    sent_of = {s.start: n for n, s in enumerate(doc.sents)}
    sent_index = [0] * len(doc)
    n = -1
    for tok in doc:
        if tok.i in sent_of:
            n = sent_of[tok.i]
        sent_index[tok.i] = max(n, 0)
    groups: dict[str, dict[str, object]] = {}
    order: list[str] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        toks = _name_tokens(ent)
        if not toks:
            continue
        words = [t.text for t in toks]
        kind = "person" if ent.label_ == "PERSON" else "org"
        key = _group_key(words, kind, groups, order)
        group = groups.setdefault(key, {"names": [], "kind": kind, "roles": [], "mentions": []})
        if key not in order:
            order.append(key)
        group["names"].append(" ".join(words))  # type: ignore[attr-defined]
        group["roles"].extend(_roles(ent))  # type: ignore[attr-defined]
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        group["mentions"].append(  # type: ignore[attr-defined]
            Mention(start, end, doc.text[start:end], sent_index[toks[0].i])
        )
    out: list[Entity] = []
    for key in order:
        g = groups[key]
        names: list[str] = g["names"]  # type: ignore[assignment]
        canonical = max(names, key=lambda s: (len(s.split()), len(s)))
        out.append(
            Entity(
                name=canonical,
                kind=g["kind"],  # type: ignore[arg-type]
                aliases=tuple(dict.fromkeys(n for n in names if n != canonical)),
                roles=tuple(dict.fromkeys(g["roles"])),  # type: ignore[call-overload]
                mentions=tuple(g["mentions"]),  # type: ignore[arg-type]
            )
        )
    return out


def _name_tokens(ent: Span) -> list[Token]:
    toks = [t for t in ent if t.text not in ("'s", "\u2019s", "'", "\u2019")]
    while toks and toks[0].text.lower().rstrip(".") in TITLES:
        toks = toks[1:]
    return toks


def _group_key(words: list[str], kind: str, groups: dict[str, dict[str, object]], order: list[str]) -> str:
    """The group a name belongs to: the most recent one whose full name ends (or starts) with it."""
    last = words[-1].lower()
    for key in reversed(order):
        g = groups[key]
        if g["kind"] != kind:
            continue
        for name in g["names"]:  # type: ignore[attr-defined]
            have = name.lower().split()
            if len(words) == 1 and (have[-1] == last or (kind == "org" and have[0] == last)):
                return key
            if len(words) > 1 and have[-1] == last and (len(have) == 1 or have[0] == words[0].lower()):
                return key
    return kind + ":" + " ".join(words).lower()


def _roles(ent: Span) -> list[str]:
    """Titles before the name and appositions after it, as written (lower case)."""
    roles: list[str] = []
    for tok in ent:
        word = tok.text.lower().rstrip(".")
        if word in ABBREVIATED_ROLES and tok.text.endswith("."):
            roles.append(ABBREVIATED_ROLES[word])
        elif word in TITLES and word not in ("mr", "mrs", "ms", "miss", "the"):
            roles.append(word)
    head = ent.root
    before = [t for t in head.lefts if t.i < ent.start and t.dep_ in ("compound", "amod", "nmod")]
    if before:
        first = min(t.left_edge.i for t in before)
        words = [t.text for t in ent.doc[first : ent.start] if t.pos_ in ("NOUN", "PROPN", "ADJ")]
        if words and any(t.pos_ == "NOUN" or t.text.lower() in TITLES for t in ent.doc[first : ent.start]):
            roles.append(" ".join(words).lower())
    for child in head.rights:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            mods = [t.text for t in child.lefts if t.dep_ in ("compound", "amod")]
            roles.append(" ".join([*mods, child.text]).lower())
    return roles
