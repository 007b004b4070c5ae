"""A varied bench archive: N monthly issues whose prose, places, partners and amounts differ month by month,
and a dated register (approvals, starts, extensions, handovers, closures) with contributions.

Built from the frozen seed issue (tests/fixtures/seed) like bench/synthetic.py, but every issue's prose
is rewritten from the seed's own vocabulary with a generator seeded by (seed, month), so caches keyed by
text (Markdown, search sections, word forms) do the work once per issue, as on a real archive.
Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

from synthetic import FF_SECTORS, QIP_SECTORS, REGIONS, SEED, months
from synthetic import make_archive as make_synthetic

PLACES = (
    "Mopti",
    "Gao",
    "Kidal",
    "Tombouctou",
    "Ménaka",
    "Ségou",
    "Bamako",
    "Konna",
    "Ansongo",
    "Bourem",
    "Diré",
    "Goundam",
    "Niafunké",
    "Douentza",
    "Bandiagara",
    "Tessalit",
    "Aguelhok",
    "Ber",
    "Léré",
    "Sévaré",
)
PARTNERS = (
    "PNUD",
    "UNICEF",
    "UNOPS",
    "UNMAS",
    "FAO",
    "PAM",
    "ONU Femmes",
    "OIM",
    "HCR",
    "UNFPA",
    "UNESCO",
    "Banque Mondiale",
    "UNDSS",
    "OCHA",
    "ONUDI",
)
DONORS = ("Allemagne", "Canada", "Danemark", "Irlande", "Italie", "Luxembourg", "Norvège", "Pays-Bas", "Suède")
_WORD = re.compile(r"(?<![\w{%*\[(<@/.-])([a-zàâçéèêëîïôûùüÿœ]{5,})(?![\w}%\]>/:.-])")
_KEY_LINE = re.compile(r"^\s*(- )?[a-z_]+:")


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for path in (SEED / "bulletins/2017-11").iterdir():
        words.update(_WORD.findall(path.read_text(encoding="utf-8")))
    return sorted(words)


def _vary_line(line: str, rng: random.Random, vocab: list[str]) -> str:
    """One prose line with about a third of its words, places and partners drawn anew."""
    line = _WORD.sub(lambda m: rng.choice(vocab) if rng.random() < 0.35 else m[1], line)
    for place in PLACES:
        if place in line:
            line = line.replace(place, rng.choice(PLACES))
    for partner in PARTNERS:
        if f" {partner} " in line:
            line = line.replace(f" {partner} ", f" {rng.choice(PARTNERS)} ")
    return line


def vary_yaml(text: str, rng: random.Random, vocab: list[str]) -> str:
    """Rewrite folded prose lines (never keys, ids or one-line values) of a bulletin.yaml."""
    out = []
    for line in text.split("\n"):
        plain = line.strip() and not line.lstrip().startswith("#") and not _KEY_LINE.match(line)
        out.append(_vary_line(line, rng, vocab) if plain and "{" not in line else line)
    return "\n".join(out)


def vary_markdown(text: str, rng: random.Random, vocab: list[str]) -> str:
    out = []
    for line in text.split("\n"):
        simple = line.strip() and not line.startswith(("#", "|", "<", "!")) and "{" not in line and "](" not in line
        out.append(_vary_line(line, rng, vocab) if simple else line)
    return "\n".join(out)


def make_archive(
    target: Path, issues: int = 120, projects: int = 3000, contributions: int = 300, seed: int = 2017
) -> Path:
    """Write content/ for a varied archive under target and return it."""
    content = make_synthetic(target, issues, projects, contributions, seed)
    vocab = _vocabulary()
    all_months = months(date(2010, 1, 1), issues)
    for month in all_months:
        rng = random.Random(f"{seed}-{month:%Y-%m}")
        folder = content / "bulletins" / f"{month:%Y-%m}"
        yaml_file = folder / "bulletin.yaml"
        yaml_file.write_text(vary_yaml(yaml_file.read_text(encoding="utf-8"), rng, vocab), encoding="utf-8")
        for md in sorted(folder.glob("*.md")):
            md.write_text(vary_markdown(md.read_text(encoding="utf-8"), rng, vocab), encoding="utf-8")
    _register(content / "registre/projets/synthetique.yaml", all_months, projects, random.Random(seed))
    return content


def _register(path: Path, all_months: list[date], count: int, rng: random.Random) -> None:
    """Projects with a life: approval, start, sometimes an extension, then a handover or a closure."""
    start, end = all_months[0], all_months[-1] + timedelta(days=27)
    span = (end - start).days
    blocks = []
    for n in range(1, count + 1):
        fund = "qip" if n % 3 else "ff"
        approved = start + timedelta(days=rng.randrange(span))
        begun = approved + timedelta(days=rng.randrange(7, 60))
        planned = begun + timedelta(days=rng.randrange(60, 150))
        jalons = [f"    approbation: {approved}", f"    debut: {begun}", f"    fin_prevue: {planned}"]
        finished, ended = planned - timedelta(days=rng.randrange(0, 25)), planned
        if rng.random() < 0.2:
            ended = planned + timedelta(days=rng.randrange(60, 180))
            jalons.append(f"    prolongations:\n      - {{debut: {planned + timedelta(days=1)}, fin: {ended}}}")
            finished = ended - timedelta(days=rng.randrange(0, 30))
        if ended < end or finished < end:  # nothing left past its planned end without news
            finished = max(begun, min(finished, end - timedelta(days=1)))
            jalons.append(f"    {'cloture' if rng.random() < 0.15 else 'remise'}: {finished}")
        sector = rng.choice(QIP_SECTORS if fund == "qip" else FF_SECTORS)
        place = rng.choice(PLACES)
        blocks.append(
            f"- id: SYN-{n:05d}\n  fonds: {fund}\n"
            f"  titre: {rng.choice(('Réhabilitation', 'Appui', 'Construction', 'Formation', 'Équipement'))} "
            f"{rng.choice(('du marché', 'de la maison des jeunes', 'du centre de santé', 'de la mairie'))}"
            f" de {place} ({n})\n"
            f"  regions: [{rng.choice(REGIONS)}]\n  lieux: [{place}]\n  secteur: {sector}\n"
            + (f"  axe: {rng.choice('ABCDE')}\n" if fund == "ff" else "")
            + f"  montant: {rng.randrange(5000, 49000 if fund == 'qip' else 900000)}\n"
            f"  bailleurs: [{rng.choice(DONORS)}]\n"
            f"  jalons:\n" + "\n".join(jalons) + "\n"
        )
    path.write_text("\n".join(blocks), encoding="utf-8")
