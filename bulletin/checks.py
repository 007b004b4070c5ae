"""Cross-checks of an issue against the register: what is allowed but probably wrong (warnings)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from .errors import Problem, SourceRef
from .messages import issue as issue_msg
from .messages import prose as prose_msg
from .messages import register as register_msg
from .models import Issue, Item, Prose, Register, Status, earliest_date, first_date
from .register import balance_on, months_between, planned_end, status_on, without
from .typography_checks import NUMBER, number_value

# An amount written in prose: "48.269 dollars", "48 269 USD", "50 798 $", "30 000 000 francs CFA",
# "2.500.000 FCFA" (dots, spaces or narrow spaces between thousands, as authors type them). Amounts in
# millions are left to the figures.
_AMOUNT = re.compile(
    rf"(?<![\d,.])({NUMBER})(?:,\d{{1,2}})?\s*"
    r"(dollars|USD|\$|francs\s+CFA|F\s?CFA|XOF)"
)
_CURRENCY_WORDS = {"dollars": "USD", "usd": "USD", "$": "USD"}  # anything else the pattern takes is XOF
# The same amounts as English prose types them: « USD 48,269 », « US$ 48,269 », « 48,269 US dollars ».
_EN_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_AMOUNT_EN = re.compile(
    rf"(?<![\w$])(?:(USD|US\$|\$|XOF|CFAF)\s?({_EN_NUMBER})(?:\.\d{{1,2}})?(?![\d,])"
    rf"|(?<![\d,.])({_EN_NUMBER})(?:\.\d{{1,2}})?\s+(US\s+dollars|dollars|CFA\s+francs))"
)


def check_register(register: Register) -> list[Problem]:
    """QIP ceilings and durations, as the fund's reference entry sets them; projects a balance may count twice."""
    out: list[Problem] = check_balances(register)
    for project in register.projets:
        fund = register.fund(project.fonds)
        # An amount in another currency is compared through its value at the rate of its date.
        money = project.montant
        value = (money.converti or money) if money else None
        if (
            fund.plafond
            and money
            and value
            and value.devise == fund.plafond.devise
            and value.montant > fund.plafond.montant
        ):
            out.append(
                register_msg.over_ceiling_converted(
                    register.where(project, "montant"), project.id, money, fund.plafond.montant, fund.sigle
                )
                if money.converti
                else register_msg.over_ceiling(
                    register.where(project, "montant"), project.id, value.montant, fund.plafond.montant, fund.sigle
                )
            )
        start = project.jalons.approbation or project.jalons.debut
        end = project.jalons.fin_prevue or project.jalons.remise
        if fund.duree_max_mois and start and end and months_between(start, end) > fund.duree_max_mois:
            out.append(
                register_msg.over_duration(
                    register.where(project, "jalons"),
                    project.id,
                    months_between(start, end),
                    fund.duree_max_mois,
                    fund.sigle,
                )
            )
    return out


def check_balances(register: Register) -> list[Problem]:
    """An itemised project that started before an opening balance may already be counted in it.

    The balance says which of those it leaves out (projets_detailles), the project that it is counted
    there (jalons.solde); any other is reported, since adding it would change figures that issues have
    already published. A project counted in a balance must name one, have begun by its date, and leave
    it before a later balance takes over; the balance must count at least what leaves it.
    """
    out = _counted_in_balances(register)
    known = {p.id for p in register.projets}
    for balance in register.soldes_projets:
        for project_id in balance.detailles:
            if project_id not in known and not register.left_out(project_id, "projets"):
                out.append(issue_msg.unknown_project(balance.source, "projets_detailles", project_id, known))
        for project in register.projets:
            start = first_date(project)
            if (
                project.id not in register.jalons_illisibles  # its date's own error says it (« solde » too)
                and project.fonds == balance.fonds
                and start
                and start <= balance.date
                and project.id not in balance.detailles
            ):
                out.append(
                    register_msg.maybe_counted_twice(
                        register.where(project, "jalons"),
                        project.id,
                        start,
                        balance.date,
                        register.fund(balance.fonds).sigle,
                        balance.source,
                    )
                )
    return out


def _counted_in_balances(register: Register) -> list[Problem]:
    out = _dated_by_their_end(register)
    for project in register.projets:
        day = project.jalons.solde
        if day is None:
            continue
        where = register.where(project, "jalons")
        mine = sorted((b for b in register.soldes_projets if b.fonds == project.fonds), key=lambda b: b.date)
        balance = next((b for b in mine if b.date == day), None)
        sigle = register.fund(project.fonds).sigle if any(f.code == project.fonds for f in register.fonds) else ""
        if balance is None:
            out.append(
                register_msg.counted_in_unknown_balance(where, project.id, day, sigle, [str(b.date) for b in mine])
            )
            continue
        begun = earliest_date(project)
        if begun is None or begun > day:
            out.append(register_msg.counted_before_it_began(where, project.id, day, begun))
        if project.id in balance.detailles:
            out.append(register_msg.counted_and_not_counted(where, project.id, day, balance.source))
        leaves = first_date(project)
        later = next((b for b in mine if b.date > day and (leaves is None or b.date < leaves)), None)
        if later is not None:
            out.append(register_msg.counted_past_a_later_balance(where, project.id, day, later.date, leaves))
    for (fund, day), projects in register.comptes_par_solde.items():
        balance = next((b for b in register.soldes_projets if b.fonds == fund and b.date == day), None)
        if balance is None:
            continue
        left = without(balance, projects)
        short = []
        for name, attr in (("finalisés", "finalises"), ("en cours", "en_cours"), ("approuvés", "approuves")):
            had, has = getattr(balance, attr), getattr(left, attr)
            if has is not None and has < 0:
                short.append(f"{name} : le solde en compte {had}, {had - has} en sortent")
        if left.approuves is not None and left.non_demarres < 0:
            had, gone = balance.non_demarres, balance.non_demarres - left.non_demarres
            short.append(f"non démarrés : le solde en compte {had}, {gone} en sortent")
        if left.montant is not None and left.montant.montant < 0:
            short.append("montant : les projets qui en sortent coûtent plus que le montant du solde")
        if short:
            out.append(register_msg.balance_overdrawn(balance.source, day, register.fund(fund).sigle, ", ".join(short)))
    return out


def _dated_by_their_end(register: Register) -> list[Problem]:
    """A project with neither approval nor start counts as approved on its handover or closure: right for
    one approved after the opening balance and detailed without its approval date, wrong for one the
    balance counted (the officer handing over an old QIP wrote `remise:` alone, and the fund's total grew
    by each; found by a review of a December issue). Said, unless a balance lists it as not counted."""
    out = []
    listed = {pid for b in register.soldes_projets for pid in b.detailles}
    for project in register.projets:
        j = project.jalons
        if j.approbation or j.debut or j.solde or project.id in listed:
            continue
        begins = earliest_date(project)  # what the figures count it from: its first milestone
        balance = balance_on(register.soldes_projets, project.fonds, begins) if begins else None
        # Begun on or before the balance's date, the « counted twice » warning is the one that says it.
        if begins is not None and balance is not None and balance.date < begins:
            where = register.where(project, "jalons")
            out.append(register_msg.counted_from_its_end(where, project.id, begins, balance.date, balance.source))
    return out


def check_statuses(register: Register, issues: list[Issue]) -> list[Problem]:
    """Projects whose status the latest issue cannot know: past their planned end, nothing recorded since.

    The pages say « statut à confirmer » for them: region pages read statuses at the latest issue's date,
    and the PBF block at its own date too. One warning per project, at the later date; it says what to add.
    """
    if not issues:
        return []
    latest = max(issues, key=lambda i: i.mois)
    out = []
    for project in register.projets:
        days = {latest.date_reference} | ({latest.pbf_date_reference} if project.fonds == "pbf" else set())
        unknown = [d for d in sorted(days, reverse=True) if status_on(project, d) is Status.A_CONFIRMER]
        if unknown:
            as_of = unknown[0]
            extended = any(e.debut <= as_of for e in project.jalons.prolongations)
            out.append(
                register_msg.status_unknown(
                    register.where(project, "jalons"), project.id, planned_end(project, as_of), as_of, extended
                )
            )
    return out


def cited_amounts(issue: Issue, register: Register) -> tuple[object, ...]:
    """All check_prose_amounts reads of the register: the amount of each entry the issue's events name."""
    projects, contributions = register.projets_par_id, register.contributions_par_id
    named = [getattr(projects.get(i.projet or ""), "montant", None) for i in issue.qip_faits + issue.ff_faits]
    return (
        *named,
        *(getattr(contributions.get(i.contribution or ""), "montant", None) for i in issue.ff_contributions),
    )


def check_prose_amounts(issue: Issue, register: Register) -> list[Problem]:
    """An amount typed in an event's text must be the register's amount for its project."""
    out: list[Problem] = []
    projects = register.projets_par_id
    for item, text, english in _texts(issue.qip_faits + issue.ff_faits):
        project = projects.get(item.projet or "")
        if project is None or project.montant is None:
            continue
        for match, typed, currency in _typed_amounts(text, english):
            if currency != project.montant.devise:  # e.g. dollars typed for an amount in francs CFA
                out.append(
                    prose_msg.prose_amount_other_currency(
                        text.source,
                        match,
                        f"le projet « {project.id} »",
                        project.montant.montant,
                        project.montant.devise,
                    )
                )
            elif typed != project.montant.montant:
                out.append(
                    prose_msg.prose_amount(text.source, match, project.id, typed, project.montant.montant)
                    if currency == "USD"
                    else prose_msg.prose_amount_other_currency(
                        text.source, match, f"le projet « {project.id} »", project.montant.montant, currency
                    )
                )
    contributions = register.contributions_par_id
    for item, text, english in _texts(issue.ff_contributions):
        contribution = contributions.get(item.contribution or "")
        if contribution is None:
            continue
        for match, typed, currency in _typed_amounts(text, english):
            if currency != contribution.montant.devise or typed != contribution.montant.montant:
                out.append(
                    prose_msg.prose_contribution_amount(
                        text.source,
                        match,
                        contribution.id,
                        typed,
                        contribution.montant.montant,
                        contribution.montant.devise,
                    )
                )
    return out


def _texts(items: Iterable[Item]) -> Iterator[tuple[Item, Prose, bool]]:
    """Each item's French text, then its English one (True): amounts are checked in both languages."""
    for item in items:
        yield item, item.texte, False
        if item.texte_en is not None:
            yield item, item.texte_en, True


def _typed_amounts(text: Prose, english: bool) -> Iterator[tuple[str, Decimal, str]]:
    """(as typed, amount, currency code) of each whole amount with its currency typed in a text, as French
    writes it in a French text (`texte`), as English writes it in an English one (`texte_en`)."""
    if english:
        for match in _AMOUNT_EN.finditer(text.texte):
            code, number = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
            currency = "USD" if "$" in code or "dollar" in code.casefold() or code == "USD" else "XOF"
            yield match.group(0), Decimal(number.replace(",", "")), currency
        return
    for match in _AMOUNT.finditer(text.texte):
        yield match.group(0), number_value(match.group(1)), _CURRENCY_WORDS.get(match.group(2).casefold(), "XOF")


def check_opening_balances(
    register: Register, when: date | None, ref: SourceRef, pbf_when: date | None, pbf_ref: SourceRef | None
) -> list[Problem]:
    """An issue dated before every opening balance of a fund that has some: its cumulative figures would
    leave out the history the balances stand for (and there would be no total to print)."""
    out: list[Problem] = []
    for fund in register.fonds:
        day, src = (pbf_when, pbf_ref) if fund.code == "pbf" else (when, ref)
        balances = sorted((b for b in register.soldes_projets if b.fonds == fund.code), key=lambda b: b.date)
        if day is None or src is None or not balances or balances[0].date <= day:
            continue
        out.append(
            issue_msg.no_balance_for_issue(src, fund.sigle, day, balances[0].date, balances[0].source, "date_reference")
        )
    contributions = sorted(register.soldes_contributions, key=lambda b: b.date)
    if when is not None and contributions and contributions[0].date > when:
        out.append(issue_msg.contribution_balance_missing(ref, when, contributions[0].date, contributions[0].source))
    return out


# --- Figures an issue prints ------------------------------------------------------------------------


def unprintable_figures(
    register: Register, when: date, main_ref: SourceRef, pbf_when: date | None, pbf_ref: SourceRef | None
) -> list[Problem]:
    """The amounts every issue prints (each fund's projects, the trust fund's budget) must exist on its
    reference dates: an empty or cut soldes.yaml leaves them unknown, and the page cannot be printed.
    An issue dated before every balance of a fund that has some is check_opening_balances's to report."""
    out = []
    known = register.premiers_montants
    for fund, day, ref in (("qip", when, main_ref), ("ff", when, main_ref), ("pbf", pbf_when, pbf_ref)):
        if day is None or ref is None or not any(f.code == fund for f in register.fonds):
            continue
        balance = balance_on(register.soldes_projets, fund, day)
        if balance is None and any(b.fonds == fund for b in register.soldes_projets):
            continue
        itemised = known.get(fund)
        if (balance is None or balance.montant is None) and (itemised is None or itemised > day):
            out.append(
                issue_msg.fund_amount_unknown(
                    ref, "date_reference", register.fund(fund).sigle, day, balance.source if balance else None
                )
            )
    budget = known.get("contributions")
    later_balances_only = all(b.date > when for b in register.soldes_contributions) and register.soldes_contributions
    if (budget is None or budget > when) and not later_balances_only:
        out.append(issue_msg.budget_unknown(main_ref, "date_reference", when))
    return out
