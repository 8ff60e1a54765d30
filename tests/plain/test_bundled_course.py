"""The bundled course's first module in plain mode, answered by what each prompt asks."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TextIO, cast

from peerskole.course.loader import check_course
from peerskole.i18n import Translator
from peerskole.plain.app import run_plain
from peerskole.progress import ratings_saved, step_done
from peerskole.store.opening import open_store
from tests.conftest import REPO_DIR

BUNDLED = REPO_DIR / "courses" / "peer-grundforloeb"
T = Translator("da")
WORDS = " ".join(["Jeg", "lagde", "mærke", "til", "hvordan", "det", "var", "at", "lytte"] * 12)


class Trainee:
    """Reads what plain mode printed since the last answer, and answers what it asks."""

    def __init__(self, out: io.StringIO) -> None:
        self.out = out
        self.seen = 0
        self.queued: list[str] = []
        self.logged = False
        self.answers = 0

    def readline(self) -> str:
        text = self.out.getvalue()
        chunk, self.seen = text[self.seen:], len(text)
        self.answers += 1
        if self.answers > 600:
            return ""  # the input ends: something went round in circles
        return self._answer(chunk) + "\n"

    def _answer(self, chunk: str) -> str:
        if self.queued:
            return self.queued.pop(0)
        if "Du er nået til slutningen af modulet" in chunk:
            return T("plain.cmd.quit")
        if T("plain.text_how", end=".") in chunk:
            self.queued = ["."]
            return WORDS
        if T("plain.practice_new") in chunk and not self.logged:
            self.logged = True
            return "1"
        if "Tryk Enter for" in chunk:
            return ""
        if T("practice.minutes_unit") in chunk:
            return "20"
        if T("plain.rating") in chunk:
            return "4"
        if "Skriv numrene" in chunk:
            return "1"
        if "Skriv et tal fra 1 til" in chunk:
            return "1"
        return "Noget tekst"


def test_the_first_module_of_the_bundled_course_is_walked_to_its_end(data_dir: Path) -> None:
    out = io.StringIO()
    trainee = Trainee(out)
    status = run_plain(BUNDLED, data_dir=data_dir, stdin=cast("TextIO", trainee), stdout=out)
    assert status == 0, out.getvalue()[-2000:]
    assert trainee.answers < 600, out.getvalue()[-2000:]
    assert "Traceback" not in out.getvalue()
    course, _ = check_course(BUNDLED)
    assert course is not None
    module = course.modules[0]
    store = open_store(data_dir)
    try:
        [learner] = store.learners()
        records = {r.step_id: r for r in store.step_records(learner.id, course.id)}
    finally:
        store.close()
    kinds_walked = {step.kind for step in module.steps}
    assert len(kinds_walked) >= 5
    for step in module.steps:
        assert step.id in records, step.id
        if step.kind == "self_assessment":
            # Rated "before"; "after" waits for the quiz, which the first options may fail.
            assert ratings_saved(step, records[step.id])[0], step.id
        elif step.kind != "quiz":
            assert step_done(step, records[step.id]), step.id
