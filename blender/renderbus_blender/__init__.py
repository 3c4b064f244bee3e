"""Renderbus for Blender: the add-on."""
