"""The English web edition, under /en/: the French site's pages in English words and formats, from the
same figures (bulletin/language.py for the officer's texts, i18n.EDITIONS for the locale).

Every English page lives at the French page's address with "en/" before it (`en/bulletins/2017-11/`),
so each page's counterpart in the other language is found from its address alone (`counterpart`).
An issue without English text has no English issue page that would mix French texts into English
ones: its English page says "available in French only", gives its key figures and links the French page.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from . import i18n
from .feed import atom_feed
from .figures import IssueFigures
from .language import edition_in, is_translated
from .memo import NO_MEMO, Memo
from .models import Edition
from .pages import DataFile, GeneratedPage, PdfFile, compute_all, data_files, render_pages
from .print_build import issue_pdf_path

LANGUAGE = "en"
PREFIX = f"{LANGUAGE}/"
LOCALE = i18n.EDITIONS[LANGUAGE]


def counterpart(uri: str, uris: Collection[str]) -> str | None:
    """The same page in the other language, if the site has it: "en/fonds/qip/index.md" <->
    "fonds/qip/index.md" (site paths or page addresses alike)."""
    other = uri[len(PREFIX) :] if uri.startswith(PREFIX) else PREFIX + uri
    return other if other in uris else None


def english(edition: Edition, memo: Memo = NO_MEMO) -> tuple[Edition, tuple[IssueFigures, ...]]:
    """The English edition (bulletin/language.py) and its figures, computed from its register as the
    French ones are from theirs: the same projects, amounts and dates, the stable parts' English names."""
    translated = edition_in(edition, LANGUAGE, memo)
    return translated, compute_all(translated, memo)


def french_only(all_figures: Sequence[IssueFigures]) -> dict[str, str]:
    """The months with no English text -> their French page's address from the site's root."""
    return {f.issue.mois: f"bulletins/{f.issue.mois}/" for f in all_figures if not is_translated(f.issue)}


def english_pages(
    edition: Edition,
    templates: Path,
    pdfs: Mapping[str, PdfFile] | None = None,
    figures: tuple[IssueFigures, ...] = (),
    memo: Memo = NO_MEMO,
    bytecode: Path | None = None,
    workers: int = 1,
) -> tuple[GeneratedPage, ...]:
    """Every generated page of the English site, at its address under en/, from the English edition
    and its figures (`english`). `pdfs` are the site's published PDFs by site path: an English page
    links its issue's English PDF (beside it, under en/)."""
    pdfs = pdfs or {}
    months = [f.issue.mois for f in figures]
    # render_pages looks an issue's PDF up under the French path and links it by name, beside the page.
    linked = {
        issue_pdf_path(month): pdfs[path]
        for month in months
        if (path := issue_pdf_path(month, language=LANGUAGE)) in pdfs
    }
    pages = render_pages(
        edition,
        templates,
        linked,
        all_figures=figures,
        memo=memo,
        bytecode=bytecode,
        workers=workers,
        locale=LOCALE,
        french_only=french_only(figures),
    )
    return tuple(
        replace(
            page,
            uri=PREFIX + page.uri,
            fichiers=tuple((PREFIX + uri, source) for uri, source in page.fichiers),
            variantes=tuple((PREFIX + uri, source, variant) for uri, source, variant in page.variantes),
        )
        for page in pages
    )


def english_data(
    edition: Edition,
    figures: tuple[IssueFigures, ...],
    site_url: str | None,
    memo: Memo = NO_MEMO,
    workers: int = 1,
) -> tuple[DataFile, ...]:
    """The open data of every issue with English labels and names, under en/, and the English Atom
    feed: the issues that have an English edition only (a feed entry carries the issue's highlights).
    `edition` and `figures`: the English edition and its figures (`english`)."""
    data = data_files(edition, None, figures, memo, workers, locale=LOCALE)
    out = [replace(item, uri=PREFIX + item.uri) for item in data]
    translated = [f for f in figures if is_translated(f.issue)]
    if site_url:  # always there, for the English pages link it: empty until an issue is translated
        feed = atom_feed(edition, translated, site_url.rstrip("/") + "/" + PREFIX, None, LOCALE)
        out.append(DataFile(PREFIX + "feed.xml", feed.encode("utf-8")))
    return tuple(out)
