"""The instructor signs in: name and passphrase, checked by the core (slowed when wrong)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from peerskole.ui.instructor import instructor_app
from peerskole.ui.role_sign_in import NotSignedIn, RoleSignIn

if TYPE_CHECKING:
    from peerskole.i18n import Translator
    from peerskole.instructors import InstructorKey


class InstructorSignIn(RoleSignIn["InstructorKey"]):
    """Who the instructor is, and their passphrase; nothing else is shown before."""

    ROLE: ClassVar[str] = "instructor"

    def translator(self) -> Translator:
        return instructor_app(self).t

    def unlock(self, name: str, passphrase: str) -> InstructorKey:
        from peerskole.instructors import InstructorError, find_instructor, unlock_instructor

        store = instructor_app(self).store
        try:
            return unlock_instructor(store, find_instructor(store, name), passphrase)
        except InstructorError as error:
            raise NotSignedIn(error.problem) from error

    def signed_in(self, key: InstructorKey) -> None:
        instructor_app(self).signed_in(key)
