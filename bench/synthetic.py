"""A synthetic archive for the scale benchmark: N monthly issues and a large dated register.

Made from the seed November 2017 issue (tests/fixtures/seed) (same prose, same size), re-dated month by month, with a
register of generated projects whose milestones fall across the whole period.
"""

from __future__ import annotations

import calendar
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The frozen seed (as the tests use it), not the officer's content/: that grows every month and its
# issues carry publication records that a re-dated copy would contradict.
SEED = ROOT / "tests/fixtures/seed/content"
REGIONS = ("mopti", "tombouctou", "taoudenit", "gao", "menaka", "kidal", "segou", "bamako")
QIP_SECTORS = ("securite", "justice", "infrastructures", "agriculture", "sante", "education", "eau", "artisanat")
FF_SECTORS = ("elections", "genre", "ddr", "etat-de-droit", "autorite-etat", "rss", "securite", "cohesion")


def months(first: date, count: int) -> list[date]:
    out, year, month = [], first.year, first.month
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def make_archive(
    target: Path, issues: int = 120, projects: int = 3000, contributions: int = 300, seed: int = 2017
) -> Path:
    """Write content/ for the archive under target and return it."""
    rng = random.Random(seed)
    content = target / "content"
    shutil.copytree(SEED, content, ignore=shutil.ignore_patterns("2017-11"))
    first = date(2010, 1, 1)
    all_months = months(first, issues)
    _register(content / "registre", all_months, projects, contributions, rng)
    template = (SEED / "bulletins/2017-11/bulletin.yaml").read_text(encoding="utf-8")
    for month in all_months:
        _issue(content / "bulletins", month, template, projects, rng)
    return content


def _register(folder: Path, all_months: list[date], count: int, contributions: int, rng: random.Random) -> None:
    start, end = all_months[0], all_months[-1] + timedelta(days=27)
    span = (end - start).days
    lines = []
    for n in range(1, count + 1):
        fund = "qip" if n % 3 else "ff"
        approved = start + timedelta(days=rng.randrange(span))
        handed = approved + timedelta(days=rng.randrange(60, 400))
        sector = rng.choice(QIP_SECTORS if fund == "qip" else FF_SECTORS)
        lines.append(
            f"- id: SYN-{n:05d}\n  fonds: {fund}\n  titre: Projet synthétique {n} pour la mesure\n"
            f"  regions: [{rng.choice(REGIONS)}]\n  secteur: {sector}\n"
            + (f"  axe: {rng.choice('ABCDE')}\n" if fund == "ff" else "")
            + f"  montant: {rng.randrange(5000, 49000 if fund == 'qip' else 900000)}\n"
            f"  jalons:\n    approbation: {approved}\n    fin_prevue: {approved + timedelta(days=170)}\n"
            + (f"    remise: {handed}\n" if handed < end else "")
        )
    (folder / "projets/synthetique.yaml").write_text("\n".join(lines), encoding="utf-8")
    donors = ("Allemagne", "Canada", "Danemark", "Irlande", "Italie", "Luxembourg", "Norvège", "Pays-Bas", "Suède")
    rows = []
    for n in range(1, contributions + 1):
        signed = start + timedelta(days=rng.randrange(span))
        received = signed + timedelta(days=rng.randrange(10, 120))
        rows.append(
            f"- id: CONTRIB-SYN-{n:04d}\n  bailleur: {rng.choice(donors)}\n  montant: {rng.randrange(10**5, 10**7)}\n"
            f"  signee: {signed}\n" + (f"  recue: {received}\n" if received < end else "")
        )
    (folder / "contributions.yaml").write_text("\n".join(rows), encoding="utf-8")
    balances = (folder / "soldes.yaml").read_text(encoding="utf-8")
    (folder / "soldes.yaml").write_text(balances.replace("date: 2017-10-31", "date: 2009-12-31"), encoding="utf-8")


def _issue(folder: Path, month: date, template: str, projects: int, rng: random.Random) -> None:
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    text = template.replace("mois: 2017-11", f"mois: {month:%Y-%m}")
    text = text.replace("date_reference: 2017-11-30", f"date_reference: {last}")
    text = text.replace("  debut: 2017-10-30\n  fin: 2017-11-30", f"  debut: {month}\n  fin: {last}")
    # Every dated item moves into the month; events become field visits on synthetic projects, which
    # need no milestone on that day.
    text = re.sub(r"date: 2017-1[01]-(\d\d)", lambda m: f"date: {month:%Y-%m}-{min(int(m[1]), last.day):02d}", text)
    text = re.sub(r"type: (remise|inauguration)", "type: visite", text)
    text = re.sub(r"projet: QIP-2017-0\d", lambda m: f"projet: SYN-{3 * rng.randrange(1, projects // 3) - 1:05d}", text)
    text = re.sub(r"projet: FF-2017-0\d", lambda m: f"projet: SYN-{3 * rng.randrange(1, projects // 3):05d}", text)
    text = text.replace("contribution: CONTRIB-2017-SUEDE", "contribution: CONTRIB-SYN-0001")
    # The seed's text types the amount of its own project; the synthetic project has another one.
    text = text.replace("86.000 dollars américains", "{{ projet.montant }}")
    issue = folder / f"{month:%Y-%m}"
    shutil.copytree(SEED / "bulletins/2017-11", issue, ignore=shutil.ignore_patterns("bulletin.yaml", "publie.yaml"))
    (issue / "bulletin.yaml").write_text(text, encoding="utf-8")
