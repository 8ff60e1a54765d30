"""Every UI string, in Danish (the default) and English.

Plain Python: the CLI and the app share it. Keys are dotted by screen; values
are ``str.format`` templates.
"""

from __future__ import annotations

from typing import Final, Literal

Language = Literal["da", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("da", "en")
"""Supported UI languages; the first is the default."""

MESSAGES: Final[dict[Language, dict[str, str]]] = {
    "da": {
        "app.title": "peerskole",
        "key.help": "Hjælp",
        "key.support": "Støtte",
        "key.quit": "Afslut",
        "key.back": "Tilbage",
        "key.next": "Næste",
        "key.previous": "Forrige",
        "key.overview": "Oversigt",
        "key.theme": "Kontrast",
        "key.language": "English",
        "tip.help": "Vis tasterne og hvordan programmet bruges",
        "tip.support": "Vis kontaktpersoner og tag en pause – intet går tabt",
        "tip.quit": "Luk programmet; alt er gemt",
        "tip.next": "Gå til næste trin",
        "tip.previous": "Gå til forrige trin",
        "tip.overview": "Tilbage til kursusoversigten",
        "tip.theme": "Skift mellem normal og høj kontrast",
        "tip.language": "Skift sprog til engelsk",
        "learner.title": "Hvem er du?",
        "learner.intro": "Vælg din profil, eller opret en ny. Flere kan bruge samme computer.",
        "learner.none": "Der er ingen profiler endnu. Opret din egen herunder.",
        "learner.name": "Dit navn (det, andre må se)",
        "learner.cohort": "Holdkode (valgfri)",
        "learner.create": "Opret profil",
        "learner.name_missing": "Skriv et navn, så du kan finde din profil igen.",
        "learner.in_cohort": "hold {cohort}",
        "overview.title": "Kursusoversigt",
        "overview.progress": "{done} / {total} trin ({percent} %)",
        "overview.time_left": "Anslået tid tilbage: {minutes} min.",
        "overview.complete": "Du har gennemført kurset. Tillykke!",
        "overview.locked": "Låst – åbner, når du har gennemført: {modules}",
        "overview.module_done": "Gennemført",
        "overview.module_started": "I gang",
        "overview.module_new": "Ikke påbegyndt",
        "overview.open": "Åbn",
        "overview.minutes": "ca. {minutes} min.",
        "module.goals": "Det lærer du",
        "module.steps": "Trin",
        "module.step_of": "Trin {n} af {total}",
        "module.complete": "Modulet er gennemført.",
        "module.locked": "Dette modul er låst, indtil du har gennemført: {modules}",
        "state.done": "færdig",
        "state.current": "her",
        "state.todo": "mangler",
        "kind.reading": "Læsning",
        "kind.quiz": "Quiz",
        "kind.scenario": "Scenarie",
        "kind.reflection": "Refleksion",
        "kind.self_assessment": "Selvvurdering",
        "kind.practice": "Øvelse",
        "support.title": "Har du brug for at tale med nogen?",
        "support.intro": (
            "Materialet kan røre ved noget svært. Det er helt i orden at holde en pause – "
            "alt, hvad du har skrevet, er gemt. Her er dem, du kan kontakte:"
        ),
        "support.break": "Tag en pause",
        "support.close": "Tilbage til kurset",
        "support.hours": "Træffes: {hours}",
        "support.break_text": (
            "Pausen er din. Rejs dig, drik et glas vand, kig ud ad vinduet. "
            "Kom tilbage, når du er klar – du fortsætter præcis, hvor du slap."
        ),
        "help.title": "Hjælp",
        "help.intro": "Du kan bruge både tastatur og mus. Alt gemmes automatisk.",
        "help.keys": "Taster",
        "help.close": "Luk",
        "help.palette": "Åbn kommandopaletten",
        "help.focus": "Flyt mellem felter og knapper",
        "help.activate": "Vælg eller tryk på det markerede",
        "saved": "Gemt",
        "saving": "Gemmer …",
        "save_failed": "Ikke gemt endnu: {reason} Din tekst er bevaret og gemmes, så snart det kan lade sig gøre.",
        "error.course_title": "Kurset kan ikke åbnes",
        "error.course_intro": "Der er fejl i kursusfilerne. Ret dem, og gem – så prøver vi igen:",
        "error.store_title": "Fremskridt kan ikke gemmes",
        "theme.high_contrast": "Høj kontrast er slået til.",
        "theme.normal": "Normal kontrast er slået til.",
        "command.support": "Støtte og pause",
        "command.help": "Hjælp og taster",
        "command.theme": "Skift kontrast",
        "command.language": "Skift sprog (dansk/engelsk)",
        "command.overview": "Gå til kursusoversigten",
        "command.switch_learner": "Skift profil",
    },
    "en": {
        "app.title": "peerskole",
        "key.help": "Help",
        "key.support": "Support",
        "key.quit": "Quit",
        "key.back": "Back",
        "key.next": "Next",
        "key.previous": "Previous",
        "key.overview": "Overview",
        "key.theme": "Contrast",
        "key.language": "Dansk",
        "tip.help": "Show the keys and how to use the program",
        "tip.support": "Show support contacts and take a break – nothing is lost",
        "tip.quit": "Close the program; everything is saved",
        "tip.next": "Go to the next step",
        "tip.previous": "Go to the previous step",
        "tip.overview": "Back to the course overview",
        "tip.theme": "Switch between normal and high contrast",
        "tip.language": "Switch the language to Danish",
        "learner.title": "Who are you?",
        "learner.intro": "Choose your profile, or create a new one. Several people can share a computer.",
        "learner.none": "There are no profiles yet. Create your own below.",
        "learner.name": "Your name (what others may see)",
        "learner.cohort": "Cohort code (optional)",
        "learner.create": "Create profile",
        "learner.name_missing": "Write a name so you can find your profile again.",
        "learner.in_cohort": "cohort {cohort}",
        "overview.title": "Course overview",
        "overview.progress": "{done} / {total} steps ({percent} %)",
        "overview.time_left": "Estimated time left: {minutes} min.",
        "overview.complete": "You have completed the course. Congratulations!",
        "overview.locked": "Locked – opens when you have completed: {modules}",
        "overview.module_done": "Completed",
        "overview.module_started": "In progress",
        "overview.module_new": "Not started",
        "overview.open": "Open",
        "overview.minutes": "about {minutes} min.",
        "module.goals": "What you will learn",
        "module.steps": "Steps",
        "module.step_of": "Step {n} of {total}",
        "module.complete": "The module is complete.",
        "module.locked": "This module is locked until you have completed: {modules}",
        "state.done": "done",
        "state.current": "here",
        "state.todo": "to do",
        "kind.reading": "Reading",
        "kind.quiz": "Quiz",
        "kind.scenario": "Scenario",
        "kind.reflection": "Reflection",
        "kind.self_assessment": "Self-assessment",
        "kind.practice": "Practice",
        "support.title": "Do you need to talk to someone?",
        "support.intro": (
            "The material can touch on something difficult. It is fine to take a break – "
            "everything you have written is saved. These are the people you can contact:"
        ),
        "support.break": "Take a break",
        "support.close": "Back to the course",
        "support.hours": "Available: {hours}",
        "support.break_text": (
            "The break is yours. Stand up, have a glass of water, look out of the window. "
            "Come back when you are ready – you will continue exactly where you left off."
        ),
        "help.title": "Help",
        "help.intro": "You can use both keyboard and mouse. Everything is saved automatically.",
        "help.keys": "Keys",
        "help.close": "Close",
        "help.palette": "Open the command palette",
        "help.focus": "Move between fields and buttons",
        "help.activate": "Choose or press the highlighted item",
        "saved": "Saved",
        "saving": "Saving …",
        "save_failed": "Not saved yet: {reason} Your text is kept and will be saved as soon as possible.",
        "error.course_title": "The course cannot be opened",
        "error.course_intro": "The course files have errors. Fix them and save – we will try again:",
        "error.store_title": "Progress cannot be saved",
        "theme.high_contrast": "High contrast is on.",
        "theme.normal": "Normal contrast is on.",
        "command.support": "Support and a break",
        "command.help": "Help and keys",
        "command.theme": "Switch contrast",
        "command.language": "Switch language (Danish/English)",
        "command.overview": "Go to the course overview",
        "command.switch_learner": "Switch profile",
    },
}


class Translator:
    """Looks up UI strings in one language.

    Args:
        language: "da" or "en"; anything else falls back to Danish.
    """

    def __init__(self, language: str = "da") -> None:
        self.language: Language = "en" if language == "en" else "da"

    def __call__(self, key: str, **values: object) -> str:
        """The string for key, formatted with values.

        Raises:
            KeyError: for a key missing from the table (a bug, caught by the tests).
        """
        template = MESSAGES[self.language][key]
        return template.format(**values) if values else template
