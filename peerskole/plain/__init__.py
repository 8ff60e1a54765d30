"""Plain mode: peerskole line by line, for screen readers and braille displays.

Numbered choices, text printed once and never redrawn, no boxes, colours or cursor
movement. It runs over the same core as the terminal app (the session, the progress
rules, the store), so a trainee can move between the two and continue. It never
imports textual (an import-linter contract says so).
"""
