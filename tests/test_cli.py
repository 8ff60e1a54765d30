"""The peerskole command as an instructor uses it, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerskole.cli import main
from tests.conftest import BROKEN_COURSES, REPO_DIR, SAMPLE_COURSE


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    return subprocess.run(
        [sys.executable, "-m", "peerskole", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=60,
    )


def test_validate_valid_course_exits_zero() -> None:
    result = run("validate", str(SAMPLE_COURSE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(2 modules, 7 steps)" in result.stdout


def test_validate_broken_course_prints_every_problem_and_exits_one() -> None:
    case = BROKEN_COURSES / "misspelt-key"
    result = run("validate", ".", cwd=case)
    assert result.returncode == 1
    assert result.stdout.splitlines() == (case / "expected.txt").read_text().splitlines()
    assert "Traceback" not in result.stderr
    assert "2 problem(s) in 1 course(s)." in result.stderr


def test_validate_a_folder_of_courses_checks_each(tmp_path: Path) -> None:
    result = run("validate", str(BROKEN_COURSES))
    assert result.returncode == 1
    cases = [p for p in BROKEN_COURSES.iterdir() if (p / "course.toml").exists()]
    assert f"in {len(cases)} course(s)." in result.stderr


def test_validate_json_for_tools() -> None:
    result = run("validate", "--json", str(BROKEN_COURSES / "unknown-requires"))
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload[0]["ok"] is False
    problem = payload[0]["problems"][0]
    assert problem["line"] == 5 and problem["column"] == 13
    assert problem["field"] == "requires[1]"
    assert problem["hint"] == 'did you mean "intro"?'


def test_validate_without_paths_checks_the_bundled_courses() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "peer-grundforloeb" in result.stdout


def test_validate_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "this course folder does not exist" in result.stdout


@pytest.mark.parametrize(
    "args", [["--help"], ["validate", "--help"], ["schema", "--help"], ["new", "--help"],
             ["new", "course", "--help"], ["new", "module", "--help"]]
)
def test_every_help_has_an_example(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out
    assert "peerskole " in out.split("example", 1)[1]


def test_new_course_and_module_validate(tmp_path: Path) -> None:
    folder = tmp_path / "mit-kursus"
    assert run("new", "course", str(folder), "--title", 'Mit "kursus"').returncode == 0
    added = run("new", "module", str(folder), "aktiv-lytning", "--title", "Aktiv lytning")
    assert added.returncode == 0, added.stderr
    result = run("validate", str(folder))
    assert result.returncode == 0, result.stdout
    assert "(2 modules, 12 steps)" in result.stdout
    manifest = (folder / "course.toml").read_text(encoding="utf-8")
    assert 'modules = ["introduktion", "aktiv-lytning"]' in manifest
    assert "# Module ids in the order trainees meet them." in manifest  # comments kept
    assert (folder / "modules" / "02-aktiv-lytning.toml").is_file()


def test_a_new_module_in_a_copy_of_the_bundled_course_uses_its_schemas(tmp_path: Path) -> None:
    """The bundled course points into the repository's schemas/; a new module does too."""
    import shutil

    copy = tmp_path / "repo" / "courses" / "peer-grundforloeb"
    shutil.copytree(REPO_DIR / "courses" / "peer-grundforloeb", copy)
    shutil.copytree(REPO_DIR / "schemas", tmp_path / "repo" / "schemas")
    assert run("new", "module", str(copy), "ekstra").returncode == 0
    module = next((copy / "modules").glob("*-ekstra.toml"))
    first = module.read_text(encoding="utf-8").splitlines()[0]
    assert first == "#:schema ../../../schemas/module.schema.json"
    assert (module.parent / "../../../schemas/module.schema.json").resolve().is_file()
    assert not (copy / "schemas").exists()  # no second copy of the schemas


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "module", "{tmp}", "x"], "has no course.toml: create a course first"),
        (["new", "module", "{course}", "Bad Id"], '"Bad Id" is not a valid module id'),
        (["new", "module", "{course}", "introduktion"], 'module "introduktion" is already listed'),
        (["new", "course", "{course}"], "is not empty: choose a new folder"),
    ],
)
def test_scaffold_refusals_say_what_to_do(tmp_path: Path, args: list[str], message: str) -> None:
    course = tmp_path / "kursus"
    assert run("new", "course", str(course)).returncode == 0
    filled = [a.format(tmp=tmp_path, course=course) for a in args]
    result = run(*filled)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_validates_hint_for_a_listed_module_without_a_file_works(tmp_path: Path) -> None:
    course = tmp_path / "kursus"
    assert run("new", "course", str(course)).returncode == 0
    manifest = course / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'modules = ["introduktion"]', 'modules = ["introduktion", "lytning"]'), encoding="utf-8")
    checked = run("validate", str(course))
    hint = f"peerskole new module {course} lytning"
    assert hint in checked.stdout
    made = run(*hint.split()[1:])
    assert made.returncode == 0, made.stderr
    assert "lists it already" in made.stdout
    assert 'modules = ["introduktion", "lytning"]' in manifest.read_text(encoding="utf-8")
    assert run("validate", str(course)).returncode == 0


def test_a_new_module_keeps_a_manifest_written_with_crlf_crlf(tmp_path: Path) -> None:
    course = tmp_path / "kursus"
    assert run("new", "course", str(course)).returncode == 0
    manifest = course / "course.toml"
    manifest.write_bytes(manifest.read_bytes().replace(b"\n", b"\r\n"))
    assert run("new", "module", str(course), "lytning").returncode == 0
    written = manifest.read_bytes()
    assert b'"lytning"' in written
    assert written.count(b"\n") == written.count(b"\r\n")  # no bare LF added
    module = next((course / "modules").glob("*-lytning.toml")).read_bytes()
    assert module.count(b"\n") == module.count(b"\r\n") > 0
    assert run("validate", str(course)).returncode == 0


def test_a_folder_name_that_is_no_id_suggests_one(tmp_path: Path) -> None:
    result = run("new", "course", "kurser/Mit Kursus", cwd=tmp_path)
    assert result.returncode == 1
    assert "--id mit-kursus" in result.stderr
    assert not (tmp_path / "kurser").exists()
    assert run("new", "course", "kurser/Mit Kursus", "--id", "mit-kursus",
               cwd=tmp_path).returncode == 0


def test_schema_to_stdout_and_file(tmp_path: Path) -> None:
    result = run("schema", "module")
    schema = json.loads(result.stdout)
    assert schema["title"] == "Module"
    out = tmp_path / "course.schema.json"
    assert run("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())["title"] == "CourseManifest"


def test_an_argument_that_is_not_utf8_is_a_sentence_not_a_traceback() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    done = subprocess.run(
        [sys.executable, "-m", "peerskole", "learner", "add", b"\xc5se Hansen"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert 'is not UTF-8 text (byte 0xC5); set the terminal to UTF-8' in done.stderr


def test_a_reader_that_stops_reading_ends_the_command_quietly() -> None:
    """`peerskole validate --json … | head -1`: no BrokenPipeError traceback."""
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    process = subprocess.Popen(
        [sys.executable, "-m", "peerskole", "validate", "--json", str(BROKEN_COURSES)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before it writes: its first write finds no reader
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr


def test_a_terminal_that_is_not_utf8_gets_question_marks_not_a_traceback(
    isolated_paths: Path,
) -> None:
    """A Latin-1 terminal cannot show "✓" (nor the arrow of a rename): it is shown as "?"."""
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}

    def peerskole(*args: str, encoding: str = "utf-8") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "peerskole", *args], capture_output=True,
                              env={**env, "PYTHONIOENCODING": encoding}, timeout=60)

    learner = peerskole("learner", "add", "Bo ✓").stdout.decode().strip()
    listed = peerskole("learner", "list", encoding="latin-1")
    assert listed.returncode == 0, listed.stderr
    assert b"Traceback" not in listed.stderr
    assert "Bo ?" in listed.stdout.decode("latin-1")
    renamed = peerskole("learner", "rename", learner, "Bø", encoding="latin-1")
    assert renamed.returncode == 0, renamed.stderr
    assert "Bo ? ? Bø." in renamed.stdout.decode("latin-1")


def test_a_new_course_shows_a_branching_scenario(tmp_path: Path) -> None:
    from peerskole.course.branching import path_problems, scenario_path, successors
    from peerskole.course.loader import load_course
    from peerskole.course.model import Scenario

    folder = tmp_path / "mit-kursus"
    assert run("new", "course", str(folder)).returncode == 0
    module = next((folder / "modules").glob("*.toml")).read_text(encoding="utf-8")
    assert 'next = "end"' in module and 'next = "lytter"' in module
    [scenario] = [s for m in load_course(folder).modules for s in m.steps
                  if isinstance(s, Scenario)]
    assert path_problems(successors(scenario)) == path_problems([])
    # The poor first response leads to its own turn; the best one to another.
    assert scenario_path(scenario, [1]).open_turn == 2
    assert scenario_path(scenario, [0, 0]).ended
