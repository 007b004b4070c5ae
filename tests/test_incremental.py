"""Rebuilds that keep what did not change (bulletin.incremental, bulletin.memo) give the very site a
build from nothing gives; they keep only what they may."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from bulletin.memo import Memo, code_digest

from .conftest import ROOT, add_december, edit, line_of, translate


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _build(cli, content: Path, site: Path, cache: Path, *more: str):
    run = cli("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache), *more)
    assert run.code == 0, run.err
    return run


def _same_as_cold(cli, content: Path, site: Path, tmp_path: Path) -> None:
    cold = tmp_path / "froid"
    _build(cli, content, cold, tmp_path / "cache-froid")
    assert _files(site) == _files(cold)


def _hand_over_in_december(content: Path) -> None:
    edit(
        content / "registre/projets/qip.yaml",
        "    fin_prevue: 2017-11-30   # durée de six mois",
        "    fin_prevue: 2017-11-30   # durée de six mois\n    remise: 2017-12-10",
    )


def test_a_rebuild_after_one_event_writes_only_what_changed_and_equals_a_cold_build(content, cli, tmp_path):
    add_december(content)
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    november = site / "bulletins/2017-11/index.html"
    before = november.stat()
    assert "214</span> projets finalisés" in (site / "bulletins/2017-12/index.html").read_text(encoding="utf-8")
    _hand_over_in_december(content)
    _build(cli, content, site, cache)
    # The handover counts from 10 December: November's page is the same file, December's is new.
    after = november.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    december = (site / "bulletins/2017-12/index.html").read_text(encoding="utf-8")
    assert "215</span> projets finalisés" in december
    _same_as_cold(cli, content, site, tmp_path)


def _back_date_the_december_handover(content: Path) -> None:
    """The December handover moved back into November: a past issue's figures change (the seed keeps no
    publication record, so no erratum is asked for)."""
    edit(content / "registre/projets/qip.yaml", "    remise: 2017-12-10", "    remise: 2017-11-20")


@pytest.mark.parametrize("event", ["handover_backdated", "sentence_edited"])
def test_a_rebuild_after_a_back_dated_handover_or_a_sentence_equals_a_cold_build(content, cli, tmp_path, event):
    """The officer's other two changes, after the handover of the month (above): one moves the figures
    of an issue already out, the other touches one page's prose."""
    add_december(content)
    translate(content)
    _hand_over_in_december(content)
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    november, december = (site / f"bulletins/{m}/index.html" for m in ("2017-11", "2017-12"))
    assert "214</span> projets finalisés" in november.read_text(encoding="utf-8")
    if event == "handover_backdated":
        _back_date_the_december_handover(content)
    else:
        edit(content / "bulletins/2017-12/remerciements.md", "Tous unis", "Merci Kidal. Tous unis")
    _build(cli, content, site, cache)
    if event == "handover_backdated":
        assert "215</span> projets finalisés" in november.read_text(encoding="utf-8")
    else:
        assert "Merci Kidal." in december.read_text(encoding="utf-8")
        assert "214</span> projets finalisés" in november.read_text(encoding="utf-8")
    _same_as_cold(cli, content, site, tmp_path)


def _index_of(site: Path, language: str) -> dict[str, int]:
    """The files of one language's search index (bulletin.search), with their inodes."""
    bundle = site / "pagefind"
    mine = (f"{language}_", f"pagefind.{language}_", f"wasm.{language}.")
    return {str(p.relative_to(bundle)): p.stat().st_ino for p in bundle.rglob("*") if p.name.startswith(mine)}


def test_a_rebuild_makes_again_only_the_search_index_of_the_language_that_changed(content, cli, tmp_path):
    translate(content)
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    english, french = _index_of(site, "en"), _index_of(site, "fr")
    assert english and french
    edit(content / "bulletins/2017-11/qip.md", "microprojets communautaires", "microprojets de quartier")
    _build(cli, content, site, cache)
    assert "microprojets de quartier" in (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert _index_of(site, "en") == english  # linked from the generation before
    assert not set(_index_of(site, "fr").items()) & set(french.items())
    _same_as_cold(cli, content, site, tmp_path)
    french = _index_of(site, "fr")
    edit(content / "bulletins/2017-11/qip.en.md", "small-scale community projects", "small neighbourhood projects")
    _build(cli, content, site, cache)
    assert "small neighbourhood projects" in (site / "en/bulletins/2017-11/index.html").read_text(encoding="utf-8")
    assert _index_of(site, "fr") == french
    assert not set(_index_of(site, "en").items()) & set(english.items())
    cold = tmp_path / "froid-2"
    _build(cli, content, cold, tmp_path / "cache-froid-2")
    assert _files(site) == _files(cold)


def test_an_index_made_by_another_pagefind_is_not_kept(content, cli, tmp_path, monkeypatch):
    """The index of a language is taken from the generation in place only when the same code and the
    same Pagefind made it (search.index_stamp): here another program path, as after an upgrade."""
    from bulletin import search

    translate(content)
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    english = _index_of(site, "en")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", search.pagefind_command()[0])
    edit(content / "bulletins/2017-11/qip.md", "microprojets communautaires", "microprojets de quartier")
    _build(cli, content, site, cache)
    assert english and not set(_index_of(site, "en").items()) & set(english.items())


def test_what_frames_every_page_changing_rebuilds_every_page(content, cli, tmp_path):
    """The site's name is in every page's header, outside what the bulletin renders: a change of
    MkDocs's configuration leaves no page of the previous site in place."""
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for folder in ("content/pages", "templates/web"):
        text = text.replace(f": {folder}\n", f": {ROOT / folder}\n")
    config.write_text(text, encoding="utf-8")
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache, "--config", str(config))
    edit(config, "site_name: Bulletin S&R — MINUSMA", "site_name: Bulletin S&R — Mali")
    _build(cli, content, site, cache, "--config", str(config))
    assert "Bulletin S&amp;R — Mali" in (site / "bulletins/2017-11/index.html").read_text(encoding="utf-8")
    cold = tmp_path / "froid"
    _build(cli, content, cold, tmp_path / "cache-froid", "--config", str(config))
    assert _files(site) == _files(cold)


def test_a_site_changed_by_hand_is_rebuilt_whole(content, cli, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    (site / "index.html").write_text("remplacé", encoding="utf-8")
    (site / "bulletins/2017-11/index.html").write_text("remplacé", encoding="utf-8")
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path)


def test_a_damaged_or_foreign_store_only_costs_time(content, cli, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    store = cache / "web/memo.pickle"
    assert store.exists()
    store.write_bytes(b"pas un pickle")
    _hand_over_in_december(content)  # (no December issue here: only the register changes)
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path)
    # Entries written by other code are not read: their key might not say what changed.
    store.write_bytes(pickle.dumps({"code": "autre", "values": {"x": 1}}))
    assert Memo(store).get("x", lambda: 2) == 2
    assert pickle.loads(store.read_bytes())["code"] != code_digest()


def test_only_what_a_build_used_is_kept(content, cli, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    kept = pickle.loads((cache / "web/memo.pickle").read_bytes())["values"]
    edit(content / "bulletins/2017-11/bulletin.yaml", "vaste réunion de consultation", "large réunion de consultation")
    _build(cli, content, site, cache)
    again = pickle.loads((cache / "web/memo.pickle").read_bytes())["values"]
    assert len(again) == len(kept) and set(again) != set(kept)


# ---------------------------------------------------------------- a long list parsed item by item


def _long_list(n: int) -> str:
    items = []
    for i in range(n):
        items.append(
            f"- id: P-{i:04d}   # commentaire\n  titre: >-\n    Projet {i} sur deux\n    lignes : « {i} »\n"
            f"  regions: [gao, kidal]\n  jalons:\n    approbation: 2017-0{1 + i % 9}-1{i % 10}\n"
            + ("\n# un commentaire entre deux projets\n" if i % 7 == 0 else "\n")
        )
    return "# Registre de test\n\n" + "".join(items)


def test_a_long_list_parsed_item_by_item_is_the_list_parsed_whole(tmp_path):
    from bulletin import load
    from bulletin.memo import Parsing

    path = tmp_path / "projets.yaml"
    text = _long_list(260)
    kept = Parsing(Memo(tmp_path / "memo.pickle"))
    assert load._parse_in_pieces(path, text, kept) == load._parse(path, text)  # first time: whole, kept in pieces
    edits = [
        text.replace("    approbation: 2017-03-12\n", "    approbation: 2017-03-12\n    remise: 2017-09-01\n", 1),
        text.replace("- id: P-0100", "- id: P-0100b", 1),
        text[: text.index("- id: P-0005")] + text[text.index("- id: P-0006") :],  # an item removed
        text + "- id: P-9999\n  titre: Dernier\n",
    ]
    for edited in edits:
        pieces = load._parse_in_pieces(path, edited, kept)
        assert pieces is not None and pieces == load._parse(path, edited)


def test_a_list_that_a_split_could_change_is_parsed_whole(tmp_path):
    from bulletin import load
    from bulletin.memo import Parsing

    path = tmp_path / "projets.yaml"
    kept = Parsing(Memo(tmp_path / "memo.pickle"))
    aliased = _long_list(260).replace("regions: [gao, kidal]", "regions: &r [gao, kidal]", 1)
    assert load._parse_in_pieces(path, aliased, kept) is None
    assert load._parse_in_pieces(path, "---\n" + _long_list(260), kept) is None
    # An item with an error: the whole parse reports it at its line in the file.
    text = _long_list(260)
    broken = text.replace("- id: P-0200   # commentaire\n", "- id: P-0200\n  id: P-0201\n", 1)
    load._parse_in_pieces(path, text, kept)  # pieces kept
    assert load._parse_in_pieces(path, broken, kept) is None
    path.write_text(broken, encoding="utf-8")
    problems = load.load_yaml(path, kept).problems
    assert [p.source.line for p in problems] == [broken.splitlines().index("  id: P-0201") + 1]


def test_a_long_list_parsed_in_two_processes_is_the_list_parsed_whole(tmp_path):
    from bulletin import load
    from bulletin.memo import Parsing

    path = tmp_path / "projets.yaml"
    text = _long_list(300)
    store = Memo(tmp_path / "memo.pickle")
    assert load._parse_in_pieces(path, text, Parsing(store, workers=2)) == load._parse(path, text)
    assert len(store._new) >= 300  # each item kept, for the next parse


# ---------------------------------------------------------------- what a partial rebuild must not keep


def _photo(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    Image.new("RGB", (1200, 800), colour).save(path, "JPEG", quality=85)


def test_a_photo_replaced_or_put_back_is_published_anew(content, cli, tmp_path):
    import os
    import shutil

    from .test_photos import add_photo

    picture = add_photo(content)  # blue
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    blue = tmp_path / "bleu.jpg"
    shutil.copy2(picture, blue)
    _photo(picture, (200, 30, 30))  # red, same name
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path / "rouge")
    shutil.copy(blue, picture)  # blue again: its web sizes were made once already
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path / "bleu")
    old = tmp_path / "ancien.jpg"  # a file dated years back, moved in (as unzip or rsync -a do)
    _photo(old, (30, 160, 40))
    os.utime(old, (1_500_000_000, 1_500_000_000))
    os.replace(old, picture)
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path / "vert")


def test_files_edited_or_deleted_in_the_site_are_put_back(content, cli, tmp_path):
    import shutil

    add_december(content)
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    (site / "bulletins/2017-11/index.html").write_text("remplacé", encoding="utf-8")
    (site / "bulletins/2017-12/chiffres-cles.json").unlink()
    shutil.rmtree(site / "regions/gao")
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path)


def test_a_build_stopped_while_the_site_changes_is_followed_by_a_full_one(content, cli, tmp_path, monkeypatch):

    from bulletin import site_build

    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    remerciements = content / "bulletins/2017-11/remerciements.md"
    original = remerciements.read_text(encoding="utf-8")
    remerciements.write_text(original + "\nUne ligne de plus.\n", encoding="utf-8")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl+C, a full disk… once the new files are in place

    monkeypatch.setattr(site_build, "write_manifest", stopped)
    with pytest.raises(KeyboardInterrupt):
        cli("--sans-pdf", "--content", str(content), "--site-dir", str(site), "--cache-dir", str(cache))
    monkeypatch.undo()
    remerciements.write_text(original, encoding="utf-8")
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path)


def test_open_data_follows_the_contributions_balance(content, cli, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    # The budget stays 53.9 million, from other parts: only the balance's own line in the data changes.
    edit(content / "registre/soldes.yaml", "    montant: 53900000", "    montant: 52900000")
    contributions = content / "registre/contributions.yaml"
    contributions.write_text(
        contributions.read_text(encoding="utf-8")
        + (
            "\n- id: CONTRIB-TEST\n  bailleur: Allemagne\n  montant: 1000000\n  signee: 2017-10-20\n"
            "  recue: 2017-11-05\n"
        ),
        encoding="utf-8",
    )
    _build(cli, content, site, cache)
    _same_as_cold(cli, content, site, tmp_path)


def test_other_line_breaks_keep_a_list_whole(tmp_path):
    from bulletin import load
    from bulletin.memo import Parsing

    path = tmp_path / "projets.yaml"
    # YAML counts U+2028 in a quoted value as a line break: lines counted by "\n" would be off by one.
    text = _long_list(260).replace("- id: P-0003   # commentaire\n", '- id: P-0003\n  note: "a\u2028b"\n', 1)
    assert load._parse(path, text).problems == ()
    assert load._parse_in_pieces(path, text, Parsing(Memo(tmp_path / "memo.pickle"), workers=2)) is None


def test_a_memo_that_does_not_remember_reads_what_is_kept_and_holds_nothing_new(tmp_path):
    from bulletin import load
    from bulletin.memo import Parsing

    store = tmp_path / "memo.pickle"
    path = tmp_path / "reglages.yaml"
    path.write_text("publication:\n  titre: Bulletin\n", encoding="utf-8")
    kept = Memo(store)
    first = load.load_yaml(path, Parsing(kept))
    kept.save()
    reading = Memo(store, write=False, remember=False)  # what `check` uses
    assert load.load_yaml(path, Parsing(reading)) == first  # read back from the file
    calls = []
    assert reading.get("nouveau", lambda: calls.append(1) or 7) == 7
    assert reading.get("nouveau", lambda: calls.append(1) or 7) == 7
    assert calls == [1, 1] and not reading.has("nouveau")
    assert load.load_yaml(path, Parsing(Memo(None))) == first  # no store at all: the same parse


def test_check_reads_the_pieces_a_build_kept_and_parses_whole_otherwise(tmp_path):
    from bulletin import load
    from bulletin.memo import Parsing

    path = tmp_path / "projets.yaml"
    text = _long_list(260)
    store = tmp_path / "memo.pickle"
    building = Memo(store)
    load._parse_in_pieces(path, text, Parsing(building))  # a build keeps each item
    building.save()
    checking = Memo(store, write=False, remember=False)
    assert load._parse_in_pieces(path, text, Parsing(checking)) == load._parse(path, text)
    edited = text.replace("- id: P-0100", "- id: P-0100b", 1)  # one item the build never saw: parsed alone
    assert load._parse_in_pieces(path, edited, Parsing(checking)) == load._parse(path, edited)
    assert set(checking._new) <= set(checking._old)  # the new item's parse is not held
    renamed = text.replace("Projet ", "Programme ")  # every item new: parsed whole, at once
    assert load._parse_in_pieces(path, renamed, Parsing(checking)) is None


def test_check_reads_the_text_checks_a_build_kept(content, tmp_path, monkeypatch):
    from bulletin import prose
    from bulletin.memo import Parsing
    from bulletin.validate import load_edition

    store = tmp_path / "memo.pickle"
    building = Memo(store)
    built = load_edition(content, Parsing(building))
    building.save()

    checked_again: list[Path] = []
    real = prose.check_markup

    def check_markup(text, multiline):
        checked_again.append(text.source.path)
        return real(text, multiline)

    monkeypatch.setattr(prose, "check_markup", check_markup)
    checked = load_edition(content, Parsing(Memo(store, write=False, remember=False)))
    assert checked.warnings == built.warnings and built.warnings  # the same findings, read back
    assert not [p for p in checked_again if "bulletins" in p.parts]  # no issue text converted again
    load_edition(content, Parsing(Memo(tmp_path / "autre.pickle", write=False, remember=False)))
    assert [p for p in checked_again if "bulletins" in p.parts]  # without a build's memo, each is checked


def test_the_text_checks_of_an_issue_kept_whole_stay_kept_from_build_to_build(content, tmp_path, monkeypatch):
    """A validated issue is kept with the memo entries its validation read (its texts' checks): a build
    that finds the issue kept keeps them too, so after a sentence is edited only that text is checked."""
    from bulletin import prose
    from bulletin.memo import Parsing
    from bulletin.validate import load_edition

    store = tmp_path / "memo.pickle"
    for _ in range(3):  # a build, then two with nothing changed: each finds the last one's results
        building = Memo(store)
        load_edition(content, Parsing(building))
        building.save()
    checked: list[tuple[Path, int | None]] = []
    real = prose.check_markup

    def check_markup(text, multiline):
        checked.append((text.source.path, text.source.line))
        return real(text, multiline)

    monkeypatch.setattr(prose, "check_markup", check_markup)
    role = content / "bulletins/2017-11/role.md"
    role.write_text(role.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    load_edition(content, Parsing(Memo(store, write=False, remember=False)))  # `check`
    assert {path for path, _ in checked if "bulletins" in path.parts} == {role}  # the text edited, no other issue text


# ---------------------------------------------------------------- validated files kept between commands


def _counting_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders validated from now on (an issue's month, « registre »), in order."""
    from bulletin import validate

    validated: list[str] = []
    for name in ("validate_issue", "validate_citing", "validate_register"):
        real = getattr(validate, name)

        def counting(folder, *args, _real=real, **kwargs):
            validated.append(folder.name)
            return _real(folder, *args, **kwargs)

        monkeypatch.setattr(validate, name, counting)
    return validated


def test_each_file_is_validated_again_only_when_it_or_what_it_reads_changed(content, tmp_path, monkeypatch):
    from bulletin.memo import Parsing
    from bulletin.validate import load_edition

    add_december(content)
    store = tmp_path / "memo.pickle"
    building = Memo(store)
    built = load_edition(content, Parsing(building))
    building.save()
    validated = _counting_validations(monkeypatch)
    from bulletin import figures

    figured: list[str] = []  # the issues whose figures were computed to check what they published
    compute_issue = figures.compute_issue

    def computing(register, issue, timeline=None):
        figured.append(issue.mois)
        return compute_issue(register, issue, timeline)

    monkeypatch.setattr(figures, "compute_issue", computing)

    def checked() -> object:  # what `check` does: reads the build's store, keeps nothing new
        return load_edition(content, Parsing(Memo(store, write=False, remember=False)))

    assert checked() == built and validated == [] and figured == []  # read back whole, warnings and all
    assert built.warnings
    edit(content / "bulletins/2017-12/bulletin.yaml", "vaste réunion de consultation", "large réunion de consultation")
    changed = checked()
    assert validated == ["2017-12"]  # the issue edited, not November, not the register
    assert figured == ["2017-12"]  # and only its figures are computed again for the checks
    assert changed == load_edition(content) != built
    validated.clear()
    figured.clear()
    _hand_over_in_december(content)  # the register: every issue cites it
    again, seen = checked(), sorted(validated)
    assert seen == ["2017-11", "2017-12", "registre"] and again == load_edition(content)
    assert sorted(figured) == ["2017-11", "2017-11", "2017-12", "2017-12"]  # checked, then loaded afresh


def test_a_register_edit_validates_again_only_the_issues_that_read_what_changed(content, tmp_path, monkeypatch):
    """An issue's validation is kept under what it reads of the register: the fund and balance tables, the
    projects and contributions it names, and the lines of the projects its messages point to. A line
    added to the register moves every project below it, and their lines are in no issue's key but
    those of the projects a message points to; the result is always that of a validation afresh."""
    from bulletin.errors import ContentInvalid
    from bulletin.memo import Parsing
    from bulletin.validate import load_edition

    add_december(content)
    qip = content / "registre/projets/qip.yaml"
    # A project no issue names, at the end of the register.
    qip.write_text(
        qip.read_text(encoding="utf-8")
        + "\n- id: QIP-2017-09\n  fonds: qip\n  titre: Forage pastoral\n  regions: [gao]\n  lieux: [Gao]\n"
        "  secteur: eau\n  montant: 30000\n  sections: [Division des Affaires Civiles]\n  bailleurs: [MINUSMA]\n"
        "  jalons:\n    approbation: 2017-10-02\n",
        encoding="utf-8",
    )
    store = tmp_path / "memo.pickle"

    def loaded() -> object:  # a build: the store read and written back; the edition, or the problems
        memo = Memo(store)
        try:
            return load_edition(content, Parsing(memo))
        except ContentInvalid as exc:
            return exc.problems
        finally:
            memo.save()

    def afresh() -> object:
        try:
            return load_edition(content)
        except ContentInvalid as exc:
            return exc.problems

    assert loaded() == afresh()
    validated = _counting_validations(monkeypatch)

    def after(change: Callable[[], None]) -> list[str]:
        validated.clear()
        change()
        result, seen = loaded(), sorted(validated)
        assert result == afresh()
        return seen

    # The project no issue names: only the register is validated again.
    assert after(lambda: edit(qip, "titre: Forage pastoral", "titre: Forage pastoral à Gao")) == ["registre"]
    # A line above every project: none of their lines is in a key.
    assert after(lambda: qip.write_text("# Registre\n" + qip.read_text(encoding="utf-8"), encoding="utf-8")) == [
        "registre"
    ]
    # November's handover dated otherwise than in the register: its message points to the project's line.
    november = content / "bulletins/2017-11/bulletin.yaml"
    assert after(
        lambda: edit(november, "date: 2017-11-01\n      type: remise", "date: 2017-11-02\n      type: remise")
    ) == ["2017-11"]
    problems = loaded()
    assert isinstance(problems, (list, tuple))
    pointed = f"qip.yaml:{line_of(qip, '  jalons:')}"
    assert any(pointed in str(p) for p in problems)
    # Now a line added above moves what November's message points to: November is validated again.
    assert after(lambda: qip.write_text("# Projets\n" + qip.read_text(encoding="utf-8"), encoding="utf-8")) == [
        "2017-11",
        "registre",
    ]
    problems = loaded()
    assert isinstance(problems, (list, tuple))
    assert any(f"qip.yaml:{line_of(qip, '  jalons:')}" in str(p) for p in problems)
    assert not any(pointed in str(p) for p in problems)
    # A project named that the register lacks: the message suggests the nearest ids of the whole register.
    assert after(lambda: edit(november, "projet: QIP-2017-04", "projet: QIP-2017-77")) == ["2017-11"]
    assert after(lambda: edit(qip, "id: QIP-2017-09", "id: QIP-2017-78")) == ["2017-11", "registre"]
    problems = loaded()
    assert any("QIP-2017-77" in str(p) and "QIP-2017-78" in str(p) for p in problems)
    # A project both issues name: both are validated again.
    assert after(lambda: edit(qip, "remise: 2017-11-01", "remise: 2017-11-02")) == ["2017-11", "2017-12", "registre"]


def test_the_key_of_an_issues_figures_is_found_again_while_its_files_and_the_register_are_the_same(
    content, tmp_path, monkeypatch
):
    """The key of an issue's figures (the digest of their repr) is kept under what they are computed
    from: their repr is made again for the issue edited, and for every issue when the register changes."""
    from bulletin.figures import IssueFigures
    from bulletin.incremental import digest
    from bulletin.memo import Parsing
    from bulletin.pages import compute_all, figure_keys
    from bulletin.validate import load_edition

    add_december(content)
    store = tmp_path / "memo.pickle"

    def keys() -> tuple[str, ...]:
        memo = Memo(store)
        edition = load_edition(content, Parsing(memo))
        found = figure_keys(compute_all(edition, memo), memo, edition.empreintes)
        memo.save()
        assert set(edition.empreintes) == {"2017-11", "2017-12"}
        return found

    def afresh() -> tuple[str, ...]:
        return tuple(digest(repr(f)) for f in compute_all(load_edition(content)))

    assert keys() == afresh()
    described: list[str] = []
    real = IssueFigures.__repr__

    def counting(self: IssueFigures) -> str:
        described.append(self.issue.mois)
        return real(self)

    monkeypatch.setattr(IssueFigures, "__repr__", counting)

    def after(change: Callable[[], None]) -> list[str]:
        change()
        described.clear()
        found, seen = keys(), sorted(described)
        assert found == afresh()
        return seen

    assert after(lambda: None) == []
    december = content / "bulletins/2017-12/bulletin.yaml"
    assert after(lambda: edit(december, "vaste réunion de consultation", "large réunion de consultation")) == [
        "2017-12"
    ]
    assert after(lambda: _hand_over_in_december(content)) == ["2017-11", "2017-12"]


def test_a_register_kept_between_builds_finds_its_entries_by_id(content):
    from bulletin.validate import load_edition

    register = load_edition(content).register
    again = pickle.loads(pickle.dumps(register))
    assert again == register and again.projets_par_id == register.projets_par_id
    assert again.contributions_par_id == register.contributions_par_id and again.contributions_par_id
    assert again.premiers_montants == register.premiers_montants and again.premiers_montants
    project = register.projets[0]
    kept = pickle.loads(pickle.dumps(register)).lignes_projets[project.id]
    assert kept == register.lignes_projets[project.id] and dict(kept.champs) and kept.source.line


def test_a_rebuild_that_changes_no_page_keeps_the_search_index(content, cli, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    _build(cli, content, site, cache)
    entry = site / "pagefind/pagefind-entry.json"
    first = entry.stat().st_ino
    _build(cli, content, site, cache)  # nothing changed: the index of the generation in place, as it is
    assert entry.stat().st_ino == first
    _same_as_cold(cli, content, site, tmp_path)
    edit(content / "bulletins/2017-11/bulletin.yaml", "vaste réunion de consultation", "large réunion de consultation")
    _build(cli, content, site, cache)  # a page changed: indexed again
    assert entry.stat().st_ino != first
    _same_as_cold(cli, content, site, tmp_path / "again")


def test_a_build_computes_each_issues_figures_once(content, cli, tmp_path, monkeypatch):
    """The checks of the published figures, the pages, the open data and the PDFs read the same figures
    (Memo.get_same within a build): each issue's, in each language, is computed once."""
    from bulletin import figures

    computed: list[tuple[str, int]] = []
    compute_issue = figures.compute_issue

    def counting(register, issue, timeline=None):
        computed.append((issue.mois, id(register)))  # the English edition has a register of its own
        return compute_issue(register, issue, timeline)

    monkeypatch.setattr(figures, "compute_issue", counting)
    _build(cli, content, tmp_path / "site", tmp_path / "cache")
    months = {month for month, _ in computed}
    assert months and len(computed) == len(set(computed))
    assert len(computed) == 2 * len(months)  # the French edition and the English one


def test_a_rebuild_over_a_site_that_published_materials_search_leaves_it_out(content, cli, tmp_path, monkeypatch):
    """A rebuild takes what it did not write from the generation in place: the theme's files that the
    site no longer publishes (bulletin.plugin.MATERIAL_SEARCH) must not come back from it. An older
    version published them; its code was another, which is in the frame of every page."""
    from bulletin import plugin, site_build

    site, cache = tmp_path / "site", tmp_path / "cache"
    monkeypatch.setattr(plugin, "MATERIAL_SEARCH", ("assets/javascripts/aucun/",))
    monkeypatch.setattr(site_build, "code_digest", lambda: "une version plus ancienne")
    _build(cli, content, site, cache)
    assert (site / "assets/javascripts/lunr").is_dir()
    monkeypatch.undo()
    _build(cli, content, site, cache)
    assert not (site / "assets/javascripts/lunr").exists()
    _same_as_cold(cli, content, site, tmp_path)


def test_an_issues_figures_digest_the_same_in_every_process(content):
    """Pages are kept under a digest of their figures' repr (bulletin.pages.figure_keys): a set in the
    models, whose order changes with each process's hash seed, made every rebuild after a handover render
    every page again, twice as slow, while each test, in one process, saw nothing."""
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from bulletin.validate import load_edition; "
        "from bulletin.figures import compute_issue; from bulletin.pages import _figures_key; "
        "e = load_edition(Path(sys.argv[1])); print(_figures_key(compute_issue(e.register, e.issues[0])))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", script, str(content)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1, keys
