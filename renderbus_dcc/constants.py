"""Codes of the protocol: software ids, task and frame statuses, frame types, error codes."""

import enum

__all__ = ["CgId", "TaskStatus", "FrameStatus", "FrameType", "ErrorCode", "TERMINAL_TASK_STATUSES", "CHANNEL"]

#: The ``channel`` header: fixed at 4 for API clients.
CHANNEL = 4


class CgId(enum.IntEnum):
    """Software ids (``cgId``)."""

    MAYA = 2000
    MAX = 2001
    LIGHTWAVE = 2002
    ARNOLD = 2003
    HOUDINI = 2004
    CINEMA4D = 2005
    SOFTIMAGE = 2006
    BLENDER = 2007
    VRAY_STANDALONE = 2008
    MENTALRAY_STANDALONE = 2009
    SKETCHUP = 2010
    VUE = 2011
    KEYSHOT = 2012
    CLARISSE = 2013
    OCTANE = 2014
    NUKE = 2015
    KATANA = 2016
    UNREAL = 2020


class TaskStatus(enum.IntEnum):
    """``taskStatus`` of getTaskList / queryTaskInfo."""

    WAITING = 0
    RENDERING = 5
    PRE_RENDERING = 8
    STOP = 10
    ARREARAGE_STOP = 20
    TIME_OUT_STOP = 23
    FINISHED = 25
    FINISHED_HAS_FAILED = 30
    ABANDON = 35
    FINISHED_TEST = 40
    FAILED = 45
    ANALYSE = 50

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_TASK_STATUSES


TERMINAL_TASK_STATUSES = frozenset(
    {
        TaskStatus.STOP,
        TaskStatus.ARREARAGE_STOP,
        TaskStatus.TIME_OUT_STOP,
        TaskStatus.FINISHED,
        TaskStatus.FINISHED_HAS_FAILED,
        TaskStatus.ABANDON,
        TaskStatus.FINISHED_TEST,
        TaskStatus.FAILED,
    }
)


class FrameStatus(enum.IntEnum):
    """``frameStatus`` of queryTaskFrames."""

    WAITING = 1
    RUNNING = 2
    STOPPED = 3
    DONE = 4
    FAILED = 5
    WAIT_PRE = 6
    WAIT_PHOTON_FRAME = 7
    WAIT_PRIORITY = 8
    WAIT_PHOTON_JOB = 9
    WAIT_SIMULATION = 10
    TIMED_OUT = 11


class FrameType(enum.IntEnum):
    """``frameType`` of queryTaskFrames."""

    PRE_RENDER = 1
    PHOTON = 2
    MERGE_PHOTON = 3
    PRIORITY = 4
    MAIN = 5
    PRIORITY_COMPOSITE = 6
    MAIN_COMPOSITE = 7
    HOUDINI_SIMULATION = 8
    MAX_CHANNEL = 9


class ErrorCode(enum.IntEnum):
    """Response ``code`` values of the document's error table."""

    SUCCESS = 200
    FAIL = 100
    NEED_REDIRECT = 301
    FORBIDDEN = 403
    RESOURCE_NOT_FOUND = 404
    DO_NOT_HAVE_ANY_MORE_RECORD = 700
    INTERNAL_ERROR = 500
    PARAMETER_INVALID = 600
    PARAMETER_CANT_BE_EMPTY = 601
    NEED_USER_LOGIN = 602
    ILLEGAL_PROTOCOL = 603
    VALIDATE_CODE_ERROR = 604
    VINSUFFICIENT_PERMISSIONS = 605
    VALIDATE_COMMOM_CODE_ERROR = 606
    VALIDATE_SEND_CODE_ERROR = 607
    USER_AREA_ERROR = 608
    SIGNATURE_EXPIRED = 610
    SIGNATURE_INVALID = 611
