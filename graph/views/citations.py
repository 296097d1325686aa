"""Sources as citations in APA style (7th edition): reference-list entries, in-text citations and "cite this page"."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from graph.views.datings import datings_by_source
from graph.views.explore import EntityProfile, SourceInfo

# Lower-case name particles that belong to the surname ("Bessel van der Kolk" -> "van der Kolk, B.").
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten"})
# Kinds whose title APA sets in italics: works that stand alone (a book, a web page, a reference work's entry is
# italic too in APA 7 §10.3). A paper's title is not italic (its journal is, but the content gives one title string).
ITALIC_KINDS = frozenset({"book", "web-page", "reference"})
PUBLISHER = "therapy-kg"


def _initials(given: str) -> str:
    """``"Marsha M."`` -> ``"M. M."``, ``"Jean-Paul"`` -> ``"J.-P."`` (APA 7 §9.8)."""
    out = []
    for name in given.split():
        parts = [part for part in name.split("-") if part]
        out.append("-".join(f"{part[0].upper()}." for part in parts))
    return " ".join(out)


def apa_author(name: str) -> str:
    """One person's name as APA writes it: ``"Marsha M. Linehan"`` -> ``"Linehan, M. M."``.

    Lower-case particles stay with the surname (``"Bessel van der Kolk"`` -> ``"van der Kolk, B."``); a name of one
    word (an organisation or a mononym) is kept as it is.
    """
    words = name.split()
    if len(words) < 2:
        return name.strip()
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return f"{' '.join(words[start:])}, {_initials(' '.join(words[:start]))}"


_EDITOR = re.compile(r"\s*\((eds?)\.?\)\s*$", re.IGNORECASE)


def _authors(author: str) -> list[str]:
    """The names in a source's author field, which separates people with semicolons (editor marks removed)."""
    return [_EDITOR.sub("", name).strip() for name in author.split(";") if name.strip()]


def _edited(author: str) -> bool:
    """Whether the author field names editors: a name ends in ``(ed.)`` or ``(eds.)``."""
    return any(_EDITOR.search(name) for name in author.split(";"))


def apa_authors(author: str) -> str:
    """A source's author field as APA's author element: ``"Young, J. E., Klosko, J. S., & Weishaar, M. E."``.

    Up to 20 authors, comma-separated with ``&`` before the last (APA 7 §9.8); editors (a name ending in
    ``(ed.)``/``(eds.)`` in the content) are followed by ``(Ed.)`` or ``(Eds.)`` (§9.10); '' without an author.
    """
    names = [apa_author(name) for name in _authors(author)]
    role = (" (Ed.)" if len(names) == 1 else " (Eds.)") if _edited(author) else ""
    if len(names) <= 1:
        return "".join(names) + role
    if len(names) > 20:  # APA: the first 19, an ellipsis, the last
        return ", ".join([*names[:19], "…", names[-1]]) + role
    return ", ".join(names[:-1]) + ", & " + names[-1] + role


def _sentence(text: str) -> str:
    """``text`` ending in a full stop (none added after ``.``, ``?`` or ``!``)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _year(source: SourceInfo) -> str:
    return str(source.year) if source.year else "n.d."


@dataclass(frozen=True)
class Reference:
    """A reference-list entry in its parts: ``author``, ``year`` ("n.d." without one), ``title``, ``url``."""

    source_id: str
    author: str
    year: str
    title: str
    italic: bool
    url: str
    surnames: tuple[str, ...] = ()  # the authors' surnames, for in-text citations

    def text(self) -> str:
        """The entry as plain text: ``Linehan, M. M. (1993). Cognitive-Behavioral Treatment of ... Disorder.``

        With an author: author, (year), title, URL; without one the title moves to the author's place (APA 7 §9.12).
        """
        lead = (f"{_sentence(self.author)} ({self.year}). {_sentence(self.title)}" if self.author
                else f"{_sentence(self.title)} ({self.year}).")
        return lead + (f" {self.url}" if self.url else "")

    def html(self) -> str:
        """The entry as HTML: the title in ``<i>`` for stand-alone works, the URL a link opening in a new tab."""
        title = html.escape(_sentence(self.title))
        if self.italic:
            title = f"<i>{title}</i>"
        lead = (f"{html.escape(_sentence(self.author))} ({html.escape(self.year)}). {title}" if self.author
                else f"{title} ({html.escape(self.year)}).")
        if self.url:
            url = html.escape(self.url, quote=True)
            lead += f' <a href="{url}" target="_blank" rel="noopener noreferrer">{html.escape(self.url)}</a>'
        return lead

    def in_text(self) -> str:
        """The parenthetical citation without brackets: ``Linehan, 1987``, ``Kohlenberg & Tsai, 1991``,
        ``Young et al., 2003`` (APA 7 §8.17); without an author, the title's first words in quotation marks."""
        surnames = self.surnames
        if not surnames:
            words = self.title.split()
            short = " ".join(words[:4]) + ("…" if len(words) > 4 else "")
            return f"“{short}”, {self.year}"
        if len(surnames) == 1:
            return f"{surnames[0]}, {self.year}"
        if len(surnames) == 2:
            return f"{surnames[0]} & {surnames[1]}, {self.year}"
        return f"{surnames[0]} et al., {self.year}"


def reference(source: SourceInfo) -> Reference:
    """The APA reference-list entry of one source (its title as the content gives it, journal details included)."""
    return Reference(source.id, apa_authors(source.author), _year(source), source.title,
                     source.kind in ITALIC_KINDS, source.url,
                     tuple(apa_author(name).split(",")[0] for name in _authors(source.author)))


def source_references(sources: Mapping[str, SourceInfo], ids: Iterable[str]) -> list[Reference]:
    """The entries of ``ids`` in reference-list order (alphabetical by their first words, APA 7 §9.44); an id
    with no source record gets an entry naming just the id."""
    found = {reference(sources.get(source_id) or SourceInfo(source_id, source_id)) for source_id in set(ids)}
    return sorted(found, key=lambda ref: (ref.text().casefold(), ref.source_id))


def profile_source_ids(profile: EntityProfile) -> list[str]:
    """Every source behind what the entity page shows: the entity's own, each fact's, each dating's, each detail's."""
    ids: list[str] = [*profile.sources]
    for _, facts in [*profile.sections, ("Related", profile.related)]:
        for fact in facts:
            ids.extend(fact.sources)
    ids.extend(dating["source"] for dating in profile.datings)
    ids.extend(source for _, _, source in profile.details)
    return list(dict.fromkeys(ids))


def cite_this_page(label: str, url: str, accessed: date, publisher: str = PUBLISHER) -> str:
    """APA reference for one entity page of the explorer, a page that changes over time and has no date:
    ``therapy-kg. (n.d.). Attachment Theory [Knowledge graph entry]. Retrieved November 30, 2026, from <url>``
    (APA 7 §9.16: "n.d." and a retrieval date for unarchived pages designed to change)."""
    day = f"{accessed:%B} {accessed.day}, {accessed.year}"
    return f"{publisher}. (n.d.). {_sentence(label)[:-1]} [Knowledge graph entry]. Retrieved {day}, from {url}"


@dataclass(frozen=True)
class Disagreement:
    """Sources that give different answers on one aspect: each answer with the ids of the sources giving it."""

    aspect: str  # "introduced"
    answers: list[tuple[str, list[str]]]


def disagreements(profile: EntityProfile) -> list[Disagreement]:
    """Where the entity's sources differ on when it was introduced (``introduced``: "1980s" vs "1993"), each
    answer with its sources, earliest first; [] when they agree.

    Developers are not compared: the content cites each developedBy fact with the source that states it, so two
    sources naming one developer each (MBT: Bateman in one, Fonagy in another) is not a disagreement, and nothing
    in the graph says that a source denies a developer another source names.
    """
    dates = datings_by_source(profile.datings)
    return [Disagreement("introduced", [(value, list(ids)) for value, ids in dates])] if len(dates) > 1 else []


def in_text_citations(references: Sequence[Reference], ids: Iterable[str]) -> str:
    """``Linehan, 1987; Young et al., 2003``: the in-text citations of ``ids`` in reference-list order."""
    wanted = set(ids)
    return "; ".join(ref.in_text() for ref in references if ref.source_id in wanted)
