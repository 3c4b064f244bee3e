"""Local paths -> farm paths, the same on every OS (Windows scenes are analysed on Linux here)."""

import pytest

from renderbus_dcc.errors import SceneError
from renderbus_dcc.paths import (
    basename,
    dirname,
    drive_of,
    is_absolute,
    is_inside,
    is_unc_path,
    is_windows_path,
    join,
    name_problems,
    normalise,
    path_key,
    same_drive,
    to_server_path,
)


@pytest.mark.parametrize(
    "local, server",
    [
        ("D:\\x\\y.png", "/D/x/y.png"),
        ("D:/x/y.png", "/D/x/y.png"),
        ("d:/x/y.png", "/D/x/y.png"),
        ("D:\\proj\\tex\\..\\.\\tex\\y.png", "/D/proj/tex/y.png"),
        ("D:\\", "/D"),
        ("\\\\srv\\share\\x", "/srv/share/x"),
        ("//srv/share/x/y z.png", "/srv/share/x/y z.png"),
        ("\\\\?\\D:\\long\\path.exr", "/D/long/path.exr"),
        ("\\\\?\\UNC\\srv\\share\\a.exr", "/srv/share/a.exr"),
        ("/mnt/x", "/mnt/x"),
        ("/mnt//x/./y/../z.png", "/mnt/x/z.png"),
        ("/home/美术/贴图 1.png", "/home/美术/贴图 1.png"),
        ("E:/项目/场景.ma", "/E/项目/场景.ma"),
    ],
)
def test_to_server_path(local, server):
    assert to_server_path(local) == server


@pytest.mark.parametrize("relative", ["tex/a.png", "C:rel\\a.png", ""])
def test_relative_paths_are_refused(relative):
    with pytest.raises(SceneError) as info:
        to_server_path(relative)
    assert "relative" in str(info.value)


def test_kinds_of_paths():
    assert is_windows_path("D:\\x") and is_windows_path("d:/x") and is_windows_path("\\\\srv\\s")
    assert is_unc_path("//srv/share") and not is_unc_path("/mnt/x") and not is_unc_path("D:/x")
    assert not is_windows_path("/mnt/x") and not is_windows_path("tex/a.png")
    assert is_absolute("/x") and is_absolute("D:\\x") and is_absolute("\\\\srv\\s\\x")
    assert not is_absolute("tex/a.png") and not is_absolute("C:rel")


def test_normalise_and_keys():
    assert normalise("d:\\a\\.\\b\\..\\c\\") == "D:/a/c"
    assert normalise("/a/../../b") == "/b"
    assert normalise("a/../../b") == "../b"
    assert normalise("/posix/back\\slash") == "/posix/back\\slash"  # a legal POSIX name character
    assert path_key("D:\\Tex\\A.png") == path_key("d:/tex/a.PNG")
    assert path_key("/Tex/A.png") != path_key("/tex/a.png")


def test_drives():
    assert drive_of("d:\\x") == "D:" and drive_of("\\\\SRV\\Share\\x") == "//srv/share" and drive_of("/x") == "/"
    assert drive_of("tex/a.png") == ""
    assert same_drive("D:/a", "d:\\b") and not same_drive("D:/a", "E:/a") and not same_drive("/a", "D:/a")
    assert same_drive("//srv/share/a", "\\\\srv\\SHARE\\b") and not same_drive("//srv/share/a", "//srv/other/a")
    assert not same_drive("a", "b")


def test_join_dirname_basename():
    assert join("D:\\proj", "sourceimages\\wood.png") == "D:/proj/sourceimages/wood.png"
    assert join("/proj/scenes", "../tex/a.png") == "/proj/tex/a.png"
    assert join("/proj", "/abs/a.png") == "/abs/a.png"
    assert join("/proj", "E:\\abs\\a.png") == "E:/abs/a.png"
    assert join("/", "a.png") == "/a.png"
    assert join("/Users/me/proj", "sourceimages\\wood.png") == "/Users/me/proj/sourceimages/wood.png"
    assert join("//srv/share/", "a/../b.png") == "//srv/share/b.png" and join("D:/", "x") == "D:/x"
    assert dirname("D:\\a.png") == "D:/" and dirname("/x/a.png") == "/x" and dirname("/a.png") == "/"
    assert basename("D:\\x\\a b.png") == "a b.png" and basename("/x/y/") == "y"


def test_is_inside():
    assert is_inside("d:/Proj/tex/a.png", "D:\\proj")
    assert not is_inside("D:/project2/a.png", "D:/proj")
    assert is_inside("/proj", "/proj") and not is_inside("/proj", "")


def test_name_problems():
    assert name_problems("D:/ok/好 的.png") == []
    problems = name_problems('D:/bad:dir/what?.png')
    assert problems == ['"bad:dir" contains :', '"what?.png" contains ?']
    assert name_problems("/x/trailing. /a.png") == ['"trailing. " ends with a space or a dot']
    assert "the path is 301 characters long (the farm takes at most 255)" in name_problems("/" + "a" * 300)
