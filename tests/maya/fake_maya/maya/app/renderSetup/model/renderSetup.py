"""A fake ``maya.app.renderSetup.model.renderSetup``: ``instance()`` and the RenderSetup model.

What it answers follows Autodesk's "Render Setup Python API and commands" page and Maya's
``renderSetup.py``: ``instance()`` is the scene's one RenderSetup; ``getRenderLayers()`` lists
the layers (not the master layer), ``getDefaultRenderLayer()`` the master layer,
``getVisibleRenderLayer()`` the one the scene shows, ``getRenderLayer(name)`` one by name (an
unknown name raises), ``switchToLayer(layer)`` makes a layer visible: its overrides are
applied, the previous layer's taken back, the scene marked modified and Maya's layer events
fired (``FakeMaya.switch_visible``); it takes a layer object, not a name
(``switchToLayerUsingLegacyName`` takes the legacy ``renderLayer`` node's name).
"""

from typing import List

from maya import _scene
from maya.app.renderSetup.model.renderLayer import DefaultRenderLayer, RenderLayer


class RenderSetup(object):
    def getRenderLayers(self):  # type: () -> List[RenderLayer]
        return [RenderLayer(layer.name) for layer in _scene.STATE.render_setup]

    def getDefaultRenderLayer(self):  # type: () -> DefaultRenderLayer
        return DefaultRenderLayer()

    def getVisibleRenderLayer(self):  # type: () -> RenderLayer
        visible = _scene.STATE.visible_layer
        return DefaultRenderLayer() if visible == "defaultRenderLayer" else RenderLayer(visible)

    def getRenderLayer(self, renderLayerName):  # type: (str) -> RenderLayer
        for layer in _scene.STATE.render_setup:
            if layer.name == renderLayerName:
                return RenderLayer(layer.name)
        raise Exception("Render layer %s does not exist" % renderLayerName)

    def switchToLayer(self, renderLayer):  # type: (RenderLayer) -> None
        if not isinstance(renderLayer, RenderLayer):
            raise AttributeError("'%s' object has no attribute '_getLegacyNodeName'" % type(renderLayer).__name__)
        if not isinstance(renderLayer, DefaultRenderLayer):
            renderLayer._data()  # a deleted layer raises
        _scene.STATE.switch_visible(renderLayer.name())

    def switchToLayerUsingLegacyName(self, renderLayerName):  # type: (str) -> None
        if renderLayerName == "defaultRenderLayer":
            return self.switchToLayer(DefaultRenderLayer())
        if not renderLayerName.startswith("rs_"):
            raise Exception("%s is not the legacy layer of a Render Setup layer" % renderLayerName)
        return self.switchToLayer(self.getRenderLayer(renderLayerName[3:]))


_instance = {}  # type: dict


def instance():  # type: () -> RenderSetup
    """The scene's RenderSetup (one per fake session)."""
    state = _scene.STATE
    if id(state) not in _instance:
        _instance.clear()
        _instance[id(state)] = RenderSetup()
    return _instance[id(state)]
