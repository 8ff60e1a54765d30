"""The course library in the store, the same on every backend (SQLite and PostgreSQL), and
the one lookup that decides which course is used: installed > folder > bundled."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest

from peerskole.cli import main
from peerskole.course.library import (
    content_hash,
    course_files_of,
    installed_folder,
    known_courses,
    load_courses,
    load_installed_version,
)
from peerskole.errors import UserError
from peerskole.store.base import InstalledCourse, ManualCompletion, StepUpdate
from peerskole.store.sql import SQLStore
from tests.conftest import SAMPLE_COURSE


def installed(course_id: str = "mini", version: str = "1.0", digest: str = "0" * 64,
              title: str = "Minikursus") -> InstalledCourse:
    return InstalledCourse(course_id, version, title, digest, "2026-03-01T10:00:00+00:00", "ida")


def copy_of_sample(tmp_path: Path, name: str = "mini", version: str = "1.0",
                   course_id: str = "mini", title: str = "Minikursus") -> Path:
    folder = tmp_path / name
    shutil.copytree(SAMPLE_COURSE, folder)
    manifest = folder / "course.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('version = "1.0"', f'version = "{version}"')
    text = text.replace('id = "mini"', f'id = "{course_id}"')
    text = text.replace('title = "Minikursus"', f'title = "{title}"')
    manifest.write_text(text, encoding="utf-8")
    return folder


def install(store: SQLStore, folder: Path) -> InstalledCourse:
    from peerskole.course.loader import load_course

    course = load_course(folder)
    files = course_files_of(folder)
    stored, added = store.install_course(
        installed(course.id, course.version, content_hash(files), course.title), files)
    assert added
    return stored


def test_a_version_is_kept_with_every_file_and_installed_once(store: SQLStore) -> None:
    files = {"course.toml": 'id = "mini"\n', "modules/01-first.toml": "id = \"first\"\n"}
    first, added = store.install_course(installed(digest="a" * 64), files)
    assert added and first == installed(digest="a" * 64)
    # The same version again (other files): kept as it was, and the caller is told.
    again, added = store.install_course(installed(digest="b" * 64), {"course.toml": "x"})
    assert not added and again.content_hash == "a" * 64
    assert store.course_files("mini", "1.0") == files
    store.install_course(installed(version="1.1", digest="c" * 64), {"course.toml": "y"})
    assert [v.version for v in store.installed_courses("mini")] == ["1.0", "1.1"]
    assert store.course_files("mini", "2.0") == {}
    assert store.remove_course("mini") == 2
    assert store.installed_courses() == [] and store.course_files("mini", "1.0") == {}


def test_learners_with_records_counts_step_records_and_recorded_completions(
    store: SQLStore,
) -> None:
    a, b, _ = store.add_learner("Åse"), store.add_learner("Bo"), store.add_learner("Cai")
    store.update_step(a.id, "mini", "1.0", "first", "s", StepUpdate(add_seconds=3))
    store.update_step(a.id, "mini", "1.0", "first", "t", StepUpdate(add_seconds=3))
    store.add_manual_completions([ManualCompletion(b.id, "mini", "first", "2026-03-01",
                                                   "På papir", "ida", "2026-03-01T10:00")])
    store.update_step(b.id, "other", "1.0", "m", "s", StepUpdate(add_seconds=3))
    assert store.learners_with_records("mini") == 2
    assert store.learners_with_records("nope") == 0


def test_an_installed_course_takes_the_place_of_a_folder_with_its_id(
    store: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_of_sample(tmp_path / "folders", title="Fra mappen")
    monkeypatch.setenv("PEERSKOLE_COURSES", str(folder.parent))
    before = {k.id: k for k in known_courses(store)}
    assert before["mini"].source == "folder" and before["mini"].folder == folder
    install(store, copy_of_sample(tmp_path / "src", title="Installeret"))
    after = {k.id: k for k in known_courses(store)}
    assert after["mini"].source == "installed" and after["mini"].version == "1.0"
    assert after["mini"].replaces == (("folder", folder),)
    assert after["peer-grundforloeb"].source == "bundled"  # the bundled course is still there
    [course] = load_courses("mini", store)
    assert course.title == "Installeret"
    assert load_courses("mini", None)[0].title == "Fra mappen"  # without the store


def test_a_folder_course_takes_the_place_of_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerskole.locations import bundled_courses_dir

    fork = tmp_path / "kurser" / "fork"
    shutil.copytree(bundled_courses_dir() / "peer-grundforloeb", fork)
    monkeypatch.setenv("PEERSKOLE_COURSES", str(fork.parent))
    [known] = [k for k in known_courses(None) if k.id == "peer-grundforloeb"]
    assert known.source == "folder" and known.folder == fork
    assert known.replaces == (("bundled", bundled_courses_dir() / "peer-grundforloeb"),)


def test_installed_courses_load_from_a_cache_under_the_data_folder_by_the_loaders_rules(
    store: SQLStore, tmp_path: Path, isolated_paths: Path
) -> None:
    version = install(store, copy_of_sample(tmp_path))
    folder = installed_folder(store, version)
    assert folder.is_relative_to(isolated_paths)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.toml")) == [
        "course.toml", "modules/01-first.toml", "modules/02-second.toml"]
    # A module swapped for a link to a device in the cache is refused by the loader as in
    # any course folder, not read.
    if hasattr(os, "symlink"):
        module = folder / "modules" / "02-second.toml"
        module.unlink()
        module.symlink_to("/dev/zero")
        from peerskole.course.loader import check_course

        course, problems = check_course(folder)
        assert course is None
        assert any("not a text file" in p.message or "outside the course folder" in p.message
                   for p in problems), problems


def test_a_store_row_that_is_not_a_course_file_is_never_written(
    store: SQLStore, tmp_path: Path
) -> None:
    files = {"course.toml": "x", "../../evil.toml": "y"}
    version, _ = store.install_course(installed(digest=content_hash(files)), files)
    with pytest.raises(UserError, match="not a course file"):
        installed_folder(store, version)
    assert not (tmp_path / "evil.toml").exists()


def test_the_exact_version_a_trainee_worked_on_stays_loadable(
    store: SQLStore, tmp_path: Path
) -> None:
    install(store, copy_of_sample(tmp_path / "a", title="Første udgave"))
    install(store, copy_of_sample(tmp_path / "b", version="1.1", title="Anden udgave"))
    assert load_courses("mini", store)[0].title == "Anden udgave"  # new learners: the latest
    old = load_installed_version(store, "mini", "1.0")
    assert old is not None and old.title == "Første udgave"
    assert load_installed_version(store, "mini", "9.9") is None


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_another_machine_on_the_same_database_exports_a_course_installed_on_the_first(
    postgres_schema_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerskole.store.postgres import PostgresStore

    monkeypatch.setenv("PEERSKOLE_DATABASE_URL", postgres_schema_url)
    first_machine, second_machine = tmp_path / "machine-1", tmp_path / "machine-2"
    course = copy_of_sample(tmp_path / "src", course_id="lyt-og-stoet", title="Lyt og støt")
    monkeypatch.setenv("PEERSKOLE_DATA_DIR", str(first_machine))
    code, out, err = run("course", "install", str(course))
    assert code == 0, err
    learner_id = run("learner", "add", "Åse Hansen")[1].split()[-1].strip(".")
    store = PostgresStore(postgres_schema_url)
    try:
        store.update_step(learner_id, "lyt-og-stoet", "1.0", "first", "intro",
                          StepUpdate(add_seconds=60, done=True, facts={"read": True}))
    finally:
        store.close()
    shutil.rmtree(course)  # the folder is gone; the store has the course
    # The second machine: its own data folder (no cache), the same database.
    monkeypatch.setenv("PEERSKOLE_DATA_DIR", str(second_machine))
    exported = tmp_path / "hold.csv"
    code, _, err = run("export", "--format", "csv", "--course", "lyt-og-stoet", "-o",
                       str(exported))
    assert code == 0, err
    out = exported.read_text(encoding="utf-8")
    rows = [line for line in out.splitlines() if learner_id in line]
    assert rows and all("lyt-og-stoet" in row and "Lyt og støt" in row for row in rows), out
    assert (second_machine / "course-cache").is_dir()
    code, out, _ = run("course", "list")
    assert code == 0 and "lyt-og-stoet" in out and "installed" in out


def one_module_course(folder: Path, version: str, module_title: str) -> Path:
    """A course of one module of one reading step."""
    (folder / "modules").mkdir(parents=True)
    (folder / "course.toml").write_text(
        'format_version = 1\nid = "kort"\ntitle = "Kort kursus"\n'
        f'version = "{version}"\nlanguage = "da"\ndescription = "Et kort kursus."\n'
        'modules = ["eneste"]\n\n[[support]]\nname = "Alarmcentralen"\nphone = "112"\n'
        "emergency = true\n", encoding="utf-8")
    (folder / "modules" / "01-eneste.toml").write_text(
        f'id = "eneste"\ntitle = "{module_title}"\ngoals = ["At lytte."]\nminutes = 5\n\n'
        '[[steps]]\nkind = "reading"\nid = "laes"\ntitle = "Læs"\ntext = "Tekst."\n',
        encoding="utf-8")
    return folder


def test_a_certificate_states_the_modules_of_the_version_the_course_was_completed_on(
    store: SQLStore, tmp_path: Path
) -> None:
    import argparse

    from peerskole.commands.coordinator import _CertificateIssuing

    install(store, one_module_course(tmp_path / "v1", "1.0", "Lytning, første udgave"))
    learner = store.add_learner("Åse")
    store.update_step(learner.id, "kort", "1.0", "eneste", "laes",
                      StepUpdate(facts={"read": True}, add_seconds=60, done=True))
    install(store, one_module_course(tmp_path / "v2", "1.1", "Lytning, anden udgave"))
    [course] = load_courses("kort", store)
    assert course.version == "1.1"
    issuing = _CertificateIssuing(store, argparse.Namespace(organisation="Skolen",
                                                            format="openbadge"))
    facts = issuing.issue(learner, course)
    assert facts.course_version == "1.0"
    assert [m.title for m in facts.modules] == ["Lytning, første udgave"]
