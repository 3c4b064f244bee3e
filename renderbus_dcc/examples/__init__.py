"""Example scenes that ship with the package, with real (tiny) asset files.

``maya_arnold``: a Maya 2024 / Arnold scene, two renderable layers, 24 frames, a UDIM set
(1001-1003), a 24-frame texture sequence, a texture with a Chinese name and spaces, and an
Alembic cache. Paths in its ``scene.json`` are relative to its project folder, so it works
from wherever the package is installed; :func:`example_scene` makes them absolute.
"""

from pathlib import Path
from typing import TYPE_CHECKING, List

if TYPE_CHECKING:  # pragma: no cover
    from renderbus_dcc.scene import SceneDescription

__all__ = ["EXAMPLES_DIR", "example_names", "example_dir", "example_scene"]

EXAMPLES_DIR = Path(__file__).resolve().parent


def example_names() -> List[str]:
    """The examples available."""
    return sorted(p.parent.name for p in EXAMPLES_DIR.glob("*/scene.json"))


def example_dir(name: str = "maya_arnold") -> Path:
    """The project folder of an example."""
    path = EXAMPLES_DIR / name
    if not (path / "scene.json").is_file():
        from renderbus_dcc.errors import SceneError

        from renderbus_dcc.i18n import _

        raise SceneError(_("no example scene %r") % name, hint=_("examples: %s") % ", ".join(example_names()))
    return path


def example_scene(name: str = "maya_arnold") -> "SceneDescription":
    """The example's SceneDescription, with the project folder and scene file made absolute."""
    from renderbus_dcc.scene import SceneDescription

    folder = example_dir(name)
    scene = SceneDescription.from_json(folder / "scene.json")
    return absolutise(scene, folder)


def absolutise(scene: "SceneDescription", base: Path) -> "SceneDescription":
    """Make a scene description's project folder and scene file absolute against ``base``
    (a description read from a JSON file is relative to that file's folder)."""
    from renderbus_dcc import paths

    base_s = str(Path(base).resolve())
    if not scene.project_dir or not paths.is_absolute(scene.project_dir):
        scene.project_dir = str(Path(base_s, scene.project_dir or "."))
        scene.project_dir = str(Path(scene.project_dir).resolve())
    if scene.scene_file and not paths.is_absolute(scene.scene_file):
        scene.scene_file = str(Path(scene.project_dir, scene.scene_file).resolve())
    return scene
