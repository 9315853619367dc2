"""Masking a case's texts for training: no customer's name, phone, plate or VIN survives.

Two nets: patterns (any mobile or landline number, any plate, any VIN-shaped run, a surname
before 先生/女士/小姐/师傅/总) and the complaint's own values (the customer's name, mobile,
the vehicle's plate and VIN, also when written with spaces or in lower case)."""

import re
from collections.abc import Iterable

from kesu.core.validators import PROVINCES

NAME_MASK = "某客户"
PHONE_MASK = "[电话]"
PLATE_MASK = "[车牌]"
VIN_MASK = "[VIN]"

_SEP = r"[\s\-]?"
_MOBILE = re.compile(rf"(?<!\d)1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:0\d{2,3}[\s\-]?)?\d{7,8}(?!\d)")
_PLATE = re.compile(rf"[{PROVINCES}]\s?[A-Za-z][\s·]?[A-Za-z0-9]{{4,6}}[挂学警港澳领]?")
_VIN = re.compile(r"(?<![A-Za-z0-9])[A-HJ-NPR-Za-hj-npr-z0-9]{17}(?![A-Za-z0-9])")
# 朱先生, 宋女士, 王小姐, 李师傅: the surname goes with the title
_TITLED = re.compile(r"[\u4e00-\u9fff](先生|女士|小姐|师傅)")
_LABELLED = re.compile(r"(客户|车主|姓名|联系人)[:：]\s*[\u4e00-\u9fff·]{2,4}")


def _loose(value: str) -> re.Pattern[str]:
    """The value with optional spaces or dashes between its characters, any case."""
    return re.compile(r"[\s\-]?".join(re.escape(ch) for ch in value), re.IGNORECASE)


def anonymise(
    text: str,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    plates: Iterable[str] = (),
    vins: Iterable[str] = (),
) -> str:
    """``text`` with names, phones, plates and VINs replaced by neutral marks."""
    for values, mask in ((vins, VIN_MASK), (plates, PLATE_MASK), (phones, PHONE_MASK)):
        for value in sorted({v for v in values if v and len(v) >= 4}, key=len, reverse=True):
            text = _loose(value).sub(mask, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, NAME_MASK)
        if len(name) >= 2 and "\u4e00" <= name[0] <= "\u9fff":  # 张三 is also 张先生
            text = re.sub(rf"{re.escape(name[0])}(先生|女士|小姐|师傅|总)", NAME_MASK, text)
    text = _VIN.sub(lambda m: VIN_MASK if re.search(r"\d", m.group()) else m.group(), text)
    text = _PLATE.sub(PLATE_MASK, text)
    text = _MOBILE.sub(PHONE_MASK, text)
    text = _LANDLINE.sub(PHONE_MASK, text)
    text = _LABELLED.sub(lambda m: f"{m.group(1)}：{NAME_MASK}", text)
    text = _TITLED.sub(NAME_MASK, text)
    return text
