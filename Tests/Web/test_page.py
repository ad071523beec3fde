"""The member-service page in a real browser: both tasks end to end, by mouse and by keyboard
only, every state checked by axe-core (WCAG 2.0/2.1 A and AA) and photographed at desktop and
phone sizes, and reflow at 320 CSS px."""
import json
import re
import urllib.parse

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS

HARTFORD = (41.76510, -72.67076)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wait(driver, condition, seconds=15):
    return WebDriverWait(driver, seconds).until(condition)


def viewport(driver, width, height):
    """The CSS viewport, exactly: a headless window has a minimum width, the emulated one not."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})


def open_page(driver, server, query=""):
    viewport(driver, 1280, 900)
    driver.get(f"{server}/web/{query}")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))


def active(driver):
    return driver.switch_to.active_element


def describe(element):
    return element.get_attribute("id") or element.text or element.tag_name


def check_axe(driver, axe, state):
    """Zero axe violations in this state, and screenshots at 1280x900 and 390x844."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(axe)
    result = driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
          .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,
             nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})),
             passes: r.passes.length}))
          .catch(e => done({error: String(e)}));""",
        TAGS)
    assert "error" not in result, result
    (ARTIFACTS / f"axe-{state}.json").write_text(json.dumps(result, indent=1))
    for width, height in ((1280, 900), (390, 844)):
        viewport(driver, width, height)
        driver.save_screenshot(str(ARTIFACTS / f"{state}-{width}x{height}.png"))
    viewport(driver, 1280, 900)
    assert result["violations"] == [], f"{state}: {json.dumps(result['violations'], indent=1)}"


def api_total(server, path):
    return requests.get(f"{server}/fhir/{path}&_summary=count", timeout=10).json()["total"]


def near(miles):
    return f"{HARTFORD[0]}|{HARTFORD[1]}|{miles}|[mi_i]"


def test_static_files_are_cached_and_locked_down(server):
    page = requests.get(f"{server}/web/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    etag = page.headers["ETag"]
    again = requests.get(f"{server}/web/", headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304
    script = requests.get(f"{server}/web/app.js", timeout=10)
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "max-age" in script.headers["Cache-Control"]
    # No inline script or style, and nothing from elsewhere.
    assert "<script>" not in page.text and "style=" not in page.text
    assert not re.search(r"(src|href)=\"https?://", page.text)
    assert requests.get(f"{server}/web/nope.js", timeout=10).status_code == 404


def test_initial_state(server, browser, axe):
    open_page(browser, server)
    assert browser.find_element(By.ID, "provider-results-title").is_displayed() is False
    check_axe(browser, axe, "initial")


def test_provider_search_near_a_zip(server, browser, axe):
    open_page(browser, server)
    browser.find_element(By.ID, "zip").send_keys("06103")
    browser.find_element(By.ID, "newpt").click()
    browser.find_element(By.CSS_SELECTOR, "#provider-form button[type=submit]").click()
    title = wait(browser, EC.visibility_of_element_located((By.ID, "provider-results-title")))
    expected = api_total(server, f"PractitionerRole?location.near={urllib.parse.quote(near(10))}&new-patient=newpt")
    assert expected > 0
    noun = "provider" if expected == 1 else "providers"
    assert title.text == f"{expected} {noun} within 10 miles of 06103"
    assert active(browser) == title
    wait(browser, lambda d: d.find_element(By.ID, "status").get_attribute("textContent") == title.text)
    # The query string reproduces the search.
    assert "zip=06103" in browser.current_url and "newpt=1" in browser.current_url
    cards = browser.find_elements(By.CSS_SELECTOR, "#provider-results > li")
    assert 0 < len(cards) <= 10
    first = cards[0].text
    for label in ("Specialty", "Organization", "Address", "Phone", "New patients", "Languages", "Networks", "NPI"):
        assert label in first
    assert re.search(r"\(\d+\.\d mi\)", first), first
    assert "Accepting new patients at this location" in first
    assert "Directory data as of 20" in first
    assert cards[0].find_element(By.CSS_SELECTOR, "a[href^='tel:']")
    # Distances never decrease down the page.
    miles = [float(m) for m in re.findall(r"\((\d+\.\d) mi\)", browser.find_element(By.ID, "provider-results").text)]
    assert miles == sorted(miles)
    check_axe(browser, axe, "provider-results")
    if expected > 10:
        browser.find_element(By.ID, "provider-more").click()
        wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#provider-results > li")) > len(cards))

    # A pasted link reproduces the search.
    url = browser.current_url
    heading = title.text
    browser.get("about:blank")
    browser.get(url)
    wait(browser, lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
    assert browser.find_element(By.ID, "provider-results-title").text == heading

    # The detail view: every location with its hours, and a summary for call notes.
    details = browser.find_elements(By.CSS_SELECTOR, "#provider-results > li button.secondary")[-1]
    details.click()
    dialog = wait(browser, EC.visibility_of_element_located((By.ID, "detail")))
    wait(browser, lambda d: d.find_elements(By.ID, "detail-summary"))
    assert "Hours" in dialog.text
    summary = browser.find_element(By.ID, "detail-summary").get_attribute("value")
    assert "Directory data as of" in summary
    check_axe(browser, axe, "provider-detail")
    browser.find_element(By.ID, "detail-copy").click()
    wait(browser, lambda d: d.find_element(By.ID, "detail-copied").text != "")
    active(browser).send_keys(Keys.ESCAPE)
    wait(browser, EC.invisibility_of_element_located((By.ID, "detail")))
    assert active(browser) == details


def test_provider_search_by_city_and_specialty(server, browser):
    open_page(browser, server, "?city=Boston&state=MA&specialty=Family%20Medicine%20Physician")
    title = wait(browser, EC.visibility_of_element_located((By.ID, "provider-results-title")))
    code = "http://nucc.org/provider-taxonomy|207Q00000X"
    expected = api_total(
        server, f"PractitionerRole?location.address-city=Boston&location.address-state=MA&specialty={urllib.parse.quote(code)}")
    assert title.text.startswith(f"{expected} provider")
    assert title.text.endswith("in Boston, MA")


def test_no_results_bad_zip_and_api_error(server, browser, axe):
    open_page(browser, server, "?zip=06103&radius=1&kind=loc%3AHLAB&gender=other")
    title = wait(browser, EC.visibility_of_element_located((By.ID, "provider-results-title")))
    assert title.text == "No providers found within 1 mile of 06103"
    check_axe(browser, axe, "provider-none")

    open_page(browser, server)
    zip_input = browser.find_element(By.ID, "zip")
    zip_input.send_keys("0610")
    browser.find_element(By.CSS_SELECTOR, "#provider-form button[type=submit]").click()
    error = wait(browser, EC.visibility_of_element_located((By.ID, "zip-error")))
    assert "five digits" in error.text
    assert zip_input.get_attribute("aria-invalid") == "true"
    assert active(browser) == zip_input
    check_axe(browser, axe, "provider-bad-zip")
    zip_input.clear()
    zip_input.send_keys("99999")
    browser.find_element(By.CSS_SELECTOR, "#provider-form button[type=submit]").click()
    wait(browser, lambda d: "No location is known for ZIP 99999" in d.find_element(By.ID, "zip-error").text)

    # A one-letter word is refused by the API; the page shows the OperationOutcome's text.
    open_page(browser, server, "?q=a")
    alert = wait(browser, EC.visibility_of_element_located((By.ID, "provider-alert")))
    assert "at least 2 characters" in alert.text
    check_axe(browser, axe, "provider-api-error")


def test_drug_lookup(server, browser, axe):
    open_page(browser, server)
    # Typing searches by itself, and leaves the focus in the field.
    field = browser.find_element(By.ID, "drug")
    field.send_keys("amox clav")
    title = wait(browser, EC.visibility_of_element_located((By.ID, "drug-results-title")))
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#drug-matches button"))
    assert active(browser) == field
    browser.find_element(By.CSS_SELECTOR, "#drug-form button[type=submit]").click()
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "drug-results-title")
    found = requests.get(f"{server}/fhir/MedicationKnowledge?_content=amox%20clav&_count=20", timeout=10).json()
    names = [e["resource"]["code"]["coding"][0]["display"] for e in found["entry"]]
    assert title.text.startswith(f"{len(names)}")
    buttons = browser.find_elements(By.CSS_SELECTOR, "#drug-matches button")
    assert [b.text.split(" (RxNorm")[0] for b in buttons] == names
    check_axe(browser, axe, "drug-matches")
    buttons[0].click()
    caption = wait(browser, EC.visibility_of_element_located((By.ID, "coverage-caption")))
    assert names[0] in caption.text
    drug_id = found["entry"][0]["resource"]["id"]
    items = requests.get(f"{server}/fhir/Basic?subject=MedicationKnowledge/{drug_id}&_count=200", timeout=10).json()
    rows = browser.find_elements(By.CSS_SELECTOR, "#coverage-table tbody tr")
    assert len(rows) == len(items["entry"])
    text = browser.find_element(By.ID, "coverage-table").text
    assert "Prior authorization" in text and "Quantity limit" in text
    # PA, ST and QL are words, never colour alone.
    assert all(re.search(r"(Yes, PA required|No)", row.text) for row in rows)
    assert "pick=" in browser.current_url
    check_axe(browser, axe, "drug-coverage")

    # The plan selector narrows the rows to the caller's plan.
    from selenium.webdriver.support.ui import Select
    select = Select(browser.find_element(By.ID, "plan"))
    select.select_by_visible_text("Acme Bronze Rx")
    wait(browser, lambda d: "on Acme Bronze Rx" in d.find_element(By.ID, "coverage-caption").text
         or "not on the formulary of Acme Bronze Rx" in d.find_element(By.ID, "drug-alert").text)
    for row in browser.find_elements(By.CSS_SELECTOR, "#coverage-table tbody tr"):
        assert "Acme Bronze Rx" in row.text

    # "No drug matches" and "on no formulary here" are different messages.
    open_page(browser, server, "?drug=qqqxyz")
    wait(browser, lambda d: d.find_element(By.ID, "drug-results-title").text == 'No drug matches "qqqxyz"')
    check_axe(browser, axe, "drug-none")
    open_page(browser, server, "?drug=zzorphanol")
    browser.find_element(By.CSS_SELECTOR, "#drug-matches button").click()
    alert = wait(browser, EC.visibility_of_element_located((By.ID, "drug-alert")))
    assert alert.text == "zzorphanol 5 MG Oral Tablet is on no formulary here."
    check_axe(browser, axe, "drug-no-formulary")


def test_keyboard_only(server, browser):
    open_page(browser, server)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert active(browser).text == "Skip to main content"
    active(browser).send_keys(Keys.ENTER)
    assert describe(active(browser)) == "main"
    active(browser).send_keys(Keys.TAB)
    assert describe(active(browser)) == "q"
    active(browser).send_keys(Keys.TAB)
    assert describe(active(browser)) == "specialty"
    active(browser).send_keys(Keys.TAB)
    assert describe(active(browser)) == "zip"
    active(browser).send_keys("06103")
    active(browser).send_keys(Keys.TAB)
    assert describe(active(browser)) == "radius"
    active(browser).send_keys(Keys.ARROW_DOWN)
    assert browser.find_element(By.ID, "radius").get_attribute("value") == "25"
    active(browser).send_keys(Keys.SHIFT, Keys.TAB)
    assert describe(active(browser)) == "zip"
    active(browser).send_keys(Keys.ENTER)
    title = wait(browser, EC.visibility_of_element_located((By.ID, "provider-results-title")))
    assert title.text.endswith("within 25 miles of 06103")
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "provider-results-title")
    # Into the first result: its phone link, the NPI copy button, then its details button.
    active(browser).send_keys(Keys.TAB)
    assert active(browser).get_attribute("href").startswith("tel:")
    active(browser).send_keys(Keys.TAB)
    assert active(browser).text == "Copy"
    active(browser).send_keys(Keys.TAB)
    details = active(browser)
    assert details.text == "Details and all locations"
    details.send_keys(Keys.SPACE)
    wait(browser, EC.visibility_of_element_located((By.ID, "detail")))
    assert browser.execute_script("return document.getElementById('detail').contains(document.activeElement)")
    active(browser).send_keys(Keys.ESCAPE)
    wait(browser, EC.invisibility_of_element_located((By.ID, "detail")))
    assert active(browser) == details
    active(browser).send_keys(Keys.SHIFT, Keys.TAB)
    assert active(browser).text == "Copy"

    # Drug coverage by keyboard: from the top, through the navigation.
    open_page(browser, server)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active(browser).send_keys(Keys.TAB)
    assert active(browser).text == "Find a provider"
    active(browser).send_keys(Keys.TAB)
    assert active(browser).text == "Drug coverage"
    active(browser).send_keys(Keys.ENTER)
    active(browser).send_keys(Keys.TAB)
    assert describe(active(browser)) == "drug"
    active(browser).send_keys("amox clav", Keys.ENTER)
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "drug-results-title")
    active(browser).send_keys(Keys.TAB)
    first = active(browser)
    assert first.text.startswith("amoxicillin")
    first.send_keys(Keys.ENTER)
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "coverage-title")
    assert browser.find_elements(By.CSS_SELECTOR, "#coverage-table tbody tr")
    # Back to the plan selector with Shift+Tab, then pick a plan with the arrow keys.
    for _ in range(40):
        if describe(active(browser)) == "plan":
            break
        active(browser).send_keys(Keys.SHIFT, Keys.TAB)
        assert active(browser).tag_name in ("button", "select", "input"), describe(active(browser))
    assert describe(active(browser)) == "plan"
    active(browser).send_keys(Keys.ARROW_DOWN)
    chosen = browser.find_element(By.ID, "plan").get_attribute("value")
    assert chosen.startswith("InsurancePlan/")
    wait(browser, lambda d: f"plan={urllib.parse.quote(chosen, safe='')}" in d.current_url
         or f"plan={chosen}" in d.current_url)


def test_reflow_at_320_px(server, browser):
    for query in ("?zip=06103&radius=10", "?drug=amox%20clav"):
        open_page(browser, server, query)
        viewport(browser, 320, 800)
        width = browser.execute_script("return window.innerWidth")
        assert width == 320
        wait(browser, lambda d: d.execute_script("return document.documentElement.scrollWidth") <= width)
        if "drug" in query:
            browser.find_element(By.CSS_SELECTOR, "#drug-matches button").click()
            wait(browser, EC.visibility_of_element_located((By.ID, "coverage-caption")))
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width, f"{query}: {scroll} > {width}"
        browser.save_screenshot(str(ARTIFACTS / f"reflow-320-{'drug' if 'drug' in query else 'provider'}.png"))
    viewport(browser, 1280, 900)
