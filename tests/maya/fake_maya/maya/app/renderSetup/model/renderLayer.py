"""A fake ``maya.app.renderSetup.model.renderLayer``: the layers of Render Setup.

As Autodesk documents them ("Render Setup Python API and commands";
``maya/app/renderSetup/model/renderLayer.py`` in Maya): a layer has ``name()``,
``isRenderable()``/``setRenderable()`` and ``isVisible()``; the master layer
(``DefaultRenderLayer``) is named ``defaultRenderLayer``. What the layer overrides (its
collections' overrides) is data of the fake scene (``FakeMaya.add_rs_layer``).
"""

from maya import _scene


class RenderLayer(object):
    """A Render Setup layer of the fake scene."""

    def __init__(self, name):  # type: (str) -> None
        self._name = name

    def name(self):  # type: () -> str
        return self._name

    def _data(self):  # type: () -> _scene.RenderSetupLayer
        try:
            return _scene.STATE.rs_layer(self._name)
        except KeyError:
            raise RuntimeError("render layer %s was deleted" % self._name)

    def isRenderable(self):  # type: () -> bool
        return bool(self._data().renderable)

    def setRenderable(self, value):  # type: (bool) -> None
        self._data().renderable = bool(value)
        _scene.STATE.set("rs_%s.renderable" % self._name, int(bool(value)))

    def isVisible(self):  # type: () -> bool
        return _scene.STATE.visible_layer == self._name

    def __eq__(self, other):  # type: (object) -> bool
        return isinstance(other, RenderLayer) and other.name() == self.name()

    def __ne__(self, other):  # type: (object) -> bool
        return not self == other

    def __hash__(self):  # type: () -> int
        return hash(self._name)

    def __repr__(self):  # type: () -> str
        return "<RenderLayer %s>" % self._name


class DefaultRenderLayer(RenderLayer):
    """The master layer: the scene's own values, no collections."""

    def __init__(self):  # type: () -> None
        super(DefaultRenderLayer, self).__init__("defaultRenderLayer")

    def isRenderable(self):  # type: () -> bool
        return bool(_scene.STATE.get("defaultRenderLayer.renderable"))

    def setRenderable(self, value):  # type: (bool) -> None
        _scene.STATE.set("defaultRenderLayer.renderable", int(bool(value)))
