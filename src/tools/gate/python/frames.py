# Renders a failure as the one-program gate printed it: the judge's frames in program.py, then the candidate's.

import os

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))


def render(error):
    """The traceback text of `error` and its chain, without this harness's frames, candidate frames stitched in."""
    out = []
    _render(error, out, set())
    return "".join(out)


def _render(error, out, seen):
    import traceback  # only a failure needs it, and it is a slow import

    seen.add(id(error))
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        _render(cause, out, seen)
        out.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        _render(context, out, seen)
        out.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not _in_harness(frame.filename)]
    frames.extend(getattr(error, "_slotbench_frames", None) or [])
    if frames:
        out.append("Traceback (most recent call last):\n")
        out.extend(traceback.StackSummary.from_list(frames).format())
    out.extend(traceback.format_exception_only(type(error), error))


def _in_harness(filename):
    return os.path.dirname(os.path.abspath(filename)) == HARNESS_DIR
