"""Several courses set up on one machine: the trainee chooses (remembered per learner) and
can switch from the overview; the organisation's contacts show first in support."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from peerskole.course.contacts import CONTACTS_SETTING, contacts_json
from peerskole.course.library import content_hash, course_files_of
from peerskole.course.model import SupportContact
from peerskole.store.base import InstalledCourse
from peerskole.ui.app import PeerskoleApp
from peerskole.ui.dialogs.support import SupportDialog
from peerskole.ui.screens.course_chooser import CourseChooser
from peerskole.ui.screens.overview import OverviewScreen
from tests.conftest import SAMPLE_COURSE
from tests.ui.conftest import SIZE, stored, until, wait_for_workers

SCHOOL = SupportContact(name="Recovery-skolen Aarhus", phone="12 34 56 78",
                        hours="Hverdage 9-15", note="Ring, hvis noget rørte dig.")


def install_sample(data_dir: Path) -> None:
    """The sample course installed in the store, beside the bundled course."""
    files = course_files_of(SAMPLE_COURSE)
    store = stored(data_dir)
    try:
        store.install_course(InstalledCourse("mini", "1.0", "Minikursus", content_hash(files),
                                             "2026-03-01T10:00:00+00:00", "ida"), files)
    finally:
        store.close()


def options(app: PeerskoleApp) -> list[str]:
    listed = app.screen.query_one("#course-options", OptionList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


async def new_learner_until_chooser(app: PeerskoleApp, pilot: Pilot[None], name: str) -> None:
    await wait_for_workers(app, pilot)
    await pilot.click("#name")
    await pilot.press(*name)
    await pilot.click("#create")
    await until(pilot, lambda: isinstance(app.screen, CourseChooser), "the course chooser")
    await wait_for_workers(app, pilot)


async def test_the_trainee_chooses_a_course_and_it_is_remembered(data_dir: Path) -> None:
    install_sample(data_dir)
    app = PeerskoleApp(None, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await new_learner_until_chooser(app, pilot, "Åse")
        title = str(app.screen.query_one(".dialog-title", Static).render())
        assert title == "Hvilket kursus vil du arbejde med?"
        assert options(app) == ["Minikursus", "Grundforløb for peer-støttemedarbejdere"]
        await pilot.press("enter")  # the first, highlighted
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        await wait_for_workers(app, pilot)
        assert app.session is not None and app.session.course.id == "mini"
        assert app.writes is not None and app.writes.flush(timeout=5)
        learner = app.session.learner
        assert stored(data_dir).setting(learner.id, "course") == "mini"

        # "Skift kursus" on the overview: the chooser again, the current one highlighted.
        await pilot.click("#switch-course")
        await until(pilot, lambda: isinstance(app.screen, CourseChooser), "the chooser")
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.session is not None
                    and app.session.course.id == "peer-grundforloeb", "the other course")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.writes.flush(timeout=5)
        assert stored(data_dir).setting(learner.id, "course") == "peer-grundforloeb"

    # Opened again, the learner goes straight to the course they chose last.
    app = PeerskoleApp(None, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("enter")  # Åse, the only profile
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        assert not any(isinstance(s, CourseChooser) for s in app.screen_stack)
        assert app.session is not None and app.session.course.id == "peer-grundforloeb"


async def test_a_course_folder_given_opens_directly(data_dir: Path) -> None:
    install_sample(data_dir)
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.click("#name")
        await pilot.press(*"Bo")
        await pilot.click("#create")
        await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
        assert app.course_choices == []
        assert not app.screen.query("#switch-course")


async def test_the_organisations_contacts_come_first_below_the_emergency_number(
    data_dir: Path,
) -> None:
    store = stored(data_dir)
    try:
        store.set_setting("", CONTACTS_SETTING, contacts_json([SCHOOL]))
    finally:
        store.close()
    app = PeerskoleApp(SAMPLE_COURSE, data_dir=data_dir, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, SupportDialog), "support")
        shown = [str(w.render()) for w in app.screen.query(".contact").results(Static)]
        # The emergency number at the top (the sample course does not mark its 112 as
        # the emergency contact: shown once, there); then the organisation's; then the
        # course's own.
        assert shown[0] == "Alarmcentralen: 112"
        assert sum("112" in line for line in shown) == 1
        assert shown[1] == ("Recovery-skolen Aarhus\n12 34 56 78\nAvailable: Hverdage 9-15\n"
                            "Ring, hvis noget rørte dig.")
        assert shown[2].startswith("Din underviser") and len(shown) == 3
        assert app.screen.query_one(".organisation", Static) is not None


async def test_a_course_title_with_markup_in_it_is_listed_as_written(
    data_dir: Path, tmp_path: Path
) -> None:
    import shutil

    folder = tmp_path / "mini"
    shutil.copytree(SAMPLE_COURSE, folder)
    manifest = folder / "course.toml"
    title = "Kursus [/x] og [b]fed[/b]"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'title = "Minikursus"', f'title = "{title}"'), encoding="utf-8")
    files = course_files_of(folder)
    store = stored(data_dir)
    try:
        store.install_course(InstalledCourse("mini", "1.0", title, content_hash(files),
                                             "2026-03-01T10:00:00+00:00", "ida"), files)
    finally:
        store.close()
    app = PeerskoleApp(None, data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await new_learner_until_chooser(app, pilot, "Åse")
        assert options(app)[0] == title
