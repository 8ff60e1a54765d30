"""The exports are core: no textual; the PDF library loads only when a PDF is made."""

from __future__ import annotations

from tests.test_import_hygiene import modules_after_import

EXPORTS = [
    "peerskole.export.records",
    "peerskole.export.csv_export",
    "peerskole.export.json_export",
    "peerskole.export.xapi",
    "peerskole.export.lrs",
    "peerskole.export.certificate",
    "peerskole.export.openbadge",
    "peerskole.export.badge_signature",
    "peerskole.export.records_import",
    "peerskole.export.output",
    "peerskole.export.meter",
    "peerskole.commands.coordinator",
]


def test_exports_do_not_import_textual_nor_the_pdf_library() -> None:
    loaded = modules_after_import(*EXPORTS)
    assert not {m for m in loaded
                if m.split(".")[0] in ("textual", "rich", "fpdf", "PIL", "cryptography")}


def test_cli_still_imports_no_export() -> None:
    loaded = modules_after_import("peerskole.cli")
    assert not {m for m in loaded if m.startswith(("peerskole.export", "peerskole.commands"))}
