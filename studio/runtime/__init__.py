"""The runtime: runs requests on engines, writes outputs, records them. No Qt here."""
