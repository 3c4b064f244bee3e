"""The render environment: which farm version of the application and of each plugin renders a scene.

A pure function of (scene, the farm's catalogue, the user's saved environments), so it is
tested without a network; the pipeline queries the farm and creates the environment.

Rules (what a TD expects):

- Application: the exact version string; else the farm's version of the same line (Maya
  ``2024.2`` -> ``2024``; Blender ``4.2.3`` -> ``4.2``), nearest first, newer before older; else the
  nearest NEWER version (an application opens older scenes, not newer ones); each with a
  warning naming both versions. Else an error listing what the farm offers.
- Plugins: each of ``scene.plugins`` plus the renderer (built-in renderers such as Maya
  Software/Hardware, Scanline/ART, Cycles/Eevee/Workbench need none). Names match case- and
  alias-insensitively (mtoa = Arnold, vrayformaya = V-Ray, ...). Only plugins offered for the
  chosen application version count. The exact version; else the nearest of the same major
  version (newer before older) with a warning; else an error listing the offered versions. A
  scene that does not say which version it uses gets the newest, with a warning.
- Environment: a saved environment with the same application version and exactly the same
  plugin ids is reused (the default one first); else a new one is proposed with a readable,
  ASCII-only name such as ``Maya 2024 + Arnold 5.3.1.1`` (unique among the user's names).
"""

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from renderbus_dcc.errors import EnvironmentChoiceError
from renderbus_dcc.scene import PluginUse, SceneDescription
from renderbus_dcc.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.models import PluginCatalogue, PluginVersion, RenderEnv, SoftVersion, SupportedSoftware

__all__ = [
    "ChosenPlugin",
    "EnvChoice",
    "choose_environment",
    "canonical_plugin_name",
    "is_builtin_renderer",
    "version_key",
    "MAX_ENV_NAME",
]

#: Longest environment name proposed (plugins beyond it are summarised as "+ N more").
MAX_ENV_NAME = 60

# canonical name -> (display name, aliases). Aliases are compared after _key().
_PLUGINS: Dict[str, Tuple[str, Tuple[str, ...]]] = {
    "arnold": ("Arnold", ("mtoa", "maxtoa", "htoa", "c4dtoa", "arnoldformaya", "mayatoarnold", "maxtoarnold")),
    "vray": ("V-Ray", ("vrayformaya", "vrayformax", "vraynext", "chaosvray", "vray4maya")),
    "redshift": ("Redshift", ("redshift4maya", "redshift4max", "redshift3d", "redshiftformaya", "redshiftrenderer")),
    "corona": ("Corona", ("coronarenderer", "chaoscorona")),
    "renderman": ("RenderMan", ("rfm", "renderman4maya", "rendermanformaya", "prman", "rfb")),
    "octane": ("Octane", ("octanerender", "octaneformaya", "octanerenderer")),
    "yeti": ("Yeti", ("pgyetimaya", "pgyeti", "yetiformaya")),
    "golaem": ("Golaem", ("glmcrowd", "golaemcrowd")),
    "miarmy": ("Miarmy", ("miarmyexpress", "mcdmiarmy")),
    "forestpack": ("Forest Pack", ("forestpackpro", "forestpacklite", "forest")),
    "railclone": ("RailClone", ("railclonepro", "railclonelite")),
    "phoenixfd": ("Phoenix FD", ("phoenix", "chaosphoenix")),
    "ornatrix": ("Ornatrix", ("ornatrixmaya", "ornatrixmax")),
    "tyflow": ("tyFlow", ()),
    "multiscatter": ("MultiScatter", ()),
    "xgen": ("XGen", ()),
    "bifrost": ("Bifrost", ()),
    "mentalray": ("mental ray", ("mentalrayformaya", "mentalcore")),
}
_ALIASES: Dict[str, str] = {
    alias: canon
    for canon, (label, names) in _PLUGINS.items()
    for alias in (canon, re.sub(r"[^a-z0-9]", "", label.lower())) + names
}

#: Renderers that ship inside the application (compared after _key()).
_BUILTIN_RENDERERS = frozenset(
    {
        "", "mayasoftware", "mayahardware", "mayahardware2", "mayavector", "software", "hardware", "hardware2",
        "scanline", "defaultscanlinerenderer", "scanlinerenderer", "art", "artrenderer", "quicksilver",
        "quicksilverhardwarerenderer", "vuefilerenderer", "cycles", "eevee", "eeveenext", "blendereevee",
        "blendereeveenext", "workbench", "blenderworkbench",
    }
)
_SUFFIX = re.compile(r"(for|4|to)(maya|max|3dsmax|blender)$")
_EDITION = re.compile(r"^(\d|gpu|next|adv|hotfix|rt|renderer)")


@dataclass
class ChosenPlugin:
    """One plugin of the environment: the farm's name and version, and what the scene wanted."""

    name: str  #: the farm's plugin name (as task.json's software_config spells it)
    wanted: str  #: the version the scene uses ("" if unknown)
    version: str  #: the farm's version chosen
    plugin_id: int
    exact: bool


@dataclass
class EnvChoice:
    """The environment that will render the scene, and why. ``ok`` when there are no errors."""

    cg_id: int
    cg_name: str
    cg_version: str  #: the farm's version chosen (the scene's if none could be)
    plugins: List[ChosenPlugin] = field(default_factory=list)
    plugin_ids: List[int] = field(default_factory=list)
    env_name: str = ""  #: the existing environment's name, or the one to create
    existing: Optional["RenderEnv"] = None  #: the user's environment reused (None: create env_name)
    reason: str = ""  #: one sentence explaining the choice
    warnings: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise EnvironmentChoiceError (all errors in the message) if there are any."""
        if self.errors:
            raise EnvironmentChoiceError(
                " ".join(self.errors), hint=_("pick another version in the application or ask Renderbus support")
            )


# -- names and versions -----------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


@functools.lru_cache(maxsize=1024)
def canonical_plugin_name(name: str) -> str:
    """One name per plugin, whatever the spelling: ``MtoA`` / ``arnold`` -> ``arnold``, ``V-Ray`` -> ``vray``."""
    key = _key(name)
    if key in _ALIASES:
        return _ALIASES[key]
    stripped = _SUFFIX.sub("", key)
    if stripped in _ALIASES:
        return _ALIASES[stripped]
    # "V_Ray_6_Hotfix_1", "V_Ray_GPU_6", "Corona_9": a known name followed by an edition or version
    for alias in sorted(_ALIASES, key=len, reverse=True):
        if len(alias) >= 4 and key.startswith(alias) and _EDITION.match(key[len(alias):]):
            return _ALIASES[alias]
    return stripped or key


def is_builtin_renderer(name: str) -> bool:
    """True for renderers that ship inside the application (no farm plugin needed)."""
    return _key(name) in _BUILTIN_RENDERERS


def _display(name: str) -> str:
    canon = canonical_plugin_name(name)
    return _PLUGINS[canon][0] if canon in _PLUGINS else name


def version_key(version: str) -> Tuple[int, ...]:
    """The numbers of a version string: ``"2024.2"`` -> (2024, 2); ``"v5.3.1.1"`` -> (5, 3, 1, 1)."""
    return tuple(int(n) for n in re.findall(r"\d+", version or ""))


def _same_text(a: str, b: str) -> bool:
    return a.strip().lower().lstrip("v") == b.strip().lower().lstrip("v")


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _line_length(wanted: Tuple[int, ...]) -> int:
    """How many leading numbers make a release line: 1 for years (2024), 2 otherwise (4.2)."""
    return 1 if wanted and wanted[0] >= 1000 else 2


def _rank(wanted: Tuple[int, ...], offered: Tuple[int, ...]) -> Tuple[int, int, Tuple[int, ...]]:
    """Sort key: longest shared prefix first, then newer before older, then nearest."""
    shared = _common_prefix(wanted, offered)
    newer = 0 if offered >= wanted else 1
    if newer == 0:
        distance = offered
    else:
        distance = tuple(-n for n in offered)
    return (-shared, newer, distance)


def _nearest(wanted: str, offered: Sequence[str], line: int) -> Tuple[Optional[str], str]:
    """(version, how): how is "exact", "line" (same release line), "newer", or "" (none)."""
    for version in offered:
        if _same_text(version, wanted):
            return version, "exact"
    want = version_key(wanted)
    if not want:
        return None, ""
    keyed = [(version_key(v), v) for v in offered if version_key(v)]
    same_line = [(k, v) for k, v in keyed if _common_prefix(want, k) >= min(line, len(want), len(k))]
    if same_line:
        same_line.sort(key=lambda kv: _rank(want, kv[0]))
        best_key, best = same_line[0]
        return best, "exact" if best_key == want else "line"
    newer = sorted((k, v) for k, v in keyed if k > want)
    if newer:
        return newer[0][1], "newer"
    return None, ""


def _shown(plugin: "PluginVersion") -> str:
    """A plugin version as a person reads it beside the plugin's name: "7.10.00", not "vray 7.10.00"."""
    from renderbus_dcc.taskfiles import bare_version

    return bare_version(plugin.plugin_name, plugin.plugin_version)


def _listing(versions: Sequence[str]) -> str:
    ordered = sorted(set(versions), key=lambda v: (version_key(v), v))
    return ", ".join(ordered) if ordered else "none"


# -- the choice -------------------------------------------------------------------------------


def _choose_version(
    scene: SceneDescription, cg_name: str, versions: List["SoftVersion"], warnings: List[str], errors: List[str]
) -> Optional["SoftVersion"]:
    offered = [v.cg_version for v in versions]
    if not versions:
        errors.append(_("The farm offers no version of %s.") % cg_name)
        return None
    if not scene.cg_version.strip():
        newest = max(versions, key=lambda v: version_key(v.cg_version))
        warnings.append(
            _("The scene does not say which %(app)s version made it; using the farm's newest, %(app)s %(version)s.")
            % {"app": cg_name, "version": newest.cg_version}
        )
        return newest
    chosen, how = _nearest(scene.cg_version, offered, _line_length(version_key(scene.cg_version)))
    if chosen is None:
        errors.append(
            _("The farm does not offer %(app)s %(version)s or a newer version that can open the scene; it offers "
              "%(app)s %(offered)s. Save the scene with one of these versions, or ask Renderbus support.")
            % {"app": cg_name, "version": scene.cg_version, "offered": _listing(offered)}
        )
        return None
    version = next(v for v in versions if v.cg_version == chosen)
    if how == "line":
        warnings.append(
            _("The farm has no %(app)s %(version)s exactly; %(app)s %(chosen)s of the same release line will render it.")
            % {"app": cg_name, "version": scene.cg_version, "chosen": chosen}
        )
    elif how == "newer":
        warnings.append(
            _("The farm does not offer %(app)s %(version)s; %(app)s %(chosen)s, the nearest newer version, will open "
              "the scene: check that the first frames look right.")
            % {"app": cg_name, "version": scene.cg_version, "chosen": chosen}
        )
    return version


def _wanted_plugins(scene: SceneDescription) -> List[PluginUse]:
    """The scene's plugins plus its renderer (unless built in), one per canonical name."""
    uses = list(scene.plugins)
    if scene.renderer and not is_builtin_renderer(scene.renderer):
        uses.insert(0, PluginUse(scene.renderer, scene.renderer_version))
    seen: Dict[str, PluginUse] = {}
    for use in uses:
        canon = canonical_plugin_name(use.name)
        if not canon or is_builtin_renderer(use.name):
            continue
        known = seen.get(canon)
        if known is None:
            seen[canon] = PluginUse(use.name, use.version or "")
        elif not known.version and use.version:
            known.version = use.version
    return list(seen.values())


def _choose_plugin(
    use: PluginUse,
    offered: List["PluginVersion"],
    elsewhere: List[str],
    cg_label: str,
    warnings: List[str],
    errors: List[str],
) -> Optional[ChosenPlugin]:
    label = _display(use.name)
    if not offered:
        values = {"plugin": label, "app": cg_label, "elsewhere": ", ".join(elsewhere)}
        if elsewhere:
            text = _("The farm offers no %(plugin)s for %(app)s (only for %(elsewhere)s). Remove it from the scene or "
                     "pick an application version that has it.") % values
        else:
            text = _("The farm offers no %(plugin)s for %(app)s. Remove it from the scene or pick an application "
                     "version that has it.") % values
        errors.append(text)
        return None
    versions = [_shown(p) for p in offered]
    if not use.version.strip():
        newest = max(offered, key=lambda p: version_key(p.plugin_version))
        warnings.append(
            _("The scene does not say which %(plugin)s version it uses; using the farm's newest, %(plugin)s %(version)s.")
            % {"plugin": label, "version": _shown(newest)}
        )
        return ChosenPlugin(newest.plugin_name, "", newest.plugin_version, newest.plugin_id, False)
    exact = next((p for p in offered if _same_text(p.plugin_version, use.version)), None)
    if exact is not None:
        return ChosenPlugin(exact.plugin_name, use.version, exact.plugin_version, exact.plugin_id, True)
    want = version_key(use.version)
    same_major = [p for p in offered if want and version_key(p.plugin_version)[:1] == want[:1]]
    if not same_major:
        errors.append(
            _("The farm does not offer %(plugin)s %(version)s for %(app)s; it offers %(plugin)s %(offered)s. Use one of "
              "these versions in the scene.")
            % {"plugin": label, "version": use.version, "app": cg_label, "offered": _listing(versions)}
        )
        return None
    best = min(same_major, key=lambda p: _rank(want, version_key(p.plugin_version)))
    exact_numbers = version_key(best.plugin_version) == want
    if not exact_numbers:
        warnings.append(
            _("The farm has no %(plugin)s %(version)s for %(app)s; using %(plugin)s %(chosen)s, the nearest version "
              "(offered: %(offered)s).")
            % {"plugin": label, "version": use.version, "app": cg_label, "chosen": _shown(best),
               "offered": _listing(versions)}
        )
    return ChosenPlugin(best.plugin_name, use.version, best.plugin_version, best.plugin_id, exact_numbers)


def _env_name(cg_name: str, cg_version: str, plugins: List[ChosenPlugin], taken: List[str]) -> str:
    """A readable ASCII name: ``Maya 2024 + Arnold 5.3.1.1``, unique among ``taken``."""
    base = "%s %s" % (cg_name, cg_version)
    parts = ["%s %s" % (_display(p.name), p.version) for p in plugins]
    name = " + ".join([base] + parts)
    shown = len(parts)
    while len(name) > MAX_ENV_NAME and shown > 0:
        shown -= 1
        name = " + ".join([base] + parts[:shown] + ["%d more" % (len(parts) - shown)])
    name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    taken_keys = {t.lower() for t in taken}
    unique, n = name, 2
    while unique.lower() in taken_keys:
        unique = "%s (%d)" % (name, n)
        n += 1
    return unique


def choose_environment(
    scene: SceneDescription,
    software: "SupportedSoftware",
    catalogue: "PluginCatalogue",
    user_envs: Sequence["RenderEnv"],
) -> EnvChoice:
    """Choose the farm's application and plugin versions for ``scene``; see the module doc."""
    warnings: List[str] = []
    errors: List[str] = []
    farm_software = next((s for s in software.software if s.cg_id == scene.cg_id), None) if software else None
    cg_name = (farm_software.cg_name if farm_software and farm_software.cg_name else scene.cg_name) or str(scene.cg_id)
    if software and software.software and farm_software is None:
        names = ", ".join(sorted(s.cg_name for s in software.software))
        errors.append(_("The farm does not render %(app)s; it offers %(offered)s.")
                      % {"app": scene.cg_name or scene.cg_id, "offered": names})
    versions = [v for v in catalogue.versions if v.cg_id in (scene.cg_id, 0)]
    chosen = _choose_version(scene, cg_name, versions, warnings, errors) if not errors else None
    choice = EnvChoice(scene.cg_id, cg_name, chosen.cg_version if chosen else scene.cg_version)
    choice.warnings, choice.errors = warnings, errors
    if chosen is None:
        choice.reason = _("The farm cannot render this scene: %s") % errors[0]
        return choice

    cg_label = "%s %s" % (cg_name, chosen.cg_version)
    version_names = {v.id: "%s %s" % (cg_name, v.cg_version) for v in versions}
    for use in _wanted_plugins(scene):
        canon = canonical_plugin_name(use.name)
        matching = [p for p in catalogue.plugins if canonical_plugin_name(p.plugin_name) == canon]
        offered = [pv for p in matching if p.cv_id == chosen.id for pv in p.versions]
        elsewhere = sorted({version_names.get(p.cv_id, "") for p in matching if p.cv_id != chosen.id and p.versions} - {""})
        picked = _choose_plugin(use, offered, elsewhere, cg_label, warnings, errors)
        if picked is not None:
            choice.plugins.append(picked)
    choice.plugin_ids = [p.plugin_id for p in choice.plugins]
    if errors:
        choice.reason = _("The farm cannot render this scene: %s") % errors[0]
        return choice

    wanted_ids = set(choice.plugin_ids)
    matches = [
        env
        for env in user_envs
        if env.cg_id in (scene.cg_id, 0)
        and _same_text(env.cg_version, chosen.cg_version)
        and {p.plugin_id for p in env.plugins} == wanted_ids
    ]
    matches.sort(key=lambda env: not env.is_default)
    plugins = ", ".join("%s %s" % (_display(p.name), p.version) for p in choice.plugins)
    summary = _("%(app)s with %(plugins)s") % {"app": cg_label, "plugins": plugins} if plugins else cg_label
    if matches:
        choice.existing = matches[0]
        choice.env_name = matches[0].edit_name
        choice.reason = _('Your render environment "%(name)s" (%(summary)s) matches the scene, so it is reused.') % {
            "name": choice.env_name, "summary": summary,
        }
    else:
        choice.env_name = _env_name(cg_name, chosen.cg_version, choice.plugins, [e.edit_name for e in user_envs])
        choice.reason = _('None of your render environments has exactly %(summary)s, so a new one, "%(name)s", will be '
                          'created.') % {"summary": summary, "name": choice.env_name}
    return choice
