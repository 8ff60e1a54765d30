"""Each kind of step, line by line: one walk a kind, registered once.

A walk prints the step, reads the trainee's answers and records them through the
session exactly as the terminal app's step views do (the same facts, the same saved
state), so a step begun in one front end continues in the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from peerskole.answers import (
    DRAFT_KEY,
    QUALITY_KEYS,
    check_entry,
    default_value,
    field_label,
    listed,
    normalised_answers,
    percent,
    quiz_state,
    shown_entry,
    unsaved_ratings,
    valid_ratings,
)
from peerskole.course.branching import is_branching, scenario_path
from peerskole.course.kinds import UnknownStepKind, step_kind
from peerskole.i18n import Translator
from peerskole.plain.console import Console
from peerskole.progress import answered_right, done_test, quiz_attempt, quiz_score, word_count

if TYPE_CHECKING:
    from peerskole.course.model import (
        LogField,
        Module,
        Practice,
        Quiz,
        QuizQuestion,
        Reading,
        Reflection,
        Scenario,
        ScenarioResponse,
        ScenarioTurn,
        SelfAssessment,
        Step,
    )
    from peerskole.dialogue import DialogueMessage
    from peerskole.session import Session, StepData


@dataclass
class StepWalk:
    """What a walk through one step works with."""

    console: Console
    session: Session
    module: Module
    data: StepData

    @property
    def t(self) -> Translator:
        return self.data.t

    @property
    def step(self) -> Step:
        return self.data.step

    def facts(self) -> dict[str, Any]:
        """The step's facts as the session holds them now (a walk sends them whole)."""
        record = self.session.record(self.module, self.step)
        return dict(record.facts) if record else {}

    def update(self, facts: Mapping[str, Any] | None = None,
               state: Mapping[str, Any] | None = None) -> bool:
        return self.session.update(self.module, self.step,
                                   facts=dict(facts) if facts is not None else None,
                                   state=dict(state) if state is not None else None)

    def next_step(self) -> None:
        self.console.wait_for_enter(self.t("plain.to_next_step"))


# --- reading ----------------------------------------------------------------------------


def walk_reading(walk: StepWalk) -> None:
    """Prints the reading; moving on from it (or leaving it any way) counts as reading it."""
    step: Reading = walk.step  # type: ignore[assignment]
    if walk.data.record is None:
        walk.update(facts={})  # begun: the module is in progress
    try:
        walk.console.show(lambda: walk.console.markdown(step.text))
        walk.next_step()
    finally:
        if not walk.session.done(walk.module, step):
            walk.update(facts={**walk.facts(), "read": True})


# --- quiz ------------------------------------------------------------------------------------


def _option_order(walk: StepWalk, index: int, count: int) -> list[int]:
    return list(walk.data.order(index, count))


def quiz_feedback(question: QuizQuestion, order: list[int], chosen: list[int],
                  t: Translator) -> list[str]:
    """What an answer to one question earns: a verdict, then each option that matters."""
    picked = set(chosen)
    if answered_right(question, picked):
        lines = [t("quiz.question_right")]
    else:
        lines = [t("quiz.question_partly" if question.multiple else "quiz.question_wrong")]
    for number in order:  # in the order the options are shown
        option = question.options[number]
        if number in picked:
            key = "quiz.chosen_right" if option.correct else "quiz.chosen_wrong"
        elif option.correct and question.multiple:
            key = "quiz.missed"
        else:
            continue
        lines.append(t(key, option=option.text))
        lines.append(option.feedback)
    return lines


def quiz_result(quiz: Quiz, answers: Mapping[int, list[int]], facts: Mapping[str, Any],
                t: Translator) -> list[str]:
    """The score of this attempt and whether the step is passed (the best attempt counts)."""
    score = quiz_score(quiz, answers)
    total = len(quiz.questions)
    lines = [t("quiz.score", right=round(score * total / 100), total=total,
               percent=percent(score), pass_mark=quiz.pass_mark)]
    passes = done_test(quiz)
    best = facts.get("score")
    if passes({"score": score}):
        lines.append(t("plain.quiz_passed"))
    elif isinstance(best, (int, float)) and passes(facts):
        lines.append(t("quiz.passed_before", best=percent(float(best))))
    else:
        lines.append(t("plain.quiz_not_passed"))
    return lines


def walk_quiz(walk: StepWalk) -> None:
    """Asks each question in turn; the feedback follows each answer at once.

    Saved as the app saves it: the answers so far after each one, the attempt's score
    (the best counts) once every question is answered.
    """
    quiz: Quiz = walk.step  # type: ignore[assignment]
    console, t = walk.console, walk.t
    answers = normalised_answers(quiz, walk.data.state.get("answers"))
    total = len(quiz.questions)
    submitted = bool(walk.data.state.get("submitted")) and len(answers) == total
    if quiz.intro:
        console.markdown(quiz.intro)
    while True:
        if not submitted:
            if answers:
                console.say(t("plain.quiz_answered_before",
                              numbers=listed([i + 1 for i in sorted(answers)], t)))
            for index, question in enumerate(quiz.questions):
                if index in answers:
                    continue
                order = _option_order(walk, index, len(question.options))
                shown = [question.options[n].text for n in order]

                def heading(index: int = index, question: QuizQuestion = question) -> None:
                    console.say(t("quiz.question_number", n=index + 1, total=total))
                    console.markdown(question.text)
                    console.say(t("quiz.choose_all" if question.multiple else "quiz.choose_one"))

                if question.multiple:
                    places = console.choose_many(shown, lead=heading)
                else:
                    place = console.choose(shown, lead=heading)
                    assert place is not None
                    places = [place]
                chosen = sorted(order[p] for p in places)
                answers[index] = chosen
                walk.update(state=quiz_state(answers, False))
                for line in quiz_feedback(question, order, chosen, t):
                    console.markdown(line)
            facts = quiz_attempt(walk.facts(), quiz_score(quiz, answers))
            submitted = True
            walk.update(facts=facts, state=quiz_state(answers, True))
        result = quiz_result(quiz, answers, walk.facts(), t)
        console.show(lambda result=result: console.say("\n".join(result)))  # type: ignore[misc]
        again = console.choose([t("quiz.retry")], allow_none=t("plain.to_next_step"))
        if again is None:
            return
        answers, submitted = {}, False
        # The best score stays in the facts; only the answers are cleared.
        walk.update(state=quiz_state(answers, False))


# --- scenario ------------------------------------------------------------------------------


def _verdict(response: ScenarioResponse, t: Translator) -> list[str]:
    return [t(QUALITY_KEYS[response.quality]),
            t("scenario.principle", principle=response.principle), response.feedback]


def _outcome(turn: ScenarioTurn, response: ScenarioResponse, t: Translator) -> list[str]:
    lines = [t("scenario.you_say", text=response.text), *_verdict(response, t)]
    if response.reply:
        lines.append(t("scenario.says", speaker=turn.speaker, says=response.reply))
    return lines


def walk_scenario(walk: StepWalk) -> None:
    """The situation, the conversation so far, then each open turn: a numbered choice,
    its feedback at once, and the other responses to explore if the trainee wishes."""
    scenario: Scenario = walk.step  # type: ignore[assignment]
    console, t = walk.console, walk.t
    # Which turn comes next is the core's rule (peerskole.course.branching), as in the app.
    path = scenario_path(scenario, walk.data.state.get("choices") or [])
    choices = list(path.choices)
    console.markdown(scenario.situation)
    if choices:
        console.say(t("plain.conversation_so_far"))
        for met, choice in zip(path.turns, path.choices, strict=True):
            turn = scenario.turns[met]
            console.say(t("scenario.says", speaker=turn.speaker, says=turn.says))
            for line in _outcome(turn, turn.responses[choice], t):
                console.markdown(line)
    total = len(scenario.turns)
    branching = is_branching(scenario)
    while (index := path.open_turn) is not None:
        turn = scenario.turns[index]
        order = _option_order(walk, index, len(turn.responses))

        def lead(index: int = index, turn: ScenarioTurn = turn,
                 met: int = len(choices) + 1) -> None:
            # A branching scenario's length is not known ahead: "Del 3", not "Del 3 af 5".
            console.say(t("scenario.turn_n", n=met) if branching
                        else t("scenario.turn_of", n=index + 1, total=total))
            console.say(t("scenario.says", speaker=turn.speaker, says=turn.says))
            console.say(t("plain.your_turn"))

        place = console.choose([turn.responses[n].text for n in order], lead=lead)
        assert place is not None
        choice = order[place]
        choices.append(choice)
        path = scenario_path(scenario, choices)
        walk.update(facts={**walk.facts(), "turns_answered": len(choices),
                           "ended": path.ended},
                    state={"choices": choices})
        for line in _outcome(turn, turn.responses[choice], t):
            console.markdown(line)
        while True:
            other = console.choose([turn.responses[n].text for n in order],
                                   prompt=t("plain.explore"),
                                   allow_none=t("plain.to_next_part"))
            if other is None:
                break
            response = turn.responses[order[other]]
            console.say(t("scenario.explored", text=response.text))
            for line in _verdict(response, t):
                console.markdown(line)
    console.say(t("plain.scenario_finished"))
    walk.next_step()


# --- reflection -------------------------------------------------------------------------------


def _words_text(text: str, step: Reflection, t: Translator) -> str:
    count = word_count(text)
    minimum = max(step.min_words, 1)  # the same threshold as progress.step_done
    noun = t("reflection.word_one" if count == 1 else "reflection.word_many")
    if count >= minimum:
        return t("reflection.words_enough", count=count, noun=noun)
    return t("reflection.words_short", count=count, noun=noun, minimum=minimum)


def walk_reflection(walk: StepWalk) -> None:
    """The prompt; the text typed line by line, each line saved as a draft at once."""
    step: Reflection = walk.step  # type: ignore[assignment]
    console, t = walk.console, walk.t
    saved = walk.data.reflection
    text = saved.text if saved else ""
    shared = saved.shared if saved else False

    def prompt() -> None:
        console.markdown(step.prompt)
        if step.guidance:
            console.markdown(step.guidance)

    console.show(prompt)
    if walk.data.unreadable:
        console.say(t("reflection.unreadable"))
        walk.next_step()
        return
    messages = _read_dialogue(walk)
    if messages:
        _say_dialogue(walk, messages)

    def write(base: str) -> str:
        def keep(lines: list[str]) -> None:
            walk.session.save_reflection(walk.module, step, _joined(base, lines), shared)

        lines = console.ask_text(t("plain.reflection_write"), keep)
        return _joined(base, lines)

    if not text:
        console.say(t("reflection.private"))
        text = write("")
    while True:
        console.say(t("plain.reflection_now"))
        console.say(text or t("plain.reflection_empty"))
        console.say(_words_text(text, step, t))
        console.say(t("reflection.shared" if shared else "reflection.private"))
        options = [t("plain.reflection_more"), t("plain.reflection_anew"),
                   t("plain.reflection_unshare" if shared else "plain.reflection_share")]
        if messages:
            options.append(t("replies.answer_label"))
        choice = console.choose(options, allow_none=t("plain.to_next_step"), lead=prompt)
        if choice is None:
            return
        if choice == 0:
            text = write(text)
        elif choice == 1:
            text = write("")
        elif choice == 2:
            shared = not shared
            walk.session.save_reflection(walk.module, step, text, shared)
        elif _answer_back(walk, shared):
            messages = _read_dialogue(walk)
            if messages:
                _say_dialogue(walk, messages)


# --- the dialogue under a shared reflection ------------------------------------------------


def _read_dialogue(walk: StepWalk) -> list[DialogueMessage]:
    """The instructors' replies and the trainee's answers (none when they cannot be read
    now: said so)."""
    from peerskole import dialogue
    from peerskole.privacy import PrivacyError
    from peerskole.store.base import StoreError

    session = walk.session
    try:
        return dialogue.for_learner(
            session.store, session.key, session.learner.id, session.course.id,
            *session.text_home(walk.module, walk.step), mark_read=False)
    except (StoreError, PrivacyError):
        walk.console.say(walk.t("replies.read_failed"))
        return []


def _say_dialogue(walk: StepWalk, messages: list[DialogueMessage]) -> None:
    """Print the dialogue; the instructors' messages printed count as read."""
    from peerskole import dialogue
    from peerskole.notices import local_time
    from peerskole.store.base import StoreError

    t, console = walk.t, walk.console
    console.say(t("replies.heading"))
    for message in messages:
        author = (t("replies.you") if message.author == "learner"
                  else message.instructor_name or t("replies.instructor"))
        console.say(t("replies.meta", author=author, when=local_time(message.created_at)))
        console.say(message.text)
    try:
        dialogue.mark_replies_seen(walk.session.store, messages)
    except StoreError:
        pass  # still unread in the store: the notice stays, and they are printed again


_ANSWER_REFUSED: Final = {
    "empty": "replies.empty",
    "too_long": "plain.answer_too_long",
    "no_instructors": "plain.answer_no_instructors",
    "not_shared": "plain.answer_not_shared",
}
"""What plain mode says when an answer is refused, by the problem (else plain.answer_failed)."""


def _answer_back(walk: StepWalk, shared: bool) -> bool:
    """Write an answer to the instructors' replies and send it; whether it was sent.

    An answer that cannot be sent is printed back, so nothing typed is lost.
    """
    from peerskole import dialogue
    from peerskole.dialogue import DialogueError
    from peerskole.privacy import PrivacyError
    from peerskole.store.base import StoreError

    t, console, session = walk.t, walk.console, walk.session
    if not shared:
        console.say(t("plain.answer_not_shared"))
        return False
    text = "\n".join(console.ask_text(t("replies.answer_label")))
    if not text.strip():
        console.say(t("replies.empty"))
        return False
    console.say(t("replies.sending"))
    # The share choice goes through the write queue: written first, so the store knows
    # the reflection is shared.
    session.writes.flush()
    try:
        dialogue.answer(session.store, session.key, session.learner.id, session.course.id,
                        *session.text_home(walk.module, walk.step), text)
    except (DialogueError, StoreError, PrivacyError) as error:
        problem = error.problem if isinstance(error, DialogueError) else ""
        console.say(t(_ANSWER_REFUSED.get(problem, "plain.answer_failed")))
        console.say(t("plain.answer_kept"))
        console.say(text)
        return False
    console.say(t("replies.sent"))
    return True


def _joined(base: str, lines: list[str]) -> str:
    added = "\n".join(lines)
    if not base:
        return added
    return f"{base}\n{added}" if added else base


# --- self-assessment ---------------------------------------------------------------------------


def walk_self_assessment(walk: StepWalk) -> None:
    """Statements rated 1–5: "before" at the start, "after" once the rest is done.

    Each rating is kept as a draft at once (as in the app); the set is saved when the
    last statement is rated.
    """
    step: SelfAssessment = walk.step  # type: ignore[assignment]
    console, t = walk.console, walk.t
    count = len(step.statements)
    state: Mapping[str, Any] = walk.data.state
    again = ""  # the phase the trainee chose to rate again ("Ret mine svar")
    if step.intro:
        console.markdown(step.intro)
    while True:
        facts = walk.facts()
        before = valid_ratings(facts.get("before"), count)
        after = valid_ratings(facts.get("after"), count)
        if before is None:
            phase = "before"
        elif again:
            phase = again
        elif after is None and (walk.data.phase == "after" or walk.data.others_done):
            phase = "after"
        else:
            phase = ""
        if phase:
            lead = "assessment.intro_before"
            if phase == "after":
                lead = ("assessment.intro_after_now" if walk.data.phase != "after" and not again
                        else "assessment.intro_after")
            console.say(t(lead))
            console.say(t("assessment.scale"))
            console.say(t("assessment.scale_low"))
            console.say(t("assessment.scale_high"))
            current = unsaved_ratings(state, phase, count)
            if current is None:
                saved = valid_ratings(facts.get(phase), count)
                current = list(saved) if saved else [None] * count
            ratings: list[int | None] = list(current)
            for index, statement in enumerate(step.statements):
                console.show(lambda index=index, statement=statement: console.say(  # type: ignore[misc]
                    f"{index + 1}. {statement}"))
                ratings[index] = _rating(console, t, ratings[index])
                state = {DRAFT_KEY: {"phase": phase, "ratings": list(ratings)}}
                walk.update(state=state)
            walk.update(facts={**walk.facts(), phase: [r for r in ratings if r is not None]},
                        state={})
            state = {}
            console.say(t("plain.ratings_saved"))
            again = ""
            continue
        if after is None:
            assert before is not None
            console.say(t("assessment.your_before"))
            for index, statement in enumerate(step.statements):
                console.say(t("plain.before_only", n=index + 1, statement=statement,
                              before=before[index]))
            console.say(t("assessment.waiting"))
            change = "assessment.change_before"
        else:
            assert before is not None
            console.say(t("assessment.result"))
            for index, statement in enumerate(step.statements):
                moved = after[index] - before[index]
                change_text = (f"+{moved}" if moved > 0 else f"−{-moved}" if moved < 0
                               else t("assessment.same"))
                console.say(t("plain.before_after", n=index + 1, statement=statement,
                              before=before[index], after=after[index], change=change_text))
            change = "assessment.change_after"
        choice = console.choose([t(change)], allow_none=t("plain.to_next_step"))
        if choice is None:
            return
        # Rated again from the saved ratings; they stay until the new ones are saved.
        again = "before" if after is None else "after"


def _rating(console: Console, t: Translator, current: int | None) -> int:
    prompt = (t("plain.rating_keep", rating=current) if current is not None
              else t("plain.rating"))
    while True:
        answer = console.ask(prompt)
        if not answer and current is not None:
            return current
        if answer.isdigit() and 1 <= int(answer) <= 5:
            return int(answer)
        console.say(t("plain.not_a_rating"))


# --- practice log --------------------------------------------------------------------------


def _entry_lines(number: int, values: Mapping[str, str], fields: list[LogField],
                 t: Translator) -> list[str]:
    lines = [t("practice.entry_title", n=number)]
    lines.extend(f"{label}: {value}" for label, value, _ in shown_entry(values, fields, t))
    return lines


def _count_text(count: int, step: Practice, t: Translator) -> str:
    noun = t("practice.entry_one" if count == 1 else "practice.entry_many")
    if count >= step.min_entries:  # the rule progress.step_done uses
        return t("practice.count_enough", count=count, noun=noun)
    return t("practice.count_short", count=count, noun=noun, minimum=step.min_entries)


def walk_practice(walk: StepWalk) -> None:
    """The assignment, the log so far, and new entries asked field by field.

    The entry being written is a draft, saved after each field (as the app saves the
    form), and continued on return; saving the entry to the log ends it.
    """
    step: Practice = walk.step  # type: ignore[assignment]
    console, t = walk.console, walk.t
    fields = list(step.log_fields)
    entries = [dict(entry.values) for entry in walk.data.entries]
    draft = dict(walk.data.draft or {})
    console.show(lambda: console.markdown(step.assignment))
    while True:
        console.say(_count_text(len(entries), step, t))
        if entries:
            console.say(t("practice.log_title"))
            for number, values in enumerate(entries, 1):
                console.say("\n".join(_entry_lines(number, values, fields, t)))
        choice = console.choose(
            [t("plain.practice_continue" if draft else "plain.practice_new")],
            allow_none=t("plain.to_next_step"),
        )
        if choice is None:
            return
        values = _fill_entry(walk, fields, draft)
        walk.session.add_practice_entry(walk.module, step, values)
        entries.append(values)
        draft = {}
        console.say(t("plain.practice_saved"))


def _fill_entry(walk: StepWalk, fields: list[LogField], draft: dict[str, str]) -> dict[str, str]:
    """Ask each field (then those with a problem again) until the entry can be saved."""
    console, t = walk.console, walk.t
    asked = fields
    while True:
        for field in asked:
            def keep(lines: list[str], field_id: str = field.id) -> None:
                # A long text is kept line by line, as a reflection is.
                draft[field_id] = "\n".join(lines)
                walk.session.save_practice_draft(walk.module, walk.step, dict(draft))

            draft[field.id] = _ask_field(console, t, field, draft.get(field.id), keep)
            walk.session.save_practice_draft(walk.module, walk.step, dict(draft))
        values, errors = check_entry(fields, draft, t)
        if not errors:
            return values
        console.say(t("practice.not_saved"))
        asked = [f for f in fields if f.id in errors]
        for field in asked:
            console.say(f"{field_label(field, t)}: {errors[field.id]}")


def _ask_field(console: Console, t: Translator, field: LogField, current: str | None,
               each_line: Callable[[list[str]], None]) -> str:
    label = field_label(field, t)
    if field.type == "minutes":
        label = f"{label} {t('practice.minutes_unit')}"
    if not field.required:
        label = f"{label} {t('practice.optional')}"
    if not current:
        current = default_value(field, t) or None
    if field.type == "long_text":
        intro = label if not current else f"{label}\n{t('plain.field_now', value=current)}"
        lines = console.ask_text(intro + ("\n" + t("plain.field_keep_text") if current else ""),
                                 each_line)
        return "\n".join(lines) if lines or not current else current
    prompt = label
    if field.type == "date":
        prompt = f"{label} ({t('practice.date_hint')})"
    if current:
        prompt = f"{prompt}\n{t('plain.field_keep', value=current)}"
    answer = console.ask(prompt)
    return answer or current or ""


# --- the registry ----------------------------------------------------------------------------

WALKS: Final[Mapping[str, Callable[[StepWalk], None]]] = {
    "reading": walk_reading,
    "quiz": walk_quiz,
    "scenario": walk_scenario,
    "reflection": walk_reflection,
    "self_assessment": walk_self_assessment,
    "practice": walk_practice,
}
"""The walk of each registered step kind (:data:`peerskole.course.kinds.KINDS`)."""


def walk_for(step: Step) -> Callable[[StepWalk], None]:
    """The walk for a step's kind.

    Raises:
        UnknownStepKind: for a kind with no walk here (never another kind's walk).
    """
    walk = WALKS.get(step_kind(step.kind).name)
    if walk is None:
        raise UnknownStepKind(f"no plain-mode walk for step kind {step.kind!r}")
    return walk
