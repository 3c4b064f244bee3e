"""The one exception hierarchy of renderbus_dcc.

Every error a user can meet derives from :class:`RenderbusError` and says what is wrong and
what to do (``hint``). No exception text ever contains the access key.
"""

from typing import Any, Dict, Optional, Type

from renderbus_dcc.constants import ErrorCode
from renderbus_dcc.i18n import N_, _

__all__ = [
    "RenderbusError",
    "ConfigError",
    "CredentialsMissing",
    "TransportError",
    "OutcomeUnknown",
    "outcome_unknown",
    "HTTPStatusError",
    "BadResponseError",
    "APIError",
    "FailError",
    "NeedRedirectError",
    "ForbiddenError",
    "NotFoundError",
    "NoMoreRecordError",
    "InternalServerError",
    "ParameterInvalidError",
    "ParameterMissingError",
    "NeedUserLoginError",
    "IllegalProtocolError",
    "ValidateCodeError",
    "InsufficientPermissionsError",
    "ValidateCommonCodeError",
    "ValidateSendCodeError",
    "UserAreaError",
    "SignatureExpiredError",
    "SignatureInvalidError",
    "api_error_for",
    "FrameSpecError",
    "SceneError",
    "EnvironmentChoiceError",
    "ValidationFailed",
    "SubmissionError",
    "TransferError",
    "Cancelled",
    "HostError",
    "InstallError",
]


class RenderbusError(Exception):
    """Base of every error renderbus_dcc raises. ``hint`` says what to do about it.

    The message is translated where it is made (``_("...") % ...``); a class's ``hint`` is marked
    with ``N_`` and translated here, when the error is made, into the language in use.
    """

    hint: str = ""

    def __init__(self, message: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.hint = _(hint or type(self).hint)

    def __str__(self) -> str:
        text = super().__str__()
        if self.hint and self.hint not in text:
            return _("%(message)s; %(hint)s") % {"message": text, "hint": self.hint}
        return text


class ConfigError(RenderbusError):
    """The configuration is missing or wrong."""


class CredentialsMissing(ConfigError):
    """No access id / access key were found."""

    hint = N_("run `renderbus config` or set RENDERBUS_ACCESS_ID and RENDERBUS_ACCESS_KEY")


class TransportError(RenderbusError):
    """The server could not be reached, or the connection broke or timed out.

    ``sent`` is False when no connection was opened, so the server got nothing."""

    hint = N_("check the network and the endpoint, then try again")

    def __init__(self, message: str = "", hint: str = "", sent: bool = True) -> None:
        super().__init__(message, hint)
        self.sent = sent


class OutcomeUnknown(TransportError):
    """A call that changes state was sent, but its answer was lost: it may have been carried
    out. The caller finds out by a query (see :func:`outcome_unknown`) before saying it failed."""

    hint = N_("check the network, then try again; nothing is done twice")


class HTTPStatusError(TransportError):
    """The server (or a proxy before it) answered with an HTTP error status."""

    def __init__(self, message: str = "", hint: str = "", status: int = 0, path: str = "") -> None:
        super().__init__(message, hint)
        self.status = status
        self.path = path


class BadResponseError(RenderbusError):
    """The answer was not the protocol's JSON envelope (e.g. a proxy's HTML error page)."""

    hint = N_("the endpoint may be wrong, or a proxy is in the way; check the endpoint setting")

    def __init__(self, message: str = "", hint: str = "", status: int = 0, path: str = "") -> None:
        super().__init__(message, hint)
        self.status = status
        self.path = path


class APIError(RenderbusError):
    """The server answered with an error code of the protocol.

    Carries ``code``, ``name`` (the document's name, e.g. ``SIGNATURE_INVALID``), the server's
    ``message``, the endpoint ``path`` and the request's ``nonce``.
    """

    code: int = 0
    hint = ""

    def __init__(
        self,
        message: str = "",
        hint: str = "",
        code: Optional[int] = None,
        path: str = "",
        nonce: str = "",
        server_time: Optional[int] = None,
        data: Any = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.server_message = message
        self.path = path
        self.nonce = nonce
        self.server_time = server_time
        self.data = data
        text = "%s %s: %s" % (self.code, self.name, message or self.name.lower())  # the server's words
        if path:
            text += " [%s]" % path
        super().__init__(text, hint)

    @property
    def name(self) -> str:
        try:
            return ErrorCode(self.code).name
        except ValueError:
            return "UNKNOWN_%s" % self.code


def _api(name: str, code: ErrorCode, hint: str, doc: str) -> Type[APIError]:
    cls = type(name, (APIError,), {"code": int(code), "hint": hint, "__doc__": doc})
    return cls


FailError = _api("FailError", ErrorCode.FAIL, N_("the server refused the request; see its message"), "100 FAIL.")
NeedRedirectError = _api("NeedRedirectError", ErrorCode.NEED_REDIRECT, N_("the endpoint has moved; check the endpoint setting"), "301 NEED_REDIRECT.")
ForbiddenError = _api("ForbiddenError", ErrorCode.FORBIDDEN, N_("this account may not do that (another account's task?)"), "403 FORBIDDEN.")
NotFoundError = _api("NotFoundError", ErrorCode.RESOURCE_NOT_FOUND, N_("check the task id or name"), "404 RESOURCE_NOT_FOUND.")
NoMoreRecordError = _api("NoMoreRecordError", ErrorCode.DO_NOT_HAVE_ANY_MORE_RECORD, N_("there are no more records"), "700 DO_NOT_HAVE_ANY_MORE_RECORD.")
InternalServerError = _api("InternalServerError", ErrorCode.INTERNAL_ERROR, N_("the server failed; try again later"), "500 INTERNAL_ERROR.")
ParameterInvalidError = _api("ParameterInvalidError", ErrorCode.PARAMETER_INVALID, N_("correct the value the message names, then try again"), "600 PARAMETER_INVALID.")
ParameterMissingError = _api("ParameterMissingError", ErrorCode.PARAMETER_CANT_BE_EMPTY, N_("give the value the message names, then try again"), "601 PARAMETER_CANT_BE_EMPTY.")
NeedUserLoginError = _api("NeedUserLoginError", ErrorCode.NEED_USER_LOGIN, N_("check the access id and key (`renderbus config`)"), "602 NEED_USER_LOGIN.")
IllegalProtocolError = _api("IllegalProtocolError", ErrorCode.ILLEGAL_PROTOCOL, N_("the request was malformed; check the API profile setting"), "603 ILLEGAL_PROTOCOL.")
ValidateCodeError = _api("ValidateCodeError", ErrorCode.VALIDATE_CODE_ERROR, N_("the phone verification code is wrong"), "604 VALIDATE_CODE_ERROR.")
InsufficientPermissionsError = _api("InsufficientPermissionsError", ErrorCode.VINSUFFICIENT_PERMISSIONS, N_("ask the main account for this permission"), "605 VINSUFFICIENT_PERMISSIONS.")
ValidateCommonCodeError = _api("ValidateCommonCodeError", ErrorCode.VALIDATE_COMMOM_CODE_ERROR, N_("the verification code is wrong"), "606 VALIDATE_COMMOM_CODE_ERROR.")
ValidateSendCodeError = _api("ValidateSendCodeError", ErrorCode.VALIDATE_SEND_CODE_ERROR, N_("the verification code could not be sent"), "607 VALIDATE_SEND_CODE_ERROR.")
UserAreaError = _api("UserAreaError", ErrorCode.USER_AREA_ERROR, N_("the account belongs to the other region: check the endpoint and platform"), "608 USER_AREA_ERROR.")
SignatureExpiredError = _api("SignatureExpiredError", ErrorCode.SIGNATURE_EXPIRED, N_("the computer's clock is off; set it right"), "610 SIGNATURE_EXPIRED.")
SignatureInvalidError = _api("SignatureInvalidError", ErrorCode.SIGNATURE_INVALID, N_("check the access id and key (`renderbus config`)"), "611 SIGNATURE_INVALID.")

_BY_CODE: Dict[int, Type[APIError]] = {
    cls.code: cls
    for cls in (
        FailError, NeedRedirectError, ForbiddenError, NotFoundError, NoMoreRecordError, InternalServerError,
        ParameterInvalidError, ParameterMissingError, NeedUserLoginError, IllegalProtocolError, ValidateCodeError,
        InsufficientPermissionsError, ValidateCommonCodeError, ValidateSendCodeError, UserAreaError,
        SignatureExpiredError, SignatureInvalidError,
    )
}


def api_error_for(code: int, message: str = "", **kwargs: Any) -> APIError:
    """The APIError subclass instance for a response ``code`` (APIError itself for unknown codes)."""
    cls = _BY_CODE.get(code, APIError)
    if cls is APIError:
        return APIError(message, code=code, **kwargs)
    return cls(message, **kwargs)


def outcome_unknown(exc: BaseException) -> bool:
    """True when ``exc``, raised by a call that changes state, leaves its outcome unknown: the
    request may have been carried out (a connection lost after sending, a timeout, HTTP 5xx, a
    garbled answer, the server's internal error). False for a definite refusal (a protocol
    error code, a proxy's 4xx) or a request that never left."""
    if isinstance(exc, HTTPStatusError):
        return exc.status >= 500 or not exc.status
    if isinstance(exc, TransportError):
        return bool(getattr(exc, "sent", True))
    if isinstance(exc, BadResponseError):
        return True
    return isinstance(exc, InternalServerError)


class FrameSpecError(RenderbusError, ValueError):
    """A frame spec could not be read; the message points at the bad part."""

    hint = N_("write frames like 1-100, 1-100x2, 1,5,10-20")


class SceneError(RenderbusError):
    """A scene description is incomplete or contradictory."""


class EnvironmentChoiceError(RenderbusError):
    """The farm offers no version of the application or a plugin the scene needs."""


class ValidationFailed(RenderbusError):
    """Pre-flight validation found errors that block the submission. ``report`` holds them."""

    def __init__(self, message: str = "", hint: str = "", report: Any = None) -> None:
        super().__init__(message, hint)
        self.report = report


class SubmissionError(RenderbusError):
    """A submission step failed; the journal keeps what was done, so it can be resumed."""

    hint = N_("fix the cause, then resume with `renderbus submit --resume`")


class TransferError(RenderbusError):
    """A file could not be uploaded or downloaded."""


class Cancelled(RenderbusError):
    """The user cancelled (a progress callback returned False). Nothing is lost; resume later.

    A cancelled submission says what it left behind: ``left_behind`` (the message), the
    ``task_id`` it created (None: nothing reached the farm) and its ``journal_id``."""

    hint = N_("resume with `renderbus submit --resume`")
    task_id: Optional[int] = None
    journal_id: Optional[str] = None
    left_behind: str = ""


class HostError(RenderbusError):
    """Maya, 3ds Max or Blender refused or could not answer."""


class InstallError(RenderbusError):
    """The integration could not be installed into an application."""
