"""Headless Chromium for the tests, driven by Playwright with the system's browser (Debian package
`chromium`); Playwright never downloads a browser of its own here."""

from __future__ import annotations

import contextlib
import shutil

import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("needs the Debian package chromium (.ci/run installs it)")
    return path


@contextlib.contextmanager
def chromium_page(profile_dir, width: int = 1000, height: int = 1400):
    """A page in a fresh headless Chromium with its own profile folder."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile_dir), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
