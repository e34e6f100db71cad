"""User-facing errors: each carries one clear line that the CLI and GUI show as is."""


class StudioError(Exception):
    """An error caused by input or environment, explained in one line for the user."""


class ValidationError(StudioError):
    """A request field has a value the studio cannot use."""


class ModelError(StudioError):
    """A model is missing, unreadable, of the wrong kind, or unsafe to load."""


class OutputError(StudioError):
    """An output could not be written (permissions, full disk, bad template)."""


class GenerationError(StudioError):
    """Generation ran but produced something unusable (NaN, all-black)."""


class Cancelled(Exception):
    """The user cancelled. Unfinished outputs are discarded; a partial download is kept
    so the same command resumes it."""
