"""The ``data`` of the protocol document's example answers, per operation (as printed there,
key variants, nulls and string numbers included; long ``keyValue`` strings shortened)."""

import copy
from typing import Any, Dict

_KEY_VALUE = "filter_kernel:Catmull-Rom::channel:0::tiles:16::all_camera:[\"Camera001\"]::width:2000::name:vray::"


def _child(task_id: int, task_type: str, status: int, frames: int, done: int, consume: float, menu_key: str) -> Dict[str, Any]:
    return {
        "sceneName": "3d66.com_593362_2018.max",
        "id": task_id,
        "taskAlias": "P%d" % task_id,
        "taskStatus": status,
        "statusText": "render_task_status_%d" % status,
        "preTaskStatus": None,
        "preStatusText": None,
        "totalFrames": frames,
        "abortFrames": frames - done,
        "executingFrames": 0,
        "doneFrames": done,
        "failedFrames": 0,
        "framesRange": "0",
        "projectName": "",
        "renderConsume": consume,
        "taskArrears": 0,
        "submitDate": 1535958477000,
        "startTime": 1535958658000,
        "completedDate": 1535960243000,
        "renderDuration": 1471,
        "userName": "xiaoguotu_ljian",
        "producer": None,
        "taskLevel": 60,
        "taskUserLevel": 0,
        "taskLimit": None,
        "taskOverTime": 86400000,
        "userId": 10001520,
        "outputFileName": "%d_3d66.com_593362_2018" % task_id,
        menu_key: "2018090300037",
        "layerParentId": 19084,
        "cgId": 2001,
        "keyValue": _KEY_VALUE,
        "userAccountConsume": consume,
        "couponConsume": 0,
        "isOpen": 0,
        "taskType": task_type,
        "renderCamera": "Camera001",
        "cloneParentId": 0,
        "cloneOriginalId": 0,
        "shareMainCapital": 0,
        "taskRam": None,
        "respRenderingTaskList": None,
        "layerName": None,
        "taskTypeText": "render_photons_task" if task_type == "RenderPhoton" else "render_major_picture_task",
        "isDelete": 1,
    }


_SHELL = {
    "sceneName": "3d66.com_593362_2018.max",
    "id": 19084,
    "taskAlias": "P19084",
    "taskStatus": 0,
    "statusText": "render_task_status_0",
    "preTaskStatus": 25,
    "preStatusText": "render_task_status_25",
    "totalFrames": 0,
    "abortFrames": None,
    "executingFrames": None,
    "doneFrames": None,
    "failedFrames": 0,
    "framesRange": "0",
    "projectName": "",
    "renderConsume": None,
    "taskArrears": 0,
    "submitDate": 1535958477000,
    "startTime": None,
    "completedDate": None,
    "renderDuration": None,
    "userName": "xiaoguotu_ljian",
    "producer": None,
    "taskLevel": 60,
    "taskUserLevel": 0,
    "taskLimit": None,
    "taskOverTime": None,
    "userId": 10001520,
    "outputFileName": None,
    "menuTaskId": "",
    "layerParentId": 0,
    "cgId": 2001,
    "keyValue": _KEY_VALUE,
    "userAccountConsume": None,
    "couponConsume": None,
    "isOpen": 1,
    "taskType": "",
    "renderCamera": "Camera001",
    "cloneParentId": None,
    "cloneOriginalId": None,
    "shareMainCapital": 0,
    "taskRam": None,
    "respRenderingTaskList": [
        _child(19087, "RenderPhoton", 25, 1, 1, 1.31, "munuTaskId"),
        _child(19088, "Render", 10, 17, 11, 4.84, "munuTaskId"),
    ],
    "layerName": None,
    "taskTypeText": None,
    "isDelete": 1,
}

_SHELL_LIST = dict(copy.deepcopy(_SHELL), sceneName="衣帽间.max", id=18278, taskAlias="P18278")

_FRAMES = [
    {
        "id": 1546598, "userId": None, "framePrice": None, "feeType": None, "platform": None,
        "frameIndex": "0-1", "frameStatus": 4, "feeAmount": 0.44, "startTime": 1535960273000,
        "endTime": 1535960762000, "frameExecuteTime": 489, "frameStatusText": "task_frame_status_4",
        "arrearFee": None, "menuJobId": "0", "taskId": 19088, "menuTaskId": "2018090300040",
        "frameType": 5, "couponFee": 0, "recommitFlag": 0, "isCopy": None, "frameBlock": "1",
        "taskOverTime": 86400000, "gopName": None, "frameRam": None,
    },
    {
        "id": 1546599, "userId": None, "framePrice": None, "feeType": None, "platform": None,
        "frameIndex": "0-2", "frameStatus": 4, "feeAmount": 0.43, "startTime": 1535960856000,
        "endTime": 1535961338000, "frameExecuteTime": 482, "frameStatusText": "task_frame_status_4",
        "arrearFee": None, "munuJobId": "1", "taskId": 19088, "munuTaskId": "2018090300040",
        "frameType": 5, "couponFee": 0, "recommitFlag": 0, "isCopy": None, "frameBlock": "2",
        "taskOverTime": 86400000, "gopName": None, "frameRam": None,
    },
]

_ENVS = [
    {
        "cgId": 2000, "editName": name, "cgName": "Maya", "cgVersion": "2020", "osName": 0,
        "renderLayerType": 0, "isDefault": 0,
        "respUserPluginInfoVos": [{"pluginId": 1166, "pluginName": "wobble", "pluginVersion": "wobble 0.9.5"}],
    }
    for name in ("testRenderEnv332", "testRenderEnv222")
]

EXAMPLES: Dict[str, Any] = {
    "queryPlatforms": [{"platform": 2, "name": "query_platform_w2"}],
    "queryUserProfile": {
        "userId": 10001136, "userName": "rayvision", "platform": 2, "phone": "17333333333", "email": "",
        "company": "", "name": "", "job": "", "communicationNumber": "", "softType": 2000, "softStatus": 1,
        "businessType": 1, "status": 1, "infoStatus": 0, "accountType": 1, "userType": 1, "mainUserId": 0,
        "level": 49, "pictureLever": None, "zone": 1, "rmbbalance": 0, "usdbalance": 0, "rmbCumulative": 0,
        "usdCumulative": 0, "credit": 0, "coupon": 49.93, "description": "", "country": "中国",
        "city": "广东 中山", "address": "", "cpuPrice": 0.67, "gpuPrice": 20, "shareMainCapital": 0,
        "subDeleteTask": 0, "useMainBalance": 0, "hideBalance": 0, "hideJobCharge": 0, "useLevelDirectory": 1,
        "downloadDisable": 0, "displaySubaccount": 1, "subaccountLimits": 5, "houdiniFlag": 0, "c4dFlag": 0,
        "blenderFlag": 0, "keyshotFlag": 0, "studentEndTime": None,
    },
    "queryUserSetting": {
        "infoStatus": None, "accountType": None, "shareMainCapital": 0, "subDeleteTask": 0, "useMainBalance": 0,
        "singleNodeRenderFrames": "1", "maxIgnoreMapFlag": "1", "autoCommit": "2", "separateAccountFlag": 0,
        "mifileSwitchFlag": 0, "assfileSwitchFlag": 0, "manuallyStartAnalysisFlag": 0, "downloadDisable": 0,
        "taskOverTime": 12,
    },
    "updateUserSetting": None,
    "getTransferBid": {"config_bid": "30201", "output_bid": "20201", "input_bid": "10201"},
    "createTask": {"aliasTaskIdList": ["2W19097"], "taskIdList": [19097]},
    "submitTask": None,
    "queryErrorDetail": [
        {
            "id": 5, "code": "15000", "type": 1, "languageFlag": 0, "desDescriptionCn": "启动 3ds max 卡住或者失败",
            "desSolutionCn": "1. 检查启用对应版本的 3ds max 是否有特殊弹窗，有的话手动关闭；\n2. 检查操作系统是否设置了高级别的权限",
            "solutionPath": "http://note.youdao.com/noteshare?id=d8f1ea0c46dfb524af798f6b1d31cf6f",
            "isRepair": 0, "isDelete": 1, "isOpen": 1, "lastModifyAdmin": "", "updateTime": 1534387709000,
        }
    ],
    "getTaskList": {"pageCount": 32, "pageNum": 1, "total": 32, "size": 1, "items": [_SHELL_LIST]},
    "stopTask": None,
    "startTask": None,
    "abortTask": None,
    "deleteTask": None,
    "queryTaskFrames": {"pageCount": 9, "pageNum": 1, "total": 17, "size": 2, "items": _FRAMES},
    "queryAllFrameStats": {
        "executingFramesTotal": 1, "doneFramesTotal": 308, "failedFramesTotal": 2, "waitingFramesTotal": 153,
        "totalFrames": 577,
    },
    "restartFailedFrames": None,
    "restartFrame": None,
    "queryTaskInfo": {"pageCount": 1, "pageNum": 1, "total": 1, "size": 100, "items": [_SHELL]},
    "addLabel": None,
    "deleteLabel": None,
    "getLabelList": {"projectNameList": [{"projectId": 1, "projectName": "森林场景"}, {"projectId": 2, "projectName": "myLabel"}]},
    "querySupportedSoftware": {
        "isAutoCommit": 2,
        "renderInfoList": [
            {
                "cgId": 2000, "cgName": "Maya", "cgType": "ma;mb", "iconPath": "/img/softimage/maya.png",
                "isNeedProjectPath": 3, "isNeedAnalyse": 1, "isSupportLinux": 1,
            }
        ],
        "defaultCgId": 2001,
    },
    "querySupportedPlugin": {
        "cgPlugin": [
            {
                "cvId": 19, "pluginName": "zblur",
                "pluginVersions": [{"pluginId": 1652, "pluginName": "zblur", "pluginVersion": "zblur 2.02.019"}],
            }
        ],
        "cgVersion": [{"id": 23, "cgId": 2005, "cgName": "CINEMA 4D", "cgVersion": "R19"}],
    },
    "addRenderEnv": {"editName": "testRenderEnv"},
    "updateRenderEnv": None,
    "deleteRenderEnv": None,
    "setDefaultRenderEnv": None,
    "getRenderEnv": _ENVS,
    "loadTaskProcessImg": {
        "block": 16,
        "currentTaskType": "Render",
        "grabInfo": [
            [
                {
                    "couponFee": "0.00", "frameIndex": "0", "renderInfo": "", "frameBlock": "1", "frameEst": "0",
                    "grabUrl": "/mnt/output/d20/small_pic/10001500/10001834/389406/Render_2018110900083_0_frame_0[_]block_0[_]_STP00000_Renderbus_0000[-]tga.jpg",
                    "feeAmount": "0.20", "frameUsed": "66", "frameStatus": "4", "framePercent": "100",
                    "isMaxPrice": "0", "startTime": "2018-11-09 18:28:26", "endTime": "2018-11-09 18:29:32",
                }
            ]
        ],
        "height": 1500,
        "sceneName": "3d66.com_589250.max-Camera007",
        "startTime": "2018-11-09 18:27:40",
        "width": 2000,
    },
}


def example(operation: str) -> Any:
    """A fresh copy of the example ``data`` of ``operation``."""
    return copy.deepcopy(EXAMPLES[operation])
