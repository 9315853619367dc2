"""Masking personal data out of free text before it leaves the installation.

Lists mask for people (138****1234, 张**, see ``validators.mask_mobile``); a text sent to an
outside service needs more: every phone number, plate and VIN found by its shape, and the names
the caller knows (the customer's, the staff's) wherever they stand — also when typed with spaces,
dashes or in lower case. Each value becomes a numbered token (【电话1】, 【车牌1】, 【VIN1】,
【客户】, 【人员1】); :meth:`Redactor.restore` puts the originals back into an answer locally.
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
                self._names.append((_with_title(name[0]), "客户", name))
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
    138****1234, every plate 粤B·***45 and every VIN with its serial hidden, found by their shape
    (names have none: a name in the text stays; see docs/security.md)."""
    if not text:
        return text
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


def _with_title(surname: str) -> re.Pattern[str]:
    titles = "|".join(_HONORIFICS)
    return re.compile(rf"{re.escape(surname)}(?:{titles})|[老小]{re.escape(surname)}(?![\u4e00-\u9fff]{{2}})")
