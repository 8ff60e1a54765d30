"""Words and formats: the log's labels in the trainee's language, one unit, labels that stay,
dates in the UI language's form, a quiz intro that says when feedback comes, and the
course description where a trainee sees it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Final

import pytest
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Input, Markdown, Static

from peerskole.course.loader import check_course, load_course
from peerskole.course.model import BUILT_IN_LOG_FIELDS, DEFAULT_LOG_FIELDS
from peerskole.i18n import MESSAGES, MONTHS, Language, Translator, format_date, parse_date
from peerskole.locations import bundled_courses_dir
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.passphrase import PassphraseSettings
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.steps.practice import BUILT_IN_LABELS, LogEntry, field_label
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import (
    click,
    make_app,
    open_step,
    start_as_new_learner,
    text,
    wait_for_workers,
)

BUNDLED = bundled_courses_dir() / "peer-grundforloeb"
SMALL_SIZES = [(80, 24), (60, 20)]
LANGUAGES: list[Language] = ["da", "en"]

LOG_LABELS = {
    "da": ["Dato", "Varighed (minutter)", "Hvad skete der?", "Hvad lagde jeg mærke til?"],
    "en": ["Date", "Duration (minutes)", "What happened?", "What did I notice?"],
}


def labels(screen: Widget, selector: str) -> list[str]:
    return [text(w) for w in screen.query(selector)]


# --- the practice log ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_log_speaks_the_trainees_language_with_one_unit_and_dates_in_words(
    data_dir: Path, language: str
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "first", "practice-talk")
        assert labels(screen, "#log-form .field-label") == LOG_LABELS[language]
        today = dt.date.today()
        date_field = screen.query_one("#field-date", Input)
        assert date_field.value == format_date(today, language)  # accepted as it is shown
        screen.query_one("#field-duration", Input).focus()
        await pilot.press("1", "2")
        for field_id, words in (("what-happened", "Vi talte"), ("what-i-noticed", "Ro")):
            screen.query_one(f"#field-{field_id}").focus()
            await pilot.press(*words)
        await click(pilot, "#log-save")
        [entry] = [text(e) for e in screen.query(LogEntry)]
        date_label, duration_label = LOG_LABELS[language][0], LOG_LABELS[language][1]
        duration_word = duration_label.split(" (")[0]
        assert f"{date_label}: {format_date(today, language)}" in entry.splitlines()
        assert f"{duration_word}: 12\u00a0min." in entry.splitlines()  # the unit said once
        assert "(min" not in entry
        assert LOG_LABELS[language][2] in entry.splitlines()


def test_every_built_in_log_field_has_a_label_in_the_ui_table() -> None:
    assert set(BUILT_IN_LABELS) == set(BUILT_IN_LOG_FIELDS)
    assert [f.label for f in DEFAULT_LOG_FIELDS] == [None] * 4  # no UI words in the model


def test_an_authors_own_labels_stay_as_written_in_english() -> None:
    module = load_course(BUNDLED).modules[-1]  # its practice log names its own fields
    step = next(s for s in module.steps if s.kind == "practice")
    assert step.kind == "practice"
    shown = [field_label(f, Translator("en")) for f in step.log_fields]
    assert shown == [f.label for f in step.log_fields]
    assert shown[:2] == ["Dato", "Hvad gjorde du?"]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("da", "⚠ Skriv en rigtig dato, fx 2026-03-01, 1.3.2026 eller 1. marts 2026."),
        ("en", "⚠ Write a real date, e.g. 2026-03-01, 1.3.2026 or 1 March 2026."),
    ],
)
async def test_a_wrong_date_names_every_form_that_is_read(
    data_dir: Path, language: str, said: str
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "first", "practice-talk")
        screen.query_one("#field-date", Input).focus()
        await pilot.press(*"31.4.2026")
        await click(pilot, "#log-save")
        assert text(screen.query_one("#error-date", Static)) == said
        # Each form the message names is read.
        forms = said.split("fx " if language == "da" else "e.g. ")[1].rstrip(".")
        for form in forms.replace(" eller ", ", ").replace(" or ", ", ").split(", "):
            assert parse_date(form) == dt.date(2026, 3, 1), form


def test_dates_are_shown_in_the_ui_language_from_a_table() -> None:
    day = dt.date(2026, 3, 1)
    assert format_date(day, "da") == "1. marts 2026"
    assert format_date(day, "en") == "1 March 2026"
    assert Translator("en").date(dt.date(2026, 12, 24)) == "24 December 2026"
    for language in LANGUAGES:
        assert len(MONTHS[language]) == 12
        for month in range(1, 13):
            shown = format_date(dt.date(2026, month, 28), language)
            assert parse_date(shown) == dt.date(2026, month, 28), shown


# --- labels that stay once a field has text --------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SMALL_SIZES)
async def test_the_passphrase_fields_keep_their_labels_while_typed_in(
    data_dir: Path, language: str, size: tuple[int, int]
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=size) as pilot:
        await start_as_new_learner(app, pilot)
        await pilot.press("f5")
        await wait_for_workers(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PassphraseSettings)
        t = Translator(language)
        expected = {"new": t("passphrase.new", minimum=8), "repeat": t("passphrase.repeat")}
        for field_id, label_text in expected.items():
            field = dialog.query_one(f"#{field_id}", Input)
            field.focus()
            await pilot.press(*"to ord og flere")
            await pilot.pause()
            assert field.placeholder == ""  # nothing that goes as the trainee types
            label = dialog.query(".field-label")[list(expected).index(field_id)]
            assert text(label) == label_text
            # The label sits right above its field, both in the dialog's view.
            window = dialog.query_one(".dialog").scrollable_content_region
            assert label.region.bottom == field.region.y
            assert window.contains_region(label.region) and window.contains_region(field.region)


async def test_the_new_profile_fields_keep_their_labels(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.click("#name")
        await pilot.press(*"Åse")
        name_label, cohort_label = [text(w) for w in app.screen.query("#new-learner .field-label")]
        assert name_label == "Dit navn (det, andre må se)"
        assert cohort_label == "Holdkode (valgfri)"
        assert app.screen.query_one("#name", Input).placeholder == ""


# --- the quiz intro and the course description ------------------------------------------------


async def test_the_bundled_quiz_intro_says_feedback_comes_after_svar(data_dir: Path) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir)
    async with app.run_test(size=(100, 32)) as pilot:
        await start_as_new_learner(app, pilot)
        assert app.session is not None
        module = app.session.course.modules[0]
        quiz = next(s for s in module.steps if s.kind == "quiz")
        screen = await open_step(app, pilot, module.id, quiz.id)
        intro = str(screen.query_one(".quiz-intro", Markdown).source)
        submit = str(screen.query_one("#quiz-submit", Button).label)
        assert submit == "Svar" and f"trykket på {submit}" in intro
        assert "efter hvert svar" not in intro
        # As the intro says: choosing an answer shows no explanation yet.
        await click(pilot, "#answer-0")
        assert not screen.query(".question-feedback")


def test_no_bundled_quiz_promises_feedback_after_each_answer() -> None:
    course = load_course(BUNDLED)
    for module in course.modules:
        for step in module.steps:
            if step.kind == "quiz" and step.intro:
                assert "efter hvert svar" not in step.intro, (module.id, step.id)


@pytest.mark.parametrize(("language", "title"), [("da", "Om kurset"), ("en", "About the course")])
async def test_the_course_description_is_on_the_overview(
    data_dir: Path, language: str, title: str
) -> None:
    app = PeerskoleApp(BUNDLED, data_dir=data_dir, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        about = screen.query_one("#about", Collapsible)
        assert about.title == title and about.collapsed
        await click(pilot, about.query_one("CollapsibleTitle"))
        assert not about.collapsed
        description = screen.query_one("#description", Markdown)
        assert app.session is not None
        assert description.source == app.session.course.manifest.description
        assert description.region.height > 0


# --- numbers stay with their units ----------------------------------------------------------

UNIT_AFTER_A_SPACE = re.compile(
    r"(?:\{\w+\}|\d) (?:%|min\.|minutter|minutes|sekund|second|tegn|characters)"
)
"""A number (or a number's placeholder), an ordinary space and a unit: a line may break there."""


def test_every_number_and_unit_in_the_ui_table_are_joined_by_a_no_break_space() -> None:
    split = [(language, key, value) for language, table in MESSAGES.items()
             for key, value in table.items() if UNIT_AFTER_A_SPACE.search(value)]
    assert split == []
    assert "{percent}\u00a0%" in MESSAGES["da"]["overview.progress"]
    assert "{minutes}\u00a0min." in MESSAGES["en"]["practice.minutes_value"]


def drawn_lines(widget: Widget) -> list[str]:
    """What a widget draws, line by line, as the terminal shows it (its border left out)."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.strip("│╭╮╰╯─ ") for strip in lines]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_quiz_result_never_breaks_a_percentage_from_its_sign_at_80_by_24(
    data_dir: Path, language: str
) -> None:
    app = make_app(data_dir, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_as_new_learner(app, pilot)
        screen = await open_step(app, pilot, "first", "quiz")
        for option in ("#option-0-0", "#option-1-0", "#quiz-submit"):  # 1 of 2 right
            await click(pilot, option)
        result = screen.query_one("#quiz-result", Static)
        score = text(result).splitlines()[0]
        assert score.count("50\u00a0%") == 2
        # At this width an ordinary space would put a "%" at the start of a line.
        width = result.content_size.width
        assert any(line.startswith("%") for line in (
            str(part) for part in Content(score.replace("\u00a0", " ")).wrap(width)))
        shown = drawn_lines(result)
        assert shown[1:3] == [str(part).strip() for part in Content(score).wrap(width)]
        assert not any(line.startswith("%") or line.endswith("50") for line in shown)


# --- quotation marks ------------------------------------------------------------------------

QUOTES: Final = {"da": ("»", "«"), "en": ("“", "”")}
"""The quotation marks of each UI language: Danish »…«, English “…”."""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ui_strings_quote_in_one_form_a_language(language: Language) -> None:
    opening, closing = QUOTES[language]
    quoted_span = re.compile(f"{opening}[^{opening}{closing}\n]*{closing}")
    marks = set("«»“”„‟‹›\"")
    # With every »…« (or “…”) taken out, no quotation mark of any kind is left.
    wrong = [(key, value) for key, value in MESSAGES[language].items()
             if marks & set(quoted_span.sub("", value))]
    assert wrong == []
    quoted = [key for key, value in MESSAGES[language].items()
              if opening in value]
    assert {"scenario.says", "scenario.you_say", "scenario.explored"} <= set(quoted)


# --- the course format: built-in fields need no label, others do -----------------------------


def test_a_log_field_of_its_own_needs_a_label(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SAMPLE_COURSE, folder)
    module = folder / "modules" / "01-first.toml"
    module.write_text(module.read_text(encoding="utf-8").replace(
        'assignment = "Hold en samtale på 10 minutter med en medkursist."\n',
        'assignment = "Hold en samtale på 10 minutter med en medkursist."\n'
        '[[steps.log_fields]]\nid = "date"\ntype = "date"\n'
        '[[steps.log_fields]]\nid = "with-whom"\n',
    ), encoding="utf-8")
    course, problems = check_course(folder)
    assert course is None
    [problem] = problems
    assert problem.message == 'log field "with-whom" has no label'
    assert "date, duration, what-happened, what-i-noticed" in problem.hint
