"""Customer rules as the intake desk meets them: a customer with their car, every wrong field named
at once (and nothing saved), the dealer a customer belongs to, the scoped search while the agent
types, and the full number only for roles that call customers — each reveal logged."""

from datetime import date, timedelta

import pytest

from kesu.complaints.tests.factories import VALID_VIN, make_customer
from kesu.core.errors import Forbidden, InvalidInput, NotFound
from kesu.core.validators import with_check_digit
from kesu.customers import selectors, services
from kesu.customers.models import Customer, PhoneReveal, Vehicle

VIN = with_check_digit(VALID_VIN)


def register(demo, username="agent1", **overrides):  # type: ignore[no-untyped-def]
    values = {
        "name": "李女士",
        "mobile": "139 0013 8000",
        "vehicle": services.VehicleInput(plate="粤b·d12345", vin=VIN.lower(), model_name=" 轩逸 2023款 "),
        **overrides,
    }
    return services.create_customer(actor=demo.users[username], **values)


def test_a_customer_is_registered_with_the_car_in_canonical_form_at_the_agents_dealer(demo):
    customer = register(demo, notes="  喜欢电话联系  ", is_vip=True)
    customer.refresh_from_db()
    assert customer.dealer == demo.dealers["D1"]
    assert customer.mobile == "13900138000" and customer.mobile_masked == "139****8000"
    assert customer.notes == "喜欢电话联系" and customer.is_vip
    vehicle = customer.vehicles.get()
    assert (vehicle.plate, vehicle.vin, vehicle.model_name) == ("粤BD12345", VIN, "轩逸 2023款")


def test_every_wrong_field_is_named_at_once_and_nothing_is_saved(demo):
    with pytest.raises(InvalidInput) as raised:
        register(
            demo,
            name="  ",
            mobile="1234567",
            vehicle=services.VehicleInput(plate="粤I12345", vin=VIN[:8] + "X" + VIN[9:], mileage_km=-5),
        )
    fields = raised.value.fields
    assert set(fields) == {"name", "mobile", "vehicle.plate", "vehicle.vin", "vehicle.mileage_km"}
    assert "11" in fields["mobile"]  # a mainland number has 11 digits
    assert "I" in fields["vehicle.plate"] and "O" in fields["vehicle.plate"]
    assert f"校验位（第9位）应为 {VIN[8]}" in fields["vehicle.vin"]  # tells the right check digit
    assert not Customer.objects.exists() and not Vehicle.objects.exists()


@pytest.mark.parametrize(
    ("vehicle", "field"),
    [
        (services.VehicleInput(model_name="轩逸"), "vehicle.plate"),  # neither plate nor VIN
        (services.VehicleInput(plate="粤A1234"), "vehicle.plate"),  # 6 characters
        (services.VehicleInput(vin="LGBH52E05KY12345"), "vehicle.vin"),  # 16 characters
        (services.VehicleInput(vin=VIN[:-1] + "O"), "vehicle.vin"),  # O is never used
        (
            services.VehicleInput(plate="粤A12345", purchase_date=date.today() + timedelta(days=1)),
            "vehicle.purchase_date",
        ),
        (
            services.VehicleInput(
                plate="粤A12345", purchase_date=date(2023, 5, 1), warranty_end=date(2023, 4, 30)
            ),
            "vehicle.warranty_end",
        ),
    ],
)
def test_a_wrong_vehicle_field_is_named(demo, vehicle, field):
    with pytest.raises(InvalidInput) as raised:
        register(demo, vehicle=vehicle)
    assert list(raised.value.fields) == [field]
    assert raised.value.fields[field]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("mobile", ["", "1381234123", "138123412345", "12812341234", "138-1234-12ab"])
def test_a_wrong_mobile_is_named(demo, mobile):
    with pytest.raises(InvalidInput) as raised:
        register(demo, mobile=mobile)
    assert list(raised.value.fields) == ["mobile"]


@pytest.mark.parametrize("mobile", ["+86 138 1234 1234", "0086-13812341234", "１３８１２３４１２３４"])
def test_a_mobile_written_with_prefix_spaces_or_full_width_digits_is_stored_as_11_digits(demo, mobile):
    assert register(demo, mobile=mobile).mobile == "13812341234"


def test_the_dealer_is_the_agents_own_or_one_in_scope(demo):
    with pytest.raises(InvalidInput) as other:
        register(demo, dealer_id=demo.dealers["D2"].pk)
    assert list(other.value.fields) == ["dealer"]
    with pytest.raises(InvalidInput) as unsaid:
        register(demo, "admin")  # the admin belongs to no dealer: it must say which
    assert list(unsaid.value.fields) == ["dealer"]
    with pytest.raises(InvalidInput) as department:
        register(demo, "admin", dealer_id=demo.departments[("D1", "SVC")].pk)
    assert list(department.value.fields) == ["dealer"]
    assert not Customer.objects.exists()
    assert register(demo, "admin", dealer_id=demo.dealers["D3"].pk).dealer == demo.dealers["D3"]


@pytest.mark.parametrize("username", ["dept1", "region1", "quality1", "pr1"])
def test_roles_that_do_not_register_customers_are_refused(demo, username):
    with pytest.raises(Forbidden):
        register(demo, username, dealer_id=demo.dealers["D1"].pk)
    assert not Customer.objects.exists()


def test_another_dealers_customer_does_not_exist_for_its_agents(demo):
    customer = make_customer(demo, 1)
    agent2 = demo.users["agent2"]
    with pytest.raises(NotFound):
        selectors.get_customer(actor=agent2, customer_id=customer.pk)
    with pytest.raises(NotFound):
        services.add_vehicle(
            actor=agent2, customer_id=customer.pk, data=services.VehicleInput(plate="粤B11111")
        )
    with pytest.raises(NotFound):
        services.reveal_mobile(actor=agent2, customer_id=customer.pk)
    assert services.find_customers(actor=agent2, term="1234") == []
    assert services.find_customers(actor=agent2, term="粤A") == []
    assert customer.vehicles.count() == 1 and not PhoneReveal.objects.exists()
    assert selectors.get_customer(actor=demo.users["region1"], customer_id=customer.pk) == customer
    with pytest.raises(NotFound):
        selectors.get_customer(actor=demo.users["region2"], customer_id=customer.pk)


def test_search_while_typing_finds_by_name_phone_plate_and_vin(demo):
    wang = make_customer(
        demo, 1, mobile="13811112222", plate="粤A11111", vin=with_check_digit("LSVAB2BM0KN000001")
    )
    li = make_customer(
        demo, 1, mobile="13933334444", plate="粤B22222", vin=with_check_digit("LSVAB2BM0KN000002")
    )
    Customer.objects.filter(pk=li.pk).update(name="李女士")
    agent = demo.users["agent1"]

    def found(term: str) -> set[int]:
        return {c.pk for c in services.find_customers(actor=agent, term=term)}

    assert found("138") == {wang.pk}  # the start of the number
    assert found("4444") == {li.pk}  # the last four digits, as customers often give them
    assert found("粤a 11") == {wang.pk}  # plate prefix, any case, spaces ignored
    assert found("000002") == {li.pk}  # the end of the VIN (printed on the windscreen)
    assert found("李女") == {li.pk}
    assert found("张先") == {wang.pk}
    assert found("粤") == found("1") == set()  # one character: too many matches to be useful
    assert found("99999999") == set()


def test_another_vehicle_is_added_in_canonical_form_and_a_wrong_one_is_named(demo):
    customer = make_customer(demo, 1)
    vehicle = services.add_vehicle(
        actor=demo.users["manager1"],
        customer_id=customer.pk,
        data=services.VehicleInput(plate="京a·12345", mileage_km=12000),
    )
    assert vehicle.plate == "京A12345" and vehicle.customer_id == customer.pk
    assert {v.plate for v in customer.vehicles.all()} == {"粤A12345", "京A12345"}
    with pytest.raises(InvalidInput) as raised:
        services.add_vehicle(
            actor=demo.users["agent1"], customer_id=customer.pk, data=services.VehicleInput(vin="123")
        )
    assert list(raised.value.fields) == ["vin"]  # no "vehicle." prefix: the vehicle is the form
    with pytest.raises(Forbidden):
        services.add_vehicle(
            actor=demo.users["dept1"], customer_id=customer.pk, data=services.VehicleInput(plate="京A54321")
        )
    assert customer.vehicles.count() == 2


def test_every_reveal_of_the_full_number_is_logged_with_who_and_how(demo):
    customer = make_customer(demo, 1, mobile="13812341234")
    assert services.reveal_mobile(actor=demo.users["agent1"], customer_id=customer.pk) == "13812341234"
    assert services.reveal_mobile(actor=demo.users["gm1"], customer_id=customer.pk, channel="api") == (
        "13812341234"
    )
    log = [(r.user.username, r.channel) for r in PhoneReveal.objects.filter(customer=customer)]
    assert sorted(log) == [("agent1", "web"), ("gm1", "api")]
    with pytest.raises(Forbidden):  # sees the customer, but does not call customers
        services.reveal_mobile(actor=demo.users["dept1"], customer_id=customer.pk)
    with pytest.raises(Forbidden):
        services.reveal_mobile(actor=demo.users["region1"], customer_id=customer.pk)
    assert PhoneReveal.objects.count() == 2
