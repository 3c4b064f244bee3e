"""What the Renderbus panels show.

The bpy module has no window, so Blender cannot draw a panel here. The panels' ``draw`` runs
against a recording layout that accepts only what Blender's ``UILayout`` has (its functions,
their parameter names, its properties, the operators' own properties, as RNA lists them) and
keeps the texts, properties and buttons a user would see.
"""

import bpy

RNA = bpy.types.UILayout.bl_rna
LAYOUT_FUNCTIONS = {"row", "column", "box", "split", "grid_flow", "column_flow", "panel"}


class Recorder:
    """Stands for bpy.types.UILayout; refuses what UILayout does not have."""

    def __init__(self, seen):
        object.__setattr__(self, "seen", seen)

    def __setattr__(self, name, value):
        assert name in RNA.properties, "UILayout has no property %r" % name

    def __getattr__(self, name):
        assert name in RNA.functions, "UILayout has no function %r" % name
        params = set(RNA.functions[name].parameters.keys())

        def call(*args, **kwargs):
            unknown = set(kwargs) - params
            assert not unknown, "UILayout.%s has no parameter(s) %s" % (name, unknown)
            self.seen.append((name, args, kwargs))
            if name in LAYOUT_FUNCTIONS:
                return Recorder(self.seen)
            if name == "operator":
                return OperatorProps(args[0] if args else kwargs["operator"])
            return None
        return call


class OperatorProps:
    def __init__(self, idname):
        group, op = idname.split(".")
        rna = getattr(getattr(bpy.ops, group), op).get_rna_type()
        object.__setattr__(self, "names", set(rna.properties.keys()))
        self.__dict__["idname"] = idname

    def __setattr__(self, name, value):
        assert name in self.names, "operator has no property %r" % name


def draw(panel_cls):
    """Run ``panel_cls.draw`` with the recorder as its layout (a panel instance cannot be made
    outside Blender's drawing); returns what was drawn."""
    seen = []
    members = {k: v for k, v in vars(panel_cls).items() if isinstance(v, staticmethod)}
    fake = type("Drawing", (), dict(members, layout=Recorder(seen)))()
    panel_cls.draw(fake, bpy.context)
    return seen


def texts(seen):
    return [kw.get("text", "") for name, _, kw in seen if name in ("label", "operator", "progress")]


def test_the_main_panel_shows_account_environment_frames_cameras_layers_and_submit(account):
    from renderbus_blender.panels import RENDER_PT_renderbus

    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1, 24
    cam = bpy.data.objects.new("CamA", bpy.data.cameras.new("CamA"))
    scene.collection.objects.link(cam)
    scene.camera = cam
    state = bpy.context.window_manager.renderbus
    state.validated = True
    for severity, message in (("error", "texture missing.png is missing"), ("notice", "2 view layers")):
        issue = state.issues.add()
        issue.severity, issue.message = severity, message

    seen = draw(RENDER_PT_renderbus)

    shown = texts(seen)
    assert "Account %s" % account.access_id in shown
    assert any(t.startswith("Blender %d.%d" % bpy.app.version[:2]) for t in shown)
    assert "Frames 1-24" in shown
    assert "CamA" in shown  # a camera toggle, pressed (the scene camera renders)
    assert [kw.get("depress") for n, a, kw in seen if n == "operator" and kw.get("text") == "CamA"] == [True]
    icons = {kw.get("text"): kw.get("icon") for n, _, kw in seen if n == "label"}
    assert icons["texture missing.png is missing"] == "ERROR" and icons["2 view layers"] == "INFO"
    assert ("operator", ("renderbus.submit",), {"icon": "EXPORT"}) in seen


def test_with_unsaved_changes_the_panel_offers_to_save_first(account, project):
    from renderbus_blender.panels import RENDER_PT_renderbus

    saved = draw(RENDER_PT_renderbus)
    assert ("operator", ("renderbus.submit",), {"icon": "EXPORT"}) in saved  # just saved: plain Submit
    bpy.context.scene.render.resolution_x = 1920

    seen = draw(RENDER_PT_renderbus)

    submits = [kw for n, a, kw in seen if n == "operator" and a == ("renderbus.submit",)]
    assert [kw.get("text") for kw in submits] == ["Save and Submit", "Submit the Saved File"]
    assert "Unsaved changes: the farm renders the saved file" in texts(seen)


def test_the_environment_line_names_the_software_once(account):
    from types import SimpleNamespace

    from renderbus_blender import jobs

    state = bpy.context.window_manager.renderbus
    for env_name, shown in (("Blender 4.5", "Blender 4.5"), ("lookdev", "Blender 4.5 · lookdev")):
        env = SimpleNamespace(cg_name="Blender", cg_version="4.5", env_name=env_name, reason="", plugins=[])
        jobs._show_preparation(state, SimpleNamespace(env=env, report=None))
        assert state.env_summary == shown


def test_the_main_panel_shows_progress_and_cancel_while_submitting(account):
    from renderbus_blender.panels import RENDER_PT_renderbus

    state = bpy.context.window_manager.renderbus
    state.job_running, state.job_kind = True, "submit"
    state.job_progress, state.job_message = 0.4, "Uploading 4/10 files, 1.0 MB of 2.5 MB"

    seen = draw(RENDER_PT_renderbus)

    assert ("progress", (), {"factor": 0.4000000059604645, "type": "BAR",
                             "text": "Uploading 4/10 files, 1.0 MB of 2.5 MB"}) in seen or any(
        n == "progress" and kw["text"].startswith("Uploading 4/10") for n, _, kw in seen)
    assert any(n == "operator" and a == ("renderbus.cancel",) for n, a, _ in seen)
    assert not any(n == "operator" and a == ("renderbus.submit",) for n, a, _ in seen)


def test_offline_the_panel_says_so():
    from renderbus_blender.panels import RENDER_PT_renderbus

    bpy.context.preferences.system.use_online_access = False
    shown = texts(draw(RENDER_PT_renderbus))
    assert "Online access is off: Preferences > System > Network" in shown
    assert "No Renderbus account: set it in the add-on's preferences" in shown


def test_the_tasks_panel_shows_the_selected_task_and_its_actions():
    from renderbus_blender.panels import RENDER_PT_renderbus_tasks, RENDERBUS_UL_tasks

    state = bpy.context.window_manager.renderbus
    task = state.tasks.add()
    task.task_id, task.alias, task.scene_name, task.status = 7, "2W7", "shot.blend", "rendering"
    task.frames_total, task.frames_done, task.frames_failed, task.frames_running, task.percent = 10, 4, 1, 2, 40.0
    state["task_index"] = 0

    seen = draw(RENDER_PT_renderbus_tasks)

    shown = texts(seen)
    assert "2W7 · shot.blend · rendering" in shown
    assert "4 of 10 frames done, 1 failed, 2 rendering" in shown
    actions = [kw.get("text") for n, a, kw in seen if n == "operator" and a == ("renderbus.task_action",)]
    assert actions == ["Stop", "Start", "Retry Failed", "Abort"]
    assert any(n == "template_list" for n, _, _ in seen)

    row = []
    RENDERBUS_UL_tasks.draw_item(None, bpy.context, Recorder(row), state, task, 0, state, "task_index", 0)
    assert texts(row) == ["2W7", "rendering", "4/1/10", "40%"]


def test_the_preferences_show_the_account_and_where_the_key_is_kept(account):
    from renderbus_blender.preferences import RENDERBUS_AP_preferences

    seen = []
    fake = type("Drawing", (), {"layout": Recorder(seen)})()
    RENDERBUS_AP_preferences.draw(fake, bpy.context)
    props = [a[1] for n, a, _ in seen if n == "prop"]
    assert props == ["access_id", "access_key", "endpoint", "api_profile", "platform", "language"]
    assert "Access key stored in: config file" in texts(seen)
    assert any(n == "operator" and a == ("renderbus.test_connection",) for n, a, _ in seen)
