"""The web page in a real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by Selenium).

A uvicorn server runs `bot.web.app.create_app()` in a thread on a free loopback port; one browser is
shared by the module. Nothing downloads a browser: without /usr/bin/chromium and chromedriver the
tests skip with a loud reason (`make test` installs both first when it runs as root with apt-get).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.chromium import chromium_flags, free_port

ROOT = Path(__file__).resolve().parent.parent
FORM_DATA = ROOT / "tests" / "data" / "forms"
QUESTION = "泉州的需求表最晚什么时候交？"
XSS = '<script>alert(1)</script><img src=x onerror="window.__xss=1">'
WAIT = 30.0

INSTALL_HINT = (
    "!!! BROWSER TESTS SKIPPED: {what}. Install Debian's browser and driver as root with "
    "`apt-get install -y chromium chromium-driver` (or run `make browsers`), then run the tests again."
)


def _find(names: tuple[str, ...]) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


CHROMIUM = _find(("chromium", "chromium-browser"))
CHROMEDRIVER = _find(("chromedriver",))

if CHROMIUM is None or CHROMEDRIVER is None:
    missing = " and ".join(
        n for n, p in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)) if p is None
    )
    pytest.skip(INSTALL_HINT.format(what=f"{missing} not found"), allow_module_level=True)

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:  # pragma: no cover - selenium is in the dev extra
    pytest.skip(
        INSTALL_HINT.format(what="the selenium package is not installed (pip install -e .[dev])"),
        allow_module_level=True,
    )


# --- server and browser -------------------------------------------------------------------------------


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """A real uvicorn server for `app` on a free loopback port, in a thread."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(shared_data_dir: Path) -> Iterator[str]:
    from bot.web.app import create_app
    from knowledge.settings import get_settings

    with pytest.MonkeyPatch.context() as mp:
        for var in ("JIEBANG_LLM_BASE_URL", "JIEBANG_LLM_MODEL", "JIEBANG_LLM_API_KEY", "JIEBANG_WEB_TOKEN"):
            mp.delenv(var, raising=False)
        mp.setenv("JIEBANG_DATA_DIR", str(shared_data_dir))
        get_settings.cache_clear()
        with serve(create_app()) as url:
            # Warm the engine (index, dictionaries) so the browser's first question is quick.
            httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=300).raise_for_status()
            yield url
        get_settings.cache_clear()


@pytest.fixture(scope="module")
def download_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(download_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in chromium_flags(str(tmp_path_factory.mktemp("chromium-profile"))):
        opts.add_argument(flag)
    opts.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to fetch a driver
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    except WebDriverException as exc:
        pytest.skip(INSTALL_HINT.format(what=f"chromium did not start ({exc.msg})"))
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
    )
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: WebDriver, base_url: str) -> Iterator[WebDriver]:
    """A clean desktop-sized page: no saved drafts, no phone emulation."""
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)
    browser.get(f"{base_url}/static/app.css")  # same origin, so localStorage can be cleared
    browser.execute_script("window.localStorage.clear()")
    yield browser
    _assert_no_alert(browser)


def wait_for(driver: WebDriver, cond: Callable[[WebDriver], Any], what: str, timeout: float = WAIT) -> Any:
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(cond)
    except TimeoutException:
        raise AssertionError(f"timed out waiting for {what}") from None


def visible(driver: WebDriver, css: str) -> Callable[[WebDriver], WebElement | bool]:
    def cond(d: WebDriver) -> WebElement | bool:
        els = [e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
        return els[0] if els else False

    return cond


def _assert_no_alert(driver: WebDriver) -> None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    raise AssertionError(f"the page opened an alert: {text!r}")


def set_value(driver: WebDriver, element: WebElement, text: str) -> None:
    """Put a long value in a field the way typing would end (one input event), without typing it key by key."""
    driver.execute_script(
        "arguments[0].value = arguments[1];arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        element,
        text,
    )


def click(driver: WebDriver, element: WebElement) -> None:
    """Click as a person would: with the element scrolled clear of the sticky header and action bar."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def ask(driver: WebDriver, question: str) -> WebElement:
    box = wait_for(driver, visible(driver, "#ask-input"), "the question box")
    box.clear()
    box.send_keys(question)
    before = len(driver.find_elements(By.CSS_SELECTOR, "#thread .answer"))
    driver.find_element(By.ID, "ask-submit").click()
    wait_for(
        driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#thread .answer")) > before, "the answer"
    )
    return driver.find_elements(By.CSS_SELECTOR, "#thread .answer")[0]


# --- tests -------------------------------------------------------------------------------------------------


def test_ask_and_open_citation(page: WebDriver, base_url: str) -> None:
    page.get(f"{base_url}/")
    answer = ask(page, QUESTION)
    assert "2023年12月5日" in answer.find_element(By.CSS_SELECTOR, ".answer-body").text
    assert answer.find_element(By.CSS_SELECTOR, ".question").text.endswith(QUESTION)

    cite = answer.find_element(By.CSS_SELECTOR, ".answer-body button.cite[data-n='1']")
    assert cite.text == "[1]"
    cite.click()
    mark = wait_for(page, visible(page, "#cite-body mark"), "the cited paragraph")
    quote = answer.find_element(By.CSS_SELECTOR, ".sources li q").text
    assert mark.text == quote
    paragraph = page.find_element(By.CSS_SELECTOR, "#cite-body .passage-text").text
    assert len(paragraph) > len(quote) and quote in paragraph  # the whole paragraph, quote marked inside
    assert "泉州" in page.find_element(By.ID, "cite-path").text

    # the share link shows the same answer on a fresh page
    share = answer.find_element(By.CSS_SELECTOR, "a.share-link").get_attribute("href")
    assert share and "q=" in share
    page.get(share)
    shared = wait_for(page, visible(page, "#thread .answer"), "the shared answer")
    assert QUESTION in shared.find_element(By.CSS_SELECTOR, ".question").text
    assert shared.find_elements(By.CSS_SELECTOR, "button.cite")

    # the citation opens the notice reader at its heading, with the quote marked
    shared.find_element(By.CSS_SELECTOR, ".answer-body button.cite[data-n='1']").click()
    link = wait_for(page, visible(page, "#cite-read"), "the reader link")
    link.click()
    hit = wait_for(page, visible(page, "#notice-text .hit mark"), "the quote in the notice")
    assert hit.text == quote
    assert page.find_elements(By.CSS_SELECTOR, "#notice-toc a")  # the heading tree


def test_lookup_and_deadlines(page: WebDriver, base_url: str) -> None:
    page.get(f"{base_url}/?today=2023-12-01#lookup")
    rows = wait_for(
        page, lambda d: d.find_elements(By.CSS_SELECTOR, "#deadlines tbody tr"), "the deadlines table"
    )
    assert len(rows) > 3
    table = page.find_element(By.ID, "deadlines").text
    assert "2023年12月5日" in table
    box = page.find_element(By.ID, "lookup-input")
    box.send_keys("泉州 截止")
    wait_for(page, visible(page, "#lookup-results .card"), "rule cards while typing")


def test_fill_quanzhou_form_and_download(page: WebDriver, base_url: str, download_dir: Path) -> None:
    answers: dict[str, Any] = json.loads((FORM_DATA / "quanzhou.json").read_text(encoding="utf-8"))
    page.get(f"{base_url}/")
    page.find_element(By.ID, "tab-draft").click()
    select = Select(wait_for(page, visible(page, "#form-select"), "the form picker"))
    wait_for(page, lambda d: len(select.options) >= 10, "nine forms in the picker")
    select.select_by_value("quanzhou")
    mobile = wait_for(page, visible(page, "#in-contact_mobile"), "the quanzhou form")

    # one invalid value: its error appears next to it while typing
    mobile.send_keys("abc")
    err = page.find_element(By.ID, "err-contact_mobile")
    wait_for(page, lambda d: "手机号" in err.text, "the inline mobile error")
    assert "invalid" in (page.find_element(By.ID, "field-contact_mobile").get_attribute("class") or "")
    mobile.clear()
    mobile.send_keys(answers["contact_mobile"])
    wait_for(page, lambda d: err.text == "", "the mobile error to clear")

    # a live counter against 限500字
    overview = page.find_element(By.ID, "in-problem_overview")
    set_value(page, overview, "字" * 501)
    counter = page.find_element(By.ID, "count-problem_overview")
    assert counter.text.startswith("501 / 500") and "over" in (counter.get_attribute("class") or "")
    wait_for(
        page, lambda d: "限500字" in d.find_element(By.ID, "err-problem_overview").text, "the 限500字 error"
    )

    fill_form(page, answers)
    summary = page.find_element(By.ID, "form-summary")
    wait_for(page, lambda d: "已全部通过检查" in summary.text, "the whole form to pass", timeout=WAIT)

    # a cross-field rule (财政资金 at most 300万) is shown at the top as soon as it breaks
    fiscal = page.find_element(By.ID, "in-fiscal_funds")
    set_value(page, fiscal, "500")
    cross = wait_for(page, visible(page, "#form-summary .cross-list li"), "the cross-field message")
    assert "300万元" in cross.text
    set_value(page, fiscal, answers["fiscal_funds"])
    wait_for(page, lambda d: "已全部通过检查" in summary.text, "the form to pass again")

    # the draft survives a reload
    page.refresh()
    restored = wait_for(page, visible(page, "#in-title"), "the restored form")
    assert restored.get_attribute("value") == answers["title"]
    wait_for(
        page,
        lambda d: "已全部通过检查" in d.find_element(By.ID, "form-summary").text,
        "the restored form to pass",
    )

    for old in download_dir.glob("*"):
        old.unlink()
    click(page, page.find_element(By.ID, "download-docx"))
    docx_path = wait_for(
        page,
        lambda d: next((p for p in download_dir.glob("*.docx") if p.stat().st_size > 0), None),
        "the .docx download",
    )
    time.sleep(0.3)  # let Chromium rename the finished file
    from docx import Document

    doc = Document(str(docx_path))
    text = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    text += "\n".join(p.text for p in doc.paragraphs)
    assert answers["title"] in text and answers["lead_unit"] in text


def fill_form(driver: WebDriver, answers: dict[str, Any]) -> None:
    for field_id, value in answers.items():
        if isinstance(value, str):
            box = driver.find_elements(By.ID, f"in-{field_id}")
            if (
                box
                and box[0].tag_name in ("input", "textarea")
                and box[0].get_attribute("type") in ("text", "textarea", "email", None, "")
            ):
                set_value(driver, box[0], value)
                continue
            choose(driver, field_id, [value])
        elif isinstance(value, list) and value and isinstance(value[0], str):
            choose(driver, field_id, value)
        elif isinstance(value, list):
            fill_rows(driver, field_id, value)


def choose(driver: WebDriver, field_id: str, values: list[str]) -> None:
    wrap = driver.find_element(By.ID, f"field-{field_id}")
    for value in values:
        box = wrap.find_element(By.CSS_SELECTOR, f"input[value='{value}']")
        if not box.is_selected():
            click(driver, driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']"))


def fill_rows(driver: WebDriver, field_id: str, rows: list[dict[str, Any]]) -> None:
    wrap = driver.find_element(By.ID, f"field-{field_id}")
    for i, row in enumerate(rows):
        items = wrap.find_elements(By.CSS_SELECTOR, ".row-item")
        if len(items) <= i:
            click(driver, driver.find_element(By.ID, f"add-{field_id}"))
            items = wrap.find_elements(By.CSS_SELECTOR, ".row-item")
        item = items[i]
        for col, value in row.items():
            cell = item.find_element(By.CSS_SELECTOR, f".row-cell[data-col='{col}']")
            options = cell.find_elements(By.CSS_SELECTOR, "input[type=checkbox], input[type=radio]")
            if not options:  # a text cell (several values separated by 、)
                text = "、".join(value) if isinstance(value, list) else str(value)
                set_value(driver, cell.find_element(By.TAG_NAME, "input"), text)
                continue
            for v in value if isinstance(value, list) else [value]:
                option = cell.find_element(By.CSS_SELECTOR, f"input[value='{v}']")
                if not option.is_selected():
                    label = driver.find_element(By.CSS_SELECTOR, f"label[for='{option.get_attribute('id')}']")
                    click(driver, label)


def test_phone_window(page: WebDriver, base_url: str) -> None:
    page.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    no_scroll = "return document.documentElement.scrollWidth <= window.innerWidth"
    page.get(f"{base_url}/")
    box = wait_for(page, visible(page, "#ask-input"), "the question box on a phone")
    assert page.execute_script("return window.innerWidth") == 390
    rect = page.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right, r.top];", box
    )
    assert rect[0] >= 0 and rect[1] <= 390 and 0 <= rect[2] < 844
    assert page.execute_script(no_scroll)

    answer = ask(page, QUESTION)
    answer.find_element(By.CSS_SELECTOR, ".answer-body button.cite").click()
    wait_for(page, visible(page, "#cite-body mark"), "the citation sheet on a phone")
    assert page.execute_script(no_scroll), "the answer scrolls sideways on a phone"

    for view, ready in (
        ("#lookup", "#deadlines tbody tr"),
        ("#draft/liaoning", "#field-finance .row-item, #in-company_name"),
        ("#draft/quanzhou", "#in-contact_mobile"),
        ("#notice/quanzhou", "#notice-text .nt-para"),
    ):
        page.get(f"{base_url}/{view}")
        wait_for(page, visible(page, ready), f"{view} on a phone")
        assert page.execute_script(no_scroll), f"{view} scrolls sideways on a phone"


def test_script_is_shown_as_text(page: WebDriver, base_url: str) -> None:
    page.get(f"{base_url}/")
    answer = ask(page, XSS)
    _assert_no_alert(page)
    assert XSS in answer.find_element(By.CSS_SELECTOR, ".question").text
    assert not answer.find_elements(By.CSS_SELECTOR, "script, img")

    page.get(f"{base_url}/#draft/quanzhou")
    title = wait_for(page, visible(page, "#in-title"), "the quanzhou form")
    mobile = page.find_element(By.ID, "in-contact_mobile")
    title.send_keys(XSS)
    mobile.send_keys(XSS)
    err = page.find_element(By.ID, "err-contact_mobile")
    wait_for(page, lambda d: "<script>" in err.text, "the error quoting the input as text")
    _assert_no_alert(page)
    assert not page.find_elements(By.CSS_SELECTOR, "#form-area script, #form-area img")
    assert page.execute_script("return window.__xss === undefined")

    page.refresh()  # the saved draft comes back as text too
    restored = wait_for(page, visible(page, "#in-title"), "the restored form")
    assert restored.get_attribute("value") == XSS
    _assert_no_alert(page)
    assert page.execute_script("return window.__xss === undefined")


def test_token_from_the_page_url(page: WebDriver) -> None:
    """With JIEBANG_WEB_TOKEN set, the page sends ?token= from its own URL with every API call."""
    from bot.web.app import create_app
    from knowledge.settings import Settings

    token = "s3cret-web-token"
    with serve(create_app(Settings(web_token=token))) as url:
        page.get(f"{url}/")
        assert "需要访问口令" in page.find_element(By.TAG_NAME, "body").text
        page.get(f"{url}/?token={token}")
        wait_for(page, visible(page, "#ask-input"), "the page opened with its token")
        page.delete_all_cookies()  # only the Authorization header the page adds can pass now
        answer = ask(page, QUESTION)
        assert "2023年12月5日" in answer.text
        assert token in page.current_url  # the shareable link keeps working for the same staff


def test_every_form_and_notice_renders(page: WebDriver, base_url: str) -> None:
    """All nine forms are built from their specs and take their example answers (restored from the
    browser's storage) without an error; every notice opens with its heading tree."""
    from knowledge.corpus import notice_ids
    from knowledge.formspec import form_ids, load_form
    from validators import resolve_keys, validate_answers

    ids = form_ids()
    assert len(ids) == 9
    no_scroll = "return document.documentElement.scrollWidth <= window.innerWidth"
    for form_id in ids:
        spec = load_form(form_id)
        by_id, problems = resolve_keys(spec, json.loads((FORM_DATA / f"{form_id}.json").read_text("utf-8")))
        assert not problems
        values = validate_answers(spec, by_id).values  # canonical, as the page itself would save them
        page.get(f"{base_url}/")
        page.execute_script(
            "localStorage.setItem(arguments[0], JSON.stringify({answers: arguments[1], saved: new Date()}))",
            f"jiebang:draft:{form_id}",
            values,
        )
        page.get(f"{base_url}/#draft/{form_id}")
        wait_for(page, visible(page, "#form-summary .sum-line"), f"the {form_id} form")
        wait_for(
            page,
            lambda d: "可以下载" in d.find_element(By.ID, "form-summary").text,
            f"{form_id}: the example answers to pass",
        )
        for f in spec.fields:
            assert page.find_elements(By.ID, f"field-{f.id}"), f"{form_id}: no input for {f.id}"
        assert page.execute_script(no_scroll), f"{form_id} scrolls sideways"
    for notice_id in notice_ids():
        page.get(f"{base_url}/#notice/{notice_id}")
        wait_for(page, visible(page, "#notice-toc a"), f"the heading tree of {notice_id}")
        assert len(page.find_elements(By.CSS_SELECTOR, "#notice-text p")) > 5


def test_page_names_no_notice() -> None:
    """The page is data-driven like the engine: no notice id, city or alias in bot/web/static."""
    from tests.test_no_notice_in_code import _names

    manifest = yaml.safe_load((ROOT / "knowledge" / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    names = set().union(*(_names(e) for e in manifest))
    hits = [
        f"{path.name}: {name}"
        for path in sorted((ROOT / "bot" / "web" / "static").iterdir())
        if path.suffix in (".html", ".js", ".css")
        for name in names
        if name in path.read_text(encoding="utf-8")
    ]
    assert not hits, hits
