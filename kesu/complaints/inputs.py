"""What intake takes, written once for the services, the pages and the API.

``ComplaintDraft`` is the services' input; the API's request body (``ComplaintIn``) is made from
it by ``kesu.core.schemas.schema_of``. The choice fields are typed with the stable values of
``choices.py``: plain strings for mypy and the services (which check them and name the field),
``Literal`` types at run time, so the API's schema lists the allowed values (an enum in the
OpenAPI document) and answers 422 naming them.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, TypeAlias

from kesu.insights.choices import FaultArea

from .choices import Category, Channel, Demand, Emotion, Nature, Severity, Status

if TYPE_CHECKING:  # the choices are only known at run time; mypy sees plain strings
    ChannelValue: TypeAlias = str
    StatusValue: TypeAlias = str
    CategoryValue: TypeAlias = str
    NatureValue: TypeAlias = str
    SeverityValue: TypeAlias = str
    OptionalSeverity: TypeAlias = str
    OptionalChannel: TypeAlias = str
    OptionalFaultArea: TypeAlias = str
    EmotionValue: TypeAlias = str
    DemandValue: TypeAlias = str
else:  # enums in the OpenAPI schema, and 422s naming the allowed values
    ChannelValue = Literal[tuple(Channel.values)]
    StatusValue = Literal[tuple(Status.values)]
    CategoryValue = Literal[tuple(["", *Category.values])]
    NatureValue = Literal[tuple(["", *Nature.values])]
    SeverityValue = Literal[tuple(Severity.values)]
    OptionalSeverity = Literal[tuple(["", *Severity.values])]
    OptionalChannel = Literal[tuple(["", *Channel.values])]
    OptionalFaultArea = Literal[tuple(["", *FaultArea.values])]
    EmotionValue = Literal[tuple(["", *Emotion.values])]
    DemandValue = Literal[tuple(Demand.values)]


@dataclass(kw_only=True)
class ComplaintDraft:
    """What intake collects. Choice fields hold the stable string values ('' = not chosen)."""

    customer_id: int
    vehicle_id: int | None = None
    channel: ChannelValue
    verbatim: str
    facts: str = ""
    emotion: EmotionValue = ""
    category: CategoryValue = ""
    nature: NatureValue = ""
    severity: SeverityValue = Severity.NORMAL.value
    demands: list[DemandValue] = field(default_factory=list)
    department_id: int | None = None
    assignee_id: int | None = None
    received_at: datetime | None = None
