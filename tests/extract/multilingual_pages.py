"""Fictional article pages in German, Spanish and French, built from parts.

Every outlet, person and event here is invented for the tests. Each page wraps
one article kind (a recipe whose steps are list items, a forum thread, a list
post, a 60-word news brief) in the chrome such pages carry in their own
language: a menu, a "related" box of links under its label, a comment notice
and a footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Chrome:
    menu: tuple[str, ...]
    related_label: str
    related: tuple[str, ...]
    comments: tuple[str, ...]  # comment notices: "3 Kommentare", "Schreiben Sie einen Kommentar"
    footer: str


CHROME = {
    "de": Chrome(
        menu=("Startseite", "Politik", "Wirtschaft", "Kultur", "Sport", "Rezepte"),
        related_label="Das könnte Sie auch interessieren",
        related=(
            "Hochwasser in Kellbrunn: Die Feuerwehr zieht eine erste Bilanz",
            "Neuer Bürgermeister in Ostrode vereidigt",
            "Marktplatz von Lindenau wird autofrei",
        ),
        comments=("3 Kommentare", "Schreiben Sie einen Kommentar"),
        footer="© 2031 Kellbrunner Anzeiger. Alle Rechte vorbehalten.",
    ),
    "es": Chrome(
        menu=("Portada", "Política", "Economía", "Cultura", "Deportes", "Recetas"),
        related_label="Mirá también",
        related=(
            "La feria de Valdeluna cierra con récord de visitantes",
            "El puerto de Sanmarcial estrena una grúa eléctrica",
            "Vecinos de Altomira piden más autobuses nocturnos",
        ),
        comments=("5 comentarios", "Deja un comentario"),
        footer="© 2031 Diario de Valdeluna. Todos los derechos reservados.",
    ),
    "fr": Chrome(
        menu=("Accueil", "Politique", "Économie", "Culture", "Sports", "Recettes"),
        related_label="À lire aussi",
        related=(
            "Le marché de Brévannes rouvre après trois mois de travaux",
            "Une nouvelle ligne de tramway pour Saint-Ormel",
            "Les vendanges commencent tôt dans le Val d'Orgis",
        ),
        comments=("2 commentaires", "Laisser un commentaire"),
        footer="© 2031 L'Écho de Brévannes. Tous droits réservés.",
    ),
}


@dataclass(frozen=True)
class Kind:
    title: str
    body: str  # the article's own HTML
    words: tuple[str, ...]  # phrases the body must keep


def page(lang: str, kind: Kind) -> str:
    """A whole page: menu, headline, the article, a related box, comment notices, footer."""
    c = CHROME[lang]
    menu = "".join(f'<li><a href="/{i}">{escape(m)}</a></li>' for i, m in enumerate(c.menu))
    related = "".join(
        f'<li><a href="/story/{i}">{escape(r)}</a></li>' for i, r in enumerate(c.related)
    )
    notices = "".join(f'<p><a href="#comments">{escape(n)}</a></p>' for n in c.comments)
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(kind.title)}</title></head><body>
<header><nav><ul>{menu}</ul></nav></header>
<main><article><h1>{escape(kind.title)}</h1>
{kind.body}
<h3>{escape(c.related_label)}</h3><ul>{related}</ul>
{notices}
</article></main>
<footer><p>{escape(c.footer)}</p></footer></body></html>"""


def _items(items: tuple[str, ...], tag: str = "ol") -> str:
    return f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + f"</{tag}>"


RECIPE = {
    "de": Kind(
        "Apfelkuchen nach Art der Großmutter Helga",
        "<p>Ein einfacher Kuchen für den Sonntag.</p><h2>Zutaten</h2>"
        + _items(("500 g Äpfel", "200 g Mehl", "150 g Butter", "100 g Zucker", "2 Eier"), "ul")
        + "<h2>Zubereitung</h2>"
        + _items(
            (
                "Die Äpfel schälen, entkernen und in dünne Spalten schneiden.",
                "Mehl, Butter, Zucker und Eier zu einem glatten Teig verkneten.",
                "Den Teig in eine gefettete Form drücken und die Äpfel darauf verteilen.",
                "Den Kuchen bei 180 Grad etwa vierzig Minuten goldbraun backen.",
            )
        ),
        ("in dünne Spalten schneiden", "vierzig Minuten goldbraun backen", "200 g Mehl"),
    ),
    "es": Kind(
        "Tortilla de patatas de la abuela Remedios",
        "<p>Una receta sencilla para toda la familia.</p><h2>Ingredientes</h2>"
        + _items(("4 patatas", "6 huevos", "1 cebolla", "aceite de oliva", "sal"), "ul")
        + "<h2>Preparación</h2>"
        + _items(
            (
                "Pelar las patatas y la cebolla y cortarlas en láminas finas.",
                "Freír las patatas y la cebolla a fuego lento durante veinte minutos.",
                "Batir los huevos con sal y mezclarlos con las patatas escurridas.",
                "Cuajar la tortilla por ambos lados en una sartén bien caliente.",
            )
        ),
        ("cortarlas en láminas finas", "en una sartén bien caliente", "6 huevos"),
    ),
    "fr": Kind(
        "La tarte aux poireaux de tante Odette",
        "<p>Une recette simple pour un dîner de semaine.</p><h2>Ingrédients</h2>"
        + _items(("3 poireaux", "1 pâte brisée", "20 cl de crème", "3 œufs", "du gruyère"), "ul")
        + "<h2>Préparation</h2>"
        + _items(
            (
                "Laver les poireaux et les émincer finement avant de les faire fondre.",
                "Étaler la pâte brisée dans un moule et la piquer avec une fourchette.",
                "Mélanger les œufs, la crème et le gruyère puis ajouter les poireaux.",
                "Verser sur la pâte et cuire trente-cinq minutes à four chaud.",
            )
        ),
        ("les émincer finement", "trente-cinq minutes à four chaud", "3 poireaux"),
    ),
}

_POSTS = {
    "de": (
        ("Maren_K", "Hat jemand Erfahrung mit dem neuen Radweg zwischen Kellbrunn und Ostrode?"),
        (
            "Jonas77",
            "Ich fahre ihn jeden Morgen, der Belag ist gut, nur an der Brücke wird es eng.",
        ),
        ("Maren_K", "Danke, dann probiere ich es am Wochenende mit den Kindern einmal aus."),
        ("Radlerin", "Achtung, bei Regen steht an der Unterführung oft knöcheltief das Wasser."),
        ("Jonas77", "Stimmt, die Stadt hat versprochen, dort im Herbst eine neue Rinne zu bauen."),
        ("Opa_Willi", "Ich bin den Weg letzte Woche mit dem Pedelec gefahren, sehr zu empfehlen."),
    ),
    "es": (
        ("LuciaV", "¿Alguien sabe si la biblioteca de Valdeluna abre los domingos en verano?"),
        ("pacoruiz", "Abre de diez a dos, pero la sala de estudio permanece cerrada por obras."),
        ("LuciaV", "Gracias, entonces iré el domingo por la mañana con mis apuntes de historia."),
        ("Marisa_B", "Yo fui la semana pasada y había mucho sitio en la planta de arriba."),
        ("pacoruiz", "Ojo, que el aire acondicionado de la planta baja sigue sin funcionar bien."),
        ("Tere_G", "Llevad agua, la máquina de bebidas lleva estropeada desde la primavera."),
    ),
    "fr": (
        ("Claire_D", "Quelqu'un sait-il si la piscine de Brévannes rouvre avant les vacances ?"),
        ("Bastien", "La mairie annonce une réouverture le premier juillet, après la vidange."),
        ("Claire_D", "Merci, mes enfants attendent ça depuis le mois de mai avec impatience."),
        ("Yvette_M", "Les horaires du soir seront prolongés jusqu'à vingt et une heures en été."),
        ("Bastien", "Le bassin extérieur restera fermé encore une semaine pour des réparations."),
        ("Gégé", "Pensez au bonnet de bain, il est de nouveau obligatoire depuis cette année."),
    ),
}


def _thread(lang: str) -> str:
    return "".join(
        f"<section><h4>{escape(who)}</h4><p>{escape(text)}</p></section>"
        for who, text in _POSTS[lang]
    )


FORUM = {
    "de": Kind("Neuer Radweg nach Ostrode: Erfahrungen?", _thread("de"), ("knöcheltief",)),
    "es": Kind("¿Biblioteca de Valdeluna en verano?", _thread("es"), ("planta de arriba",)),
    "fr": Kind("Réouverture de la piscine de Brévannes", _thread("fr"), ("vidange",)),
}

LIST_POST = {
    "de": Kind(
        "Fünf Ausflugsziele rund um Kellbrunn",
        "<p>Unsere Redaktion hat sich umgesehen.</p>"
        + _items(
            (
                "Der Hexenweiher: ein stiller See im Wald, ideal für ein Picknick mit der Familie.",
                "Burg Ostrode: die Ruine bietet einen weiten Blick über das ganze Lindtal.",
                "Das Mühlenmuseum zeigt, wie vor zweihundert Jahren Mehl gemahlen wurde.",
                "Der Kräutergarten am Kloster duftet im Juni nach Lavendel und Salbei.",
                "Die Sternwarte öffnet freitags ihre Kuppel für alle, die den Mond sehen wollen.",
            ),
            "ul",
        ),
        ("stiller See im Wald", "Lavendel und Salbei"),
    ),
    "es": Kind(
        "Cinco rincones de Valdeluna que no conocías",
        "<p>Nuestra redacción los ha recorrido.</p>"
        + _items(
            (
                "El mirador del Cerro Alto: vistas de todo el valle al caer la tarde.",
                "La antigua estación de tren, convertida en un mercado de artesanía local.",
                "El jardín botánico municipal, con más de trescientas especies de cactus.",
                "La calle de los Tintoreros, donde aún se tiñe lana como hace un siglo.",
                "El faro abandonado de la costa norte, accesible a pie por un sendero.",
            ),
            "ul",
        ),
        ("trescientas especies de cactus", "faro abandonado"),
    ),
    "fr": Kind(
        "Cinq balades autour de Brévannes",
        "<p>Notre rédaction les a testées.</p>"
        + _items(
            (
                "Le chemin des Meuniers longe la rivière sur huit kilomètres ombragés.",
                "La forêt de Saint-Ormel cache un étang où nichent des hérons cendrés.",
                "Le plateau des Vignes offre une vue sur tout le Val d'Orgis au couchant.",
                "Le sentier du Château grimpe jusqu'aux ruines d'une tour du douzième siècle.",
                "La promenade des Quais se fait en famille, même avec une poussette.",
            ),
            "ul",
        ),
        ("hérons cendrés", "tour du douzième siècle"),
    ),
}

BRIEF = {
    "de": Kind(
        "Kellbrunn: Brücke bis Freitag gesperrt",
        "<p>Die Lindbrücke in Kellbrunn bleibt bis Freitag für Autos gesperrt. Nach Angaben "
        "der Stadtwerke werden Leitungen unter der Fahrbahn erneuert. Fußgänger und Radfahrer "
        "können die Brücke weiter nutzen. Busse der Linie 4 fahren eine Umleitung über den "
        "Bahnhof. Die Stadt bittet Pendler, mehr Zeit einzuplanen.</p>",
        ("Leitungen unter der Fahrbahn",),
    ),
    "es": Kind(
        "Valdeluna: corte de agua el martes",
        "<p>El ayuntamiento de Valdeluna cortará el agua el martes entre las nueve y las "
        "trece horas en el barrio de San Telmo. La empresa municipal cambiará una tubería "
        "principal. Habrá camiones cisterna en la plaza mayor. Los vecinos pueden consultar "
        "las calles afectadas en la web municipal.</p>",
        ("camiones cisterna",),
    ),
    "fr": Kind(
        "Brévannes : le marché déplacé samedi",
        "<p>Le marché du samedi à Brévannes se tiendra exceptionnellement sur le parking de la "
        "gare. La place centrale accueille une course cycliste pour enfants. Les commerçants "
        "installeront leurs étals dès six heures. La mairie rappelle que le stationnement sera "
        "interdit rue des Tanneurs toute la matinée.</p>",
        ("parking de la gare",),
    ),
}


def page_text(lang: str, kind: Kind) -> str:
    """The same page as a browser saves it as text: blocks apart, list items one a line."""
    from lxml.html import fragment_fromstring

    c = CHROME[lang]
    parts = ["\n".join(c.menu), kind.title]
    body = fragment_fromstring(kind.body, create_parent="div")
    for el in body.iter("p", "h2", "h4", "ul", "ol"):
        if el.tag in ("ul", "ol"):
            parts.append("\n".join(" ".join(li.text_content().split()) for li in el))
        else:
            parts.append(" ".join(el.text_content().split()))
    parts += [c.related_label, "\n".join(c.related), "\n".join(c.comments), c.footer]
    return "\n\n".join(parts) + "\n"
