"""Insights tests: models are written to a temporary folder, never under the repository."""

from pathlib import Path
from typing import Any

import pytest

from kesu.complaints.tests.factories import make_complaint, make_customer
from kesu.core.validators import with_check_digit
from kesu.demo.builder import DemoOrg


@pytest.fixture(autouse=True)
def _models_in_tmp(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    settings.KESU_INSIGHTS_MODELS_DIR = str(folder)
    return folder


def vin(n: int) -> str:
    """A distinct valid VIN per n."""
    return with_check_digit(f"LGBH52E00KY{n:06d}")


def customer(demo: DemoOrg, dealer: int, n: int, model: str = "轩逸 2023款") -> Any:
    from kesu.customers import services as customer_services

    return customer_services.create_customer(
        actor=demo.users[f"agent{dealer}"],
        name="王先生",
        mobile=f"1391234{n:04d}",
        vehicle=customer_services.VehicleInput(plate=f"粤A{n:05d}"[:8], vin=vin(n), model_name=model),
    )


__all__ = ["customer", "make_complaint", "make_customer", "vin"]
