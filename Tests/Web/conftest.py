"""Serves the bundled sample (plus one drug that is on no formulary) on a free 127.0.0.1 port
and drives Debian's chromium through chromium-driver, headless. Screenshots go to
WEB_ARTIFACTS (default .build/web-artifacts)."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import served  # noqa: E402  (Tests/served.py)
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLANDIR = os.environ.get("PLANDIR", str(ROOT / ".build" / "debug" / "plandir"))
ARTIFACTS = pathlib.Path(os.environ.get("WEB_ARTIFACTS", ROOT / ".build" / "web-artifacts"))
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")

ORPHAN = {
    "resourceType": "MedicationKnowledge", "id": "drug-orphan",
    "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "99999999",
                         "display": "zzorphanol 5 MG Oral Tablet"}]},
    "status": "active",
}


def axe_source():
    import axe_playwright_python
    return (pathlib.Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@pytest.fixture(scope="session")
def server():
    folder = pathlib.Path(tempfile.mkdtemp(prefix="plandir-web-"))
    extra = folder / "orphan" / "MedicationKnowledge.ndjson"
    extra.parent.mkdir()
    extra.write_text(json.dumps(ORPHAN) + "\n")
    index = folder / "sample.sqlite"
    subprocess.run(
        [PLANDIR, "index", str(ROOT / "Data" / "sample"), str(extra.parent), "--output", str(index), "--quiet",
         "--zcta", str(ROOT / "Data" / "geo" / "zcta-2023.csv")],
        check=True, capture_output=True)
    process, base = served.start(PLANDIR, index)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=en-US"):
        options.add_argument(argument)
    # The driver path is given, so Selenium Manager never looks for (or downloads) one.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def axe():
    return axe_source()
