"""The rehearsal's HTML page, opened in headless Chromium (Debian's package, driven by Playwright) as a
person would see it: the verdict, every stage of the venue, the differences table, the filter working,
and no script errors. A screenshot is saved under ``test-artifacts/``.

Without Chromium the test is skipped, unless ``VENUEOPS_REQUIRE_BROWSER`` is set (CI sets it, and
installs Chromium first), so that CI cannot pass without having looked."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.rehearse.test_rehearse import EXAMPLES, PUBLISHING_PROCESS
from venueops.config.validate import load_venue_text
from venueops.rehearse import RehearsalOptions, rehearse
from venueops.rehearse.html import html_report

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("VENUEOPS_REQUIRE_BROWSER"):
            pytest.fail("VENUEOPS_REQUIRE_BROWSER is set, but no chromium is installed")
        pytest.skip("no chromium here (Debian: apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page of a workshop rehearsal whose review process publishes reviews: it has differences."""
    config = load_venue_text((EXAMPLES / "workshop.yaml").read_text() + PUBLISHING_PROCESS, "workshop.yaml")
    report = rehearse(config, RehearsalOptions(submissions=4))
    assert report.differences
    out = tmp_path_factory.mktemp("page") / "rehearsal.html"
    out.write_text(html_report(report, config), encoding="utf-8")
    return out


def test_the_report_page_shows_every_stage_and_the_differences_without_script_errors(page_file: Path) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    text = page_file.read_text()
    # self-contained: nothing is fetched (namespaces in the SVG are names, not requests)
    assert "<link" not in text and "<script src" not in text and not re.search(r'(src|href)="https?:', text)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(page_file.as_uri())
            assert page.title() == "Rehearsal of DRW.cc/2026/Workshop"
            assert page.inner_text("#verdict").startswith("Failed: ")
            shown = page.inner_text("body")
            for stage in ("Submission", "Official_Review", "Decision"):
                assert page.locator("svg text", has_text=stage).count() >= 1, stage  # in the timeline
            for heading in ("submissions opens", "Official_Review opens", "Decision opens"):
                assert heading in shown, heading
            rows = page.locator("#differences tbody tr")
            assert rows.count() >= 2
            assert "A guest (not logged in)" in page.inner_text("#differences")
            # the filter: one persona's probes only, then only differences
            probes = page.locator("table.probes tbody tr")
            total = probes.count()
            page.select_option("#persona-filter", "guest")
            visible = page.locator("table.probes tbody tr:visible").count()
            assert 0 < visible < total
            page.check("#only-differences")
            differing = page.locator("table.probes tbody tr:visible")
            assert 0 < differing.count() < visible
            assert all(differing.nth(i).get_attribute("data-differs") == "yes" for i in range(differing.count()))
            page.uncheck("#only-differences")
            page.select_option("#persona-filter", "")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "rehearsal-report.png"))
            page.screenshot(path=str(ARTIFACTS / "rehearsal-report-full.png"), full_page=True)
            assert not errors, errors
        finally:
            browser.close()
    assert (ARTIFACTS / "rehearsal-report.png").stat().st_size > 10_000
