import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _unavailable(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (never `playwright install`)."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _unavailable("Chromium not installed: apt-get install -y chromium chromium-driver")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright not installed: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """seeds/ built once per test session, without the HTML page: ``(BuildResult, out folder)``.

    Shared by several test files; treat it as read-only.
    """
    import kg

    out = tmp_path_factory.mktemp("seeds-build")
    return kg.build([Path(__file__).resolve().parents[1] / "seeds"], out, html=False), out
