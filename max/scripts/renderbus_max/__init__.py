"""Renderbus for 3ds Max: the thin layer between 3ds Max (pymxs) and renderbus_dcc."""
