"""The Settings window against the local farm: load, test connection, save."""

from renderbus_dcc.ui.settings import SettingsWindow

WAIT = 30000


def _open(qtbot, show, host):
    window = show(SettingsWindow(host))
    qtbot.waitUntil(lambda: window.save_button.isEnabled(), timeout=WAIT)
    return window


def test_loads_the_saved_settings_and_fills_platforms(qtbot, show, host, logged_in) -> None:
    window = _open(qtbot, show, host)
    assert window.access_id.text() == logged_in.access_id
    assert window.access_key.text() == logged_in.access_key
    assert window.access_key.echoMode() == window.access_key.echoMode().Password
    assert window.endpoint.text().rstrip("/") == logged_in.url.rstrip("/")
    qtbot.waitUntil(lambda: window.platform.count() > 1, timeout=WAIT)  # queryPlatforms answered
    assert window.platform.currentData() == logged_in.platform


def test_test_connection_says_who_is_connected(qtbot, show, host, farm, network_threads) -> None:
    window = _open(qtbot, show, host)
    window.access_id.setText(farm.access_id)
    window.access_key.setText(farm.access_key)
    window.endpoint.setText(farm.url)
    window.test_connection()
    qtbot.waitUntil(lambda: window.result.text().startswith(("Connected", "Could not")), timeout=WAIT)
    assert window.result.text().startswith("Connected as ")
    assert "balance" in window.result.text()
    assert network_threads.threads and network_threads.main_thread_calls == []


def test_test_connection_with_a_wrong_key_says_what_to_do(qtbot, show, host, farm) -> None:
    window = _open(qtbot, show, host)
    window.access_id.setText(farm.access_id)
    window.access_key.setText("not-the-key")
    window.endpoint.setText(farm.url)
    window.test_connection()
    qtbot.waitUntil(lambda: window.result.text().startswith(("Connected", "Could not")), timeout=WAIT)
    text = window.result.text()
    assert text.startswith("Could not connect: ")
    assert "611" in text and "access id and key" in text
    assert "not-the-key" not in text
    assert "\n" not in text


def test_unreachable_endpoint_is_one_plain_line(qtbot, show, host, farm) -> None:
    window = _open(qtbot, show, host)
    window.access_id.setText(farm.access_id)
    window.access_key.setText(farm.access_key)
    window.endpoint.setText("http://127.0.0.1:9")  # nothing listens there
    window.test_connection()
    qtbot.waitUntil(lambda: window.result.text().startswith(("Connected", "Could not")), timeout=WAIT)
    assert window.result.text().startswith("Could not connect: ")
    assert "\n" not in window.result.text()


def test_save_stores_the_settings_and_tells_the_windows(qtbot, show, host, farm) -> None:
    from renderbus_dcc.config import load_config
    from renderbus_dcc.ui.account import account

    window = _open(qtbot, show, host)
    window.access_id.setText(farm.access_id)
    window.access_key.setText(farm.access_key)
    window.endpoint.setText(farm.url)
    window.profile.setCurrentIndex(window.profile.findData("v2"))
    with qtbot.waitSignal(account().changed, timeout=WAIT):
        window.save()
    config = load_config()
    assert (config.access_id, config.access_key, config.profile) == (farm.access_id, farm.access_key, "v2")
    assert config.endpoint.rstrip("/") == farm.url.rstrip("/")
    assert account().client().profile == "v2"
