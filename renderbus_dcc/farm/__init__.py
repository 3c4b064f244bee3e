"""The local farm: a Renderbus-compatible server that runs on the user's machine.

``LocalFarm(...).start()`` (or ``with LocalFarm() as farm:``) answers every operation of the
protocol in both route profiles, checks signatures, keeps its state in SQLite under its data
folder, and plays each submitted task's life in farm time, which runs ``speed`` times the wall
clock. ``renderbus farm serve`` runs it from the command line.

How it behaves where the protocol document is silent:

- Errors: HTTP 200 with the code in the envelope, as the live service; an unknown path is HTTP
  404 (with the envelope); a body over its route's limit is HTTP 413, refused before it is read
  (:mod:`.wsgi`); broken HTTP framing is HTTP 400 (waitress, :mod:`.listener`). Gate codes (see
  :mod:`.auth`): missing signed header 601, unknown accessId 602, timestamp off by more than
  300 s 610, wrong signature 611, the same signed request again (a replay, also after a
  restart) 603; different requests may share a nonce. A path answers its profile's ``version``
  header only (603 otherwise; paths both profiles share take either). Int fields also take
  digit strings ("2000"), as the document's own examples send them; a wrong type or value
  (also any integer past +-(2**63 - 1)) is 600 naming the field, a missing field 601.
- Operations: the document's, in both profiles, and the live service's further ones in profile
  v2 (``routes.LIVE_OPERATIONS``: priority, stopping frames, render logs, thumbnails, task labels,
  task files by HTTP, projects, hardware, records, transfer settings), so the official SDK runs
  against the farm unchanged.
- Tasks: createTask reserves ids from 19000 (alias ``2W<id>``); reserved tasks are not listed
  by getTaskList until submitted. submitTask refuses with 600 while ``/{id}/cfg/task.json``,
  ``upload.json`` or a scene/asset file of upload.json is not completely uploaded; the message
  names what is missing and ``data`` is ``{"missing": [server paths]}``. It refuses with 600
  task files (task.json, upload.json, and asset.json and tips.json when uploaded) that do not
  follow their host's format as the SDK writes it (:mod:`renderbus_dcc.taskschema`, host by
  task_info.cg_id): the message names the file and the field, ``data`` is
  ``{"file", "field", "problems": [...]}``. queryErrorDetail answers the SDK's tip codes
  (catalogue.json ``errorCodes``). A second submit is 600.
- Life: ANALYSE 20 farm s, WAITING 10 farm s, then RENDERING on 20 render nodes; frames render
  20 to 60 farm s (photon frames 30 to 60), fail by ``fail_rate`` (deterministic per seed,
  frame and retry). 3ds Max with V-Ray gets a RenderPhoton child (one frame) before Render;
  Maya a Render child per renderable layer; tiles > 1 make blocks (frameIndex ``"<frame>-<block>"``).
  Shell counts (totalFrames, doneFrames, ...) sum every child's frames, photon included.
  stopTask: unfinished frames -> stopped (3), task STOP; startTask resumes a stopped task (other
  statuses: no change); abortTask -> ABANDON, abortFrames = frames left; deleteTask hides the
  task (404 after); restartFailedFrames / restartFrame put frames back to waiting with
  recommitFlag + 1 and the task back to RENDERING (refused with 600 on an abandoned task).
  v2 ``status`` lists of the restart operations filter the frames by frame status.
- Times: startTime/endTime/submitDate are wall-clock ms; frameExecuteTime, renderDuration and
  costs are in farm seconds (what a real render would take). The life advances lazily on every
  request; farm time stops while the farm is stopped, so a restarted farm carries on.
- Test frames: ``task_info.pre_frames`` ("FML:custom", as the official SDK writes it) makes those
  frames of every layer priority frames (frameType 4) rendered first; the others wait (frame
  status 8) until they are over. ``stop_after_test`` "1" then stops the task (STOP, the waiting
  frames stopped) until startTask; "2" carries on.
- Files: per account under ``<data>/storage/<user id>/<bid>/``. Upload offset 0 always starts a
  file over; md5 is needed with the last chunk only. ``upload_batch`` creates a file new to the
  farm in its place (a file it replaces goes through a partial file and a rename); the farm's
  start removes a file a crash left cut short there (``Storage.recover``). Rendered outputs
  (output bid 20201) are small real images in the scene's ``image_format`` (OpenEXR for exr, else
  PNG), one per frame, layer and camera, at
  ``/{taskId}_{scene stem}/[layer/][camera/]{scene stem}.{frame:04d}.{ext}`` (a camera folder when
  a layer renders several cameras), of the calling account only: listed one folder level at a
  time by ``getOutputUserDirFile`` (``taskId`` or ``treePath``; profile v2, as the live
  service), or every level by the extra route ``POST /api/farm/transfer/list`` ``{"bid", "path"
  (a prefix)}`` or ``{"bid", "taskId"}`` (md5s included) -> ``{"files": [{"path", "size"[, "md5"]}]}``;
  fetched with the download route ``{"bid", "path", "offset"?, "length"?}``, whose answer carries
  the whole file's ``X-Renderbus-Size`` and ``X-Renderbus-MD5``.
- Progress pictures: ``grabUrl`` is ``/farm/grab/<frame>/<pct>.png?t=<expiry>&s=<token>``, the
  token an HMAC of the owner's key; without it, or an hour later, 404.
- Data folder: owner-only (0700, the database 0600), one farm at a time (``farm.lock``); a key
  the farm made is kept in its ``access_key`` file (0600), never printed.
- Chaos (:mod:`.chaos`): only signed POST routes; never the GET progress pictures, never
  unknown paths. Drops and 500s before the request is handled; slow, garbled and lost answers
  after it.
- Upload status reports an upload that stopped (``partial``, ``partial_md5``) beside the
  complete file of the same path, so a new version resumes where it stopped.
"""

from renderbus_dcc.farm.server import LocalFarm

__all__ = ["LocalFarm"]
