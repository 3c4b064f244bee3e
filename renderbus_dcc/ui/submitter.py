"""The Submitter window: check the open scene, choose what to render, upload, submit.

The scene is read on the main thread (``host.describe_scene()``); everything that talks to
the farm (``prepare``, ``submit``, ``resume``, the account and label queries) runs in workers
and reports back by queued signals.
"""

import logging
from typing import Any, Dict, List, Optional

from renderbus_dcc.errors import Cancelled, CredentialsMissing, FrameSpecError, RenderbusError, TransportError
from renderbus_dcc.i18n import N_, _, ngettext
from renderbus_dcc.scene import SceneDescription
from renderbus_dcc.ui import qt
from renderbus_dcc.ui.qt import QtCore, QtWidgets, Signal
from renderbus_dcc.ui.widgets import (AccountLine, BaseWindow, ProgressPanel, ValidationList, format_bytes,
                                      message_line)

__all__ = ["SubmitterWindow", "AUTO_ENV"]

log = logging.getLogger(__name__)

#: The environment combo's data for "let prepare() choose".
AUTO_ENV = ""
#: Debounce of scene-change callbacks and of option edits (milliseconds).
SCENE_DEBOUNCE_MS = 600
OPTIONS_DEBOUNCE_MS = 300

STAGE_TEXT = {
    "prepare": N_("Checking the scene…"),
    "create": N_("Creating the task…"),
    "taskfiles": N_("Writing the task files…"),
    "upload": N_("Uploading"),
    "submit": N_("Submitting the task…"),
    "done": N_("Done."),
}


# worker functions (pool threads; they never touch widgets) ------------------------------------
def _load_account(job: Any, client_of: Any, cg_id: int) -> Any:
    client = client_of()
    profile = client.query_user_profile()
    labels = []
    envs = []
    try:
        labels = client.get_label_list()
        envs = client.get_render_env(cg_id)
    except RenderbusError as exc:  # the account answered; lists are a convenience
        log.info("labels/environments: %s", exc)
    return profile, labels, envs, str(getattr(client, "endpoint", ""))


def _prepare(job: Any, client_of: Any, scene: Any, options: Any) -> Any:
    """prepare() with the farm; without an account, the scene's own checks only."""
    from renderbus_dcc.submission import effective_scene, prepare

    try:
        client = client_of()
        return prepare(scene, client, options)
    except (CredentialsMissing, TransportError) as exc:
        from renderbus_dcc.assets import collect_assets
        from renderbus_dcc.submission import Preparation
        from renderbus_dcc.validation import validate

        eff = effective_scene(scene, options)
        assets = collect_assets(eff, hash_scene=False)
        report = validate(eff, assets, None, options)
        no_env: Any = None  # the environment is chosen by the farm's catalogue: none without it
        return Preparation(env=no_env, assets=assets, report=report, scene=eff), exc


def _submit(job: Any, client_of: Any, scene: Any, options: Any, progress: Any, interrupted: Optional[str] = None) -> Any:
    from renderbus_dcc.submission import submit

    return submit(scene, client_of(), options, on_progress=lambda p: progress(job, p), confirm=lambda report: True,
                  interrupted=interrupted)


def _resume(job: Any, client_of: Any, progress: Any, journal_id: Optional[str] = None) -> Any:
    from renderbus_dcc.submission import resume

    return resume(client_of(), journal_id, on_progress=lambda p: progress(job, p))



def _default_cameras(scene: SceneDescription) -> List[str]:
    """The cameras checked when the artist has chosen none: each renderable layer's own."""
    layer_cameras = list(dict.fromkeys(c for l in scene.renderable_layers() for c in l.cameras))
    all_cameras = list(dict.fromkeys(scene.cameras + [c for l in scene.layers for c in l.cameras]))
    return layer_cameras or all_cameras[:1]

class SubmitterWindow(BaseWindow):
    """Submit the host's open scene to Renderbus."""

    title = N_("Submit to Renderbus")
    prepared = Signal()  #: a validation round was shown (tests wait on it)
    _scene_signal = Signal()  #: the host's callback, carried to the main thread
    submitted = Signal(object)  #: SubmitResult
    submit_failed = Signal(object)  #: the error (Cancelled included)

    def __init__(self, host: Any, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(host, parent)
        self.setObjectName("renderbusSubmitter")
        self.scene: Any = None
        self.scene_error: Optional[BaseException] = None
        self.preparation: Any = None
        self.account_error: Optional[BaseException] = None
        self.result: Any = None
        self.last_error: Optional[BaseException] = None
        self._prepare_job: Any = None
        self._prepare_again = False
        self._submit_job: Any = None
        self._restoring = False
        self._user_envs: List[Any] = []
        self._interrupted_id: Optional[str] = None  #: the journal "Resume upload" carries on
        self._auto_env: Any = None  #: what prepare() chose by itself
        self._build()
        self._scene_timer = QtCore.QTimer(self)
        self._scene_timer.setSingleShot(True)
        self._scene_timer.setInterval(SCENE_DEBOUNCE_MS)
        self._scene_timer.timeout.connect(self.reload_scene)
        self._scene_signal.connect(self._restart_scene_timer)
        self._options_timer = QtCore.QTimer(self)
        self._options_timer.setSingleShot(True)
        self._options_timer.setInterval(OPTIONS_DEBOUNCE_MS)
        self._options_timer.timeout.connect(self._options_settled)
        self._remove_callback = None
        try:
            self._remove_callback = host.add_scene_change_callback(self._scene_changed)
        except Exception:
            log.exception("the host could not register a scene callback")
        self.account.changed.connect(self._account_changed)
        self.resize(720, 860)
        self._read_scene(restore=True)
        self.load_account()
        self.run_prepare()

    # layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.account_line = AccountLine()
        self.account_line.settings_requested.connect(self._open_settings)
        self.account_line.retry_requested.connect(self._account_changed)
        self.scene_label = QtWidgets.QLabel()
        self.scene_label.setWordWrap(True)

        env_box = QtWidgets.QGroupBox(_("Software and render environment"))
        env_form = QtWidgets.QFormLayout(env_box)
        self.software_label = QtWidgets.QLabel("…")
        self.renderer_label = QtWidgets.QLabel("…")
        self.plugins_label = QtWidgets.QLabel("…")
        self.plugins_label.setWordWrap(True)
        self.env_combo = QtWidgets.QComboBox()
        self.env_combo.setSizeAdjustPolicy(qt.enum(QtWidgets.QComboBox, "SizeAdjustPolicy", "AdjustToContents"))
        self.env_reason = QtWidgets.QLabel("")
        self.env_reason.setWordWrap(True)
        self.env_reason.setStyleSheet("font-style: italic;")
        env_form.addRow(_("Software:"), self.software_label)
        env_form.addRow(_("Renderer:"), self.renderer_label)
        env_form.addRow(_("Plugins:"), self.plugins_label)
        env_form.addRow(_("Environment:"), self.env_combo)
        env_form.addRow("", self.env_reason)

        what_box = QtWidgets.QGroupBox(_("What to render"))
        what = QtWidgets.QGridLayout(what_box)
        self.frames_edit = QtWidgets.QLineEdit()
        self.frames_edit.setPlaceholderText(_("e.g. 1-100, 1-100x2, 1,5,10-20"))
        self.frames_error = QtWidgets.QLabel("")
        self.frames_error.setWordWrap(True)
        self.frames_error.setStyleSheet("color: #c62828;")
        self.layers_list = QtWidgets.QListWidget()
        self.cameras_list = QtWidgets.QListWidget()
        for lst in (self.layers_list, self.cameras_list):
            lst.setMaximumHeight(96)
        self.label_combo = QtWidgets.QComboBox()
        self.label_combo.setEditable(True)
        label_edit = self.label_combo.lineEdit()
        if label_edit is not None:
            label_edit.setPlaceholderText(_("project (optional)"))
        what.addWidget(QtWidgets.QLabel(_("Frames:")), 0, 0)
        what.addWidget(self.frames_edit, 0, 1, 1, 3)
        what.addWidget(self.frames_error, 1, 1, 1, 3)
        what.addWidget(QtWidgets.QLabel(_("Layers:")), 2, 0, qt.enum(QtCore.Qt, "AlignmentFlag", "AlignTop"))
        what.addWidget(self.layers_list, 2, 1)
        what.addWidget(QtWidgets.QLabel(_("Cameras:")), 2, 2, qt.enum(QtCore.Qt, "AlignmentFlag", "AlignTop"))
        what.addWidget(self.cameras_list, 2, 3)
        what.addWidget(QtWidgets.QLabel(_("Project:")), 3, 0)
        what.addWidget(self.label_combo, 3, 1, 1, 3)
        self._build_test_frames(what, 4)
        what.setColumnStretch(1, 1)
        what.setColumnStretch(3, 1)

        for box in (env_box, what_box):
            box.setSizePolicy(qt.enum(QtWidgets.QSizePolicy, "Policy", "Preferred"),
                              qt.enum(QtWidgets.QSizePolicy, "Policy", "Maximum"))
        checks_box = QtWidgets.QGroupBox(_("Checks"))
        checks = QtWidgets.QVBoxLayout(checks_box)
        self.validation = ValidationList()
        checks.addWidget(self.validation)

        self.progress = ProgressPanel()
        self.progress.setVisible(False)
        self.progress.cancel_requested.connect(self.cancel)
        self.result_label = QtWidgets.QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(qt.TEXT_SELECTABLE)
        self.monitor_button = QtWidgets.QPushButton(_("Open in Monitor"))
        self.monitor_button.setVisible(False)
        self.resume_button = QtWidgets.QPushButton(_("Resume upload"))
        self.resume_button.setVisible(False)
        result_row = QtWidgets.QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.resume_button)
        result_row.addWidget(self.monitor_button)

        self.export_button = QtWidgets.QPushButton(_("Export…"))
        self.export_button.setToolTip(_("Write the task files to a folder without submitting (a dry run)."))
        self.submit_button = QtWidgets.QPushButton(_("Submit"))
        self.submit_button.setDefault(True)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.account_line)
        layout.addWidget(self.scene_label)
        layout.addWidget(env_box)
        layout.addWidget(what_box)
        layout.addWidget(checks_box, 1)
        layout.addWidget(self.progress)
        layout.addLayout(result_row)
        layout.addLayout(buttons)

        self.frames_edit.textChanged.connect(self._frames_edited)
        self.layers_list.itemChanged.connect(lambda *_: self._options_edited())
        self.cameras_list.itemChanged.connect(lambda *_: self._options_edited())
        self.label_combo.editTextChanged.connect(lambda *_: self._options_edited(revalidate=False))
        self.env_combo.activated.connect(self._env_activated)
        self.submit_button.clicked.connect(self.submit)
        self.export_button.clicked.connect(self._export_clicked)
        self.monitor_button.clicked.connect(self.open_monitor)
        self.resume_button.clicked.connect(self.resume)

    def _build_test_frames(self, grid: "QtWidgets.QGridLayout", row: int) -> None:
        """Test frames first: which frames, and whether the task stops after them."""
        from renderbus_dcc.i18n import _

        self.test_frames_edit = QtWidgets.QLineEdit()
        self.test_frames_edit.setPlaceholderText(_("none; e.g. first,middle,last or 1,50"))
        self.test_frames_edit.setToolTip(_("Frames the farm renders first, of every layer: any of first, middle, "
                                           "last and frame numbers."))
        self.stop_after_test = QtWidgets.QCheckBox(_("Stop after them"))
        self.stop_after_test.setToolTip(_("The task waits once the test frames are done: look at them and at the "
                                          "forecast of the whole task's cost, then start the rest or abort."))
        self.test_frames_error = QtWidgets.QLabel("")
        self.test_frames_error.setStyleSheet("color: #c62828;")
        self.test_frames_error.setWordWrap(True)
        grid.addWidget(QtWidgets.QLabel(_("Test frames:")), row, 0)
        grid.addWidget(self.test_frames_edit, row, 1, 1, 2)
        grid.addWidget(self.stop_after_test, row, 3)
        grid.addWidget(self.test_frames_error, row + 1, 1, 1, 3)
        self.test_frames_edit.textChanged.connect(self._test_frames_edited)
        self.stop_after_test.toggled.connect(lambda *_: self._options_edited(revalidate=False))
        self._test_frames_edited("", quiet=True)

    def _test_frames_edited(self, text: str, quiet: bool = False) -> None:
        from renderbus_dcc.testframes import pre_frames_value

        try:
            pre_frames_value(text)
            self.test_frames_valid = True
            self.test_frames_error.setText("")
        except FrameSpecError as exc:
            self.test_frames_valid = False
            self.test_frames_error.setText(message_line(exc))
        self.stop_after_test.setEnabled(bool(text.strip()))
        if not quiet:
            self._update_buttons()
            self._options_edited(revalidate=False)

    # the scene (main thread) -----------------------------------------------------------------
    def _read_scene(self, restore: bool = False) -> None:
        try:
            scene = self.host.describe_scene()
        except Exception as exc:  # the host says why (no scene open...)
            self.scene, self.scene_error = None, exc
            self.scene_label.setText(_("<b>No scene</b>: %s") % message_line(exc))
            self._update_buttons()
            return
        self.scene, self.scene_error = scene, None
        text = "<b>%s</b> — %s %s" % (scene.scene_name, scene.cg_name, scene.cg_version)
        if not scene.scene_file:
            text += " · <span style='color:#c62828'>%s</span>" % _("never saved")
        elif scene.modified:
            text += " · <span style='color:#b26a00'>%s</span>" % _("unsaved changes")
        self.scene_label.setText(text)
        self._restoring = True
        try:
            options = None
            if restore:
                from renderbus_dcc.submission import SubmitOptions

                try:
                    options = SubmitOptions.from_settings(self.host.load_scene_settings())
                except Exception as exc:  # settings from an older version: start afresh
                    log.info("scene settings ignored: %s", exc)
                    options = SubmitOptions()
            if options is not None:
                self.frames_edit.setText(options.frames or scene.frames)
                self.test_frames_edit.setText(options.test_frames or "")
                self.stop_after_test.setChecked(bool(options.stop_after_test))
                self.label_combo.setEditText(options.label or "")
                if options.env_name:
                    self._set_env_items(self._user_envs, options.env_name)
            elif not self.frames_edit.isModified() and not self.frames_edit.text():
                self.frames_edit.setText(scene.frames)
            layers = options.layers if options is not None else self._checked(self.layers_list, None)
            cameras = options.cameras if options is not None else self._checked(self.cameras_list, None)
            self._fill_checks(self.layers_list, [l.name for l in scene.layers],
                              layers or [l.name for l in scene.renderable_layers()])
            all_cameras = list(dict.fromkeys(scene.cameras + [c for l in scene.layers for c in l.cameras]))
            self._fill_checks(self.cameras_list, all_cameras, cameras or _default_cameras(scene))
        finally:
            self._restoring = False
        self._frames_edited(self.frames_edit.text(), quiet=True)

    @staticmethod
    def _fill_checks(lst: "QtWidgets.QListWidget", names: List[str], checked: List[str]) -> None:
        lst.blockSignals(True)
        lst.clear()
        for name in names:
            item = QtWidgets.QListWidgetItem(name)
            item.setFlags(qt.ITEM_IS_ENABLED | qt.ITEM_IS_SELECTABLE | qt.ITEM_IS_USER_CHECKABLE)
            item.setCheckState(qt.CHECKED if name in checked else qt.UNCHECKED)
            lst.addItem(item)
        lst.setEnabled(bool(names))
        lst.blockSignals(False)

    @staticmethod
    def _checked(lst: "QtWidgets.QListWidget", default: Any) -> Any:
        if lst.count() == 0:
            return default
        return [lst.item(i).text() for i in range(lst.count()) if lst.item(i).checkState() == qt.CHECKED]

    def _scene_changed(self) -> None:
        """The host's callback (any thread): re-read the scene once the changes settle."""
        self._scene_signal.emit()

    def _restart_scene_timer(self) -> None:
        if self._submit_job is None:
            self._scene_timer.start()

    def reload_scene(self) -> None:
        """Read the scene again (main thread) and check it again."""
        self._read_scene(restore=False)
        self.run_prepare()

    # options ------------------------------------------------------------------------------------
    def options(self, dry_run_dir: Optional[str] = None) -> Any:
        """The SubmitOptions the fields hold."""
        from renderbus_dcc.submission import SubmitOptions

        scene_layers = [l.name for l in self.scene.layers] if self.scene is not None else []
        layers = self._checked(self.layers_list, None)
        cameras = self._checked(self.cameras_list, None)
        if cameras and self.scene is not None and set(cameras) == set(_default_cameras(self.scene)):
            cameras = None  # untouched: each layer keeps its own cameras
        frames = self.frames_edit.text().strip()
        return SubmitOptions(
            frames=frames if frames and (self.scene is None or frames != self.scene.frames) else None,
            layers=layers if layers is not None and scene_layers and layers != [
                l.name for l in self.scene.renderable_layers()] else None,
            cameras=cameras or None,
            label=self.label_combo.currentText().strip(),
            env_name=self.env_combo.currentData() or None,
            dry_run_dir=dry_run_dir,
            test_frames=self.test_frames_edit.text().strip() if getattr(self, "test_frames_valid", True) else "",
            stop_after_test=bool(self.test_frames_edit.text().strip()) and self.stop_after_test.isChecked(),
        )

    def _frames_edited(self, text: str, quiet: bool = False) -> None:
        from renderbus_dcc.frames import parse_frames

        self.frames_valid = True
        try:
            if not text.strip():
                raise FrameSpecError(_("No frames given."))
            frames = parse_frames(text)
            self.frames_error.setText("")
            self.frames_edit.setToolTip(ngettext("%d frame", "%d frames", len(frames)) % len(frames))
        except FrameSpecError as exc:
            self.frames_valid = False
            self.frames_error.setText(message_line(exc))
        self._update_buttons()
        if not quiet:
            self._options_edited(revalidate=self.frames_valid)

    def _options_edited(self, revalidate: bool = True) -> None:
        if self._restoring:
            return
        self._revalidate = getattr(self, "_revalidate", False) or revalidate
        self._options_timer.start()

    def _options_settled(self) -> None:
        self.save_settings()
        if getattr(self, "_revalidate", False):
            self._revalidate = False
            self.run_prepare()

    def save_settings(self) -> None:
        """Store the submitter's choices with the scene (host.save_scene_settings)."""
        if self.scene is None or not getattr(self, "frames_valid", True):
            return
        try:
            self.host.save_scene_settings(self.options().to_settings())
        except Exception:
            log.exception("the host could not store the settings")

    # account ------------------------------------------------------------------------------------
    def load_account(self) -> None:
        """Who is logged in, their labels and environments (worker)."""
        self.account_line.set_loading()
        cg_id = int(self.scene.cg_id) if self.scene is not None else 0
        self.runner.run(_load_account, self.account.client, cg_id, name="load_account",
                        on_done=self._account_loaded, on_error=self._account_failed)

    def _account_loaded(self, result: Any) -> None:
        profile, labels, envs, endpoint = result
        self.account_error = None
        self.account_line.set_profile(profile, endpoint)
        current = self.label_combo.currentText()
        self.label_combo.blockSignals(True)
        self.label_combo.clear()
        self.label_combo.addItems([l.project_name for l in labels if getattr(l, "project_name", "")])
        self.label_combo.setEditText(current)
        self.label_combo.blockSignals(False)
        self._user_envs = list(envs)
        self._set_env_items(envs, self.env_combo.currentData())
        self._update_buttons()

    def _account_failed(self, error: BaseException) -> None:
        self.account_error = error
        self.account_line.show_error(error)
        self._update_buttons()

    def _account_changed(self) -> None:
        self.load_account()
        self.run_prepare()

    def _open_settings(self) -> None:
        from renderbus_dcc.ui import open_settings

        open_settings(self.host)

    # environment ----------------------------------------------------------------------------------
    def _set_env_items(self, envs: List[Any], current: Optional[str]) -> None:
        auto = _("Automatic")
        env = self._auto_env
        if env is not None:
            auto = (_("Automatic: %s") if env.existing is not None else _("Automatic: %s (new)")) % env.env_name
        self.env_combo.blockSignals(True)
        self.env_combo.clear()
        self.env_combo.addItem(auto, AUTO_ENV)
        names = []
        for e in envs:
            names.append(e.edit_name)
            plugins = ", ".join("%s %s" % (p.plugin_name, p.plugin_version) for p in e.plugins)
            self.env_combo.addItem("%s — %s %s%s%s" % (e.edit_name, e.cg_name, e.cg_version,
                                                         (" · " + plugins) if plugins else "",
                                                         _(" (default)") if e.is_default else ""), e.edit_name)
        if current and current not in names:
            self.env_combo.addItem(_("New: %s") % current, current)
        self.env_combo.addItem(_("New environment…"), None)
        index = self.env_combo.findData(current or AUTO_ENV)
        self.env_combo.setCurrentIndex(max(0, index))
        self.env_combo.blockSignals(False)

    def _env_activated(self, index: int) -> None:
        data = self.env_combo.itemData(index)
        if data is None:  # "New environment…"
            env = self._auto_env
            proposal = env.env_name if env is not None and env.existing is None else (
                "%s_%s" % ((self.scene.scene_name.rsplit(".", 1)[0] if self.scene else "scene"),
                           self.scene.cg_version if self.scene else ""))
            name, ok = QtWidgets.QInputDialog.getText(self, _("New render environment"),
                                                      _("Name of the new environment:"), text=proposal)
            if not ok or not name.strip():
                self.env_combo.setCurrentIndex(0)
                return
            self.set_env_name(name.strip())
            return
        self._options_edited()

    def set_env_name(self, name: Optional[str]) -> None:
        """Use this render environment (an existing one, or a new one by this name); None = automatic."""
        self._set_env_items(self._user_envs, name or AUTO_ENV)
        self._options_edited()

    # prepare / validate ----------------------------------------------------------------------------
    def run_prepare(self) -> None:
        """Check the scene with the farm (worker); the validation list shows the result."""
        if self.scene is None:
            self.validation.set_issues([])
            self.validation.summary.setText(_("No scene to check."))
            self.prepared.emit()
            return
        if self._prepare_job is not None and not self._prepare_job.finished:
            self._prepare_again = True
            return
        self._prepare_again = False
        self.validation.set_checking()
        self._prepare_job = self.runner.run(_prepare, self.account.client, self.scene, self.options(),
                                            name="prepare", on_done=self._prepared, on_error=self._prepare_failed)
        self._update_buttons()

    def _prepare_done(self) -> None:
        self._update_buttons()
        if self._prepare_again:
            self.run_prepare()
        else:
            self.prepared.emit()

    def _prepared(self, result: Any) -> None:
        offline_error = None
        if isinstance(result, tuple):
            result, offline_error = result
        self.preparation = result
        self.validation.set_issues(result.report.issues, complete=result.env is not None)
        env = result.env
        if env is None:
            self.software_label.setText("%s %s" % (self.scene.cg_name, self.scene.cg_version))
            self.renderer_label.setText(self._renderer_text())
            self.plugins_label.setText(", ".join("%s %s" % (p.name, p.version) for p in self.scene.plugins) or _("none"))
            if isinstance(offline_error, CredentialsMissing):
                self.env_reason.setText(_("The render environment is chosen once your Renderbus account is set up."))
            else:
                self.env_reason.setText(_("The render environment is chosen once the farm can be reached (%s).")
                                        % (message_line(offline_error) if offline_error else _("no answer")))
        else:
            if not self.env_combo.currentData():
                self._auto_env = env
            self.software_label.setText("%s %s" % (env.cg_name, env.cg_version))
            self.renderer_label.setText(self._renderer_text())
            plugins = []
            for p in env.plugins:
                version = str(p.version or "—")
                text = version if version.lower().startswith(p.name.lower()) else "%s %s" % (p.name, version)
                if not p.exact and p.wanted:
                    text += _(" (scene has %s)") % p.wanted
                plugins.append(text)
            self.plugins_label.setText(", ".join(plugins) or _("none"))
            self.env_reason.setText("\n".join([env.reason] + ["⚠ " + w for w in env.warnings] +
                                              ["✖ " + e for e in env.errors]))
            self._set_env_items(self._user_envs, self.env_combo.currentData())
        self._prepare_done()

    def _renderer_text(self) -> str:
        if self.scene is None:
            return ""
        return ("%s %s" % (self.scene.renderer, self.scene.renderer_version)).strip() or _("(the scene's default)")

    def _prepare_failed(self, error: BaseException) -> None:
        self.preparation = None
        from renderbus_dcc.validation import Issue, Severity

        self.validation.set_issues([Issue(Severity.ERROR, "prepare", message_line(error),
                                          getattr(error, "hint", "") or _("check the scene and the settings"))])
        self._prepare_done()

    # state of the buttons -----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._submit_job is not None

    def blocking_reason(self) -> str:
        """Why Submit is disabled ('' when it is enabled)."""
        if self.scene is None:
            return _("there is no scene")
        if not getattr(self, "frames_valid", True):
            return _("the frames are not valid")
        if not getattr(self, "test_frames_valid", True):
            return _("the test frames are not valid")
        if self.layers_list.count() and not self._checked(self.layers_list, []):
            return _("select at least one layer")
        if self.account_error is not None or self.account_line.state != "ok":
            return _("no Renderbus account is connected")
        if self.preparation is None or (self._prepare_job is not None and not self._prepare_job.finished):
            return _("the scene is being checked")
        if not self.preparation.report.ok:
            return _("fix the errors first")
        env = self.preparation.env
        if env is None or not env.ok:
            return _("no render environment fits the scene")
        return ""

    def _update_buttons(self) -> None:
        busy = self.busy
        reason = "" if busy else self.blocking_reason()
        self.submit_button.setEnabled(not busy and not reason)
        self.submit_button.setToolTip((_("Submit is disabled: %s.") % reason) if reason else _("Submit the scene."))
        self.export_button.setEnabled(not busy and self.scene is not None and getattr(self, "frames_valid", True))
        for w in (self.frames_edit, self.layers_list, self.cameras_list, self.label_combo, self.env_combo,
                  self.test_frames_edit):
            w.setEnabled(not busy)

    # submit --------------------------------------------------------------------------------------
    def confirm_warnings(self, report: Any) -> bool:
        """Ask whether to submit despite the warnings (main thread)."""
        lines = "\n".join("• %s" % w.message for w in report.warnings[:8])
        answer = QtWidgets.QMessageBox.question(
            self, _("Submit with warnings?"),
            ngettext("The checks found %(count)d warning:\n\n%(warnings)s\n\nSubmit anyway?",
                     "The checks found %(count)d warnings:\n\n%(warnings)s\n\nSubmit anyway?", len(report.warnings))
            % {"count": len(report.warnings), "warnings": lines}, qt.MSG_YES | qt.MSG_NO, qt.MSG_NO)
        return answer == qt.MSG_YES

    def interrupted_submission(self) -> Any:
        """The scene's interrupted submission (its journal), or None (main thread: disk only)."""
        from renderbus_dcc.pending import interrupted_for

        if self.scene is None:
            return None
        try:
            client = self.account.client()
        except RenderbusError:
            return None
        return interrupted_for(self.scene, client)

    def ask_interrupted(self, journal: Any) -> Optional[str]:
        """Ask what to do with the scene's interrupted submission: "resume", "discard", "new", or
        None (cancel). A modal dialog (main thread)."""
        from renderbus_dcc.pending import describe

        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle(_("Interrupted submission"))
        box.setText(_("This scene has an interrupted submission:"))
        box.setInformativeText(describe(journal) + "\n\n" + _(
            "Resume carries it on with the same task. Discard deletes its task and submits the scene again. "
            "Submit anew keeps it, so the scene may render twice."))
        role = lambda name: qt.enum(QtWidgets.QMessageBox, "ButtonRole", name)  # noqa: E731
        buttons: Dict[Any, str] = {
            box.addButton(_("Resume"), role("AcceptRole")): "resume",
            box.addButton(_("Discard and submit again"), role("DestructiveRole")): "discard",
            box.addButton(_("Submit anew"), role("ActionRole")): "new",
        }
        cancel = box.addButton(_("Cancel"), role("RejectRole"))
        box.setDefaultButton(list(buttons)[0])
        box.setEscapeButton(cancel)
        qt.exec_dialog(box)
        return buttons.get(box.clickedButton())

    def submit(self) -> None:
        """Submit the scene: asks what to do with its interrupted submission if it has one, and
        whether to go on when there are warnings."""
        if self.busy or self.blocking_reason():
            return
        interrupted = None
        journal = self.interrupted_submission()
        if journal is not None:
            interrupted = self.ask_interrupted(journal)
            if interrupted is None:
                return
        if interrupted != "resume" and self.preparation.report.warnings \
                and not self.confirm_warnings(self.preparation.report):
            return
        self._start(dry_run_dir=None, interrupted=interrupted)

    def _export_clicked(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, _("Export the task files to"))
        if folder:
            self.export_to(folder)

    def export_to(self, folder: str) -> None:
        """A dry run: write the task files to ``folder``; nothing is created on the farm."""
        if not self.busy:
            self._start(dry_run_dir=folder)

    def _start(self, dry_run_dir: Optional[str], interrupted: Optional[str] = None) -> None:
        self._read_scene(restore=False)  # the scene as it is now, read on the main thread
        if self.scene is None:
            return
        self.save_settings()
        self._begin(_("Checking the scene…"), _submit, self.account.client, self.scene, self.options(dry_run_dir),
                    self._worker_progress, interrupted)

    def resume(self) -> None:
        """Carry on the interrupted submission (nothing is uploaded twice, no second task)."""
        if not self.busy:
            self._begin(_("Resuming…"), _resume, self.account.client, self._worker_progress, self._interrupted_id)

    def _begin(self, text: str, fn: Any, *args: Any) -> None:
        """Start a submission job (submit or resume) with the progress panel showing."""
        self.result, self.last_error = None, None
        self._show_result("", monitor=False, resume=False)
        self.progress.set_progress(None, text)
        self.progress.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self._submit_job = self.runner.run(fn, *args, name=fn.__name__.strip("_"), on_progress=self._show_progress,
                                           on_done=self._submitted, on_error=self._failed)
        self._update_buttons()

    def _worker_progress(self, job: Any, progress: Any) -> Optional[bool]:
        """submit()'s progress callback, on the worker thread: forward, and cancel if asked."""
        return job.report(progress)

    def cancel(self) -> None:
        """Stop the upload; the journal keeps what was done."""
        if self._submit_job is not None:
            self._submit_job.cancel()
            self.progress.cancel_button.setEnabled(False)
            self.progress.set_progress(None, _("Cancelling…"))

    def _show_progress(self, p: Any) -> None:
        if self._submit_job is None or self._submit_job.cancelled:
            return
        text = _(STAGE_TEXT.get(p.stage, p.stage))
        fraction: Optional[float] = None
        if p.stage == "upload":
            text = _("Uploading file %(file)d of %(files)d — %(sent)s of %(size)s") % {
                "file": min(p.files_done + 1, p.files_total), "files": p.files_total,
                "sent": format_bytes(p.bytes_done), "size": format_bytes(p.bytes_total)}
            if p.current_file:
                text += "\n%s" % p.current_file
            fraction = (p.bytes_done / float(p.bytes_total)) if p.bytes_total else (
                (p.files_done / float(p.files_total)) if p.files_total else None)
        elif p.message:
            text = "%s (%s)" % (text, p.message)
        self.progress.set_progress(fraction, text)

    def _finish(self) -> None:
        self._submit_job = None
        self.progress.setVisible(False)
        self._update_buttons()

    def _submitted(self, result: Any) -> None:
        self._finish()
        self.result = result
        if result.dry_run_dir:
            self._show_result(ngettext("Exported the task files of %(files)d file, %(size)s, to %(folder)s. Nothing was "
                                       "sent to the farm.",
                                       "Exported the task files of %(files)d files, %(size)s, to %(folder)s. Nothing was "
                                       "sent to the farm.", result.files)
                              % {"files": result.files, "size": format_bytes(result.bytes), "folder": result.dry_run_dir},
                              monitor=False)
        else:
            alias = " (%s)" % result.alias if result.alias and result.alias != str(result.task_id) else ""
            self._show_result(ngettext("<b>Submitted task %(task)d%(alias)s</b> — %(files)d file, %(size)s uploaded, "
                                       "environment %(env)s.",
                                       "<b>Submitted task %(task)d%(alias)s</b> — %(files)d files, %(size)s uploaded, "
                                       "environment %(env)s.", result.files)
                              % {"task": result.task_id, "alias": alias, "files": result.files,
                                 "size": format_bytes(result.bytes), "env": result.env_name or "?"}, monitor=True)
        self.submitted.emit(result)

    def _failed(self, error: BaseException) -> None:
        from renderbus_dcc.errors import SubmissionError, TransferError, ValidationFailed

        self._finish()
        self.last_error = error
        if isinstance(error, Cancelled):
            self._interrupted_id = getattr(error, "journal_id", None)
            left = getattr(error, "left_behind", "") or message_line(error)
            if getattr(error, "task_id", None):
                self._show_result(left + " " + _("<b>Resume upload</b> carries on with that task; <b>Submit</b> "
                                                 "asks whether to resume or discard it."),
                                  resume=True, color="#b26a00")
            else:
                self._show_result(left, color="#b26a00")
        elif isinstance(error, ValidationFailed):
            if error.report is not None:
                self.validation.set_issues(error.report.issues)
            self._show_result(_("Not submitted: %s") % message_line(error), color="#c62828")
        else:
            resumable = isinstance(error, (SubmissionError, TransferError, TransportError))
            self._interrupted_id = getattr(self.interrupted_submission(), "id", None)
            self._show_result(_("Submission failed: %s") % message_line(error), resume=resumable, color="#c62828")
        self.submit_failed.emit(error)

    def _show_result(self, text: str, monitor: bool = False, resume: bool = False, color: str = "") -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("color: %s;" % color if color else "")
        self.monitor_button.setVisible(monitor)
        self.resume_button.setVisible(resume)

    def open_monitor(self) -> Any:
        """Open the monitor on the submitted task."""
        from renderbus_dcc.ui import open_monitor

        ids = [self.result.task_id] if self.result is not None and self.result.task_id else None
        return open_monitor(self.host, ids)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if self._remove_callback is not None:
            try:
                self._remove_callback()
            except Exception:
                log.exception("removing the scene callback failed")
            self._remove_callback = None
        super().closeEvent(event)
