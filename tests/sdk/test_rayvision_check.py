"""The official SDK's RayvisionCheck (rayvision_api 3.0.4.3, unchanged, in a venv of its own: the
``sdk-check`` job) accepts the task files we write for Maya, 3ds Max and Blender, against the
local farm, as it would against the live service.

RayvisionCheck.execute() first asks the hardware configurations (``hardwareConfig/list``, one of
the SDK's routes the farm serves once the farm issue's work lands). Where the farm does not serve
it yet, the test runs execute()'s other steps, each the SDK's own method, in execute()'s order:
the software versions (check_plugin), task_info (check_task_info), every tip code through
queryAnalyseErrorDetail (check_error_warn_info, is_scene_have_error) and the rewrite of the files
(write). Only the hardware choice is left out then, and the test says so in its output.
"""

import json
import logging
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict

import pytest

rayvision_api = pytest.importorskip("rayvision_api")

from rayvision_api.core import RayvisionAPI  # noqa: E402
from rayvision_api.exception import RayvisionError  # noqa: E402
from rayvision_api.task.check import RayvisionCheck  # noqa: E402

from renderbus_dcc import taskschema  # noqa: E402
from renderbus_dcc.assets import collect_assets  # noqa: E402
from renderbus_dcc.scene import Asset  # noqa: E402
from renderbus_dcc.submission import _project_id  # noqa: E402  (what a submission writes for a label)
from renderbus_dcc.taskfiles import build_task_files  # noqa: E402
from renderbus_dcc.validation import validate  # noqa: E402

from task_scenes import blender_scene, max_scene, maya_scene  # noqa: E402

HARDWARE = {"model": "Default", "ram": "64GB", "gpuNum": None}
SCENES = {"maya": maya_scene, "max": max_scene, "blender": blender_scene}


def sdk_api(farm: Any) -> Any:
    host = farm.url.split("//", 1)[1]  # 127.0.0.1:port: the SDK signs the host with the port
    return RayvisionAPI(access_id=farm.access_id, access_key=farm.access_key, domain=host, platform="2",
                        protocol="http", logger=logging.getLogger("sdk-check"))


def serves_hardware_list(api: Any) -> bool:
    """Whether the farm answers hardwareConfig/list (asked once, without the SDK's retries)."""
    connect = api.connect
    path = connect.url.hardwareConfig.value
    data = {"cloneTask": "false"}
    answer = connect._session_request.post("%s://%s%s" % (connect._protocol, connect.domain, path), json.dumps(data),
                                           timeout=10, headers=connect._handle_headers(path, data))
    return answer.json().get("code") == 200


def our_files(host: str, farm: Any, root: Path) -> Dict[str, Any]:
    """Our four task files for a test scene of ``host``, with a real task id, written to ``root``."""
    scene = SCENES[host](root)
    scene.assets.append(Asset(str(root / "gone.png"), "gone.fileTextureName", "texture"))  # a warning: 10012
    assets = collect_assets(scene)
    client = farm.client()
    task_id = client.create_task(count=1).task_ids[0]
    user_id = client.query_user_profile().user_id
    files = build_task_files(scene, assets, task_id=task_id, user_id=user_id, platform=2, label="sdk check",
                             project_id=_project_id(client, "sdk check"), report=validate(scene, assets))
    cfg = root / "cfg"
    cfg.mkdir()
    for name, data in files.items():
        (cfg / name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return files


def analysis_of(root: Path, files: Dict[str, Any]) -> Any:
    """What the SDK's analysers hand RayvisionCheck: the four files' paths and contents."""
    cfg = root / "cfg"
    return SimpleNamespace(task_json=str(cfg / "task.json"), tips_json=str(cfg / "tips.json"),
                           asset_json=str(cfg / "asset.json"), upload_json=str(cfg / "upload.json"),
                           task_info=files["task.json"], tips_info=files["tips.json"],
                           asset_info=files["asset.json"], upload_info=files["upload.json"])


def run_check(api: Any, analysis: Any, root: Path, capsys: Any) -> int:
    check = RayvisionCheck(api, analysis, workspace=str(root))
    if serves_hardware_list(api):
        return check.execute(HARDWARE, analysis.task_json, analysis.upload_json, analysis.asset_json)
    with capsys.disabled():
        print("\nsdk-check: the farm does not serve hardwareConfig/list yet: RayvisionCheck.execute() runs "
              "without its hardware step")
    check.check_analyze(analysis, str(root))
    check.check_plugin(json.loads(Path(analysis.task_json).read_text(encoding="utf-8")))
    check.task_info = check.check_task_info(json.loads(Path(analysis.task_json).read_text(encoding="utf-8")))
    check.upload_info = json.loads(Path(analysis.upload_json).read_text(encoding="utf-8"))
    check.asset_info = json.loads(Path(analysis.asset_json).read_text(encoding="utf-8"))
    check.check_error_warn_info(language="1")
    check.is_scene_have_error()
    return check.write()


@pytest.mark.parametrize("host", sorted(SCENES))
def test_rayvision_check_accepts_our_task_files(farm, tmp_path, capsys, monkeypatch, host):
    if host == "max":  # the SDK asks for the versions of the OS it runs on: 3ds Max's is Windows
        monkeypatch.setattr(sys, "platform", "win32")
    files = our_files(host, farm, tmp_path)
    assert list(files["tips.json"]) == ["10012"]  # the missing texture, under the live service's code
    api = sdk_api(farm)
    analysis = analysis_of(tmp_path, files)

    task_id = run_check(api, analysis, tmp_path, capsys)

    assert task_id == int(files["task.json"]["task_info"]["task_id"])
    # the SDK wrote the files back (its own formatting): they still follow our declared format
    rewritten = {name: json.loads((tmp_path / "cfg" / name).read_text(encoding="utf-8"))
                 for name in taskschema.TASK_FILES}
    assert taskschema.check_files(rewritten) == []
    info = rewritten["task.json"]["task_info"]
    label = [l for l in farm.client().get_label_list() if l.project_name == "sdk check"]
    assert info["project_id"] == str(label[0].project_id)  # the label's id, as the SDK looks it up
    assert rewritten["upload.json"] == files["upload.json"]


def test_rayvision_check_refuses_what_the_farm_classifies_as_an_error(farm, tmp_path, capsys):
    files = our_files("maya", farm, tmp_path)
    files["tips.json"]["15024"] = ["the scene file is gone"]  # CGFILE_NOTEXISTS: type 1 in the catalogue
    (tmp_path / "cfg" / "tips.json").write_text(json.dumps(files["tips.json"]), encoding="utf-8")
    with pytest.raises(RayvisionError) as info:
        run_check(sdk_api(farm), analysis_of(tmp_path, files), tmp_path, capsys)
    assert "There are 1 errors" in str(info.value) and "15024" in str(info.value)
