"""Synthetic notices for growth benchmarks: the real notices' structure at 10× or 100× their size.

Each notice has what the parser and the answer engine meet in the five real ones: a document
number, issuer and title, headings 一、/（一）/1./（1）, dates, amounts and percentages, a contact
paragraph, an 附件 list and signature, tab-separated form tables (附件1 需求表, 附件2 汇总表) and,
for some, a 管理办法 with 第X条 articles. Cities and provinces are invented and checked against
`knowledge/data/places.txt` and the real notices, so a question about a real notice still names
exactly that notice and an out-of-region question is still refused; topic words the answer engine
refuses on (`out_of_scope.txt`) never appear.

Deterministic: notice i depends only on (seed, i), so the 10× set is a prefix of the 100× set.
Written as a corpus directory (`manifest.yaml`, one `.txt` per notice and its fact catalogue in
`catalogue/`) that `JIEBANG_EXTRA_CORPUS_DIR` adds to the pipeline:

    python -m knowledge.synthetic OUT_DIR --scale 10 [--seed 0]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from knowledge.corpus import CORPUS_DIR, load_notices
from knowledge.tokenize import DATA_DIR, normalize_text

ID_PREFIX = "syn"
CN_NUMS = "一二三四五六七八九十"
CITY_FIRST = "青云岚澜栖枫桐榆柏棠芷蘅溯泓沅湄澄汀渚璟珩琪瑶琅璋"
CITY_SECOND = "溪屿川坪岭泽湾浦陵堰渡原崖涧岑矶汀塘墟峪麓"
PROVINCES = ("东岚省", "西屿省", "南澄省", "北泓省", "中沅省", "璟川省", "湄江省")
INDUSTRIES = (
    "新一代信息技术",
    "高端装备制造",
    "新材料",
    "生物医药",
    "新能源",
    "节能环保",
    "现代农业",
    "智能制造",
    "集成电路",
    "绿色化工",
    "纺织服装",
    "食品加工",
    "先进陶瓷",
    "汽车零部件",
    "海洋工程装备",
    "航空航天",
    "精细化工",
    "医疗器械",
    "电子信息",
    "数字经济",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏飞斌宇浩凯晨俊帆"
OFFICES = ("高新技术科", "成果转化科", "科技计划科", "产学研合作科", "规划与资源配置科", "创新发展科")
MAIL_HOSTS = ("163.com", "126.com", "qq.com", "sina.com")
UNIT_TYPES = ("龙头企业", "骨干企业", "高新技术企业", "科技型中小企业", "专精特新企业", "科技小巨人企业")
PREAMBLES = (
    "近年来，我市坚持把科技创新摆在发展全局的核心位置，企业研发投入持续增长，但部分重点产业仍面临关键核心技术受制于人、"
    "创新资源配置效率不高等问题，亟需通过“揭榜挂帅”方式集聚国内外优势创新力量协同攻关。",
    "“揭榜挂帅”以需求为牵引、以结果为导向，由企业出题、政府立题、能者破题，"
    "旨在打破论资排辈、唯帽子唯头衔等束缚，让有真才实学的科技人员英雄有用武之地。",
    "本次征集坚持企业主体、市场导向、聚焦重点、注重实效的原则，重点支持产业带动性强、技术指标明确、"
    "攻关成功后能够迅速实现产业化应用的技术需求。",
    "各县（市、区）科技主管部门要会同工信、发改等部门做好政策宣传和组织发动工作，"
    "引导企业围绕主导产业梳理技术瓶颈，提出高质量的技术需求。",
)
FOCUS = (
    "关键材料",
    "核心部件",
    "重要工艺",
    "检测方法",
    "关键装备",
    "基础软件",
    "工艺控制",
    "成套技术",
    "共性平台",
)
SCOPE_TEMPLATES = (
    "重点围绕{field}产业链中的{focus}，征集企业依靠自身力量难以解决的“卡脖子”技术难题，需求应有明确的技术指标和应用场景。",
    "聚焦{field}产业高质量发展急需突破的{focus}等方向，征集技术指标明确、应用前景清晰的重大技术需求。",
    "围绕{field}领域补链、强链、延链，征集{focus}方面的前沿技术和关键共性技术需求，攻关成果应能在本市率先转化应用。",
    "面向{field}龙头、骨干企业，征集制约产品升级的{focus}难题，优先支持有出资承诺、能带动上下游企业协同攻关的需求。",
)
CONTENT_RULES = (
    "需求应是企业在生产经营中遇到的真实技术难题，国内外尚无成熟技术或产品可以直接解决。",
    "需求须有明确的技术指标参数、时限要求和知识产权归属约定，便于揭榜方准确评估攻关难度。",
    "需求单位应按照自愿原则提交出资承诺，对于有出资承诺的技术需求予以优先考虑发榜。",
    "已获得各级政府部门立项支持的相同技术需求，原则上不再重复提交。",
    "涉及国家秘密的技术需求不得通过本渠道提交，涉及商业秘密的内容应在需求表中注明。",
    "鼓励以产业链上下游联合方式提出需求，由链主企业牵头，配套企业共同参与。",
    "需求描述应包括目前的技术指标、攻关后要求达到的技术参数以及应用场景和边界条件。",
    "需求单位应具备承接攻关成果并实现产业化的能力，能够提供中试验证条件。",
    "需求单位对揭榜方开展攻关提供必要的数据、样品、场地等配合条件。",
    "同一单位提出多项需求的，应按轻重缓急排序，并说明各项需求之间的关系。",
)
PROCESS_STEPS = (
    ("需求征集", "由{org}组织企业、行业协会提出技术需求，各县（市、区）科技主管部门初审推荐"),
    ("专家论证", "{org}组织行业专家或第三方机构对需求开展调研论证，凝练形成榜单"),
    ("张榜发布", "经审定的榜单通过{org}门户网站向社会公开发布，揭榜时间不少于30天"),
    ("揭榜对接", "揭榜方按榜单要求提交揭榜方案，发榜方与揭榜方开展对接洽谈"),
    ("评审立项", "{org}组织专家对揭榜方案进行评审，择优确定揭榜方并予以公示"),
    ("签约实施", "发榜方与揭榜方签订技术合同，{org}与双方签订项目任务书"),
    ("验收评价", "项目完成后由{org}组织验收，验收结果作为后续支持的重要依据"),
)
WORK_RULES = (
    "各单位要高度重视，认真组织，确保需求真实、准确，不得弄虚作假。",
    "技术需求描述应具体明确，避免泛泛而谈，涉及商业秘密的内容请单独说明。",
    "需求征集结果将作为发布“揭榜挂帅”项目榜单的重要依据，经专家论证后择优发榜。",
    "各县（市、区）科技主管部门要加强对需求真实性的审核把关，对推荐的需求质量负责。",
    "材料报送后不予退还，请各单位自行留存备份。",
    "对提供虚假材料的单位，三年内不得申报市级科技计划项目。",
)
RULE_ARTICLES = (
    "揭榜方应为国内具有独立法人资格的高校、科研院所或企业，具备完成攻关任务的研发团队和条件。",
    "发榜方应为本市注册的企业或单位，对榜单技术指标的真实性负责，并按合同约定出资。",
    "同一揭榜方原则上只能承担一项“揭榜挂帅”项目，项目负责人同一时期只能主持一项市级科技项目。",
    "揭榜方案应明确技术路线、进度安排、经费预算和预期成果，并与发榜方达成一致意见。",
    "项目实行里程碑式管理，中期评估不合格的，暂停拨付后续资金并限期整改。",
    "项目验收由市科技局组织专家进行，验收不通过的，停止拨付后续资金。",
    "揭榜方弄虚作假、截留挪用项目资金的，追回已拨付资金，并记入科研诚信记录。",
    "项目形成的知识产权归属按照发榜方与揭榜方签订的合同约定执行，合同未约定的归发榜方所有。",
    "对攻关成效显著、成果转化效益突出的项目，优先推荐申报省级及以上科技计划。",
)


@dataclass(frozen=True)
class SyntheticCorpus:
    """What `write_corpus` wrote: enough to label a growth measurement."""

    path: Path
    scale: float
    seed: int
    notices: int
    chars: int
    real_chars: int


@lru_cache(maxsize=1)
def _reserved() -> tuple[frozenset[str], str, tuple[str, ...]]:
    """Real place names, the real notices' text and aliases, and the words that trigger a refusal."""
    places: set[str] = set()
    for line in (DATA_DIR / "places.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            places.update(line.split())
    real = load_notices(CORPUS_DIR)
    text = "\n".join(n.text for n in real)
    for n in real:
        places.update([n.short, *n.aliases])
    banned: list[str] = []
    for line in (DATA_DIR / "out_of_scope.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            banned.extend(line.split())
    return frozenset(places), text, tuple(banned)


@lru_cache(maxsize=1)
def city_names() -> tuple[str, ...]:
    """Invented two-character city names that no real place name, alias or real notice contains."""
    places, real_text, _ = _reserved()
    out = []
    for a in CITY_FIRST:
        for b in CITY_SECOND:
            name = a + b
            if a == b or name != normalize_text(name) or name in real_text:
                continue
            if any(name in p or p in name for p in places):
                continue
            out.append(name)
    return tuple(out)


@lru_cache(maxsize=8)
def _city_order(seed: int) -> tuple[str, ...]:
    cities = list(city_names())
    random.Random(f"jiebang-synthetic-cities:{seed}").shuffle(cities)
    return tuple(cities)


def _cn(n: int) -> str:
    """1–99 as the notices print heading numbers: 一, 十二, 二十."""
    if n <= 10:
        return CN_NUMS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMS[tens - 1]
    return head + "十" + (CN_NUMS[ones - 1] if ones else "")


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _wan(value: int) -> str:
    if value >= 10000 and value % 10000 == 0:
        return f"{value // 10000}亿元"
    return f"{value}万元"


class _Notice:
    """Builds one notice's manifest entry and text from its own random stream."""

    def __init__(self, seed: int, i: int) -> None:
        self.rng = random.Random(f"jiebang-synthetic:{seed}:{i}")
        self.i = i
        cities = _city_order(seed)
        rotation, slot = divmod(i, len(cities))
        self.city = cities[slot]
        self.province = PROVINCES[(i + rotation) % len(PROVINCES)]
        self.year = 2021 + (i + rotation) % 6
        self.issue = date(self.year, 1, 1) + timedelta(days=self.rng.randint(40, 300))
        self.issuer = f"{self.city}市科学技术局"
        self.short_org = f"{self.city}市科技局"
        self.fields = self.rng.sample(INDUSTRIES, k=self.rng.randint(3, 6))
        self.facts: list[dict[str, Any]] = []

    def fact(
        self, local_id: str, kind: str, label: str, quote: str, questions: list[str], **typed: Any
    ) -> None:
        """Catalogue one statement of this notice (the quote is a line this notice prints)."""
        self.facts.append(
            {"id": local_id, "kind": kind, "label": label, "quote": quote, "questions": questions, **typed}
        )

    # -- pieces ------------------------------------------------------------------------------
    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randint(1, 2)))

    def phone(self) -> str:
        r = self.rng
        return f"0{r.randint(310, 999)}-{r.randint(2000000, 8999999)}"

    def email(self) -> str:
        r = self.rng
        return f"kj{r.randint(10000, 99999999)}@{r.choice(MAIL_HOSTS)}"

    def day_after(self, start: date, lo: int, hi: int) -> date:
        return start + timedelta(days=self.rng.randint(lo, hi))

    def scope_section(self) -> list[str]:
        r = self.rng
        lines = []
        for k, field in enumerate(self.fields, 1):
            focus = "、".join(r.sample(FOCUS, k=3))
            lines.append(
                f"（{_cn(k)}）{field}领域。" + r.choice(SCOPE_TEMPLATES).format(field=field, focus=focus)
            )
            if r.random() < 0.4:
                lines.append(
                    f"鼓励{field}领域的行业协会、产业联盟梳理本行业关键共性技术需求，"
                    f"每个协会推荐不超过{r.randint(2, 5)}项。"
                )
        return lines

    def content_section(self) -> list[str]:
        """需求内容要求: a varied selection of the real notices' kinds of demands."""
        picked = self.rng.sample(CONTENT_RULES, k=self.rng.randint(3, 6))
        return [f"{k}. {text}" for k, text in enumerate(picked, 1)]

    def process_section(self) -> list[str]:
        """发榜流程 with its own months, as a real notice's 实施方案 prints it."""
        r = self.rng
        start = r.randint(1, 5)
        steps = r.sample(PROCESS_STEPS, k=r.randint(3, len(PROCESS_STEPS)))
        steps.sort(key=PROCESS_STEPS.index)
        return [
            f"（{_cn(k)}）{name}。{text.format(org=self.short_org)}（{self.year + (start + k > 12)}年"
            f"{(start + k - 1) % 12 + 1}月）"
            for k, (name, text) in enumerate(steps, 1)
        ]

    def conditions_section(self) -> list[str]:
        r = self.rng
        revenue = r.choice([1000, 2000, 3000, 5000, 8000, 10000, 20000])
        rd = r.choice([50, 100, 150, 200, 300, 500])
        rate = r.choice([2, 3, 4, 5])
        lines = [
            f"1. 需求提出单位应为在{self.city}市内注册、具有独立法人资格的企业、高校或科研院所，"
            f"上年度主营业务收入不低于{_wan(revenue)}。",
            f"2. 企业上年度研发投入不低于{rd}万元，或研发投入占主营业务收入比例不低于{rate}%。",
            "3. 具备良好的社会信用，近三年内无不良信用记录，无违背科研诚信要求的行为。",
            "4. 须承诺并有能力保障项目的投入，提供项目研发所需的资金、人员、场地和设备等条件。",
        ]
        self.fact(
            "threshold.revenue",
            "threshold",
            "上年度主营业务收入门槛",
            f"上年度主营业务收入不低于{_wan(revenue)}",
            ["营收要求多少", "营业收入门槛是多少"],
            metric="revenue",
            op="ge",
            value=revenue,
            unit="万元",
            printed=_wan(revenue),
        )
        self.fact(
            "threshold.rd",
            "threshold",
            "上年度研发投入门槛",
            f"企业上年度研发投入不低于{rd}万元",
            ["研发投入要求多少", "研发费用门槛"],
            metric="rd",
            op="ge",
            value=rd,
            unit="万元",
            printed=f"{rd}万元",
        )
        self.fact(
            "req.credit",
            "requirement",
            "信用要求",
            "近三年内无不良信用记录",
            ["对信用有什么要求"],
            topics=["credit"],
        )
        if r.random() < 0.5:
            lines.append(
                f"5. 每家单位限报{r.randint(1, 3)}项需求；已获得市级及以上财政资金支持的相同需求不得重复申报。"
            )
        if r.random() < 0.5:
            lines.append("（1）属于高新技术企业、专精特新企业或科技小巨人企业的，同等条件下优先支持；")
            lines.append("（2）承担市级科技项目尚未验收的单位，不得提出新的需求。")
        return lines

    def funding_section(self) -> list[str]:
        r = self.rng
        minimum = r.choice([100, 200, 300, 500])
        pct = r.choice([20, 30, 40, 50, 60])
        cap = r.choice([100, 150, 200, 300, 500, 800])
        first, second = r.choice([(50, 30), (40, 40), (60, 20), (30, 40)])
        third = 100 - first - second
        period = r.randint(2, 3)
        self.fact(
            "threshold.list_amount",
            "threshold",
            "榜单金额下限",
            f"榜单金额原则上不低于{minimum}万元",
            ["榜单金额最低多少"],
            metric="list_amount",
            op="ge",
            value=minimum,
            unit="万元",
            printed=f"{minimum}万元",
        )
        self.fact(
            "rate.grant",
            "rate",
            "财政补助比例与单项上限",
            f"市财政按榜单金额的{pct}%给予补助，单个项目最高不超过{cap}万元",
            ["财政补助多少", "最多补助多少钱"],
            metric="grant",
            base="list_amount",
            op="le",
            value=pct,
            unit="%",
            printed=f"{pct}%",
            cap=cap,
            cap_printed=f"{cap}万元",
        )
        self.fact(
            "schedule.grant",
            "schedule",
            "财政补助分期拨付",
            f"任务书签订当年拨付{first}%，中期评估通过后拨付{second}%，验收合格后拨付{third}%",
            ["补助分几期拨付"],
            parts=[
                {"label": "任务书签订当年", "percent": first},
                {"label": "中期评估通过后", "percent": second},
                {"label": "验收合格后", "percent": third},
            ],
        )
        self.fact(
            "period.implementation",
            "period",
            "项目实施周期",
            f"项目实施周期原则上不超过{period}年",
            ["项目实施周期几年"],
            op="le",
            value=period,
            unit="年",
            printed=f"{period}年",
        )
        return [
            f"（一）榜单金额原则上不低于{minimum}万元，由发榜方出资，揭榜方不得要求额外费用。",
            f"（二）对成功揭榜的项目，市财政按榜单金额的{pct}%给予补助，单个项目最高不超过{cap}万元。",
            f"（三）财政补助资金分三期拨付：任务书签订当年拨付{first}%，中期评估通过后拨付{second}%，"
            f"验收合格后拨付{third}%。",
            f"（四）项目实施周期原则上不超过{period}年，因客观原因需要延期的，须提前三个月书面申请。",
        ]

    def timeline_section(self) -> list[str]:
        open_day = self.day_after(self.issue, 1, 10)
        close_day = self.day_after(open_day, 14, 45)
        county_day = self.day_after(close_day, 5, 12)
        copies = self.rng.choice(["一式两份", "一式三份", "一式一份"])
        self.fact(
            "window.collection",
            "window",
            "需求征集时间",
            f"征集时间：{_d(open_day)}至{_d(close_day)}",
            ["征集时间是什么时候"],
            start=open_day,
            date=close_day,
            bound="through",
            actor="applicant",
        )
        self.fact(
            "deadline.applicant",
            "deadline",
            "企业将技术需求表报送所在县（市、区）科技主管部门",
            f"于{_md(close_day)}前报送所在县（市、区）科技主管部门",
            ["需求表什么时候截止", "最晚哪天交"],
            date=close_day,
            bound="before",
            actor="applicant",
            year_inferred=True,
        )
        self.fact(
            "deadline.recommender",
            "deadline",
            "县（市、区）科技主管部门报送汇总表",
            f"于{_d(county_day)}前将《技术需求汇总表》（附件2）",
            ["汇总表什么时候报送"],
            date=county_day,
            bound="before",
            actor="recommender",
        )
        self.fact(
            "copies.applicant",
            "copies",
            "纸质材料份数",
            f"纸质材料{copies}，同时提交电子版",
            ["交几份"],
            op="eq",
            value={"一式两份": 2, "一式三份": 3, "一式一份": 1}[copies],
            unit="份",
            printed=copies,
        )
        return [
            f"（一）征集时间：{_d(open_day)}至{_d(close_day)}。",
            f"（二）企业将《技术需求表》（附件1）加盖单位公章后，于{_md(close_day)}前报送所在县（市、区）科技主管部门，"
            f"纸质材料{copies}，同时提交电子版。",
            f"（三）各县（市、区）科技主管部门审核汇总后，于{_d(county_day)}前将《技术需求汇总表》（附件2）"
            f"报送{self.short_org}，逾期不予受理。",
        ]

    def contact_section(self) -> list[str]:
        office = self.rng.choice(OFFICES)
        person, phone, email = self.person(), self.phone(), self.email()
        line = f"{self.short_org}{office}，联系人：{person}，联系电话：{phone}，电子邮箱：{email}。"
        self.fact(
            "contact.general",
            "contact",
            f"{self.short_org}{office}",
            line.rstrip("。"),
            ["咨询电话是多少", "找谁咨询"],
            office=f"{self.short_org}{office}",
            person=person,
            phones=[phone],
            email=email,
            general=True,
        )
        return [line, f"县（市、区）科技主管部门联系人：{self.person()}，联系电话：{self.phone()}。"]

    def requirements_section(self) -> list[str]:
        picked = self.rng.sample(WORK_RULES, k=self.rng.randint(2, 4))
        return [f"（{_cn(k)}）{text}" for k, text in enumerate(picked, 1)]

    def form_table(self) -> list[str]:
        """附件1 as the real notices print it: one tab-indented cell per line, rows split by a blank line."""
        r = self.rng
        types = " ".join(f"□{t}" for t in r.sample(UNIT_TYPES, k=4))
        rows = [
            ["需求名称", ""],
            ["所属领域", f"（{'、'.join(self.fields)}等）"],
            ["需求单位", "", "统一社会信用代码", ""],
            ["单位性质", types],
            ["联系人", "姓名", "", "职务", "", "手机：", "邮箱："],
            [
                "技术需求概述",
                f"（描述需要解决的技术难题和主要技术指标）（限{r.choice([300, 500, 800])}字以内）",
            ],
            ["预期目标", f"（攻关完成后应达到的技术参数和经济效益）（限{r.choice([200, 300, 500])}字以内）"],
            ["有共同技术需求的同行单位", "序号", "单位名称", "单位性质"],
            ["", "1", "", types],
            ["", "2", "", types],
            ["现有研究基础", "（已开展的研究工作、已有的技术积累、研发团队和试验条件）（限300字以内）"],
            [
                "研发资金投入预测",
                "研发总预算     万元，其中：需求方自筹     万元，申请财政资金     万元，其他来源     万元。",
            ],
            ["榜单金额", "     万元（不低于本通知规定的最低金额）"],
            ["出资承诺", "本单位愿意为该技术难题攻关提供研发资金不少于       万元。"],
            ["完成时限", "（例如****年**月前完成）"],
            ["知识产权归属", "（知识产权要求及成果转化权益分配）（限150字以内）"],
        ]
        return self._rows(rows)

    def summary_table(self) -> list[str]:
        header = ["序号", "需求名称", "需求单位", "所属领域", "榜单金额（万元）", "联系人", "联系电话"]
        rows = [header] + [[str(k)] + [""] * (len(header) - 1) for k in range(1, self.rng.randint(3, 6))]
        return self._rows(rows)

    @staticmethod
    def _rows(rows: list[list[str]]) -> list[str]:
        out: list[str] = []
        for row in rows:
            out.extend(f"\t{cell}" for cell in row)
            out.append("")
        return out

    def rules_attachment(self) -> list[str]:
        r = self.rng
        articles = [
            f"为规范{self.city}市“揭榜挂帅”科技项目管理，提高财政资金使用效益，制定本办法。",
            f"{self.short_org}负责项目的组织实施，包括征集需求、发榜、揭榜、评榜和验收等工作。",
            *r.sample(RULE_ARTICLES, k=r.randint(5, len(RULE_ARTICLES))),
            f"项目实施周期原则上为{r.randint(2, 3)}年，每年支持项目原则上不超过{r.randint(3, 10)}个。",
            f"项目资金按照“发榜方出资为主、财政补助为辅”的原则安排，财政补助比例不超过{r.choice([30, 40, 50])}%。",
            "本办法自发布之日起施行，由市科技局负责解释。",
        ]
        return [f"第{_cn(k)}条 {text}" for k, text in enumerate(articles, 1)]

    # -- the whole notice -----------------------------------------------------------------------
    def build(self) -> tuple[dict[str, Any], str]:
        r = self.rng
        number = r.randint(10, 260)
        doc_number = f"{self.city[0]}科〔{self.year}〕{number}号" if r.random() < 0.7 else None
        title = f"关于征集{self.year}年度“揭榜挂帅”重大技术需求的通知"
        sections = [
            ("征集范围", self.scope_section()),
            ("申报条件", self.conditions_section()),
            ("需求内容要求", self.content_section()),
            ("支持方式", self.funding_section()),
            ("时间安排", self.timeline_section()),
            ("工作要求", self.requirements_section()),
        ]
        if r.random() < 0.6:
            sections.insert(4, ("组织流程", self.process_section()))
        if r.random() < 0.4:
            sections[1], sections[2] = sections[2], sections[1]
        sections.append(("联系方式", self.contact_section()))
        with_rules = r.random() < 0.5
        form_title = f"{self.city}市{self.year}年度“揭榜挂帅”重大技术需求表"
        summary_title = f"{self.city}市{self.year}年度“揭榜挂帅”重大技术需求汇总表"
        rules_title = f"{self.city}市“揭榜挂帅”科技项目管理办法（试行）"

        lines: list[str] = []
        if doc_number:
            lines += [doc_number, ""]
        lines += [self.issuer, "", title, "", "各县（市、区）科技局，各有关单位："]
        lines.append(
            f"为深入实施创新驱动发展战略，聚焦{self.city}市{'、'.join(self.fields[:3])}等重点产业发展中的关键核心技术难题，"
            f"推动“揭榜挂帅”科技项目组织方式改革，现面向全市征集{self.year}年度重大技术需求。有关事项通知如下："
        )
        lines.extend(r.sample(PREAMBLES, k=r.randint(1, 2)))
        lines.append("")
        for k, (heading, body) in enumerate(sections, 1):
            lines.append(f"{_cn(k)}、{heading}")
            lines.extend(body)
            lines.append("")
        attachments = [form_title, summary_title] + ([rules_title] if with_rules else [])
        lines.append(f"附件：1.{attachments[0]}")
        lines.extend(f"{k}.{t}" for k, t in enumerate(attachments[1:], 2))
        lines += [
            f"                                   {self.issuer}",
            f"                                   {_d(self.issue)}",
            "",
        ]
        lines += ["附件1", form_title, "", *self.form_table()]
        lines += [
            "附件2",
            "",
            summary_title,
            f"推荐单位（盖章）：           填报日期：{self.year}年  月  日",
            "",
        ]
        lines += self.summary_table()
        if with_rules:
            lines += ["附件3", rules_title, "", *self.rules_attachment()]
        text = "\n".join(lines) + "\n"

        nid = f"{ID_PREFIX}{self.i:04d}"
        self.catalogue = {"notice": nid, "facts": self.facts}
        entry: dict[str, Any] = {
            "id": nid,
            "file": f"{nid}.txt",
            "short": self.city,
            "aliases": [self.city, f"{self.city}市"],
            "title": title,
            "issuer": self.issuer,
            "doc_number": doc_number,
            "issue_date": self.issue,
            "region": f"{self.province}{self.city}市",
            "year": self.year,
            "attachments": [{"n": k, "anchor": f"附件{k}", "title": t} for k, t in enumerate(attachments, 1)],
        }
        return entry, text


def generate(count: int, seed: int = 0) -> list[tuple[dict[str, Any], str]]:
    """`count` notices as (manifest entry, text); notice i is the same whatever `count` is."""
    return [_Notice(seed, i).build() for i in range(count)]


def real_corpus_chars() -> int:
    return sum(len(n.text) for n in load_notices(CORPUS_DIR))


def write_corpus(out_dir: Path, scale: float, seed: int = 0) -> SyntheticCorpus:
    """Write enough notices that real + synthetic text is about `scale` times the real text.

    The directory gets the same manifest format as `knowledge/corpus/`; existing synthetic files
    in it are replaced.
    """
    if scale < 1:
        raise ValueError("scale must be ≥ 1 (1 means the five real notices alone)")
    real = real_corpus_chars()
    target = int(real * (scale - 1))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "catalogue").mkdir(exist_ok=True)
    for old in [*out_dir.glob(f"{ID_PREFIX}*.txt"), *(out_dir / "catalogue").glob(f"{ID_PREFIX}*.yaml")]:
        old.unlink()
    entries: list[dict[str, Any]] = []
    chars = 0
    i = 0
    while chars < target:
        notice = _Notice(seed, i)
        entry, text = notice.build()
        (out_dir / entry["file"]).write_text(text, encoding="utf-8")
        facts = yaml.safe_dump(notice.catalogue, allow_unicode=True, sort_keys=False, width=200)
        (out_dir / "catalogue" / f"{entry['id']}.yaml").write_text(facts, encoding="utf-8")
        entries.append(entry)
        chars += len(text)
        i += 1
    header = f"# Synthetic notices (knowledge/synthetic.py), seed {seed}, {scale:g}× the real corpus.\n"
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=200) if entries else "[]\n"
    (out_dir / "manifest.yaml").write_text(header + body, encoding="utf-8")
    return SyntheticCorpus(out_dir, scale, seed, len(entries), chars, real)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic notice corpus for growth benchmarks.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--scale", type=float, default=10.0, help="total size as a multiple of the real corpus"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    made = write_corpus(args.out_dir, args.scale, args.seed)
    print(
        f"{made.notices} synthetic notices, {made.chars} characters (real corpus {made.real_chars}) → {made.path}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
