"""The error a person running peerskole can act on."""

from __future__ import annotations


class UserError(Exception):
    """Something the person running peerskole can put right; the message says how.

    Commands print it as a sentence, never as a traceback. Raised for bad arguments
    (a learner without a name, a setting that is not an address) and, as
    :class:`peerskole.export.records.ExportError`, by the exports.
    """
