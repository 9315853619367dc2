"""Words several complaints share, for a quality signal's "共同关键词": whole words, never the
character pairs that straddle two words (然熄 from 突然熄火, 上突 from 高速上突然).

jieba cuts the text into words, with every term of the lexicon (lexicon.py: 刹车片, 变速箱,
顿挫, 熄火 …) added to its dictionary so the workshop's words come out whole; function words
and words every complaint says (客户, 要求, 我们) are dropped."""

import logging
import re
import threading
from collections import Counter

import jieba

from . import lexicon

_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
# Words too common in complaints to say anything about the fault.
STOPWORDS = frozenset(
    {
        "我们",
        "你们",
        "他们",
        "她们",
        "它们",
        "自己",
        "没有",
        "一个",
        "这个",
        "那个",
        "这些",
        "那些",
        "什么",
        "怎么",
        "怎么办",
        "为什么",
        "已经",
        "还是",
        "但是",
        "因为",
        "所以",
        "就是",
        "而且",
        "然后",
        "现在",
        "今天",
        "昨天",
        "明天",
        "时候",
        "的话",
        "可以",
        "一直",
        "非常",
        "这样",
        "那样",
        "还有",
        "如果",
        "或者",
        "不是",
        "只是",
        "一下",
        "一次",
        "两次",
        "三次",
        "几次",
        "之后",
        "以后",
        "以前",
        "之前",
        "出现",
        "发现",
        "问题",
        "情况",
        "客户",
        "车主",
        "要求",
        "希望",
        "表示",
        "反映",
        "投诉",
        "抱怨",
        "觉得",
        "感觉",
        "知道",
        "告诉",
        "说明",
        "解决",
        "处理",
        "一样",
        "这么",
        "那么",
        "多少",
        "完全",
        "真的",
        "还要",
        "需要",
        "应该",
        "可能",
        "不能",
        "不会",
        "不要",
        "没法",
        "每次",
        "经常",
        "总是",
        "公里",
        "上周",
        "本周",
        "这次",
        "上次",
        "去年",
        "今年",
        "当时",
        "之间",
        "车辆",
        "汽车",
        "车子",
    }
)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _lexicon_terms() -> set[str]:
    terms: set[str] = set()
    tables = (lexicon.FAULT_AREA_TERMS, lexicon.CATEGORY_TERMS, lexicon.NATURE_TERMS, lexicon.SEVERITY_TERMS)
    for table in tables:
        for words in table.values():
            terms.update(words)
    terms.update(lexicon.PRODUCT_TERMS)
    return {t for t in terms if _CJK_WORD.match(t)}


def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process with the lexicon's terms added (built once, ~1 s)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            made = jieba.Tokenizer()
            for term in sorted(_lexicon_terms()):
                made.add_word(term, freq=200_000)
            _tokenizer = made
        return _tokenizer


def words(text: str) -> set[str]:
    """The distinct content words of ``text`` (two or more Chinese characters, no stopwords)."""
    cut = tokenizer().lcut(text or "", HMM=False)
    return {w for w in cut if _CJK_WORD.match(w) and w not in STOPWORDS}


def shared_words(texts: list[str], *, limit: int = 8, masked: frozenset[str] = frozenset()) -> list[str]:
    """Words in at least two of ``texts``, the most widely shared (then the longest) first."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words(text) - masked)
    common = [(w, n) for w, n in counts.items() if n >= 2]
    common.sort(key=lambda item: (-item[1], -len(item[0]), item[0]))
    return [w for w, _ in common[:limit]]
