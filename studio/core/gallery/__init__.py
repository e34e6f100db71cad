"""The gallery: one SQLite row per output, searchable, written after the file exists."""

from studio.core.gallery.store import GalleryEntry, GalleryStore

__all__ = ["GalleryEntry", "GalleryStore"]
