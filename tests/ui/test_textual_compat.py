"""Each private part of Textual peerskole relies on still exists in the pinned Textual and
means what peerskole takes it to mean (peerskole/ui/textual_compat.py)."""

from __future__ import annotations

import inspect

import rich._wrap
from textual.app import App, ComposeResult
from textual.binding import BindingsMap
from textual.content import Content
from textual.widgets import Checkbox, Footer, RadioButton, RadioSet

from peerskole.ui import textual_compat


class Probe(App[None]):
    BINDINGS = [("f9", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield Footer()
        yield Checkbox("Ja", id="box")
        yield RadioSet(RadioButton("A"), RadioButton("B"), id="set")


async def test_each_private_part_is_there_and_does_its_job() -> None:
    app = Probe()
    async with app.run_test() as pilot:
        await pilot.pause()  # the footer draws its keys once told the bindings are there
        footer_keys = list(app.query(textual_compat.FooterKey))
        assert "bell" in [key.action for key in footer_keys]  # the key Probe binds
        own = textual_compat.bindings(app)
        assert isinstance(own, BindingsMap) and "f9" in own.key_to_bindings
        textual_compat.set_bindings(app, BindingsMap())
        assert "f9" not in app.active_bindings  # the replaced map is the one looked up

        box = app.query_one("#box", Checkbox)
        button = textual_compat.toggle_button(box)
        assert isinstance(button, Content) and len(button.plain) == 3  # ▐X▌

        radio_set = app.query_one("#set", RadioSet)
        radio_set.focus()
        await pilot.press("down")
        assert textual_compat.radio_selected(radio_set) == 1

        app.notify("Hej")
        await pilot.pause()
        assert [n.message for n in textual_compat.notifications(app)] == ["Hej"]

        assert textual_compat.driver(app) is not None
        assert textual_compat.exception(app) is None


def test_the_exception_hook_peerskole_overrides_is_there() -> None:
    hook = getattr(App, textual_compat.HANDLE_EXCEPTION)
    assert list(inspect.signature(hook).parameters) == ["self", "error"]
    from peerskole.ui.app import PeerskoleApp

    assert textual_compat.HANDLE_EXCEPTION in vars(PeerskoleApp)


def test_line_breaking_keeps_the_no_break_spaces_in_its_words() -> None:
    """Rich's word pattern is there, is what line breaking on screen uses, and is swapped."""
    # Rich's words() reads the module's re_word at each call: a swapped one is used.
    assert "re_word" in rich._wrap.words.__code__.co_names
    textual_compat.keep_no_break_spaces()
    assert rich._wrap.re_word is textual_compat.WORD
    words = [m.group() for m in textual_compat.WORD.finditer("om 30\u00a0sekunder.  Nu")]
    assert words == ["om ", "30\u00a0sekunder.  ", "Nu"]
    assert [str(line) for line in Content("ca. 15\u00a0min. i alt").wrap(8)] == [
        "ca.", "15\u00a0min.", "i alt"
    ]
