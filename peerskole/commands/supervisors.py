"""``peerskole supervisor``: add and list praktik supervisors; open the supervisor's view.

A coordinator adds supervisors; a supervisor signs in with their own passphrase in the
view (``peerskole supervisor``) to approve or return the praktik trainees asked them to
sign off. The passphrase is asked twice, or read from the first line of standard input
with ``--passphrase-stdin``, never from the command line. Messages are Danish by default,
English with ``--lang en``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from peerskole.commands.coordinator import _store, shown
from peerskole.errors import UserError
from peerskole.i18n import Translator

if TYPE_CHECKING:
    from collections.abc import Callable

    from peerskole.store.base import Store


def _t(args: argparse.Namespace) -> Translator:
    return Translator(getattr(args, "lang", None) or "da")


def supervisor_add(args: argparse.Namespace) -> int:
    """``peerskole supervisor add NAME``."""
    from peerskole.praktik import SupervisorError, add_supervisor
    from peerskole.privacy import MIN_PASSPHRASE_LENGTH, PrivacyError

    t = _t(args)
    name = args.name
    if args.passphrase_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise UserError(t("supervisor.no_passphrase"))
        passphrase = line.rstrip("\r\n")
    else:
        passphrase = getpass.getpass(t("supervisor.new_passphrase", name=shown(name),
                                       min=MIN_PASSPHRASE_LENGTH))
        if getpass.getpass(t("supervisor.repeat_passphrase")) != passphrase:
            raise UserError(t("supervisor.mismatch"))
    with _store(args, create=True) as store:
        try:
            made = add_supervisor(store, name, passphrase)
        except SupervisorError as error:
            raise UserError(t(f"supervisor.error.{error.problem}", who=shown(name))) from None
        except PrivacyError as error:
            if error.problem in ("too_short", "too_long"):
                raise UserError(t(f"supervisor.error.{error.problem}",
                                  min=MIN_PASSPHRASE_LENGTH)) from None
            raise UserError(str(error)) from None
    print(t("supervisor.added", name=shown(made.name), id=made.id))
    return 0


def supervisor_list(args: argparse.Namespace) -> int:
    """``peerskole supervisor list``."""
    t = _t(args)
    with _store(args) as store:
        found = store.supervisors(include_removed=args.all)
    if not found:
        print(t("supervisor.none"), file=sys.stderr)
        return 0
    print(t("supervisor.list_header"))
    for s in found:
        print("\t".join((s.id, shown(s.name), s.created_at[:10], (s.removed_at or "")[:10])))
    return 0


def supervisor_view(args: argparse.Namespace, show: Callable[[Store, str], None]) -> int:
    """``peerskole supervisor``: the supervisor's view, behind its sign-in.

    Args:
        show: runs the view on the open store, in the language (the front end; the
            commands do not know it).
    """
    t = _t(args)
    with _store(args) as store:
        if not store.supervisors():
            raise UserError(t("supervisor.none"))
        show(store, t.language)
    return 0
