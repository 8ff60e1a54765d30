"""``peerskole course install|list|remove``, ``settings contacts`` and what ``validate``
says about placeholders and courses that take another's place, as a coordinator types them."""

from __future__ import annotations

import contextlib
import io
import shutil
import tomllib
from pathlib import Path

import pytest

from peerskole.cli import main
from peerskole.locations import bundled_courses_dir
from peerskole.store.base import StepUpdate
from peerskole.store.opening import open_store
from tests.conftest import BROKEN_COURSES, SAMPLE_COURSE

BUNDLED = bundled_courses_dir() / "peer-grundforloeb"
BUNDLED_VERSION = tomllib.loads((BUNDLED / "course.toml").read_text(encoding="utf-8"))["version"]
"""The bundled course's version (its records and installs carry it)."""


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def sample(tmp_path: Path, name: str = "mini") -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLE_COURSE, folder)
    return folder


def test_an_invalid_course_is_refused_with_its_problems(tmp_path: Path) -> None:
    broken = BROKEN_COURSES / "misspelt-key"
    code, out, err = run("course", "install", str(broken))
    assert code == 1
    expected = (broken / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert err.splitlines()[: len(expected)] == [f"{broken}/{line}" for line in expected]
    assert "was not installed" in err
    assert run("course", "list")[1].count("installed") == 0


def test_install_again_unchanged_is_said_plainly_and_a_changed_version_is_refused(
    tmp_path: Path,
) -> None:
    folder = sample(tmp_path)
    code, out, err = run("course", "install", str(folder))
    assert code == 0, err
    assert out.startswith("Installed mini version 1.0 (3 files) in ")
    code, out, _ = run("course", "install", str(folder))
    assert code == 0
    assert "is installed already, with these same files" in out and "nothing changed" in out
    manifest = folder / "course.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'title = "Minikursus"', 'title = "Minikursus, rettet"'), encoding="utf-8")
    code, _, err = run("course", "install", str(folder))
    assert code == 1
    assert "version 1.0 is installed already, with other files" in err
    assert 'raise version in' in err and '"1.1"' in err
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'version = "1.0"', 'version = "1.1"'), encoding="utf-8")
    code, out, err = run("course", "install", str(folder))
    assert code == 0, err
    assert "records keep the version they were made on (1.0 stay installed)" in out
    code, out, _ = run("course", "list")
    [row] = [line for line in out.splitlines() if line.startswith("mini ")]
    assert "Minikursus, rettet" in row and "1.0, 1.1" in row and row.endswith("installed")


def test_list_says_where_each_comes_from_and_what_an_install_replaces(tmp_path: Path) -> None:
    code, out, _ = run("course", "list")
    assert code == 0
    assert f"bundled {BUNDLED}" in out
    fork = tmp_path / "fork"
    shutil.copytree(BUNDLED, fork)
    code, out, err = run("course", "install", str(fork))
    assert code == 0, err
    assert f"It takes the place of the bundled course with the same id in {BUNDLED}." in out
    code, out, _ = run("course", "list")
    assert out.splitlines()[0].split() == ["ID", "TITLE", "VERSIONS", "LEARNERS", "FROM"]
    assert f"    takes the place of the bundled course in {BUNDLED}" in out


def test_list_as_json_gives_the_same_courses_for_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    fork = tmp_path / "fork"
    shutil.copytree(BUNDLED, fork)
    assert run("course", "install", str(fork))[0] == 0
    broken = tmp_path / "kurser" / "broken"
    shutil.copytree(BROKEN_COURSES / "misspelt-key", broken)
    monkeypatch.setenv("PEERSKOLE_COURSES", str(broken.parent))
    code, out, err = run("course", "list", "--json")
    assert code == 0, err
    courses = {c["id"]: c for c in json.loads(out)["courses"]}
    installed = courses["peer-grundforloeb"]
    assert installed["source"] == "installed" and installed["folder"] is None
    assert installed["versions"] == [BUNDLED_VERSION]
    assert installed["title"] == "Grundforløb for peer-støttemedarbejdere"
    assert installed["valid"] is True and installed["learners"] == 0
    assert installed["replaces"] == [{"source": "bundled", "folder": str(BUNDLED)}]
    other = courses["broken"]
    assert other["source"] == "folder" and other["folder"] == str(broken)
    assert other["valid"] is False and other["title"] is None
    code, table, _ = run("course", "list")
    assert len(table.splitlines()) == 1 + len(courses) + 1  # header, rows, "takes the place"


def test_remove_is_refused_while_learners_have_records_unless_asked_plainly(
    tmp_path: Path,
) -> None:
    fork = tmp_path / "fork"
    shutil.copytree(BUNDLED, fork)
    assert run("course", "install", str(fork))[0] == 0
    store = open_store()
    try:
        learner = store.add_learner("Åse")
        store.update_step(learner.id, "peer-grundforloeb", BUNDLED_VERSION, "m", "s",
                          StepUpdate(add_seconds=5))
    finally:
        store.close()
    code, out, _ = run("course", "list")
    [row] = [line for line in out.splitlines() if line.startswith("peer-grundforloeb")]
    assert row.split()[-2:] == ["1", "installed"]
    code, _, err = run("course", "remove", "peer-grundforloeb")
    assert code == 1
    assert "1 learner(s) have records in peer-grundforloeb" in err
    assert "--even-with-records" in err
    code, out, err = run("course", "remove", "peer-grundforloeb", "--even-with-records")
    assert code == 0, err
    assert f"Removed peer-grundforloeb (1 version(s): {BUNDLED_VERSION})." in out
    assert f"The bundled course in {BUNDLED} is used again in its place." in out
    code, _, err = run("course", "remove", "peer-grundforloeb")
    assert code == 1 and 'No course "peer-grundforloeb" is installed' in err


def test_validate_says_which_course_takes_the_place_of_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fork = tmp_path / "kurser" / "fork"
    shutil.copytree(BUNDLED, fork)
    code, out, _ = run("validate", str(fork))
    assert code == 0
    assert (f'note: another course has the id "peer-grundforloeb": bundled {BUNDLED} is used '
            "in this one's place") in out
    monkeypatch.setenv("PEERSKOLE_COURSES", str(fork.parent))
    code, out, _ = run("validate", str(fork))
    assert code == 0
    assert f"note: this course takes the place of the bundled course in {BUNDLED}" in out
    assert run("course", "install", str(fork))[0] == 0
    code, out, _ = run("validate", str(fork))
    assert f"installed {BUNDLED_VERSION} is used in this one's place" in out
    assert f"install this one with: peerskole course install {fork}" in out


def test_validate_warns_of_placeholder_text_without_failing(tmp_path: Path) -> None:
    folder = tmp_path / "mit-kursus"
    assert run("new", "course", str(folder))[0] == 0
    code, out, _ = run("validate", str(folder))
    assert code == 0, out
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert any('course.toml:' in w and '"Udfyldes af uddannelsesstedet"' in w
               for w in warnings), warnings
    assert any("(skriv et læringsmål)" in w and "modules/" in w for w in warnings), warnings
    # The sample course has none.
    code, out, _ = run("validate", str(SAMPLE_COURSE))
    assert code == 0 and "warning:" not in out


def test_the_organisations_contacts_are_set_from_a_toml_file(tmp_path: Path) -> None:
    from peerskole.course.contacts import CONTACTS_SETTING, stored_contacts

    good = tmp_path / "kontakter.toml"
    good.write_text(
        '[[contacts]]\nname = "Recovery-skolen Aarhus"\nphone = "12 34 56 78"\n'
        'hours = "Hverdage 9-15"\nnote = "Ring, hvis noget rørte dig."\n', encoding="utf-8")
    code, out, err = run("settings", "contacts", str(good))
    assert code == 0, err
    assert "1 support contact(s) set: Recovery-skolen Aarhus." in out
    store = open_store()
    try:
        [contact] = stored_contacts(store.setting("", CONTACTS_SETTING))
    finally:
        store.close()
    assert (contact.name, contact.phone, contact.hours) == (
        "Recovery-skolen Aarhus", "12 34 56 78", "Hverdage 9-15")


def test_a_contacts_file_with_problems_says_where_and_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "kontakter.toml"
    bad.write_text(
        '[[contacts]]\nname = "Skolen"\nphone = 12345678\n\n'
        '[[contacts]]\nhours = "9-15"\nemail = "a@b.dk"\n', encoding="utf-8")
    code, _, err = run("settings", "contacts", str(bad))
    assert code == 1
    lines = err.splitlines()
    assert f"{bad}:3:1: contacts[1].phone: phone must be text in quotes" in lines
    assert any(line.startswith(f"{bad}:7:1: contacts[2]: unknown field \"email\"")
               for line in lines), lines
    assert any(line.startswith(f"{bad}:5:1: contacts[2]: this contact has no name")
               for line in lines), lines
    assert "the contacts were not changed" in err
    bad.write_text('[[contacts]\nname = "x"\n', encoding="utf-8")
    code, _, err = run("settings", "contacts", str(bad))
    assert code == 1 and err.startswith(f"{bad}:1:") and "not valid TOML" in err


def test_a_contacts_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "kontakter.toml"
    os.mkfifo(fifo)
    code, _, err = run("settings", "contacts", str(fifo))  # never waits on it
    assert code == 1 and "a named pipe (FIFO)" in err
    code, _, err = run("settings", "contacts", str(tmp_path / "nope.toml"))
    assert code == 1 and "cannot read the file" in err


def test_prose_about_placeholders_is_not_one() -> None:
    from peerskole.course.placeholders import PLACEHOLDER

    assert PLACEHOLDER.search('Står der stadig »udfyldes«, så spørg din underviser.') is None
    assert PLACEHOLDER.search('phone = "Udfyldes af uddannelsesstedet"') is not None
    assert PLACEHOLDER.search('name = "Din kontaktperson (udfyldes)"') is not None
    assert PLACEHOLDER.search('"Efter modulet kan du ... (skriv et læringsmål).",') is not None
