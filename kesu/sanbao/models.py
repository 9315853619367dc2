"""A vehicle's repairs (the facts of a 三包 check) and what the sale said (price, delivery, n)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.customers.models import Vehicle
from kesu.organizations.models import Organization, User

from .choices import System


class RepairQuerySet(models.QuerySet["Repair"]):
    def visible_to(self, user: User) -> "RepairQuerySet":
        """A repair is seen by whoever sees its vehicle (the owner's dealer, escalation)."""
        return self.filter(vehicle__in=Vehicle.objects.visible_to(user).values("pk"))


class Repair(models.Model):
    """One workshop visit of the vehicle: when, where, what failed, what was replaced."""

    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.CASCADE, related_name="repairs"
    )
    dealer = models.ForeignKey(
        Organization, verbose_name=_("repaired by"), on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date_in = models.DateField(_("date in"))
    date_out = models.DateField(_("date out"), null=True, blank=True)
    # 修理时间 as the regulation counts it: from the signed work order to the call to collect,
    # waiting for parts included, a visit under 24 hours one day; without the transport of
    # VIN-made parts or batteries and the road time of a rescue (第二十四条第三款)
    days_in_workshop = models.PositiveSmallIntegerField(_("days in the workshop"), null=True, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage at intake (km)"), null=True, blank=True)
    system = models.CharField(_("system"), max_length=20, choices=System.choices)
    problem = models.CharField(_("problem"), max_length=100)
    quality_problem = models.BooleanField(_("quality problem"), default=True)
    serious_safety_fault = models.BooleanField(_("serious safety fault"), default=False)
    system_failure = models.BooleanField(_("failure, crack, leak or fire"), default=False)
    assembly_replaced = models.BooleanField(_("whole assembly replaced"), default=False)
    parts = models.JSONField(_("parts replaced"), default=list, blank=True)  # [{"name": …, "main": bool}]
    fixed = models.BooleanField(_("fault eliminated"), default=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RepairQuerySet.as_manager()

    class Meta:
        verbose_name = _("repair")
        verbose_name_plural = _("repairs")
        ordering = ["date_in", "pk"]
        indexes = [models.Index(fields=["vehicle", "date_in"], name="repair_vehicle_date")]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.date_in} {self.system}"

    @property
    def main_parts(self) -> list[str]:
        return [str(p["name"]) for p in self.parts if p.get("main")]

    @property
    def part_names(self) -> list[str]:
        return [str(p["name"]) for p in self.parts]


class VehicleSale(models.Model):
    """What the sale said, for the 三包 check: 车价款, the delivery day when it differs from the
    invoice's, and the 使用补偿系数 n printed on the 三包凭证."""

    vehicle = models.OneToOneField(Vehicle, on_delete=models.CASCADE, related_name="sale")
    price = models.DecimalField(_("price (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    usage_rate = models.DecimalField(
        _("usage compensation rate n"), max_digits=6, decimal_places=5, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.price}"
