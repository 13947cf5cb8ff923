"""The one error envelope of the Admin API, and the exception routes raise to produce it."""

from __future__ import annotations

from starlette.responses import JSONResponse

_DEFAULT_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_denied",
    404: "invalid_request_error",
    405: "invalid_request_error",
    429: "rate_limit_exceeded",
    501: "not_implemented",
}


def error_body(
    message: str,
    type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, dict[str, str | None]]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def error_response(
    status: int,
    message: str,
    type: str | None = None,
    param: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """`{"error": {message, type, param, code}}` with `status`; `type` defaults by status."""
    if type is None:
        type = _DEFAULT_TYPES.get(
            status, "server_error" if status >= 500 else "invalid_request_error"
        )
    return JSONResponse(error_body(message, type, param, code), status_code=status, headers=headers)


class ApiProblem(Exception):
    """Raised by handlers and store operations; the app turns it into the envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.type = type

    def response(self) -> JSONResponse:
        return error_response(self.status, self.message, self.type, self.param, self.code)


def bad_request(message: str, param: str | None = None, code: str | None = None) -> ApiProblem:
    return ApiProblem(400, message, param=param, code=code)


def not_found(what: str, ident: str, param: str | None = None) -> ApiProblem:
    return ApiProblem(404, f"No {what} found with id '{ident}'.", param=param, code="not_found")
