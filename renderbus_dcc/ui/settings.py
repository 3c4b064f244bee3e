"""The Settings window: access id and key, endpoint, API profile, platform, language, Test connection."""

from typing import Any, List, Optional

from renderbus_dcc.i18n import LANGUAGES, N_, _

from renderbus_dcc.ui import qt
from renderbus_dcc.ui.qt import QtWidgets, Signal
from renderbus_dcc.ui.widgets import BaseWindow, format_balance, message_line

__all__ = ["SettingsWindow"]

PROFILES = ("v1", "v2")


def _load_config(job: Any) -> Any:
    from renderbus_dcc.config import load_config

    return load_config()


def _make_client(values: dict) -> Any:
    from renderbus_dcc.client import RenderbusClient
    from renderbus_dcc.errors import CredentialsMissing

    if not values["access_id"] or not values["access_key"]:
        raise CredentialsMissing(_("Enter the access id and the access key."),
                                 _("find them in the Renderbus web console under User center > API"))
    return RenderbusClient(values["access_id"], values["access_key"], endpoint=values["endpoint"],
                           platform=values["platform"], profile=values["profile"], retries=0, timeout=15.0)


def _test_connection(job: Any, values: dict) -> Any:
    client = _make_client(values)
    profile = client.query_user_profile()
    platforms: List[Any] = []
    try:
        platforms = client.query_platforms()
    except Exception:  # the profile answered: the connection works without the list
        pass
    return profile, platforms


def _query_platforms(job: Any, values: dict) -> Any:
    return _make_client(values).query_platforms()


def _save(job: Any, values: dict) -> Any:
    from renderbus_dcc.config import Config, save_config

    return save_config(Config(access_id=values["access_id"], access_key=values["access_key"],
                              endpoint=values["endpoint"], platform=values["platform"], profile=values["profile"],
                              language=values.get("language", "")))


class SettingsWindow(BaseWindow):
    """Edits the saved configuration; the key is kept in the credential store."""

    title = N_("Renderbus Settings")
    saved = Signal()

    def __init__(self, host: Any, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(host, parent)
        self.setObjectName("renderbusSettings")
        form = QtWidgets.QFormLayout()
        self.access_id = QtWidgets.QLineEdit()
        self.access_id.setPlaceholderText("AKID…")
        self.access_key = QtWidgets.QLineEdit()
        self.access_key.setEchoMode(qt.PASSWORD)
        self.access_key.setPlaceholderText(_("kept in the credential store"))
        self.endpoint = QtWidgets.QLineEdit()
        self.profile = QtWidgets.QComboBox()
        self.profile.addItem(_("v1 — document API (1.0.0)"), "v1")
        self.profile.addItem(_("v2 — current service (2.0.0)"), "v2")
        self.platform = QtWidgets.QComboBox()
        self.platform.setEditable(False)
        self.platform.setMinimumContentsLength(24)
        self.language = QtWidgets.QComboBox()
        self.language.addItem(_("Automatic (the application's language)"), "")
        for code, name in LANGUAGES.items():  # each in its own words, so anyone finds theirs
            self.language.addItem(name, code)
        self.language.setToolTip(_("The language of the Renderbus windows, menus and messages; it applies to the "
                                   "windows opened after saving."))
        form.addRow(_("Access id:"), self.access_id)
        form.addRow(_("Access key:"), self.access_key)
        form.addRow(_("Endpoint:"), self.endpoint)
        form.addRow(_("API profile:"), self.profile)
        form.addRow(_("Platform:"), self.platform)
        form.addRow(_("Language:"), self.language)

        self.test_button = QtWidgets.QPushButton(_("Test connection"))
        self.result = QtWidgets.QLabel(" ")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(qt.TEXT_SELECTABLE)
        self.result.setMinimumWidth(380)
        test_row = QtWidgets.QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        self.buttons = QtWidgets.QDialogButtonBox(qt.DIALOG_SAVE | qt.DIALOG_CLOSE)
        self.save_button = self.buttons.button(qt.DIALOG_SAVE)
        self.save_button.setText(_("Save"))  # Qt's own words are translated only where a host loads Qt's catalog
        self.buttons.button(qt.DIALOG_CLOSE).setText(_("Close"))

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        self.resize(520, 330)
        self._set_busy(True, _("Loading the settings…"))
        self.runner.run(_load_config, name="load_config", on_done=self._loaded, on_error=self._load_failed)

    # values -------------------------------------------------------------------------------
    def values(self) -> dict:
        """What the fields hold, as Config fields."""
        platform = self.platform.currentData()
        if platform is None:
            try:
                platform = int(self.platform.currentText().split()[0])
            except (ValueError, IndexError):
                platform = 2
        return {
            "access_id": self.access_id.text().strip(),
            "access_key": self.access_key.text().strip(),
            "endpoint": self.endpoint.text().strip() or "https://task.renderbus.com",
            "profile": self.profile.currentData() or "v1",
            "platform": int(platform),
            "language": self.language.currentData() or "",
        }

    def _set_platforms(self, platforms: List[Any], current: Optional[int] = None) -> None:
        current = self.values()["platform"] if current is None else current
        self.platform.clear()
        numbers = []
        for p in platforms:
            number = int(getattr(p, "platform", 0))
            numbers.append(number)
            name = getattr(p, "name", "") or ""
            self.platform.addItem(("%d — %s" % (number, name)) if name else str(number), number)
        if current not in numbers:
            self.platform.addItem(str(current), current)
        self.platform.setCurrentIndex(self.platform.findData(current))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for w in (self.test_button, self.save_button):
            w.setEnabled(not busy)
        if text:
            self.result.setText(text)

    # loading --------------------------------------------------------------------------------
    def _loaded(self, config: Any) -> None:
        self.access_id.setText(getattr(config, "access_id", "") or "")
        self.access_key.setText(getattr(config, "access_key", "") or "")
        self.endpoint.setText(getattr(config, "endpoint", "") or "https://task.renderbus.com")
        index = self.profile.findData(getattr(config, "profile", "v1") or "v1")
        self.profile.setCurrentIndex(max(0, index))
        self._set_platforms([], int(getattr(config, "platform", 2) or 2))
        self.language.setCurrentIndex(max(0, self.language.findData(getattr(config, "language", "") or "")))
        self._set_busy(False, " ")
        if self.access_id.text() and self.access_key.text():
            self.runner.run(_query_platforms, self.values(), name="query_platforms",
                            on_done=self._set_platforms, on_error=lambda e: None)

    def _load_failed(self, error: BaseException) -> None:
        self._set_platforms([], 2)
        self.endpoint.setText(self.endpoint.text() or "https://task.renderbus.com")
        self._set_busy(False, _("The saved settings could not be read: %s") % message_line(error))

    # actions ----------------------------------------------------------------------------------
    def test_connection(self) -> None:
        """Log in with the fields' values (not saved yet) and say who answered."""
        self._set_busy(True, _("Connecting to %s…") % self.values()["endpoint"])
        self.runner.run(_test_connection, self.values(), name="test_connection",
                        on_done=self._tested, on_error=self._test_failed)

    def _tested(self, result: Any) -> None:
        profile, platforms = result
        if platforms:
            self._set_platforms(platforms)
        self._set_busy(False)
        self.result.setStyleSheet("color: #2e7d32;")
        self.result.setText(_("Connected as %(user)s, balance %(balance)s.") % {
            "user": getattr(profile, "user_name", "") or "?", "balance": format_balance(profile)})

    def _test_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.result.setStyleSheet("color: #c62828;")
        self.result.setText(_("Could not connect: %s") % message_line(error))

    def save(self) -> None:
        """Save the settings (the key to the credential store); the windows pick them up."""
        self._set_busy(True, _("Saving…"))
        self.runner.run(_save, self.values(), name="save_config", on_done=self._saved, on_error=self._save_failed)

    def _saved(self, path: Any) -> None:
        self._set_busy(False)
        self.result.setStyleSheet("")
        self.result.setText(_("Saved."))
        from renderbus_dcc.i18n import use_language_setting

        use_language_setting(self.host.ui_language() if hasattr(self.host, "ui_language") else None)
        self.account.reset()
        self.saved.emit()
        self.close()

    def _save_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.result.setStyleSheet("color: #c62828;")
        self.result.setText(_("Could not save: %s") % message_line(error))
