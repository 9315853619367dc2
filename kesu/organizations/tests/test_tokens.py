"""Bearer tokens: who a token stands for, loaded in one query with what the scope needs, kept in
Django's cache and forgotten the moment the user, the token or an organisation is saved."""

import time
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kesu.organizations.models import ApiToken, Organization, User
from kesu.organizations.scope import scope_for


def test_a_token_gives_its_user_with_organisation_and_dealer_in_one_query(demo):
    staff = demo.users["dept1"]  # a department's person: the scope needs the dealer above it
    raw = ApiToken.issue(staff)
    with CaptureQueriesContext(connection) as queries:
        user = ApiToken.objects.user_for(raw)
        assert user is not None and user.organization is not None
        dealer = user.organization.dealer
        scope = scope_for(user)
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as again:
        cached = ApiToken.objects.user_for(raw)
    assert len(again) == 0 and cached == user and cached.organization == user.organization
    expected = User.objects.get(pk=staff.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field.name
    assert user.organization == Organization.objects.get(pk=staff.organization_id)
    first_dealer = next(iter(demo.dealers.values()))
    assert staff.organization.kind == "department"
    assert dealer == first_dealer and scope.dealer_ids == {first_dealer.pk}
    assert user.check_password("test-pass-123")  # the password hash came through unchanged


def test_an_organisation_without_parent_and_a_user_without_organisation(demo):
    admin = demo.users["admin"]
    crc = demo.users["crc1"]
    admin_user = ApiToken.objects.user_for(ApiToken.issue(admin))
    assert admin_user is not None and admin_user.organization_id == admin.organization_id
    manufacturer_user = ApiToken.objects.user_for(ApiToken.issue(crc))
    assert manufacturer_user is not None and manufacturer_user.organization is not None
    assert manufacturer_user.organization.parent_id is None
    assert manufacturer_user.organization.parent is None


def test_expired_unknown_and_deactivated_tokens_give_nobody(demo):
    agent = demo.users["agent1"]
    raw = ApiToken.issue(agent)
    assert ApiToken.objects.user_for(raw) == agent  # now cached
    assert ApiToken.objects.user_for("not-a-token") is None
    token = ApiToken.objects.get(user=agent)
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert ApiToken.objects.user_for(raw) is None
    live = ApiToken.issue(agent)
    assert ApiToken.objects.user_for(live) == agent
    agent.is_active = False
    agent.save()
    assert ApiToken.objects.user_for(live) is None


def test_a_cached_token_still_expires_on_time(demo, settings):
    """The cache keeps the token's expiry with its user: a hit after it is refused."""
    settings.KESU_TOKEN_CACHE_SECONDS = 3600
    agent = demo.users["agent1"]
    raw = ApiToken.issue(agent)
    token = ApiToken.objects.get(user=agent)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(milliseconds=300))
    assert ApiToken.objects.user_for(raw) == agent  # cached until it expires, not for an hour
    time.sleep(0.4)
    assert ApiToken.objects.user_for(raw) is None


def test_saving_the_user_or_moving_an_organisation_is_seen_on_the_next_lookup(demo):
    agent = demo.users["agent1"]
    raw = ApiToken.issue(agent)
    assert ApiToken.objects.user_for(raw).role == agent.role  # type: ignore[union-attr]
    other = demo.users["agent2"].organization
    agent.role, agent.organization = "service_manager", other
    agent.save()
    user = ApiToken.objects.user_for(raw)
    assert user is not None and user.role == "service_manager" and user.organization == other
    region_north = demo.regions["R-N"]
    assert other is not None
    other.parent = region_north
    other.save()
    user = ApiToken.objects.user_for(raw)
    assert user is not None and user.organization is not None
    assert user.organization.parent_id == region_north.pk


def test_without_the_cache_every_lookup_reads_the_rows_as_they_are(demo, settings):
    """KESU_TOKEN_CACHE_SECONDS=0: even a queryset update (no signal) is seen at once."""
    settings.KESU_TOKEN_CACHE_SECONDS = 0
    agent = demo.users["agent1"]
    raw = ApiToken.issue(agent)
    assert ApiToken.objects.user_for(raw).role == agent.role  # type: ignore[union-attr]
    other = demo.users["agent2"].organization
    User.objects.filter(pk=agent.pk).update(role="service_manager", organization=other)
    user = ApiToken.objects.user_for(raw)
    assert user is not None and user.role == "service_manager" and user.organization == other
    ApiToken.objects.filter(user=agent).update(expires_at=timezone.now())
    assert ApiToken.objects.user_for(raw) is None


def test_a_login_does_not_forget_the_cached_tokens(demo):
    """Logging in saves only last_login: the cached lookup stays, and costs no query to keep."""
    agent = demo.users["agent1"]
    raw = ApiToken.issue(agent)
    assert ApiToken.objects.user_for(raw) == agent
    with CaptureQueriesContext(connection) as queries:
        agent.last_login = timezone.now()
        agent.save(update_fields=["last_login"])
        assert ApiToken.objects.user_for(raw) == agent
    assert len(queries) == 1  # the UPDATE itself; no token hashes read, no lookup query
