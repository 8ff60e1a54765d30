"""The supervisor signs in: name and passphrase, checked by the core (slowed when wrong)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from peerskole.ui.role_sign_in import NotSignedIn, RoleSignIn
from peerskole.ui.supervisor import supervisor_app

if TYPE_CHECKING:
    from peerskole.i18n import Translator
    from peerskole.praktik import SupervisorKey


class SupervisorSignIn(RoleSignIn["SupervisorKey"]):
    """Who the supervisor is, and their passphrase; nothing else is shown before."""

    ROLE: ClassVar[str] = "supervisor"

    def translator(self) -> Translator:
        return supervisor_app(self).t

    def unlock(self, name: str, passphrase: str) -> SupervisorKey:
        from peerskole.praktik import SupervisorError, find_supervisor, unlock_supervisor

        store = supervisor_app(self).store
        try:
            return unlock_supervisor(store, find_supervisor(store, name), passphrase)
        except SupervisorError as error:
            raise NotSignedIn(error.problem) from error

    def signed_in(self, key: SupervisorKey) -> None:
        supervisor_app(self).signed_in(key)
