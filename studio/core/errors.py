"""User-facing errors: each carries one clear line that the CLI and GUI show as is."""

MAX_LINE = 300  # characters: past this a line is advice or a dump, not a reason


class StudioError(Exception):
    """An error caused by input or environment, explained in one line for the user."""


class ValidationError(StudioError):
    """A request field has a value the studio cannot use."""


class ModelError(StudioError):
    """A model is missing, unreadable, of the wrong kind, or unsafe to load."""


class BackendUnavailable(ModelError):
    """This engine cannot run the model here (its library is missing, or it does not know
    the architecture); the model loader then tries the registry's next backend."""


class OutputError(StudioError):
    """An output could not be written (permissions, full disk, bad template)."""


class GenerationError(StudioError):
    """Generation ran but produced something unusable (NaN, all-black)."""


class Cancelled(Exception):
    """The user cancelled. Unfinished outputs are discarded; a partial download is kept
    so the same command resumes it."""


def one_line(
    error: BaseException | str, limit: int | None = MAX_LINE, *, typed: bool = False
) -> str:
    """The first non-blank line of a text or of an exception's message, stripped: what a
    user is shown (the traceback, if any, belongs in a log).

    An exception with an empty message gives its type's name. With `typed`, any other
    exception than a StudioError (whose message is written for the user) reads "Type:
    message": for a bug or a library error the type is half the story. A line longer than
    `limit` is cut to `limit` characters, the last an ellipsis; None keeps it whole.
    """
    text = error if isinstance(error, str) else str(error)
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    if isinstance(error, BaseException):
        name = type(error).__name__
        if not line:
            line = name
        elif typed and not isinstance(error, StudioError):
            line = f"{name}: {line}"
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    return line
