"""Regenerate the web page screenshots in docs/ (web-ask, web-lookup, web-form, web-phone).

    .venv/bin/python scripts/web_screenshots.py            # starts `create_app()` on a free port
    .venv/bin/python scripts/web_screenshots.py --url http://127.0.0.1:8765   # an already running server

Needs Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`) and selenium.
The date is fixed (--today) so the deadline colours in the pictures do not change from day to day.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.chromium import chromium_flags, free_port  # noqa: E402  (the tests' own browser set-up)

DOCS = ROOT / "docs"
QUESTION = "泉州的需求表最晚什么时候交？"
LOOKUP = "泉州"
FORM = "quanzhou"
PHONE_QUESTION = "湘潭的财政补助最多多少？"


@contextmanager
def local_server() -> Iterator[str]:
    import uvicorn

    sys.path.insert(0, str(ROOT))
    from bot.web.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("网页服务没有启动。")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _browser(profile: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        raise SystemExit(
            "需要 chromium 和 chromedriver：请以 root 运行 `apt-get install chromium chromium-driver`。"
        )
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in chromium_flags(profile, "--hide-scrollbars", "--lang=zh-CN"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)


def _wait(driver: Any, css: str, timeout: float = 120) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
        lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), False)
    )


def _viewport(driver: Any, width: int, height: int, mobile: bool = False, scale: float = 1) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
    )


def _shot(driver: Any, name: str) -> Path:
    path = DOCS / name
    driver.save_screenshot(str(path))
    print(f"已生成 {path.relative_to(ROOT)}")
    return path


def take(base: str, today: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        driver = _browser(profile)
        try:
            # 1. desktop: an answer with its citations, citation [1] open beside it
            _viewport(driver, 1280, 860)
            driver.get(f"{base}/?today={today}&q={quote(QUESTION)}")
            _wait(driver, "#thread .answer")
            driver.find_element(By.CSS_SELECTOR, "#thread .answer button.cite[data-n='1']").click()
            _wait(driver, "#cite-body mark")
            time.sleep(0.3)
            _shot(driver, "web-ask.png")

            # 2. desktop: rule cards while typing, and the deadlines table below
            _viewport(driver, 1280, 1500)
            driver.get(f"{base}/?today={today}#lookup")
            _wait(driver, "#deadlines tbody tr")
            driver.find_element(By.ID, "lookup-input").send_keys(LOOKUP)
            _wait(driver, "#lookup-results .card")
            time.sleep(0.5)
            _shot(driver, "web-lookup.png")

            # 3. desktop: the form half filled, with one inline error and a counter
            _viewport(driver, 1280, 1400)
            driver.get(f"{base}/?today={today}")
            driver.execute_script("window.localStorage.clear()")
            driver.find_element(By.ID, "tab-draft").click()
            select = Select(_wait(driver, "#form-select"))
            WebDriverWait(driver, 60).until(
                lambda d: any(o.get_attribute("value") == FORM for o in select.options)
            )
            select.select_by_value(FORM)
            _wait(driver, "#in-contact_mobile")
            answers = json.loads(
                (ROOT / "tests" / "data" / "forms" / f"{FORM}.json").read_text(encoding="utf-8")
            )
            for field_id in (
                "industry",
                "title",
                "lead_unit",
                "contact_name",
                "contact_title",
                "problem_overview",
            ):
                box = driver.find_element(By.ID, f"in-{field_id}")
                driver.execute_script(
                    "arguments[0].value = arguments[1];"
                    "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                    box,
                    answers[field_id],
                )
            for option in answers["unit_nature"][:2]:
                box = driver.find_element(By.CSS_SELECTOR, f"#field-unit_nature input[value='{option}']")
                driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
            driver.find_element(By.ID, "in-contact_mobile").send_keys("1390595")
            _wait(driver, "#err-contact_mobile div")
            time.sleep(0.6)
            driver.execute_script("window.scrollTo(0, 0)")
            _shot(driver, "web-form.png")

            # 4. phone: 390 px wide, the answer with its numbered citations
            _viewport(driver, 390, 844, mobile=True, scale=2)
            driver.get(f"{base}/?today={today}&q={quote(PHONE_QUESTION)}")
            answer = _wait(driver, "#thread .answer")
            driver.execute_script(
                "window.scrollTo(0, arguments[0].getBoundingClientRect().top - 190)", answer
            )
            time.sleep(0.3)
            _shot(driver, "web-phone.png")
        finally:
            driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description="重新生成 docs/web-*.png 网页截图")
    parser.add_argument("--url", help="已在运行的服务地址；不给则在本进程启动一个")
    parser.add_argument("--today", default="2023-12-01", help="页面按哪一天计算截止状态（默认 2023-12-01）")
    args = parser.parse_args()
    if args.url:
        take(args.url.rstrip("/"), args.today)
    else:
        with local_server() as base:
            take(base, args.today)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
