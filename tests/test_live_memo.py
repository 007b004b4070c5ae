"""The preview's store (a Memo that lives on between saves): what it holds from one save to the next gives
exactly what a validation and a computation from nothing give, and is let go of when its inputs change."""

from __future__ import annotations

import os
from pathlib import Path

from bulletin.errors import ContentInvalid
from bulletin.incremental import digest, files_digest
from bulletin.memo import Memo, Parsing
from bulletin.pages import compute_all, figure_keys
from bulletin.pages_en import english
from bulletin.validate import load_edition
from tests.conftest import add_december, edit, translate


def _fresh(content: Path):  # type: ignore[no-untyped-def]
    return load_edition(content, Parsing(Memo(None)))


def _unpublished(content: Path) -> Path:
    """The seed without its publication record: a handover moved in the register may move its figures."""
    (content / "bulletins/2017-11/publie.yaml").unlink(missing_ok=True)
    return content


def _hand_over_in_december(content: Path) -> None:
    """A project of the register handed over in December (after the November issue: no event cites it)."""
    register = content / "registre/projets/qip.yaml"
    text = register.read_text(encoding="utf-8")
    first = text[text.index("- id: QIP-2017-01") : text.index("- id: QIP-2017-02")]
    added = first.replace("QIP-2017-01", "QIP-2017-99").replace("remise: 2017-11-01", "remise: 2017-12-05")
    register.write_text(text + "\n" + added, encoding="utf-8")


def _preview_store(tmp_path: Path) -> Memo:
    return Memo(tmp_path / "absent" / "memo.pickle", write=False, lives_on=True)


def test_each_save_loads_what_a_load_from_nothing_loads(content: Path, tmp_path: Path) -> None:
    add_december(_unpublished(content))
    _hand_over_in_december(content)
    memo = _preview_store(tmp_path)
    first = load_edition(content, Parsing(memo))
    assert first == _fresh(content)
    saves = [
        (content / "bulletins/2017-12/remerciements.md", "Merci à tous", "Merci encore à tous"),
        (content / "registre/projets/qip.yaml", "remise: 2017-12-05", "remise: 2017-12-07"),
        (content / "reglages.yaml", "devise_par_defaut: USD", "devise_par_defaut: USD  # inchangée"),
    ]
    for path, old, new in saves:
        memo.next_build()
        edit(path, old, new)
        again = load_edition(content, Parsing(memo))
        fresh = _fresh(content)
        assert again == fresh, path.name
        # The lines messages point to are not part of the register's value: compared apart.
        assert dict(again.register.lignes_projets) == dict(fresh.register.lignes_projets), path.name
    # Nothing changed: the register and every issue are the very objects of the previous save.
    memo.next_build()
    same = load_edition(content, Parsing(memo))
    assert same.register is again.register
    assert all(a is b for a, b in zip(same.issues, again.issues, strict=True))
    assert same.warnings == again.warnings


def test_a_save_that_breaks_an_issue_is_reported_and_its_repair_loads_again(content: Path, tmp_path: Path) -> None:
    memo = _preview_store(tmp_path)
    load_edition(content, Parsing(memo))
    issue = content / "bulletins/2017-11/bulletin.yaml"
    good = issue.read_text(encoding="utf-8")
    memo.next_build()
    issue.write_text(good.replace("mois: 2017-11", "mois: 2017-13"), encoding="utf-8")
    try:
        load_edition(content, Parsing(memo))
    except ContentInvalid as exc:
        assert any("mois" in p.field for p in exc.problems)
    else:
        raise AssertionError("an impossible month was accepted from the preview's store")
    memo.next_build()
    issue.write_text(good, encoding="utf-8")
    assert load_edition(content, Parsing(memo)) == _fresh(content)


def test_the_figures_found_again_are_those_computed_afresh(content: Path, tmp_path: Path) -> None:
    add_december(_unpublished(content))
    translate(content)
    memo = _preview_store(tmp_path)
    edition = load_edition(content, Parsing(memo))
    figures = compute_all(edition, memo)
    memo.next_build()
    _hand_over_in_december(content)
    edition = load_edition(content, Parsing(memo))
    kept, afresh = compute_all(edition, memo), compute_all(edition)
    assert kept == afresh and kept != figures  # the handover moved: the figures moved with it
    # November's figures come out the same: the very object of the last save (what was computed from it,
    # its key, its pages, is found again); December's, which count the handover, are new.
    assert [f.issue.mois for f in kept] == ["2017-11", "2017-12"]
    assert kept[0] is figures[0] and kept[1] is not figures[1]
    assert figure_keys(kept, memo) == figure_keys(afresh)
    assert english(edition, memo) == english(edition)


def test_what_a_kept_validation_read_stays_kept_for_the_save_after(content: Path, tmp_path: Path) -> None:
    """The register's parsed items are read only when the register is validated again: a save of an
    issue must not let them go, or the next edit of the register would parse it all again."""
    memo = _preview_store(tmp_path)
    load_edition(content, Parsing(memo))
    register = digest("register", "USD", files_digest(content / "registre"))
    read = memo._live_new[register][1]
    assert read and read <= set(memo._new)
    for text in ("Merci à tous", "partenaires"):
        memo.next_build()
        edit(content / "bulletins/2017-11/remerciements.md", text, text + " !")
        load_edition(content, Parsing(memo))
        assert read <= set(memo._new)


def test_identity_is_only_trusted_while_the_inputs_are_held(tmp_path: Path) -> None:
    memo = _preview_store(tmp_path)
    first, second = [1], [1]
    assert memo.get_same("t", (first,), lambda: "a") == "a"
    assert memo.get_same("t", (first,), lambda: "b") == "a"  # the very same object: found again
    assert memo.get_same("u", (first,), lambda: "f") == "f"  # another computation from it
    assert memo.get_same("t", (second,), lambda: "c") == "c"  # an equal object is another input
    memo.next_build()
    memo.next_build()  # not used for a whole build: let go of
    assert memo.get_same("t", (first,), lambda: "d") == "d"
    assert Memo(None).get_same("t", (first,), lambda: "e") == "e"  # a store that does not live on keeps nothing


def test_the_digest_of_a_folder_sees_bytes_names_and_where_links_lead(tmp_path: Path) -> None:
    folder = tmp_path / "numero"
    folder.mkdir()
    (folder / "a.md").write_text("texte", encoding="utf-8")
    (tmp_path / "dehors.md").write_text("texte", encoding="utf-8")
    (tmp_path / "ailleurs.md").write_text("texte", encoding="utf-8")
    seen = {files_digest(folder)}
    (folder / "a.md").write_text("texte modifié", encoding="utf-8")
    seen.add(files_digest(folder))
    (folder / "a.md").rename(folder / "b.md")
    seen.add(files_digest(folder))
    os.symlink(tmp_path / "dehors.md", folder / "lien.md")
    seen.add(files_digest(folder))
    (folder / "lien.md").unlink()
    os.symlink(tmp_path / "ailleurs.md", folder / "lien.md")  # the same bytes, elsewhere
    seen.add(files_digest(folder))
    assert len(seen) == 5
    assert files_digest(folder) == files_digest(folder)


def _long_register(content: Path, count: int = 260) -> Path:
    """A register file long enough to be parsed item by item (bulletin.load.SPLIT_FROM), of projects
    approved after the seed's issues (their figures do not move)."""
    path = content / "registre/projets/suite.yaml"
    path.write_text(
        "".join(
            f"- id: QIP-2018-{n:03d}\n  fonds: qip\n  titre: Projet {n}\n  regions: [gao]\n  secteur: agriculture\n"
            f"  montant: {10000 + n}\n  bailleurs: [MINUSMA]\n  jalons:\n    approbation: 2018-02-01\n\n"
            for n in range(count)
        ),
        encoding="utf-8",
    )
    return path


def test_a_project_saved_keeps_the_others_as_they_were_at_their_new_lines(content: Path, tmp_path: Path) -> None:
    """A handover saved in a long register adds a line to one project: the others are the very objects
    of the last save (all that was computed from them is found again), their lines those of the file."""
    path = _long_register(content)
    memo = _preview_store(tmp_path)
    edition = load_edition(content, Parsing(memo))
    first = edition.register
    compute_all(edition, memo)  # each project's part of the register's index held (timeline.Entry)
    memo.next_build()
    edit(path, "QIP-2018-005\n", "QIP-2018-005\n  note: remis en avance\n")
    again = load_edition(content, Parsing(memo))
    fresh = _fresh(content)
    assert again == fresh and dict(again.register.lignes_projets) == dict(fresh.register.lignes_projets)
    assert compute_all(again, memo) == compute_all(fresh)
    ids = [f"QIP-2018-{n:03d}" for n in range(260)]
    same = [i for i in ids if again.register.project(i) is first.project(i)]
    assert same == [i for i in ids if i != "QIP-2018-005"]
    moved = again.register.where("QIP-2018-200", "montant")
    assert moved.line == first.where("QIP-2018-200", "montant").line + 1  # one line further down
    assert path.read_text(encoding="utf-8").splitlines()[moved.line - 1].strip().startswith("montant:")


def test_a_project_with_an_error_is_reported_again_at_each_save_at_its_line(content: Path, tmp_path: Path) -> None:
    """What a project with a problem gave is not held: the next save reports it again, where it now is."""
    path = _long_register(content)
    edit(
        path,
        "regions: [gao]\n  secteur: agriculture\n  montant: 10210",
        "regions: [nulle-part]\n  secteur: agriculture\n  montant: 10210",
    )
    memo = _preview_store(tmp_path)
    lines = []
    for save in range(2):
        if save:
            memo.next_build()
            edit(path, "QIP-2018-001\n", "QIP-2018-001\n  note: une ligne de plus\n")
        try:
            load_edition(content, Parsing(memo))
        except ContentInvalid as exc:
            found = [p for p in exc.problems if "nulle-part" in p.what]
            assert len(found) == 1, exc.problems
            lines.append(found[0].source.line)
        else:
            raise AssertionError("an unknown region was accepted")
    text = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == lines[0] + 1 and "nulle-part" in text[lines[1] - 1]


def test_a_value_equal_to_the_last_builds_is_that_very_object(tmp_path: Path) -> None:
    """Memo.same_as_before: what lets the figures and region views of a save be found again by identity."""
    memo = _preview_store(tmp_path)
    first = memo.same_as_before("k", [1, 2])
    memo.next_build()
    again = memo.same_as_before("k", [1, 2])
    assert again is first  # equal: the held object
    memo.next_build()
    other = memo.same_as_before("k", [1, 3])
    assert other == [1, 3] and other is not first  # changed: the new one, held from now on
    memo.next_build()
    assert memo.same_as_before("k", [1, 3]) is other
    memo.next_build()
    memo.next_build()  # not used for a whole build: let go of
    assert memo.same_as_before("k", [1, 3]) is not other
    plain = [1, 3]
    assert Memo(None).same_as_before("k", plain) is plain  # a store that does not live on holds nothing


def test_after_a_handover_only_its_regions_view_is_digested_again(content: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bulletin import pages
    from tests.conftest import ROOT

    add_december(_unpublished(content))
    memo = _preview_store(tmp_path)
    digested: list[str] = []
    real = pages._view_key
    monkeypatch.setattr(pages, "_view_key", lambda view, memo: digested.append(view.code) or real(view, memo))

    def pages_now() -> dict[str, str]:
        edition = load_edition(content, Parsing(memo))
        made = pages.render_pages(edition, ROOT / "templates", memo=memo)
        memo.next_build()
        return {p.uri: p.html for p in made}

    pages_now()
    regions = sorted(set(digested))
    assert len(regions) > 2
    digested.clear()
    _hand_over_in_december(content)  # a project of Kidal, handed over in December
    kept = pages_now()
    assert digested == ["kidal"]
    fresh = {p.uri: p.html for p in pages.render_pages(_fresh(content), ROOT / "templates")}
    assert kept == fresh


def test_the_english_projects_a_save_did_not_touch_are_those_of_the_last_save(content: Path, tmp_path: Path) -> None:
    from bulletin.language import edition_in

    add_december(_unpublished(content))
    translate(content)
    path = _long_register(content)  # long enough for its projects to be held from one save to the next
    memo = _preview_store(tmp_path)
    before = edition_in(load_edition(content, Parsing(memo)), "en", memo).register
    memo.next_build()
    edit(path, "QIP-2018-005\n", "QIP-2018-005\n  note: remis en avance\n")
    after = edition_in(load_edition(content, Parsing(memo)), "en", memo).register
    assert after == edition_in(_fresh(content), "en").register  # as translated from nothing
    held = [i for i in (f"QIP-2018-{n:03d}" for n in range(260)) if after.project(i) is before.project(i)]
    assert len(held) == 259 and "QIP-2018-005" not in held  # the same translations, found again
    memo.next_build()
    edit(content / "registre/references.yaml", "Allemagne: Germany", "Allemagne: Federal Republic of Germany")
    renamed = edition_in(load_edition(content, Parsing(memo)), "en", memo).register
    assert renamed == edition_in(_fresh(content), "en").register  # another donor's name: translated again
    assert not any(renamed.project(p.id) is p for p in after.projets)


def test_a_registers_amount_changed_is_checked_again_against_the_amount_typed_in_the_issue(
    content: Path, tmp_path: Path
) -> None:
    """The preview checks an issue's typed amounts again only when an amount they name changed: it must,
    for a contribution too (whose amount the issue's own validation does not read)."""
    _unpublished(content)
    issue = content / "bulletins/2017-11/bulletin.yaml"
    edit(issue, "d'un montant de {{ projet.montant }} au", "d'un montant de 48 269 dollars américains au")
    edit(issue, "{{ contribution.montant_millions }}", "4 100 000 dollars américains")
    memo = _preview_store(tmp_path)
    saves = [
        (None, "", ""),
        ("registre/projets/qip.yaml", "montant: 48269", "montant: 48270"),
        ("registre/projets/qip.yaml", "montant: 48270", "montant: 48269"),
        ("registre/contributions.yaml", "montant: 4100000", "montant: 4200000"),
        ("registre/contributions.yaml", "montant: 4200000", "montant: 4100000"),
    ]
    warned = []
    for path, old, new in saves:
        if path:
            memo.next_build()
            edit(content / path, old, new)
        edition = load_edition(content, Parsing(memo))
        named = [p.what for p in edition.warnings if p.field == "texte" and "CONTRIB-2017-SUEDE" in p.what]
        named += [p.what for p in edition.warnings if p.field == "texte" and "« QIP-2017-01 »" in p.what]
        warned.append(len(named))
        assert edition.warnings == _fresh(content).warnings
    assert warned == [0, 1, 0, 1, 0]
