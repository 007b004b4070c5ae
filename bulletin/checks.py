"""Cross-checks of an issue against the register: what is allowed but probably wrong (warnings)."""

from __future__ import annotations

import re
from decimal import Decimal

from . import errors
from .errors import Problem, SourceRef
from .models import Issue, Project, Register
from .register import first_date, months_between

# An amount written in prose: "48.269 dollars", "48 269 USD", "50 798 $" (dots, spaces or narrow
# spaces between thousands, as authors type them). Amounts in millions are left to the figures.
_AMOUNT = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d{4,})(?:,\d{1,2})?\s*(?:dollars|USD|\$)")


def check_register(register: Register) -> list[Problem]:
    """QIP ceilings and durations, as the fund's reference entry sets them; projects a balance may count twice."""
    out: list[Problem] = check_balances(register)
    for project in register.projets:
        fund = register.fund(project.fonds)
        if fund.plafond and project.montant and project.montant.devise == fund.plafond.devise \
                and project.montant.montant > fund.plafond.montant:
            out.append(errors.over_ceiling(_ref(project, "montant"), project.id, project.montant.montant,
                                           fund.plafond.montant, fund.sigle))
        start = project.jalons.approbation or project.jalons.debut
        end = project.jalons.fin_prevue or project.jalons.remise
        if fund.duree_max_mois and start and end and months_between(start, end) > fund.duree_max_mois:
            out.append(errors.over_duration(_ref(project, "jalons"), project.id, months_between(start, end),
                                            fund.duree_max_mois, fund.sigle))
    return out


def check_balances(register: Register) -> list[Problem]:
    """An itemised project that started before an opening balance may already be counted in it.

    The balance says which of those it leaves out (projets_detailles); any other is reported, since
    adding it would change figures that issues have already published.
    """
    out = []
    known = {p.id for p in register.projets}
    for balance in register.soldes_projets:
        for project_id in balance.detailles:
            if project_id not in known and project_id not in register.incomplets:
                out.append(errors.unknown_project(balance.source, "projets_detailles", project_id, known))
        for project in register.projets:
            start = first_date(project)
            if project.fonds == balance.fonds and start and start <= balance.date and project.id not in balance.detailles:
                out.append(errors.maybe_counted_twice(_ref(project, "jalons"), project.id, start, balance.date,
                                                      register.fund(balance.fonds).sigle, balance.source))
    return out


def _ref(project: Project, field: str) -> SourceRef:
    return SourceRef(project.source.path, project.source_lignes.get(field, project.source.line))


def check_prose_amounts(issue: Issue, register: Register) -> list[Problem]:
    """An amount typed in an event's text must be the register's amount for its project."""
    out: list[Problem] = []
    projects = register.projets_par_id
    for item in issue.qip_faits + issue.ff_faits:
        project = projects.get(item.projet or "")
        if project is None or project.montant is None:
            continue
        for match in _AMOUNT.finditer(item.texte.texte):
            typed = Decimal(re.sub(r"[ .\u00a0\u202f]", "", match.group(1)))
            if typed != project.montant.montant:
                out.append(errors.prose_amount(item.texte.source, match.group(0), project.id, typed,
                                               project.montant.montant))
    return out
