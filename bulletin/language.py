"""An issue in the words of one edition: the English edition reads the `_en` texts beside the French.

Pure functions over the validated models (bulletin/models.py): the figures, dates, ids and register links
of an issue are the same objects in both editions, only the officer's texts change. A text without its
English keeps its French (check lists it, README « Édition anglaise »); `is_translated` says whether an
issue has an English edition at all, for an archive that marks the others "French only".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from types import MappingProxyType
from typing import Any

from .incremental import digest
from .memo import NO_MEMO, Memo
from .models import Approvals, Contact, Edition, Fund, Highlight, Issue, Item, Named, Project, Register, Settings

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
    """An issue has an English edition when its officer wrote English for any of its month's own texts
    (a highlight, an entry). The stable texts' English (role.en.md…) does not count: `nouveau` carries it
    over with the French, and a month not yet translated would have been published half in French in the
    English edition instead of saying it is in French only."""
    return month_in_english(
        issue.faits_saillants, issue.coordination + issue.qip_faits + issue.ff_faits + issue.ff_contributions
    )


def month_in_english(highlights: Sequence[Highlight], items: Sequence[Item]) -> bool:
    """Whether any of a month's own texts has its English (is_translated, before the issue is whole)."""
    return any(h.texte_en for h in highlights) or any(i.texte_en for i in items)


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
        rectificatifs=tuple(replace(e, motif=e.motif_en) if e.motif_en else e for e in issue.rectificatifs),
    )


def _fund(f: Fund) -> Fund:
    return replace(f, nom=f.nom_en) if f.nom_en else f


def _project(p: Project, names: Callable[[tuple[str, ...]], tuple[str, ...]], agencies: Mapping[str, str]) -> Project:
    """A project in English: its English texts where written (the French stays where not: `check` lists
    those of the projects an English issue cites), its donors' and agencies' English names."""
    return replace(
        p,
        titre=p.titre_en or p.titre,
        description=p.description_en or p.description,
        remarque_publique=p.remarque_publique_en or p.remarque_publique,
        bailleurs=names(p.bailleurs),
        agences=tuple(agencies.get(a, a) for a in p.agences),
    )


def _named(n: Named) -> Named:
    return replace(n, nom=n.nom_en) if n.nom_en else n


def register_in(register: Register, language: str, memo: Memo = NO_MEMO) -> Register:
    """The register with the English names of its stable parts (`nom_en:`, `bailleurs_en:`, `agences_en:`,
    where written):
    the same projects, contributions, amounts and dates, so the same figures. In the preview, a project
    the last save translated, with the same donors' and agencies' names, is that translation again."""
    if language == SOURCE_LANGUAGE:
        return register
    donors = register.bailleurs_en

    def names(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(donors.get(text, text) for text in texts)

    def english(p: Project) -> Project:
        return _project(p, names, register.agences_en)

    table = memo.latest(f"projets-{language}")
    projects = (
        tuple(map(english, register.projets))
        if table is None
        else _translated(register.projets, english, (dict(donors), dict(register.agences_en)), table)
    )
    return replace(
        register,
        fonds=tuple(map(_fund, register.fonds)),
        regions=tuple(map(_named, register.regions)),
        secteurs={fund: tuple(map(_named, sectors)) for fund, sectors in register.secteurs.items()},
        axes=tuple(map(_named, register.axes)),
        bailleurs=names(register.bailleurs),
        projets=projects,
        contributions=tuple(replace(c, bailleur=donors.get(c.bailleur, c.bailleur)) for c in register.contributions),
        soldes_contributions=tuple(replace(b, bailleurs=names(b.bailleurs)) for b in register.soldes_contributions),
    )


def _translated(
    projects: tuple[Project, ...], translate: Callable[[Project], Project], names: object, table: dict[str, Any]
) -> tuple[Project, ...]:
    """translate(p) of each project, found again for those the last save translated with the same names
    (the preview, Memo.latest: after a handover, 2 999 of the archive's 3 000), by the identity of the
    source project, which each entry holds."""
    held = table.get("projets", {}) if table.get("noms") == names else {}
    made: dict[int, tuple[Project, Project]] = {}
    out = []
    for p in projects:
        kept = held.get(id(p))
        pair = kept if kept is not None and kept[0] is p else (p, translate(p))
        made[id(p)] = pair
        out.append(pair[1])
    table.update(noms=names, projets=made)
    return tuple(out)


def settings_in(settings: Settings, language: str) -> Settings:
    """The publication's title, section and mission in `language`, where written (`titre_en:`…)."""
    if language == SOURCE_LANGUAGE:
        return settings
    return replace(
        settings,
        titre=settings.titre_en or settings.titre,
        section=settings.section_en or settings.section,
        mission=settings.mission_en or settings.mission,
    )


def edition_in(edition: Edition, language: str, memo: Memo = NO_MEMO) -> Edition:
    """The edition in `language`: every issue (see issue_in), the register's stable parts and the
    publication's title in that language. In the preview, the register and each issue are translated
    again only when they changed (Memo.get_same): the same translation keeps its figures found again."""
    if language == SOURCE_LANGUAGE:
        return edition
    register = memo.get_same(
        f"register-{language}", (edition.register,), partial(register_in, edition.register, language, memo)
    )
    issues = [memo.get_same(f"issue-{language}", (i,), partial(issue_in, i, language)) for i in edition.issues]
    # Translated from the same files: its figures are found again as the French ones are, under other keys.
    prints = MappingProxyType({month: digest(language, made) for month, made in edition.empreintes.items()})
    # A plan stays as its partner wrote it, in French, but its partner is named as the register's
    # agencies are in English (« PNUD » is UNDP to an English reader).
    agencies = edition.register.agences_en
    plans = tuple(replace(p, partenaire=agencies.get(p.partenaire, p.partenaire)) for p in edition.plans)
    return replace(
        edition,
        settings=settings_in(edition.settings, language),
        register=register,
        issues=tuple(issues),
        plans=plans,
        empreintes=prints,
    )
