"""Plain mode's overview says the classroom hours and approved praktik, as the app does."""

from __future__ import annotations

import shutil
from pathlib import Path

from peerskole.i18n import Translator
from peerskole.store.base import Store
from tests.conftest import SAMPLE_COURSE
from tests.plain.conftest import run
from tests.ui.test_overview_programme import PROGRAMME, seed

T = Translator("da")


def test_the_plain_overview_says_the_hours_and_what_remains(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    store.close()
    folder = tmp_path / "courses" / "mini"
    shutil.copytree(SAMPLE_COURSE, folder)
    with (folder / "course.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(PROGRAMME)
    seed(data_dir, modules_done=True)
    out = run(data_dir, ["1"], course=folder).output
    assert ("Undervisning: 3\u00a0t. af 4\u00a0t. 30\u00a0min. fremmøde – "
            "1\u00a0t. 30\u00a0min. tilbage.") in out
    assert "Godkendt praktik: 0\u00a0t. af 2\u00a0t. – 2\u00a0t. tilbage." in out
    assert T("overview.modules_done_programme_open") in out
    assert T("overview.complete") not in out
