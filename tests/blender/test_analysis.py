"""Reading real saved scenes with bpy: what the farm is told about them."""

import os
from pathlib import Path

import bpy

from renderbus_blender.analysis import describe_scene

from .conftest import add_camera, add_object, write_png


def by_path(scene):
    return {os.path.normpath(a.path): a for a in scene.assets}


def test_a_saved_scene_is_described_as_blender_shows_it(project):
    scene = describe_scene()

    assert (scene.cg_id, scene.cg_name, scene.cg_version) == (2007, "Blender", "%d.%d" % bpy.app.version[:2])
    assert scene.scene_file == str(project["blend"]) and scene.saved and scene.scene_name == "shot.blend"
    assert scene.project_dir == str(project["root"])
    assert scene.renderer == "cycles" and scene.extra["renderer"]["name"] == "CYCLES"
    assert scene.frames == "1-3"
    assert (scene.width, scene.height) == (320, 180)  # 640x360 at 50%
    assert scene.extra["blender"]["resolution_percentage"] == 50
    assert scene.output_dir == str(project["root"] / "render") and scene.output_prefix == "shot_"
    assert scene.image_format == "exr"
    assert scene.cameras == ["CamA", "CamB", "CamUnused"]
    assert [(l.name, l.renderable, l.cameras) for l in scene.layers] == [
        ("beauty", True, ["CamA", "CamB"]), ("mask", False, ["CamA", "CamB"])]
    assert scene.extra["blender"]["markers"] == [{"frame": 1, "name": "open", "camera": "CamA"},
                                                 {"frame": 2, "name": "cut", "camera": "CamB"}]
    assert scene.plugins == []  # Cycles is Blender's own


def test_every_file_the_render_needs_is_listed_with_its_owner(project):
    assets = by_path(describe_scene())
    root = project["root"]

    for number, tile in zip((1001, 1002), project["udim"]):
        asset = assets[str(tile)]
        assert asset.kind == "texture" and asset.owner == "bpy.data.images['skin.1001.png'].tiles[%d]" % number
    for frame, path in enumerate(project["sequence"], start=1):
        assert assets[str(path)].frames == [frame] and assets[str(path)].owner == "bpy.data.images['frame_0001.png']"
    assert assets[str(project["unicode"])].owner == "bpy.data.images['木纹']"
    missing = assets[str(root / "tex" / "missing.png")]
    assert missing.owner == "bpy.data.images['missing']" and not os.path.exists(missing.path)
    library = assets[str(project["library"])]
    assert library.kind == "library" and library.owner == "bpy.data.libraries['props.blend']"
    # the library's own texture, resolved relative to the library, owned by the linked image
    lib_tex = assets[str(project["lib_tex"])]
    assert lib_tex.kind == "texture" and lib_tex.owner.startswith("bpy.data.images[('brick.png', ")
    # packed and generated images are not files to upload; nothing of Blender's own install
    owners = {a.owner for a in assets.values()}
    assert not any("packed" in o or "generated" in o for o in owners)
    assert all(a.path.startswith(str(root)) for a in assets.values()), sorted(assets)
    assert len(assets) == 2 + 3 + 1 + 1 + 1 + 1  # tiles, frames, unicode, missing, library, library texture


def test_caches_volumes_fonts_sounds_and_ies_are_found(tmp_path):
    root = tmp_path / "fx"
    root.mkdir()
    for name in ("smoke_0001.vdb", "smoke_0002.vdb", "hit.wav", "light.ies"):
        (root / name).write_bytes(b"x")
    builtin_fonts = Path(bpy.utils.system_resource("DATAFILES", path="fonts"))
    font_file = root / "Display Font.woff2"
    font_file.write_bytes(next(builtin_fonts.glob("*.woff2")).read_bytes())
    # an Alembic cache, exported and read back the way an artist would
    add_object("sim")
    bpy.ops.wm.alembic_export(filepath=str(root / "sim.abc"), start=1, end=1)
    bpy.ops.wm.alembic_import(filepath=str(root / "sim.abc"))
    scene = bpy.context.scene
    volume = bpy.data.volumes.new("smoke")
    volume.filepath = str(root / "smoke_0001.vdb")
    volume.is_sequence = True
    text = bpy.data.curves.new("title", "FONT")
    text.font = bpy.data.fonts.load(str(font_file))
    bpy.data.sounds.load(str(root / "hit.wav"))
    light = bpy.data.lights.new("spot", "SPOT")
    light.use_nodes = True
    ies = light.node_tree.nodes.new("ShaderNodeTexIES")
    ies.mode = "EXTERNAL"
    ies.filepath = str(root / "light.ies")
    bpy.data.objects.new("spot", light)

    assets = by_path(describe_scene(scene))

    vol = [assets[str(root / n)] for n in ("smoke_0001.vdb", "smoke_0002.vdb")]
    assert [(a.kind, a.frames, a.owner) for a in vol] == [("volume", [1], "bpy.data.volumes['smoke']"),
                                                          ("volume", [2], "bpy.data.volumes['smoke']")]
    assert (assets[str(root / "sim.abc")].kind, assets[str(root / "sim.abc")].owner) == (
        "cache", "bpy.data.cache_files['sim.abc']")
    assert assets[str(font_file)].kind == "font"
    assert assets[str(root / "hit.wav")].kind == "sound"
    assert assets[str(root / "light.ies")].kind == "ies"
    assert assets[str(root / "light.ies")].owner == "bpy.data.lights['spot'].node_tree.nodes['IES Texture']"
    assert not any(a.path.startswith(str(builtin_fonts)) for a in assets.values())  # the built-in font


def test_render_engines_map_to_the_farms_renderer_names():
    scene = bpy.context.scene
    # EEVEE is BLENDER_EEVEE_NEXT in 4.2-4.5 and BLENDER_EEVEE again from 5.0
    engines = scene.render.bl_rna.properties["engine"].enum_items.keys()
    eevee = "BLENDER_EEVEE_NEXT" if "BLENDER_EEVEE_NEXT" in engines else "BLENDER_EEVEE"
    seen = {}
    for engine in ("CYCLES", eevee, "BLENDER_WORKBENCH"):
        scene.render.engine = engine
        seen[engine] = describe_scene(scene).renderer
    assert seen == {"CYCLES": "cycles", eevee: "eevee", "BLENDER_WORKBENCH": "workbench"}


def test_frame_step_cameras_without_markers_and_unsaved_scene():
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end, scene.frame_step = 10, 20, 5
    scene.camera = add_camera("Main")
    add_camera("Other")
    description = describe_scene(scene)
    assert description.frames == "10-20x5"
    assert [l.cameras for l in description.layers] == [["Main"]]
    assert description.scene_file == "" and not description.saved and description.scene_name == "untitled"


ENGINE_ADDON = '''
bl_info = {"name": "Octane Render (test double)", "version": (2025, 2, 0), "blender": (4, 2, 0), "category": "Render"}
import bpy


class OctaneEngine(bpy.types.RenderEngine):
    bl_idname = "octane"
    bl_label = "Octane"


def register():
    bpy.utils.register_class(OctaneEngine)


def unregister():
    bpy.utils.unregister_class(OctaneEngine)
'''


def test_a_render_engine_from_an_addon_is_the_renderer_and_a_plugin(tmp_path, monkeypatch):
    import addon_utils

    (tmp_path / "octane").mkdir()
    (tmp_path / "octane" / "__init__.py").write_text(ENGINE_ADDON)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert addon_utils.enable("octane", default_set=True) is not None
    try:
        bpy.context.scene.render.engine = "octane"
        description = describe_scene()
        assert description.renderer == "octane" and description.renderer_version == "2025.2.0"
        assert [(p.name, p.version) for p in description.plugins] == [("octane", "2025.2.0")]
    finally:
        bpy.context.scene.render.engine = "CYCLES"
        addon_utils.disable("octane", default_set=True)


def test_the_default_scene_and_sequencer_strips_in_each_version(tmp_path):
    from renderbus_blender.analysis import strips_attribute

    bpy.ops.wm.read_homefile(use_empty=False)  # the startup scene (it has a sequence editor from 5.0)
    assert describe_scene().cg_name == "Blender"

    scene = bpy.context.scene
    editor = scene.sequence_editor_create()
    plate = tmp_path / "plate"
    frames = [write_png(plate / ("plate_%04d.png" % n)) for n in (1, 2)]
    # the strips collection is "strips" from 4.4 ("sequences" before; gone in 5.0)
    strips = editor.strips if "strips" in editor.bl_rna.properties else editor.sequences
    strip = strips.new_image("plate", str(frames[0]), channel=1, frame_start=1)
    strip.elements.append(frames[1].name)
    attribute = strips_attribute(editor)
    assert attribute == ("strips_all" if bpy.app.version >= (4, 4) else "sequences_all")

    assets = by_path(describe_scene())

    for path in frames:
        assert assets[str(path)].owner == "bpy.data.scenes['Scene'].sequence_editor.%s['plate']" % attribute
