"""Praktik in plain mode: logged line by line and sent to the supervisor, its state and
the supervisor's comment read out, and an entry sent back corrected and sent again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from peerskole.course.model import Course
from peerskole.i18n import Translator
from peerskole.praktik import add_supervisor, decide, unlock_supervisor
from peerskole.store.base import Store
from tests.plain.conftest import run

T = Translator("da")
PRAKTIK: Final = "3"
"""Praktik's number on the overview of the mini course: after its two modules."""
PASSPHRASE: Final = "vejlederens lange kode"
WHAT: Final = "Jeg gik med en beboer til lægen"


def test_praktik_is_logged_read_out_and_corrected_in_plain_mode(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    sif = add_supervisor(store, "Sif Vejleder", PASSPHRASE)
    first = run(data_dir, [
        "1", PRAKTIK, "1",  # Anne, praktik, log new
        "",  # the date: today, as offered
        "tre", "2,5",  # hours: not a number, then 2,5
        "Bostedet Lyngly", WHAT, ".",  # the place; what I did, ended with "."
        "2",  # show it to the supervisor? no (the one supervisor is chosen by itself)
    ])
    out = first.output
    assert T("praktik.problem.minutes") in out
    assert T("praktik.sent", name="Sif Vejleder") in out
    [entry] = store.praktik_entries(learner_id=anne.id)
    assert (entry.done_on, entry.minutes, entry.place, entry.supervisor_id) == (
        dt.date.today().isoformat(), 150, "Bostedet Lyngly", sif.id)
    assert entry.what == WHAT and entry.supervisor_copy is None  # not shown to Sif
    assert out.count(WHAT) == 0  # typed, not echoed back by peerskole

    key = unlock_supervisor(store, sif, PASSPHRASE)
    decide(store, key, entry.id, "returned", "Skriv, hvilken vagt det var")
    second = run(data_dir, [
        "1", PRAKTIK, "2", "1",  # praktik, correct one sent back, the first
        "", "", "",  # date, hours and place kept with Enter
        "Aftenvagten: jeg gik med en beboer til lægen", ".",
        "1",  # shown to Sif this time
    ])
    out = second.output
    returned = T("praktik.state.returned", note="Skriv, hvilken vagt det var")
    assert returned in out  # the whole comment, read out
    assert T("praktik.sent", name="Sif Vejleder") in out
    [entry] = store.praktik_entries(learner_id=anne.id)
    assert (entry.minutes, entry.place) == (150, "Bostedet Lyngly")
    assert entry.what == "Aftenvagten: jeg gik med en beboer til lægen"
    assert entry.supervisor_copy is not None
    assert [d.decision for d in store.praktik_decisions(entry_id=entry.id)] == [
        "returned", "asked"]  # sent back, then asked again
    decide(store, key, entry.id, "approved")
    third = run(data_dir, ["1", PRAKTIK])
    assert T("praktik.state.approved") in third.output
    assert T("praktik.summary", approved=T("praktik.hours_value", hours="2,5"),
             waiting=T("praktik.hours_value", hours="0")) in third.output


def test_without_supervisors_plain_mode_says_who_makes_them(
    course: Course, store: Store, data_dir: Path
) -> None:
    store.add_learner("Anne")
    result = run(data_dir, ["1", PRAKTIK, "1"])
    assert T("praktik.none") in result.output
    assert T("praktik.no_supervisors") in result.output
