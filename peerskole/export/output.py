"""Where an export goes: a file written whole or not at all, or standard output."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from peerskole.export.records import ExportError


@contextlib.contextmanager
def binary_output(path: Path | None) -> Iterator[BinaryIO]:
    """Open ``path`` for writing bytes, or standard output when ``path`` is None.

    A file is written beside its final place and moved there only when the export
    finished, so an interrupted export never leaves half a spreadsheet that looks
    whole. It is readable by its owner only (0600): it names people in training.

    Raises:
        ExportError: when the file cannot be written.
    """
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror}.") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise ExportError(f"Cannot write {path}: {error.strerror}.") from error
    except BaseException:
        _remove(temporary)
        raise


@contextlib.contextmanager
def text_output(path: Path | None, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Like :func:`binary_output`, as text with ``newline=""`` (the csv module's wish)."""
    with binary_output(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="", write_through=False)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the raw stream belongs to binary_output


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
