"""Every cache a render reads, found with its owner and uploaded, in each Blender version.

The scene is saved and its caches made the way an artist makes them: cloth, soft body and
particle point caches and a geometry-nodes Bake node are really baked (bpy bakes them in
module mode); the ocean bake's files are written where the modifier reads them (its bake runs
as a window-manager job, which module mode never finishes); Alembic layers are real Alembic
exports; the linked library is packed with File > External Data > Pack Linked Libraries.
"""

import os
from pathlib import Path
from typing import Any, Dict, List

import bpy
import pytest

from renderbus_blender.analysis import describe_scene

from .conftest import add_object, make_library, received, write_png

FRAMES = (1, 2, 3)


def bake_point_caches(scene: Any) -> None:
    with bpy.context.temp_override(scene=scene):
        assert bpy.ops.ptcache.bake_all(bake=True) == {"FINISHED"}


def bake_node(obj: Any, modifier: Any) -> None:
    with bpy.context.temp_override(object=obj, active_object=obj, selected_objects=[obj]):
        result = bpy.ops.object.geometry_node_bake_single(
            session_uid=obj.session_uid, modifier_name=modifier.name, bake_id=modifier.bakes[0].bake_id)
    assert result == {"FINISHED"}


def bake_node_tree(name: str) -> Any:
    """A geometry-nodes tree that passes its geometry through a Bake node."""
    tree = bpy.data.node_groups.new(name, "GeometryNodeTree")
    tree.interface.new_socket("Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
    tree.interface.new_socket("Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
    group_in, group_out = tree.nodes.new("NodeGroupInput"), tree.nodes.new("NodeGroupOutput")
    bake = tree.nodes.new("GeometryNodeBake")
    tree.links.new(group_in.outputs[0], bake.inputs[0])
    tree.links.new(bake.outputs[0], group_out.inputs[0])
    return tree


def write_exr(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = bpy.data.images.new("tmp_exr", 4, 4, float_buffer=True)
    image.filepath_raw, image.file_format = str(path), "OPEN_EXR"
    image.save()
    bpy.data.images.remove(image)
    return path


def files_in(folder: Path) -> List[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def fx(tmp_path: Path) -> Dict[str, Any]:
    """A saved scene "fx shot.blend" with each cache kind on disk, and the files each made."""
    root = tmp_path / "fx"
    out: Dict[str, Any] = {"root": root}
    lib_tex = write_png(root / "lib" / "textures" / "brick.png")
    out["library"], out["lib_tex"] = make_library(root / "lib" / "props.blend", lib_tex), lib_tex

    bpy.ops.wm.read_homefile(use_empty=True)
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = FRAMES[0], FRAMES[-1]
    scene.camera = bpy.data.objects.new("Cam", bpy.data.cameras.new("Cam"))
    scene.collection.objects.link(scene.camera)

    # Alembic: the cache, an override layer on it and a hidden layer (not read)
    add_object("sim")
    (root / "abc").mkdir()
    for name in ("sim.abc", "sim_fix.abc", "sim_hidden.abc"):
        bpy.ops.wm.alembic_export(filepath=str(root / "abc" / name), start=1, end=1)
    bpy.ops.wm.alembic_import(filepath=str(root / "abc" / "sim.abc"))
    cache = bpy.data.cache_files["sim.abc"]
    cache.layers.new(filepath=str(root / "abc" / "sim_fix.abc"))
    cache.layers.new(filepath=str(root / "abc" / "sim_hidden.abc")).hide_layer = True

    # a linked library, packed into the .blend
    with bpy.data.libraries.load(str(out["library"]), link=True) as (data_from, data_to):
        data_to.collections = ["Props"]
    instance = bpy.data.objects.new("Props_instance", None)
    instance.instance_type, instance.instance_collection = "COLLECTION", data_to.collections[0]
    scene.collection.objects.link(instance)

    out["blend"] = root / "fx shot.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(out["blend"]))  # disk caches need a saved file
    assert bpy.ops.file.pack_libraries() == {"FINISHED"}
    assert bpy.data.libraries["props.blend"].packed_file is not None

    # point caches: cloth on an object with a Chinese name (its files are named by its hex),
    # soft body, and particles with a named cache
    flag = add_object("旗 Flag")
    cloth = flag.modifiers.new("Cloth", "CLOTH")
    jelly = add_object("Jelly")
    soft = jelly.modifiers.new("Softbody", "SOFT_BODY")
    emitter = add_object("Emitter")
    emitter.modifiers.new("Sparks", "PARTICLE_SYSTEM")
    system = emitter.particle_systems[0]
    system.settings.count, system.settings.frame_start, system.settings.frame_end = 10, 1, 2
    system.point_cache.name = "sparks"
    for point_cache in (cloth.point_cache, soft.point_cache, system.point_cache):
        point_cache.frame_start, point_cache.frame_end = FRAMES[0], FRAMES[-1]
        point_cache.use_disk_cache = True
    bake_point_caches(scene)
    caches = root / "blendcache_fx shot"
    stray = caches / "DEADBEEF_000001_00.bphys"  # a cache of an object no longer in the scene
    stray.write_bytes(b"BPHYSICS")
    out["point_caches"] = {
        "bpy.data.objects['旗 Flag'].modifiers['Cloth']": sorted(caches.glob("E6979720466C6167_*.bphys")),
        "bpy.data.objects['Jelly'].modifiers['Softbody']": sorted(caches.glob("4A656C6C79_*.bphys")),
        "bpy.data.objects['Emitter'].particle_systems['Sparks']": sorted(caches.glob("sparks_*.bphys")),
    }
    out["stray"] = stray

    # geometry nodes: a Bake node baked to disk; on 4.3+ a second one packed into the .blend
    rock = add_object("Rock")
    nodes = rock.modifiers.new("GeometryNodes", "NODES")
    nodes.node_group = bake_node_tree("Baker")
    if "bake_target" in nodes.bl_rna.properties:
        nodes.bake_target = "DISK"  # 4.3+ packs by default
    bake_node(rock, nodes)
    out["node_bake"] = files_in(root / "blendcache_fx shot" / ("Rock_GeometryNodes"))
    if "bake_target" in nodes.bl_rna.properties:
        pebble = add_object("Pebble")
        packed = pebble.modifiers.new("GeometryNodes", "NODES")
        packed.node_group = bake_node_tree("Packer")
        packed.bake_target = "PACKED"
        bake_node(pebble, packed)

    # an ocean baked without foam: displacement and normals only, beside a file it did not write
    sea = add_object("Sea")
    ocean = sea.modifiers.new("Ocean", "OCEAN")
    ocean.use_foam, ocean.use_normals, ocean.filepath = False, True, "//ocean_bake"
    out["ocean"] = [write_exr(root / "ocean_bake" / ("%s_%04d.exr" % (kind, frame)))
                    for kind in ("disp", "normal") for frame in FRAMES]
    (root / "ocean_bake" / "notes.txt").write_text("not a bake")

    bpy.ops.wm.save_mainfile()
    return out


def test_every_cache_kind_is_found_with_its_owner(fx):
    root = fx["root"]
    assets = {Path(a.path): a for a in describe_scene().assets}

    for owner, paths in fx["point_caches"].items():  # every frame of each point cache
        assert len(paths) >= len(FRAMES), (owner, paths)
        for path in paths:
            assert (assets[path].kind, assets[path].owner) == ("cache", owner)
        assert sorted(assets[p].frames[0] for p in paths)[-len(FRAMES):] == list(FRAMES)
    assert fx["stray"] not in assets  # only the files of the scene's caches, not the folder
    assert fx["node_bake"] and any(p.parent.name == "meta" for p in fx["node_bake"])
    for path in fx["node_bake"]:
        assert assets[path].owner == "bpy.data.objects['Rock'].modifiers['GeometryNodes'].bakes[0]"
    assert not any("Pebble" in a.owner for a in assets.values())  # packed into the .blend
    for path in fx["ocean"]:
        assert assets[path].owner == "bpy.data.objects['Sea'].modifiers['Ocean']"
    assert root / "ocean_bake" / "notes.txt" not in assets
    abc = root / "abc"
    assert assets[abc / "sim.abc"].owner == "bpy.data.cache_files['sim.abc']"
    assert assets[abc / "sim_fix.abc"].owner == "bpy.data.cache_files['sim.abc'].layers[0]"
    assert abc / "sim_hidden.abc" not in assets  # a hidden layer is not read
    assert fx["library"] not in assets  # packed: it travels inside the .blend
    assert assets[fx["lib_tex"]].kind == "texture"  # its texture does not
    expected = sum(len(p) for p in fx["point_caches"].values()) + len(fx["node_bake"]) + len(fx["ocean"]) + 3
    assert len(assets) == expected, sorted(map(str, assets))


def test_a_script_submits_every_cache_and_the_farm_receives_them(farm, account, fx):
    assert bpy.ops.renderbus.submit(follow=False) == {"FINISHED"}

    state = bpy.context.window_manager.renderbus
    _, files = received(farm, state.last_task_id)
    wanted = [p for paths in fx["point_caches"].values() for p in paths] + fx["node_bake"] + fx["ocean"] + [
        fx["root"] / "abc" / "sim.abc", fx["root"] / "abc" / "sim_fix.abc", fx["lib_tex"], fx["blend"]]
    for path in wanted:  # byte for byte
        assert files[str(path)] == path.read_bytes(), path
    assert sorted(files) == sorted(map(str, wanted))
    assert [i.code for i in state.issues if i.severity != "notice"] == []  # saved, nothing missing


def test_a_linked_library_that_is_not_packed_is_uploaded(fx):
    library = bpy.data.libraries["props.blend"]
    bpy.ops.file.unpack_libraries()
    assert library.packed_file is None
    assert {Path(a.path): a.owner for a in describe_scene().assets}[fx["library"]] == "bpy.data.libraries['props.blend']"


def test_unsaved_changes_in_a_script_are_a_warning(farm, account, fx):
    state = bpy.context.window_manager.renderbus
    assert bpy.ops.renderbus.validate() == {"FINISHED"}
    assert "scene_unsaved" not in [i.code for i in state.issues]  # just saved
    bpy.context.scene.renderbus.label = "shot010"  # the add-on's own settings go with the submission
    bpy.ops.renderbus.validate()
    assert "scene_unsaved" not in [i.code for i in state.issues]

    new = write_png(fx["root"] / "tex" / "new.png")
    material = bpy.data.materials.new("paint")
    if material.node_tree is None:  # 5.0: materials always have nodes (use_nodes is deprecated)
        material.use_nodes = True
    material.node_tree.nodes.new("ShaderNodeTexImage").image = bpy.data.images.load(str(new))
    bpy.data.objects["Rock"].data.materials.append(material)
    assert bpy.ops.renderbus.submit(follow=False) == {"FINISHED"}  # a warning does not stop a script

    [issue] = [i for i in state.issues if i.code == "scene_unsaved"]
    assert issue.severity == "warning" and "fx shot.blend" in issue.message and "saved file" in issue.message
    _, files = received(farm, state.last_task_id)
    assert str(new) in files  # the new texture is sent, the farm renders the saved file: the warning says so


@pytest.mark.parametrize("change", ["render setting", "add-on render setting", "saved as a copy"])
def test_what_counts_as_unsaved_in_a_background_session(fx, tmp_path, change):
    from renderbus_blender import changes

    scene = bpy.context.scene
    assert not changes.unsaved(scene)
    if change == "render setting":
        scene.render.resolution_percentage = 50
    elif change == "add-on render setting":
        scene.cycles.samples = 7  # Cycles' settings are an add-on's: the dependency graph does not see them
    else:
        scene.frame_end = 10
        bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "copy.blend"), copy=True)
    assert changes.unsaved(scene)
    bpy.ops.wm.save_mainfile()
    assert not changes.unsaved(scene)
    bpy.ops.wm.open_mainfile(filepath=str(fx["blend"]))
    assert not changes.unsaved(bpy.context.scene)


def test_save_and_submit_saves_first(farm, account, fx):
    scene = bpy.context.scene
    scene.frame_end = 2
    assert bpy.ops.renderbus.submit(save_first=True, follow=False) == {"FINISHED"}

    state = bpy.context.window_manager.renderbus
    assert "scene_unsaved" not in [i.code for i in state.issues]
    cfg, files = received(farm, state.last_task_id)
    assert files[str(fx["blend"])] == fx["blend"].read_bytes()
    bpy.ops.wm.open_mainfile(filepath=str(fx["blend"]))
    assert bpy.context.scene.frame_end == 2  # what was sent is the changed scene


def test_blend_file_names_with_dots_and_no_blendcache_folder(tmp_path):
    """A scene never baked to disk lists no point cache files."""
    bpy.ops.wm.save_as_mainfile(filepath=str(tmp_path / "v1.2.final.blend"))
    obj = add_object("Cloth")
    obj.modifiers.new("Cloth", "CLOTH").point_cache.use_disk_cache = True
    assert not any(a.kind == "cache" for a in describe_scene().assets)
    assert not os.path.exists(tmp_path / "blendcache_v1.2.final")
