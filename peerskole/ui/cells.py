"""Table cells and list options shown as written, never read as markup."""

from __future__ import annotations

from rich.text import Text


def as_text(*cells: str) -> list[Text]:
    """Table cells shown as written: a DataTable reads a plain string as markup, so a
    trainee's name such as "Bo [/x]" would be styled, or stop the view with an error."""
    return [Text(cell) for cell in cells]
