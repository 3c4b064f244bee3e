"""Renderbus for Maya: the thin layer between Maya and renderbus_dcc."""
