"""Pure-Python domain: requests, outputs, gallery, settings, paths. No Qt, no torch."""
