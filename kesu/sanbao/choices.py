"""Stable string values of the 三包 app: the vehicle's systems as the regulation names them, the
rights it gives, and a right's verdict."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class System(models.TextChoices):
    """Where a repair's fault was: the systems 家用汽车产品修理、更换、退货责任规定 (2021) names in
    its articles on exchange and return (第二十二条 to 第二十四条), plus the rest."""

    STEERING = "steering", _("Steering system")
    BRAKES = "brakes", _("Brake system")
    BODY = "body", _("Body")
    FUEL = "fuel", _("Fuel system")
    ENGINE = "engine", _("Engine")
    TRANSMISSION = "transmission", _("Transmission")
    TRACTION_BATTERY = "traction_battery", _("Traction battery")
    DRIVE_MOTOR = "drive_motor", _("Drive motor")
    SUSPENSION = "suspension", _("Suspension system")
    DRIVETRAIN = "drivetrain", _("Drivetrain")
    EMISSION = "emission", _("Emission control")
    ELECTRICAL = "electrical", _("Electrical system")
    OTHER = "other", _("Other")


# 发动机、变速器、动力蓄电池、行驶驱动电机: the four assemblies (总成) of 第二十二条, 第二十三条第二款
# and 第二十四条第一款第二项
MAJOR_ASSEMBLIES = frozenset(
    {System.ENGINE, System.TRANSMISSION, System.TRACTION_BATTERY, System.DRIVE_MOTOR}
)
# 第二十三条第一款: 转向系统失效、制动系统失效、车身开裂、燃油泄漏或者动力蓄电池起火
SEVERE_FAILURE_SYSTEMS = frozenset(
    {System.STEERING, System.BRAKES, System.BODY, System.FUEL, System.TRACTION_BATTERY}
)
# 第二十四条第一款第三项: the systems whose same main part replaced twice counts
MAIN_PART_SYSTEMS = MAJOR_ASSEMBLIES | frozenset(
    {System.STEERING, System.BRAKES, System.SUSPENSION, System.DRIVETRAIN, System.EMISSION, System.BODY}
)


class Right(models.TextChoices):
    REPAIR = "repair", _("Free repair")
    REPLACE_ASSEMBLY = "replace_assembly", _("Free replacement of the engine, transmission, battery or motor")
    EXCHANGE = "exchange", _("Exchange of the car")
    RETURN = "return", _("Return of the car")
    COURTESY_CAR = "courtesy_car", _("Courtesy car or travel compensation")
    USAGE_COMPENSATION = "usage_compensation", _("Reasonable-use compensation owed by the customer")


class Verdict(models.TextChoices):
    YES = "yes", _("Applies")
    NO = "no", _("Does not apply")
    UNKNOWN = "unknown", _("Cannot tell yet")
