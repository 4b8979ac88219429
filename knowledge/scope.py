"""Calibrated refusal: is a question about something the five notices do not cover?

Three checks, each explainable to the user: a place no notice covers, a year no notice is about, a
topic no notice mentions. Everyday question words never count against a question.

A question that names no notice is checked against the shipped notices only, as it is answered from
them (`answer.default_scope`): extra notices (`extra_corpus_dir`) never turn a refusal into an answer
or back. A question that names notices is checked against those notices, shipped or extra.
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.corpus import normalized_text, notices, shipped_notices
from knowledge.mentions import mentioned_notices
from knowledge.tokenize import DATA_DIR, cut, normalize_text, stop_words, synonyms, words
from knowledge.types import Notice
from knowledge.understand import Query, split_parts

NOTICE_YEAR = re.compile(
    r"(20\d\d)\s*年(?:度)?(?:的)?\s*([\u4e00-\u9fff]{0,3}?)(揭榜|征集|需求|通知|申报|榜单|批次|一轮|那轮|这轮)"
)
YEAR_OF_PLACE = re.compile(
    r"^(?:那|那么|换成|要是)?(20\d\d)\s*年(?:度)?的?[\u4e00-\u9fff]{2,4}(?:的)?(?:呢|怎么样|如何)?[？?。]*$"
)
PLACE_OF_YEAR = re.compile(
    r"^(?:那|那么|换成|要是)?[\u4e00-\u9fff]{2,6}?(20\d\d)\s*年(?:度)?的?(?:呢|那个呢|那轮呢|那次呢)"
)
LEADING_YEAR = re.compile(r"^(?:[\u4e00-\u9fff]{0,6}?)(20\d\d)\s*年度")
# 2025年<某市>“揭榜挂帅”需求: a year, a place a notice is about, then the programme — a round of it.
YEAR_PLACE_ROUND = re.compile(
    r"(20\d\d)\s*年(?:度)?的?\s*([\u4e00-\u9fff]{2,6}?)[“\"「]?(?:揭榜|征集|需求|通知|重大技术)"
)
# A year that dates something the user did (2022年承担的项目) does not name a round of the programme.
PAST_EVENT = re.compile(r"承担|获得|拿|立项|结题|完成|成立|注册|做|报的|报过|申请的|中标|揭的")


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def corpus_text() -> str:
    """Normalised text, regions and aliases of the shipped notices."""
    parts = [normalized_text(n.id) for n in shipped_notices()]
    for n in shipped_notices():
        parts += [normalize_text(x) for x in [n.region, n.issuer, *n.aliases]]
        for att in n.attachments:
            if att.subdocument is not None:
                parts += [normalize_text(x) for x in [att.subdocument.region, *att.subdocument.aliases]]
    return "\n".join(parts)


@lru_cache(maxsize=1)
def covered_regions() -> str:
    """Where the shipped notices apply: their regions, issuers and aliases (not every city they mention)."""
    parts = []
    for n in shipped_notices():
        parts += [normalize_text(x) for x in [n.region, n.issuer, *n.aliases]]
        for att in n.attachments:
            if att.subdocument is not None:
                parts += [normalize_text(x) for x in [att.subdocument.region, *att.subdocument.aliases]]
    return "\n".join(parts)


GENERIC = frozenset(
    normalize_text(w)
    for w in [
        "揭榜挂帅",
        "揭榜",
        "挂帅",
        "项目",
        "企业",
        "需求",
        "技术",
        "通知",
        "申报",
        "科技",
        "政策",
        "单位",
        "公司",
        "文件",
        "规定",
        "要求",
        "工作",
        "情况",
        "方面",
    ]
)


@lru_cache(maxsize=1)
def places() -> tuple[str, ...]:
    return tuple(
        sorted({normalize_text(w) for ln in _lines("places.txt") for w in ln.split()}, key=len, reverse=True)
    )


@lru_cache(maxsize=1)
def colloquial() -> frozenset[str]:
    return frozenset(normalize_text(w) for ln in _lines("colloquial.txt") for w in ln.split())


@lru_cache(maxsize=1)
def out_of_scope_words() -> tuple[str, ...]:
    return tuple(normalize_text(w) for ln in _lines("out_of_scope.txt") for w in ln.split())


def foreign_places(query: Query) -> list[str]:
    """Places named in the question that no notice mentions (深圳, 北京 …)."""
    return foreign_places_in(query.text)


DROPPED = re.compile(r"(?:不问|不说|不管|先不管|不提|别管|不聊|不看)[^，,。？?；;]{1,8}")


def foreign_places_in(text: str, within: str = "") -> list[str]:
    """Places named in normalised text that no shipped notice covers (nor `within`, e.g. the text of
    the notices a conversation is about: 杭州 is in the provincial quota table)."""
    found: list[str] = []
    covered = covered_regions()
    text = DROPPED.sub(lambda m: " " * len(m.group()), text)  # 不问<某省>了: a place let go, not asked
    for place in places():
        if (
            place in text
            and place not in covered
            and place not in within
            and not any(place in f for f in found)
        ):
            found.append(place)
    return found


def _counted_in_a_table(place: str, query: Query) -> bool:
    """衢州限几项: a place a notice's quota table counts, asked for its count (not for a programme of
    its own, which no notice covers)."""
    from knowledge.catalogue import all_facts

    if "count" not in query.asks:
        return False
    return any(
        f.kind.value in ("quota", "list") and place in normalize_text(" ".join([f.quote, *f.also]))
        for f in all_facts()
    )


RANGE_MARK = r"[-—－~～至到]"


def _covers_year(notice: Notice, year: int) -> bool:
    """The notice speaks of that year: its own, or one it names (2024年<某市>技术攻关类…, 2022年度省政府
    科技创新督查激励). The end of a period it sets (执行期2024-2026年) is not a year it is about."""
    return year == notice.year or bool(re.search(rf"(?<!{RANGE_MARK}){year}\s*年", notice.text))


def years_asked(query: Query) -> list[int]:
    """Years the question uses to name a round of the programme (2025年度, 2025年的揭榜挂帅)."""
    years = {int(m.group(1)) for m in NOTICE_YEAR.finditer(query.text) if not PAST_EVENT.search(m.group(2))}
    m = LEADING_YEAR.match(query.text)
    if m:
        years.add(int(m.group(1)))
    for m in YEAR_PLACE_ROUND.finditer(query.text):
        if mentioned_notices(m.group(2)) and not PAST_EVENT.search(m.group(2)):  # 2022年拿的<某市>…项目
            years.add(int(m.group(1)))
    m = YEAR_OF_PLACE.match(normalize_text(query.raw)) or PLACE_OF_YEAR.match(normalize_text(query.raw))
    if m:  # 2025年的<地方>呢 / 那<地方>2023年的呢: a round of a place, asked as a follow-up
        years.add(int(m.group(1)))
    # 在2024-2026年对揭榜项目投入: the end of a period the user sets, not a round asked
    ends = {int(y) for y in re.findall(rf"{RANGE_MARK}\s*(20\d\d)\s*年", query.text)}
    return sorted(years - ends)


def unsupported_words(query: Query, corpus: str | None = None) -> list[str]:
    """Topic words of the question that appear nowhere in the notices, even through a synonym."""
    from knowledge.numbers import find_amounts

    corpus = corpus or corpus_text()
    casual = colloquial() | stop_words()
    out = []
    said = query.text
    for fig in find_amounts(said):  # 九千八百万元: an amount the user states is no topic word
        said = said[: fig.start] + " " * (fig.end - fig.start) + said[fig.end :]
    for w in words(said):
        if len(w) < 2 or w in casual or w.isdigit() or re.fullmatch(r"[\d.%]+[万亿元年月日号]*", w):
            continue
        if w in corpus or any(s in corpus for s in synonyms().get(w, ())):
            continue
        out.append(w)
    return out


# A place followed by these words says where the user is from (长沙的一所高校, 南昌某高校), not what the
# question is about: a university elsewhere may well solve a covered city's problem.
ORIGIN = re.compile(
    r"^(?:市|省|县|区)?(?:的)?(?:一所|一家|一个|某|本地的?|当地的?)?"
    r"(?:企业|公司|子公司|分公司|母公司|总公司|集团|工厂|分厂|高校|大学|学院|研究院|研究所|院所|科研院所|科研机构|单位|团队|机构|人|籍|注册)"
)


ORIGIN_BEFORE = re.compile(
    r"(?:注册在|注册地在|注册于|注册地为|位于|总部在|总部位于|来自|落户)[\u4e00-\u9fff]{0,4}$"
    r"|(?:我们|我司|我公司|本公司|我单位|本单位|我们公司|我们单位|我们学校|公司|单位|企业|学校)(?:是|在|设在|地处)$"
)


def is_origin_at(text: str, start: int, end: int) -> bool:
    """The place at text[start:end] is where the user's unit is (any place, a notice's one too)."""
    return _is_origin(text, start, end)


def _is_origin(text: str, start: int, end: int) -> bool:
    """The place at text[start:end] says where the user's unit is: 长沙的一所高校, 注册在北京, and a place
    naming a larger one first (吉林长春注册)."""
    if ORIGIN_BEFORE.search(text[:start]):
        return True
    rest = text[end:]
    inner = next((p for p in places() if p and rest.startswith(p)), None)
    if inner is not None:
        rest = rest[len(inner) :]
    return bool(ORIGIN.match(rest))


@lru_cache(maxsize=1)
def region_members() -> dict[str, frozenset[str]]:
    """Each region (province or city) and the cities and counties inside it (data/regions.txt)."""
    table: dict[str, frozenset[str]] = {}
    for ln in _lines("regions.txt"):
        head, *rest = ln.split()
        table[normalize_text(head)] = frozenset(normalize_text(r) for r in rest)
    return table


def region_short(region: str) -> str:
    """The most specific place of a printed region: 甲省乙市丙市 → 丙, 甲省 → 甲."""
    parts = re.findall(r"[\u4e00-\u9fff]+?(?:自治区|省|市|县|区)", region) or [region]
    return re.sub(r"(?:自治区|省|市|县)$", "", parts[-1])


def inside(place: str, region: str) -> bool:
    """A city lies inside its province and a county inside its city; a place is inside itself."""
    return place == region or place in region_members().get(region, frozenset())


@lru_cache(maxsize=1)
def _levels() -> dict[str, str]:
    """县 for a county or county-level city (inside a city that lies in a province), 市 for such a city."""
    table = region_members()
    cities = {c for members in table.values() for c in members if c in table}
    levels = {c: "市" for c in cities}
    for city in cities:
        for county in table[city]:
            levels.setdefault(county, "县")
    return levels


def places_in(text: str) -> list[str]:
    """The cities and counties a text names (two characters or more)."""
    return [place for place in _levels() if len(place) >= 2 and place in text]


def place_level(text: str) -> str | None:
    """Whether the places a text names are counties (县) or cities (市); None if none, or both kinds."""
    found = {level for place, level in _levels().items() if len(place) >= 2 and place in text}
    return found.pop() if len(found) == 1 else None


def origin_elsewhere(text: str) -> list[str]:
    """Places no notice covers that the text names as where the user's unit is (长沙的一所高校, 注册在北京)."""
    return [
        place
        for place in foreign_places_in(text)
        if any(_is_origin(text, m.start(), m.end()) for m in re.finditer(re.escape(place), text))
    ]


def _first_at(text: str, names: list[str], subject_only: bool = False) -> int:
    found = [
        m.start()
        for n in names
        if n
        for m in re.finditer(re.escape(n), text)
        if not (subject_only and _is_origin(text, m.start(), m.end()))
    ]
    return min(found, default=len(text))


def _names_of(notice_ids: list[str]) -> list[str]:
    from knowledge.mentions import alias_table

    return [alias for alias, nid in alias_table() if nid in notice_ids]


PROVINCE_LEVEL = re.compile(r"([\u4e00-\u9fff]{2,3})省(?:科技厅|科学技术厅|级|财政|政府|人民政府)")
CITY_LEVEL = re.compile(r"([\u4e00-\u9fff]{2,4})市本级")


def _level_not_issuing(text: str, level: re.Pattern[str], suffix: str, known: set[str]) -> str | None:
    """A place's own programme (<X>省的省级项目, <X>市本级) when no shipped notice or document printed
    in one was issued at that level of that place (a city or county of it issuing one does not make
    its rules ours)."""
    issuers = "".join(
        [n.issuer for n in shipped_notices()]
        + [a.subdocument.issuer for n in shipped_notices() for a in n.attachments if a.subdocument]
    )
    for m in level.finditer(text):
        said = m.group(1)
        name = next((said[i:] for i in range(len(said)) if said[i:] in known), None)
        if name and f"{name}{suffix}" not in issuers:
            return name
    return None


def _province_not_issuing(text: str) -> str | None:
    return _level_not_issuing(text, PROVINCE_LEVEL, "省", set(places()))


def _city_level_not_issuing(text: str) -> str | None:
    return _level_not_issuing(text, CITY_LEVEL, "市", set(places()) | set(region_members()))


def _said_as_word(word: str, text: str) -> bool:
    """The word is said, not two characters of other words (个税 in 这个税收): it starts and ends where
    the question's words do."""
    if word not in text:
        return False
    bounds, at = {0}, 0
    for w in cut(text):
        at += len(w)
        bounds.add(at)
    return any(m.start() in bounds and m.end() in bounds for m in re.finditer(re.escape(word), text))


def unwritten_words(query: Query) -> list[str]:
    """Words of the question for matters the notices in scope never mention (工资, 保证金)."""
    named = query.notices
    scope_text = (
        "\n".join(normalized_text(n.id) for n in notices() if n.id in named) if named else corpus_text()
    )
    return [w for w in out_of_scope_words() if _said_as_word(w, query.text) and w not in scope_text]


def out_of_scope(query: Query) -> str | None:
    """A one-sentence reason to refuse, or None when the notices may answer the question."""
    named = query.notices
    city = _city_level_not_issuing(query.text)
    if city:
        return f"问题问的是{city}市本级的安排，收录的通知中没有{city}市级部门发布的通知。"
    foreign = [p for p in foreign_places(query) if not _counted_in_a_table(p, query)]
    if foreign and not named:
        return f"问题问的是{'、'.join(foreign)}，而收录的通知不涉及该地区。"
    if named and not query.inherited_notices:
        # "<foreign city>…最多能补多少？听说<covered city>那边…": the part that asks is about a place no notice covers (a
        # covered city named in passing elsewhere, or after it, does not make it covered).
        within = "".join(normalized_text(n) for n in named)
        names = _names_of(named)
        for part in query.parts:
            others = foreign_places_in(part.text, within)
            if others and _first_at(part.text, others, subject_only=True) < _first_at(part.text, names):
                return f"问题问的是{'、'.join(others)}，而收录的通知不涉及该地区。"
    province = _province_not_issuing(query.text) if not named else None
    if province:
        return f"问题问的是{province}省级的项目，收录的通知中没有{province}省级部门发布的通知。"
    for year in years_asked(query):
        scope = named or [n.id for n in shipped_notices()]
        if not any(_covers_year(next(n for n in notices() if n.id == nid), year) for nid in scope):
            which = (
                "、".join(next(n for n in notices() if n.id == nid).short for nid in scope)
                if named
                else "收录的通知"
            )
            return f"{which}的通知不涉及{year}年度的安排。"
    banned = unwritten_words(query)
    # (…最高多少？这笔补助能不能发工资: a question of its own, before the word, though one part)
    clauses = [c for c in re.split(r"[？?！!。；;]", query.text) if c.strip()]
    free = [p for p in query.parts if not any(w in p.text for w in banned)] + [
        p for c in clauses if len(clauses) > 1 and not any(w in c for w in banned) for p in split_parts(c)
    ]
    if banned and named and any(p.metrics or p.topics for p in free):
        banned = []  # 按什么口径认定？加计扣除口径行不行: the notice answers the first part
    if banned:
        return f"通知中没有关于“{banned[0]}”的规定。"
    if not named:
        missing = unsupported_words(query)
        supported = [
            w
            for w in words(query.text)
            if len(w) >= 2 and w not in colloquial() and w not in GENERIC and w not in missing
        ]
        if missing and len(missing) >= len(supported):
            return f"通知中没有关于“{'、'.join(missing[:3])}”的内容。"
    return None
