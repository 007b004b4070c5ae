"""Nothing an author types can make the build read, embed or publish a file from outside the content.

Each vector of issue 16 (items 1, 4 and 5) twice: `check` refuses it with a located French message,
so nothing is written; and the PDF engine alone (bulletin/pdf.py behind bulletin/sandbox.py) would
not embed it either, should a text ever reach it unchecked.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from bulletin import errors, sandbox
from bulletin.pdf import FetchFailed, write_pdf
from bulletin.print_build import PrintFailed, PrintJob, run_print

from .conftest import ISSUE, ROOT, edit, line_of

PASSWD = Path("/etc/passwd")
SECRET_LINE = "root:x:0:0"
SECRET_SIZE = (37, 23)  # no picture of the seed content has this size
QIP = "bulletins/2017-11/qip.md"
TEMPLATES = ROOT / "templates"
FIX = (
    "du texte : un texte contient des mots, des liens et des tableaux. Une photo se place dans le "
    "bloc « photo » d'une réunion, d'un événement ou d'une contribution (guide de l'auteur, « Une photo »)."
)
FIX_LA, FIX_LE = f"    → Retirez-la {FIX}", f"    → Retirez-le {FIX}"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A readable picture outside the content: what a hostile text would like to publish."""
    folder = tmp_path / "ailleurs"
    folder.mkdir()
    path = folder / "secret.png"
    Image.new("RGB", SECRET_SIZE, (200, 10, 10)).save(path, "PNG")
    return path


def deep(path: Path) -> str:
    """A relative path climbing to / from wherever it is read (issue folder or templates/print)."""
    return "../" * 40 + str(path).lstrip("/")


def vectors(secret: Path) -> dict[str, str]:
    return {
        "attachment": f'<a rel="attachment" href="{PASSWD.as_uri()}">annexe</a>',
        "img file://": f'<img src="{secret.as_uri()}" alt="x">',
        "img ../../": f'<img src="{deep(secret)}" alt="x">',
        "object": f'<object data="{secret.as_uri()}" type="image/png"></object>',
        "svg image": f'<svg width="40" height="30"><image href="{secret.as_uri()}" width="37" height="23"/></svg>',
        "link attachment": f'<link rel="attachment" href="{PASSWD.as_uri()}">',
        "style url": f'<span style="display: block; width: 37px; height: 23px; background: url({secret.as_uri()})">'
        "x</span>",
    }


def pdf_objects(data: bytes):
    """Every object reachable in the PDF (pages, forms, patterns, annotations, attached files)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    seen, todo = set(), [reader.trailer["/Root"]]
    while todo:
        obj = todo.pop()
        if isinstance(obj, pypdf.generic.IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, dict):
            yield obj
            todo.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, list):
            todo.extend(obj)


def pdf_images(data: bytes) -> list[tuple[int, int]]:
    """The size of every picture stored anywhere in the PDF."""
    return [(int(o["/Width"]), int(o["/Height"])) for o in pdf_objects(data) if o.get("/Subtype") == "/Image"]


def leaks(data: bytes) -> list[str]:
    """What of the secrets a PDF holds: the password file (in any stream, decompressed), the secret picture."""
    found = []
    streams = [o.get_data() for o in pdf_objects(data) if isinstance(o, pypdf.generic.StreamObject)]
    if any(SECRET_LINE.encode() in s for s in streams):
        found.append("passwd")
    if SECRET_SIZE in pdf_images(data):
        found.append("picture")
    return found


# --- the print engine alone ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["attachment", "img file://", "img ../../", "object", "svg image", "link attachment", "style url"]
)
def test_pdf_engine_embeds_nothing_from_outside(name, secret, tmp_path):
    html = f'<html lang="fr"><head><title>t</title></head><body><p>texte {vectors(secret)[name]}</p></body></html>'
    try:
        data = write_pdf(html, TEMPLATES / "print", (TEMPLATES, tmp_path / "content"))
    except FetchFailed as exc:  # refused outright: no PDF at all, and a French reason
        assert "est hors des dossiers que le PDF peut lire" in str(exc)
        return
    assert leaks(data) == []


def test_pdf_engine_still_reads_the_issue_folder_and_data_urls(secret, tmp_path):
    folder = tmp_path / "numero"
    folder.mkdir()
    Image.new("RGB", (41, 29), (0, 90, 0)).save(folder / "photo.png", "PNG")
    os.symlink(folder / "photo.png", folder / "lien.png")  # a link that stays inside is fine
    data_url = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    html = (
        f'<html lang="fr"><head><title>t</title></head><body><img src="{(folder / "photo.png").as_uri()}" alt="a">'
        f'<img src="{(folder / "lien.png").as_uri()}" alt="b"><img src="{data_url}" alt="c"></body></html>'
    )
    sizes = pdf_images(write_pdf(html, TEMPLATES / "print", (TEMPLATES, folder)))
    assert (41, 29) in sizes and (1, 1) in sizes


def test_pdf_engine_refuses_a_symlink_leading_out(secret, tmp_path):
    folder = tmp_path / "numero"
    folder.mkdir()
    os.symlink(secret, folder / "photo.png")
    html = f'<html lang="fr"><body><img src="{(folder / "photo.png").as_uri()}" alt="a"></body></html>'
    with pytest.raises(FetchFailed, match="numero/photo.png » est hors des dossiers que le PDF peut lire"):
        write_pdf(html, TEMPLATES / "print", (TEMPLATES, folder))


@pytest.mark.parametrize("where", ["outside", "missing"])
def test_a_file_the_print_cannot_read_is_a_french_error_not_a_traceback(where, secret, tmp_path):
    url = secret.as_uri() if where == "outside" else "absente.png"
    job = PrintJob(
        "bulletins/2017-11/bulletin-sr-2017-11.pdf",
        f'<html lang="fr"><body><img src="{url}"></body></html>',
        TEMPLATES / "print",
        tmp_path / "cache/x.pdf",
        (TEMPLATES,),
    )
    why = (
        "est hors des dossiers que le PDF peut lire (le dossier du numéro et templates/)"
        if where == "outside"
        else "est introuvable ou illisible"
    )
    shown = url if where == "outside" else (TEMPLATES / "print/absente.png").resolve().as_uri()
    with pytest.raises(PrintFailed) as caught:
        run_print((job,), workers=1)
    assert str(caught.value) == (
        f"le PDF bulletins/2017-11/bulletin-sr-2017-11.pdf n'a pas pu être produit : le "
        f"fichier « {shown} » {why} ; lancez « {errors.BUILD} check » pour savoir quel texte le "
        "demande. Le PDF précédent reste en place."
    )
    assert not job.cached.exists()


# --- check refuses, and the build writes nothing -----------------------------------------


def test_hostile_prose_is_refused_at_check_and_nothing_leaks(content, secret, cli, tmp_path):
    hostile = vectors(secret)
    qip = content / QIP
    qip.write_text(qip.read_text(encoding="utf-8") + "\n" + "\n\n".join(hostile.values()) + "\n", encoding="utf-8")
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site), "--cache-dir", str(tmp_path / "cache"))
    assert result.code == 1
    passwd, secret_uri = PASSWD.as_uri(), secret.as_uri()
    expected = {
        "attachment": f"la pièce jointe « {passwd} » désigne un fichier hors du dossier du texte",
        "img file://": f"l'image « {secret_uri} » désigne un fichier hors du dossier du texte",
        "img ../../": f"l'image « {deep(secret)} » désigne un fichier hors du dossier du texte",
        "object": f"le fichier appelé par <object> « {secret_uri} » désigne un fichier hors du dossier du texte",
        "svg image": f"l'image « {secret_uri} » désigne un fichier hors du dossier du texte",
        "link attachment": f"la pièce jointe « {passwd} » désigne un fichier hors du dossier du texte",
        "style url": f"le fichier appelé par un style « {secret_uri} » désigne un fichier hors du dossier du texte",
    }
    for name, what in expected.items():
        line = line_of(qip, hostile[name])
        fix = FIX_LE if what.startswith("le fichier") else FIX_LA
        assert f"qip.md:{line} — {what} : le bulletin ne lit rien ailleurs.\n{fix}" in result.err, name
    written = [p for folder in (site, tmp_path / "cache") if folder.exists() for p in folder.rglob("*") if p.is_file()]
    for path in written:
        data = path.read_bytes()
        assert SECRET_LINE.encode() not in data, path
        if path.suffix == ".pdf":
            assert leaks(data) == [], path


def test_remote_picture_and_stylesheet_in_prose_are_located_errors(content, cli):
    qip = content / QIP
    edit(
        qip,
        "Pour plus d'information",
        "![Carte](https://example.org/carte.png)\n\n"
        '<link rel="stylesheet" href="https://cdn.example.org/x.css">\n\nPour plus d\'information',
    )
    result = cli("check", "--content", str(content))
    assert result.code == 1
    remote = "est l'adresse d'un autre site : le site et le PDF ne chargent rien depuis un autre site."
    assert (
        f"qip.md:{line_of(qip, 'carte.png')} — l'image « https://example.org/carte.png » {remote}\n{FIX_LA}"
        in result.err
    )
    assert (
        f"qip.md:{line_of(qip, 'x.css')} — le fichier appelé par <link> « https://cdn.example.org/x.css » "
        f"{remote}\n{FIX_LE}"
    ) in result.err


def test_missing_and_present_pictures_in_prose_are_located_errors(content, cli):
    qip = content / QIP
    Image.new("RGB", (10, 10)).save(content / "bulletins/2017-11/carte.png", "PNG")
    edit(qip, "Pour plus d'information", "![Plan](plan-absent.png)\n\n![Carte](carte.png)\n\nPour plus d'information")
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert (
        f"qip.md:{line_of(qip, 'plan-absent.png')} — l'image « plan-absent.png » est introuvable dans le dossier "
        f"du texte.\n{FIX_LA}"
    ) in result.err
    assert (
        f"qip.md:{line_of(qip, '(carte.png)')} — l'image « carte.png » ne peut pas figurer dans un texte." in result.err
    )


def test_picture_in_a_yaml_text_is_located_at_its_field(content, cli):
    issue = content / ISSUE
    edit(
        issue,
        "      la Section S&R de la MINUSMA a organisé",
        "      <img src='file:///etc/passwd'> la Section S&R de la MINUSMA a organisé",
    )
    result = cli("check", "--content", str(content))
    assert result.code == 1
    line = line_of(issue, "<img src='file:///etc/passwd'>") - 1  # the line of « texte: >- »
    assert (
        f"bulletin.yaml:{line} — l'image « file:///etc/passwd » désigne un fichier hors du dossier du texte"
        in result.err
    )


def test_picture_in_a_work_plan_summary_is_refused(content, cli):
    summary = content / "plans/liptako-gourma-2024.md"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n![x](https://example.org/x.png)\n", encoding="utf-8")
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert (
        f"liptako-gourma-2024.md:{line_of(summary, 'example.org')} — l'image « https://example.org/x.png » "
        "est l'adresse d'un autre site"
    ) in result.err


# --- photo paths --------------------------------------------------------------------------

PHOTO = """      photo:
        fichier: {name}
        texte_alternatif: "Des femmes de Kidal devant des machines à coudre"
        legende: "Remise de 40 machines à coudre à Kidal"
        credit: "© MINUSMA/Harandane Dicko"
"""
ANCHOR = "    - id: qip-poules-bara\n"


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_photo_path_leaving_the_issue_folder_is_a_located_error(how, content, secret, cli, tmp_path):
    folder = content / "bulletins/2017-11"
    name = {"absolute": str(secret), "dotdot": "../../../ailleurs/secret.png", "symlink": "kidal.png"}[how]
    assert (folder / name).resolve() == secret.resolve() or how == "symlink"
    if how == "symlink":
        os.symlink(secret, folder / name)
    edit(content / ISSUE, ANCHOR, PHOTO.format(name=name) + ANCHOR)
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site), "--sans-pdf")
    assert result.code == 1
    if how == "symlink":  # a link out of the content is refused before anything is read
        assert leaving_message(f"bulletins/2017-11/{name}", secret) in result.err
        assert not site.exists()
        return
    line = line_of(content / ISSUE, f"fichier: {name}")
    assert (
        f"bulletin.yaml:{line} — « fichier » : la photo « {name} » est hors du dossier du numéro (chemin "
        "absolu, « .. » ou lien symbolique qui mène ailleurs) : le bulletin ne publie que les fichiers du numéro.\n"
        "    → Copiez la photo dans le dossier du numéro, à côté de bulletin.yaml, et écrivez seulement son nom : "
        "fichier: couture-kidal.jpg"
    ) in result.err
    assert not site.exists()


def test_photo_behind_a_symlink_inside_the_issue_is_accepted(content, cli):
    folder = content / "bulletins/2017-11"
    (folder / "photos").mkdir()
    Image.new("RGB", (1200, 800), (30, 90, 140)).save(folder / "photos/kidal.jpg", "JPEG")
    os.symlink(folder / "photos/kidal.jpg", folder / "kidal.jpg")
    edit(content / ISSUE, ANCHOR, PHOTO.format(name="kidal.jpg") + ANCHOR)
    result = cli("check", "--content", str(content))
    assert result.code == 0, result.err


# --- the pure parts -----------------------------------------------------------------------


def test_admit_serves_only_data_and_files_inside_the_roots(tmp_path, secret):
    root = sandbox.real(tmp_path / "racine")
    root.mkdir()
    (root / "a.css").write_text("p {}")
    os.symlink(secret, root / "dehors.png")
    assert sandbox.admit((root / "a.css").as_uri(), (root,)) == (root / "a.css").as_uri()
    assert sandbox.admit("data:text/plain,x", (root,)) == "data:text/plain,x"
    for url in [
        secret.as_uri(),
        (root / "dehors.png").as_uri(),
        (root / "../ailleurs/secret.png").as_uri(),
        "file://autre-machine" + str(root / "a.css"),
        "https://example.org/a.css",
        "ftp://x/y",
        "FILE:///etc/passwd",
        "file:///etc/%70asswd",
    ]:
        with pytest.raises(sandbox.Refused):
            sandbox.admit(url, (root,))


def test_resources_finds_every_fetching_element():
    html = (
        '<p><img src="a.png" srcset="b.png 1x, c.png 2x"><a href="lien.pdf">lien</a>'
        '<a rel="nofollow attachment" href="d.txt">d</a><object data="e.svg"></object><embed src="f.swf">'
        '<link rel="stylesheet" href="g.css"><base href="file:///"><video poster="h.png"></video>'
        '<svg><image xlink:href="i.png"/><use href="j.svg#x"/></svg><span style="background:url(\'k.png\')">'
        '</span><style>@import "l.css"; p { background: url(m.png) }</style></p>'
    )
    assert [(r.tag, r.url) for r in sandbox.resources(html)] == [
        ("img", "a.png"),
        ("img", "b.png"),
        ("img", "c.png"),
        ("attachment", "d.txt"),
        ("object", "e.svg"),
        ("embed", "f.swf"),
        ("link", "g.css"),
        ("base", "file:///"),
        ("video", "h.png"),
        ("image", "i.png"),
        ("use", "j.svg#x"),
        ("style", "k.png"),
        ("style", "l.css"),
        ("style", "m.png"),
    ]


def test_classify_says_where_an_address_points(tmp_path, secret):
    folder = tmp_path / "numero"
    folder.mkdir()
    (folder / "ici.png").write_bytes(b"x")
    os.symlink(secret, folder / "lien.png")
    assert [
        sandbox.classify(u, folder)
        for u in [
            "https://x/y.png",
            "//x/y.png",
            "file:///etc/passwd",
            "/etc/passwd",
            "../ailleurs/secret.png",
            "lien.png",
            "absent.png",
            "ici.png",
            "data:image/png;base64,AA==",
        ]
    ] == ["remote", "remote", "outside", "outside", "outside", "outside", "missing", "inside", "inside"]


# --- text files named in bulletin.yaml and work plans -------------------------------------


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../../../../../etc/passwd", "lien.md"])
def test_text_file_leaving_the_issue_folder_is_a_located_error(name, content, cli, tmp_path):
    issue = content / ISSUE
    if name == "lien.md":
        os.symlink(PASSWD, content / "bulletins/2017-11/lien.md")
    edit(issue, "role: role.md", f"role: {name}")
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site), "--sans-pdf")
    assert result.code == 1
    if name == "lien.md":  # a link out of the content is refused before anything is read
        assert leaving_message("bulletins/2017-11/lien.md", PASSWD) in result.err
        assert SECRET_LINE not in result.err and not site.exists()
        return
    assert (
        f"bulletin.yaml:{line_of(issue, f'role: {name}')} — « role » : le fichier « {name} » est hors du dossier "
        "du numéro (chemin absolu, « .. » ou lien symbolique qui mène ailleurs) : le bulletin ne lit rien ailleurs.\n"
        f"    → Placez le fichier dans le dossier du numéro et écrivez seulement son nom : role: {Path(name).name}"
    ) in result.err
    assert SECRET_LINE not in result.err and not site.exists()


def test_work_plan_summary_leaving_the_plans_folder_is_a_located_error(content, cli):
    plan = content / "plans/liptako-gourma-2024.yaml"
    edit(plan, "resume: liptako-gourma-2024.md", "resume: /etc/passwd")
    result = cli("check", "--content", str(content))
    assert result.code == 1
    assert (
        f"liptako-gourma-2024.yaml:{line_of(plan, 'resume: /etc/passwd')} — « resume » : le fichier « /etc/passwd » "
        "est hors du dossier des plans"
    ) in result.err


def test_new_issue_copies_no_file_from_outside_the_previous_issue(content, cli):
    os.symlink(PASSWD, content / "bulletins/2017-11/lien.md")
    edit(content / ISSUE, "role: role.md", "role: lien.md")
    result = cli("nouveau", "2017-12", "--content", str(content))
    december = content / "bulletins/2017-12"
    assert result.code == 0, result.err
    assert "role: lien.md" in (december / "bulletin.yaml").read_text(encoding="utf-8")
    assert not (december / "lien.md").exists()
    assert all(SECRET_LINE.encode() not in p.read_bytes() for p in december.rglob("*") if p.is_file())


# --- the static pages' folder, which MkDocs copies into the site ---------------------------


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_symlink_out_of_the_content_in_static_pages_is_refused(kind, content, cli, tmp_path):
    """MkDocs copies the content's pages/ (its docs_dir) into the site following links: a link to
    /etc/passwd there was published as is."""
    link = content / "pages" / ("notes.txt" if kind == "file" else "documents")
    os.symlink(PASSWD if kind == "file" else PASSWD.parent, link)
    site = tmp_path / "site"
    result = cli("--content", str(content), "--site-dir", str(site), "--sans-pdf")
    assert result.code == 1
    target = PASSWD if kind == "file" else PASSWD.parent
    assert leaving_message(f"pages/{link.name}", target) in result.err
    assert not site.exists()


def leaving_message(where: str, target: Path) -> str:
    return (
        f"{where} — ce lien symbolique mène à « {target.resolve()} », hors du dossier de contenu : le site ne lit "
        "et ne publie que les fichiers du contenu.\n    → Remplacez le lien par une copie du fichier dans le "
        "dossier, ou supprimez-le."
    )


# A file the build reads (not only what MkDocs copies) moved out of the content and linked back: read
# through the link, another folder's settings or register would have had its values published.
READ_THROUGH = ["reglages.yaml", "bulletins/2017-11/bulletin.yaml", "bulletins/2017-11/role.md", "registre", "identite"]


@pytest.mark.parametrize("moved", READ_THROUGH)
@pytest.mark.parametrize("command", ["check", "build", "pdf"])
def test_any_link_out_of_the_content_is_refused_before_anything_is_read(moved, command, content, cli, tmp_path):
    elsewhere = tmp_path / "ailleurs" / Path(moved).name
    elsewhere.parent.mkdir()
    (content / moved).rename(elsewhere)
    os.symlink(elsewhere, content / moved)
    if elsewhere.is_file():  # a value only the file elsewhere holds: no message may quote it
        with elsewhere.open("a", encoding="utf-8") as f:
            f.write("\nsecret_d_ailleurs: 12\n" if elsewhere.suffix == ".yaml" else "\nsecret_d_ailleurs\n")
    site = tmp_path / "site"
    args = {"check": ["check"], "build": ["--sans-pdf"], "pdf": ["pdf", "2017-11"]}[command]
    result = cli(*args, "--content", str(content), "--site-dir", str(site))
    assert result.code == 1
    assert leaving_message(moved, elsewhere) in result.err
    assert "secret_d_ailleurs" not in result.err + result.out
    assert not site.exists()


def test_links_inside_the_content_are_accepted(content, cli):
    (content / "reglages.yaml").rename(content / "reglages-2017.yaml")
    os.symlink("reglages-2017.yaml", content / "reglages.yaml")
    (content / "registre").rename(content / "registre-2017")
    os.symlink(content / "registre-2017", content / "registre")
    result = cli("check", "--content", str(content))
    assert result.code == 0, result.err


def test_pdf_is_stopped_only_by_links_out_of_what_it_prints(content, cli, tmp_path):
    """`pdf` reads the settings, the register, the logo, the list of published issues and its issue
    (bulletin.validate): a link out of a fixed page stops the build and `check`, not the print."""
    os.symlink(PASSWD, content / "pages/notes.txt")
    assert cli("check", "--content", str(content)).code == 1
    printed = cli("pdf", "2017-11", "--content", str(content), "--site-dir", str(tmp_path / "site"))
    assert printed.code == 0, printed.err
    assert "lien symbolique" not in printed.err


def test_links_leaving_follows_inner_links_and_survives_loops(tmp_path, secret):
    root = tmp_path / "content"
    (root / "pages/sous").mkdir(parents=True)
    os.symlink(root / "pages", root / "pages/sous/boucle")  # a loop, inside: fine
    os.symlink(root / "pages/sous", root / "pages/interne")  # inside: fine
    os.symlink(secret, root / "pages/sous/secret.png")  # out: reported once
    assert sandbox.links_leaving(root / "pages", root) == [(root / "pages/sous/secret.png", secret.resolve())]


@pytest.mark.parametrize("moved", ["reglages.yaml", "registre"])
@pytest.mark.parametrize("command", ["exporter", "modele"])
def test_the_spreadsheet_commands_refuse_a_link_out_of_the_content(moved, command, content, cli, tmp_path):
    """The export read the settings and the register through a link that leaves the content, and would
    have copied another folder's register into the spreadsheet it writes; the template read the mapping."""
    elsewhere = tmp_path / "ailleurs" / Path(moved).name
    elsewhere.parent.mkdir()
    (content / moved).rename(elsewhere)
    os.symlink(elsewhere, content / moved)
    book = tmp_path / "registre.xlsx"
    args = ["exporter", str(book)] if command == "exporter" else ["importer", "--modele", str(book)]
    result = cli(*args, "--content", str(content))
    assert result.code == 1
    assert leaving_message(moved, elsewhere) in result.err
    assert not book.exists()
