"""The render environment choice across a table of scene / catalogue / user-environment cases."""

from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from renderbus_dcc.environment import (
    EnvChoice,
    canonical_plugin_name,
    choose_environment,
    is_builtin_renderer,
    version_key,
)
from renderbus_dcc.errors import EnvironmentChoiceError
from renderbus_dcc.models import (
    Plugin,
    PluginCatalogue,
    PluginVersion,
    RenderEnv,
    Software,
    SoftVersion,
    SupportedSoftware,
)
from renderbus_dcc.scene import PluginUse, SceneDescription

MAYA, MAX, BLENDER = 2000, 2001, 2007

SOFTWARE = SupportedSoftware(
    is_auto_commit=0,
    software=[Software(cg_id=MAYA, cg_name="Maya"), Software(cg_id=MAX, cg_name="3ds Max"),
              Software(cg_id=BLENDER, cg_name="Blender")],
    default_cg_id=MAYA,
)


def catalogue(cg_id: int, cg_name: str, versions: Dict[str, Dict[str, Sequence[str]]]) -> PluginCatalogue:
    """{cg_version: {plugin_name: [versions]}} -> a catalogue with stable ids (plugin ids = cv_id*100+n)."""
    soft, plugins = [], []
    for n, (cg_version, offered) in enumerate(versions.items(), start=1):
        cv_id = cg_id * 10 + n
        soft.append(SoftVersion(id=cv_id, cg_id=cg_id, cg_name=cg_name, cg_version=cg_version))
        pid = cv_id * 100
        for name, plugin_versions in offered.items():
            pvs = []
            for v in plugin_versions:
                pid += 1
                pvs.append(PluginVersion(plugin_id=pid, plugin_name=name, plugin_version=v))
            plugins.append(Plugin(cv_id=cv_id, plugin_name=name, versions=pvs))
    return PluginCatalogue(plugins=plugins, versions=soft)


MAYA_CAT = catalogue(MAYA, "Maya", {
    "2022": {"mtoa": ["4.2.4", "5.0.0.4"], "vrayformaya": ["5.20.02"]},
    "2023": {"mtoa": ["5.2.1", "5.3.0"], "redshift": ["3.5.10"]},
    "2024": {"mtoa": ["5.3.1.1", "5.3.4.1", "5.4.0"], "vrayformaya": ["6.10.01", "6.20.00"], "pgYetiMaya": ["4.2.11"],
             "redshift": ["3.5.17"]},
})
BLENDER_CAT = catalogue(BLENDER, "Blender", {"3.6": {}, "4.1": {}, "4.2": {"octane": ["27.16"]}, "4.4": {}})
MAX_CAT = catalogue(MAX, "3ds Max", {"2023": {"V-Ray": ["6.00.05"], "Corona": ["9", "10"]}, "2024": {"V-Ray": ["6.10.08"], "Corona": ["11", "12"], "ForestPack": ["8.2.2"]}})


def maya(version: str = "2024", renderer: str = "arnold", renderer_version: str = "5.3.1.1",
         plugins: Sequence[Tuple[str, str]] = ()) -> SceneDescription:
    return SceneDescription(MAYA, "Maya", version, renderer=renderer, renderer_version=renderer_version,
                            plugins=[PluginUse(n, v) for n, v in plugins])


def env(name: str, version: str, ids: Sequence[int], default: bool = False, cg_id: int = MAYA) -> RenderEnv:
    return RenderEnv(cg_id=cg_id, edit_name=name, cg_name="Maya", cg_version=version, is_default=default,
                     plugins=[PluginVersion(plugin_id=i) for i in ids])


# (id, scene, catalogue, user envs, expected version, expected plugins {name: version}, exact flags,
#  warnings substrings, errors substrings, env name or None for "created")
CASES = [
    ("exact", maya(), MAYA_CAT, [], "2024", {"mtoa": "5.3.1.1"}, [], [], "Maya 2024 + Arnold 5.3.1.1"),
    ("mtoa alias case", maya(renderer="MtoA"), MAYA_CAT, [], "2024", {"mtoa": "5.3.1.1"}, [], [], None),
    ("maya point release -> line", maya("2024.2"), MAYA_CAT, [], "2024", {"mtoa": "5.3.1.1"},
     ["no Maya 2024.2 exactly", "Maya 2024 of the same release line"], [], None),
    ("older maya -> nearest newer", maya("2021", renderer="mayaSoftware", renderer_version=""), MAYA_CAT, [], "2022",
     {}, ["does not offer Maya 2021", "Maya 2022, the nearest newer"], [], "Maya 2022"),
    ("newer maya -> error listing offers", maya("2026"), MAYA_CAT, [], "2026", {}, [],
     ["does not offer Maya 2026", "2022, 2023, 2024"], None),
    ("plugin nearest same major", maya(renderer_version="5.3.2"), MAYA_CAT, [], "2024", {"mtoa": "5.3.4.1"},
     ["no Arnold 5.3.2", "using Arnold 5.3.4.1", "offered: 5.3.1.1, 5.3.4.1, 5.4.0"], [], None),
    ("plugin other major -> error", maya(renderer_version="7.2"), MAYA_CAT, [], "2024", {}, [],
     ["does not offer Arnold 7.2 for Maya 2024", "5.3.1.1, 5.3.4.1, 5.4.0"], None),
    ("plugin of other maya version not offered", maya("2024", renderer="vray", renderer_version="5.20.02"), MAYA_CAT,
     [], "2024", {}, [], ["does not offer V-Ray 5.20.02 for Maya 2024"], None),
    ("plugin only on other versions", maya("2023", plugins=[("V-Ray", "5.20.02")], renderer_version="5.3.0"),
     MAYA_CAT, [], "2023", {"mtoa": "5.3.0"}, [], ["no V-Ray for Maya 2023 (only for Maya 2022, Maya 2024)"], None),
    ("yeti alias + renderer", maya(plugins=[("yeti", "4.2.11")]), MAYA_CAT, [], "2024",
     {"mtoa": "5.3.1.1", "pgYetiMaya": "4.2.11"}, [], [], "Maya 2024 + Arnold 5.3.1.1 + Yeti 4.2.11"),
    ("renderer listed twice", maya(plugins=[("mtoa", "5.3.1.1")]), MAYA_CAT, [], "2024", {"mtoa": "5.3.1.1"}, [], [],
     None),
    ("renderer version unknown", maya(renderer_version=""), MAYA_CAT, [], "2024", {"mtoa": "5.4.0"},
     ["does not say which Arnold version", "newest, Arnold 5.4.0"], [], None),
    ("unknown plugin", maya(plugins=[("Miarmy", "7")]), MAYA_CAT, [], "2024", {"mtoa": "5.3.1.1"}, [],
     ["offers no Miarmy for Maya 2024"], None),
    ("blender exact, cycles builtin", SceneDescription(BLENDER, "Blender", "4.2", renderer="CYCLES"), BLENDER_CAT, [],
     "4.2", {}, [], [], "Blender 4.2"),
    ("blender patch -> line", SceneDescription(BLENDER, "Blender", "4.2.3", renderer="BLENDER_EEVEE_NEXT"),
     BLENDER_CAT, [], "4.2", {}, ["no Blender 4.2.3 exactly"], [], None),
    ("blender 4.3 -> newer 4.4, not 4.2", SceneDescription(BLENDER, "Blender", "4.3.1", renderer="BLENDER_WORKBENCH"),
     BLENDER_CAT, [], "4.4", {}, ["nearest newer"], [], None),
    ("blender 5.0 -> error", SceneDescription(BLENDER, "Blender", "5.0", renderer="CYCLES"), BLENDER_CAT, [], "5.0",
     {}, [], ["3.6, 4.1, 4.2, 4.4"], None),
    ("max vray + forest pack", SceneDescription(MAX, "3ds Max", "2024", renderer="V-Ray 6 Hotfix 1",
                                                renderer_version="6.10.08",
                                                plugins=[PluginUse("Forest Pack Pro", "8.2.2")]),
     MAX_CAT, [], "2024", {"V-Ray": "6.10.08", "ForestPack": "8.2.2"}, [], [], "3ds Max 2024 + V-Ray 6.10.08 + Forest Pack 8.2.2"),
    ("max scanline builtin", SceneDescription(MAX, "3ds Max", "2023", renderer="Default Scanline Renderer"), MAX_CAT,
     [], "2023", {}, [], [], "3ds Max 2023"),
    ("max corona nearest", SceneDescription(MAX, "3ds Max", "2024", renderer="Corona", renderer_version="11.1"),
     MAX_CAT, [], "2024", {"Corona": "11"}, ["no Corona 11.1"], [], None),
    ("software not offered", SceneDescription(2004, "Houdini", "20.0"), MAYA_CAT, [], "20.0", {}, [],
     ["does not render Houdini", "3ds Max, Blender, Maya"], None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_choice_table(case):
    _, scene, cat, envs, version, plugins, warnings, errors, name = case
    choice = choose_environment(scene, SOFTWARE, cat, envs)
    assert choice.cg_version == version
    assert {p.name: p.version for p in choice.plugins} == plugins
    assert choice.plugin_ids == [p.plugin_id for p in choice.plugins]
    joined_w, joined_e = " | ".join(choice.warnings), " | ".join(choice.errors)
    for text in warnings:
        assert text in joined_w
    for text in errors:
        assert text in joined_e
    if not warnings:
        assert choice.warnings == []
    assert choice.ok == (not errors)
    if errors:
        assert choice.reason.startswith("The farm cannot render this scene")
        with pytest.raises(EnvironmentChoiceError):
            choice.raise_for_errors()
    else:
        assert choice.env_name and choice.existing is None and "will be created" in choice.reason
        assert choice.env_name.isascii()
        if name:
            assert choice.env_name == name
    assert choice.reason.endswith(".")


def test_plugin_ids_and_exact_flags():
    choice = choose_environment(maya(plugins=[("yeti", "4.2.11")]), SOFTWARE, MAYA_CAT, [])
    mtoa, yeti = choice.plugins
    assert (mtoa.plugin_id, mtoa.wanted, mtoa.exact) == (2000301, "5.3.1.1", True)
    assert (yeti.name, yeti.exact) == ("pgYetiMaya", True)
    near = choose_environment(maya(renderer_version="5.3.2"), SOFTWARE, MAYA_CAT, []).plugins[0]
    assert (near.wanted, near.version, near.exact) == ("5.3.2", "5.3.4.1", False)


def test_reuses_the_matching_env_preferring_the_default():
    ids = [2000301]
    envs = [
        env("other version", "2023", ids),
        env("more plugins", "2024", ids + [2000306]),
        env("mine", "2024", ids),
        env("my default", "2024", ids, default=True),
    ]
    choice = choose_environment(maya(), SOFTWARE, MAYA_CAT, envs)
    assert choice.existing is envs[3] and choice.env_name == "my default"
    assert choice.reason == 'Your render environment "my default" (Maya 2024 with Arnold 5.3.1.1) matches the scene, so it is reused.'
    choice = choose_environment(maya(), SOFTWARE, MAYA_CAT, envs[:3])
    assert choice.env_name == "mine"


def test_new_env_name_is_unique_and_short():
    taken = [env("Maya 2024 + Arnold 5.3.1.1", "2024", [1]), env("maya 2024 + arnold 5.3.1.1 (2)", "2024", [2])]
    choice = choose_environment(maya(), SOFTWARE, MAYA_CAT, taken)
    assert choice.existing is None and choice.env_name == "Maya 2024 + Arnold 5.3.1.1 (3)"
    many = catalogue(MAYA, "Maya", {"2024": {"plugin%d" % i: ["10.%d.1" % i] for i in range(8)}})
    scene = maya(renderer="", plugins=[("plugin%d" % i, "10.%d.1" % i) for i in range(8)])
    name = choose_environment(scene, SOFTWARE, many, []).env_name
    assert len(name) <= 60 and name.endswith("more") and name.startswith("Maya 2024 + plugin0 10.0.1")


def test_no_versions_at_all():
    choice = choose_environment(maya(), SOFTWARE, PluginCatalogue(), [])
    assert choice.errors == ["The farm offers no version of Maya."]


def test_empty_software_list_does_not_block():
    choice = choose_environment(maya(), SupportedSoftware(), MAYA_CAT, [])
    assert choice.ok and choice.cg_name == "Maya"


@pytest.mark.parametrize("name, canon", [
    ("MtoA", "arnold"), ("Arnold", "arnold"), ("maxtoa", "arnold"), ("V-Ray", "vray"), ("vrayformaya", "vray"),
    ("VRay", "vray"), ("Redshift4Maya", "redshift"), ("redshift", "redshift"), ("pgYetiMaya", "yeti"),
    ("Corona Renderer", "corona"), ("RenderMan_for_Maya", "renderman"), ("Forest Pack Pro", "forestpack"),
    ("ForestPack", "forestpack"), ("SomethingForMaya", "something"), ("V_Ray_6_Hotfix_1", "vray"),
    ("V_Ray_GPU_6", "vray"), ("Corona_10", "corona"), ("vrayscatter", "vrayscatter"),
])
def test_plugin_aliases(name, canon):
    assert canonical_plugin_name(name) == canon


@pytest.mark.parametrize("name", ["mayaSoftware", "mayaHardware2", "Scanline", "ART Renderer", "CYCLES",
                                  "BLENDER_EEVEE", "BLENDER_EEVEE_NEXT", "BLENDER_WORKBENCH", ""])
def test_builtin_renderers(name):
    assert is_builtin_renderer(name)


def test_version_key():
    assert version_key("2024.2") == (2024, 2)
    assert version_key("v5.3.1.1") == (5, 3, 1, 1)
    assert version_key("") == ()


def test_versions_in_messages_are_shown_without_the_catalogues_plugin_name():
    # the farm's catalogue spells versions "vray 7.10.00"; a message reads "V-Ray 7.10.00", not "V-Ray vray 7.10.00"
    cat = catalogue(MAX, "3ds Max", {"2026": {"vray": ["vray 7.10.00", "vray 7.20.00"]}})
    scene = SceneDescription(MAX, "3ds Max", "2026", renderer="vray", renderer_version="6.20.03")
    error = " | ".join(choose_environment(scene, SOFTWARE, cat, []).errors)
    assert "it offers V-Ray 7.10.00, 7.20.00" in error and "vray 7" not in error
    near = SceneDescription(MAX, "3ds Max", "2026", renderer="vray", renderer_version="7.15")
    warning = " | ".join(choose_environment(near, SOFTWARE, cat, []).warnings)
    assert "using V-Ray 7.20.00" in warning or "using V-Ray 7.10.00" in warning
    assert "vray 7" not in warning
