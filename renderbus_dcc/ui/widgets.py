"""Small widgets the windows share: the account line, the validation list, a progress panel."""

from typing import Any, Iterable, List, Optional

from renderbus_dcc.i18n import N_, _, ngettext
from renderbus_dcc.ui import qt
from renderbus_dcc.ui.qt import QtCore, QtWidgets, Signal

__all__ = ["AccountLine", "BaseWindow", "ValidationList", "ProgressPanel", "format_bytes", "format_money",
           "format_balance", "format_duration", "message_line", "ISSUE_ICONS"]

#: Standard icons for the validation severities (ERROR/WARNING/NOTICE values of Severity).
ISSUE_ICONS = {"error": "SP_MessageBoxCritical", "warning": "SP_MessageBoxWarning", "notice": "SP_MessageBoxInformation"}


def format_bytes(size: float) -> str:
    """1536 -> '1.5 KB'."""
    size = float(size or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1024 or unit == "GB":
            return ("%d %s" % (size, unit)) if unit == "B" else ("%.1f %s" % (size, unit))
        size /= 1024.0
    return "%.1f TB" % size  # pragma: no cover


def format_money(value: Any, symbol: str = "") -> str:
    try:
        return "%s%.2f" % (symbol, float(value or 0))
    except (TypeError, ValueError):
        return "%s%s" % (symbol, value)


def format_balance(profile: Any) -> str:
    """The balance the account pays with: US dollars abroad, yuan in China (zone 1)."""
    usd = getattr(profile, "usd_balance", 0) or 0
    rmb = getattr(profile, "rmb_balance", 0) or 0
    if getattr(profile, "zone", 0) == 1 and not usd:
        text = format_money(rmb, "¥")
    else:
        text = format_money(usd, "$") if usd or not rmb else format_money(rmb, "¥")
    coupon = getattr(profile, "coupon", 0) or 0
    if coupon:
        text += _(" (+%s coupons)") % format_money(coupon)
    return text


def format_duration(seconds: Any) -> str:
    """3725 -> '1h 02m 05s'; '' for nothing."""
    try:
        total = int(float(seconds or 0))
    except (TypeError, ValueError):
        return str(seconds)
    if total <= 0:
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    values = {"h": hours, "m": minutes, "s": secs}
    if hours:
        return _("%(h)dh %(m)02dm %(s)02ds") % values
    if minutes:
        return _("%(m)dm %(s)02ds") % values
    return _("%(s)ds") % values


def message_line(error: BaseException) -> str:
    """The error as one plain line for a label: its message and what to do ("message; hint")."""
    from renderbus_dcc.errors import RenderbusError

    lines = str(error).strip().splitlines()
    if isinstance(error, RenderbusError):
        return lines[0] if lines else type(error).__name__
    return "%s: %s" % (type(error).__name__, lines[0]) if lines else type(error).__name__


class AccountLine(QtWidgets.QFrame):
    """Who is logged in, the balance and platform; or why nobody is."""

    settings_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountLine")
        self.setFrameShape(qt.enum(QtWidgets.QFrame, "Shape", "StyledPanel"))
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.icon = QtWidgets.QLabel()
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(qt.TEXT_SELECTABLE)
        self.setup_button = QtWidgets.QPushButton(_("Set up your Renderbus account…"))
        self.retry_button = QtWidgets.QPushButton(_("Retry"))
        self.settings_button = QtWidgets.QToolButton()
        self.settings_button.setText(_("Settings…"))
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.setup_button)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.settings_button)
        self.setup_button.clicked.connect(self.settings_requested.emit)
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.retry_button.clicked.connect(self.retry_requested.emit)
        self.state = ""
        self.set_loading()

    def _show(self, state: str, text: str, icon: str = "", setup: bool = False, retry: bool = False) -> None:
        self.state = state
        self.label.setText(text)
        if icon:
            self.icon.setPixmap(qt.standard_icon(self, icon).pixmap(16, 16))
        self.icon.setVisible(bool(icon))
        self.setup_button.setVisible(setup)
        self.retry_button.setVisible(retry)
        self.settings_button.setVisible(not setup)

    def set_loading(self) -> None:
        self._show("loading", _("Connecting to Renderbus…"))

    def set_profile(self, profile: Any, endpoint: str = "") -> None:
        """Logged in: name, balance, platform."""
        name = getattr(profile, "user_name", "") or getattr(profile, "email", "") or "?"
        text = _("Signed in as <b>%(name)s</b> · balance %(balance)s · platform %(platform)s") % {
            "name": _html(name), "balance": _html(format_balance(profile)),
            "platform": _html(str(getattr(profile, "platform", "") or "?"))}
        if endpoint:
            text += " · <span style='color:gray'>%s</span>" % _html(endpoint)
        self._show("ok", text)

    def set_no_credentials(self) -> None:
        self._show("no_credentials", _("No Renderbus account is set up on this computer."),
                   "SP_MessageBoxInformation", setup=True)

    def set_unreachable(self, error: BaseException) -> None:
        self._show("unreachable", _("Renderbus cannot be reached: %s") % _html(message_line(error)),
                   "SP_MessageBoxWarning", retry=True)

    def set_error(self, error: BaseException) -> None:
        """Reached the farm, but it refused (e.g. a wrong key)."""
        self._show("refused", _("Renderbus refused the account: %s") % _html(message_line(error)),
                   "SP_MessageBoxCritical", retry=True)

    def show_error(self, error: BaseException) -> None:
        """The right state for a failure to log in."""
        from renderbus_dcc.errors import CredentialsMissing, TransportError

        if isinstance(error, CredentialsMissing):
            self.set_no_credentials()
        elif isinstance(error, TransportError):
            self.set_unreachable(error)
        else:
            self.set_error(error)


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ValidationList(QtWidgets.QWidget):
    """The validation report: a summary line and one row per issue (icon, message, hint)."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QtWidgets.QLabel(_("Checking the scene…"))
        self.list = QtWidgets.QListWidget()
        self.list.setWordWrap(True)
        self.list.setResizeMode(qt.enum(QtWidgets.QListView, "ResizeMode", "Adjust"))
        self.list.setTextElideMode(qt.enum(QtCore.Qt, "TextElideMode", "ElideNone"))
        self.list.setIconSize(QtCore.QSize(20, 20))
        self.list.setSpacing(2)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.issues: List[Any] = []

    def set_checking(self) -> None:
        self.summary.setText(_("Checking the scene…"))

    def set_issues(self, issues: Iterable[Any], complete: bool = True) -> None:
        """Show ``issues`` (validation.Issue: severity, code, message, hint, subject), errors first.

        ``complete`` False: the farm's checks (environment) could not run yet."""
        order = {"error": 0, "warning": 1, "notice": 2}
        self.issues = sorted(issues, key=lambda i: order.get(_severity(i), 3))
        self.list.clear()
        counts = {"error": 0, "warning": 0, "notice": 0}
        for issue in self.issues:
            severity = _severity(issue)
            counts[severity] = counts.get(severity, 0) + 1
            text = issue.message
            if getattr(issue, "hint", ""):
                text += "\n→ %s" % issue.hint
            item = QtWidgets.QListWidgetItem(qt.standard_icon(self, ISSUE_ICONS.get(severity, "SP_MessageBoxInformation")), text)
            label = issue.severity.label if hasattr(getattr(issue, "severity", None), "label") else severity
            tip = "%s %s" % (label.upper(), getattr(issue, "code", ""))
            if getattr(issue, "subject", ""):
                tip += " · %s" % issue.subject
            item.setToolTip(tip)
            item.setData(qt.USER_ROLE, severity)
            self.list.addItem(item)
        if not self.issues:
            self.summary.setText(_("No problems found: the scene is ready to submit.") if complete else
                                 _("No problems found in the scene; the farm's checks run once it can be reached."))
        else:
            parts = []
            for severity, one, many in (("error", N_("%d error"), N_("%d errors")),
                                        ("warning", N_("%d warning"), N_("%d warnings")),
                                        ("notice", N_("%d notice"), N_("%d notices"))):
                if counts.get(severity):
                    parts.append(ngettext(one, many, counts[severity]) % counts[severity])
            self.summary.setText(_(", ").join(parts) + (_(" — fix the errors to submit.") if counts.get("error") else _(".")))

    def count(self, severity: str) -> int:
        return sum(1 for issue in self.issues if _severity(issue) == severity)


def _severity(issue: Any) -> str:
    value = getattr(issue, "severity", "notice")
    return str(getattr(value, "value", value)).lower()


class ProgressPanel(QtWidgets.QWidget):
    """A progress bar with a line of text under it and a Cancel button."""

    cancel_requested = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QtWidgets.QHBoxLayout()
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 1000)
        self.cancel_button = QtWidgets.QPushButton(_("Cancel"))
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        layout.addLayout(row)
        layout.addWidget(self.label)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)

    def set_progress(self, fraction: Optional[float], text: str) -> None:
        """``fraction`` 0..1, or None for busy (no known end)."""
        if fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self.label.setText(text)


class BaseWindow(QtWidgets.QWidget):
    """A non-modal tool window parented to the host's main window, with its own job runner.

    Closing it deletes it and drops what its running jobs would still report.
    """

    closed = Signal()
    title = N_("Renderbus")  #: the window title (marked with N_, translated when the window opens)

    def __init__(self, host: Any, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        from renderbus_dcc.ui.account import account
        from renderbus_dcc.ui.workers import TaskRunner

        self.setWindowFlags(self.windowFlags() | qt.WINDOW)
        self.setAttribute(qt.WA_DELETE_ON_CLOSE, True)
        self.setWindowTitle(_(self.title))
        self.host = host
        self.account = account()
        self.runner = TaskRunner(self)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        self.runner.discard_all()
        self.closed.emit()
        super().closeEvent(event)
