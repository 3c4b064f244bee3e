"""Asset collection with real files on disk: UDIMs, sequences, missing files, odd names, md5."""

import hashlib
import os
from pathlib import Path
from typing import Dict, List

import pytest

from renderbus_dcc import assets as assets_module
from renderbus_dcc.assets import collect_assets, mark_udim, md5_file
from renderbus_dcc.scene import Asset, SceneDescription


def make(root: Path, names: List[str], size: int = 3) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    make(root, ["scenes/shot.ma"], size=10)
    (root / "scenes/shot.ma").write_bytes(b"//Maya ASCII scene\n" * 1000)
    return root


def scene_for(project: Path, assets: List[Asset], **kw) -> SceneDescription:
    return SceneDescription(
        2000, "Maya", "2024", scene_file=str(project / "scenes/shot.ma"), project_dir=str(project), assets=assets, **kw
    )


def locals_of(collection) -> List[str]:
    return [Path(f.local).relative_to(Path(collection.scene_file.local).parent.parent).as_posix()
            for f in collection.files]


def test_plain_relative_and_deduplicated(project: Path):
    make(project, ["sourceimages/wood.png", "scenes/beside.png", "sourceimages/metal.png"])
    scene = scene_for(project, [
        Asset("sourceimages/wood.png", "file1.fileTextureName"),
        Asset("sourceimages/./wood.png", "file2.fileTextureName"),  # same file, other spelling
        Asset(str(project / "sourceimages/wood.png"), "file3.fileTextureName"),
        Asset("beside.png", "file4.fileTextureName"),  # not in the project root: beside the scene
        Asset(str(project / "sourceimages" / "metal.png"), "file5.fileTextureName", kind="texture"),
        Asset("", "file6.fileTextureName"),  # an empty attribute is not an asset
    ])
    c = collect_assets(scene)
    assert locals_of(c) == ["sourceimages/wood.png", "scenes/beside.png", "sourceimages/metal.png"]
    wood = c.files[0]
    assert wood.owner == "file1.fileTextureName, file2.fileTextureName, file3.fileTextureName"
    assert wood.server == wood.local and wood.size == 3 and wood.md5 == "" and wood.kind == "texture"
    assert c.missing == []
    assert c.total_bytes == 9 + c.scene_file.size


def test_scene_file_md5(project: Path):
    scene = scene_for(project, [])
    c = collect_assets(scene)
    data = (project / "scenes/shot.ma").read_bytes()
    assert c.scene_file.md5 == hashlib.md5(data).hexdigest()
    assert (c.scene_file.size, c.scene_file.kind, c.scene_file.owner) == (len(data), "scene", "scene")
    assert md5_file(str(project / "scenes/shot.ma"), chunk_size=7) == c.scene_file.md5
    assert collect_assets(scene, hash_scene=False).scene_file.md5 == ""


def test_scene_file_listed_as_an_asset_is_sent_once(project: Path):
    c = collect_assets(scene_for(project, [Asset(str(project / "scenes/shot.ma"), "reference")]))
    assert c.files == [] and c.scene_file is not None


def test_missing_scene_file(tmp_path: Path):
    scene = SceneDescription(2000, "Maya", "2024", scene_file=str(tmp_path / "gone.ma"))
    c = collect_assets(scene)
    assert c.scene_file is None
    assert [(m.kind, m.owner) for m in c.missing] == [("scene", "scene")]
    assert "the scene file does not exist" in c.missing[0].reason


@pytest.mark.parametrize("token", ["<UDIM>", "<udim>", "<Udim>", "$UDIM", "%(UDIM)d"])
def test_udim_tokens(project: Path, token: str):
    make(project, ["tex/skin.1001.exr", "tex/skin.1002.exr", "tex/skin.1011.exr", "tex/skin.1001.exr.bak",
                   "tex/skin.10012.exr", "tex/skin_other.1003.exr"])
    c = collect_assets(scene_for(project, [Asset("tex/skin.%s.exr" % token, "skin.fileTextureName")]))
    assert locals_of(c) == ["tex/skin.1001.exr", "tex/skin.1002.exr", "tex/skin.1011.exr"]
    assert {f.owner for f in c.files} == {"skin.fileTextureName"}
    assert c.missing == []


def test_uvtile_and_mudbox_tokens(project: Path):
    make(project, ["tex/a_u1_v1.png", "tex/a_u2_v1.png", "tex/a_u1_v2.png", "tex/b_u0_v0.tif", "tex/b_u1_v0.tif"])
    c = collect_assets(scene_for(project, [Asset("tex/a_<UVTILE>.png", "a"), Asset("tex/b_u<u>_v<v>.tif", "b")]))
    assert locals_of(c) == ["tex/a_u1_v1.png", "tex/a_u1_v2.png", "tex/a_u2_v1.png", "tex/b_u0_v0.tif",
                            "tex/b_u1_v0.tif"]


def test_literal_tile_only_when_marked(project: Path):
    make(project, ["tex/w.1001.exr", "tex/w.1002.exr"])
    plain = collect_assets(scene_for(project, [Asset("tex/w.1001.exr", "w")]))
    assert locals_of(plain) == ["tex/w.1001.exr"]
    assert mark_udim("tex/w.1001.exr") == "tex/w.<UDIM>.exr"
    assert mark_udim("D:\\tex\\w_1001_v2.exr") == "D:/tex/w_<UDIM>_v2.exr"
    assert mark_udim("tex/plain.exr") == "tex/plain.exr"
    marked = collect_assets(scene_for(project, [Asset(mark_udim("tex/w.1001.exr"), "w")]))
    assert locals_of(marked) == ["tex/w.1001.exr", "tex/w.1002.exr"]


@pytest.mark.parametrize(
    "pattern, names",
    [
        ("seq/fx.####.exr", ["seq/fx.0001.exr", "seq/fx.0002.exr", "seq/fx.0010.exr"]),
        ("seq/fx.#.exr", ["seq/fx.1.exr", "seq/fx.2.exr", "seq/fx.10.exr"]),
        ("seq/fx.%04d.exr", ["seq/fx.0001.exr", "seq/fx.0002.exr", "seq/fx.0010.exr"]),
        ("seq/fx.%d.exr", ["seq/fx.1.exr", "seq/fx.2.exr", "seq/fx.10.exr"]),
        ("seq/fx.<f>.exr", ["seq/fx.1.exr", "seq/fx.2.exr", "seq/fx.10.exr"]),
        ("seq/fx.<f4>.exr", ["seq/fx.0001.exr", "seq/fx.0002.exr", "seq/fx.0010.exr"]),
        ("seq/fx.<frame04>.exr", ["seq/fx.0001.exr", "seq/fx.0002.exr", "seq/fx.0010.exr"]),
        ("seq/fx.$F4.exr", ["seq/fx.0001.exr", "seq/fx.0002.exr", "seq/fx.0010.exr"]),
        ("seq/fx.$F.exr", ["seq/fx.1.exr", "seq/fx.2.exr", "seq/fx.10.exr"]),
    ],
)
def test_sequence_tokens(project: Path, pattern: str, names: List[str]):
    make(project, names + ["seq/fx.exr", "seq/fx.0001.exr.tx", "seq/other.0001.exr"])
    c = collect_assets(scene_for(project, [Asset(pattern, "cache1.file", kind="cache")]))
    assert sorted(locals_of(c)) == sorted(set(names))
    assert all(f.kind == "cache" for f in c.files) and c.missing == []
    # with the frames the host reads: exactly those, and the missing ones reported
    c = collect_assets(scene_for(project, [Asset(pattern, "cache1.file", kind="cache", frames=[1, 2, 3, 4])]))
    assert sorted(locals_of(c)) == sorted(set(names) - {names[2]})
    [missing] = c.missing
    assert missing.reason == "2 of 4 frames missing: 3-4"
    assert (missing.path, missing.owner, missing.kind) == (pattern, "cache1.file", "cache")


def test_sequence_with_udim(project: Path):
    make(project, ["tex/a.1001.0001.exr", "tex/a.1002.0001.exr", "tex/a.1001.0002.exr"])
    c = collect_assets(scene_for(project, [Asset("tex/a.<UDIM>.####.exr", "a", frames=[1])]))
    assert locals_of(c) == ["tex/a.1001.0001.exr", "tex/a.1002.0001.exr"]


def test_literal_hash_in_a_name_is_a_file(project: Path):
    make(project, ["tex/take#1.png", "tex/take#2.png"])
    c = collect_assets(scene_for(project, [Asset("tex/take#1.png", "t")]))
    assert locals_of(c) == ["tex/take#1.png"]


def test_missing_files_are_reported_and_do_not_stop(project: Path):
    make(project, ["tex/ok.png", "seq/other.exr"])
    scene = scene_for(project, [
        Asset("tex/gone.png", "file1.fileTextureName"),
        Asset("tex/gone.png", "file2.fileTextureName"),
        Asset(str(project / "nofolder/x.png"), "file3.fileTextureName"),
        Asset("tex/none.<UDIM>.exr", "file4.fileTextureName"),
        Asset("seq/none.####.exr", "file5.fileTextureName", frames=[1, 2]),
        Asset("tex/ok.png", "file6.fileTextureName"),
    ])
    scene.scene_file = str(project / "scenes/shot.ma")
    c = collect_assets(scene)
    assert locals_of(c) == ["tex/ok.png"]
    reasons = {m.owner: m.reason for m in c.missing}
    assert list(reasons) == ["file1.fileTextureName, file2.fileTextureName", "file3.fileTextureName",
                             "file4.fileTextureName", "file5.fileTextureName"]
    first = c.missing[0]
    assert first.path == "tex/gone.png" and first.resolved == (project / "tex/gone.png").as_posix()
    assert first.reason == "file not found: %s (nor beside the scene: %s)" % (
        (project / "tex/gone.png").as_posix(), (project / "scenes/tex/gone.png").as_posix())
    assert "does not exist" in reasons["file3.fileTextureName"]
    assert "no UDIM tiles matching none.<UDIM>.exr" in reasons["file4.fileTextureName"]
    assert "none of the 2 frames (1-2)" in reasons["file5.fileTextureName"]


def test_relative_without_project_or_saved_scene():
    scene = SceneDescription(2007, "Blender", "4.2", assets=[Asset("//tex/a.png", "img"), Asset("tex/b.png", "img2")])
    c = collect_assets(scene)
    assert c.scene_file is None and c.files == []
    [unc, rel] = c.missing
    assert "does not exist" in unc.reason  # //tex/a.png reads as a UNC share, never found here
    assert rel.resolved == "" and "neither a project folder nor a saved file" in rel.reason


def test_chinese_names_and_spaces(project: Path):
    names = ["贴图/木 纹.png", "tex dir/a b.<UDIM>.exr", "序列/帧.####.exr"]
    make(project, ["贴图/木 纹.png", "tex dir/a b.1001.exr", "tex dir/a b.1002.exr", "序列/帧.0001.exr"])
    c = collect_assets(scene_for(project, [Asset(n, "n%d" % i) for i, n in enumerate(names)]))
    assert locals_of(c) == ["贴图/木 纹.png", "tex dir/a b.1001.exr", "tex dir/a b.1002.exr", "序列/帧.0001.exr"]
    assert c.files[0].server.endswith("/贴图/木 纹.png")


def test_windows_scene_analysed_here_maps_paths():
    scene = SceneDescription(
        2001, "3ds Max", "2024", scene_file="D:\\proj\\scenes\\shot.max", project_dir="D:\\proj",
        assets=[Asset("sceneassets\\images\\a.png", "Bitmap 'a'"), Asset("\\\\nas\\lib\\b.png", "Bitmap 'b'"),
                Asset("E:/other/c.png", "Bitmap 'c'")],
    )
    c = collect_assets(scene)
    assert c.files == [] and c.scene_file is None
    resolved = [m.resolved for m in c.missing]
    assert resolved == ["D:/proj/scenes/shot.max", "D:/proj/sceneassets/images/a.png", "//nas/lib/b.png",
                        "E:/other/c.png"]
    from renderbus_dcc.paths import to_server_path

    assert [to_server_path(r) for r in resolved[1:]] == ["/D/proj/sceneassets/images/a.png", "/nas/lib/b.png",
                                                         "/E/other/c.png"]


def test_folder_asset_brings_every_file(project: Path):
    make(project, ["cache/groom/a.fur", "cache/groom/sub/b.fur", "cache/empty/.keep"])
    (project / "cache/empty/.keep").unlink()
    c = collect_assets(scene_for(project, [Asset("cache/groom", "yeti1.cacheFileName", kind="cache"),
                                           Asset("cache/empty", "yeti2.cacheFileName", kind="cache")]))
    assert locals_of(c) == ["cache/groom/a.fur", "cache/groom/sub/b.fur"]
    assert "holds no files" in c.missing[0].reason


def test_case_insensitive_lookup_where_the_os_ignores_case(project: Path, monkeypatch: pytest.MonkeyPatch):
    make(project, ["Tex/Wood.PNG", "Tex/Skin.1001.EXR"])
    monkeypatch.setattr(assets_module, "_case_insensitive", lambda: True)
    c = collect_assets(scene_for(project, [Asset("Tex/wood.png", "w"), Asset("Tex/skin.<UDIM>.exr", "s"),
                                           Asset("Tex/WOOD.png", "w2")]))
    assert locals_of(c) == ["Tex/Wood.PNG", "Tex/Skin.1001.EXR"]
    assert c.files[0].owner == "w, w2"


def test_each_folder_is_listed_once(project: Path, monkeypatch: pytest.MonkeyPatch):
    make(project, ["tex/t%03d.png" % i for i in range(50)] + ["tex/u.1001.exr", "tex/u.1002.exr"])
    calls: Dict[str, int] = {}
    real = os.scandir

    def counting(path="."):
        calls[str(path)] = calls.get(str(path), 0) + 1
        return real(path)

    monkeypatch.setattr(assets_module.os, "scandir", counting)
    assets = [Asset("tex/t%03d.png" % i, "f%d" % i) for i in range(50)] + [Asset("tex/u.<UDIM>.exr", "u")]
    assets += [Asset("tex/missing%d.png" % i, "m%d" % i) for i in range(5)]
    c = collect_assets(scene_for(project, assets))
    assert len(c.files) == 52 and len(c.missing) == 5
    assert calls == {(project / "tex").as_posix(): 1, (project / "scenes/tex").as_posix(): 1}


def test_a_drive_root_is_never_walked():
    c = collect_assets(SceneDescription(2000, "Maya", "2024", assets=[Asset("/", "bad.attr"), Asset("C:\\", "bad2")]))
    assert c.files == [] and ["root of a drive" in m.reason for m in c.missing] == [True, True]
