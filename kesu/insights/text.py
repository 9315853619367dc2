"""Text preparation shared by rules, the statistical model and duplicate detection.

Everything here is bounded: a 1 MB paste, binary junk, emoji or mixed scripts cost at most the
capped length, never a crash. Offsets of :func:`fold` output match the input character for
character, so matched words can be highlighted in the original text.
"""

import re

from kesu.core.folding import clean, fold

from .matcher import trie_regex

# What the analysis reads at most. Crisis words are searched in the first CRISIS_CHARS characters
# (complaint texts are capped at 20,000 by the complaint service); the classifier and the emotion
# lexicon read the opening CLASSIFY_CHARS, where customers say what is wrong.
CRISIS_CHARS = 20_000
CLASSIFY_CHARS = 2_000

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDS = re.compile(rf"[{_CJK}]+|[a-z0-9]+")


def prepare(text: object, limit: int = CRISIS_CHARS) -> str:
    """``clean`` then ``fold``: what the matchers read."""
    return fold(clean(text, limit))


# --- brands and model names -------------------------------------------------------------------
# Complaint titles on the public sites open with brand and series ("一汽大众迈腾变速箱顿挫"). A
# classifier must learn categories, not brands, so brand and model names are replaced by one
# placeholder before training and prediction. This list is written from general knowledge of
# the Chinese car market; training adds the organisation's own model names (vehicle records,
# or the brand/car_model columns of a CSV) to the model's own list.
BRAND_PLACEHOLDER = "\u24b7"  # Ⓑ: one character, so n-grams across it are uniform

KNOWN_BRANDS = (
    # makers and joint ventures
    "一汽大众",
    "上汽大众",
    "一汽丰田",
    "广汽丰田",
    "广汽本田",
    "东风本田",
    "东风日产",
    "郑州日产",
    "北京现代",
    "东风悦达起亚",
    "长安福特",
    "江铃福特",
    "上汽通用",
    "上汽通用五菱",
    "一汽马自达",
    "长安马自达",
    "东风标致",
    "东风雪铁龙",
    "神龙汽车",
    "华晨宝马",
    "北京奔驰",
    "一汽奥迪",
    "上汽奥迪",
    "广汽传祺",
    "广汽埃安",
    "上汽荣威",
    "上汽名爵",
    "上汽大通",
    "东风风神",
    "东风风行",
    "东风风光",
    "东风小康",
    "东风启辰",
    "长安欧尚",
    "长安凯程",
    "一汽奔腾",
    "一汽红旗",
    "一汽解放",
    "吉利汽车",
    "长城汽车",
    "奇瑞汽车",
    "比亚迪",
    "众泰汽车",
    "江淮汽车",
    "海马汽车",
    "力帆汽车",
    "北汽新能源",
    "北京汽车",
    "北汽绅宝",
    "北汽幻速",
    "北汽昌河",
    "华晨中华",
    "华晨金杯",
    "广汽三菱",
    "东南汽车",
    "猎豹汽车",
    "汉腾汽车",
    "斯威汽车",
    "宝沃汽车",
    "观致汽车",
    "凯翼汽车",
    "捷途",
    "星途",
    "领克",
    "几何汽车",
    "极氪",
    "岚图",
    "蔚来",
    "理想汽车",
    "小鹏汽车",
    "威马汽车",
    "零跑汽车",
    "哪吒汽车",
    "合众汽车",
    "特斯拉",
    "问界",
    "赛力斯",
    "深蓝汽车",
    "阿维塔",
    "智己",
    "飞凡",
    "极狐",
    "腾势",
    "小米汽车",
    "埃安",
    "传祺",
    "荣威",
    "名爵",
    "宝骏",
    "五菱",
    "红旗",
    "奔腾",
    "哈弗",
    "魏牌",
    "坦克",
    "欧拉",
    "长安",
    "吉利",
    "长城",
    "奇瑞",
    "江淮",
    "思皓",
    "大众",
    "丰田",
    "本田",
    "日产",
    "尼桑",
    "现代",
    "起亚",
    "马自达",
    "福特",
    "别克",
    "雪佛兰",
    "凯迪拉克",
    "标致",
    "雪铁龙",
    "斯柯达",
    "奥迪",
    "宝马",
    "奔驰",
    "沃尔沃",
    "路虎",
    "捷豹",
    "保时捷",
    "雷克萨斯",
    "英菲尼迪",
    "讴歌",
    "林肯",
    "Jeep",
    "吉普",
    "三菱",
    "斯巴鲁",
    "铃木",
    "菲亚特",
    "克莱斯勒",
    "道奇",
    "MINI",
    "smart",
    "DS",
    "捷达",
    "启辰",
    "东风",
    "一汽",
    "上汽",
    "广汽",
    "北汽",
    "进口",
)

# Model codes: letters with digits (CS75, GS4, A6L, X5, RAV4, CR-V, 408 behind a brand…) and the
# usual trim words after them.
_MODEL_CODE_BODY = r"[a-z]{1,4}-?\d{1,4}[a-z]{0,3}|\d{2,4}[a-z]{1,3}|[a-z]{1,3}-[a-z]{1,2}"
_MODEL_SUFFIX = r"\s?(?:plus|pro|max|ev|phev|dm-i|dm|hev|new)"
_LATIN = re.compile(r"[a-z0-9]")
_PLACEHOLDER_RUN = re.compile(f"{BRAND_PLACEHOLDER}{BRAND_PLACEHOLDER}+")
_SPLIT = re.compile(r"[\s\-·•/（）()]+")
_GENERIC_PARTS = frozenset(
    {"汽车", "进口", "新能源", "集团", "国产", "plus", "pro", "max", "ev", "new", "经典", "新款"}
)


def name_variants(name: str) -> set[str]:
    """Spellings under which a brand or model name appears in free text.

    "一汽-大众" → {"一汽-大众", "一汽大众", ...}; "长安CS75 PLUS" → {"长安cs75 plus", "长安cs75plus",
    "cs75 plus", "cs75", ...}; "奔驰（进口）" → {"奔驰"}.
    """
    name = fold(clean(name, 60)).strip()
    if not name:
        return set()
    base = re.sub(r"[（(][^）)]*[）)]", "", name).strip()
    found = {name, base, base.replace("-", ""), base.replace(" ", ""), base.replace("汽车", "")}
    for part in _SPLIT.split(base):
        found.add(part)
        cjk = re.match(rf"[{_CJK}]+", part)
        if cjk and cjk.end() < len(part):  # "长安cs75" → "长安", "cs75"
            found.add(part[: cjk.end()])
            found.add(part[cjk.end() :])
    return {v for v in found if len(v) >= 2 and v not in _GENERIC_PARTS}


class NameMasker:
    """Replaces known brand and model names (longest first) and model codes by a placeholder.

    Two passes: the names with a Chinese character (one trie, whose first characters let the
    regular-expression engine skip most positions), then — only in texts with a Latin letter or
    digit — Latin names and model codes together.
    """

    def __init__(self, names: set[str] | frozenset[str] = frozenset()):
        vocabulary: set[str] = set()
        for name in (*KNOWN_BRANDS, *names):
            vocabulary |= name_variants(name)
        self.names = frozenset(vocabulary)
        ascii_names = [n for n in self.names if n.isascii()]
        other_names = [n for n in self.names if not n.isascii()]
        self._cjk = trie_regex(other_names) if other_names else None
        latin = [rf"(?:{_MODEL_CODE_BODY})(?:{_MODEL_SUFFIX})?"]
        if ascii_names:
            latin.insert(0, trie_regex(ascii_names).pattern)
        self._latin = re.compile(rf"(?<![a-z0-9])(?:{'|'.join(f'(?:{p})' for p in latin)})(?![a-z0-9])")

    def __call__(self, folded_text: str) -> str:
        text = folded_text
        if self._cjk is not None:
            text = self._cjk.sub(BRAND_PLACEHOLDER, text)
        if _LATIN.search(text):
            text = self._latin.sub(BRAND_PLACEHOLDER, text)
        if BRAND_PLACEHOLDER in text:
            text = _PLACEHOLDER_RUN.sub(BRAND_PLACEHOLDER, text)
        return text


def shingles(text: str, size: int = 2) -> set[str]:
    """Character n-grams of the CJK and alphanumeric runs (punctuation and spaces dropped)."""
    out: set[str] = set()
    for run in _WORDS.findall(text):
        if len(run) < size:
            out.add(run)
        else:
            out.update(run[i : i + size] for i in range(len(run) - size + 1))
    return out
