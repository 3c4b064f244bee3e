"""The typed results: tolerant of the server's variants, nulls, string numbers, unknown keys."""

import json

from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus
from renderbus_dcc.models import (
    CreatedTasks, ErrorDetail, FrameInfo, FrameStats, GrabBlock, Label, Page, Platform, Plugin, PluginCatalogue,
    PluginVersion, ProgressImage, RenderEnv, Software, SoftVersion, SupportedSoftware, TaskInfo, TransferBid,
    UserProfile, UserSetting,
)

from .payloads import example


def test_every_model_can_be_built_directly_with_defaults() -> None:
    for cls in (Software, SoftVersion, PluginVersion, Plugin, RenderEnv, TaskInfo, FrameInfo, ProgressImage, GrabBlock,
                UserProfile, UserSetting, Platform, TransferBid, CreatedTasks, ErrorDetail, FrameStats, Label,
                SupportedSoftware, PluginCatalogue, Page):
        instance = cls()
        assert instance.extra == {}
        json.dumps(instance.to_dict())
    assert TaskInfo(19084, "P19084", status=TaskStatus.RENDERING).status is TaskStatus.RENDERING
    assert Page(items=[1, 2]).items == [1, 2]


def test_variant_spellings_map_to_one_attribute() -> None:
    for key in ("munuTaskId", "menuTaskId"):
        assert TaskInfo.from_wire({key: "20180903"}).menu_task_id == "20180903"
        assert FrameInfo.from_wire({key: "20180903"}).menu_task_id == "20180903"
    for key in ("munuJobId", "menuJobId"):
        assert FrameInfo.from_wire({key: "7"}).menu_job_id == "7"
    for key in ("arrearFee", "arrearsFee"):
        assert FrameInfo.from_wire({key: 1.5}).arrears_fee == 1.5
    for key in ("mifileSwitchFlag", "miFileSwitchFlag"):
        assert UserSetting.from_wire({key: 1}).mi_file_switch_flag == 1
    for key in ("assfileSwitchFlag", "assFileSwitchFlag"):
        assert UserSetting.from_wire({key: 1}).ass_file_switch_flag == 1
    # both present, one null: the value wins whatever the order
    assert FrameInfo.from_wire({"arrearFee": None, "arrearsFee": 2.0}).arrears_fee == 2.0
    assert FrameInfo.from_wire({"arrearsFee": 2.0, "arrearFee": None}).arrears_fee == 2.0


def test_unknown_keys_are_kept_and_nulls_become_zero() -> None:
    task = TaskInfo.from_wire({"id": 1, "doneFrames": None, "renderConsume": None, "newField": {"x": 1}, "startTime": None})
    assert task.done_frames == 0 and task.render_consume == 0.0 and task.start_time is None
    assert task.extra == {"newField": {"x": 1}}


def test_unknown_enum_values_stay_plain_ints() -> None:
    task = TaskInfo.from_wire({"taskStatus": 99, "respRenderingTaskList": [{"taskStatus": "25"}]})
    assert task.status == 99 and not isinstance(task.status, TaskStatus) and not task.is_terminal
    assert task.children[0].status is TaskStatus.FINISHED and task.children[0].is_terminal
    frame = FrameInfo.from_wire({"frameStatus": 42, "frameType": 2})
    assert frame.status == 42 and frame.frame_type is FrameType.PHOTON
    assert FrameInfo.from_wire({"frameStatus": 5}).status is FrameStatus.FAILED


def test_grab_info_strings_become_numbers() -> None:
    image = ProgressImage.from_wire(example("loadTaskProcessImg"))
    block = image.blocks[0][0]
    assert (image.width, image.height, image.block) == (2000, 1500, 16)
    assert block.frame_percent == 100.0 and block.frame_status == 4 and block.frame_used == 66
    assert block.fee_amount == 0.2 and block.coupon_fee == 0.0 and block.is_max_price == 0
    assert block.grab_url.startswith("/mnt/output/")
    odd = GrabBlock.from_wire({"framePercent": "", "frameUsed": "n/a", "feeAmount": None})
    assert (odd.frame_percent, odd.frame_used, odd.fee_amount) == (0.0, 0, 0.0)


def test_document_payloads_become_typed_results() -> None:
    page = Page.from_wire(example("queryTaskInfo"), TaskInfo)
    assert (page.page_count, page.total, page.size) == (1, 1, 100) and len(page) == 1
    assert [c.id for c in page.items[0].children] == [19087, 19088]
    env = RenderEnv.from_wire(example("getRenderEnv")[0])
    assert env.plugins == [PluginVersion(1166, "wobble", "wobble 0.9.5")] and env.os_name == 0
    assert RenderEnv.from_wire({"osName": "windows", "isDefault": 1}).os_name == 1
    assert CreatedTasks.from_wire(example("createTask")) == CreatedTasks([19097], ["2W19097"])
    assert ErrorDetail.from_wire(example("queryErrorDetail")[0]).extra == {"lastModifyAdmin": ""}
    assert UserSetting.from_wire(example("queryUserSetting")).single_node_render_frames == "1"
    assert TransferBid.from_wire({"config_bid": "1", "parent_input_bid": "9"}).parent_input_bid == "9"


def test_page_tolerates_a_bare_list() -> None:
    page = Page.from_wire([{"id": 1}, {"id": 2}], TaskInfo)
    assert [t.id for t in page] == [1, 2] and page.total == 2


def test_a_wrong_shape_is_a_clear_error() -> None:
    import pytest

    from renderbus_dcc.errors import BadResponseError

    with pytest.raises(BadResponseError, match="expected a JSON object for UserProfile, got list"):
        UserProfile.from_wire([1, 2])  # type: ignore[arg-type]
    assert UserProfile.from_wire(None) == UserProfile()
