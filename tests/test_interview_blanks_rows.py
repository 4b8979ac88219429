"""Drafting that loses nothing: printed blanks after an option (是，名称____ / 其他：____) are asked
for, several rows fit on one line, and `jiebang draft ID` offers the unfinished draft instead of
silently starting an empty one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.drafts import DraftStore
from bot.interview import DraftSession
from validators import check_values


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


# --- item 9: blanks after an option -------------------------------------------------------------------


def test_choosing_是_asks_for_the_printed_name_and_stores_it(store: DraftStore) -> None:
    session = DraftSession(store, "blank-1")
    session.start("liaoning")
    reply = session.handle("修改 是否构建省实质性产学研联盟")
    assert reply.field_id == "alliance"
    reply = session.handle("是")
    assert reply.field_id == "alliance", reply.text
    assert "联盟名称" in reply.text and "是，名称" in reply.text
    assert not any(p.severity == "error" for p in reply.problems if p.code != "blank_missing")
    reply = session.handle("辽宁省机器人产学研联盟")
    assert session.values["alliance"] == "是：辽宁省机器人产学研联盟"
    assert "已记录" in reply.text and "辽宁省机器人产学研联盟" in reply.text
    assert reply.field_id == "company_name"  # back where the edit came from
    assert store.load("blank-1", session.draft.id).answers["alliance"] == "是：辽宁省机器人产学研联盟"  # type: ignore[union-attr]


def test_其他_by_number_asks_for_the_blank_and_another_option_replaces_it(store: DraftStore) -> None:
    session = DraftSession(store, "blank-2")
    session.start("liaoning")
    session.handle("修改 经济性质")
    reply = session.handle("6")
    assert reply.field_id == "economic_nature" and "其他：" in reply.text, reply.text
    assert session.values["economic_nature"] == "其他"
    reply = session.handle("私营控股")  # changing one's mind: an option, not the blank's content
    assert session.values["economic_nature"] == "私营控股" and reply.field_id != "economic_nature"
    session.handle("修改 经济性质")
    session.handle("其他")
    session.handle("混合所有制")
    assert session.values["economic_nature"] == "其他：混合所有制"


def test_a_skipped_blank_stays_an_error_that_says_how_to_fill_it(store: DraftStore) -> None:
    session = DraftSession(store, "blank-3")
    session.start("liaoning")
    session.handle("修改 是否建设省级以上科技创新平台")
    session.handle("是")
    reply = session.handle("跳过")
    assert session.values["platforms"] == "是"
    problems = [p for p in check_values(session.form, session.values).errors if p.field == "platforms"]  # type: ignore[arg-type]
    assert [p.code for p in problems] == ["blank_missing"]
    assert "平台名称" in problems[0].message and "是：" in problems[0].message
    summary = session.handle("查看")
    assert "平台名称" in summary.text and "blank_missing" in {p.code for p in summary.problems}
    assert reply.field_id != "platforms"


# --- item 12: several rows on one line ----------------------------------------------------------------


def test_rows_prompt_says_how_to_enter_several_and_semicolons_separate_rows(store: DraftStore) -> None:
    session = DraftSession(store, "rows-1")
    session.start("quanzhou")
    reply = session.handle("修改 有共同技术需求的同行单位")
    assert reply.field_id == "peers" and "；" in reply.text and "隔开" in reply.text, reply.text
    session.handle("泉州甲纺织有限公司｜骨干企业；泉州乙鞋业有限公司｜龙头企业")
    assert session.values["peers"] == [
        {"name": "泉州甲纺织有限公司", "nature": ["骨干企业"]},
        {"name": "泉州乙鞋业有限公司", "nature": ["龙头企业"]},
    ]
    single = DraftSession(store, "rows-2")
    single.start("jingdezhen")
    single.handle("修改 有共同技术需求的同行企业")
    single.handle("景德镇甲陶瓷有限公司；乐平市乙陶瓷有限公司;浮梁丙瓷业有限公司")
    assert [r["name"] for r in single.values["peers"]] == [
        "景德镇甲陶瓷有限公司",
        "乐平市乙陶瓷有限公司",
        "浮梁丙瓷业有限公司",
    ]


# --- item 12: `jiebang draft ID` offers the unfinished draft --------------------------------------------


def _feed(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    it: Iterator[str] = iter(lines)

    def fake_input(prompt: str = "") -> str:
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)


def test_second_draft_command_offers_to_resume_after_ctrl_d(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    _feed(monkeypatch, ["龙泉市汽车空调零部件行业协会"])  # then Ctrl-D
    assert main(["draft", "longquan-association", "--user", "resume-offer"]) == 0
    first = capsys.readouterr().out
    assert "已暂停" in first and "jiebang draft longquan-association" in first
    [draft] = DraftStore().list("resume-offer")

    _feed(monkeypatch, ["1", "吴晓峰"])
    assert main(["draft", "longquan-association", "--user", "resume-offer"]) == 0
    second = capsys.readouterr().out
    assert "未完成的草稿" in second and draft.id in second and "新建" in second
    assert "继续草稿" in second and "已记录：填报单位联系人 = 吴晓峰" in second
    drafts = DraftStore().list("resume-offer")
    assert [d.id for d in drafts] == [draft.id]
    assert drafts[0].answers["contact_name"] == "吴晓峰"
    assert drafts[0].answers["recommender"] == "龙泉市汽车空调零部件行业协会"


def test_draft_command_new_choice_and_ctrl_d_at_the_offer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    _feed(monkeypatch, ["龙泉市汽车空调零部件行业协会"])
    main(["draft", "longquan-association", "--user", "resume-new"])
    _feed(monkeypatch, [])  # Ctrl-D at the offer: nothing new is created
    assert main(["draft", "longquan-association", "--user", "resume-new"]) == 0
    assert len(DraftStore().list("resume-new")) == 1
    _feed(monkeypatch, ["2"])  # 2 = start a new draft
    main(["draft", "longquan-association", "--user", "resume-new"])
    out = capsys.readouterr().out
    assert "开始起草" in out
    assert len(DraftStore().list("resume-new")) == 2
    _feed(monkeypatch, ["吴晓峰"])  # --new skips the offer (scripts)
    main(["draft", "longquan-association", "--user", "resume-new", "--new"])
    assert len(DraftStore().list("resume-new")) == 3
