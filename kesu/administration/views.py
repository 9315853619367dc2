"""Administration pages: the organisation tree, one organisation (its units, people, hours and
group robots), one person (role, deactivation, password), the change log. Thin: every rule is in
services.py (and sla / notifications for hours and robots, through kesu.flows.dealer_setup)."""

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kesu import flows
from kesu.core.errors import DomainError
from kesu.customers.models import Erasure, PhoneReveal
from kesu.exports.models import ExportLog
from kesu.organizations.choices import OrgKind, Role
from kesu.organizations.models import Organization, User
from kesu.organizations.permissions import Capability, actor, administered_dealer_id, may_configure, page
from kesu.organizations.scope import user_dealer_id
from kesu.sla.forms import HoursForm, OverrideForm
from kesu.web.forms import apply_errors

from . import selectors, services
from .forms import OrganizationEditForm, OrganizationForm, PasswordForm, RobotForm, UserEditForm, UserForm

CHILD_KIND = {
    OrgKind.MANUFACTURER: OrgKind.REGION,
    OrgKind.REGION: OrgKind.DEALER,
    OrgKind.DEALER: OrgKind.DEPARTMENT,
}


def _role_choices(user: User) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Role.choices if services.may_grant(user, value)]


def _placeable(user: User) -> list[tuple[Any, str]]:
    """Where the actor may put people: active organisations in reach, by code."""
    inactive = selectors.inactive_org_ids()
    orgs = selectors.organizations_visible_to(user).exclude(pk__in=inactive).order_by("code")
    choices: list[tuple[Any, str]] = [("", "—")] if user.is_kesu_admin else []
    return choices + [
        (org.pk, f"{org.code} {org.name}") for org in orgs if services.may_place_users_in(user, org)
    ]


def _tree(orgs: list[Organization]) -> list[tuple[int, Organization]]:
    """(depth, organisation) in tree order, children by code."""
    by_parent: dict[int | None, list[Organization]] = {}
    known = {org.pk for org in orgs}
    for org in sorted(orgs, key=lambda o: o.code):
        parent = org.parent_id if org.parent_id in known else None
        by_parent.setdefault(parent, []).append(org)
    rows: list[tuple[int, Organization]] = []

    def walk(parent: int | None, depth: int) -> None:
        for org in by_parent.get(parent, []):
            rows.append((depth, org))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return rows


@page(Capability.ADMINISTER)
def index(request: HttpRequest) -> HttpResponse:
    """Administrators: the tree down to dealers; anyone else: their own dealer or region."""
    user = actor(request)
    if not user.is_kesu_admin:
        own = administered_dealer_id(user) or user.organization_id
        if own is None:
            return render(request, "web/forbidden.html", status=403)
        return redirect("administration:organization", organization_id=own)
    orgs = list(selectors.organizations_visible_to(user).exclude(kind=OrgKind.DEPARTMENT))
    inactive = selectors.inactive_org_ids()
    return render(
        request,
        "administration/index.html",
        {"rows": _tree(orgs), "inactive": inactive},
    )


def _child_form(data: Any = None) -> OrganizationForm:
    return OrganizationForm(data)


def _edit_form(user: User, org: Organization, data: Any = None) -> OrganizationEditForm:
    form = OrganizationEditForm(
        data, initial={"name": org.name, "phone": org.phone, "parent_id": org.parent_id}
    )
    parent_kind = services.PARENT_KIND[org.kind]
    if user.is_kesu_admin and parent_kind:
        parents = Organization.objects.filter(kind=parent_kind).exclude(pk__in=selectors.inactive_org_ids())
        form.fields["parent_id"].choices = [(p.pk, f"{p.code} {p.name}") for p in parents.order_by("code")]  # type: ignore[attr-defined]
    else:
        del form.fields["parent_id"]
    return form


@page(Capability.ADMINISTER)
def organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = actor(request)
    org = services.get_organization(actor=user, organization_id=organization_id)
    child_kind = CHILD_KIND.get(OrgKind(org.kind))
    manages = services.may_change(user) and services.manages_organization(user, org)
    may_add_child = child_kind is not None and (
        user.is_kesu_admin or (child_kind == OrgKind.DEPARTMENT and administered_dealer_id(user) == org.pk)
    )
    edit_form = _edit_form(user, org) if manages else None
    child_form = _child_form() if may_add_child else None
    status = 200
    form_name = request.POST.get("form", "")
    if request.method == "POST":
        try:
            if form_name == "edit":
                edit_form = _edit_form(user, org, request.POST)
                if edit_form.is_valid():
                    services.update_organization(
                        actor=user,
                        organization_id=org.pk,
                        changes=services.OrganizationChanges(**edit_form.cleaned_data),
                    )
                    messages.success(request, _("Saved."))
                    return redirect("administration:organization", organization_id=org.pk)
            elif form_name == "child" and child_kind is not None:
                child_form = _child_form(request.POST)
                if child_form.is_valid():
                    child = services.create_organization(
                        actor=user,
                        data=services.OrganizationInput(
                            kind=child_kind, parent_id=org.pk, **child_form.cleaned_data
                        ),
                    )
                    messages.success(request, _("%(name)s added.") % {"name": child.name})
                    return redirect("administration:organization", organization_id=child.pk)
            elif form_name in ("deactivate", "reactivate"):
                services.update_organization(
                    actor=user,
                    organization_id=org.pk,
                    changes=services.OrganizationChanges(is_active=form_name == "reactivate"),
                )
                messages.success(request, _("Saved."))
                return redirect("administration:organization", organization_id=org.pk)
        except DomainError as exc:
            if exc.status in (403, 404) and not exc.fields:
                raise
            target = child_form if form_name == "child" else edit_form
            if target is not None:
                apply_errors(target, exc)
            else:
                messages.error(request, exc.message)
        status = 422
    inactive = selectors.inactive_org_ids()
    children = list(Organization.objects.filter(parent=org).order_by("code"))
    # a dealer's page lists its departments' people too (the desk lives in 客服部)
    members = Q(organization=org) | (
        Q(organization__parent=org) if org.kind == OrgKind.DEALER else Q(pk__in=[])
    )
    people = list(
        User.objects.filter(members)
        .select_related("organization")
        .order_by("-is_active", "organization__code", "username")
    )
    return render(
        request,
        "administration/organization.html",
        {
            "org": org,
            "is_active": org.pk not in inactive,
            "inactive": inactive,
            "children": children,
            "people": people,
            "child_kind": OrgKind(child_kind).label if child_kind else "",
            "edit_form": edit_form,
            "child_form": child_form,
            "may_add_people": services.may_change(user) and services.may_place_users_in(user, org),
            "manages": manages,
            "may_configure": may_configure(user, org),
            "has_calendar": org.kind != OrgKind.DEPARTMENT,
            "breadcrumbs": _breadcrumbs(user, org),
        },
        status=status,
    )


def _breadcrumbs(user: User, org: Organization) -> list[Organization]:
    visible = set(selectors.organizations_visible_to(user).values_list("pk", flat=True))
    chain: list[Organization] = []
    current = org.parent
    while current is not None and current.pk in visible and len(chain) < 5:
        chain.insert(0, current)
        current = current.parent
    return chain


@page(Capability.ADMINISTER)
def user_new(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    services.require_view(user)
    if not services.may_change(user):
        return render(request, "web/forbidden.html", status=403)
    initial_org = request.GET.get("organization") or request.POST.get("organization_id")
    form = UserForm(request.POST or None, initial={"organization_id": initial_org})
    form.fields["role"].choices = _role_choices(user)  # type: ignore[attr-defined]
    form.fields["organization_id"].choices = _placeable(user)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.create_user(actor=user, data=services.UserInput(**form.cleaned_data))
            except DomainError as exc:
                if exc.status in (403, 404) and not exc.fields:
                    raise
                apply_errors(form, exc)
            else:
                # the password is shown on this answer only: no redirect, nothing stored in clear
                return render(
                    request,
                    "administration/user_created.html",
                    {"person": made.user, "password": made.password},
                    status=201,
                )
        status = 422
    return render(request, "administration/user_new.html", {"form": form}, status=status)


@page(Capability.ADMINISTER)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = actor(request)
    person = services.get_user(actor=user, user_id=user_id)
    manages = services.may_change(user) and services.manages_user(user, person)
    initial = {
        "display_name": person.display_name,
        "role": person.role,
        "organization_id": person.organization_id,
        "mobile": person.mobile,
        "agent_number": person.agent_number,
        "email": person.email,
    }

    def edit_form(data: Any = None) -> UserEditForm:
        form = UserEditForm(data, initial=initial)
        roles = _role_choices(user)
        if person.role not in dict(roles):
            roles = [(person.role, person.get_role_display()), *roles]
        form.fields["role"].choices = roles  # type: ignore[attr-defined]
        orgs = _placeable(user)
        if person.organization_id not in dict(orgs):
            orgs = [(person.organization_id or "", str(person.organization or "—")), *orgs]
        form.fields["organization_id"].choices = orgs  # type: ignore[attr-defined]
        return form

    form = edit_form() if manages else None
    password_form = PasswordForm() if manages else None
    new_password = ""
    status = 200
    form_name = request.POST.get("form", "")
    if request.method == "POST":
        try:
            if form_name == "edit":
                form = edit_form(request.POST)
                if form.is_valid():
                    services.update_user(
                        actor=user, user_id=person.pk, changes=services.UserChanges(**form.cleaned_data)
                    )
                    messages.success(request, _("Saved."))
                    return redirect("administration:user", user_id=person.pk)
            elif form_name == "password":
                password_form = PasswordForm(request.POST)
                if password_form.is_valid():
                    made = services.reset_password(
                        actor=user, user_id=person.pk, password=password_form.cleaned_data["password"]
                    )
                    new_password = made.password
                    messages.success(request, _("Password reset; their sessions and API tokens have ended."))
                    password_form = PasswordForm()
                    person.refresh_from_db()
                    if not new_password:
                        return redirect("administration:user", user_id=person.pk)
            elif form_name in ("deactivate", "reactivate"):
                services.update_user(
                    actor=user,
                    user_id=person.pk,
                    changes=services.UserChanges(is_active=form_name == "reactivate"),
                )
                messages.success(request, _("Saved."))
                return redirect("administration:user", user_id=person.pk)
        except DomainError as exc:
            if exc.status in (403, 404) and not exc.fields:
                raise
            target = password_form if form_name == "password" else form
            if target is not None:
                apply_errors(target, exc)
            else:
                messages.error(request, exc.message)
        status = 200 if new_password else 422
    return render(
        request,
        "administration/user.html",
        {
            "person": person,
            "form": form,
            "password_form": password_form,
            "new_password": new_password,
            "manages": manages,
            "is_self": person.pk == user.pk,
        },
        status=status,
    )


@page(Capability.ADMINISTER)
def hours(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = actor(request)
    org = services.get_organization(actor=user, organization_id=organization_id)
    editable = may_configure(user, org) and org.kind != OrgKind.DEPARTMENT
    hours_form = HoursForm(initial={"organization_id": org.pk, **selectors.hours_text(org.pk)})
    override_form = OverrideForm()
    del override_form.fields["organization_id"]
    status = 200
    form_name = request.POST.get("form", "")
    if request.method == "POST":
        try:
            if form_name == "hours":
                hours_form = HoursForm(request.POST)
                if hours_form.is_valid():
                    days = {k: v for k, v in hours_form.cleaned_data.items() if k != "organization_id"}
                    flows.dealer_setup.set_business_hours(actor=user, organization_id=org.pk, days=days)
                    messages.success(request, _("Business hours saved."))
                    return redirect("administration:hours", organization_id=org.pk)
            elif form_name == "override":
                override_form = OverrideForm(request.POST)
                del override_form.fields["organization_id"]
                if override_form.is_valid():
                    data = override_form.cleaned_data
                    flows.dealer_setup.add_override(
                        actor=user,
                        organization_id=org.pk,
                        day=data["date"],
                        is_open=data["is_open"],
                        opens=data["opens"],
                        closes=data["closes"],
                        note=data["note"],
                    )
                    messages.success(request, _("Date saved."))
                    return redirect("administration:hours", organization_id=org.pk)
            elif form_name == "remove-override":
                try:
                    override_id = int(request.POST.get("override_id", ""))
                except ValueError:
                    override_id = 0
                flows.dealer_setup.remove_override(
                    actor=user, organization_id=org.pk, override_id=override_id
                )
                messages.success(request, _("Date removed."))
                return redirect("administration:hours", organization_id=org.pk)
        except DomainError as exc:
            if exc.status in (403, 404) and not exc.fields:
                raise
            apply_errors(override_form if form_name == "override" else hours_form, exc)
        status = 422
    return render(
        request,
        "administration/hours.html",
        {
            "org": org,
            "editable": editable,
            "hours_form": hours_form,
            "override_form": override_form,
            "overrides": selectors.overrides_of(org.pk),
        },
        status=status,
    )


@page(Capability.ADMINISTER)
def robots(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = actor(request)
    org = services.get_organization(actor=user, organization_id=organization_id)
    editable = may_configure(user, org)
    form = RobotForm()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "add":
                form = RobotForm(request.POST)
                if form.is_valid():
                    flows.dealer_setup.add_robot(actor=user, organization_id=org.pk, **form.cleaned_data)
                    messages.success(request, _("Group robot added."))
                    return redirect("administration:robots", organization_id=org.pk)
            elif request.POST.get("form") in ("on", "off"):
                try:
                    robot_id = int(request.POST.get("robot_id", ""))
                except ValueError:
                    robot_id = 0
                if not selectors.robots_of(org.pk).filter(pk=robot_id).exists():
                    robot_id = 0
                flows.dealer_setup.set_robot_active(
                    actor=user, robot_id=robot_id, is_active=request.POST["form"] == "on"
                )
                messages.success(request, _("Saved."))
                return redirect("administration:robots", organization_id=org.pk)
        except DomainError as exc:
            if exc.status in (403, 404) and not exc.fields:
                raise
            apply_errors(form, exc)
        status = 422
    return render(
        request,
        "administration/robots.html",
        {"org": org, "editable": editable, "form": form, "robots": selectors.robots_of(org.pk)},
        status=status,
    )


@page(Capability.ADMINISTER)
def log(request: HttpRequest) -> HttpResponse:
    entries = services.log_entries(actor=actor(request))
    return render(request, "administration/log.html", {"entries": entries})


@page(Capability.VIEW_PRIVACY_LOG)
def privacy(request: HttpRequest) -> HttpResponse:
    """PIPL: who saw a full number, who exported what, whose data was erased — the dealer's for
    its general manager, everything for administrators. Customers by id only."""
    user = actor(request)
    reveals = PhoneReveal.objects.select_related("user").order_by("-at")
    erasures = Erasure.objects.select_related("user").order_by("-at")
    if not user.is_kesu_admin:
        dealer_id = user_dealer_id(user)
        reveals = reveals.filter(customer__dealer_id=dealer_id)
        erasures = erasures.filter(dealer_id=dealer_id)
    context = {
        "reveals": reveals[:200],
        "exports": ExportLog.objects.visible_to(user).select_related("user").order_by("-pk")[:200],
        "erasures": erasures[:200],
    }
    return render(request, "administration/privacy.html", context)
