"""What the trainee is told when a module becomes complete: that it is, and what it opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerskole.i18n import Translator
from peerskole.progress import CourseStatus, unlocked_between

if TYPE_CHECKING:
    from peerskole.course.model import Course, Module


def completion_notice(
    t: Translator, course: Course, module: Module, before: CourseStatus, after: CourseStatus
) -> str | None:
    """The notice for a module that is complete at ``after`` and was not at ``before``.

    Returns:
        None when the module did not just become complete.
    """
    if before.module(module.id).complete or not after.module(module.id).complete:
        return None
    if after.complete:
        return f"{t('module.complete')} {t('overview.complete')}"
    opened = unlocked_between(course, before, after)
    if not opened:
        return t("module.complete")
    return t("module.complete_unlocked", modules=", ".join(m.title for m in opened))
