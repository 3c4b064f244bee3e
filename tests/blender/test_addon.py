"""The add-on as Blender loads it: registration, manifest, settings, preferences, offline."""

import json
import subprocess
import sys
from pathlib import Path

import bpy

from .conftest import ADDON, BLENDER_DIR

FIELDS = ("access_id", "access_key", "endpoint", "platform", "profile")
CLASSES = ("RENDER_PT_renderbus", "RENDER_PT_renderbus_tasks", "RENDERBUS_UL_tasks", "RENDERBUS_OT_submit",
           "RENDERBUS_OT_cancel", "RENDERBUS_OT_validate", "RENDERBUS_OT_refresh_tasks", "RENDERBUS_OT_task_action",
           "RENDERBUS_OT_test_connection", "RENDERBUS_OT_resume")


def test_enabling_registers_the_panel_operators_and_properties(addon):
    import addon_utils

    assert ADDON in bpy.context.preferences.addons
    for name in CLASSES:
        assert hasattr(bpy.types, name), name
    panel = bpy.types.RENDER_PT_renderbus
    assert (panel.bl_space_type, panel.bl_context, panel.bl_label) == ("PROPERTIES", "output", "Renderbus")
    assert bpy.types.RENDER_PT_renderbus_tasks.bl_parent_id == "RENDER_PT_renderbus"
    assert "renderbus" in bpy.types.Scene.bl_rna.properties and "renderbus" in bpy.types.WindowManager.bl_rna.properties
    actions = bpy.ops.renderbus.task_action.get_rna_type().properties["action"].enum_items.keys()
    assert list(actions) == ["STOP", "START", "ABORT", "RETRY_FAILED"]

    addon_utils.disable(ADDON, default_set=True, handle_error=_raise)
    try:
        assert not any(hasattr(bpy.types, name) for name in CLASSES)
        assert "renderbus" not in bpy.types.Scene.bl_rna.properties
    finally:
        addon_utils.enable(ADDON, default_set=True, handle_error=_raise)
    assert hasattr(bpy.types, "RENDER_PT_renderbus") and bpy.context.scene.renderbus.frames_mode == "SCENE"


def _raise(exc):
    raise exc


def test_the_manifest_passes_blenders_own_validation_and_bl_info_is_there(addon):
    cli = Path(bpy.utils.system_resource("SCRIPTS")) / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
    run = subprocess.run([sys.executable, str(cli), "validate", str(BLENDER_DIR / ADDON)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    manifest = (BLENDER_DIR / ADDON / "blender_manifest.toml").read_text()
    assert 'id = "renderbus"' in manifest and 'blender_version_min = "4.2.0"' in manifest
    assert 'network = "Submit scenes to and follow tasks on the Renderbus render farm"' in manifest
    assert addon.bl_info["blender"] == (3, 6, 0) and addon.bl_info["category"] == "Render"


def test_submission_settings_are_saved_with_the_blend_and_ui_state_is_not(tmp_path):
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1, 10
    settings = scene.renderbus
    settings.frames_mode, settings.custom_frames = "CUSTOM", "1-10x2"
    settings.layers, settings.cameras, settings.label, settings.env_name = "beauty", "CamA", "shot010", "my env"
    settings.test_frames, settings.stop_after_test = "first,last", True
    state = bpy.context.window_manager.renderbus
    state.account = "someone"
    state.tasks.add().task_id = 42
    path = tmp_path / "settings.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    bpy.ops.wm.read_homefile(use_empty=True)
    state = bpy.context.window_manager.renderbus
    state.account = ""
    state.tasks.clear()

    bpy.ops.wm.open_mainfile(filepath=str(path))

    settings = bpy.context.scene.renderbus
    assert settings.to_settings(bpy.context.scene) == {
        "frames": "1-10x2", "layers": ["beauty"], "cameras": ["CamA"], "label": "shot010", "env_name": "my env",
        "test_frames": "first,last", "stop_after_test": True}
    state = bpy.context.window_manager.renderbus
    assert state.account == "" and len(state.tasks) == 0  # not from the file
    settings.frames_mode = "SCENE"
    assert settings.to_settings(bpy.context.scene)["frames"] == "1-10"


def test_choosing_view_layers_and_cameras_in_the_panel(addon):
    scene = bpy.context.scene
    scene.view_layers[0].name = "beauty"
    scene.view_layers.new("mask")
    assert addon.operators.default_names(scene, "layers") == ["beauty", "mask"]
    assert bpy.ops.renderbus.toggle_name(field="layers", name="mask") == {"FINISHED"}
    assert scene.renderbus.to_settings(scene)["layers"] == ["beauty"]
    bpy.ops.renderbus.toggle_name(field="layers", name="mask")
    assert scene.renderbus.to_settings(scene)["layers"] == ["beauty", "mask"]


def test_preferences_keep_the_key_in_the_credential_store_not_in_userprefs(addon, isolated_user_dirs):
    from renderbus_dcc import config

    prefs = bpy.context.preferences.addons[ADDON].preferences
    prefs.access_id = "AKID-blender"
    prefs.access_key = "very-secret-key"
    prefs.endpoint = "http://127.0.0.1:8765/"
    prefs.api_profile = "v2"
    prefs.platform = 6

    stored = json.loads(config.config_path().read_text())
    assert stored["access_id"] == "AKID-blender" and stored["endpoint"] == "http://127.0.0.1:8765"
    assert (stored["profile"], stored["platform"]) == ("v2", 6)
    assert stored.get("access_key") == "very-secret-key" or stored.get("key_in_keyring")  # keyring off here: file
    assert not any(getattr(prefs, "fallback_" + name) for name in FIELDS)  # nothing of it in userpref.blend
    addon.preferences.reload_settings()
    assert (prefs.access_id, prefs.access_key, prefs.api_profile, prefs.platform) == (
        "AKID-blender", "very-secret-key", "v2", 6)
    assert "very-secret-key" not in repr(config.load_config())


def test_without_online_access_nothing_reaches_the_network(addon):
    bpy.context.preferences.system.use_online_access = False
    assert not bpy.app.online_access
    for name in ("submit", "validate", "refresh_tasks", "test_connection"):
        assert not getattr(bpy.ops.renderbus, name).poll(), name
    assert addon.preferences.online_access() is False


def test_submit_without_an_account_says_what_to_do(addon):
    import pytest

    with pytest.raises(RuntimeError, match="no access id"):
        bpy.ops.renderbus.submit()
    assert "no access id" in bpy.context.window_manager.renderbus.job_error


def test_when_the_store_cannot_be_written_the_settings_stay_in_blenders_preferences(addon, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("RENDERBUS_CONFIG_DIR", str(blocker / "config"))
    addon.preferences.reload_settings()
    prefs = bpy.context.preferences.addons[ADDON].preferences
    try:
        prefs.access_id = "AKID-fallback"
        prefs.access_key = "kept-somewhere"
        addon.preferences.reload_settings()
        assert (prefs.access_id, prefs.access_key) == ("AKID-fallback", "kept-somewhere")
        assert prefs.fallback_access_key == "kept-somewhere"
        prefs.platform = 7
        addon.preferences.reload_settings()
        assert prefs.platform == 7
    finally:
        for name in FIELDS:
            setattr(prefs, "fallback_" + name, "")
    # once the store can be written again, the values move there and leave the preferences
    monkeypatch.setenv("RENDERBUS_CONFIG_DIR", str(tmp_path / "config"))
    addon.preferences.reload_settings()
    prefs.access_id = "AKID-stored"
    assert prefs.access_id == "AKID-stored" and prefs.fallback_access_id == ""
