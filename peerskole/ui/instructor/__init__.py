"""The instructor's view: a cohort's learners, each one's progress, and the inbox of
reflections trainees shared. Figures and shared text only, never a private text."""
