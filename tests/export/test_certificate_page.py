"""The certificate as a reader sees it: the page rendered to PNG with pdfium, its text
extracted with where each line lies, and what it must (and must not) say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from peerskole.export.certificate import Certificate, ModuleLine, render_pdf
from tests.conftest import import_or_unavailable
from tests.export.conftest import World, run_cli

pdfium = import_or_unavailable(
    "pypdfium2", "pypdfium2 (the test extra) renders certificates: pip install -e '.[test]'"
)
Image = import_or_unavailable("PIL.Image", "Pillow (with fpdf2) reads the rendered page")

MM: float = 72 / 25.4
"""PDF points in a millimetre."""
Box = tuple[float, float, float, float]
"""left, bottom, right, top in PDF points (origin at the bottom left)."""


@dataclass
class Page:
    """One rendered page: its text, its size and where its text lies."""

    text: str
    width: float
    height: float
    lines: list[Box]
    """pdfium's rectangles of text, one a run of text on a line."""
    images: int
    png: Any
    """The page as a PIL image, rendered at 2x."""
    textpage: Any

    def box(self, text: str) -> Box:
        """Where ``text`` first occurs on the page."""
        found = self.textpage.search(text).get_next()
        assert found is not None, f"{text!r} is not on the page"
        start, count = found
        boxes = [self.textpage.get_charbox(i) for i in range(start, start + count)]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


def rendered(data: bytes, png: Path) -> Page:
    """The PDF's one page, rendered to ``png`` and read back."""
    document = pdfium.PdfDocument(data)
    assert len(document) == 1
    page = document[0]
    width, height = page.get_size()
    image = page.render(scale=2).to_pil()
    image.save(png)
    textpage = page.get_textpage()
    lines = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    images = sum(1 for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    return Page(textpage.get_text_range(), width, height, lines, images,
                Image.open(png), textpage)


def ink_rows(image: Any) -> list[int]:
    """The pixel rows of an image with anything darker than light grey on them."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    # Inside the frame only: the frame itself runs the height of the page.
    left, right = int(width * 0.1), int(width * 0.9)
    return [y for y in range(int(height * 0.05), int(height * 0.95))
            if any(pixels[x, y] < 160 for x in range(left, right, 2))]


def assert_within_the_frame_and_apart(page: Page) -> None:
    """No text past the frame (12 mm from the edge), and no two runs of text overlapping."""
    frame = 14 * MM  # the inner frame line
    for left, bottom, right, top in page.lines:
        assert left >= frame and right <= page.width - frame, (left, right)
        assert bottom >= frame and top <= page.height - frame, (bottom, top)
    for i, a in enumerate(page.lines):
        for b in page.lines[i + 1:]:
            across = min(a[2], b[2]) - max(a[0], b[0])
            up = min(a[3], b[3]) - max(a[1], b[1])
            assert across <= 0.5 or up <= 0.5, f"text overlaps: {a} and {b}"


def test_certificate_on_the_page(world: World, tmp_path: Path) -> None:
    assert run_cli("settings", "set", "organisation", "Recovery-skolen Ærøskøbing") == 0
    assert run_cli("settings", "set", "certificate_signer", "Mette Holm, forstander") == 0
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", world.done, "mini", "-o", str(out)) == 0
    page = rendered(out.read_bytes(), tmp_path / "bevis.png")
    assert (tmp_path / "bevis.png").read_bytes().startswith(b"\x89PNG")
    assert page.png.size == (round(page.width * 2), round(page.height * 2))
    from tests.export.test_certificate import danish_date

    for expected in ("Kursusbevis", "Ærø Åse", "Minikursus", "version 1.0",
                     "gennemført " + danish_date("2026-03-02T08:30:00+00:00"),
                     "Første modul", danish_date("2026-03-01T10:00:00+00:00"),
                     "Andet modul", "Kende forskel på at lytte og at rådgive.", "Øve.",
                     "Samlet tid: 13 min", "Udstedt af Recovery-skolen Ærøskøbing den",
                     "Mette Holm, forstander", "Bevis-id: "):
        assert expected in page.text, expected
    assert "2026-03" not in page.text  # every date in words, the Danish way
    assert "koordinator" not in page.text

    # Laid out to fill the page: the title near the top, the id near the foot, and the
    # body spread between them (its last line below the middle), in ink on the PNG too.
    assert max(top for _, _, _, top in page.lines) > page.height * 0.8
    assert min(bottom for _, bottom, _, _ in page.lines) < page.height / 3
    assert page.box("Samlet tid")[1] < page.height / 2
    rows = ink_rows(page.png)
    image_height = page.png.size[1]
    thirds = [sum(1 for y in rows if k * image_height / 3 <= y < (k + 1) * image_height / 3)
              for k in range(3)]
    assert all(thirds), thirds  # ink in each third of the page: no empty half
    assert_within_the_frame_and_apart(page)


def test_a_module_recorded_by_a_coordinator_is_completed_like_any_other(
    world: World, tmp_path: Path
) -> None:
    # Cai's first module was recorded by a coordinator; the second he does in the app.
    from peerskole.store.base import StepUpdate
    from peerskole.store.opening import open_store

    store = open_store()
    store.update_step(world.manual, "mini", "1.0", "second", "read",
                      StepUpdate(facts={"opened": True}, add_seconds=600, done=True))
    store.close()
    out = tmp_path / "cai.pdf"
    assert run_cli("certificate", world.manual, "mini", "-o", str(out),
                   "--organisation", "Skolen") == 0
    page = rendered(out.read_bytes(), tmp_path / "cai.png")
    assert "Første modul" in page.text and "1. februar 2026" in page.text
    assert "registreret af koordinator" not in page.text
    # The time of the module done on paper is unknown: a total would understate the work.
    assert "Samlet tid" not in page.text


def test_statement_of_participation(world: World, tmp_path: Path) -> None:
    out = tmp_path / "deltagelse.pdf"
    assert run_cli("certificate", world.manual, "mini", "--participation", "-o", str(out),
                   "--organisation", "Skolen") == 0
    page = rendered(out.read_bytes(), tmp_path / "deltagelse.png")
    for expected in ("Deltagelsesbevis", "Dette er ikke et kursusbevis", "Cai", "Minikursus",
                     "Første modul", "1. februar 2026", "1 af 2 moduler gennemført"):
        assert expected in page.text, expected
    assert "Andet modul" not in page.text  # what was completed, only
    assert "Kursusbevis" not in page.text
    assert page.box("Deltagelsesbevis")[1] > page.height * 0.75  # its title, at the top
    assert_within_the_frame_and_apart(page)


def test_english_course(world: World, store: Any, tmp_path: Path) -> None:
    from peerskole.export.certificate import certificate_for
    from peerskole.export.records import course_report

    manifest = world.course.manifest.model_copy(update={"language": "en"})
    course = world.course.model_copy(update={"manifest": manifest})
    report = course_report(course, store.step_records(world.done, "mini"))
    facts = certificate_for(store.learner(world.done), report, "The School",
                            dt.date(2026, 11, 6))
    page = rendered(render_pdf(facts), tmp_path / "en.png")
    for expected in ("Certificate of completion", "Issued by The School on 6 November 2026",
                     "Total time: 13 min", "Modules and learning goals"):
        assert expected in page.text, expected
    assert "november" not in page.text


def _long_certificate(modules: int) -> Certificate:
    lines = tuple(
        ModuleLine(f"m{i}", f"Modul {i}: " + "at lytte, at støtte og at dele egne erfaringer "
                   * (3 if i % 2 else 1), "2026-11-06", False,
                   ("Kende forskel på at lytte og at rådgive i en samtale med en person i krise.",
                    "Kunne bruge egne erfaringer med omtanke og respekt for den andens grænser."))
        for i in range(modules)
    )
    return Certificate(
        "408f6d5a-351f-5cc6-81a3-867613f1a228", "abc", "Ærø Åse Kristiansen-Bjørnholm " * 3,
        "kursus", "Peer-grundforløb: at støtte andre med egne erfaringer " * 3, "1.0",
        "Et kursus om at lytte, støtte og bruge egne erfaringer. " * 6, "da", lines, 12 * 60,
        "2026-11-06T10:00:00+00:00", "Recovery-skolen Ærøskøbing " * 3, "2026-11-06",
        course_modules=modules, signer="Mette Holm, forstander",
    )


def _logo() -> bytes:
    image = Image.new("RGB", (600, 200), (30, 80, 140))
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


@pytest.mark.parametrize("modules", [12, 40])
def test_many_modules_with_long_titles_stay_on_the_page(modules: int, tmp_path: Path) -> None:
    page = rendered(render_pdf(_long_certificate(modules), _logo()), tmp_path / "long.png")
    assert page.images == 1
    assert_within_the_frame_and_apart(page)
    # Each module, the completion and the issue.
    assert page.text.count("6. november 2026") == modules + 2
    assert "Modul 0:" in page.text and f"Modul {modules - 1}:" in page.text
    assert "Bevis-id: 408f6d5a-351f-5cc6-81a3-867613f1a228" in page.text
    # The last module sits above the footer, not in it.
    assert page.box(f"Modul {modules - 1}:")[1] > page.box("Udstedt af")[3]


def test_goals_give_way_to_the_course_description_when_they_do_not_fit(tmp_path: Path) -> None:
    few = rendered(render_pdf(_long_certificate(3)), tmp_path / "few.png")
    assert "Kende forskel" in few.text and "Kurset omfatter" not in few.text
    many = rendered(render_pdf(_long_certificate(12)), tmp_path / "many.png")
    assert "Kurset omfatter: Et kursus om at lytte" in many.text
    assert "Kende forskel" not in many.text


def test_logo_from_the_setting(world: World, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_logo())
    assert run_cli("settings", "set", "certificate_logo", str(logo)) == 0
    out = tmp_path / "bevis.pdf"
    assert run_cli("certificate", world.done, "mini", "-o", str(out), "--organisation", "O") == 0
    page = rendered(out.read_bytes(), tmp_path / "bevis.png")
    assert page.images == 1
    assert page.box("Kursusbevis")[1] > page.height * 0.6
    jpeg = tmp_path / "logo.jpg"
    Image.new("RGB", (100, 100), (200, 30, 30)).save(jpeg, "JPEG")
    assert run_cli("settings", "set", "certificate_logo", str(jpeg)) == 0
    capsys.readouterr()

    # A logo that went missing, or is not an image, or is damaged: a sentence, no PDF.
    text_file = tmp_path / "notes.txt"
    text_file.write_text("ikke et billede", encoding="utf-8")
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(_logo()[:60])
    for path, said in ((tmp_path / "gone.png", "does not exist"),
                       (text_file, "is not a PNG or JPEG image"),
                       (damaged, "is a damaged image"), (tmp_path, "is a folder")):
        assert run_cli("settings", "set", "certificate_logo", str(path)) == 1
        err = capsys.readouterr().err
        assert said in err and str(path) in err and "Traceback" not in err, err
        assert "peerskole settings set certificate_logo" in err

    from peerskole.store.opening import open_store

    store = open_store()
    store.set_setting("", "certificate_logo", str(tmp_path / "gone.png"))  # moved since
    store.close()
    again = tmp_path / "again.pdf"
    assert run_cli("certificate", world.done, "mini", "-o", str(again),
                   "--organisation", "O") == 1
    assert "does not exist" in capsys.readouterr().err
    assert not again.exists()


def test_page_is_the_same_when_issued_again(world: World, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (first, second):
        assert run_cli("certificate", world.done, "mini", "-o", str(out),
                       "--organisation", "O") == 0
    assert first.read_bytes() == second.read_bytes()


def test_replace_keeps_certificate_fields() -> None:
    # The Open Badge reads these fields; a rename would break it quietly.
    names = {f.name for f in dataclasses.fields(Certificate)}
    assert {"certificate_id", "learner_name", "course_title", "course_version", "modules",
            "organisation", "completed_at", "course_description", "language"} <= names
