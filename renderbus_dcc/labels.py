"""What the user reads for the protocol's codes: task and frame statuses, frame types.

One table for the command line, the Qt monitor and Blender's Tasks panel, in the language in
use (:func:`~renderbus_dcc.i18n._`). ``status_label(TaskStatus.RENDERING)`` -> "Rendering" / "渲染中".
"""

from typing import Any

from renderbus_dcc.constants import FrameStatus, FrameType, TaskStatus
from renderbus_dcc.i18n import N_, _

__all__ = ["TASK_STATUS_LABELS", "FRAME_STATUS_LABELS", "FRAME_TYPE_LABELS", "STAGE_LABELS", "status_label",
           "lower_label", "stage_label"]

TASK_STATUS_LABELS = {
    TaskStatus.WAITING: N_("Waiting"), TaskStatus.RENDERING: N_("Rendering"),
    TaskStatus.PRE_RENDERING: N_("Pre-rendering"), TaskStatus.STOP: N_("Stopped"),
    TaskStatus.ARREARAGE_STOP: N_("Stopped (arrears)"), TaskStatus.TIME_OUT_STOP: N_("Stopped (timed out)"),
    TaskStatus.FINISHED: N_("Finished"), TaskStatus.FINISHED_HAS_FAILED: N_("Finished with failures"),
    TaskStatus.ABANDON: N_("Aborted"), TaskStatus.FINISHED_TEST: N_("Test frames finished"),
    TaskStatus.FAILED: N_("Failed"), TaskStatus.ANALYSE: N_("Analysing"),
}
FRAME_STATUS_LABELS = {
    FrameStatus.WAITING: N_("Waiting"), FrameStatus.RUNNING: N_("Rendering"), FrameStatus.STOPPED: N_("Stopped"),
    FrameStatus.DONE: N_("Done"), FrameStatus.FAILED: N_("Failed"), FrameStatus.WAIT_PRE: N_("Waiting (pre-render)"),
    FrameStatus.WAIT_PHOTON_FRAME: N_("Waiting (photon frame)"), FrameStatus.WAIT_PRIORITY: N_("Waiting (priority)"),
    FrameStatus.WAIT_PHOTON_JOB: N_("Waiting (photon job)"), FrameStatus.WAIT_SIMULATION: N_("Waiting (simulation)"),
    FrameStatus.TIMED_OUT: N_("Timed out"),
}
FRAME_TYPE_LABELS = {
    FrameType.PRE_RENDER: N_("Pre-render"), FrameType.PHOTON: N_("Photon"), FrameType.MERGE_PHOTON: N_("Photon merge"),
    FrameType.PRIORITY: N_("Priority"), FrameType.MAIN: N_("Main"), FrameType.PRIORITY_COMPOSITE: N_("Priority composite"),
    FrameType.MAIN_COMPOSITE: N_("Main composite"), FrameType.HOUDINI_SIMULATION: N_("Simulation"),
    FrameType.MAX_CHANNEL: N_("Channel"),
}

#: The submission's stages (``SubmitProgress.stage``) as progress lines name them.
STAGE_LABELS = {"prepare": N_("prepare"), "create": N_("create"), "taskfiles": N_("taskfiles"), "upload": N_("upload"),
                "export": N_("export"), "submit": N_("submit"), "done": N_("done")}


def stage_label(stage: str) -> str:
    """A submission stage in the language in use ("upload" / "上传")."""
    return _(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage


def status_label(value: Any, text: str = "") -> str:
    """The label of a task status, frame status or frame type, translated; ``text`` (else the
    value) for a code the tables do not know."""
    for enum_type, table in ((FrameStatus, FRAME_STATUS_LABELS), (TaskStatus, TASK_STATUS_LABELS),
                             (FrameType, FRAME_TYPE_LABELS)):
        if isinstance(value, enum_type):
            return _(table[value]) if value in table else value.name.replace("_", " ").capitalize()
    return text or str(value)


def lower_label(value: Any) -> str:
    """:func:`status_label` as it stands inside a line of text: "finished", "已完成"."""
    label = status_label(value)
    return label[:1].lower() + label[1:]
