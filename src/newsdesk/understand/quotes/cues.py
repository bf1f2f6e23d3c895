"""Reporting verbs: the words that tie a quotation to whoever said it.

The pipeline runs without spaCy's lemmatizer (see ``nlp.py``), so the verbs are
listed with their inflected forms, generated once from the base forms below.
The list is the ordinary vocabulary of attribution in news copy ("said",
"told", "added", "warned", "wrote", "tweeted" ...); verbs that report opinions
without quoting anyone ("think", "believe") are left out on purpose.
"""

from __future__ import annotations

from functools import cache


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Base forms; irregular past forms are spelled out in ``_IRREGULAR``.
REPORTING_VERBS = _words(
    "say tell add warn write explain note insist argue claim declare state announce "
    "acknowledge admit ask answer reply respond retort recall suggest predict promise vow "
    "pledge urge describe accuse charge complain concede contend continue joke quip tweet "
    "post conclude emphasize emphasise stress observe remark report testify shout yell "
    "scream exclaim boast brag lament muse mutter whisper caution confirm deny read chant "
    "proclaim assert maintain counter point mention reiterate recount question wonder "
    "demand plead sing cry chide scold thunder fume marvel gush sigh laugh snap begin agree "
    "disagree allege estimate reckon speculate hint signal affirm"
)
_IRREGULAR = {
    "say": ("said", "says", "saying", "say"),
    "tell": ("told", "tells", "telling", "tell"),
    "write": ("wrote", "writes", "writing", "written", "write"),
    "read": ("read", "reads", "reading"),
    "sing": ("sang", "sings", "singing", "sung"),
    "begin": ("began", "begins", "beginning"),
    "cry": ("cried", "cries", "crying"),
    "deny": ("denied", "denies", "denying"),
    "reply": ("replied", "replies", "replying"),
    "testify": ("testified", "testifies", "testifying"),
    "signal": ("signaled", "signalled", "signals", "signaling", "signalling"),
    "snap": ("snapped", "snaps", "snapping"),
    "brag": ("bragged", "brags", "bragging"),
    "plead": ("pleaded", "pled", "pleads", "pleading"),
    "dub": ("dubbed", "dubs", "dubbing", "dub"),
    "label": ("labeled", "labelled", "labels", "labeling", "labelling", "label"),
}
#: Verbs that characterise rather than report ("blasted Clinton as a “disgrace”", "called
#: it a “vanity project”"): a quoted fragment under one of them is someone's words only when
#: the subject is a known entity; "critics called it ..." is a scare quote.
CHARACTERISING_VERBS = _words(
    "call label dub brand blast slam praise criticize criticise term deride hail decry "
    "denounce lambast lambaste mock attack dismiss condemn ridicule liken compare blame "
    "cite reference characterize characterise portray"
)
#: Nouns that head an attribution phrase without a verb: "according to", "in the words of".
ACCORDING = ("according",)


def _regular_forms(verb: str) -> tuple[str, ...]:
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return (verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    if verb.endswith(("sh", "ch", "ss", "x")):
        return (verb, verb + "es", verb + "ed", verb + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


@cache
def reporting_forms() -> frozenset[str]:
    """Every inflected form of every reporting verb, lower case."""
    forms: set[str] = set()
    for verb in REPORTING_VERBS:
        forms.update(_IRREGULAR.get(verb) or _regular_forms(verb))
    return frozenset(forms)


@cache
def characterising_forms() -> frozenset[str]:
    forms: set[str] = set()
    for verb in CHARACTERISING_VERBS:
        forms.update(_IRREGULAR.get(verb) or _regular_forms(verb))
    return frozenset(forms)


def is_reporting_word(word: str) -> bool:
    return word.lower() in reporting_forms()


def is_characterising_word(word: str) -> bool:
    return word.lower() in characterising_forms()
