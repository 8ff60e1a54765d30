"""Translated key bindings: BINDINGS name message keys; each node shows them in its language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from peerskole.i18n import Translator
from peerskole.ui.textual_compat import bindings, set_bindings

_ORIGINAL = "_peerskole_untranslated_bindings"


def translate_bindings(node: DOMNode, t: Translator) -> None:
    """Give node bindings whose descriptions and tooltips are in t's language.

    BINDINGS declare message keys (``"key.help"``) as descriptions and tooltips;
    this swaps in the translated text. The node's bindings as first seen (which
    include those Textual adds at run time, such as the command palette's) are
    kept, so it can be called again when the language changes.
    """
    original: BindingsMap | None = getattr(node, _ORIGINAL, None)
    if original is None:
        original = bindings(node).copy()
        setattr(node, _ORIGINAL, original)
    fresh = BindingsMap()
    for key, declared in original.key_to_bindings.items():
        fresh.key_to_bindings[key] = [
            replace(
                b,
                description=t(b.description) if b.description.startswith("key.") else b.description,
                tooltip=t(b.tooltip) if b.tooltip.startswith("tip.") else b.tooltip,
            )
            for b in declared
        ]
    set_bindings(node, fresh)
