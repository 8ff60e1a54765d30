"""The translation table: English is complete, and every key the code uses exists."""

from __future__ import annotations

import re

from peerskole.i18n import MESSAGES, Translator
from tests.conftest import REPO_DIR


def test_danish_and_english_have_the_same_keys() -> None:
    assert set(MESSAGES["da"]) == set(MESSAGES["en"])


def test_placeholders_match_between_languages() -> None:
    for key, danish in MESSAGES["da"].items():
        english = MESSAGES["en"][key]
        assert set(re.findall(r"{(\w+)}", danish)) == set(re.findall(r"{(\w+)}", english)), key


def test_every_literal_key_used_in_the_ui_exists() -> None:
    used: set[str] = set()
    for path in (REPO_DIR / "peerskole").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", text))
        used |= set(re.findall(r"""["']((?:key|tip)\.[a-z_]+)["']""", text))
    missing = sorted(k for k in used if k not in MESSAGES["da"])
    assert missing == []


def test_unknown_language_falls_back_to_danish() -> None:
    assert Translator("fr")("key.help") == "Hjælp"
    assert Translator("en")("overview.progress", done=1, total=2, percent=50) == (
        "1 / 2 steps (50\u00a0%)"
    )
