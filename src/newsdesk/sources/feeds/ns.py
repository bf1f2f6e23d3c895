"""Element names with their namespaces folded into short, lower-case prefixes.

Why: the same RSS element turns up with no namespace, in the RSS 1.0 or 0.90
namespace, or in an obsolete Userland one; Dublin Core, ``content:`` and Media
RSS each have spellings too. The readers compare against ``"title"``,
``"dc:creator"`` or ``"media:content"`` and never see a namespace URI. Names
are cached, so the mapping costs one dict lookup per element.
"""

from __future__ import annotations

from typing import Any

ATOM10 = "http://www.w3.org/2005/Atom"
ATOM03 = "http://purl.org/atom/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS10 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_RSS_CORE = (
    "",
    RSS10,
    RSS090,
    "http://backend.userland.com/rss2",
    "http://backend.userland.com/rss",
    "http://blogs.law.harvard.edu/tech/rss",
    "http://purl.org/net/rss1.1#",
)
_PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc:",
    "http://purl.org/dc/elements/1.0/": "dc:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://purl.org/rss/1.0/modules/content/": "content:",
    "http://search.yahoo.com/mrss/": "media:",
    "http://search.yahoo.com/mrss": "media:",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes:",
    "http://www.itunes.com/DTDs/Podcast-1.0.dtd": "itunes:",
    "http://www.w3.org/1999/xhtml": "xhtml:",
    RDF: "rdf:",
    ATOM10: "atom:",
    ATOM03: "atom:",
}


class Namer(dict[Any, str]):
    """Maps lxml tags to short names; ``core`` namespaces lose their prefix.

    A dict whose misses compute the name, so the readers' hot loops pay one C-level
    lookup per element (``names[child.tag]``). At most ``_MAX`` names are kept, so
    a document with endless invented tags cannot grow it without bound.
    """

    _MAX = 4096

    def __init__(self, core: tuple[str, ...]) -> None:
        super().__init__()
        self._core = frozenset(core)

    def __missing__(self, tag: Any) -> str:
        if not isinstance(tag, str):
            return ""  # comments, processing instructions, entity references
        name = self._name(tag)
        if len(self) < self._MAX:
            self[tag] = name
        return name

    def __call__(self, tag: Any) -> str:
        return self[tag]

    def _name(self, tag: str) -> str:
        if tag[0] != "{":
            return tag.lower()
        ns, _, local = tag[1:].partition("}")
        if ns in self._core:
            return local.lower()
        prefix = _PREFIXES.get(ns)
        if prefix is None:
            return "?:" + local.lower()  # an extension we do not read
        return prefix + local.lower()


class FieldMap(dict[Any, int]):
    """lxml tag -> small field number of a reader, through a :class:`Namer` (0: not read).

    The readers' loops then do one dict lookup and integer comparisons per element
    instead of a chain of string and tuple tests.
    """

    def __init__(self, names: Namer, fields: dict[str, int]) -> None:
        super().__init__()
        self._names = names
        self._fields = fields

    def __missing__(self, tag: Any) -> int:
        field = self._fields.get(self._names[tag], 0)
        if len(self) < Namer._MAX:
            self[tag] = field
        return field


rss_names = Namer(_RSS_CORE)
atom_names = Namer(("", ATOM10, ATOM03))


def attr(element: Any, name: str) -> str | None:
    """An attribute whatever its namespace or case (feeds are loose about both)."""
    value = element.get(name)
    if value is not None:
        return str(value)
    for key, val in element.attrib.items():
        local = key.rpartition("}")[2] if key[0] == "{" else key
        if local.lower() == name:
            return str(val)
    return None
