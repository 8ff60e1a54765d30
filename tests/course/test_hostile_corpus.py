"""A course file cannot hurt: every hostile course gives its expected messages, safely.

The committed cases live in tests/hostile-courses; those that cannot be committed
(links, FIFOs, control characters in file names, a huge file) are built here.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
from pathlib import Path

import pytest

from peerskole.cli import main
from peerskole.course.files import MAX_FILE_BYTES
from peerskole.course.loader import check_course
from peerskole.course.problems import CourseError
from peerskole.safe_text import LINE_FORBIDDEN
from tests.conftest import SAMPLE_COURSE, TESTS_DIR

HOSTILE_COURSES = TESTS_DIR / "hostile-courses"
CASES = sorted(p for p in HOSTILE_COURSES.iterdir() if (p / "expected.txt").is_file())


def validate(*args: str) -> tuple[int, str, str]:
    """Run ``peerskole validate`` in-process; its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", *args])
    return code, out.getvalue(), err.getvalue()


def assert_terminal_safe(text: str) -> None:
    """No character a terminal acts on, but line feeds and tabs."""
    for line in text.split("\n"):
        found = LINE_FORBIDDEN.search(line.replace("\t", " "))
        assert found is None, (f"U+{ord(found.group()):04X}", line)


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_hostile_course_reports_expected_messages(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    course, problems = check_course(Path("."))
    assert course is None
    assert [str(p) for p in problems] == expected
    assert CourseError(problems).report().splitlines() == expected
    code, out, err = validate(".")
    assert code == 1
    assert out.splitlines() == expected
    assert_terminal_safe(out + err)
    _, as_json, _ = validate("--json", ".")
    assert_terminal_safe(as_json)


def test_the_hostile_corpus_covers_the_attacks() -> None:
    assert {p.name for p in CASES} >= {
        "osc52-clipboard-key", "clear-screen-id", "bidi-override-title", "deep-nesting",
        "deep-inline-arrays", "c1-control-sequence",
    }


def test_json_keeps_the_exact_text_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.chdir(HOSTILE_COURSES / "c1-control-sequence")
    _, out, _ = validate("--json", ".")
    assert "\\u009b2J" in out
    messages = [p["message"] for p in json.loads(out)[0]["problems"]]
    assert '"\x9b2J" is not a valid id' in messages


# --- What cannot be committed ------------------------------------------------------------


def course_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(SAMPLE_COURSE, folder)
    return folder


def problem_lines(folder: Path) -> list[str]:
    course, problems = check_course(folder)
    assert course is None
    return [f"{p.file.relative_to(folder)}:{p.line}:{p.column}: {p.message}" for p in problems]


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    (folder / "modules" / "zero.toml").symlink_to("/dev/zero")
    assert problem_lines(folder) == [
        "modules/zero.toml:1:1: the file is a link to a file outside the course folder, "
        "which peerskole does not read; copy the file into the course folder instead"
    ]


def test_a_device_inside_the_folder_is_not_read(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    # A link that stays inside the folder to a link out of it still ends outside.
    (folder / "dev").symlink_to("/dev")
    (folder / "modules" / "zero.toml").symlink_to(folder / "dev" / "zero")
    assert problem_lines(folder) == [
        "modules/zero.toml:1:1: the file is a link to a file outside the course folder, "
        "which peerskole does not read; copy the file into the course folder instead"
    ]


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    secret = tmp_path / "secret.toml"
    secret.write_text('id = "hemmelig"\n', encoding="utf-8")
    (folder / "modules" / "03-secret.toml").symlink_to(secret)
    lines = problem_lines(folder)
    assert lines == [
        "modules/03-secret.toml:1:1: the file is a link to a file outside the course folder, "
        "which peerskole does not read; copy the file into the course folder instead"
    ]
    assert "hemmelig" not in "".join(lines)


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    first = folder / "modules" / "01-first.toml"
    kept = folder / "01-first.toml"
    first.rename(kept)
    first.symlink_to(kept)
    course, problems = check_course(folder)
    assert problems == [] and course is not None


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    os.mkfifo(folder / "modules" / "03-pipe.toml")
    result: list[list[str]] = []
    worker = threading.Thread(target=lambda: result.append(problem_lines(folder)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader so the test run can end
        with open(os.open(folder / "modules" / "03-pipe.toml", os.O_WRONLY | os.O_NONBLOCK)):
            pass
        pytest.fail("reading the course waited on a FIFO")
    assert result == [[
        "modules/03-pipe.toml:1:1: the file is a named pipe (FIFO), not a text file; "
        "peerskole reads only regular files in a course folder"
    ]]


def test_a_fifo_manifest_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    (folder / "course.toml").unlink()
    os.mkfifo(folder / "course.toml")
    done = threading.Event()
    found: list[str] = []

    def run() -> None:
        found.extend(problem_lines(folder))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(timeout=10), "reading the manifest waited on a FIFO"
    assert found[0] == ("course.toml:1:1: the file is a named pipe (FIFO), not a text file; "
                        "peerskole reads only regular files in a course folder")


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    (folder / "modules" / "03-big.toml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert problem_lines(folder) == [
        "modules/03-big.toml:1:1: the file is larger than 1 MB, the most peerskole reads from "
        "one course file; split the module into smaller modules"
    ]


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    first = folder / "modules" / "01-first.toml"
    text = first.read_bytes()
    first.write_bytes(text + b"#" * (MAX_FILE_BYTES - len(text)))
    course, problems = check_course(folder)
    assert problems == [] and course is not None


def test_a_file_name_that_would_retitle_the_terminal(tmp_path: Path) -> None:
    folder = course_copy(tmp_path)
    (folder / "modules" / "\x1b]0;PWNED\x07.toml").write_text('id = "x"\n', encoding="utf-8")
    assert problem_lines(folder) == [
        "modules/\x1b]0;PWNED\x07.toml:1:1: the file name contains a control character (U+001B)"
    ]
    code, out, err = validate(str(folder))
    assert code == 1
    assert "\ufffd]0;PWNED\ufffd.toml:1:1: the file name contains a control character" in out
    assert_terminal_safe(out + err)
