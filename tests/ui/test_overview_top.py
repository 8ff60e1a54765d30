"""The overview opens at its top and its cards are stepped through with Up/Down (issue 10,
item 7), on the bundled course at 80×24, where the cards do not all fit."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from peerskole.ui.app import PeerskoleApp
from peerskole.ui.screens.module import ModuleScreen
from peerskole.ui.screens.overview import OverviewScreen
from peerskole.ui.widgets.module_card import ModuleCard
from tests.conftest import REPO_DIR
from tests.ui.conftest import make_app, start_as_new_learner, wait_for_workers

BUNDLED = REPO_DIR / "courses" / "peer-grundforloeb"
SMALL = (80, 24)
FIRST = "module-peer-stoette-recovery-haab"


def shown(screen: OverviewScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def visible(screen: OverviewScreen, selector: str) -> bool:
    """Whether a widget lies wholly inside the visible part of the overview."""
    region = screen.query_one(selector).region
    pane = screen.query_one("#overview", VerticalScroll).region
    return bool(region) and pane.contains_region(region)


def card_text(card: ModuleCard) -> str:
    return "\n".join(str(s.render()) for s in card.query(Static))


def at_the_top(app: PeerskoleApp) -> OverviewScreen:
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    assert screen.query_one("#overview", VerticalScroll).scroll_y == 0
    for part in (".screen-title", "#overall", "#time-left", "#next-module", "#switch-learner"):
        assert visible(screen, part), f"{part} is not in view"
    return screen


def footer_keys(app: PeerskoleApp) -> dict[str, str]:
    """The footer's keys and what it says they do, where the focus is."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show
    }


def bundled_steps() -> int:
    """Every step of the bundled course (each counts in the overview's total)."""
    from peerskole.course.loader import load_course

    return sum(len(module.steps) for module in load_course(BUNDLED).modules)


async def open_overview(app: PeerskoleApp, pilot: Pilot[None]) -> OverviewScreen:
    await start_as_new_learner(app, pilot)
    await pilot.pause()
    return at_the_top(app)


async def test_the_overview_opens_at_its_top_with_where_to_start(data_dir: Path) -> None:
    app = make_app(data_dir, BUNDLED)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_overview(app, pilot)
        assert shown(screen, "#overall") == f"0 / {bundled_steps()} trin (0\u00a0%)"
        assert shown(screen, "#next-module") == "Start med: Peer-støtte, recovery og håb"
        focused = app.focused
        assert isinstance(focused, ModuleCard) and focused.id == FIRST
        assert "▶ Start her" in card_text(focused)
        assert footer_keys(app).get("enter") == "Åbn"

        # Enter opens the card with the focus; the reading after the self-assessment
        # begins the module. Back from it: at the top again, continuing that module.
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ModuleScreen)
        await pilot.click("#next")
        await wait_for_workers(app, pilot)
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        screen = at_the_top(app)
        assert shown(screen, "#next-module") == "Fortsæt med: Peer-støtte, recovery og håb"
        focused = app.focused
        assert isinstance(focused, ModuleCard) and focused.id == FIRST
        assert "▶ Fortsæt her" in card_text(focused)
        others = [c for c in screen.query(ModuleCard) if c is not focused]
        assert not any("▶" in card_text(c) for c in others)


async def test_up_and_down_move_between_the_cards(data_dir: Path) -> None:
    app = make_app(data_dir, BUNDLED)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_overview(app, pilot)
        cards = list(screen.query(ModuleCard))
        for index in range(1, len(cards)):
            await pilot.press("down")
            await pilot.pause()
            assert app.focused is cards[index]
            assert visible(screen, f"#{cards[index].id}")  # scrolled to it, whole
        await pilot.press("down")  # on the last card: it stays there
        await pilot.pause()
        assert app.focused is cards[-1]
        for index in reversed(range(len(cards) - 1)):
            await pilot.press("up")
            await pilot.pause()
            assert app.focused is cards[index]
        at_the_top(app)  # back on the first card, the course's title and progress show


async def test_the_language_switch_keeps_the_focused_card(data_dir: Path) -> None:
    app = make_app(data_dir, BUNDLED)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_overview(app, pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        third = app.focused
        assert isinstance(third, ModuleCard) and third.id == "module-erfaringskompetence"
        await pilot.press("f4")
        await wait_for_workers(app, pilot)
        focused = app.focused
        assert isinstance(focused, ModuleCard) and focused.id == "module-erfaringskompetence"
        assert visible(screen, f"#{focused.id}")
        assert shown(screen, "#overall") == f"0 / {bundled_steps()} steps (0\u00a0%)"
        assert footer_keys(app).get("enter") == "Open"
