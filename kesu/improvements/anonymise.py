"""Masking a case's texts for training: no customer's name, phone, plate or VIN survives.

Two nets: patterns (any mobile or landline number, any plate, any VIN-shaped run, a surname
before 先生/女士/小姐/师傅/总) and the complaint's own values (the customer's name, mobile,
the vehicle's plate and VIN, also when written with spaces or in lower case)."""

import re
from collections.abc import Iterable

from kesu.core.redact import Redactor

NAME_MASK = "某客户"
PHONE_MASK = "[电话]"
PLATE_MASK = "[车牌]"
VIN_MASK = "[VIN]"

# the shared masking (core.redact) numbers what it finds; a case for training says only what it was
_MARKS = (
    (re.compile(r"【电话\d+】"), PHONE_MASK),
    (re.compile(r"【车牌\d+】"), PLATE_MASK),
    (re.compile(r"【VIN\d+】"), VIN_MASK),
    (re.compile(r"【客户】|【人员\d+】"), NAME_MASK),
)
# beyond the shared masking, a case drops any number of 7–8 digits (a landline without its area
# code), any surname before a title and any name after a label, known to the complaint or not
_LOCAL_NUMBER = re.compile(r"(?<!\d)\d{7,8}(?!\d)")
_TITLED = re.compile(r"[\u4e00-\u9fff](先生|女士|小姐|师傅)")
_LABELLED = re.compile(r"(客户|车主|姓名|联系人)[:：]\s*[\u4e00-\u9fff·]{2,4}")


def anonymise(
    text: str,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    plates: Iterable[str] = (),
    vins: Iterable[str] = (),
) -> str:
    """``text`` with names, phones, plates and VINs replaced by neutral marks."""
    redact = Redactor(customer_names=list(names), values=[*phones, *plates, *vins])
    text = redact(text)
    for token, mark in _MARKS:
        text = token.sub(mark, text)
    text = _LOCAL_NUMBER.sub(PHONE_MASK, text)
    text = _LABELLED.sub(lambda m: f"{m.group(1)}：{NAME_MASK}", text)
    return _TITLED.sub(NAME_MASK, text)
