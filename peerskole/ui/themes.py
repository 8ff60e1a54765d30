"""The calm default theme and a high-contrast one."""

from __future__ import annotations

from typing import Final

from textual.theme import Theme

CALM: Final = Theme(
    name="peerskole",
    primary="#7FB3D5",
    secondary="#A9CCE3",
    accent="#F5CBA7",
    foreground="#E8E6E3",
    background="#1F2428",
    surface="#272D33",
    panel="#2F363D",
    success="#A3D9A5",
    warning="#F7DC6F",
    error="#F1948A",
    dark=True,
)
"""Soft colours with enough contrast for long reading."""

HIGH_CONTRAST: Final = Theme(
    name="peerskole-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF6666",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)
"""Pure white and yellow on black for low vision."""
