"""Masking personal data out of free text before it leaves the installation.

Lists mask for people (138****1234, 张**, see ``validators.mask_mobile``); a text sent to an
outside service needs more: every phone number, plate, VIN and street or estate address found by
its shape, and the names the caller knows (the customer's — also the given name alone, or the
surname with a title — and the staff's) wherever they stand — also when typed with spaces,
dashes or in lower case. Each value becomes a numbered token (【电话1】, 【车牌1】, 【VIN1】,
【客户】, 【人员1】, 【地址1】); :meth:`Redactor.restore` puts the originals back into an answer locally.
"""

import re
from dataclasses import dataclass, field

from .validators import PROVINCES, mask_mobile, mask_plate, mask_vin

_SEP = r"[\s\-·•.]?"
# a mainland mobile (optionally +86), digits possibly grouped by spaces or dashes
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[\s\-]?)?1[3-9][0-9](?:[\s\-]?[0-9]){8}(?![0-9])")
# a landline with its area code (010-12345678, 020 8888 6666) or a hotline (400-800-1234)
_LANDLINE = re.compile(
    r"(?<![0-9])(?:0[1-9][0-9]{1,2}[\s\-]?[0-9]{3,4}[\s\-]?[0-9]{4}|[48]00[\s\-]?[0-9]{3}[\s\-]?[0-9]{4})(?![0-9])"
)
_PLATE = re.compile(
    rf"[{PROVINCES}]{_SEP}[A-Za-z]{_SEP}(?:[A-Za-z0-9]{_SEP}){{4,5}}[A-Za-z0-9挂学警港澳领]",
)
# 17 letters and digits (no I, O, Q) with at least one digit: a VIN, in any case
_VIN = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z]*[0-9])[A-HJ-NPR-Za-hj-npr-z0-9]{17}(?![A-Za-z0-9])")
# full-width digits, letters, spaces and dashes typed on a phone (１３９…) read as ASCII; the
# rest of the text (Chinese punctuation included) is sent as written
_FULL_WIDTH = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},
    **{code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)},
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
    0xFF0D: 0x2D,
    0xFF0B: 0x2B,
}
_HONORIFICS = ("先生", "女士", "小姐", "师傅", "总", "老师", "太太", "经理")
# two-character surnames: the given name of 欧阳明华 is 明华, not 阳明华
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "闾丘", "端木", "南宫", "西门", "独孤", "申屠", "澹台", "呼延",
)  # fmt: skip
_NUMERAL = "0-9０-９一二三四五六七八九十百零〇"
# a street address (…路18号, …大道1号院3栋) or an estate's building and flat (…小区5栋2单元301室):
# where a customer lives or works identifies them as well as a phone does
_ADDRESS = re.compile(
    rf"[\u4e00-\u9fff]{{1,12}}(?:路|街|大道|大街|巷|弄|胡同)(?:[东南西北中一二三四五]段?)?[{_NUMERAL}]+(?:之[{_NUMERAL}]+)?号(?:院|楼)?"
    rf"(?:[{_NUMERAL}A-Za-z]+(?:栋|幢|座|号楼))?(?:[{_NUMERAL}]+单元)?(?:[{_NUMERAL}]+(?:室|房|号房))?"
    rf"|[\u4e00-\u9fff]{{2,10}}(?:小区|花园|公寓|大厦|新村|家园|苑|府|城)"
    rf"[{_NUMERAL}A-Za-z]+(?:栋|幢|座|号楼|期)(?:[{_NUMERAL}]+单元)?(?:[{_NUMERAL}]+(?:室|房|号房)?)?"
)


def _loose(value: str) -> str:
    """A pattern for ``value`` that also matches it with spaces or dashes between characters."""
    return _SEP.join(re.escape(ch) for ch in value)


@dataclass
class Redactor:
    """Masks one text after another with the same tokens (the same phone is 【电话1】 everywhere).

    ``customer_names`` become 【客户】; ``other_names`` (staff, relatives) 【人员n】; ``values``
    (the complaint's own phone, plate, VIN) are masked even when their shape is unusual.
    """

    customer_names: list[str] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # token → original
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, canonical) → token
    _counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._names: list[tuple[re.Pattern[str], str, str]] = []
        if self.customer_names and self.customer_names[0].strip():  # 【客户】 stands for them anyway
            self._token("客户", self.customer_names[0].strip(), self.customer_names[0].strip())
        for name in _longest_first(self.customer_names):
            if len(name) >= 2:
                self._names.append((re.compile(_loose(name)), "客户", name))
        for name in _longest_first(self.customer_names):
            if "\u4e00" <= name[0] <= "\u9fff":  # 张先生, 张女士, 老张 — the surname with a title
                self._names.append((_with_title(_surname(name)), "客户", name))
        for name in _longest_first(self.customer_names):
            given = _given_name(name)  # 建国 of 王建国: family and staff call them so
            if given:
                self._names.append((re.compile(re.escape(given)), "客户", name))
        for name in _longest_first(self.other_names):
            if len(name) >= 2:
                self._names.append((re.compile(_loose(name), re.IGNORECASE), "人员", name))
        self._values = [
            re.compile(_loose(v), re.IGNORECASE) for v in _longest_first(self.values) if len(v) >= 5
        ]

    def _token(self, kind: str, original: str, canonical: str) -> str:
        key = (kind, canonical)
        if key not in self._seen:
            if kind == "客户":
                token = "【客户】"
            else:
                self._counts[kind] = self._counts.get(kind, 0) + 1
                token = f"【{kind}{self._counts[kind]}】"
            self._seen[key] = token
            self.tokens.setdefault(token, original)
        return self._seen[key]

    def _sub(self, pattern: re.Pattern[str], kind: str | None, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            canonical = _canon(found)
            if kind == "电话":
                canonical = canonical[-11:]  # +86 13912345678 is 13912345678
            return self._token(kind or _kind_of(found), found, canonical)

        return pattern.sub(replace, text)

    def __call__(self, text: str) -> str:
        """``text`` with every phone, plate, VIN and known name replaced by its token."""
        text = (text or "").translate(_FULL_WIDTH)
        for pattern in self._values:
            text = self._sub(pattern, None, text)
        text = self._sub(_VIN, "VIN", text)
        text = self._sub(_MOBILE, "电话", text)
        text = self._sub(_LANDLINE, "电话", text)
        text = self._sub(_PLATE, "车牌", text)
        text = self._sub(_ADDRESS, "地址", text)
        for pattern, kind, name in self._names:
            token = self._token(kind, name, name) if pattern.search(text) else ""
            if token:
                text = pattern.sub(token, text)
        return text

    def restore(self, text: str) -> str:
        """An answer with the tokens it repeats turned back into the originals (done locally)."""
        for token, original in self.tokens.items():
            text = text.replace(token, original)
        return text


def mask_identifiers(text: str) -> str:
    """``text`` as a viewer without the customers' identities reads it: every mobile number
    138****1234, every plate 粤B·***45, every VIN with its serial hidden and every street or estate
    address 【地址】, found by their shape (names have none: a name in the text stays; see
    docs/security.md)."""
    if not text:
        return text
    text = _ADDRESS.sub("【地址】", text)
    text = _VIN.sub(lambda m: mask_vin(_canon(m.group(0))), text)
    text = _MOBILE.sub(lambda m: mask_mobile(_canon(m.group(0))[-11:]), text)
    return _PLATE.sub(lambda m: mask_plate(_canon(m.group(0))), text)


def _canon(value: str) -> str:
    return re.sub(r"[\s\-·•.+]", "", value).upper()


def _kind_of(value: str) -> str:
    canonical = _canon(value)
    if canonical.isdigit():
        return "电话"
    if canonical and canonical[0] in PROVINCES:
        return "车牌"
    return "VIN"


def _longest_first(values: list[str]) -> list[str]:
    return sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)


def _surname(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[0]


def _given_name(name: str) -> str:
    """The given name of a Chinese full name when it has two characters or more (a single one
    is too common a character to mask wherever it stands)."""
    if not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return ""
    given = name[len(_surname(name)) :]
    return given if len(given) >= 2 else ""


def _with_title(surname: str) -> re.Pattern[str]:
    titles = "|".join(_HONORIFICS)
    return re.compile(rf"{re.escape(surname)}(?:{titles})|[老小]{re.escape(surname)}(?![\u4e00-\u9fff]{{2}})")
