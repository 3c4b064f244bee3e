"""Pre-flight validation: what would make a submission fail or render wrong, said so a user can act.

Each check is a small :class:`Validator` (after Conductor's idea) that adds errors (block the
submission), warnings (shown; the user confirms) or notices (shown). ``validate()`` runs them
all and returns a :class:`ValidationReport`. Every :class:`Issue` says what is wrong, names
the node or file (``subject``) and what to do (``hint``).

``options`` (e.g. the pipeline's SubmitOptions) may override what is rendered: any object
with ``frames`` (spec str), ``layers`` and ``cameras`` (lists of names) attributes, each may be
None or absent.
"""

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Sequence, Type

from renderbus_dcc import paths
from renderbus_dcc.errors import FrameSpecError, ValidationFailed
from renderbus_dcc.frames import parse_frames
from renderbus_dcc.i18n import _
from renderbus_dcc.scene import RenderLayer, SceneDescription
from renderbus_dcc.i18n import N_, _, ngettext

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.assets import AssetCollection
    from renderbus_dcc.environment import EnvChoice

__all__ = [
    "Severity",
    "Issue",
    "ValidationReport",
    "Context",
    "Validator",
    "VALIDATORS",
    "validate",
    "frame_count",
    "MAX_RESOLUTION",
]

#: Widths or heights above this get a warning (likely a typo, and memory-hungry on the farm).
MAX_RESOLUTION = 16384
#: How many files a message names before "and N more".
_SHOWN = 3

_MISSING_HINTS = {
    2000: N_("relink them in Windows > General Editors > File Path Editor"),
    2001: N_("relink them in the Asset Tracking window (Shift+T)"),
    2007: N_("relink them with File > External Data > Find Missing Files"),
}


class Severity(str, enum.Enum):
    """How bad an issue is: errors block the submission, warnings ask, notices inform."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def label(self) -> str:
        """The severity in the language in use ("error" / "错误")."""
        return _(_SEVERITY_LABELS[self.value])


_SEVERITY_LABELS = {"error": N_("error"), "warning": N_("warning"), "notice": N_("notice")}


@dataclass
class Issue:
    """One problem found: ``message`` says what is wrong, ``hint`` what to do, ``subject`` where."""

    severity: Severity
    code: str
    message: str
    hint: str = ""
    subject: str = ""

    def __str__(self) -> str:
        text = "%s: %s" % (self.severity.label, self.message)
        return "%s (%s)" % (text, self.hint) if self.hint else text


@dataclass
class ValidationReport:
    """Every issue found, in the order the checks ran."""

    issues: List[Issue] = field(default_factory=list)

    def _of(self, severity: Severity) -> List[Issue]:
        return [i for i in self.issues if i.severity == severity]

    @property
    def errors(self) -> List[Issue]:
        return self._of(Severity.ERROR)

    @property
    def warnings(self) -> List[Issue]:
        return self._of(Severity.WARNING)

    @property
    def notices(self) -> List[Issue]:
        return self._of(Severity.NOTICE)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the submission (warnings and notices may remain)."""
        return not self.errors

    def codes(self) -> List[str]:
        return [i.code for i in self.issues]

    def summary(self) -> str:
        """``2 errors, 1 warning, 0 notices``."""
        return ", ".join((
            ngettext("%d error", "%d errors", len(self.errors)) % len(self.errors),
            ngettext("%d warning", "%d warnings", len(self.warnings)) % len(self.warnings),
            ngettext("%d notice", "%d notices", len(self.notices)) % len(self.notices),
        ))

    def __str__(self) -> str:
        return "\n".join([self.summary()] + ["- %s" % i for i in self.issues])

    def raise_for_errors(self) -> None:
        """Raise ValidationFailed(report=self) if there is any error."""
        if self.errors:
            first = self.errors[0]
            more = _(" (and %d more errors)") % (len(self.errors) - 1) if len(self.errors) > 1 else ""
            raise ValidationFailed(first.message + more, hint=first.hint, report=self)


@dataclass
class Context:
    """What the checks look at: the scene, what the user chose to render, and the findings."""

    scene: SceneDescription
    assets: Optional["AssetCollection"] = None
    env: Optional["EnvChoice"] = None
    frames: Any = ""  #: the frame spec rendered (options or the scene's)
    layers: List[RenderLayer] = field(default_factory=list)  #: the layers rendered
    cameras: Optional[List[str]] = None  #: the cameras chosen in options (None: each layer's)
    unknown_layers: List[str] = field(default_factory=list)
    frame_count: int = 0  #: frames the farm would render: frames x layers x cameras
    forecast: Optional[float] = None  #: what they would cost, from the account's history
    confirm_frames: int = 0  #: above this many frames, ask first (0: never)
    confirm_cost: float = 0.0  #: above this forecast cost, ask first (0: never)


class Validator:
    """One check. Subclasses implement :meth:`run` and call add_error/add_warning/add_notice."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.issues: List[Issue] = []

    def run(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def add_error(self, code: str, message: str, hint: str = "", subject: str = "") -> None:
        self.issues.append(Issue(Severity.ERROR, code, message, hint, subject))

    def add_warning(self, code: str, message: str, hint: str = "", subject: str = "") -> None:
        self.issues.append(Issue(Severity.WARNING, code, message, hint, subject))

    def add_notice(self, code: str, message: str, hint: str = "", subject: str = "") -> None:
        self.issues.append(Issue(Severity.NOTICE, code, message, hint, subject))


def _few(items: Sequence[str], shown: int = _SHOWN) -> str:
    """``a, b, c and 4 more``."""
    head = _(", ").join(items[:shown])
    return head + (_(" and %d more") % (len(items) - shown) if len(items) > shown else "")


class SceneSavedValidator(Validator):
    """The farm renders the saved file: never saved is an error, unsaved changes a warning."""

    def run(self) -> None:
        scene = self.context.scene
        if not scene.scene_file:
            self.add_error(
                "scene_never_saved",
                _("The scene has never been saved, so there is no file to send to the farm."),
                _("save the scene, then submit again"),
            )
        elif scene.modified:
            self.add_warning(
                "scene_unsaved",
                _("The scene %s has unsaved changes; the farm renders the last saved file, without them.")
                % scene.scene_name,
                _("save the scene first to render your changes"),
                scene.scene_file,
            )


class SceneFileValidator(Validator):
    """The scene file must exist on disk (known once assets are collected)."""

    def run(self) -> None:
        assets = self.context.assets
        if assets is None or not self.context.scene.scene_file:
            return
        for missing in assets.missing:
            if missing.kind == "scene":
                self.add_error(
                    "scene_file_missing",
                    _("The scene file %s does not exist on disk.") % missing.resolved,
                    _("save the scene again (it may have been moved or deleted)"),
                    missing.resolved,
                )


class MissingAssetsValidator(Validator):
    """Missing textures, caches and references: a warning naming the first few and their owners."""

    def run(self) -> None:
        assets = self.context.assets
        if assets is None:
            return
        missing = [m for m in assets.missing if m.kind != "scene"]
        if not missing:
            return
        named = ["%s (%s)" % (m.path, m.owner) if m.owner else m.path for m in missing]
        hint = _(_MISSING_HINTS.get(self.context.scene.cg_id, N_("relink them in the scene")))
        self.add_warning(
            "assets_missing",
            ngettext("%(count)d file the scene uses cannot be found: %(files)s; the farm will render without it.",
                     "%(count)d files the scene uses cannot be found: %(files)s; the farm will render without them.",
                     len(missing)) % {"count": len(missing), "files": _few(named)},
            _("%s, or submit anyway") % hint,
            missing[0].owner or missing[0].path,
        )


class LayersValidator(Validator):
    """At least one layer renders, and every layer asked for exists."""

    def run(self) -> None:
        ctx = self.context
        names = [layer.name for layer in ctx.scene.layers]
        for name in ctx.unknown_layers:
            self.add_error(
                "layer_unknown",
                _('The render layer "%(layer)s" chosen for the submission is not in the scene (it has %(layers)s).')
                % {"layer": name, "layers": _few(names, 10) or _("no layers")},
                _("choose layers again in the submitter"),
                name,
            )
        if ctx.scene.layers and not ctx.layers and not ctx.unknown_layers:
            self.add_error(
                "no_renderable_layer",
                _("No render layer is renderable, so nothing would render (layers: %s).") % _few(names, 10),
                _("make at least one layer renderable in the render settings"),
            )


class CamerasValidator(Validator):
    """Each rendered layer has a renderable camera; chosen cameras exist."""

    def run(self) -> None:
        ctx = self.context
        scene = ctx.scene
        if ctx.cameras is not None:
            known = scene_cameras(scene)
            for camera in [c for c in ctx.cameras if c not in known]:
                self.add_error(
                    "camera_unknown",
                    _('The camera "%(camera)s" chosen for the submission is not in the scene (it has %(known)s).')
                    % {"camera": camera, "known": _few(sorted(known), 10) or _("no cameras")},
                    _("choose cameras again in the submitter (or --cameras)"),
                    camera,
                )
            if not ctx.cameras:
                self.add_error("no_renderable_camera", _("No camera is chosen for the submission."),
                               _("choose at least one camera"))
            return
        if not ctx.layers:
            if not scene.layers and not scene.cameras:
                self.add_error(
                    "no_renderable_camera",
                    _("The scene has no camera to render from."),
                    _("add a camera and make it the render camera"),
                )
            return
        for layer in ctx.layers:
            if not layer.cameras:
                self.add_error(
                    "no_renderable_camera",
                    _('The render layer "%s" has no renderable camera.') % layer.name,
                    _("make a camera renderable for this layer in the render settings"),
                    layer.name,
                )


class FramesValidator(Validator):
    """The frame spec (the submission's, the scene's, each layer's override) reads and is not empty."""

    def run(self) -> None:
        ctx = self.context
        specs = [(ctx.frames, "")] + [(layer.frames, layer.name) for layer in ctx.layers if layer.frames]
        for spec, layer in specs:
            if spec is None or (isinstance(spec, str) and not spec.strip()):
                self.add_error(
                    "frames_empty",
                    _('The frame range of layer "%s" is empty, so no frame would render.') % layer if layer
                    else _("The frame range is empty, so no frame would render."),
                    _("enter frames like 1-100 or 1,5,10-20"),
                    layer,
                )
                continue
            try:
                parse_frames(spec)
            except FrameSpecError as error:
                values = {"layer": layer, "problem": error.args[0]}
                self.add_error("frames_invalid",
                               _('The frame range of layer "%(layer)s" cannot be read: %(problem)s.') % values if layer
                               else _("The frame range cannot be read: %(problem)s.") % values,
                               error.hint, layer)


def scene_cameras(scene: SceneDescription) -> List[str]:
    """The cameras the scene itself has (before a submission's choice was applied to it)."""
    own = scene.extra.get("scene_cameras")
    if isinstance(own, list):
        return [str(c) for c in own]
    return list(dict.fromkeys(list(scene.cameras) + [c for layer in scene.layers for c in layer.cameras]))


def _frames_in(spec: Any) -> int:
    try:
        return len(parse_frames(spec))
    except (FrameSpecError, TypeError, ValueError):
        return 0  # FramesValidator says why


def frame_count(scene: SceneDescription, options: Any = None) -> int:
    """Frames the farm would render: each rendered layer's frames times its cameras (one
    camera when none is named), or the scene's frames times the chosen cameras."""
    ctx = _context(scene, None, None, options)
    if not ctx.layers:
        cameras = ctx.cameras or scene.extra.get("render_cameras") or [None]
        return _frames_in(ctx.frames) * len(cameras)
    total = 0
    for layer in ctx.layers:
        spec = layer.frames if layer.frames else ctx.frames
        total += _frames_in(spec) * max(1, len(ctx.cameras if ctx.cameras is not None else layer.cameras))
    return total


class CostValidator(Validator):
    """A submission that renders many frames, or would cost much, asks first (thresholds are
    settings: ``renderbus config --confirm-frames N --confirm-cost X``)."""

    def run(self) -> None:
        ctx = self.context
        if ctx.confirm_frames and ctx.frame_count > ctx.confirm_frames:
            self.add_warning(
                "frames_many",
                _("This submission renders %(count)d frames, more than the %(limit)d that ask for a confirmation.")
                % {"count": ctx.frame_count, "limit": ctx.confirm_frames},
                _("check the frame range, layers and cameras; submit to confirm"),
            )
        if ctx.confirm_cost and ctx.forecast is not None and ctx.forecast > ctx.confirm_cost:
            self.add_warning(
                "cost_high",
                _("This submission would cost about %(cost).2f (from what your recent frames cost), more than the "
                  "%(limit).2f that ask for a confirmation.") % {"cost": ctx.forecast, "limit": ctx.confirm_cost},
                _("render test frames first, or fewer frames; submit to confirm"),
            )


class EnvironmentValidator(Validator):
    """The farm's versions of the application and plugins (from the environment choice)."""

    def run(self) -> None:
        env = self.context.env
        if env is None:
            return
        for text in env.errors:
            self.add_error("environment_unsupported", text, _("change the version in the application, or ask Renderbus support"))
        for text in env.warnings:
            self.add_warning("environment_nearest", text, _("submit a few test frames first to check the result"))


class OutputValidator(Validator):
    """The output name the farm writes under, and its file name characters."""

    def run(self) -> None:
        scene = self.context.scene
        if not scene.output_prefix and not scene.output_dir:
            self.add_notice(
                "output_default",
                _("No output folder or file name prefix is set; the farm names the images after the scene."),
                _("set an output prefix in the render settings to name the images"),
            )
        if scene.output_prefix:
            problems = paths.name_problems(scene.output_prefix.replace("<", "").replace(">", ""), max_length=None)
            if problems:
                self.add_warning(
                    "output_name",
                    _("The output file name prefix %(prefix)r cannot be written on the farm: %(problems)s.")
                    % {"prefix": scene.output_prefix, "problems": _("; ").join(problems)},
                    _("remove those characters from the prefix in the render settings"),
                    scene.output_prefix,
                )
        if scene.output_dir and paths.is_absolute(scene.output_dir):
            self.add_notice(
                "output_on_farm",
                _("Images are written to the farm's output storage, not to %s; download them when the task finishes.")
                % scene.output_dir,
                _("use the monitor's download, or the Renderbus client"),
                scene.output_dir,
            )


def _files(ctx: Context) -> List[str]:
    """Absolute local paths of the assets: the collected files if known, else the scene's absolute paths."""
    if ctx.assets is not None:
        return [f.local for f in ctx.assets.files]
    return [paths.normalise(a.path) for a in ctx.scene.assets if a.path and paths.is_absolute(a.path)]


class AssetLocationValidator(Validator):
    """Assets outside the project (notice) and on another drive than the project (warning)."""

    def run(self) -> None:
        project = self.context.scene.project_dir
        if not project or not paths.is_absolute(project):
            return
        files = _files(self.context)
        outside = [f for f in files if not paths.is_inside(f, project)]
        other_drive = [f for f in outside if paths.drive_of(f) and not paths.same_drive(f, project)]
        if other_drive:
            self.add_warning(
                "assets_other_drive",
                ngettext("%(count)d file is on another drive than the project (%(drive)s): %(files)s.",
                         "%(count)d files are on another drive than the project (%(drive)s): %(files)s.", len(other_drive))
                % {"count": len(other_drive), "drive": paths.drive_of(project), "files": _few(other_drive)},
                _("they are uploaded under their own drive's path; copy them into the project if the render cannot find them"),
                other_drive[0],
            )
        rest = [f for f in outside if f not in set(other_drive)]
        if rest:
            self.add_notice(
                "assets_outside_project",
                ngettext("%(count)d file is outside the project folder %(project)s: %(files)s.",
                         "%(count)d files are outside the project folder %(project)s: %(files)s.", len(rest))
                % {"count": len(rest), "project": project, "files": _few(rest)},
                _("they are uploaded with their full path; nothing to do unless you move the project"),
                rest[0],
            )


class FileNamesValidator(Validator):
    """Names the farm's Windows nodes cannot store (error) and over-long paths (warning)."""

    def run(self) -> None:
        ctx = self.context
        candidates: List[str] = []
        if ctx.scene.scene_file:
            candidates.append(paths.normalise(ctx.scene.scene_file))
        candidates += _files(ctx) if ctx.assets is not None else []
        bad: List[str] = []
        long: List[str] = []
        for path in candidates:
            problems = paths.name_problems(path, max_length=None)
            if problems:
                bad.append("%s (%s)" % (path, _("; ").join(problems)))
            if len(path) > paths.MAX_PATH_LENGTH:
                long.append(path)
        if bad:
            self.add_error(
                "file_name_invalid",
                ngettext("%(count)d file has a name the farm cannot take: %(files)s.",
                         "%(count)d files have names the farm cannot take: %(files)s.", len(bad))
                % {"count": len(bad), "files": _few(bad)},
                _('rename them without the characters : * ? " < > | and without a space or dot at the end, then relink'),
                bad[0],
            )
        if long:
            self.add_warning(
                "path_too_long",
                ngettext("%(count)d file has a path longer than %(max)d characters, which the farm's Windows nodes may "
                         "not open: %(files)s.",
                         "%(count)d files have a path longer than %(max)d characters, which the farm's Windows nodes may "
                         "not open: %(files)s.", len(long))
                % {"count": len(long), "max": paths.MAX_PATH_LENGTH, "files": _few(long)},
                _("move them to a shorter folder or shorten their names"),
                long[0],
            )


class ResolutionValidator(Validator):
    """Width and height make sense."""

    def run(self) -> None:
        scene = self.context.scene
        if scene.width <= 0 or scene.height <= 0:
            self.add_error(
                "resolution_invalid",
                _("The image size %(width)dx%(height)d is not valid.") % {"width": scene.width, "height": scene.height},
                _("set a width and height of at least 1 pixel in the render settings"),
            )
        elif scene.width > MAX_RESOLUTION or scene.height > MAX_RESOLUTION:
            self.add_warning(
                "resolution_large",
                _("The image size %(width)dx%(height)d is very large; frames will be slow and may run out of memory.")
                % {"width": scene.width, "height": scene.height},
                _("check the resolution in the render settings"),
            )


#: The checks ``validate`` runs, in order.
VALIDATORS: List[Type[Validator]] = [
    SceneSavedValidator,
    SceneFileValidator,
    EnvironmentValidator,
    LayersValidator,
    CamerasValidator,
    FramesValidator,
    CostValidator,
    ResolutionValidator,
    MissingAssetsValidator,
    FileNamesValidator,
    AssetLocationValidator,
    OutputValidator,
]


def _names(value: Any) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        return [n.strip() for n in value.split(",") if n.strip()]
    return [str(n) for n in value]


def _context(scene: SceneDescription, assets: Any, env: Any, options: Any, forecast: Optional[float] = None) -> Context:
    frames = getattr(options, "frames", None) if options is not None else None
    chosen_layers = _names(getattr(options, "layers", None)) if options is not None else None
    cameras = _names(getattr(options, "cameras", None)) if options is not None else None
    if frames is None or (isinstance(frames, str) and not frames.strip()):
        frames = scene.frames  # a blank override means "the scene's frames"
    ctx = Context(scene, assets, env, frames, cameras=cameras)
    if chosen_layers:  # an explicit choice renders those layers, renderable or not
        by_name = {layer.name: layer for layer in scene.layers}
        ctx.layers = [by_name[n] for n in chosen_layers if n in by_name]
        ctx.unknown_layers = [n for n in chosen_layers if n not in by_name]
    else:
        ctx.layers = scene.renderable_layers()
    ctx.forecast = forecast
    ctx.confirm_frames = int(getattr(options, "confirm_frames", 0) or 0)
    ctx.confirm_cost = float(getattr(options, "confirm_cost", 0) or 0)
    return ctx


def validate(
    scene: SceneDescription,
    assets: Optional["AssetCollection"] = None,
    env: Optional["EnvChoice"] = None,
    options: Any = None,
    validators: Optional[Iterable[Type[Validator]]] = None,
    forecast: Optional[float] = None,
) -> ValidationReport:
    """Run every check (or ``validators``) and return the report; never raises for findings.
    ``forecast``: what the submission would cost (asks above ``options.confirm_cost``)."""
    ctx = _context(scene, assets, env, options, forecast)
    if ctx.confirm_frames:
        ctx.frame_count = frame_count(scene, options)
    report = ValidationReport()
    for cls in VALIDATORS if validators is None else validators:
        check = cls(ctx)
        check.run()
        report.issues.extend(check.issues)
    return report
