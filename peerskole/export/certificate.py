"""Course certificates: a one-page PDF (fpdf2) and the facts it and a badge state.

The PDF embeds DejaVu Sans (``fonts/``, with its licence) so Danish letters
render on any machine. It states the trainee, the course and its version, each
module with its completion date, the total time on task and the issuing
organisation, in the course's language (Danish or English). fpdf2 is imported
only when a PDF is made.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from peerskole import settings
from peerskole.export.records import CourseReport, ExportError, instant, local_date, minutes

if TYPE_CHECKING:
    from fpdf import FPDF

    from peerskole.store.base import Learner, Store

FONTS_DIR: Final = Path(__file__).resolve().parent / "fonts"
"""The bundled DejaVu Sans fonts and their licence."""
ORGANISATION_SETTING: Final = settings.ORGANISATION
"""Store setting (scope "") naming the issuing organisation; wins over the course's own."""
CERTIFICATE_NAMESPACE: Final = uuid.UUID("0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11")
"""UUID v5 namespace of certificate ids. Never change it: ids would stop matching."""
LABELS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "title": "Kursusbevis",
        "intro": "Dette bevis udstedes til",
        "completed": "for at have gennemført",
        "version": "version {version}",
        "modules": "Moduler",
        "manual": "registreret af koordinator",
        "total": "Samlet tid: {time}",
        "hours": "{h} t {m} min",
        "issuer": "Udstedt af {organisation} den {date}",
        "id": "Bevis-id: {id}",
    },
    "en": {
        "title": "Certificate of completion",
        "intro": "This certifies that",
        "completed": "has completed",
        "version": "version {version}",
        "modules": "Modules",
        "manual": "recorded by a coordinator",
        "total": "Total time: {time}",
        "hours": "{h} h {m} min",
        "issuer": "Issued by {organisation} on {date}",
        "id": "Certificate id: {id}",
    },
}
"""Certificate wording by course language; other languages get English."""


@dataclass(frozen=True, slots=True)
class ModuleLine:
    """One module on a certificate."""

    module_id: str
    title: str
    completed_on: str
    """``YYYY-MM-DD`` in this computer's time zone."""
    manual: bool


@dataclass(frozen=True, slots=True)
class Certificate:
    """What a certificate states; rendered as PDF or as an Open Badge."""

    certificate_id: str
    learner_id: str
    learner_name: str
    course_id: str
    course_title: str
    course_version: str
    course_description: str
    language: str
    modules: tuple[ModuleLine, ...]
    minutes_on_task: int
    completed_at: str
    """When the course became complete, as stored (ISO 8601)."""
    organisation: str
    issued_on: str
    """``YYYY-MM-DD``."""


def issuing_organisation(store: Store, report: CourseReport, override: str | None = None) -> str:
    """Who issues the certificate: ``override``, else the store setting, else the course's.

    Raises:
        ExportError: when none of them names an organisation.
    """
    for candidate in (override, store.setting("", ORGANISATION_SETTING),
                      report.course.manifest.organisation):
        if candidate and candidate.strip():
            return candidate.strip()
    raise ExportError(
        "No issuing organisation is set. Set it once with: "
        'peerskole settings set organisation "Navn på organisationen" '
        "(or pass --organisation)."
    )


def certificate_for(
    learner: Learner, report: CourseReport, organisation: str, issued_on: dt.date | None = None
) -> Certificate:
    """The certificate of a learner who completed a course.

    Raises:
        ExportError: when the course is not complete by the completion rule.
    """
    status = report.status
    if not status.complete or not status.completed_at:
        done = sum(1 for m in status.modules if m.complete)
        raise ExportError(
            f'{learner.display_name} ({learner.id}) has not completed "{report.course.id}": '
            f"{done} of {len(status.modules)} modules are complete. A certificate is issued "
            "for a completed course only; see the export for where they stand."
        )
    lines = tuple(
        ModuleLine(m.module.id, m.module.title, local_date(m.status.completed_at or ""),
                   m.status.manual)
        for m in report.modules
    )
    name = "\x1f".join((learner.id, report.course.id, instant(status.completed_at).isoformat()))
    return Certificate(
        certificate_id=str(uuid.uuid5(CERTIFICATE_NAMESPACE, name)),
        learner_id=learner.id,
        learner_name=learner.display_name,
        course_id=report.course.id,
        course_title=report.course.title,
        # The version the course was completed on (its last module's), not the one now.
        course_version=status.completed_version or report.course.version,
        course_description=report.course.manifest.description,
        language=report.course.manifest.language.split("-")[0],
        modules=lines,
        minutes_on_task=minutes(status.seconds),
        completed_at=status.completed_at,
        organisation=organisation,
        issued_on=(issued_on or dt.date.today()).isoformat(),
    )


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate as a one-page A4 PDF."""
    from fpdf import FPDF

    words = LABELS.get(certificate.language, LABELS["en"])
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(22, 22, 22)
    pdf.add_font("DejaVu", "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{words['title']}: {_clean(certificate.course_title)}")
    pdf.set_author(_clean(certificate.organisation))
    pdf.set_creator("peerskole")
    pdf.set_lang(certificate.language)
    # The issue date, not the moment of rendering: the same certificate, the same file.
    issued = dt.datetime.combine(dt.date.fromisoformat(certificate.issued_on), dt.time(),
                                 tzinfo=dt.UTC)
    pdf.set_creation_date(issued)
    pdf.add_page()
    width = pdf.epw

    pdf.set_draw_color(90, 110, 140)
    pdf.set_line_width(0.8)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    pdf.set_y(34)
    pdf.set_font("DejaVu", "B", 28)
    pdf.cell(width, 14, words["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(width, 7, words["intro"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(width, 11, _clean(certificate.learner_name), align="C", new_x="LMARGIN")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 12)
    pdf.cell(width, 7, words["completed"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 17)
    pdf.multi_cell(width, 9, _clean(certificate.course_title), align="C", new_x="LMARGIN")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(width, 7, words["version"].format(version=certificate.course_version),
             align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)

    footer_top = pdf.h - 62
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(width, 8, words["modules"], new_x="LMARGIN", new_y="NEXT")
    count = max(len(certificate.modules), 1)
    line = min(7.0, (footer_top - pdf.get_y()) / count)
    size = max(min(11.0, line * 1.6), 5.0)
    date_width = 62.0
    for module in certificate.modules:
        pdf.set_font("DejaVu", "", size)
        pdf.cell(width - date_width, line, _fit(pdf, _clean(module.title), width - date_width - 2))
        when = module.completed_on + (f" ({words['manual']})" if module.manual else "")
        pdf.set_font("DejaVu", "", size * 0.9 if module.manual else size)
        pdf.cell(date_width, line, when, align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(footer_top + 4)
    pdf.set_font("DejaVu", "", 11)
    # Time is measured in the app: for modules a coordinator recorded it is unknown,
    # so a certificate of those alone states none rather than "0 min".
    if not all(module.manual for module in certificate.modules):
        pdf.cell(width, 7,
                 words["total"].format(time=_duration(certificate.minutes_on_task, words)),
                 new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(width, 7, words["issuer"].format(
        organisation=_clean(certificate.organisation), date=certificate.issued_on), align="L",
        new_x="LMARGIN")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(width, 5, words["id"].format(id=certificate.certificate_id),
             new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _duration(total_minutes: int, words: dict[str, str]) -> str:
    hours, mins = divmod(total_minutes, 60)
    return words["hours"].format(h=hours, m=mins) if hours else f"{mins} min"


def _clean(text: str) -> str:
    """Text as one printable line: control characters (tabs, new lines) become spaces."""
    return " ".join(
        "".join(" " if unicodedata.category(c).startswith("C") else c for c in text).split()
    )


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` in the current font."""
    measure = pdf.get_string_width
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
