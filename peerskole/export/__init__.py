"""Coordinator exports: CSV, JSON, xAPI (file or LRS), certificates and Open Badges.

Plain Python: never imports textual. Every export decides completion through
:mod:`peerskole.progress`, the rule the trainee app uses, so a trainee's screen
and a coordinator's file never disagree. Private text (reflections a learner did
not share, practice logs) never reaches an export; see ``docs/exports.md``.

Nothing is imported here, so ``import peerskole.export.csv_export`` pays only for
what that format needs (the PDF library loads only for certificates).
"""
