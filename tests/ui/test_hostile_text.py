"""Course text and learner names are shown as text: no Rich markup, no links, no escapes.

A course file is written by someone else, and a learner name by anyone at the
keyboard. Whatever they contain must reach the screen as the characters they
are: ``[link=http://evil]`` shows its brackets and makes no link, ``[red]``
colours nothing. The loader already refuses control characters in course files
(tests/broken-courses/control-characters); names are checked where they are typed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.widgets import Input, Static

from peerskole.store.sqlite import SQLiteStore
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.learner import LearnerScreen
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.textual_compat import notifications
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import SIZE, make_app, open_step, start_as_new_learner, wait_for_workers

# Each payload is one word with no spaces, so a wrapped line never splits it.
LINK = "[link=http://evil.example]klikher[/link]"
RED = "[red]rødtekst[/red]"
BOLD = "[b]fedtekst[/b]"
PAYLOADS = {"klikher": LINK, "rødtekst": RED, "fedtekst": BOLD}
"""Visible word → the markup around it that must show as typed."""

ALL = f"{LINK} {RED} {BOLD}"
SHORT = RED  # for titles shown in narrow places (the step list is 30 columns)


def hostile_course(tmp_path: Path) -> Path:
    """The sample course with markup in every kind of text a trainee sees."""
    course = tmp_path / "hostile"
    shutil.copytree(SAMPLE_COURSE, course)
    manifest = course / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('title = "Minikursus"', f'title = "Minikursus {SHORT}"')
    text = text.replace('name = "Din underviser"', f'name = "Din underviser {ALL}"')
    text = text.replace('note = "Ved akut fare for liv."', f'note = "Ved akut fare {ALL}"')
    manifest.write_text(text, encoding="utf-8")
    first = course / "modules" / "01-first.toml"
    text = first.read_text(encoding="utf-8")
    for old in (
        'title = "Første modul"', 'title = "Om at lytte"', 'title = "Quiz"',
        'title = "Maja på gangen"', 'title = "Din erfaring"', 'title = "Hvor står du?"',
        'title = "Øvesamtale"',
    ):
        text = text.replace(old, old[:-1] + f' {SHORT}"')
    for old in (
        '"Kende forskel på at lytte og at rådgive."', '"Jeg kan lytte uden at give råd."',
        '"Hvilket er et åbent spørgsmål?"', '"Hvordan var det for dig?"',
        '"Ja: det inviterer til at fortælle."', '"Var det svært?"', '"At give råd"',
        '"Du møder Maja på gangen."', '"Jeg orker ikke i dag."',
        '"Det lyder som en tung dag."', '"Enkel refleksion"', '"Du spejler uden at vurdere."',
        '"Du skal bare gå en tur."', '"Hvornår følte du dig sidst lyttet til?"',
        '"Hold en samtale på 10 minutter med en medkursist."', '"Maja"',
    ):
        assert old in text, old
        text = text.replace(old, old[:-1] + f' {ALL}"')
    text = text.replace("Aktiv lytning handler om at **forstå** før man svarer.",
                        f"Aktiv lytning {ALL} handler om at **forstå** før man svarer.")
    first.write_text(text, encoding="utf-8")
    return course


def screen_segments(app: PeerskoleApp) -> list[Segment]:
    """Every segment on the terminal as the app draws it now."""
    strips = app.screen._compositor.render_strips()
    return [segment for strip in strips for segment in strip]


def assert_shown_literally(app: PeerskoleApp, expect: tuple[str, ...] = tuple(PAYLOADS)) -> None:
    """The payloads on screen keep their brackets, and nothing is a link or coloured by them."""
    segments = screen_segments(app)
    lines = "".join(s.text for s in segments)
    for word, payload in PAYLOADS.items():
        # Every place the word shows, its markup shows around it.
        assert lines.count(word) == lines.count(payload), (word, lines)
    assert any(lines.count(word) for word in expect), lines  # the test sees the text at all
    for segment in segments:
        style = segment.style
        if style is None:
            continue
        assert not style.link, segment  # the app draws no links of its own either
        if any(word in segment.text for word in PAYLOADS):
            assert not (style.color and style.color.name == "red"), segment
    assert "\x1b" not in lines


@pytest.fixture
def hostile_app(tmp_path: Path, data_dir: Path) -> PeerskoleApp:
    return PeerskoleApp(hostile_course(tmp_path), data_dir=data_dir)


async def test_course_text_with_markup_is_shown_as_text(hostile_app: PeerskoleApp) -> None:
    app = hostile_app
    async with app.run_test(size=(120, 60)) as pilot:
        await start_as_new_learner(app, pilot)
        assert_shown_literally(app, ("rødtekst",))  # course and module titles
        assert app.session is not None
        for step in app.session.course.module("first").steps:
            screen = await open_step(app, pilot, "first", step.id)
            assert isinstance(screen, ModuleScreen)
            assert_shown_literally(app)
            if step.kind == "quiz":  # the feedback shows option text and explanations
                for radio in screen.query("#answer-0 RadioButton, #answer-0 Checkbox"):
                    radio.focus()
                    await pilot.press("space")
                await pilot.click("#quiz-submit")
                await pilot.pause()
                assert_shown_literally(app)
            if step.kind == "scenario":  # choose a response: feedback, principle, reply
                screen.query_one("#responses").focus()
                await pilot.press("enter")
                await pilot.click("#scenario-choose")
                await pilot.pause()
                assert_shown_literally(app)
            app.pop_screen()
            await pilot.pause()
        await pilot.press("f2")  # support contacts come from the course file too
        await pilot.pause()
        assert_shown_literally(app)


NAME = f"Åse {RED} {LINK}"


async def test_a_learner_name_with_markup_is_shown_as_text(data_dir: Path) -> None:
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await start_as_new_learner(app, pilot, NAME)
        assert_shown_literally(app, ("rødtekst", "klikher"))  # the overview says who
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, LearnerScreen)
        assert_shown_literally(app, ("rødtekst", "klikher"))  # the list of profiles


@pytest.mark.parametrize(
    "name",
    ["Åse\x1b]8;;http://x\x1b\\klik\x1b]8;;\x1b\\", "Bo\x1b[31m", "Bo\x07", "Bo\u202eesrever",
     "Bo\nSecond line"],
)
async def test_a_name_with_control_characters_is_refused(data_dir: Path, name: str) -> None:
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        app.screen.query_one("#name", Input).value = name  # as a paste would put it
        await pilot.click("#create")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, LearnerScreen)
        message = str(app.screen.query_one("#learner-message").render())
        assert "ingen styretegn" in message
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    assert store.learners() == []
    store.close()


async def test_a_stored_name_with_an_escape_is_shown_harmlessly(data_dir: Path) -> None:
    """A name that reached the database another way (an older version, an import)."""
    store = SQLiteStore(data_dir / "peerskole.sqlite3")
    store.add_learner("Åse\x1b]8;;http://x\x1b\\klik\x1b]8;;\x1b\\")
    store.close()
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        lines = "".join(s.text for s in screen_segments(app))
        assert "Åse" in lines and "\x1b" not in lines
        assert "]8;;http://x" in lines  # shown, as harmless characters
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        lines = "".join(s.text for s in screen_segments(app))
        assert str(app.screen.query_one("#who", Static).render()).startswith("Åse")
        assert "\x1b" not in lines


async def test_a_saving_problem_naming_a_folder_with_brackets_is_shown_as_text(
    tmp_path: Path,
) -> None:
    from peerskole.store.base import StoreError

    folder = tmp_path / "[red]x[/red]" / "[/oops]"
    app = make_app(folder)
    async with app.run_test() as pilot:
        await start_as_new_learner(app, pilot)
        app.post_message(PeerskoleApp.WriteFailed(StoreError("full", "The disk is full.")))
        await pilot.pause()
        await pilot.pause()
        (notification,) = notifications(app)
        assert str(folder) in notification.message  # the folder named as it is
    assert notification.markup is False  # the toast draws it as the characters it is
