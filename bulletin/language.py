"""An issue in the words of one edition: the English edition reads the `_en` texts beside the French.

Pure functions over the validated models (bulletin/models.py): the figures, dates, ids and register links
of an issue are the same objects in both editions, only the officer's texts change. A text without its
English keeps its French (check lists it, README « Édition anglaise »); `is_translated` says whether an
issue has an English edition at all, for an archive that marks the others "French only".
"""

from __future__ import annotations

from dataclasses import replace

from .models import Approvals, Contact, Edition, Highlight, Issue, Item

SOURCE_LANGUAGE = "fr"


def _item(item: Item) -> Item:
    return replace(item, texte=item.texte_en) if item.texte_en is not None else item


def _highlight(highlight: Highlight) -> Highlight:
    return replace(highlight, texte=highlight.texte_en) if highlight.texte_en is not None else highlight


def _approvals(a: Approvals) -> Approvals:
    return replace(a, introduction=a.introduction_en or a.introduction, conclusion=a.conclusion_en or a.conclusion)


def _contact(c: Contact) -> Contact:
    return replace(c, fonction=c.fonction_en or c.fonction)


def is_translated(issue: Issue) -> bool:
    """An issue has an English edition when its officer wrote any English text for it."""
    return bool(
        issue.markdown_en
        or any(h.texte_en for h in issue.faits_saillants)
        or any(i.texte_en for i in issue.coordination + issue.qip_faits + issue.ff_faits + issue.ff_contributions)
    )


def issue_in(issue: Issue, language: str) -> Issue:
    """The issue as the edition in `language` prints it: the same figures, the officer's texts in that
    language where written."""
    if language == SOURCE_LANGUAGE:
        return issue
    md = issue.markdown_en
    return replace(
        issue,
        faits_saillants=tuple(map(_highlight, issue.faits_saillants)),
        coordination=tuple(map(_item, issue.coordination)),
        qip_faits=tuple(map(_item, issue.qip_faits)),
        ff_faits=tuple(map(_item, issue.ff_faits)),
        ff_contributions=tuple(map(_item, issue.ff_contributions)),
        ff_approbations=_approvals(issue.ff_approbations),
        contact=_contact(issue.contact),
        qip_presentation=md.get("qip", issue.qip_presentation),
        ff_presentation=md.get("fonds_fiduciaire", issue.ff_presentation),
        pbf_presentation=md.get("pbf", issue.pbf_presentation),
        role=md.get("role", issue.role),
        remerciements=md.get("remerciements", issue.remerciements),
    )


def edition_in(edition: Edition, language: str) -> Edition:
    """Every issue of the edition in `language` (see issue_in)."""
    if language == SOURCE_LANGUAGE:
        return edition
    return replace(edition, issues=tuple(issue_in(issue, language) for issue in edition.issues))
