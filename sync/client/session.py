"""An authenticated conversation with the server: access tokens fetched and refreshed with the device credential."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from sync.client.credentials import DeviceCredentials
from sync.client.transport import Transport, Unauthorised
from sync.errors import AuthFailed
from sync.protocol import TokenRequest, TokenResponse

ModelT = TypeVar("ModelT", bound=BaseModel)


class Session:
    """Sends protocol messages with a bearer token; a 401 refreshes the token once, a second 401 is AuthFailed."""

    def __init__(self, transport: Transport, credentials: DeviceCredentials, access_token: str | None = None) -> None:
        self.transport = transport
        self.credentials = credentials
        self._token = access_token

    def refresh_token(self) -> str:
        """A fresh access token from the device credential."""
        request = TokenRequest(device_id=self.credentials.device_id,
                               device_credential=self.credentials.device_credential)
        try:
            answer = self.transport.post("/v1/token", request, TokenResponse)
        except Unauthorised:
            raise AuthFailed("the server refused this device's credential") from None
        self._token = answer.access_token
        return self._token

    def post(self, path: str, message: BaseModel, answer: type[ModelT]) -> ModelT:
        """POST with the current token, refreshing it once when it has expired."""
        return self._with_token(lambda token: self.transport.post(path, message, answer, token))

    def get(self, path: str, answer: type[ModelT]) -> ModelT:
        """GET with the current token, refreshing it once when it has expired."""
        return self._with_token(lambda token: self.transport.get(path, answer, token))

    def _with_token(self, call: Callable[[str], ModelT]) -> ModelT:
        token = self._token or self.refresh_token()
        try:
            return call(token)
        except Unauthorised:
            token = self.refresh_token()
        try:
            return call(token)
        except Unauthorised:
            raise AuthFailed("the server refused a fresh access token") from None
