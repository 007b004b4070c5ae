"""`nouveau AAAA-MM`: a new issue folder, planned from the previous issue, then written in one step.

The plan is computed first (what bulletin.yaml says, which files are copied); writing only carries
it out. bulletin.yaml is rendered from a text template, not dumped, so that the author finds French
comments and one commented example above each monthly section.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import yaml

from . import atomic, sandbox
from .errors import BUILD, ContentInvalid, SourceRef
from .filters import format_day, format_month
from .load import RawList, RawMap, load_yaml
from .messages import fields as fields_msg
from .messages import new_issue as new_issue_msg

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
LOCALE = "fr"
# Stable texts an issue names, with the name a new issue gets when the previous one names none.
_TOP_FILES = (("role", "role.md"), ("remerciements", "remerciements.md"))
_FUND_FILES = (("qip", "qip.md"), ("fonds_fiduciaire", "fonds-fiduciaire.md"), ("pbf", "pbf.md"))
_WIDTH = 78  # folded texts are wrapped as the author's own files are


@dataclass(frozen=True, slots=True)
class Previous:
    """What a new issue carries over from the issue it starts from."""

    mois: str
    folder: Path
    numero: int | None
    files: tuple[tuple[str, str], ...]  # (field, file name): role, qip presentation…
    contact: tuple[tuple[str, Any], ...]
    archive: Any
    approbations: tuple[tuple[str, Any], ...]  # id / introduction(_en) / conclusion(_en), as written
    pbf_date: Any
    pbf_projets: tuple[Any, ...]
    example_qip: str  # a real project or contribution id for each example,
    example_ff: str  # so that an example uncommented as is passes check
    example_contribution: str


@dataclass(frozen=True, slots=True)
class PlannedFile:
    name: str
    data: bytes
    copied: bool  # copied unchanged from the previous issue


@dataclass(frozen=True, slots=True)
class NewIssue:
    mois: str
    folder: Path
    source: str  # month of the issue it was made from
    files: tuple[PlannedFile, ...]


def is_month(text: str | None) -> bool:
    return bool(text and MONTH.fullmatch(text))


def source_month(existing: Iterable[str], mois: str) -> str | None:
    """The latest issue before `mois`; failing that, the latest issue of all."""
    months = sorted(existing)
    earlier = [m for m in months if m < mois]
    candidates = earlier or months
    return candidates[-1] if candidates else None


def last_day(mois: str) -> dt.date:
    year, month = int(mois[:4]), int(mois[5:])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def plan_new_issue(content: Path, mois: str) -> NewIssue:
    """Everything the new issue folder will hold; ContentInvalid when it must not be made."""
    bulletins = content / "bulletins"
    folder = bulletins / mois
    if folder.exists():
        raise ContentInvalid([new_issue_msg.new_issue_exists(SourceRef(folder), mois)])
    existing = (
        [p.name for p in bulletins.glob("*") if is_month(p.name) and (p / "bulletin.yaml").is_file()]
        if bulletins.is_dir()
        else []
    )
    source = source_month(existing, mois)
    if source is None:
        raise ContentInvalid([new_issue_msg.no_issue_to_copy(SourceRef(bulletins))])
    previous = read_previous(bulletins / source)
    text = render_bulletin_yaml(mois, previous)
    files = [PlannedFile("bulletin.yaml", text.encode("utf-8"), False)]
    for _, name in previous.files:
        path = previous.folder / name
        # Only the previous issue's own files, by their plain name: a path leaving its folder is
        # neither read nor written (check then reports it in the new issue, at its line).
        if (
            Path(name).name == name
            and sandbox.inside(path, previous.folder)
            and path.is_file()
            and name not in {f.name for f in files}
        ):
            files.append(PlannedFile(name, path.read_bytes(), True))
            # Its English translation with it (qip.en.md beside qip.md): a bilingual bulletin's stable
            # texts were left waiting for a translation the previous issue already had (a review's find).
            english = path.with_name(path.name.removesuffix(".md") + ".en.md")
            if (
                name.endswith(".md")
                and sandbox.inside(english, previous.folder)
                and english.is_file()
                and english.name not in {f.name for f in files}
            ):
                files.append(PlannedFile(english.name, english.read_bytes(), True))
    return NewIssue(mois, folder, source, tuple(files))


def write_new_issue(plan: NewIssue) -> None:
    """Write the folder beside content/bulletins/ and move it in place at once, never half-made."""
    # Staged in content/, not inside bulletins/: an interrupted run must not leave a folder that check
    # would read as an issue.
    staging = plan.folder.parent.parent / f".nouveau-{plan.mois}-{os.getpid()}"
    try:
        atomic.make_folder(plan.folder, ((f.name, f.data) for f in plan.files), staging)
    except FileExistsError:  # appeared since planning: never replace an author's folder
        raise ContentInvalid([new_issue_msg.new_issue_exists(SourceRef(plan.folder), plan.mois)]) from None


# --- Reading the previous issue --------------------------------------------------------------------


def read_previous(folder: Path) -> Previous:
    """The stable parts of an issue's bulletin.yaml, taken as written; checks come later, from check."""
    path = folder / "bulletin.yaml"
    loaded = load_yaml(path)
    if loaded.problems:
        raise ContentInvalid(loaded.problems)
    raw = loaded.value
    if not isinstance(raw, RawMap):
        raise ContentInvalid(
            [
                fields_msg.wrong_value(
                    SourceRef(path, 1), "", "des champs « clé: valeur »", "autre chose", "mois: 2017-11"
                )
            ]
        )
    top = raw.values
    numero = top.get("numero")
    files = [(key, _text(top.get(key)) or name) for key, name in _TOP_FILES]
    files += [(key, _text(_sub(top, key).get("presentation")) or name) for key, name in _FUND_FILES]
    ff, pbf = _sub(top, "fonds_fiduciaire"), _sub(top, "pbf")
    year = folder.name[:4]
    return Previous(
        mois=folder.name,
        folder=folder,
        numero=numero if isinstance(numero, int) and not isinstance(numero, bool) else None,
        files=tuple(files),
        contact=_scalars(_sub(top, "contact"), ("nom", "fonction", "fonction_en", "courriel")),
        archive=_scalar_or_none(top.get("archive")),
        approbations=_scalars(
            _sub(ff, "approbations"), ("id", "introduction", "introduction_en", "conclusion", "conclusion_en")
        ),
        pbf_date=_scalar_or_none(pbf.get("date_reference")),
        pbf_projets=_list_of_scalars(pbf.get("projets")),
        example_qip=_first_cited(_sub(top, "qip"), "faits_marquants", "projet") or f"QIP-{year}-01",
        example_ff=_first_cited(ff, "faits_marquants", "projet") or f"FF-{year}-01",
        example_contribution=_first_cited(ff, "contributions", "contribution") or f"CONTRIB-{year}-BAILLEUR",
    )


def _sub(values: dict[str, Any], key: str) -> dict[str, Any]:
    found = values.get(key)
    return found.values if isinstance(found, RawMap) else {}


def _scalar_or_none(value: Any) -> Any:
    return None if value is None or isinstance(value, (RawMap, RawList)) else value


def _list_of_scalars(value: Any) -> tuple[Any, ...]:
    """A list as written; a lone value counts as a list of one, as validation reads it."""
    items = value.items if isinstance(value, RawList) else (value,)
    return tuple(i for i in items if _scalar_or_none(i) is not None)


def _text(value: Any) -> str | None:
    value = _scalar_or_none(value)
    return str(value).strip() or None if value is not None else None


def _scalars(values: dict[str, Any], keys: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    return tuple((k, values[k]) for k in keys if _scalar_or_none(values.get(k)) is not None)


def _first_cited(section: dict[str, Any], key: str, field: str) -> str | None:
    items = section.get(key)
    for item in items.items if isinstance(items, RawList) else ():
        cited = _text(item.values.get(field)) if isinstance(item, RawMap) else None
        if cited:
            return cited
    return None


# --- Writing bulletin.yaml as text -------------------------------------------------------------------


def render_bulletin_yaml(mois: str, prev: Previous) -> str:
    """bulletin.yaml of the new issue: masthead filled, stable parts copied, monthly parts empty."""
    files = dict(prev.files)
    end = last_day(mois)
    numero = (
        f"numero: {prev.numero + 1}              # facultatif : numéro du bulletin"
        if prev.numero is not None
        else "# numero: 13            # facultatif : le numéro de ce bulletin ; le suivant aura le numéro + 1"
    )
    parts = [
        Template(_HEADER).substitute(titre=format_month(mois, LOCALE), mois=mois, source=prev.mois, build=BUILD),
        f"mois: {mois}",
        f"date_reference: {end.isoformat()}   # date des chiffres publiés (« Au {format_day(end, LOCALE)} »)",
        numero,
        "# periode:              # facultatif : par défaut, le mois du bulletin",
        f"#   debut: {mois}-01",
        f"#   fin: {end.isoformat()}",
        "",
        _section(_HIGHLIGHTS_NOTE, "faits_saillants", _HIGHLIGHTS, 0),
        "",
        _section(_COORDINATION_NOTE, "coordination", Template(_COORDINATION).substitute(date=_day(mois, 5)), 0),
        "",
        "qip:",
        f"  presentation: {_scalar(files['qip'], 2)}",
        _section(
            _QIP_NOTE,
            "faits_marquants",
            Template(_QIP).substitute(date=_day(mois, 12), projet=_flow_item(prev.example_qip)),
            2,
        ),
        "",
        "fonds_fiduciaire:",
        f"  presentation: {_scalar(files['fonds_fiduciaire'], 2)}",
        *_block(
            "approbations",
            prev.approbations,
            2,
            "# Projets récemment approuvés : le tableau est calculé depuis le registre.",
        ),
        _section(
            _FF_NOTE,
            "faits_marquants",
            Template(_FF).substitute(date=_day(mois, 14), projet=_flow_item(prev.example_ff)),
            2,
        ),
        _section(
            _CONTRIBUTIONS_NOTE,
            "contributions",
            Template(_CONTRIBUTIONS).substitute(
                date=_day(mois, 18), contribution=_flow_item(prev.example_contribution)
            ),
            2,
        ),
        "",
        "# PBF : repris du numéro précédent ; changez date_reference et projets",
        "# quand les chiffres du PBF sont mis à jour.",
        "pbf:",
        f"  presentation: {_scalar(files['pbf'], 2)}",
        *([f"  date_reference: {_scalar(prev.pbf_date, 2)}"] if prev.pbf_date is not None else []),
        *([f"  projets: [{', '.join(_flow_item(p) for p in prev.pbf_projets)}]"] if prev.pbf_projets else []),
        "",
        f"role: {_scalar(files['role'], 0)}",
        *_block("contact", prev.contact, 0),
        f"remerciements: {_scalar(files['remerciements'], 0)}",
        *([f"archive: {_scalar(prev.archive, 0)}"] if prev.archive is not None else []),
    ]
    return "\n".join(parts) + "\n"


def _day(mois: str, day: int) -> str:
    """A date inside the month: an example uncommented as is must fall in the issue's period."""
    return f"{mois}-{day:02d}"


def _section(note: str, key: str, example: str, indent: int) -> str:
    """A monthly section left empty, after its note and its example, both commented out.

    The example is commented as `# ` + the line, at the key's indentation: taking `# ` away gives
    back YAML in place, which is what the author is told to do.
    """
    pad = " " * indent
    lines = [pad + "# " + line for line in note.splitlines()]
    lines += [pad + "# " + line if line else pad + "#" for line in f"{key}:\n{example}".splitlines()]
    return "\n".join(lines + [f"{pad}{key}: []"])


def _block(key: str, pairs: tuple[tuple[str, Any], ...], indent: int, comment: str = "") -> list[str]:
    if not pairs:
        return []
    pad = " " * indent
    head = [pad + comment] if comment else []
    return head + [f"{pad}{key}:"] + [f"{pad}  {k}: {_scalar(v, indent + 2)}" for k, v in pairs]


def _scalar(value: Any, indent: int) -> str:
    """A value written back so that YAML reads exactly that value again."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if "\n" not in text and len(text) + indent < _WIDTH - 10 and _reads_back(text, text):
        return text
    if "\n" not in text:
        folded = _folded(text, indent + 2)
        if _reads_back(folded, text):
            return folded
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _folded(text: str, indent: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) + indent > _WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ">-\n" + "\n".join(" " * indent + part for part in lines)


def _reads_back(written: str, value: str) -> bool:
    try:
        return bool(yaml.safe_load(f"cle: {written}") == {"cle": value})
    except yaml.YAMLError:
        return False


def _flow_item(value: Any) -> str:
    """An item of a [a, b] list: quoted when a comma, a bracket or the like would change it."""
    text = str(value)
    try:
        if yaml.safe_load(f"[{text}]") == [value]:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


# --- French text of the new bulletin.yaml ------------------------------------------------------------

_HEADER = """\
# Bulletin mensuel S&R — $titre.
# Créé par « $build nouveau $mois » à partir du numéro $source.
#
# À remplir : les rubriques du mois, vides pour l'instant (faits_saillants,
# coordination, faits_marquants de qip, faits_marquants et contributions de
# fonds_fiduciaire). Chacune est précédée d'un exemple en commentaire. Pour
# s'en servir : supprimez la ligne « ...: [] » de la rubrique, retirez « # »
# et l'espace qui le suit au début de chaque ligne de l'exemple, puis
# remplacez l'exemple par les faits du mois. Une rubrique peut rester vide :
# la page l'omettra.
#
# Le reste (présentations, PBF, rôle, contact, remerciements) est repris du
# numéro $source : relisez-le. Vérifiez ensuite avec : $build check
# Aide complète : la page « Guide de l'auteur » du site.
"""

_HIGHLIGHTS_NOTE = """\
Faits saillants : les titres du mois, en tête du bulletin. « renvoi »
(facultatif) donne l'identifiant (id) de l'élément qui raconte le fait."""
_HIGHLIGHTS = """\
  - texte: Réunion de coordination des partenaires techniques et financiers à Mopti
    renvoi: reunion-partenaires-mopti"""

_COORDINATION_NOTE = """\
Coordination des bailleurs et partenariats : une réunion par élément. Le texte
commence par une minuscule : la date est écrite devant (« Le 5 décembre, … »)."""
_COORDINATION = """\
  - id: reunion-partenaires-mopti
    date: $date
    texte: >-
      la Section S&R a participé à la **réunion de coordination des
      partenaires techniques et financiers** à Mopti, consacrée au suivi des
      projets de relèvement dans le centre du Mali."""

_QIP_NOTE = """\
Faits marquants des QIP : un événement par élément, lié à un projet de
content/registre/projets/qip.yaml. type : remise, inauguration, cloture,
approbation, lancement, visite ou evaluation ; sauf pour visite et evaluation,
la même date doit figurer dans les jalons du projet (par exemple remise).
{{ projet.montant }} et {{ projet.titre }} se remplissent depuis le registre."""
_QIP = """\
  - id: qip-visite-terrain
    date: $date
    type: visite
    projet: $projet
    texte: >-
      une délégation de la MINUSMA a effectué une **visite de terrain** pour
      suivre l'avancement du projet à impact rapide (QIP) « {{ projet.titre }} »,
      d'un montant de {{ projet.montant }}."""

_FF_NOTE = """\
Faits marquants du Fonds fiduciaire : comme pour les QIP, avec un projet de
content/registre/projets/ff.yaml ; la date est facultative ici."""
_FF = """\
  - id: ff-visite-chantier
    date: $date
    type: visite
    projet: $projet
    texte: >-
      une équipe de la MINUSMA a **visité le chantier** du projet du Fonds
      fiduciaire « {{ projet.titre }} », d'un coût total de {{ projet.montant }}."""

_CONTRIBUTIONS_NOTE = """\
Nouvelles contributions : une annonce par élément, liée à une contribution de
content/registre/contributions.yaml (signée le…, reçue le…)."""
_CONTRIBUTIONS = """\
  - id: nouvelle-contribution
    date: $date
    contribution: $contribution
    texte: >-
      un accord a été signé pour une **nouvelle contribution au Fonds
      fiduciaire d'un montant d'environ {{ contribution.montant_millions }}**
      (bailleur : {{ contribution.bailleur }})."""
