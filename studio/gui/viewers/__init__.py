"""Viewers for gallery outputs: images (zoom, pan, compare), audio (waveform, playback), text."""

from studio.gui.viewers.audio_viewer import AudioViewer
from studio.gui.viewers.image_viewer import ImageViewer
from studio.gui.viewers.text_viewer import TextViewer
from studio.gui.viewers.viewer_panel import ViewerPanel, viewer_kind

__all__ = ["AudioViewer", "ImageViewer", "TextViewer", "ViewerPanel", "viewer_kind"]
