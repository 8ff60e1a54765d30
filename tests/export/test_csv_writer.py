"""The export's own CSV writer against the standard library's, over hostile cells.

The writer (``CsvLines``) is written out for speed rather than built on
``csv.writer``; these tests hold it to what ``csv.writer`` (QUOTE_MINIMAL, CRLF)
writes, and to what ``csv.reader`` reads back, for cells a trainee or an author
could type: separators, quotes, CR, LF, a byte-order mark, formula triggers.
"""

from __future__ import annotations

import csv
import io
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.export.csv_export import COLUMNS, EXCEL, PLAIN, CsvDialect, CsvLines, neutralise
from peerskole.export.records import LearnerReport, course_report
from peerskole.store.base import Learner
from tests.conftest import SAMPLE_COURSE

HOSTILE = st.text(
    alphabet=st.sampled_from(list(",;\"'\r\n\t =+-@\ufeffaÅ0 ")) | st.characters(),
    max_size=12,
)
"""Cells made mostly of what a CSV writer must get right."""
DIALECTS = st.sampled_from([PLAIN, EXCEL])


@cache
def sample_course() -> Course:
    return load_course(SAMPLE_COURSE)


def standard_row(cells: list[str], dialect: CsvDialect) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


@settings(max_examples=400, deadline=None)
@given(cell=HOSTILE, dialect=DIALECTS)
def test_a_text_cell_is_written_as_csv_writer_writes_it(cell: str, dialect: CsvDialect) -> None:
    lines = CsvLines(dialect)
    # Between two plain cells, so an empty cell is written as csv.writer writes it there.
    ours = dialect.delimiter.join(("a", lines.text(cell), "b")) + "\r\n"
    assert ours == standard_row(["a", neutralise(cell), "b"], dialect)


@settings(max_examples=150, deadline=None)
@given(name=HOSTILE, cohort=HOSTILE, title=HOSTILE, module_title=HOSTILE, dialect=DIALECTS)
def test_a_learners_lines_read_back_as_the_cells_written(
    name: str, cohort: str, title: str, module_title: str, dialect: CsvDialect
) -> None:
    course = sample_course()
    first, *rest = course.modules
    hostile = course.model_copy(update={
        "manifest": course.manifest.model_copy(update={"title": title}),
        "modules": (first.model_copy(update={"title": module_title}), *rest),
    })
    learner = Learner("l1", name, cohort or None, "2026-03-01T09:00:00+00:00")
    report = LearnerReport(learner, (course_report(hostile, []),))
    lines = CsvLines(dialect)
    text = lines.header() + "".join(lines.learner(report))
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=dialect.delimiter))
    assert [r["row_type"] for r in rows] == ["course"] + ["module"] * len(course.modules)
    for row in rows:
        assert list(row) == list(COLUMNS)
        assert row["learner_name"] == neutralise(name)
        assert row["cohort"] == neutralise(cohort)
        assert row["course_title"] == neutralise(title)
    assert rows[1]["module_title"] == neutralise(module_title)
