"""The gallery view: every output, searchable and filterable, with thumbnails made off-thread."""

from studio.gui.gallery.model import GalleryModel
from studio.gui.gallery.thumbnails import Thumbnailer, render_thumbnail
from studio.gui.gallery.view import GalleryView

__all__ = ["GalleryModel", "GalleryView", "Thumbnailer", "render_thumbnail"]
