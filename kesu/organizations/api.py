"""POST /api/v1/auth/token: username + password → bearer token; the bearer check of every call."""

from typing import Any

from django.contrib.auth import authenticate
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
    return {"token": ApiToken.issue(user)}  # type: ignore[arg-type]
