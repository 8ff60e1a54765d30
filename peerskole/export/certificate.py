"""Course certificates and statements of participation: a one-page PDF (fpdf2).

The PDF embeds DejaVu Sans (``fonts/``, with its licence) so Danish letters
render on any machine. A certificate states the trainee, the course and its
version, each module with its completion date and learning goals, the total time
on task when it is known, the issuing organisation, a signature line and the
certificate id; a statement of participation states the modules completed so far
and says plainly that it is not a course certificate. Wording and dates follow
the course's language (Danish or English). fpdf2 and Pillow are imported only
when a PDF is made or a logo read.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from peerskole import settings
from peerskole.export.records import CourseReport, ExportError, instant, local_date, minutes
from peerskole.i18n import format_date
from peerskole.safe_text import visible
from peerskole.store.base import CertificateKind

if TYPE_CHECKING:
    from fpdf import FPDF

    from peerskole.store.base import Learner, Store

FONTS_DIR: Final = Path(__file__).resolve().parent / "fonts"
"""The bundled DejaVu Sans fonts and their licence."""
ORGANISATION_SETTING: Final = settings.ORGANISATION
"""Store setting (scope "") naming the issuing organisation; wins over the course's own."""
CERTIFICATE_NAMESPACE: Final = uuid.UUID("0f3c1a52-3f0e-4a1e-9d55-5e0b8c2a7d11")
"""UUID v5 namespace of certificate ids. Never change it: ids would stop matching."""
LOGO_SIGNATURES: Final = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
"""How a PNG and a JPEG file begin: the logo formats a certificate takes."""
LABELS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "title": "Kursusbevis",
        "participation_title": "Deltagelsesbevis",
        "not_a_certificate": "Dette er ikke et kursusbevis: kurset er endnu ikke gennemført.",
        "intro": "Dette bevis udstedes til",
        "completed": "for at have gennemført kurset",
        "participated": "for at have gennemført disse moduler af kurset",
        "version": "version {version}, gennemført {date}",
        "participation_version": "version {version}",
        "modules": "Moduler og læringsmål",
        "modules_plain": "Moduler",
        "participation_modules": "Gennemførte moduler",
        "covers": "Kurset omfatter: {description}",
        "count": "{done} af {total} moduler gennemført.",
        "total": "Samlet tid: {time}",
        "classroom": "Undervisning: {time} fremmøde.",
        "praktik": "Godkendt praktik: {time}.",
        "hours": "{h} t {m} min",
        "issuer": "Udstedt af {organisation} den {date}",
        "signature": "Underskrift",
        "id": "Bevis-id: {id}",
        "verify": "Beviset kan bekræftes hos {organisation} med bevis-id'et.",
    },
    "en": {
        "title": "Certificate of completion",
        "participation_title": "Statement of participation",
        "not_a_certificate": "This is not a course certificate: the course has not yet been "
                             "completed.",
        "intro": "This certifies that",
        "completed": "has completed the course",
        "participated": "has completed these modules of the course",
        "version": "version {version}, completed {date}",
        "participation_version": "version {version}",
        "modules": "Modules and learning goals",
        "modules_plain": "Modules",
        "participation_modules": "Modules completed",
        "covers": "The course covers: {description}",
        "count": "{done} of {total} modules completed.",
        "total": "Total time: {time}",
        "classroom": "Classroom hours attended: {time}.",
        "praktik": "Approved praktik: {time}.",
        "hours": "{h} h {m} min",
        "issuer": "Issued by {organisation} on {date}",
        "signature": "Signature",
        "id": "Certificate id: {id}",
        "verify": "{organisation} can confirm this certificate by its id.",
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
    """Recorded by a coordinator: kept for the time rule, never printed (the record says so;
    the certificate does not set classroom-trained learners apart)."""
    goals: tuple[str, ...] = ()
    """The module's learning goals."""


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
    """When the course became complete (a statement: its latest module), as stored."""
    organisation: str
    issued_on: str
    """``YYYY-MM-DD``."""
    kind: CertificateKind = "certificate"
    """A course certificate, or a statement of participation in part of the course."""
    course_modules: int = 0
    """How many modules the course has (a statement says how many of them are done)."""
    signer: str = ""
    """Name and title under the signature line (the certificate_signer setting); may be empty."""
    classroom_minutes: int | None = None
    """Classroom minutes attended, for a course with a programme; None without one."""
    praktik_minutes: int | None = None
    """Approved praktik minutes, when the course's programme requires praktik; else None."""

    @property
    def time_known(self) -> bool:
        """Whether the time on task is known: the app measures it, so not for a module a
        coordinator recorded (there the total would understate the work)."""
        return bool(self.modules) and not any(m.manual for m in self.modules)

    def date_text(self, iso_date: str) -> str:
        """A date as the certificate prints it: "6. november 2026", "6 November 2026"."""
        return format_date(dt.date.fromisoformat(iso_date), _language(self.language))


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


def missing_modules(report: CourseReport) -> list[str]:
    """The titles of the course's modules not complete, in course order."""
    return [m.module.title for m in report.modules if not m.status.complete]


def missing_text(report: CourseReport) -> str:
    """What keeps a course from being complete, as a clause: the modules still to do and
    the programme's hours still missing (classroom attendance, approved praktik)."""
    parts = []
    modules = missing_modules(report)
    if modules:
        done = len(report.modules) - len(modules)
        titles = ", ".join(f'"{visible(title)}"' for title in modules)
        parts.append(f"{done} of {len(report.modules)} modules are complete; still to do: "
                     f"{titles}")
    programme = report.status.programme
    if programme is not None:
        from peerskole.export.cohort import hours

        classroom = programme.classroom
        if not classroom.met:
            parts.append(f"{hours(classroom.missing_minutes)} of classroom attendance are "
                         f"missing ({hours(classroom.attended_minutes)} attended of "
                         f"{hours(classroom.required_minutes)} required)")
        if not programme.praktik_met:
            parts.append(f"{hours(programme.missing_praktik_minutes)} of approved praktik "
                         f"are missing ({hours(programme.praktik.minutes)} approved of "
                         f"{hours(programme.praktik_required_minutes)} required)")
    return "; ".join(parts)


def certificate_for(
    learner: Learner, report: CourseReport, organisation: str, issued_on: dt.date | None = None,
    signer: str = "",
) -> Certificate:
    """The certificate of a learner who completed a course.

    Raises:
        ExportError: when the course is not complete by the completion rule; it names the
            modules missing and how to get a statement of participation instead.
    """
    status = report.status
    if not status.complete or not status.completed_at:
        raise ExportError(
            f"{visible(learner.display_name)} ({learner.id}) has not completed "
            f'"{visible(report.course.title)}" ({report.course.id}): '
            f"{missing_text(report)}. A "
            "certificate is issued for a completed course only. For a statement of the "
            "modules completed so far, add --participation: peerskole certificate "
            f"{learner.id} {report.course.id} --participation -o deltagelsesbevis.pdf"
        )
    name = "\x1f".join((learner.id, report.course.id, instant(status.completed_at).isoformat()))
    return _certificate(
        learner, report, organisation, issued_on, signer, "certificate",
        str(uuid.uuid5(CERTIFICATE_NAMESPACE, name)), status.completed_at,
        # The version the course was completed on (its last module's), not the one now.
        status.completed_version or report.course.version,
    )


def participation_for(
    learner: Learner, report: CourseReport, organisation: str, issued_on: dt.date | None = None,
    signer: str = "",
) -> Certificate:
    """A statement of participation: the modules a learner has completed of a course
    they have not finished.

    Its id follows from what it states (the learner, the course and each module's
    completion), so the same progress gives the same statement.

    Raises:
        ExportError: when the course is complete (issue the certificate) or no module is.
    """
    who = f"{visible(learner.display_name)} ({learner.id})"
    if report.status.complete:
        raise ExportError(
            f'{who} has completed "{visible(report.course.title)}": issue the course '
            f"certificate instead (leave out --participation)."
        )
    done = [m for m in report.modules if m.status.complete and m.status.completed_at]
    if not done:
        raise ExportError(
            f'{who} has completed no module of "{visible(report.course.title)}" yet, so there '
            "is nothing for a statement of participation to state."
        )
    name = "\x1f".join(("participation", learner.id, report.course.id, *(
        f"{m.module.id}={instant(m.status.completed_at or '').isoformat()}" for m in done)))
    latest = max((m.status.completed_at or "" for m in done), key=lambda s: instant(s))
    return _certificate(
        learner, report, organisation, issued_on, signer, "participation",
        str(uuid.uuid5(CERTIFICATE_NAMESPACE, name)), latest, report.course.version,
    )


def _certificate(
    learner: Learner, report: CourseReport, organisation: str, issued_on: dt.date | None,
    signer: str, kind: CertificateKind, certificate_id: str, completed_at: str, version: str,
) -> Certificate:
    programme = report.status.programme
    lines = tuple(
        ModuleLine(m.module.id, m.module.title, local_date(m.status.completed_at or ""),
                   m.status.manual, tuple(m.module.goals))
        for m in report.modules if m.status.complete
    )
    return Certificate(
        certificate_id=certificate_id,
        learner_id=learner.id,
        learner_name=learner.display_name,
        course_id=report.course.id,
        course_title=report.course.title,
        course_version=version,
        course_description=report.course.manifest.description,
        language=report.course.manifest.language.split("-")[0],
        modules=lines,
        minutes_on_task=minutes(sum(m.status.seconds for m in report.modules
                                    if m.status.complete)),
        completed_at=completed_at,
        organisation=organisation,
        issued_on=(issued_on or dt.date.today()).isoformat(),
        kind=kind,
        course_modules=len(report.modules),
        signer=signer.strip(),
        classroom_minutes=None if programme is None else programme.classroom.attended_minutes,
        praktik_minutes=(programme.praktik.minutes
                         if programme is not None and programme.praktik_required_minutes
                         else None),
    )


def read_logo(path: Path) -> bytes:
    """An organisation's logo for certificates: a PNG or JPEG file's bytes.

    Raises:
        ExportError: when the file is missing, unreadable or not a PNG or JPEG image,
            saying which file and how to set another.
    """
    fix = ('Set another with: peerskole settings set certificate_logo /sti/til/logo.png '
           '(or clear it with: peerskole settings set certificate_logo "")')
    where = visible(str(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExportError(f"The certificate logo {where} does not exist. {fix}") from None
    except IsADirectoryError:
        raise ExportError(f"The certificate logo {where} is a folder, not an image "
                          f"file. {fix}") from None
    except OSError as error:
        raise ExportError(f"The certificate logo {where} cannot be read "
                          f"({error.strerror or error}). {fix}") from None
    if not data.startswith(LOGO_SIGNATURES):
        raise ExportError(f"The certificate logo {where} is not a PNG or JPEG image. {fix}")
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes it all: a truncated or damaged file fails here, not later
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        raise ExportError(f"The certificate logo {where} is a damaged image that cannot be "
                          f"read. {fix}") from None
    return data


# --- the PDF ------------------------------------------------------------------------

PAGE_FRAME: Final = 12.0
"""Distance of the drawn frame from the page's edge, mm."""
MARGIN: Final = 24.0
"""Distance of the text from the page's edge, mm (inside the frame)."""
FOOTER_HEIGHT: Final = 46.0
"""The issuer, signature line and id at the foot of the page, mm."""
LOGO_HEIGHT: Final = 20.0
"""The tallest a logo is drawn, mm (at full size)."""
LOGO_WIDTH: Final = 70.0
"""The widest a logo is drawn, mm."""
MAX_GAP: Final = 16.0
"""The most space added between two parts of the page when the content is short, mm."""


@dataclass(frozen=True, slots=True)
class _Layout:
    """How a certificate's body is set: a scale for type and spacing, and what is shown."""

    scale: float
    goals: bool
    """Each module's learning goals under it; otherwise the course's description, once."""
    title_lines: int
    """At most this many lines a module title (more is shortened with an ellipsis)."""


LAYOUTS: Final[tuple[_Layout, ...]] = (
    *(_Layout(s / 100, True, 2) for s in range(100, 74, -5)),
    *(_Layout(s / 100, False, 2) for s in range(100, 49, -5)),
    *(_Layout(s / 100, False, 1) for s in range(50, 29, -5)),
)
"""Tried in order, the first that fits the page wins: goals at a comfortable size, then
the course's description instead of goals, then one line a module at small sizes."""


def render_pdf(certificate: Certificate, logo: bytes | None = None) -> bytes:
    """The certificate (or statement of participation) as a one-page A4 PDF.

    The body is set at the largest layout of :data:`LAYOUTS` that fits between the top
    and the footer, and the space left over is shared between its parts, so a short
    certificate fills the page and a long one does not run over it.

    Args:
        certificate: what it states.
        logo: the organisation's logo (PNG or JPEG bytes, see :func:`read_logo`), drawn
            at the top.
    """
    from fpdf import FPDF

    words = LABELS.get(certificate.language, LABELS["en"])
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font("DejaVu", "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS_DIR / "DejaVuSans-Bold.ttf"))
    title = words["participation_title" if certificate.kind == "participation" else "title"]
    pdf.set_title(f"{title}: {_clean(certificate.course_title)}")
    pdf.set_author(_clean(certificate.organisation))
    pdf.set_creator("peerskole")
    pdf.set_lang(certificate.language)
    # The issue date, not the moment of rendering: the same certificate, the same file.
    issued = dt.datetime.combine(dt.date.fromisoformat(certificate.issued_on), dt.time(),
                                 tzinfo=dt.UTC)
    pdf.set_creation_date(issued)
    pdf.add_page()

    pdf.set_draw_color(90, 110, 140)
    pdf.set_line_width(0.8)
    pdf.rect(PAGE_FRAME, PAGE_FRAME, pdf.w - 2 * PAGE_FRAME, pdf.h - 2 * PAGE_FRAME)
    pdf.set_line_width(0.2)
    pdf.rect(PAGE_FRAME + 2, PAGE_FRAME + 2, pdf.w - 2 * PAGE_FRAME - 4,
             pdf.h - 2 * PAGE_FRAME - 4)

    footer_top = pdf.h - MARGIN - FOOTER_HEIGHT
    space = footer_top - MARGIN - 4  # at least 4 mm between the body and the footer
    for layout in LAYOUTS:
        parts = _body(pdf, certificate, words, layout, logo)
        if sum(height for height, _ in parts) <= space:
            break
    used = sum(height for height, _ in parts)
    gaps = len(parts) - 1
    gap = min(MAX_GAP, max(0.0, space - used) / gaps) if gaps else 0.0
    y = MARGIN + max(0.0, space - used - gap * gaps) / 2
    for height, draw in parts:
        draw(y)
        y += height + gap
    _footer(pdf, certificate, words, footer_top)
    return bytes(pdf.output())


_Part = tuple[float, Callable[[float], None]]
"""A part of the page: its height (mm), and what draws it with its top at a given y."""


def _body(pdf: FPDF, c: Certificate, words: dict[str, str], layout: _Layout,
          logo: bytes | None) -> list[_Part]:
    """The parts of the page above the footer, measured for ``layout``."""
    s = layout.scale
    width = pdf.epw
    parts: list[_Part] = []
    participation = c.kind == "participation"

    if logo is not None:
        parts.append(_logo(pdf, logo, LOGO_HEIGHT * max(s, 0.6)))

    head: list[tuple[str, float, str, int]] = [  # text, size (pt), style, most lines
        (words["participation_title" if participation else "title"], 28 * s, "B", 1),
    ]
    if participation:
        head.append((words["not_a_certificate"], 11 * s, "B", 2))
    parts.append(_text_block(pdf, head, width))

    date = c.date_text(local_date(c.completed_at))
    version = (words["participation_version"].format(version=_clean(c.course_version))
               if participation else
               words["version"].format(version=_clean(c.course_version), date=date))
    parts.append(_text_block(pdf, [
        (words["intro"], 12 * s, "", 1),
        (_clean(c.learner_name), 22 * s, "B", 2),
        (words["participated" if participation else "completed"], 12 * s, "", 1),
        (_clean(c.course_title), 17 * s, "B", 3),
        (version, 11 * s, "", 1),
    ], width))
    description = _clean(c.course_description)
    if not layout.goals and description:
        parts.append(_text_block(
            pdf, [(words["covers"].format(description=description), 10.5 * s, "", 4)], width))

    parts.append(_modules(pdf, c, words, layout, width))

    summary = []
    if participation:
        summary.append(words["count"].format(done=len(c.modules), total=c.course_modules))
    # Time is measured in the app: for a module a coordinator recorded it is unknown, so
    # a total would understate the work; it is stated only when it is known.
    if c.time_known:
        summary.append(words["total"].format(time=_duration(c.minutes_on_task, words)))
    if summary:
        parts.append(_text_block(pdf, [(" ".join(summary), 11 * s, "", 2)], width,
                                 align="L"))
    # The programme's hours, each on a line of its own (the rule decided them).
    programme = []
    if c.classroom_minutes is not None:
        programme.append(words["classroom"].format(time=_duration(c.classroom_minutes, words)))
    if c.praktik_minutes is not None:
        programme.append(words["praktik"].format(time=_duration(c.praktik_minutes, words)))
    if programme:
        parts.append(_text_block(pdf, [(line, 11 * s, "", 1) for line in programme], width,
                                 align="L"))
    return parts


def _text_block(pdf: FPDF, lines: Sequence[tuple[str, float, str, int]], width: float,
                align: str = "C") -> _Part:
    """Lines of text one under the other, each wrapped to at most its number of lines."""
    set_lines: list[tuple[list[str], float, str, float]] = []
    height = 0.0
    for text, size, style, most in lines:
        pdf.set_font("DejaVu", style, size)
        wrapped = _wrap(pdf, text, width, most)
        step = size * 0.47  # line height, mm, for a size in points
        set_lines.append((wrapped, size, style, step))
        height += step * len(wrapped) + size * 0.18

    def draw(y: float) -> None:
        for wrapped, size, style, step in set_lines:
            pdf.set_font("DejaVu", style, size)
            for line in wrapped:
                pdf.set_xy(pdf.l_margin, y)
                pdf.cell(width, step, line, align=align)
                y += step
            y += size * 0.18

    return height, draw


def _logo(pdf: FPDF, logo: bytes, most_height: float) -> _Part:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(logo)) as image:
        w_px, h_px = image.size
    height = most_height
    width = height * w_px / h_px
    if width > LOGO_WIDTH:
        width, height = LOGO_WIDTH, LOGO_WIDTH * h_px / w_px

    def draw(y: float) -> None:
        pdf.image(io.BytesIO(logo), x=(pdf.w - width) / 2, y=y, w=width, h=height)

    return height, draw


def _modules(pdf: FPDF, c: Certificate, words: dict[str, str], layout: _Layout,
             width: float) -> _Part:
    """The modules, each with its completion date (and its goals, when they fit)."""
    s = layout.scale
    size = 11 * s
    goal_size = 9.5 * s
    step = size * 0.47
    goal_step = goal_size * 0.47
    date_width = 48.0 * max(s, 0.7)
    rows: list[tuple[list[str], str, list[str]]] = []
    for module in c.modules:
        pdf.set_font("DejaVu", "B", size)
        title = _wrap(pdf, _clean(module.title), width - date_width - 3, layout.title_lines)
        goals: list[str] = []
        if layout.goals and module.goals:
            pdf.set_font("DejaVu", "", goal_size)
            goals = _wrap(pdf, " · ".join(_clean(g) for g in module.goals), width - 6, 4)
        rows.append((title, c.date_text(module.completed_on), goals))
    heading = words["participation_modules" if c.kind == "participation"
                    else "modules" if layout.goals else "modules_plain"]
    head_size = 12.5 * s
    head_step = head_size * 0.5
    row_gap = (1.8 if layout.goals else 0.6) * s
    height = head_step + 1.5 * s + sum(
        step * len(title) + goal_step * len(goals) + row_gap for title, _, goals in rows)

    def draw(y: float) -> None:
        pdf.set_font("DejaVu", "B", head_size)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(width, head_step, heading)
        y += head_step
        pdf.set_draw_color(150, 160, 180)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, y + 0.5 * s, pdf.l_margin + width, y + 0.5 * s)
        y += 1.5 * s
        for title, date, goals in rows:
            pdf.set_font("DejaVu", "", size)
            pdf.set_xy(pdf.l_margin + width - date_width, y)
            pdf.cell(date_width, step, date, align="R")
            pdf.set_font("DejaVu", "B", size)
            for line in title:
                pdf.set_xy(pdf.l_margin, y)
                pdf.cell(width - date_width, step, line)
                y += step
            pdf.set_font("DejaVu", "", goal_size)
            pdf.set_text_color(70, 70, 70)
            for line in goals:
                pdf.set_xy(pdf.l_margin + 4, y)
                pdf.cell(width - 6, goal_step, line)
                y += goal_step
            pdf.set_text_color(0, 0, 0)
            y += row_gap

    return height, draw


def _footer(pdf: FPDF, c: Certificate, words: dict[str, str], top: float) -> None:
    """The issuer and date, the signature line with the signer, and the id: at the foot."""
    width = pdf.epw
    pdf.set_font("DejaVu", "", 11)
    issuer = words["issuer"].format(organisation=_clean(c.organisation),
                                    date=c.date_text(c.issued_on))
    y = top
    for line in _wrap(pdf, issuer, width, 2):
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(width, 6, line)
        y += 6
    line_y = top + 24
    pdf.set_draw_color(40, 40, 40)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, line_y, pdf.l_margin + 80, line_y)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_xy(pdf.l_margin, line_y + 1)
    signer = _clean(c.signer)
    pdf.cell(80, 5, _fit(pdf, signer, 80) if signer else words["signature"])
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(pdf.l_margin, pdf.h - MARGIN - 10)
    pdf.cell(width, 5, words["id"].format(id=c.certificate_id))
    pdf.set_xy(pdf.l_margin, pdf.h - MARGIN - 5)
    pdf.cell(width, 5, _fit(pdf, words["verify"].format(organisation=_clean(c.organisation)),
                            width))
    pdf.set_text_color(0, 0, 0)


def _language(language: str) -> str:
    return "da" if language == "da" else "en"


def _duration(total_minutes: int, words: dict[str, str]) -> str:
    hours, mins = divmod(total_minutes, 60)
    return words["hours"].format(h=hours, m=mins) if hours else f"{mins} min"


def _clean(text: str) -> str:
    """Text as one printable line: control characters (tabs, new lines) become spaces."""
    return " ".join(
        "".join(" " if unicodedata.category(c).startswith("C") else c for c in text).split()
    )


def _wrap(pdf: FPDF, text: str, width: float, most: int) -> list[str]:
    """``text`` wrapped to ``width`` in the current font, at most ``most`` lines; the last
    is shortened with an ellipsis when it runs on."""
    wrapped = pdf.multi_cell(width, 5, text, dry_run=True, output="LINES")
    lines = [str(line) for line in wrapped] if isinstance(wrapped, list) else [text]
    if len(lines) <= most:
        return lines or [""]
    kept = lines[:most]
    rest = " ".join(lines[most - 1:])
    kept[-1] = _fit(pdf, rest, width)
    return kept


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` in the current font."""
    measure = pdf.get_string_width
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
