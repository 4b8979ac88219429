"""`jiebang serve`'s HTTP API, in process (fastapi.testclient): every endpoint serves the CLI's `--json`
shapes for every notice and all nine forms; follow-ups work through the conversation id; every refusal
is JSON with a Chinese message and the right status; `<script>` sent anywhere never comes back as
markup; the server binds loopback by default and really starts."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from docx import Document
from fastapi.testclient import TestClient

from bot.commands_web import ServeError, bind
from bot.payloads import answer_json, form_fields_json, form_summary_json
from bot.web import create_app
from bot.web.safety import RateLimiter
from knowledge.answer import answer, converse
from knowledge.corpus import get_notice, notice_ids
from knowledge.formspec import form_ids, list_forms, load_form
from knowledge.key_dates import key_dates
from knowledge.settings import Settings
from tests.test_forms_spec import example_raw

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2024-09-01"
XSS = "<script>alert(1)</script>"
HAN = set(chr(c) for c in range(0x4E00, 0xA000))


def client_for(**overrides: Any) -> TestClient:
    settings = Settings(**{"web_rate": 0, **overrides})
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with client_for() as c:  # runs the lifespan too (warm-up is off by default)
        yield c


def assert_error(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """A refusal: the status, JSON {error, code}, a Chinese message, no traceback."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) >= {"error", "code"}, body
    assert HAN & set(body["error"]), body
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    if code is not None:
        assert body["code"] == code, body
    return body


# -- questions ------------------------------------------------------------------------------------


def test_ask_is_the_cli_json_plus_a_conversation(client: TestClient) -> None:
    question = "湘潭的财政补助最多多少？"
    resp = client.post("/api/ask", json={"question": question, "today": TODAY})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    conversation = body.pop("conversation")
    assert body.pop("context_lost") is False
    assert len(conversation) >= 20
    assert body == answer_json(answer(question, today=date.fromisoformat(TODAY)))
    assert body["citations"] and not body["refused"]


def test_a_cached_answer_is_the_same_answer(client: TestClient) -> None:
    """The second time a question is asked it is served from the cache before FastAPI's routing:
    same body, same conversation rules, same errors for what the route would refuse."""
    request = {"question": "辽宁的联系电话是多少？", "today": TODAY}
    first = client.post("/api/ask", json=request).json()
    assert client.app.state.answers.get(("辽宁的联系电话是多少？", (), None, (), date.fromisoformat(TODAY)))
    second = client.post("/api/ask", json=request)
    assert second.status_code == 200 and second.headers["x-content-type-options"] == "nosniff"
    body = second.json()
    assert body["conversation"] != first["conversation"]
    assert {**body, "conversation": ""} == {**first, "conversation": ""}
    follow = client.post(
        "/api/ask", json={"question": "辽宁的联系电话是多少？", "conversation": body["conversation"]}
    )
    assert follow.json()["conversation"] == body["conversation"]
    as_text = {"content-type": "text/plain"}
    assert_error(client.post("/api/ask", content=json.dumps(request), headers=as_text), 422)
    assert_error(client.post("/api/ask", json={**request, "today": "2024-02-30"}), 400, "bad_date")
    assert_error(client.post("/api/ask", json={**request, "extra": 1}), 422)
    health = client.get("/api/health").json()
    assert health == {"status": "ok", "ready": True, "notices": len(notice_ids()), "forms": 9}


def test_follow_up_through_the_conversation_id(client: TestClient) -> None:
    first = client.post("/api/ask", json={"question": "泉州的需求表最晚什么时候交？", "today": TODAY}).json()
    assert first["notices"] == ["quanzhou"] and first["topic"] == "deadline"
    second = client.post("/api/ask", json={"question": "那湘潭呢？", "conversation": first["conversation"]})
    body = second.json()
    assert body["notices"] == ["xiangtan"] and body["topic"] == "deadline" and not body["refused"]
    assert "9月14日" in body["answer"], body["answer"]
    assert body["conversation"] == first["conversation"] and body["context_lost"] is False
    expected = converse(["泉州的需求表最晚什么时候交？", "那湘潭呢？"], today=date.fromisoformat(TODAY))[1]
    assert body["answer"] == expected.answer
    # another browser's conversation is its own: without the id the follow-up has no topic to keep
    alone = client.post("/api/ask", json={"question": "那湘潭呢？", "today": TODAY}).json()
    assert alone["topic"] != "deadline" and alone["conversation"] != first["conversation"]
    lost = client.post("/api/ask", json={"question": "那湘潭呢？", "conversation": "no-such-id"}).json()
    assert lost["context_lost"] is True and lost["conversation"] != "no-such-id"


def test_conversations_are_bounded() -> None:
    with client_for(web_conversations=2) as c:
        ids = [
            c.post("/api/ask", json={"question": "泉州的需求表最晚什么时候交？", "today": TODAY}).json()[
                "conversation"
            ]
            for _ in range(3)
        ]
        oldest = c.post("/api/ask", json={"question": "那湘潭呢？", "conversation": ids[0]}).json()
        newest = c.post("/api/ask", json={"question": "那湘潭呢？", "conversation": ids[2]}).json()
    assert oldest["context_lost"] is True and newest["context_lost"] is False


def test_search_is_the_cli_json(client: TestClient) -> None:
    resp = client.get("/api/search", params={"q": "需求表 截止时间", "k": 3, "notice": "xiangtan"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["query"] == "需求表 截止时间" and 1 <= len(body["hits"]) <= 3
    hit = body["hits"][0]
    assert set(hit) == {"notice", "path", "text", "start", "end", "score"} and hit["notice"] == "xiangtan"
    assert_error(client.get("/api/search", params={"q": "截止", "notice": "nowhere"}), 400, "unknown_notice")
    assert_error(client.get("/api/search", params={"q": "！！！"}), 400, "bad_query")
    assert_error(client.get("/api/search", params={"q": "截止", "k": 99}), 422, "invalid_request")


def test_lookup_gives_typed_rule_cards(client: TestClient) -> None:
    cards = client.get("/api/lookup", params={"q": "泉州 截止", "today": TODAY}).json()
    assert cards and all(c["notice"] == "quanzhou" for c in cards)
    first = cards[0]
    assert first["kind"] == "deadline" and first["status"] == "passed" and first["date"] == "2023-12-05"
    assert first["quote"] in get_notice("quanzhou").text
    assert get_notice("quanzhou").text[first["start"] : first["end"]] == first["quote"]
    phones = client.get("/api/lookup", params={"q": "湘潭 电话"}).json()
    assert phones[0]["kind"] == "contact" and phones[0]["phones"]
    assert client.get("/api/lookup", params={"q": ""}).json() == []
    assert_error(client.get("/api/lookup", params={"q": "截止", "today": "明天"}), 400, "bad_date")


# -- notices --------------------------------------------------------------------------------------


def test_every_notice_is_listed_and_readable(client: TestClient) -> None:
    listed = client.get("/api/notices").json()
    assert [n["id"] for n in listed] == notice_ids()
    for n in listed:
        assert {"short", "title", "issuer", "doc_number", "issue_date", "attachments"} <= set(n)
        detail = client.get(f"/api/notices/{n['id']}").json()
        text = get_notice(n["id"]).text
        assert detail["text"] == text and detail["title"] == n["title"]
        assert detail["headings"], n["id"]
        for h in detail["headings"]:
            assert 0 <= h["start"] <= h["end"] <= len(text) and h["title"]
    assert_error(client.get("/api/notices/nowhere"), 404, "unknown_notice")


def test_passage_is_the_paragraph_around_a_citation(client: TestClient) -> None:
    ans = client.post(
        "/api/ask", json={"question": "景德镇的财政资金支持比例是多少？", "today": TODAY}
    ).json()
    c = ans["citations"][0]
    p = client.get(
        "/api/passage", params={"notice": c["notice"], "start": c["start"], "end": c["end"]}
    ).json()
    text = get_notice(c["notice"]).text
    assert p["start"] <= c["start"] < c["end"] <= p["end"] and p["text"] == text[p["start"] : p["end"]]
    assert (p["quote_start"], p["quote_end"]) == (c["start"], c["end"]) and p["heading"]
    assert "\n" not in p["text"]
    bad = {"notice": c["notice"], "start": 10, "end": 5}
    assert_error(client.get("/api/passage", params=bad), 400, "bad_span")
    assert_error(client.get("/api/passage", params={**bad, "notice": "nowhere"}), 404)


def test_deadlines_of_every_notice_with_status(client: TestClient) -> None:
    rows = client.get("/api/deadlines", params={"today": "2023-12-06"}).json()
    assert {r["notice"] for r in rows} == {n for n in notice_ids() if key_dates(n)}
    assert len(rows) == sum(len(key_dates(n)) for n in notice_ids())
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    by_date = {r["date"]: r for r in rows if r["notice"] == "quanzhou"}
    assert by_date["2023-12-05"]["status"] == "passed" and by_date["2023-12-12"]["status"] == "upcoming"
    assert by_date["2023-12-12"]["days"] == 6
    for r in rows:
        assert get_notice(r["notice"]).text[r["start"] : r["end"]] == r["quote"]
    assert_error(client.get("/api/deadlines", params={"today": "2023-13-45"}), 400, "bad_date")


# -- forms ----------------------------------------------------------------------------------------


def test_forms_list_and_fields(client: TestClient) -> None:
    assert client.get("/api/forms").json() == [form_summary_json(f) for f in list_forms()]
    assert len(form_ids()) == 9
    for form_id in form_ids():
        assert client.get(f"/api/forms/{form_id}").json() == form_fields_json(load_form(form_id))
    assert_error(client.get("/api/forms/nowhere"), 404, "unknown_form")


@pytest.mark.parametrize("form_id", form_ids())
def test_check_and_docx_for_every_form(client: TestClient, form_id: str) -> None:
    answers = example_raw(form_id)
    check = client.post(f"/api/forms/{form_id}/check", json={"answers": answers})
    assert check.json() == {"ok": True, "errors": [], "warnings": [], "path": None}
    resp = client.post(f"/api/forms/{form_id}/docx", json={"answers": answers})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = resp.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f'filename="{form_id}.docx"' in disposition
    assert "filename*=UTF-8''" in disposition
    doc = Document(io.BytesIO(resp.content))
    assert doc.tables


def test_a_draft_with_errors_is_refused_unless_marked_draft(client: TestClient, tmp_path: Path) -> None:
    answers = {**example_raw("quanzhou"), "contact_mobile": "123"}
    check = client.post("/api/forms/quanzhou/check", json={"answers": answers}).json()
    assert check["ok"] is False and any(e["field"] == "contact_mobile" for e in check["errors"])
    refused = assert_error(client.post("/api/forms/quanzhou/docx", json={"answers": answers}), 422)
    assert refused["code"] == "draft_has_errors" and refused["errors"] == check["errors"]
    before = sorted(p.name for p in Settings().data_dir.rglob("*"))
    draft = client.post("/api/forms/quanzhou/docx", json={"answers": answers, "draft": True})
    assert draft.status_code == 200
    disposition = draft.headers["content-disposition"]
    assert 'filename="quanzhou-draft.docx"' in disposition and quote("草稿") in disposition
    text = "\n".join(p.text for p in Document(io.BytesIO(draft.content)).paragraphs)
    assert "草稿" in text
    assert sorted(p.name for p in Settings().data_dir.rglob("*")) == before  # the server keeps no file
    empty = assert_error(client.post("/api/forms/quanzhou/docx", json={"answers": {}, "draft": True}), 422)
    assert "没有填写任何内容" in empty["error"]
    unknown = client.post("/api/forms/quanzhou/check", json={"answers": {"不存在的栏目": "x"}}).json()
    assert unknown["errors"][0]["code"] == "unknown_field"


# -- errors ---------------------------------------------------------------------------------------


def test_malformed_and_invalid_requests(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/api/ask", content=b'{"question": ', headers=headers), 400, "bad_json")
    assert_error(client.post("/api/ask", content=b"[" * 50_000, headers=headers), 400, "bad_json")
    assert_error(client.post("/api/ask", content=b"", headers=headers), 422)
    assert_error(client.post("/api/ask", json=["a list"]), 422)
    assert_error(client.post("/api/ask", json={}), 422)
    body = assert_error(client.post("/api/ask", json={"question": "x", "extra": 1}), 422)
    assert "extra" in body["error"]
    assert_error(client.post("/api/ask", json={"question": 5}), 422)
    assert_error(client.post("/api/ask", json={"question": "x" * 2001}), 422)
    assert_error(client.post("/api/ask", json={"question": "截止", "today": "2024/9/1"}), 400, "bad_date")
    assert_error(client.post("/api/forms/quanzhou/check", json={"answers": "x"}), 422)
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.delete("/api/notices"), 405)
    assert_error(client.get("/api/passage", params={"notice": "quanzhou", "start": "a", "end": 3}), 422)


def test_request_size_limit() -> None:
    with client_for(web_max_body=2048) as c:
        big = {"answers": {"title": "很" * 5000}}
        assert_error(c.post("/api/forms/quanzhou/check", json=big), 413, "too_large")

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"answers": {"title": "'
            for _ in range(10):
                yield b"x" * 512
            yield b'"}}'

        assert_error(c.post("/api/forms/quanzhou/check", content=chunks()), 413, "too_large")
        assert c.post("/api/forms/quanzhou/check", json={"answers": {"title": "短"}}).status_code == 200


def test_rate_limit_per_client() -> None:
    with client_for(web_rate=1, web_burst=3) as c:
        codes = [c.get("/api/forms").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        resp = c.get("/api/forms")
        body = assert_error(resp, 429, "rate_limited")
        assert int(resp.headers["retry-after"]) >= 1 and "秒后再试" in body["error"]
    limiter = RateLimiter(rate=2, burst=1)
    assert limiter.take("a", now=0.0) == 0 and limiter.take("a", now=0.1) > 0
    assert limiter.take("b", now=0.1) == 0  # another address has its own bucket
    assert limiter.take("a", now=0.6) == 0  # refilled


def test_token_on_every_request() -> None:
    with client_for(web_token="s3cret-token") as c:
        for path in ("/", "/static/app.js", "/api/notices", "/docs", "/openapi.json"):
            resp = c.get(path)
            assert_error(resp, 401, "unauthorized")
            assert resp.headers["www-authenticate"] == "Bearer"
        assert_error(c.get("/api/notices", headers={"Authorization": "Bearer wrong"}), 401)
        assert c.get("/api/notices", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        assert (
            c.post("/api/ask", json={"question": "截止"}, params={"token": "s3cret-token"}).status_code == 200
        )
        page = c.get("/", params={"token": "s3cret-token"})
        assert page.status_code == 200 and "HttpOnly" in page.headers["set-cookie"]
        assert c.get("/static/app.css").status_code == 200  # the cookie the page load set
        c.cookies.clear()
        assert_error(c.get("/static/app.css"), 401)


def test_security_headers_and_page(client: TestClient) -> None:
    for path in ("/", "/api/notices", "/docs", "/static/app.js"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert "default-src 'self'" in resp.headers["content-security-policy"]
        assert resp.headers["x-content-type-options"] == "nosniff"
    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html") and "<html" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/notices", "/api/forms/{form_id}/docx", "/api/lookup"} <= set(schema["paths"])
    assert "/api/ask" in client.get("/docs").text


# -- HTML escaping --------------------------------------------------------------------------------


def test_script_in_every_input_never_comes_back_as_markup(client: TestClient) -> None:
    """`<script>` in every parameter, body field, key and path segment: JSON stays JSON with the
    markup escaped; HTML pages never contain it."""
    q = {"q": XSS, "today": XSS, "notice": XSS, "k": XSS, "start": XSS, "end": XSS, "limit": XSS}
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/api/ask", {"json": {"question": XSS}}),
        ("POST", "/api/ask", {"json": {"question": f"泉州{XSS}截止", "today": TODAY, "conversation": XSS}}),
        ("POST", "/api/ask", {"json": {"question": "截止", "today": XSS}}),
        ("POST", "/api/ask", {"json": {XSS: XSS}}),
        ("POST", "/api/ask", {"content": XSS.encode(), "headers": {"content-type": "application/json"}}),
        ("GET", "/api/search", {"params": {"q": XSS}}),
        ("GET", "/api/search", {"params": {"q": "截止", "notice": XSS}}),
        ("GET", "/api/search", {"params": q}),
        ("GET", "/api/lookup", {"params": q}),
        ("GET", "/api/lookup", {"params": {"q": f"泉州 {XSS}"}}),
        ("GET", "/api/deadlines", {"params": {"today": XSS}}),
        ("GET", "/api/passage", {"params": q}),
        ("GET", "/api/passage", {"params": {"notice": XSS, "start": 1, "end": 2}}),
        ("GET", f"/api/notices/{XSS}", {}),
        ("GET", f"/api/forms/{XSS}", {}),
        ("GET", f"/{XSS}", {}),
        ("GET", f"/static/{XSS}", {}),
        ("GET", "/", {"params": {"token": XSS, XSS: XSS}}),
        ("GET", "/docs", {"params": {XSS: XSS}}),
    ]
    for form_id in form_ids():
        spec = load_form(form_id)
        answers: dict[str, Any] = {f.id: XSS for f in spec.fields}
        answers[XSS] = XSS
        requests += [
            ("POST", f"/api/forms/{form_id}/check", {"json": {"answers": answers}}),
            ("POST", f"/api/forms/{form_id}/docx", {"json": {"answers": answers}}),
            ("POST", f"/api/forms/{form_id}/docx", {"json": {"answers": {XSS: XSS}, "draft": XSS}}),
            ("POST", f"/api/forms/{XSS}/check", {"json": {"answers": answers}}),
        ]
    for method, path, kwargs in requests:
        resp = client.request(method, path, **kwargs)
        assert resp.status_code < 500, (path, resp.text)
        kind = resp.headers.get("content-type", "")
        if kind.startswith("application/json"):
            json.loads(resp.text)
            assert "<script" not in resp.text and "</script" not in resp.text, (path, resp.text[:300])
        elif kind.startswith("text/html"):
            assert "<script>alert" not in resp.text, path
        else:
            assert kind.startswith("application/vnd.openxmlformats"), (path, kind)


# -- serving --------------------------------------------------------------------------------------


def test_serve_binds_loopback_by_default() -> None:
    from bot.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    sock = bind("127.0.0.1", 0)
    try:
        with pytest.raises(ServeError, match="无法监听"):
            bind("127.0.0.1", sock.getsockname()[1])
    finally:
        sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_jiebang_serve_really_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "JIEBANG_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--no-warm"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        resp = None
        while time.monotonic() < deadline:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/notices", timeout=5)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        assert resp is not None, proc.stderr.read() if proc.stderr else ""
        assert resp.status_code == 200 and [n["id"] for n in resp.json()] == notice_ids()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out
    assert "Traceback" not in err
