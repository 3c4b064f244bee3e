"""The monitor's frame list model: Qt's own items (painting calls no Python), cells only for the pages
fetched, written a few rows a turn, and a round that changes one frame rewrites only its cells."""

from renderbus_dcc.ui.frames import PAGE, PENDING, ROWS_A_TURN, FrameModel

COLUMNS = ["Frame", "Task", "Status", "Started", "Ended", "Time", "Cost"]


def _page(task_id, number, status="Rendering"):
    first = (number - 1) * PAGE
    return tuple(((task_id, 1000 + i), (str(i + 1), str(task_id), status, "", "", "", ""))
                 for i in range(first, first + PAGE))


def _cells(model):
    return sum(1 for r in range(model.rowCount()) for c in range(model.columnCount()) if model.item(r, c) is not None)


def _written(qtbot, model):
    qtbot.waitUntil(lambda: not model.writing, timeout=5000)


def test_painting_calls_no_python():
    # A Python data() is called about a dozen times a cell for every paint, each call taking the
    # interpreter lock (a worker thread holds it for up to the switch interval).
    for name in ("data", "rowCount", "columnCount", "headerData", "flags", "index", "parent"):
        assert name not in FrameModel.__dict__, name


def test_a_10000_frame_task_makes_cells_only_for_the_pages_fetched(qtbot):
    model = FrameModel(COLUMNS)
    model.update(7, [(7, 0, 10000)], {(7, 1): _page(7, 1)})
    assert model.rowCount() == 10000
    assert model.writing  # written over turns of the event loop, not at once
    _written(qtbot, model)
    assert _cells(model) == PAGE * len(COLUMNS) == model.cells_set
    assert model.data(model.index(0, 0)) == "1" and model.data(model.index(99, 2)) == "Rendering"
    assert model.index(100, 0).data() is None and model.key(100) is None and model.key(99) == (7, 1099)


def test_rows_are_written_a_few_a_turn(qtbot):
    model = FrameModel(COLUMNS)
    model.update(7, [(7, 0, 10000)], {(7, 1): _page(7, 1)})
    turns = []
    model.dataChanged.connect(lambda top, bottom, *_: turns.append(bottom.row() - top.row() + 1))
    _written(qtbot, model)
    assert sum(turns) == PAGE and max(turns) <= ROWS_A_TURN and len(turns) == PAGE // ROWS_A_TURN


def test_a_round_that_changes_one_frame_rewrites_only_its_cells(qtbot):
    model = FrameModel(COLUMNS)
    model.update(7, [(7, 0, 10000)], {(7, 1): _page(7, 1)})
    _written(qtbot, model)
    before = model.cells_set
    changed = list(_page(7, 1))
    key, texts = changed[5]
    changed[5] = (key, texts[:2] + ("Done",) + texts[3:5] + ("1m 02s",) + texts[6:])
    cells = []
    model.dataChanged.connect(lambda top, bottom, *_: cells.append((top.row(), top.column(), bottom.row(), bottom.column())))
    model.update(7, [(7, 0, 10000)], {(7, 1): tuple(changed)})
    _written(qtbot, model)
    assert model.cells_set - before == 2
    assert sorted(cells) == [(5, 2, 5, 2), (5, 5, 5, 5)]  # each cell repainted alone
    model.update(7, [(7, 0, 10000)], {(7, 1): tuple(changed)})  # the same again: nothing
    assert not model.writing and model.cells_set - before == 2


def test_rows_on_screen_without_their_page_ask_for_it(qtbot):
    model = FrameModel(COLUMNS)
    model.update(7, [(7, 0, 5000), (8, 5000, 5000)], {(7, 1): _page(7, 1)})
    _written(qtbot, model)
    assert model.missing(0, 40) == []
    assert model.missing(4990, 5010) == [(7, 50), (8, 1)]
    assert model.data(model.index(4995, 0)) == PENDING and model.data(model.index(5005, 0)) == PENDING
    assert model.index(4900, 0).data() is None  # only the rows asked about
    model.update(7, [(7, 0, 5000), (8, 5000, 5000)], {(8, 1): _page(8, 1)})
    _written(qtbot, model)
    assert model.data(model.index(5005, 0)) == "6" and model.key(5005) == (8, 1005)


def test_another_task_starts_empty(qtbot):
    model = FrameModel(COLUMNS)
    model.update(7, [(7, 0, 10000)], {(7, 1): _page(7, 1)})
    model.show_task(9)
    assert model.rowCount() == 0 and not model.writing
    model.update(9, [(9, 0, 30)], {})
    assert model.rowCount() == 30 and _cells(model) == 0
