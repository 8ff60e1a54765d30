"""Fuzz: the passphrase path and the records import answer with their own errors only.

Whatever a trainee types as a passphrase, whatever a damaged database holds as a
token or passphrase settings, whatever bytes a coordinator's import file has:
the answer is a PrivacyError or an ImportRejected/ExportError with a sentence,
never another exception.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peerskole import privacy
from peerskole.course.loader import load_course
from peerskole.course.model import Course
from peerskole.export.records import ExportError
from peerskole.export.records_import import read_completions
from peerskole.privacy import KdfParams, PrivacyError, TextPlace
from peerskole.store.sqlite import SQLiteStore
from tests.conftest import SAMPLE_COURSE

PLACE = TextPlace("l1", "mini", "first", "own-experience", "reflection")
KEY = privacy.new_key("l1", "korrekt hest batteri")
"""One real key (Argon2id with the real parameters) for the token fuzzing."""

# Any text a keyboard, a paste or a broken terminal can produce, lone surrogates included.
any_text = st.text(st.characters(codec=None), max_size=200)


@settings(max_examples=25, deadline=None)
@given(passphrase=st.one_of(any_text, st.text(max_size=2000)))
@example(passphrase="")
@example(passphrase="\ud800")  # a lone surrogate cannot be UTF-8 encoded as is
@example(passphrase="x" * 5000)
def test_any_passphrase_is_answered_with_a_privacy_error(passphrase: str) -> None:
    try:
        key = privacy.unlock(KEY.params, "l1", passphrase)
    except PrivacyError as error:
        assert error.problem in ("wrong_passphrase", "too_long")
        if len(passphrase.strip()) >= 12:  # short strings occur in any sentence
            assert passphrase not in str(error)  # the message never repeats it
    else:
        assert passphrase == "korrekt hest batteri" and key.learner_id == "l1"


@settings(max_examples=25, deadline=None)
@given(passphrase=any_text)
def test_setting_any_passphrase_works_or_says_why(passphrase: str) -> None:
    try:
        key = privacy.new_key("l1", passphrase)
    except PrivacyError as error:
        assert error.problem in ("too_short", "too_long")
        return
    token = key.seal("tekst", PLACE)
    assert privacy.unlock(key.params, "l1", passphrase).open(token, PLACE) == "tekst"


tokens = st.one_of(
    any_text,
    st.builds(lambda s: "enc1:" + s, any_text),
    st.builds(lambda b: "enc1:" + privacy._b64(b), st.binary(max_size=200)),
)


@settings(max_examples=300, deadline=None)
@given(token=tokens)
def test_any_token_opens_or_is_damaged(token: str) -> None:
    try:
        KEY.open(token, PLACE)
    except PrivacyError as error:
        assert error.problem == "damaged"
    try:
        privacy.reveal(KEY, token, PLACE)
    except PrivacyError as error:
        assert error.problem == "damaged"


@settings(max_examples=25, deadline=None)
@given(text=any_text)
def test_any_text_seals_and_opens_again(text: str) -> None:
    assert KEY.open(KEY.seal(text, PLACE), PLACE) == text


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text
)
setting_dicts = st.fixed_dictionaries(
    {},
    optional={
        "kdf": st.one_of(st.just("argon2id"), any_text),
        "cipher": st.one_of(st.just("aes-256-gcm"), any_text),
        "m": st.one_of(st.integers(-10, 10**12), json_scalars),
        "t": st.one_of(st.integers(-10, 1000), json_scalars),
        "p": st.one_of(st.integers(-10, 1000), json_scalars),
        "salt": st.one_of(st.builds(privacy._b64, st.binary(max_size=40)), json_scalars),
        "check": st.one_of(st.builds(privacy._b64, st.binary(max_size=40)), json_scalars),
    },
)


@settings(max_examples=200, deadline=None)
@given(setting=st.one_of(any_text, st.builds(
    lambda d: __import__("json").dumps(d), setting_dicts)))
@example(setting="[" * 100000)  # nesting deep enough to exhaust the JSON parser
def test_any_settings_text_is_read_or_damaged(setting: str) -> None:
    try:
        params = KdfParams.from_setting(setting)
    except PrivacyError as error:
        assert error.problem == "damaged"
        return
    # Whatever is accepted stays cheap to try: bounded memory and passes.
    assert params.memory_kib <= 1024 * 1024 and params.iterations <= 64


# --- the records import ---------------------------------------------------------------


@pytest.fixture(scope="module")
def import_world() -> Iterator[tuple[SQLiteStore, Course, str, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "data" / "p.sqlite3")
        learner = store.add_learner("Åse")
        yield store, load_course(SAMPLE_COURSE), learner.id, Path(folder)
        store.close()


def _course_by_id(course: Course) -> Callable[[str], Course]:
    def find(course_id: str) -> Course:
        if course_id != course.id:
            raise ExportError(f'There is no course with id "{course_id}".')
        return course

    return find


cells = st.one_of(
    any_text,
    st.sampled_from(["mini", "first", "second", "2026-03-01", "1.3.2026", "på papir", ""]),
)


def _rows(learner_id: str) -> st.SearchStrategy[str]:
    header = st.sampled_from([
        "learner_id,course_id,module_id,completed_on,note",
        "learner_id;course_id;module_id;completed_on;note",
        "LEARNER_ID , course_id,module_id,completed_on,note,extra",
    ])
    row = st.lists(st.one_of(cells, st.just(learner_id)), max_size=7).map(
        lambda values: ",".join(values)
    )
    return st.builds(lambda h, rows: "\n".join([h, *rows]), header, st.lists(row, max_size=6))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@example(data=None)
def test_any_import_file_is_answered_with_its_own_errors(
    import_world: tuple[SQLiteStore, Course, str, Path], data: st.DataObject | None
) -> None:
    store, course, learner_id, folder = import_world
    if data is None:  # a field larger than the csv module allows
        content = ("learner_id,course_id,module_id,completed_on,note\n"
                   + "x," * 4 + "\"" + "y" * 200_000 + "\"\n").encode()
    else:
        content = data.draw(st.one_of(
            st.binary(max_size=400),
            _rows(learner_id).map(lambda text: text.encode("utf-8", "surrogatepass")),
            _rows(learner_id).map(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8", "replace")),
        ))
    path = folder / "import.csv"
    path.write_bytes(content)
    try:
        plan = read_completions(path, store, _course_by_id(course),
                                "coordinator", "2026-03-02T10:00:00+00:00",
                                today=dt.date(2026, 3, 2))
    except ExportError as error:  # ImportRejected is one
        assert str(error)
    else:
        assert all(c.learner_id == learner_id for c in plan.new)
