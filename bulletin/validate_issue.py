"""Raw bulletin.yaml + Markdown files -> typed Issue, checked against the register."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from . import prose, sandbox
from .checks import check_opening_balances, unprintable_figures
from .errors import Problem, SourceRef
from .fields import Reader, mappings
from .incremental import digest
from .language import month_in_english
from .load import RawMap, load_yaml, missing, read_markdown
from .memo import NO_PARSING, Parsing
from .messages import fields as fields_msg
from .messages import issue as issue_msg
from .messages import load as load_msg
from .messages import register as register_msg
from .models import Approvals, Contact, Highlight, Issue, Item, Prose, Register
from .photos import EXAMPLE, MAP_EXAMPLE, read_photo
from .typography_checks import check_capital_after_date, check_glyphs, check_typography
from .validate_publication import load_record, read_errata

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_TOP_KEYS = (
    "mois",
    "date_reference",
    "numero",
    "periode",
    "faits_saillants",
    "coordination",
    "qip",
    "fonds_fiduciaire",
    "pbf",
    "role",
    "contact",
    "remerciements",
    "archive",
    "rectificatifs",
    "carte",
)
_ITEM_KEYS = ("id", "date", "type", "projet", "contribution", "texte", "texte_en", "lien", "photo")
# The English edition's text sits beside the French, under the same key with `_en` (README « Édition
# anglaise »): one more line at the same indentation is what an officer editing by hand gets right.
EN = "_en"
# The Markdown texts an English edition translates, by the key naming the French file (`qip.en.md`).
_MARKDOWN_KEYS = ("qip", "fonds_fiduciaire", "pbf", "role", "remerciements")

# Event type -> milestones of the register that must carry the event's date.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "remise": ("remise", "cloture"),
    "inauguration": ("remise", "cloture"),
    "cloture": ("cloture", "remise"),
    "approbation": ("approbation",),
    "lancement": ("debut",),
    "visite": (),
    "evaluation": (),
}
_MILESTONE_WORDS = {"remise": "remise", "cloture": "clôture", "approbation": "approbation", "debut": "lancement"}


# The front page's box of highlights, beside the key figures, holds about thirty lines: ten highlights of
# two lines, or six of four. Beyond, the print engine drew them over one another (the box is as tall as the
# key figures), and took minutes to lay the box out (3 000 characters: over five minutes; 25 highlights:
# 32 s; found by an adversarial review). Measured at these limits: the box holds them.
# An address a mailto: link leads to: a plain local part, then a domain of dotted names (no « # », no « .. »).
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
LONGEST_HIGHLIGHT = 160
MOST_HIGHLIGHTS = 10
ALL_HIGHLIGHTS = 900  # characters of them all


@dataclass(frozen=True, slots=True)
class Citations:
    """What of the register an issue's validation read besides the fund and balance tables: the entries
    its files name (projects, contributions), and the projects whose lines in the register a message
    points to (a milestone the register does not have). When an entry named is not found, the message
    lists the nearest ids of the whole register."""

    projects: tuple[str, ...] = ()
    contributions: tuple[str, ...] = ()
    located: tuple[str, ...] = ()


def validate_issue(
    folder: Path, register: Register | None, problems: list[Problem], parsing: Parsing = NO_PARSING
) -> Issue | None:
    """Read content/bulletins/AAAA-MM/; None when it cannot be used (problems say why)."""
    return validate_citing(folder, register, problems, parsing)[0]


def validate_citing(
    folder: Path, register: Register | None, problems: list[Problem], parsing: Parsing = NO_PARSING
) -> tuple[Issue | None, Citations]:
    """validate_issue, and the register entries the issue names (none when the register is None)."""
    path = folder / "bulletin.yaml"
    if not path.exists():
        problems.append(missing(path, SourceRef(folder), "bulletin.yaml"))
        return None, Citations()
    loaded = load_yaml(path, parsing)
    problems.extend(loaded.problems)
    if not isinstance(loaded.value, RawMap):
        if loaded.value is not None or not loaded.problems:
            problems.append(
                fields_msg.wrong_value(
                    SourceRef(path, 1), "", "des champs « clé: valeur »", "autre chose", "mois: 2017-11"
                )
            )
        return None, Citations()
    reader = _IssueReader(folder, loaded.value, register, problems, parsing)
    issue = reader.read()
    return issue, Citations(tuple(reader.cited_projects), tuple(reader.cited_contributions), tuple(reader.located))


class _IssueReader:
    def __init__(
        self, folder: Path, raw: RawMap, register: Register | None, problems: list[Problem], parsing: Parsing
    ) -> None:
        self.folder, self.raw, self.register, self.problems = folder, raw, register, problems
        self._file_lines: dict[Path, tuple[str, ...]] = {}  # bulletin.yaml's lines, for _at_their_lines
        self.parsing = parsing
        self.ids: dict[str, SourceRef] = {}
        # Each text an English edition translates: where its French is, the English key, whether it is there.
        self.english: list[tuple[SourceRef, str, bool]] = []
        self.projects = register.projets_par_id if register else {}
        self.contributions = register.contributions_par_id if register else {}
        # What of the register is looked up, in order (bulletin/validate.py keys the validation on it).
        self.cited_projects: list[str] = []
        self.cited_contributions: list[str] = []
        self.located: list[str] = []
        self.period: tuple[dt.date, dt.date] | None = None
        self.placeholders: set[str] = set()  # the {{ name }} its texts use

    def read(self) -> Issue | None:
        r = Reader(self.raw, self.problems, _TOP_KEYS)
        mois = self._month(r)
        ref_date = r.date("date_reference", "2017-11-30")
        numero = r.count("numero", "12", required=False, least=1)
        self.period = self._period(r, mois)
        if ref_date and self.period and not self.period[0] <= ref_date <= self.period[1]:
            self.problems.append(
                issue_msg.date_outside_period(
                    r.ref("date_reference"), "date_reference", ref_date, *map(str, self.period)
                )
            )
        coordination = self._items(r, "coordination", required_date=True)
        qip = r.mapping("qip", "qip: {presentation: qip.md}")
        ff = r.mapping("fonds_fiduciaire", "fonds_fiduciaire: {presentation: fonds-fiduciaire.md}")
        pbf = r.mapping("pbf", "pbf: {presentation: pbf.md, date_reference: 2017-02-28, projets: [...]}")
        q = Reader(qip, self.problems, ("presentation", "faits_marquants")) if qip else None
        f = (
            Reader(ff, self.problems, ("presentation", "approbations", "faits_marquants", "contributions"))
            if ff
            else None
        )
        p = Reader(pbf, self.problems, ("presentation", "date_reference", "projets")) if pbf else None
        qip_faits = self._items(q, "faits_marquants", fund="qip") if q else ()
        ff_faits = self._items(f, "faits_marquants", fund="ff") if f else ()
        ff_contrib = self._items(f, "contributions", required_date=True, contribution=True) if f else ()
        approvals = self._approvals(f) if f else None
        highlights = self._highlights(r)
        contact = self._contact(r)
        qip_text, ff_text, pbf_text = (self._markdown(x, "presentation") if x else None for x in (q, f, p))
        role, thanks = self._markdown(r, "role"), self._markdown(r, "remerciements")
        markdown_en = {
            name: text
            for name, text in zip(
                _MARKDOWN_KEYS,
                (
                    self._markdown_en(q, "presentation", "qip") if q else None,
                    self._markdown_en(f, "presentation", "fonds_fiduciaire") if f else None,
                    self._markdown_en(p, "presentation", "pbf") if p else None,
                    self._markdown_en(r, "role", "role"),
                    self._markdown_en(r, "remerciements", "remerciements"),
                ),
                strict=True,
            )
            if text is not None
        }
        pbf_date = p.date("date_reference", "2017-02-28") if p else None
        if self.register is not None and ref_date is not None:
            self.problems.extend(
                unprintable_figures(
                    self.register, ref_date, r.ref("date_reference"), pbf_date, p.ref("date_reference") if p else None
                )
            )
        pbf_projects = self._pbf_projects(p) if p else None
        archive = r.url("archive", "archive: https://minusma.unmissions.org/bulletin-mensuel")
        errata = read_errata(r, self.problems)
        self.english.extend((e.source, "motif_en", e.motif_en is not None) for e in errata)
        map_raw = r.mapping("carte", MAP_EXAMPLE, required=False)
        region_map = read_photo(map_raw, self.folder, self.problems, MAP_EXAMPLE) if map_raw else None
        record = load_record(self.folder, self.problems, self.parsing)
        self._warn_empty(
            [
                (r, "faits_saillants", highlights),
                (r, "coordination", coordination),
                (q, "faits_marquants", qip_faits),
                (f, "faits_marquants", ff_faits),
            ]
        )
        self._warn_untranslated(month_in_english(highlights, (*coordination, *qip_faits, *ff_faits, *ff_contrib)))
        if self.register is not None:  # figures need an opening balance on or before their date
            self.problems.extend(
                check_opening_balances(
                    self.register, ref_date, r.ref("date_reference"), pbf_date, p.ref("date_reference") if p else None
                )
            )
        period = self.period
        if (
            mois is None
            or ref_date is None
            or period is None
            or approvals is None
            or contact is None
            or pbf_date is None
            or pbf_projects is None
            or archive is None
            or qip_text is None
            or ff_text is None
            or pbf_text is None
            or role is None
            or thanks is None
        ):
            return None
        return Issue(
            mois=mois,
            date_reference=ref_date,
            periode_debut=period[0],
            periode_fin=period[1],
            numero=numero,
            faits_saillants=highlights,
            coordination=coordination,
            qip_faits=qip_faits,
            ff_approbations=approvals,
            ff_faits=ff_faits,
            ff_contributions=ff_contrib,
            pbf_date_reference=pbf_date,
            pbf_projets=pbf_projects,
            contact=contact,
            archive=archive,
            source=self.raw.src,
            date_source=r.ref("date_reference"),
            pbf_date_source=p.ref("date_reference") if p else None,
            rectificatifs=errata,
            publication=record,
            carte=region_map,
            qip_presentation=qip_text,
            ff_presentation=ff_text,
            pbf_presentation=pbf_text,
            role=role,
            remerciements=thanks,
            markdown_en=markdown_en,
            sans_anglais=tuple((src, key) for src, key, present in self.english if not present),
            placeholders=tuple(sorted(self.placeholders)),
        )

    def _warn_empty(self, sections: Iterable[tuple[Reader | None, str, Sized]]) -> None:
        """A monthly section left empty is allowed (a new issue starts so) but worth a warning."""
        for reader, key, items in sections:
            if reader is not None and not items:
                where = reader.ref(key) if key in reader.raw.values else reader.raw.src
                self.problems.append(issue_msg.empty_section(where, key))

    def _month(self, r: Reader) -> str | None:
        mois = r.text("mois", "mois: 2017-11")
        if mois is None:
            return None
        if not _MONTH.match(mois):
            self.problems.append(
                fields_msg.wrong_value(r.ref("mois"), "mois", "une année et un mois AAAA-MM", mois, "mois: 2017-11")
            )
            return None
        if self.folder.name != mois:
            self.problems.append(issue_msg.folder_name(r.ref("mois"), self.folder.name, mois))
        return mois

    def _period(self, r: Reader, mois: str | None) -> tuple[dt.date, dt.date] | None:
        if mois is None:
            return None
        year, month = int(mois[:4]), int(mois[5:])
        start, end = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        raw = r.mapping("periode", "periode: {debut: 2017-10-30, fin: 2017-11-30}", required=False)
        if raw is None:
            return start, end
        pr = Reader(raw, self.problems, ("debut", "fin"))
        start, end = pr.date("debut", required=False) or start, pr.date("fin", required=False) or end
        if end < start:
            self.problems.append(
                register_msg.milestone_order(pr.ref("fin"), "fin", end, "le début de la période", start)
            )
        return start, end

    def _register_id(self, src: SourceRef, key: str, value: str) -> None:
        if value in self.ids:
            self.problems.append(fields_msg.duplicate_id(src, key, value, self.ids[value]))
        else:
            self.ids[value] = src

    def _prose(self, r: Reader, key: str, allowed: tuple[str, ...], required: bool = True) -> Prose | None:
        text = r.text(key, f"{key}: >-\n      le texte…", required=required)
        if text is None:
            return None
        result = Prose(text, r.ref(key))
        self._check_text(result, prose.ISSUE_PLACEHOLDERS + allowed, multiline=False, french=True)
        return result

    def _prose_en(self, r: Reader, key: str, allowed: tuple[str, ...], french: bool) -> Prose | None:
        """The English text beside a French one (`texte_en:`), checked as the French is but for French
        typography: the same placeholders, so a figure in English prose is computed too. Its absence is
        noted for the English edition's check (`_warn_untranslated`)."""
        text = r.text(key + EN, f"{key}{EN}: >-\n      the text…", required=False)
        if french:
            self.english.append((r.ref(key), key + EN, text is not None))
        if text is None:
            return None
        result = Prose(text, r.ref(key + EN))
        self._check_text(result, prose.ISSUE_PLACEHOLDERS + allowed, multiline=False, french=False)
        return result

    def _markdown_en(self, r: Reader, key: str, name_key: str) -> Prose | None:
        """`qip.en.md` beside `qip.md`: the English Markdown file, if the officer wrote one."""
        name = r.raw.values.get(key)
        if not isinstance(name, str) or not name.endswith(".md"):
            return None
        path = self.folder / (name[: -len(".md")] + ".en.md")
        if os.path.lexists(path) and not path.is_file():  # there, but no file: not a translation to write
            self.problems.append(missing(path, r.ref(key), key, path.name))
            return None
        present = path.is_file() and sandbox.inside(path, self.folder)
        self.english.append((r.ref(key), f"{name_key} ({path.name})", present))
        if not present:
            return None
        loaded = read_markdown(path)
        if loaded.value is None:
            self.problems.extend(loaded.problems)
            return None
        result = Prose(loaded.value, SourceRef(path, 1))
        if not loaded.value.strip():  # counted as translated, its English section would vanish without a word
            self.problems.append(issue_msg.text_empty(result.source, f"{key} en anglais", path.name))
        self._check_text(result, prose.ISSUE_PLACEHOLDERS, multiline=True, french=False)
        return result

    def _warn_untranslated(self, translated: bool) -> None:
        """An issue with an English edition (English for any of its month's own texts: language.is_translated)
        lists each text still missing its English, one warning per text with its line; `check --strict`
        makes them errors. Another is a French-only issue: bulletin/validate.py lists its texts when an
        earlier issue has an English edition (the publication is bilingual from then on)."""
        if not translated:
            return
        for src, key, present in self.english:
            if not present:
                self.problems.append(issue_msg.missing_english(src, key))

    def _markdown(self, r: Reader, key: str) -> Prose | None:
        name = r.text(key, f"{key}: {key}.md")
        if name is None:
            return None
        path = self.folder / name
        if not sandbox.inside(path, self.folder):
            self.problems.append(load_msg.file_outside(r.ref(key), key, name, "du numéro"))
            return None
        loaded = read_markdown(path)
        text = loaded.value
        if text is None:
            self.problems.extend(loaded.problems or (missing(path, r.ref(key), key, name),))
            return None
        result = Prose(text, SourceRef(path, 1))
        if not text.strip():  # the section would print its heading over nothing, or vanish without a word
            self.problems.append(issue_msg.text_empty(result.source, key, name))
        self._check_text(result, prose.ISSUE_PLACEHOLDERS, multiline=True, french=True)
        return result

    def _check_text(self, text: Prose, allowed: tuple[str, ...], multiline: bool, french: bool) -> None:
        """Every check of one text. Markup, placeholders and (French only) typography are pure functions
        of the text and its place: kept in the memo under a digest of both, a build keeps them and
        `check` reads them back instead of converting the archive's prose again. So are the addresses a
        text would fetch; whether each leads to a file beside it is looked at each time."""

        def findings() -> tuple[Problem, ...]:
            out = [*prose.check_markup(text, multiline), *prose.check_placeholders(text, allowed, multiline)]
            out += prose.check_stray_syntax(text, multiline)
            out += check_glyphs(text, multiline)  # the print's font, in either language
            if french:
                out += check_typography(text, multiline)
            return tuple(out)

        self.placeholders.update(m.group(1) for m in prose.PLACEHOLDER.finditer(text.texte))
        where = text.source
        key = digest("text-checks", str(where.path), str(where.line), text.texte, *allowed, f"{multiline}{french}")
        checked = self.parsing.memo.get(key, findings)
        self.problems.extend(checked if multiline or not checked else self._at_their_lines(checked, where))
        found = self.parsing.memo.get(digest("fetched", text.texte), partial(prose.fetched, text.texte))
        self.problems.extend(prose.check_resources(text, multiline, found))

    def _at_their_lines(self, found: Sequence[Problem], key: SourceRef) -> list[Problem]:
        """The problems of a text written in bulletin.yaml (« texte: >- » and its lines below), each at the
        line of the file where what it quotes is written: all were at the key's line, two or ten lines
        above (an officer's walkthrough). A quote not found on one line (cut across two) stays there."""
        if key.line is None:
            return list(found)
        if key.path not in self._file_lines:
            try:
                self._file_lines[key.path] = tuple(key.path.read_text(encoding="utf-8").splitlines())
            except (OSError, UnicodeDecodeError):
                self._file_lines[key.path] = ()
        lines = self._file_lines[key.path]
        if not 0 < key.line <= len(lines):
            return list(found)
        # The key's own indentation, after a list item's « - »: its siblings (texte_en:, renvoi:) end the text.
        indent = len(lines[key.line - 1]) - len(lines[key.line - 1].lstrip(" -"))
        end = key.line
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        scalar = [(n, " ".join(lines[n - 1].split())) for n in range(key.line, end + 1)]
        out = []
        for problem in found:
            quoted = " ".join(problem.field.split())
            if problem.source == key and quoted:
                holding = [n for n, text in scalar if quoted in text]
                if len(holding) == 1 and holding[0] != key.line:  # a quote on several lines: left at the key
                    problem = replace(problem, source=SourceRef(key.path, holding[0]))
            out.append(problem)
        return out

    def _in_period(self, r: Reader, key: str, when: dt.date | None) -> None:
        if when and self.period and not self.period[0] <= when <= self.period[1]:
            self.problems.append(issue_msg.date_outside_period(r.ref(key), key, when, *map(str, self.period)))

    def _items(
        self, parent: Reader, key: str, fund: str | None = None, required_date: bool = False, contribution: bool = False
    ) -> tuple[Item, ...]:
        out = []
        for m in mappings(parent.items(key, f"{key}:\n  - id: ...\n    date: ..."), self.problems, key, "- id: ..."):
            r = Reader(m, self.problems, _ITEM_KEYS)
            item_id = r.text("id", "id: reunion-banque-mondiale")
            if item_id:
                self._register_id(r.ref("id"), "id", item_id)
            when = r.date("date", required=required_date)
            self._in_period(r, "date", when)
            allowed: tuple[str, ...] = ()
            project_id = self._project(r, fund, when) if fund else None
            contribution_id = self._contribution(r) if contribution else None
            # An unknown project or contribution is reported once, on its own line, not again in the text.
            if project_id or (fund and r.has("projet")):
                allowed = prose.PROJECT_PLACEHOLDERS
            if contribution_id or (contribution and r.has("contribution")):
                allowed = prose.CONTRIBUTION_PLACEHOLDERS
            text = self._prose(r, "texte", allowed)
            text_en = self._prose_en(r, "texte", allowed, text is not None)
            if when is not None:  # the page writes « Le 15 novembre, » before the text
                for written, english in ((text, False), (text_en, True)):
                    if written is not None:
                        self.problems.extend(check_capital_after_date(written, english, when))
            photo_raw = r.mapping("photo", EXAMPLE, required=False)
            photo = read_photo(photo_raw, self.folder, self.problems) if photo_raw else None
            if item_id and text:
                out.append(
                    Item(
                        item_id,
                        text,
                        m.src,
                        when,
                        r.text("type", "", required=False),
                        project_id,
                        contribution_id,
                        r.url("lien", "lien: http://bit.ly/...", required=False),
                        photo,
                        text_en,
                    )
                )
        return tuple(out)

    def _project(self, r: Reader, fund: str, when: dt.date | None) -> str | None:
        kind = r.text("type", "type: remise")
        if kind is not None and kind not in EVENT_TYPES:
            self.problems.append(
                fields_msg.not_in_list(r.ref("type"), "type", "type d'événement", kind, EVENT_TYPES, None)
            )
            kind = None
        project_id = r.text("projet", "projet: QIP-2017-01")
        if project_id is None or self.register is None:
            return project_id
        self.cited_projects.append(project_id)
        known = self.projects
        if self.register.left_out(project_id, "projets"):
            return None
        if project_id not in known:
            self.problems.append(issue_msg.unknown_project(r.ref("projet"), "projet", project_id, known))
            return None
        project = known[project_id]
        if project.fonds != fund:
            self.problems.append(issue_msg.wrong_fund(r.ref("projet"), project_id, project.fonds, fund))
            return None
        milestones = EVENT_TYPES.get(kind or "", ())
        if project_id in self.register.jalons_illisibles:
            milestones = ()
        if when and milestones and all(getattr(project.jalons, m) != when for m in milestones):
            registered = next((getattr(project.jalons, m) for m in milestones if getattr(project.jalons, m)), None)
            where = self.register.where(project_id, "jalons")
            self.located.append(project_id)
            self.problems.append(
                issue_msg.milestone_missing(
                    r.ref("date"), project_id, _MILESTONE_WORDS[milestones[0]], when, registered, where
                )
            )
        return project_id

    def _contribution(self, r: Reader) -> str | None:
        cid = r.text("contribution", "contribution: CONTRIB-2017-SUEDE")
        if cid is None or self.register is None:
            return cid
        self.cited_contributions.append(cid)
        known = self.contributions
        if self.register.left_out(cid, "contributions"):
            return None
        if cid not in known:
            self.problems.append(
                fields_msg.not_in_list(
                    r.ref("contribution"),
                    "contribution",
                    "contribution",
                    cid,
                    known,
                    "content/registre/contributions.yaml",
                )
            )
            return None
        return cid

    def _approvals(self, f: Reader) -> Approvals | None:
        raw = f.mapping("approbations", "approbations: {id: ff-approbations}", required=False)
        if raw is None:
            return Approvals("ff-approbations", None, None)
        a = Reader(raw, self.problems, ("id", "introduction", "introduction_en", "conclusion", "conclusion_en"))
        approvals_id = a.text("id", "id: ff-approbations", required=False) or "ff-approbations"
        self._register_id(a.ref("id"), "id", approvals_id)
        intro = self._prose(a, "introduction", (), required=False)
        outro = self._prose(a, "conclusion", (), required=False)
        return Approvals(
            approvals_id,
            intro,
            outro,
            self._prose_en(a, "introduction", (), intro is not None),
            self._prose_en(a, "conclusion", (), outro is not None),
        )

    def _highlights(self, r: Reader) -> tuple[Highlight, ...]:
        out = []
        for m in mappings(
            r.items("faits_saillants", "- texte: ..."),
            self.problems,
            "faits_saillants",
            "- texte: ...\n    renvoi: reunion-banque-mondiale",
        ):
            h = Reader(m, self.problems, ("texte", "texte_en", "renvoi"))
            text, target = h.text("texte", "texte: ..."), h.text("renvoi", "renvoi: ...", required=False)
            text_en = h.text("texte_en", "texte_en: ...", required=False)
            for key, value in (("texte", text), ("texte_en", text_en)):
                if value and len(value) > LONGEST_HIGHLIGHT:
                    self.problems.append(issue_msg.highlight_too_long(h.ref(key), key, len(value), LONGEST_HIGHLIGHT))
            if text:
                self.english.append((h.ref("texte"), "texte_en", text_en is not None))
                out.append(Highlight(text, target, h.ref("renvoi") if target else m.src, text_en))
        if len(out) > MOST_HIGHLIGHTS:
            self.problems.append(issue_msg.too_many_highlights(r.ref("faits_saillants"), len(out), MOST_HIGHLIGHTS))
        else:
            for english in (False, True):
                total = sum(len((h.texte_en if english else h.texte) or "") for h in out)
                if total > ALL_HIGHLIGHTS:
                    where = r.ref("faits_saillants")
                    self.problems.append(issue_msg.highlights_too_long(where, total, ALL_HIGHLIGHTS, english))
        # Items are read first, so a highlight may point to any of them.
        for highlight in out:
            if highlight.renvoi and highlight.renvoi not in self.ids:
                self.problems.append(
                    issue_msg.dangling_reference(highlight.source, "renvoi", highlight.renvoi, self.ids)
                )
        return tuple(out)

    def _contact(self, r: Reader) -> Contact | None:
        raw = r.mapping("contact", "contact: {nom: ..., fonction: ..., courriel: ...}")
        if raw is None:
            return None
        c = Reader(raw, self.problems, ("nom", "fonction", "fonction_en", "courriel"))
        name, role = c.text("nom", "nom: ..."), c.text("fonction", "fonction: ...")
        email = c.text("courriel", "courriel: ...")
        if email and (not _EMAIL.fullmatch(email.strip()) or ".." in email):  # a mailto: link, leading nowhere
            self.problems.append(issue_msg.email_wrong(c.ref("courriel"), email))
            email = None
        role_en = c.text("fonction_en", "fonction_en: Communication and Liaison Officer", required=False)
        self.english.append((c.ref("fonction"), "fonction_en", role_en is not None))
        return Contact(name, role, email, role_en) if name and role and email else None

    def _pbf_projects(self, p: Reader) -> tuple[str, ...] | None:
        out = []
        seen: dict[str, SourceRef] = {}
        for project_id, src in p.texts("projets", "projets: [PBF-2015-1, PBF-2015-2]"):
            if project_id in seen:
                self.problems.append(issue_msg.listed_twice(src, "projets", project_id, seen[project_id]))
                continue
            seen[project_id] = src
            if self.register is None:
                out.append(project_id)
                continue
            self.cited_projects.append(project_id)
            known = self.projects
            if self.register.left_out(project_id, "projets"):
                continue
            if project_id not in known:
                self.problems.append(issue_msg.unknown_project(src, "projets", project_id, known))
            elif known[project_id].fonds != "pbf":
                self.problems.append(issue_msg.wrong_fund(src, project_id, known[project_id].fonds, "pbf"))
            else:
                out.append(project_id)
        return tuple(out)
