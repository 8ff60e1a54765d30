"""A whole module of the sample course in plain mode, on scripted input."""

from __future__ import annotations

from pathlib import Path

from peerskole.course.model import Course
from peerskole.i18n import Translator
from peerskole.progress import step_done
from peerskole.store.base import Position, Store
from tests.plain.conftest import run, shown_place


def test_a_whole_module_is_worked_through_and_kept_in_the_store(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")

    def place(step: str, index: int, option: int) -> str:
        return shown_place(course, anne, "first", step, index, option)

    lines = [
        "1",  # Anne
        "",  # the overview: open the suggested module (the first)
        # self-assessment, "before"
        "4", "2",
        "",  # waiting for "after": on
        "",  # reading: on
        # quiz: the right option of the first question, both right ones of the second
        place("quiz", 0, 0),
        f"{place('quiz', 1, 0)} {place('quiz', 1, 1)}",
        "",  # passed: on
        # scenario: the best response, then explore the other, then on
        place("maja", 0, 0), place("maja", 0, 1), "", "",
        # reflection: two lines, ended with "."
        "Jeg blev lyttet til af min mor,", "da jeg var syg.", ".", "",
        # practice: a new entry (today's date kept), then on
        "1", "", "30", "Vi talte om lytning.", ".", "Jeg afbrød ikke.", ".", "",
        # the "after" rating is due now
        "5", "4",
        "",  # the comparison: on (to the module's second step)
        "", "", "", "", "",  # past the five steps already done
        "afslut",
    ]
    result = run(data_dir, lines)
    assert result.status == 0
    out = result.output

    records = {r.step_id: r for r in store.step_records(anne.id, course.id)}
    module = course.module("first")
    assert all(step_done(step, records.get(step.id)) for step in module.steps)
    assert records["quiz"].facts == {"score": 100.0, "attempts": 1}
    assert store.step_state(anne.id, course.id, "first", "quiz") == {
        "answers": {"0": [0], "1": [0, 1]}, "submitted": True}
    assert records["maja"].facts["turns_answered"] == 1
    assert store.step_state(anne.id, course.id, "first", "maja") == {"choices": [0]}
    assert records["before-after"].facts["before"] == [4, 2]
    assert records["before-after"].facts["after"] == [5, 4]
    reflection = store.reflection(anne.id, course.id, "first", "own-experience")
    assert reflection is not None
    assert reflection.text == "Jeg blev lyttet til af min mor,\nda jeg var syg."
    assert not reflection.shared
    [entry] = store.practice_entries(anne.id, course.id, "first", "practice-talk")
    assert entry.values["duration"] == "30"
    assert entry.values["what-happened"] == "Vi talte om lytning."
    assert store.practice_draft(anne.id, course.id, "first", "practice-talk") is None
    assert store.position(anne.id, course.id) == Position("first", "practice-talk", "")

    t = Translator("da")
    # Feedback follows each choice at once, before the next question is asked.
    first_feedback = out.index("Ja: det inviterer til at fortælle.")
    assert out.index(t("quiz.question_number", n=1, total=2)) < first_feedback
    assert first_feedback < out.index(t("quiz.question_number", n=2, total=2))
    assert t("scenario.quality_best") in out
    assert t("scenario.explored", text="Du skal bare gå en tur.") in out
    assert t("module.complete_unlocked", modules="Andet modul") in out
    assert "**" not in out  # the reading's Markdown is read out as text
    assert "Aktiv lytning handler om at forstå før man svarer." in out
    assert out.rstrip().endswith(t("plain.bye"))
    # Nothing is drawn: no box drawing characters, no escape sequences.
    assert not any("\u2500" <= ch <= "\u257f" for ch in out)
    assert "\x1b" not in out


def test_numbered_choices_say_what_is_wrong_and_ask_again(
    course: Course, store: Store, data_dir: Path
) -> None:
    store.add_learner("Anne")
    result = run(data_dir, ["7", "ja", "1", "afslut"])
    t = Translator("da")
    assert result.output.count(t("plain.not_a_choice", last=2)) == 2
    assert t("plain.overview", title=course.title) in result.output


def test_commands_in_english_help_support_repeat_back_and_quit(
    course: Course, store: Store, data_dir: Path
) -> None:
    store.add_learner("Anne")
    result = run(data_dir, ["help", "support", "1", "", "back", "repeat", "quit"],
                 language="en")
    t = Translator("en")
    out = result.output
    assert result.status == 0
    assert out.count(t("plain.help", help="help", support="support", repeat="repeat",
                       back="back", quit="quit")) == 2  # at the start, and asked for
    assert t("plain.call_112") in out
    assert "Alarmcentralen" in out and "12 34 56 78" in out
    assert t("support.hours", hours="Hverdage 9-15") in out
    # "back" on the module's first step is the overview; "repeat" says its choices again.
    assert out.count(f"1. {course.modules[0].title}: ") == 3
    assert out.rstrip().endswith(t("plain.bye"))


def test_going_back_from_a_step_opens_the_one_before(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    store.set_position(anne.id, course.id, Position("first", "quiz"))
    result = run(data_dir, ["1", "tilbage"])
    t = Translator("da")
    assert t("plain.resuming", module="Første modul") in result.output
    heading = t("plain.step_heading", step_of=t("module.step_of", n=2, total=6),
                kind=t("kind.reading"), title="Om at lytte")
    assert result.output.index(heading) > result.output.index("Spørgsmål 1 af 2")
    assert store.position(anne.id, course.id) == Position("first", "intro", "")


def test_repeat_says_the_question_again_and_a_wrong_log_value_is_asked_again(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    store.set_position(anne.id, course.id, Position("first", "quiz"))
    result = run(data_dir, ["1", "gentag"])
    assert result.output.count("Hvilket er et åbent spørgsmål?") == 2

    store.set_position(anne.id, course.id, Position("first", "practice-talk"))
    t = Translator("da")
    result = run(data_dir, ["1", "1", "", "en halv time", "Vi talte.", ".", "Ro.", ".",
                            "30", ""])
    assert t("practice.bad_minutes") in result.output
    [entry] = store.practice_entries(anne.id, course.id, "first", "practice-talk")
    assert entry.values["duration"] == "30"
    assert entry.values["what-i-noticed"] == "Ro."


def test_a_reflection_is_shared_and_made_private_again_by_number(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    store.set_position(anne.id, course.id, Position("first", "own-experience"))
    run(data_dir, ["1", "Jeg blev hørt af en ven i går.", ".", "3"])
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None and saved.shared and saved.text == "Jeg blev hørt af en ven i går."
    result = run(data_dir, ["1", "3"])
    assert Translator("da")("reflection.shared") in result.output
    saved = store.reflection(anne.id, course.id, "first", "own-experience")
    assert saved is not None and not saved.shared


def test_self_assessment_ratings_are_changed_from_the_saved_ones(
    course: Course, store: Store, data_dir: Path
) -> None:
    anne = store.add_learner("Anne")
    run(data_dir, ["1", "", "2", "3"])  # "before" rated; the input ends while waiting
    result = run(data_dir, ["1", "1", "", "5"])  # "Ret mine svar": keep 2, change 3 to 5
    t = Translator("da")
    assert t("plain.rating_keep", rating=2) in result.output
    [record] = [r for r in store.step_records(anne.id, course.id)
                if r.step_id == "before-after"]
    assert record.facts["before"] == [2, 5]
    assert "after" not in record.facts
    assert store.step_state(anne.id, course.id, "first", "before-after") == {}
