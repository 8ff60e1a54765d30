"""Praktik hours with sign-off: supervisors, entries, decisions; the store on SQLite and on a
real PostgreSQL server (tests/core/conftest.py's ``store``), the rule, and its limits."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerskole import envelope, privacy
from peerskole.praktik import (
    PraktikError,
    SupervisorError,
    add_supervisor,
    change_praktik,
    decide,
    find_supervisor,
    learner_praktik,
    log_praktik,
    parse_hours,
    supervisor_queue,
    unlock_supervisor,
)
from peerskole.privacy import FREE_TRIES, PrivacyError
from peerskole.progress import approved_praktik_minutes
from peerskole.store.base import (
    PRAKTIK_DECISIONS,
    PraktikDecision,
    PraktikEntry,
    StoreError,
    Supervisor,
)
from peerskole.store.sql import SQLStore
from tests.core.conftest import Backend
from tests.core.dialogue_world import protect

PASSPHRASE = "vejleder-kodeord-1"
TODAY = dt.date(2026, 11, 1)
SECRET = "Jeg talte med en beboer om hendes angst"
"""A "what I did" text: health data that must not turn up where it should not."""


def _log(store: SQLStore, learner: str, supervisor: str, key: privacy.ProfileKey | None = None,
         *, minutes: int = 180, show: bool = False, course: str = "k",
         what: str = SECRET) -> PraktikEntry:
    return log_praktik(store, learner, key, course, done_on="2026-10-05", minutes=minutes,
                       place="Bostedet Lyngly", what=what, supervisor_id=supervisor,
                       show_text=show, today=TODAY)


@pytest.fixture
def ulla(store: SQLStore) -> Supervisor:
    return add_supervisor(store, "Ulla Vejleder", PASSPHRASE)


# --- the store ---------------------------------------------------------------------------


def test_entries_and_decisions_are_kept_and_the_latest_counts(
    backend: Backend, store: SQLStore
) -> None:
    ida, bo = store.add_learner("Ida", "hold-1"), store.add_learner("Bo", "hold-2")
    store.add_supervisor(Supervisor("sv", "Sif", "{}", "pk", "", "2026-01-01T00:00:00+00:00"))
    stamp = "2026-10-05T12:00:00+00:00"
    entries = [PraktikEntry(f"e{i}", who.id, course, "2026-10-05", minutes, "Lyngly", "tekst",
                            "sv", None, stamp, stamp)
               for i, (who, course, minutes) in enumerate(
                   [(ida, "k", 60), (ida, "k", 120), (ida, "other", 240), (bo, "k", 30)])]
    for entry in entries:
        store.add_praktik_entry(entry)
    first = store.add_praktik_decision(PraktikDecision("e0", "approved", "", "sv", stamp),
                                       if_latest=None)
    store.add_praktik_decision(PraktikDecision("e1", "approved", "", "sv", stamp),
                               if_latest=None)
    store.add_praktik_decision(PraktikDecision("e2", "approved", "", "sv", stamp),
                               if_latest=None)
    store.add_praktik_decision(PraktikDecision("e3", "approved", "", "sv", stamp),
                               if_latest=None)
    revoked = store.add_praktik_decision(
        PraktikDecision("e0", "revoked", "Forkert dato", "sv", stamp), if_latest=first.id)
    assert revoked.id > first.id
    # Another window that read the entry before the revocation is refused.
    with pytest.raises(StoreError) as stale:
        store.add_praktik_decision(PraktikDecision("e0", "returned", "x", "sv", stamp),
                                   if_latest=first.id)
    assert stale.value.problem == "stale"
    with pytest.raises(StoreError) as missing:
        store.add_praktik_decision(PraktikDecision("nope", "approved", "", "sv", stamp),
                                   if_latest=None)
    assert missing.value.problem == "not_found"

    second = backend.open()  # another connection: what the database really holds
    assert second.praktik_entries(learner_id=ida.id, course_id="k") == entries[:2]
    assert [d.decision for d in second.praktik_decisions(entry_id="e0")] == [
        "approved", "revoked"]
    assert second.praktik_decisions(entry_id="e0")[1].note == "Forkert dato"
    assert second.approved_praktik_minutes("k") == {ida.id: 120, bo.id: 30}
    assert second.approved_praktik_minutes("k", cohort="HOLD-2") == {bo.id: 30}
    assert second.approved_praktik_minutes("other") == {ida.id: 240}
    second.close()


def test_erasing_a_learner_erases_their_praktik_and_its_history(
    backend: Backend, store: SQLStore, ulla: Supervisor
) -> None:
    ida, bo = store.add_learner("Ida").id, store.add_learner("Bo").id
    mine, theirs = _log(store, ida, ulla.id), _log(store, bo, ulla.id)
    key = unlock_supervisor(store, ulla, PASSPHRASE)
    decide(store, key, mine.id, "approved")
    decide(store, key, theirs.id, "approved")
    store.erase_learner(ida)
    second = backend.open()
    assert [e.id for e in second.praktik_entries()] == [theirs.id]
    assert {d.entry_id for d in second.praktik_decisions()} == {theirs.id}
    assert second.approved_praktik_minutes("k") == {bo: 180}
    second.close()


# --- supervisors -------------------------------------------------------------------------


def test_a_supervisor_is_kept_without_a_readable_secret(store: SQLStore) -> None:
    made = add_supervisor(store, "Ulla Vejleder", PASSPHRASE)
    assert store.supervisors() == [made]
    assert find_supervisor(store, "ulla vejleder") == made == find_supervisor(store, made.id)
    assert PASSPHRASE not in repr(made) and PASSPHRASE not in made.kdf
    assert privacy.KdfParams.from_setting(made.kdf).memory_kib >= privacy.ARGON2_MEMORY_KIB
    key = unlock_supervisor(store, made, PASSPHRASE)
    assert envelope.public_text(key.private_key()) == made.public_key
    with pytest.raises(SupervisorError) as twice:
        add_supervisor(store, " ULLA vejleder ", PASSPHRASE)
    assert twice.value.problem == "exists"
    with pytest.raises(SupervisorError):
        find_supervisor(store, "Nogen")


def test_wrong_passphrases_are_slowed(store: SQLStore) -> None:
    made = add_supervisor(store, "Ulla", PASSPHRASE)
    for _ in range(FREE_TRIES):
        with pytest.raises(PrivacyError) as wrong:
            unlock_supervisor(store, made, "forkert-kodeord", clock=lambda: 1000.0)
        assert wrong.value.problem == "wrong_passphrase"
    with pytest.raises(PrivacyError) as wait:
        unlock_supervisor(store, made, PASSPHRASE, clock=lambda: 1001.0)
    assert wait.value.problem == "wait" and wait.value.wait > 0


# --- the trainee's log and the supervisor's decisions ----------------------------------


def test_hours_are_read_as_a_trainee_types_them() -> None:
    assert [parse_hours(t) for t in ("3", "3,5", "3.25", "2:30", " 1 ")] == [
        180, 210, 195, 150, 60]
    for bad in ("", "0", "25", "tre", "-1", "1:75", "3,5 t"):
        with pytest.raises(PraktikError):
            parse_hours(bad)


def test_bad_entries_are_refused_with_a_reason(store: SQLStore, ulla: Supervisor) -> None:
    ida = store.add_learner("Ida").id
    for change, problem in ((dict(done_on="5/10"), "date"), (dict(done_on="2026-12-01"), "date"),
                            (dict(minutes=0), "minutes"), (dict(place=" "), "place"),
                            (dict(place="a\x1b[2Jb"), "place"), (dict(what=" "), "what"),
                            (dict(supervisor_id="nobody"), "supervisor")):
        values: dict[str, object] = dict(done_on="2026-10-05", minutes=60, place="Lyngly",
                                         what="x", supervisor_id=ulla.id)
        values.update(change)
        with pytest.raises(PraktikError) as refused:
            log_praktik(store, ida, None, "k", show_text=False, today=TODAY,
                        **values)  # type: ignore[arg-type]
        assert refused.value.problem == problem
    assert store.praktik_entries() == []


def test_one_day_holds_at_most_24_hours_of_praktik(store: SQLStore, ulla: Supervisor) -> None:
    ida = store.add_learner("Ida").id
    key = unlock_supervisor(store, ulla, PASSPHRASE)
    first = _log(store, ida, ulla.id, minutes=16 * 60)
    second = _log(store, ida, ulla.id, minutes=8 * 60)  # 24 h on 2026-10-05: the most
    with pytest.raises(PraktikError) as refused:
        _log(store, ida, ulla.id, minutes=30)
    assert refused.value.problem == "day_full"
    assert "2026-10-05 already has 24 h of praktik logged" in str(refused.value)
    assert len(store.praktik_entries()) == 2
    # Another course's praktik, or a returned entry, leaves room; a change counts itself
    # once.
    _log(store, ida, ulla.id, minutes=60, course="other")
    decide(store, key, second.id, "returned", "Forkert dato")
    third = _log(store, ida, ulla.id, minutes=8 * 60)
    change_praktik(store, ida, None, first.id, done_on="2026-10-05", minutes=16 * 60,
                   place="Lyngly", what="x", supervisor_id=ulla.id, show_text=False,
                   today=TODAY)
    with pytest.raises(PraktikError) as refused:
        change_praktik(store, ida, None, second.id, done_on="2026-10-05", minutes=60,
                       place="Lyngly", what="x", supervisor_id=ulla.id, show_text=False,
                       today=TODAY)
    assert refused.value.problem == "day_full"
    assert {e.id for e in store.praktik_entries(course_id="k")} == {
        first.id, second.id, third.id}


def test_approve_return_revoke_and_what_each_side_sees(store: SQLStore, ulla: Supervisor) -> None:
    ida = store.add_learner("Ida").id
    other = add_supervisor(store, "Otto", PASSPHRASE)
    waiting, returned, approved = (_log(store, ida, ulla.id, minutes=m) for m in (60, 120, 240))
    key = unlock_supervisor(store, ulla, PASSPHRASE)
    decide(store, key, approved.id, "approved")
    decide(store, key, returned.id, "returned", "Skriv hvor længe du var der")
    with pytest.raises(PraktikError) as no_reason:
        decide(store, key, waiting.id, "returned", "  ")
    assert no_reason.value.problem == "note"
    with pytest.raises(PraktikError) as not_asked:
        decide(store, unlock_supervisor(store, other, PASSPHRASE), waiting.id, "approved")
    assert not_asked.value.problem == "not_yours"
    with pytest.raises(PraktikError) as not_approved:
        decide(store, key, waiting.id, "revoked", "Forkert")  # nothing to revoke yet
    assert not_approved.value.problem == "not_approved"
    with pytest.raises(PraktikError) as gone_back:
        decide(store, key, returned.id, "approved")  # it waits for the trainee now
    assert gone_back.value.problem == "not_waiting"

    seen = {e.minutes: e for e in learner_praktik(store, ida, None, "k")}
    assert {m: e.state for m, e in seen.items()} == {60: "waiting", 120: "returned",
                                                    240: "approved"}
    assert seen[120].note == "Skriv hvor længe du var der"
    assert seen[60].what == SECRET and seen[60].supervisor_name == "Ulla Vejleder"
    queue = supervisor_queue(store, key)
    assert [i.entry_id for i in queue][0] == waiting.id  # the waiting ones first
    assert all(i.what is None for i in queue)  # not shown: the supervisor does not get it
    assert {i.learner_name for i in queue} == {"Ida"}
    assert store.approved_praktik_minutes("k") == {ida: 240}

    decide(store, key, approved.id, "revoked", "Datoen passer ikke")
    assert store.approved_praktik_minutes("k") == {}
    with pytest.raises(PraktikError) as again:
        decide(store, key, approved.id, "revoked", "igen")
    assert again.value.problem == "not_approved"
    # Returned: the trainee corrects it and asks again; then it can be approved.
    change_praktik(store, ida, None, returned.id, done_on="2026-10-05", minutes=150,
                   place="Lyngly", what=SECRET, supervisor_id=ulla.id, show_text=True,
                   today=TODAY)
    [item] = [i for i in supervisor_queue(store, key) if i.entry_id == returned.id]
    assert (item.state, item.minutes, item.what) == ("waiting", 150, SECRET)
    decide(store, key, returned.id, "approved")
    assert store.approved_praktik_minutes("k") == {ida: 150}
    history = [d.decision for d in store.praktik_decisions(entry_id=returned.id)]
    assert history == ["returned", "asked", "approved"]
    assert all(d.decided_by == ulla.id for d in store.praktik_decisions(entry_id=approved.id))


def test_an_approval_cannot_be_edited_only_revoked(store: SQLStore, ulla: Supervisor) -> None:
    ida = store.add_learner("Ida").id
    entry = _log(store, ida, ulla.id)
    key = unlock_supervisor(store, ulla, PASSPHRASE)
    approval = decide(store, key, entry.id, "approved")
    for decision, note in (("approved", ""), ("returned", "Ret lige")):
        with pytest.raises(PraktikError) as refused:
            decide(store, key, entry.id, decision, note)  # type: ignore[arg-type]
        assert refused.value.problem == "approved"
    with pytest.raises(PraktikError) as edited:
        change_praktik(store, ida, None, entry.id, done_on="2026-10-04", minutes=600,
                       place="Lyngly", what="x", supervisor_id=ulla.id, show_text=False,
                       today=TODAY)
    assert edited.value.problem == "approved"
    assert store.praktik_entries() == [entry]  # nothing of it changed
    assert store.praktik_decisions(entry_id=entry.id) == [approval]
    assert store.approved_praktik_minutes("k") == {ida: 180}


def test_the_text_is_sealed_and_shown_only_to_the_supervisor_asked(
    store: SQLStore, ulla: Supervisor
) -> None:
    ida = store.add_learner("Ida").id
    key = protect(store, ida)
    shown = _log(store, ida, ulla.id, key, show=True)
    hidden = _log(store, ida, ulla.id, key, show=False)
    for entry in store.praktik_entries():
        assert privacy.is_token(entry.what) and SECRET not in entry.what
        assert entry.supervisor_copy is None or envelope.is_envelope(entry.supervisor_copy)
    by_id = {i.entry_id: i for i in supervisor_queue(store, unlock_supervisor(
        store, ulla, PASSPHRASE))}
    assert by_id[shown.id].what == SECRET and by_id[hidden.id].what is None
    assert [e.what for e in learner_praktik(store, ida, key, "k")] == [SECRET, SECRET]
    # A new passphrase seals the trainee's copy again; the supervisor's is theirs.
    new = privacy.new_key(ida, "et-nyt-kodeord-2")
    privacy.rekey(store, ida, key, new)
    assert [e.what for e in learner_praktik(store, ida, new, "k")] == [SECRET, SECRET]
    with pytest.raises(PrivacyError):
        learner_praktik(store, ida, key, "k")  # the old passphrase no longer opens it
    # The supervisor's copy does not open for someone else, nor moved to another entry.
    other = add_supervisor(store, "Otto", PASSPHRASE)
    [copy] = [e.supervisor_copy for e in store.praktik_entries() if e.id == shown.id]
    assert copy is not None
    with pytest.raises(envelope.EnvelopeError):
        envelope.open_envelope(copy, other.id, unlock_supervisor(store, other, PASSPHRASE)
                               .private_key(), b"x")


def test_two_windows_deciding_at_once_do_not_both_count(store: SQLStore, ulla: Supervisor) -> None:
    ida = store.add_learner("Ida").id
    entry = _log(store, ida, ulla.id)
    key = unlock_supervisor(store, ulla, PASSPHRASE)
    [seen] = supervisor_queue(store, key)  # read by one window
    decide(store, key, entry.id, "returned", "Mangler sted")  # the other window
    with pytest.raises(StoreError) as stale:
        store.add_praktik_decision(PraktikDecision(entry.id, "approved", "", key.id, "t"),
                                   if_latest=seen.latest_id)
    assert stale.value.problem == "stale"


# --- the rule: approved minutes from entries and decisions ------------------------------

_KINDS = st.sampled_from(PRAKTIK_DECISIONS)


@st.composite
def _histories(draw: st.DrawFn) -> tuple[list[PraktikEntry], list[PraktikDecision]]:
    learners = ["a", "b"]
    entries = [
        PraktikEntry(f"e{i}", draw(st.sampled_from(learners)), draw(st.sampled_from(["k", "x"])),
                     "2026-10-01", draw(st.integers(1, 600)), "p", "t", "sv", None, "t", "t")
        for i in range(draw(st.integers(0, 6)))
    ]
    decisions = []
    if entries:
        for n in range(draw(st.integers(0, 20))):
            entry = draw(st.sampled_from(entries))
            decisions.append(PraktikDecision(entry.id, draw(_KINDS), "", "sv", "t", n + 1))
    # The rule goes by id, not by the order decisions are handed to it.
    return entries, draw(st.permutations(decisions))


def _direct(entries: list[PraktikEntry], decisions: list[PraktikDecision], learner: str,
            course: str | None) -> int:
    """Replay each entry's history in the order it happened; count what ends approved."""
    state = {e.id: "waiting" for e in entries}
    for d in sorted(decisions, key=lambda d: d.id):
        state[d.entry_id] = {"asked": "waiting"}.get(d.decision, d.decision)
    return sum(e.minutes for e in entries if e.learner_id == learner
               and course in (None, e.course_id) and state[e.id] == "approved")


@given(_histories(), st.sampled_from(["a", "b"]), st.sampled_from([None, "k", "x"]))
def test_approved_minutes_equal_a_direct_replay_of_the_history(
    history: tuple[list[PraktikEntry], list[PraktikDecision]], learner: str,
    course: str | None,
) -> None:
    entries, decisions = history
    assert approved_praktik_minutes(entries, decisions, learner, course) == _direct(
        entries, decisions, learner, course)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=_histories())
def test_the_store_counts_as_the_rule_does(
    store: SQLStore, history: tuple[list[PraktikEntry], list[PraktikDecision]]
) -> None:
    entries, decisions = history
    run = uuid.uuid4().hex[:8]  # each example its own learners, entries and course
    if not store.supervisors(include_removed=True):
        store.add_supervisor(Supervisor("sv", "Sif", "{}", "pk", "", "t"))
    learners = {name: store.add_learner(f"{name}-{run}").id for name in ("a", "b")}
    stored = [PraktikEntry(f"{e.id}-{run}", learners[e.learner_id], f"{e.course_id}-{run}",
                           e.done_on, e.minutes, e.place, e.what, "sv", None, e.created_at,
                           e.updated_at) for e in entries]
    for entry in stored:
        store.add_praktik_entry(entry)
    latest: dict[str, int | None] = {}
    kept = []
    for d in sorted(decisions, key=lambda d: d.id):
        entry_id = f"{d.entry_id}-{run}"
        made = store.add_praktik_decision(
            PraktikDecision(entry_id, d.decision, "", "sv", "t"), if_latest=latest.get(entry_id))
        latest[entry_id] = made.id
        kept.append(made)
    for course in ("k", "x"):
        expected = {learner_id: minutes for learner_id in learners.values()
                    if (minutes := approved_praktik_minutes(stored, kept, learner_id,
                                                            f"{course}-{run}"))}
        assert store.approved_praktik_minutes(f"{course}-{run}") == expected


def test_a_change_the_supervisor_overtook_or_a_new_passphrase_is_refused(
    store: SQLStore, ulla: Supervisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import peerskole.praktik

    ida = store.add_learner("Ida").id
    entry = _log(store, ida, ulla.id)
    key = unlock_supervisor(store, ulla, PASSPHRASE)
    values = dict(done_on="2026-10-05", minutes=60, place="Lyngly", what="x",
                  supervisor_id=ulla.id, show_text=False, today=TODAY)
    # The trainee's window read the entry waiting; the supervisor approves before it writes.
    read = peerskole.praktik._entry

    def read_then_approved(*args: object, **kwargs: str) -> object:
        found = read(*args, **kwargs)  # type: ignore[arg-type]
        decide(store, key, entry.id, "approved")
        return found

    monkeypatch.setattr(peerskole.praktik, "_entry", read_then_approved)
    with pytest.raises(PraktikError) as overtaken:
        change_praktik(store, ida, None, entry.id, **values)  # type: ignore[arg-type]
    assert overtaken.value.problem == "stale"
    monkeypatch.undo()
    assert store.praktik_entries() == [entry]
    # A passphrase set elsewhere: the store's own "stale", not the supervisor's.
    other = _log(store, ida, ulla.id)
    protect(store, ida)
    with pytest.raises(StoreError) as passphrase:
        change_praktik(store, ida, None, other.id, **values)  # type: ignore[arg-type]
    assert passphrase.value.problem == "stale"


def test_two_supervisor_windows_approving_at_once_leave_one_approval(
    backend: Backend, store: SQLStore, ulla: Supervisor
) -> None:
    import threading

    ida = store.add_learner("Ida").id
    entries = [_log(store, ida, ulla.id) for _ in range(8)]
    windows = [backend.open() for _ in range(2)]
    outcomes: dict[str, list[str]] = {e.id: [] for e in entries}

    def approve(window: SQLStore, start: threading.Barrier, entry_id: str) -> None:
        start.wait()
        try:
            window.add_praktik_decision(
                PraktikDecision(entry_id, "approved", "", ulla.id, "2026-10-06T10:00:00+00:00"),
                if_latest=None)
            outcomes[entry_id].append("approved")
        except StoreError as error:
            outcomes[entry_id].append(error.problem)

    for entry in entries:  # a race each: how the two overlap differs from one to the next
        start = threading.Barrier(2)
        threads = [threading.Thread(target=approve, args=(w, start, entry.id)) for w in windows]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    for window in windows:
        window.close()
    assert all(sorted(o) == ["approved", "stale"] for o in outcomes.values()), outcomes
    assert [d.decision for d in store.praktik_decisions()] == ["approved"] * len(entries)
