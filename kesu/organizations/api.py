"""POST /api/v1/auth/token: username + password → bearer token; the bearer check of every call."""

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from kesu.core.errors import DomainError

from .models import ApiToken

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` → the token's active user (else 401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
            request.api_token = token  # type: ignore[attr-defined]  # for POST /auth/token/revoke
        return user


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class BadCredentials(DomainError):
    status = 401
    code = "bad_credentials"


@router.post("/token", auth=None, response=TokenOut)
def issue_token(request: HttpRequest, payload: Credentials) -> dict[str, str]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise BadCredentials("Wrong username or password.")
    # a token is a login: last_login, and the login throttle's failure count reset (django-axes)
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"token": ApiToken.issue(user)}  # type: ignore[arg-type]


class RevokedOut(Schema):
    revoked: int


@router.post("/token/revoke", response=RevokedOut)
def revoke_token(request: HttpRequest, all: bool = False) -> dict[str, int]:  # noqa: A002
    """The token sent with this call stops working at once (``?all=true``: every token of the
    caller). Logging out of the pages and a new password revoke them all as well."""
    if all:
        return {"revoked": ApiToken.revoke_all(request.user)}  # type: ignore[arg-type]
    return {"revoked": int(ApiToken.revoke(request.api_token))}  # type: ignore[attr-defined]
