"""Pre-flight validation: each problem gives a message naming what is wrong and what to do."""

from pathlib import Path
from types import SimpleNamespace
from typing import List

import pytest

from renderbus_dcc.assets import AssetCollection, MissingAsset, ResolvedFile, collect_assets
from renderbus_dcc.environment import EnvChoice
from renderbus_dcc.errors import ValidationFailed
from renderbus_dcc.scene import Asset, RenderLayer, SceneDescription
from renderbus_dcc.validation import Issue, Severity, ValidationReport, Validator, validate


def good_scene(**kw) -> SceneDescription:
    values = dict(
        cg_id=2000, cg_name="Maya", cg_version="2024", scene_file="D:/proj/scenes/shot.ma", project_dir="D:/proj",
        renderer="arnold", frames="1-10", layers=[RenderLayer("masterLayer", True, ["persp"])],
        cameras=["persp", "shotCam"], output_prefix="<Scene>/<RenderLayer>", image_format="exr",
    )
    values.update(kw)
    return SceneDescription(**values)


def collection(files: List[str] = (), missing: List[MissingAsset] = ()) -> AssetCollection:
    return AssetCollection(
        files=[ResolvedFile(f, "", 1, "file1.fileTextureName", "texture") for f in files],
        missing=list(missing),
        scene_file=ResolvedFile("D:/proj/scenes/shot.ma", "/D/proj/scenes/shot.ma", 5, "scene", "scene", "x"),
    )


def only(report: ValidationReport, code: str) -> Issue:
    found = [i for i in report.issues if i.code == code]
    assert len(found) == 1, report.issues
    return found[0]


def test_a_good_scene_passes_clean():
    report = validate(good_scene(), collection(["D:/proj/sourceimages/a.png"]), EnvChoice(2000, "Maya", "2024"))
    assert report.issues == [] and report.ok
    assert report.summary() == "0 errors, 0 warnings, 0 notices"
    report.raise_for_errors()


def test_never_saved_is_an_error():
    report = validate(good_scene(scene_file=""))
    issue = only(report, "scene_never_saved")
    assert issue.severity is Severity.ERROR and not report.ok
    assert "never been saved" in issue.message and issue.hint == "save the scene, then submit again"
    with pytest.raises(ValidationFailed) as info:
        report.raise_for_errors()
    assert info.value.report is report and "never been saved" in str(info.value)


def test_unsaved_changes_is_a_warning():
    report = validate(good_scene(modified=True))
    issue = only(report, "scene_unsaved")
    assert issue.severity is Severity.WARNING and report.ok
    assert issue.message == "The scene shot.ma has unsaved changes; the farm renders the last saved file, without them."
    assert issue.subject == "D:/proj/scenes/shot.ma"


def test_scene_file_missing_on_disk():
    gone = MissingAsset("D:/proj/scenes/shot.ma", "D:/proj/scenes/shot.ma", "scene", "scene", "gone")
    issue = only(validate(good_scene(), AssetCollection(missing=[gone])), "scene_file_missing")
    assert issue.severity is Severity.ERROR and "D:/proj/scenes/shot.ma does not exist" in issue.message


def test_missing_assets_warning_names_the_first_few_and_owners():
    missing = [MissingAsset("tex/m%d.png" % i, "D:/proj/tex/m%d.png" % i, "file%d.fileTextureName" % i, "texture",
                            "file not found") for i in range(5)]
    issue = only(validate(good_scene(), collection(missing=missing)), "assets_missing")
    assert issue.severity is Severity.WARNING
    assert issue.message == (
        "5 files the scene uses cannot be found: tex/m0.png (file0.fileTextureName), tex/m1.png "
        "(file1.fileTextureName), tex/m2.png (file2.fileTextureName) and 2 more; the farm will render without them."
    )
    assert "File Path Editor" in issue.hint and issue.subject == "file0.fileTextureName"
    blender = validate(good_scene(cg_id=2007), collection(missing=missing[:1]))
    assert "Find Missing Files" in only(blender, "assets_missing").hint


def test_no_renderable_layer():
    scene = good_scene(layers=[RenderLayer("masterLayer", False, ["persp"]), RenderLayer("fg", False, ["persp"])])
    issue = only(validate(scene), "no_renderable_layer")
    assert issue.severity is Severity.ERROR and "(layers: masterLayer, fg)" in issue.message
    # choosing a layer explicitly renders it
    assert validate(scene, options=SimpleNamespace(layers=["fg"], frames=None, cameras=None)).ok


def test_unknown_layer_chosen():
    report = validate(good_scene(), options=SimpleNamespace(layers=["bg"], frames=None, cameras=None))
    issue = only(report, "layer_unknown")
    assert issue.message == 'The render layer "bg" chosen for the submission is not in the scene (it has masterLayer).'


def test_no_renderable_camera_names_the_layer():
    scene = good_scene(layers=[RenderLayer("masterLayer", True, ["persp"]), RenderLayer("fg", True, [])])
    issue = only(validate(scene), "no_renderable_camera")
    assert issue.message == 'The render layer "fg" has no renderable camera.' and issue.subject == "fg"
    assert validate(scene, options=SimpleNamespace(cameras=["shotCam"])).ok  # an override picks the camera
    unknown = validate(scene, options=SimpleNamespace(cameras=["nope"]))
    assert 'The camera "nope" chosen for the submission is not in the scene' in only(unknown, "camera_unknown").message


@pytest.mark.parametrize("layers", [True, False])
def test_a_camera_chosen_but_not_in_the_scene_is_an_error_after_the_choice_is_applied(layers):
    """What prepare() validates is the scene with the choice applied: the choice must still be
    checked against the scene's own cameras (it used to pass, and was billed)."""
    from renderbus_dcc.submission import SubmitOptions, effective_scene

    scene = good_scene() if layers else good_scene(layers=[], cameras=["Camera", "Camera.001"])
    options = SubmitOptions(cameras=["camX"])
    issue = only(validate(effective_scene(scene, options), options=options), "camera_unknown")
    assert issue.severity is Severity.ERROR and issue.subject == "camX"
    assert "(it has %s)" % ("persp, shotCam" if layers else "Camera, Camera.001") in issue.message
    none = validate(effective_scene(good_scene(layers=[], cameras=[]), options), options=options)
    assert "(it has no cameras)" in only(none, "camera_unknown").message


def test_many_frames_ask_first_and_the_threshold_is_a_setting():
    from renderbus_dcc.validation import frame_count

    scene = good_scene(layers=[RenderLayer("a", True, ["persp", "shotCam"]), RenderLayer("b", True, ["persp"]),
                               RenderLayer("c", False, ["persp"])])
    assert frame_count(scene) == 10 * 2 + 10  # frames x cameras, per rendered layer
    assert frame_count(scene, SimpleNamespace(frames="1-100", layers=["b"], cameras=None)) == 100
    asks = validate(scene, options=SimpleNamespace(frames=None, layers=None, cameras=None, confirm_frames=29))
    issue = only(asks, "frames_many")
    assert issue.severity is Severity.WARNING and "renders 30 frames, more than the 29" in issue.message
    never = SimpleNamespace(frames=None, layers=None, cameras=None, confirm_frames=0)
    assert "frames_many" not in validate(scene, options=never).codes()
    costly = validate(scene, options=SimpleNamespace(frames=None, layers=None, cameras=None, confirm_cost=50.0),
                      forecast=75.0)
    assert "would cost about 75.00" in only(costly, "cost_high").message
    assert "cost_high" not in validate(scene, options=SimpleNamespace(confirm_cost=50.0), forecast=20.0).codes()


def test_scene_without_layers_needs_a_camera():
    assert only(validate(good_scene(layers=[], cameras=[])), "no_renderable_camera").severity is Severity.ERROR
    assert validate(good_scene(layers=[], cameras=["Camera"])).ok


@pytest.mark.parametrize("frames, code, text", [
    ("", "frames_empty", "The frame range is empty"),
    ("1-10,abc", "frames_invalid", 'bad part "abc" at position 5'),
    ("10-1", "frames_invalid", "reversed range"),
])
def test_frames(frames, code, text):
    issue = only(validate(good_scene(frames=frames)), code)
    assert issue.severity is Severity.ERROR and text in issue.message and issue.hint


def test_frames_from_options_and_layer_overrides():
    assert validate(good_scene(frames=""), options=SimpleNamespace(frames="1-5")).ok
    assert not validate(good_scene(), options=SimpleNamespace(frames="5-1")).ok
    assert validate(good_scene(), options=SimpleNamespace(frames="  ")).ok  # blank: the scene's frames
    scene = good_scene(layers=[RenderLayer("fg", True, ["persp"], frames="1-x")])
    issue = only(validate(scene), "frames_invalid")
    assert issue.message.startswith('The frame range of layer "fg" cannot be read') and issue.subject == "fg"


def test_environment_errors_and_warnings():
    env = EnvChoice(2000, "Maya", "2024", errors=["The farm does not offer Arnold 7.2 for Maya 2024."],
                    warnings=["The farm has no Maya 2024.2 exactly; Maya 2024 of the same release line will render it."])
    report = validate(good_scene(), env=env)
    assert only(report, "environment_unsupported").message == env.errors[0]
    assert only(report, "environment_nearest").severity is Severity.WARNING


def test_output_checks():
    notice = only(validate(good_scene(output_prefix="", output_dir="")), "output_default")
    assert notice.severity is Severity.NOTICE
    bad = only(validate(good_scene(output_prefix="shot|v1")), "output_name")
    assert bad.severity is Severity.WARNING and '"shot|v1" contains |' in bad.message
    local = only(validate(good_scene(output_dir="D:/renders")), "output_on_farm")
    assert local.severity is Severity.NOTICE and "D:/renders" in local.message


def test_assets_outside_project_and_on_other_drives():
    files = ["D:/proj/sourceimages/a.png", "D:/library/b.png", "E:/lib/c.png", "//nas/lib/d.png"]
    report = validate(good_scene(), collection(files))
    other = only(report, "assets_other_drive")
    assert other.severity is Severity.WARNING
    assert other.message == "2 files are on another drive than the project (D:): E:/lib/c.png, //nas/lib/d.png."
    outside = only(report, "assets_outside_project")
    assert outside.severity is Severity.NOTICE and "1 file is outside the project folder D:/proj: D:/library/b.png" in outside.message
    # without a collection, the scene's absolute asset paths are checked
    scene = good_scene(assets=[Asset("E:\\x.png", "f1"), Asset("tex/rel.png", "f2")])
    assert only(validate(scene), "assets_other_drive").subject == "E:/x.png"


def test_file_names_the_farm_cannot_take():
    files = ["D:/proj/tex/what?.png", "D:/proj/tex/dot./a.png", "D:/proj/" + "x" * 260 + ".png"]
    report = validate(good_scene(), collection(files))
    bad = only(report, "file_name_invalid")
    assert bad.severity is Severity.ERROR and bad.message.startswith("2 files have names the farm cannot take")
    assert '"what?.png" contains ?' in bad.message and '"dot." ends with a space or a dot' in bad.message
    assert only(report, "path_too_long").severity is Severity.WARNING


@pytest.mark.parametrize("w, h, code, severity", [(0, 1080, "resolution_invalid", Severity.ERROR),
                                                  (32000, 1080, "resolution_large", Severity.WARNING)])
def test_resolution(w, h, code, severity):
    assert only(validate(good_scene(width=w, height=h)), code).severity is severity


def test_report_text_and_custom_validators():
    class AlwaysNotice(Validator):
        def run(self) -> None:
            self.add_notice("hello", "Just so you know.", "nothing to do")

    report = validate(good_scene(scene_file="", modified=False), validators=[AlwaysNotice])
    assert [i.code for i in report.issues] == ["hello"] and report.notices
    assert str(report) == "0 errors, 0 warnings, 1 notice\n- notice: Just so you know. (nothing to do)"


def test_with_a_real_collection(tmp_path: Path):
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenes/shot.ma").write_text("maya")
    scene = good_scene(scene_file=str(tmp_path / "scenes/shot.ma"), project_dir=str(tmp_path),
                       assets=[Asset("tex/gone.png", "file1.fileTextureName")])
    report = validate(scene, collect_assets(scene))
    assert report.codes() == ["assets_missing"] and report.ok
