"""Every UI string, in Danish (the default) and English.

Plain Python: the CLI and the app share it. Keys are dotted by screen; values
are ``str.format`` templates.
"""

from __future__ import annotations

import datetime as dt
import re
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
        "tip.next": "Gå til næste trin – virker også, mens du skriver",
        "tip.previous": "Gå til forrige trin – virker også, mens du skriver",
        "tip.overview": "Tilbage til kursusoversigten",
        "tip.theme": "Skift mellem normal og høj kontrast",
        "tip.language": "Skift sprog til engelsk",
        "key.palette": "Kommandoer",
        "tip.palette": "Søg blandt programmets kommandoer",
        "palette.placeholder": "Søg efter en kommando …",
        "learner.title": "Hvem er du?",
        "learner.intro": "Vælg din profil, eller opret en ny. Flere kan bruge samme computer.",
        "learner.none": "Der er ingen profiler endnu. Opret din egen herunder.",
        "learner.name": "Dit navn (det, andre må se)",
        "learner.cohort": "Holdkode (valgfri)",
        "learner.create": "Opret profil",
        "learner.name_missing": "Skriv et navn, så du kan finde din profil igen.",
        "learner.in_cohort": "hold {cohort}",
        "overview.title": "Kursusoversigt",
        "overview.progress": "{done} / {total} trin ({percent}\u00a0%)",
        "overview.about": "Om kurset",
        "overview.time_left": "Anslået tid tilbage: {minutes}\u00a0min.",
        "overview.complete": "Du har gennemført kurset. Tillykke!",
        "overview.locked": "Låst – åbner, når du har gennemført: {modules}",
        "overview.module_done": "Gennemført",
        "overview.module_started": "I gang",
        "overview.module_new": "Ikke påbegyndt",
        "overview.open": "Åbn",
        "overview.minutes": "ca. {minutes}\u00a0min.",
        "module.goals": "Det lærer du",
        "module.steps": "Trin",
        "module.step_of": "Trin {n} af {total}",
        "module.complete": "Modulet er gennemført.",
        "module.locked": "Dette modul er låst, indtil du har gennemført: {modules}",
        "state.done": "færdig",
        "state.current": "her",
        "state.todo": "mangler",
        "state.before_saved": "før gemt · efter mangler",
        "module.complete_unlocked": "Modulet er gennemført. Nu åbent: {modules}",
        "overview.start_here": "▶ Start her",
        "overview.continue_here": "▶ Fortsæt her",
        "overview.next_start": "Start med: {module}",
        "overview.next_continue": "Fortsæt med: {module}",
        "key.open": "Åbn",
        "tip.open": "Åbn det markerede modul",
        "key.switch_learner": "Skift profil",
        "overview.switch_learner": "Skift profil (Ctrl+L)",
        "tip.switch_learner": "Gem alt og gå tilbage til »Hvem er du?«, så en anden kan bruge computeren",
        "switch.not_saved": "Profilen er ikke skiftet, for noget af det skrevne er ikke gemt endnu: {reason} Prøv igen om lidt.",
        "quiz.question_number": "Spørgsmål {n} af {total}",
        "quiz.choose_one": "Vælg ét svar.",
        "quiz.choose_all": "Vælg alle rigtige svar – der kan være flere.",
        "quiz.submit": "Svar",
        "quiz.retry": "Prøv igen",
        "quiz.and": "og",
        "quiz.question_one": "spørgsmål",
        "quiz.question_many": "spørgsmål",
        "quiz.missing": "⚠ Svar på alle spørgsmål, før du trykker på Svar. Mangler svar: {noun} {numbers}.",
        "quiz.missing_here": "⚠ Dette spørgsmål mangler et svar.",
        "quiz.question_right": "✓ Rigtigt besvaret.",
        "quiz.question_wrong": "✗ Ikke rigtigt besvaret.",
        "quiz.question_partly": "✗ Ikke helt rigtigt: spørgsmålet tæller først, når du har valgt alle de rigtige svar og ingen forkerte.",
        "quiz.chosen_right": "✓ Rigtigt – du valgte: {option}",
        "quiz.chosen_wrong": "✗ Forkert – du valgte: {option}",
        "quiz.missed": "○ Også rigtigt – men ikke valgt: {option}",
        "quiz.score": "Du svarede rigtigt på {right} af {total} spørgsmål ({percent}\u00a0%). Kravet for at bestå er {pass_mark}\u00a0%.",
        "quiz.passed": "✓ Bestået. Læs gerne forklaringerne herunder, og gå så videre til næste trin.",
        "quiz.not_passed": "✗ Ikke bestået endnu. Læs forklaringerne herunder, og prøv igen, når du er klar – du kan prøve så mange gange, du vil.",
        "quiz.passed_before": "✓ Dette forsøg nåede ikke kravet, men du har bestået før med {best}\u00a0%, så trinnet er stadig færdigt.",
        "scenario.turn_of": "Del {n} af {total}",
        "scenario.says": "{speaker}: »{says}«",
        "scenario.you_say": "Du: »{text}«",
        "scenario.your_turn": "Hvad svarer du? Vælg et svar i listen, og tryk på Vælg.",
        "scenario.choose": "Vælg",
        "scenario.choose_first": "⚠ Vælg først et svar i listen ovenfor.",
        "scenario.quality_best": "★ Bedste svar",
        "scenario.quality_acceptable": "◐ Acceptabelt svar",
        "scenario.quality_poor": "✗ Uhensigtsmæssigt svar",
        "scenario.principle": "Princip: {principle}",
        "scenario.your_choice": "{text} (dit valg)",
        "scenario.explore": "Vil du se, hvordan de andre svar ville have virket? Vælg dem i listen ovenfor. Dit valg står fast.",
        "scenario.explored": "Udforsket – ikke dit valg: »{text}«",
        "scenario.continue": "Videre",
        "scenario.finished": "✓ Samtalen er slut, og trinnet er færdigt. Du kan læse samtalen og feedbacken igen ovenfor.",
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
        "help.arrows": "Flyt mellem svarmulighederne, eller rul i teksten",
        "saved": "Gemt",
        "saving": "Gemmer …",
        "save_failed": "Ikke gemt endnu: {reason} Din tekst er bevaret og gemmes, så snart det kan lade sig gøre.",
        "store.read_failed": "Kunne ikke hente det fra databasen: {reason} Prøv igen om lidt. Det, du har skrevet, er bevaret.",
        "store.locked": "Databasen med dine fremskridt bruges lige nu af et andet program.",
        "store.stale": "Adgangskoden til profilen er skiftet i et andet vindue. Det, du har skrevet, gemmes, når profilen er åbnet med den nye adgangskode.",
        "store.full": "Disken med mappen {folder} er fuld. Frigør plads ved at slette eller flytte nogle filer.",
        "store.readonly": "peerskole må ikke skrive i mappen {folder}. Vælg en anden mappe med --data-dir (eller PEERSKOLE_DATA_DIR), eller bed den, der passer computeren, om lov til at skrive der.",
        "store.corrupt": "Databasen i mappen {folder} er beskadiget eller er ikke fra peerskole. Flyt filen peerskole.sqlite3 til side, eller læg en sikkerhedskopi på plads.",
        "store.no_answer": "Databasen med dine fremskridt svarer ikke lige nu.",
        "error.store_quit": "Luk programmet med Ctrl+Q, ret det, og start igen.",
        "unsaved.title": "Noget af det, du har skrevet, er ikke gemt endnu",
        "unsaved.body": "{reason}\n\nLukker du nu, går det tabt. Så længe programmet er åbent, er din tekst bevaret: ret problemet og prøv at gemme igen, eller bliv og skriv videre imens.",
        "unsaved.retry": "Prøv at gemme igen",
        "unsaved.quit": "Luk alligevel",
        "unsaved.stay": "Bliv",
        "unsaved.waiting": "Prøver at gemme …",
        "error.course_title": "Kurset kan ikke åbnes",
        "error.course_intro": "Der er fejl i kursusfilerne, så kurset kan ikke åbne. Det er ikke din skyld, og dine gemte svar er ikke berørt. Vis din underviser fejlene herunder:",
        "error.course_intro_preview": "Der er fejl i kursusfilerne. Ret dem, og gem – så prøver vi igen:",
        "error.store_title": "Fremskridt kan ikke gemmes",
        "theme.high_contrast": "Høj kontrast er slået til.",
        "theme.normal": "Normal kontrast er slået til.",
        "command.support": "Støtte og pause",
        "command.help": "Hjælp og taster",
        "command.theme": "Skift kontrast",
        "command.language": "Skift sprog (dansk/engelsk)",
        "command.overview": "Gå til kursusoversigten",
        "command.switch_learner": "Skift profil",
        "reflection.private": "Privat – kun du kan se, hvad du skriver her, medmindre du selv vælger at dele det.",
        "reflection.shared": "Delt – din underviser kan læse denne refleksion. Fjern krydset herunder, hvis den skal være privat igen.",
        "reflection.share": "Del denne refleksion med min underviser",
        "reflection.placeholder": "Skriv her – med dine egne ord.",
        "reflection.autosave": "Det, du skriver, gemmes automatisk, mens du skriver.",
        "reflection.word_one": "ord",
        "reflection.word_many": "ord",
        "reflection.words_short": "{count} {noun} – mindst {minimum}",
        "reflection.words_enough": "✓ {count} {noun} – nok til, at trinnet er færdigt",
        "assessment.intro_before": "Hvor står du lige nu? Der er ingen rigtige eller forkerte svar.",
        "assessment.intro_after": "Du er kommet igennem modulet. Vurdér de samme udsagn igen – hvor står du nu?",
        "assessment.intro_after_now": "Du har allerede lavet resten af modulet, så du kan vurdere de samme udsagn igen nu.",
        "assessment.scale": "Vælg et tal fra 1 til 5 ved hvert udsagn.",
        "assessment.scale_low": "1 = passer slet ikke",
        "assessment.scale_high": "5 = passer helt",
        "assessment.save": "Gem",
        "assessment.missing": "Vælg et tal ved hvert udsagn, før du gemmer. Mangler: udsagn {numbers}.",
        "assessment.waiting": "Dine svar er gemt. Når du har lavet resten af modulet, vurderer du de samme udsagn igen – så kan du se, hvad der har flyttet sig.",
        "assessment.your_before": "Dine svar fra starten af modulet:",
        "assessment.change_before": "Ret mine svar",
        "assessment.change_after": "Ret mine nye svar",
        "assessment.result": "Sådan vurderede du dig selv før og efter modulet:",
        "assessment.before": "Før",
        "assessment.after": "Efter",
        "assessment.same": "uændret",
        "practice.log_title": "Din log",
        "practice.none": "Ingen indførsler endnu.",
        "practice.entry_title": "Indførsel {n}",
        "practice.new_title": "Ny indførsel",
        "practice.optional": "(valgfri)",
        "practice.date_hint": "fx 1.3.2026",
        "practice.field_date": "Dato",
        "practice.field_duration": "Varighed",
        "practice.field_what_happened": "Hvad skete der?",
        "practice.field_what_i_noticed": "Hvad lagde jeg mærke til?",
        "practice.minutes_unit": "(minutter)",
        "date.forms": "{iso}, {dotted} eller {shown}",
        "practice.minutes_hint": "fx 15",
        "practice.minutes_value": "{minutes}\u00a0min.",
        "practice.save": "Gem i loggen",
        "practice.saved": "✓ Gemt i loggen. Felterne er tomme igen, hvis du vil skrive en indførsel mere.",
        "practice.not_saved": "Indførslen er ikke gemt endnu. Ret det, der står ⚠ ved, og prøv igen.",
        "practice.required": "⚠ Dette felt skal udfyldes.",
        "practice.bad_date": "⚠ Skriv en rigtig dato, fx {forms}.",
        "practice.bad_minutes": "⚠ Skriv antal minutter som et helt tal, fx 15.",
        "practice.entry_one": "indførsel",
        "practice.entry_many": "indførsler",
        "practice.count_short": "{count} {noun} – mindst {minimum}",
        "practice.count_enough": "✓ {count} {noun} – nok til, at trinnet er færdigt",
        "key.passphrase": "Adgangskode",
        "tip.passphrase": "Beskyt din profil med en adgangskode – eller skift eller fjern den",
        "command.passphrase": "Adgangskode til min profil",
        "help.passphrase": "Adgangskode til din profil (på kursusoversigten)",
        "passphrase.prompt_title": "Profilen er beskyttet",
        "passphrase.prompt_intro": "Skriv adgangskoden til profilen {name} for at åbne dine refleksioner og din log.",
        "passphrase.field": "Adgangskode",
        "passphrase.open": "Åbn",
        "passphrase.cancel": "Tilbage",
        "passphrase.checking": "Et øjeblik …",
        "passphrase.empty": "Skriv din adgangskode.",
        "passphrase.wrong": "Det var ikke den rigtige adgangskode. Prøv igen i ro og mag – store og små bogstaver tæller.",
        "passphrase.settings_title": "Adgangskode til din profil",
        "passphrase.state_on": "Din profil er beskyttet med en adgangskode. Dine refleksioner og din log gemmes krypteret.",
        "passphrase.state_off": "Din profil har ingen adgangskode. Med en adgangskode gemmes dine refleksioner og din log krypteret, så andre, der bruger computeren, ikke kan læse dem.",
        "passphrase.no_back_door": "Vigtigt: Der findes ingen bagdør. Glemmer du adgangskoden, kan ingen – heller ikke din underviser eller it-afdelingen – få dine refleksioner og din log frem igen. Hvilke trin du har gennemført, kan stadig ses.",
        "passphrase.shared_note": "En refleksion, du deler med din underviser, gemmes læsbart, så underviseren kan læse den.",
        "passphrase.current": "Nuværende adgangskode",
        "passphrase.new": "Ny adgangskode (mindst {minimum}\u00a0tegn – gerne et par ord)",
        "passphrase.repeat": "Skriv den nye adgangskode igen",
        "passphrase.set": "Sæt adgangskode",
        "passphrase.change": "Skift adgangskode",
        "passphrase.remove": "Fjern adgangskode",
        "passphrase.close": "Luk",
        "passphrase.mismatch": "De to nye adgangskoder er ikke ens. Skriv den nye igen.",
        "passphrase.too_short": "Vælg en adgangskode på mindst {minimum}\u00a0tegn – et par ord, du kan huske, er godt.",
        "passphrase.too_long": "Adgangskoden er for lang. Vælg en på højst {maximum}\u00a0tegn.",
        "passphrase.current_wrong": "Den nuværende adgangskode er ikke rigtig. Prøv igen.",
        "passphrase.working": "Et øjeblik – din tekst krypteres …",
        "passphrase.done_set": "Din profil er nu beskyttet med adgangskoden.",
        "passphrase.done_changed": "Adgangskoden er skiftet.",
        "passphrase.done_removed": "Adgangskoden er fjernet. Din tekst gemmes nu ukrypteret.",
        "passphrase.damaged": "Intet er ændret: noget af den private tekst kunne ikke åbnes. ({reason})",
        "passphrase.unavailable": "Adgangskoder virker ikke på denne computer. ({reason})",
        "privacy.unreadable": "(Denne tekst kan ikke åbnes med den nuværende adgangskode.)",
        "passphrase.wait_seconds": "Prøv igen om {seconds}\u00a0sekunder.",
        "passphrase.wait_one_second": "Prøv igen om 1\u00a0sekund.",
        "passphrase.wait_minutes": "Prøv igen om {minutes}\u00a0minutter.",
        "passphrase.wrong_wait": "Det var ikke den rigtige adgangskode. For at beskytte din profil skal du nu vente lidt, før du prøver igen.",
        "passphrase.too_many": "Der er prøvet for mange forkerte adgangskoder til profilen, så du skal vente lidt.",
        "passphrase.changed_elsewhere": "Intet er ændret: adgangskoden er blevet skiftet i et andet vindue, mens profilen var åben her. Skriv den nye adgangskode, når du bliver spurgt om den.",
        "passphrase.again_title": "Adgangskoden er skiftet",
        "passphrase.again_intro": "Adgangskoden til profilen {name} er blevet skiftet i et andet vindue. Skriv den nye adgangskode for at fortsætte. Det, du har skrevet her, er ikke tabt: det gemmes, så snart profilen er åbnet igen.",
        "passphrase.quit": "Afslut",
        "passphrase.opened_again": "Profilen er åbnet igen, og din tekst gemmes.",
        "passphrase.removed_elsewhere": "Adgangskoden er fjernet i et andet vindue. Din tekst gemmes nu ukrypteret.",
        "reflection.unreadable": "Denne refleksion kan ikke åbnes med den adgangskode, profilen blev åbnet med – adgangskoden er skiftet i et andet vindue. Teksten er gemt uændret. Når profilen er åbnet med den nye adgangskode, kan du gå til et andet trin og tilbage for at se den.",
        "learner.name_control": "Navnet må kun indeholde almindelige tegn – ingen styretegn. Skriv det igen.",
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
        "tip.next": "Go to the next step – works while you write, too",
        "tip.previous": "Go to the previous step – works while you write, too",
        "tip.overview": "Back to the course overview",
        "tip.theme": "Switch between normal and high contrast",
        "tip.language": "Switch the language to Danish",
        "key.palette": "Commands",
        "tip.palette": "Search the program's commands",
        "palette.placeholder": "Search for a command …",
        "learner.title": "Who are you?",
        "learner.intro": "Choose your profile, or create a new one. Several people can share a computer.",
        "learner.none": "There are no profiles yet. Create your own below.",
        "learner.name": "Your name (what others may see)",
        "learner.cohort": "Cohort code (optional)",
        "learner.create": "Create profile",
        "learner.name_missing": "Write a name so you can find your profile again.",
        "learner.in_cohort": "cohort {cohort}",
        "overview.title": "Course overview",
        "overview.progress": "{done} / {total} steps ({percent}\u00a0%)",
        "overview.about": "About the course",
        "overview.time_left": "Estimated time left: {minutes}\u00a0min.",
        "overview.complete": "You have completed the course. Congratulations!",
        "overview.locked": "Locked – opens when you have completed: {modules}",
        "overview.module_done": "Completed",
        "overview.module_started": "In progress",
        "overview.module_new": "Not started",
        "overview.open": "Open",
        "overview.minutes": "about {minutes}\u00a0min.",
        "module.goals": "What you will learn",
        "module.steps": "Steps",
        "module.step_of": "Step {n} of {total}",
        "module.complete": "The module is complete.",
        "module.locked": "This module is locked until you have completed: {modules}",
        "state.done": "done",
        "state.current": "here",
        "state.todo": "to do",
        "state.before_saved": "before saved · after to do",
        "module.complete_unlocked": "The module is complete. Now open: {modules}",
        "overview.start_here": "▶ Start here",
        "overview.continue_here": "▶ Continue here",
        "overview.next_start": "Start with: {module}",
        "overview.next_continue": "Continue with: {module}",
        "key.open": "Open",
        "tip.open": "Open the highlighted module",
        "key.switch_learner": "Switch profile",
        "overview.switch_learner": "Switch profile (Ctrl+L)",
        "tip.switch_learner": "Save everything and go back to “Who are you?”, so someone else can use the computer",
        "switch.not_saved": "The profile was not switched, because some of what was written is not saved yet: {reason} Please try again in a moment.",
        "quiz.question_number": "Question {n} of {total}",
        "quiz.choose_one": "Choose one answer.",
        "quiz.choose_all": "Choose all the right answers – there may be more than one.",
        "quiz.submit": "Answer",
        "quiz.retry": "Try again",
        "quiz.and": "and",
        "quiz.question_one": "question",
        "quiz.question_many": "questions",
        "quiz.missing": "⚠ Please answer every question before you press Answer. Not answered yet: {noun} {numbers}.",
        "quiz.missing_here": "⚠ This question still needs an answer.",
        "quiz.question_right": "✓ Answered right.",
        "quiz.question_wrong": "✗ Not answered right.",
        "quiz.question_partly": "✗ Not quite right: the question counts only when you have chosen all the right answers and no wrong ones.",
        "quiz.chosen_right": "✓ Right – you chose: {option}",
        "quiz.chosen_wrong": "✗ Wrong – you chose: {option}",
        "quiz.missed": "○ Also right – but not chosen: {option}",
        "quiz.score": "You answered {right} of {total} questions right ({percent}\u00a0%). The pass mark is {pass_mark}\u00a0%.",
        "quiz.passed": "✓ Passed. Read the explanations below if you like, then go on to the next step.",
        "quiz.not_passed": "✗ Not passed yet. Read the explanations below and try again when you are ready – you can try as many times as you like.",
        "quiz.passed_before": "✓ This attempt did not reach the pass mark, but you passed before with {best}\u00a0%, so the step is still done.",
        "scenario.turn_of": "Part {n} of {total}",
        "scenario.says": "{speaker}: “{says}”",
        "scenario.you_say": "You: “{text}”",
        "scenario.your_turn": "What do you say? Choose a response in the list, then press Choose.",
        "scenario.choose": "Choose",
        "scenario.choose_first": "⚠ First choose a response in the list above.",
        "scenario.quality_best": "★ Best response",
        "scenario.quality_acceptable": "◐ Acceptable response",
        "scenario.quality_poor": "✗ Unhelpful response",
        "scenario.principle": "Principle: {principle}",
        "scenario.your_choice": "{text} (your choice)",
        "scenario.explore": "Want to see how the other responses would have worked? Choose them in the list above. Your choice stays as it is.",
        "scenario.explored": "Explored – not your choice: “{text}”",
        "scenario.continue": "Continue",
        "scenario.finished": "✓ The conversation is over and the step is done. You can read the conversation and the feedback again above.",
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
        "help.arrows": "Move between the options of an answer, or scroll the text",
        "saved": "Saved",
        "saving": "Saving …",
        "save_failed": "Not saved yet: {reason} Your text is kept and will be saved as soon as possible.",
        "store.read_failed": "Could not fetch this from the database: {reason} Try again in a moment. What you have written is kept.",
        "store.locked": "The database with your progress is in use by another program right now.",
        "store.stale": "The passphrase of the profile was changed in another window. What you wrote is saved once the profile is open with the new passphrase.",
        "store.full": "The disk holding the folder {folder} is full. Free some space by deleting or moving some files.",
        "store.readonly": "peerskole may not write in the folder {folder}. Choose another folder with --data-dir (or PEERSKOLE_DATA_DIR), or ask whoever looks after the computer for permission to write there.",
        "store.corrupt": "The database in the folder {folder} is damaged or is not peerskole's. Move the file peerskole.sqlite3 aside, or put a backup in its place.",
        "store.no_answer": "The database with your progress is not answering right now.",
        "error.store_quit": "Close the program with Ctrl+Q, fix this, and start again.",
        "unsaved.title": "Some of what you wrote is not saved yet",
        "unsaved.body": "{reason}\n\nIf you close now, it is lost. While the program is open your text is kept: fix the problem and try saving again, or stay and go on writing meanwhile.",
        "unsaved.retry": "Try saving again",
        "unsaved.quit": "Close anyway",
        "unsaved.stay": "Stay",
        "unsaved.waiting": "Trying to save …",
        "error.course_title": "The course cannot be opened",
        "error.course_intro": "The course files have errors, so the course cannot open. It is not your fault, and your saved answers are untouched. Show your instructor the errors below:",
        "error.course_intro_preview": "The course files have errors. Fix them and save – we will try again:",
        "error.store_title": "Progress cannot be saved",
        "theme.high_contrast": "High contrast is on.",
        "theme.normal": "Normal contrast is on.",
        "command.support": "Support and a break",
        "command.help": "Help and keys",
        "command.theme": "Switch contrast",
        "command.language": "Switch language (Danish/English)",
        "command.overview": "Go to the course overview",
        "command.switch_learner": "Switch profile",
        "reflection.private": "Private – only you can see what you write here, unless you choose to share it.",
        "reflection.shared": "Shared – your instructor can read this reflection. Untick the box below to make it private again.",
        "reflection.share": "Share this reflection with my instructor",
        "reflection.placeholder": "Write here – in your own words.",
        "reflection.autosave": "What you write is saved automatically as you type.",
        "reflection.word_one": "word",
        "reflection.word_many": "words",
        "reflection.words_short": "{count} {noun} – at least {minimum}",
        "reflection.words_enough": "✓ {count} {noun} – enough for the step to be done",
        "assessment.intro_before": "Where are you right now? There are no right or wrong answers.",
        "assessment.intro_after": "You have worked through the module. Rate the same statements again – where are you now?",
        "assessment.intro_after_now": "You have already done the rest of the module, so you can rate the same statements again now.",
        "assessment.scale": "Choose a number from 1 to 5 for each statement.",
        "assessment.scale_low": "1 = does not fit me at all",
        "assessment.scale_high": "5 = fits me completely",
        "assessment.save": "Save",
        "assessment.missing": "Choose a number for every statement before you save. Missing: statement {numbers}.",
        "assessment.waiting": "Your answers are saved. When you have done the rest of the module, you will rate the same statements again – then you can see what has moved.",
        "assessment.your_before": "Your answers from the start of the module:",
        "assessment.change_before": "Change my answers",
        "assessment.change_after": "Change my new answers",
        "assessment.result": "How you rated yourself before and after the module:",
        "assessment.before": "Before",
        "assessment.after": "After",
        "assessment.same": "unchanged",
        "practice.log_title": "Your log",
        "practice.none": "No entries yet.",
        "practice.entry_title": "Entry {n}",
        "practice.new_title": "New entry",
        "practice.optional": "(optional)",
        "practice.date_hint": "e.g. 1.3.2026",
        "practice.field_date": "Date",
        "practice.field_duration": "Duration",
        "practice.field_what_happened": "What happened?",
        "practice.field_what_i_noticed": "What did I notice?",
        "practice.minutes_unit": "(minutes)",
        "date.forms": "{iso}, {dotted} or {shown}",
        "practice.minutes_hint": "e.g. 15",
        "practice.minutes_value": "{minutes}\u00a0min.",
        "practice.save": "Save to the log",
        "practice.saved": "✓ Saved to the log. The fields are empty again if you want to add another entry.",
        "practice.not_saved": "The entry is not saved yet. Fix what is marked ⚠ and try again.",
        "practice.required": "⚠ Please fill this in.",
        "practice.bad_date": "⚠ Write a real date, e.g. {forms}.",
        "practice.bad_minutes": "⚠ Write the number of minutes as a whole number, e.g. 15.",
        "practice.entry_one": "entry",
        "practice.entry_many": "entries",
        "practice.count_short": "{count} {noun} – at least {minimum}",
        "practice.count_enough": "✓ {count} {noun} – enough for the step to be done",
        "key.passphrase": "Passphrase",
        "tip.passphrase": "Protect your profile with a passphrase – or change or remove it",
        "command.passphrase": "Passphrase for my profile",
        "help.passphrase": "Passphrase for your profile (on the course overview)",
        "passphrase.prompt_title": "This profile is protected",
        "passphrase.prompt_intro": "Type the passphrase of the profile {name} to open your reflections and your log.",
        "passphrase.field": "Passphrase",
        "passphrase.open": "Open",
        "passphrase.cancel": "Back",
        "passphrase.checking": "One moment …",
        "passphrase.empty": "Type your passphrase.",
        "passphrase.wrong": "That was not the right passphrase. Take your time and try again – capital and small letters count.",
        "passphrase.settings_title": "Passphrase for your profile",
        "passphrase.state_on": "Your profile is protected with a passphrase. Your reflections and your log are stored encrypted.",
        "passphrase.state_off": "Your profile has no passphrase. With a passphrase, your reflections and your log are stored encrypted, so others who use this computer cannot read them.",
        "passphrase.no_back_door": "Important: there is no back door. If you forget the passphrase, nobody – not your instructor, not IT – can bring your reflections and your log back. Which steps you completed can still be seen.",
        "passphrase.shared_note": "A reflection you share with your instructor is stored readable, so the instructor can read it.",
        "passphrase.current": "Current passphrase",
        "passphrase.new": "New passphrase (at least {minimum}\u00a0characters – a few words work well)",
        "passphrase.repeat": "Type the new passphrase again",
        "passphrase.set": "Set passphrase",
        "passphrase.change": "Change passphrase",
        "passphrase.remove": "Remove passphrase",
        "passphrase.close": "Close",
        "passphrase.mismatch": "The two new passphrases are not the same. Type the new one again.",
        "passphrase.too_short": "Choose a passphrase of at least {minimum}\u00a0characters – a few words you will remember work well.",
        "passphrase.too_long": "The passphrase is too long. Choose one of at most {maximum}\u00a0characters.",
        "passphrase.current_wrong": "The current passphrase is not right. Try again.",
        "passphrase.working": "One moment – your text is being encrypted …",
        "passphrase.done_set": "Your profile is now protected with the passphrase.",
        "passphrase.done_changed": "The passphrase has been changed.",
        "passphrase.done_removed": "The passphrase has been removed. Your text is now stored unencrypted.",
        "passphrase.damaged": "Nothing was changed: some private text could not be opened. ({reason})",
        "passphrase.unavailable": "Passphrases do not work on this computer. ({reason})",
        "privacy.unreadable": "(This text cannot be opened with the current passphrase.)",
        "passphrase.wait_seconds": "Try again in {seconds}\u00a0seconds.",
        "passphrase.wait_one_second": "Try again in 1\u00a0second.",
        "passphrase.wait_minutes": "Try again in {minutes}\u00a0minutes.",
        "passphrase.wrong_wait": "That was not the right passphrase. To protect your profile, you now have to wait a little before you try again.",
        "passphrase.too_many": "Too many wrong passphrases have been tried for this profile, so you have to wait a little.",
        "passphrase.changed_elsewhere": "Nothing was changed: the passphrase was changed in another window while the profile was open here. Type the new passphrase when you are asked for it.",
        "passphrase.again_title": "The passphrase was changed",
        "passphrase.again_intro": "The passphrase of the profile {name} was changed in another window. Type the new passphrase to go on. What you wrote here is not lost: it is saved as soon as the profile is open again.",
        "passphrase.quit": "Quit",
        "passphrase.opened_again": "The profile is open again, and your text is being saved.",
        "passphrase.removed_elsewhere": "The passphrase was removed in another window. Your text is now stored unencrypted.",
        "reflection.unreadable": "This reflection cannot be opened with the passphrase the profile was opened with – the passphrase was changed in another window. The text is kept unchanged. Once the profile is open with the new passphrase, go to another step and back to see it.",
        "learner.name_control": "The name may contain only ordinary characters – no control characters. Please type it again.",
    },
}


MONTHS: Final[dict[Language, tuple[str, ...]]] = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
"""Month names for dates on screen: a table, not the system locale (which may be neither
language, and is not to be read at import time)."""

_MONTH_NUMBERS: Final[dict[str, int]] = {
    name.lower(): number
    for names in MONTHS.values()
    for number, name in enumerate(names, 1)
}

_DATE_FORMS: Final[tuple[tuple[re.Pattern[str], tuple[int, int, int]], ...]] = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),  # 2026-03-01
    (re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})"), (3, 2, 1)),  # 1.3.2026, 01-03-2026
    (re.compile(r"(\d{1,2})\.? +([^\W\d_]+) +(\d{4})"), (3, 2, 1)),  # 1. marts 2026
)
"""The forms a date may be typed in, each with where year, month and day are in it."""

DATE_EXAMPLE: Final = dt.date(2026, 3, 1)
"""The date the messages use to show the forms a date may be typed in."""


def format_date(day: dt.date, language: str) -> str:
    """A date as the UI shows it: "1. marts 2026" in Danish, "1 March 2026" in English.

    Args:
        day: the date.
        language: "da" or "en"; anything else is shown as Danish.
    """
    if language == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"
    return f"{day.day}. {MONTHS['da'][day.month - 1]} {day.year}"


def parse_date(text: str) -> dt.date | None:
    """A real calendar date from a date as a person types it, or None.

    The same forms are read everywhere (the practice log, the command line):
    year-month-day (2026-03-01), day.month.year (1.3.2026, also with - or /), and the
    form the app shows (1. marts 2026, 1 March 2026), month names in either language.

    Args:
        text: the date as typed.
    """
    text = text.strip()
    for pattern, (year, month, day) in _DATE_FORMS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        month_text = match[month]
        number = (int(month_text) if month_text.isdigit()
                  else _MONTH_NUMBERS.get(month_text.lower()))
        if number is None:
            return None
        try:
            return dt.date(int(match[year]), number, int(match[day]))
        except ValueError:  # 2026-02-30 and the like
            return None
    return None


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

    def date(self, day: dt.date) -> str:
        """A date in this language's form (see :func:`format_date`)."""
        return format_date(day, self.language)

    def date_forms(self) -> str:
        """The forms a date may be typed in, as examples, for messages that ask for one."""
        day = DATE_EXAMPLE
        return self("date.forms", iso=day.isoformat(), dotted=f"{day.day}.{day.month}.{day.year}",
                    shown=self.date(day))
