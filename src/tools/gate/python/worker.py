# The candidate worker: loads the candidate module as `program.py` and serves the judge's calls over fd 3.
#
# Untrusted code runs in this process, so nothing here is trusted: the judge decodes every answer as plain data and
# treats this process ending, or breaking the protocol, as a failed check. It never sees the tests.
#
# argv: worker.py SITE_PACKAGES MODULE_FILE VIRTUAL_FILENAME   (cwd: the workspace; SITE_PACKAGES joined by os.pathsep)

import builtins
import linecache
import os
import sys
import types

import wire  # found beside this script

# The harness dir leaves sys.path (the workspace takes its place in main()); the site-packages dirs join it, as
# site would have put them (the interpreter runs with -S, which skips site's .pth start-up cost).
sys.path.pop(0)
sys.path.extend(path for path in sys.argv[1].split(os.pathsep) if path)

CHANNEL = 3
HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))


class Worker:
    def __init__(self, channel):
        self.channel = channel
        self.handles = {}
        self.next_handle = 1

    def handle_of(self, value):
        number = self.next_handle
        self.next_handle += 1
        self.handles[number] = value
        return ["h", number, type(value).__qualname__]

    def resolve(self, number, _type_name):
        try:
            return self.handles[number]
        except KeyError:
            raise wire.WireError("unknown handle %d" % number) from None

    def encode(self, value):
        return wire.encode(value, self.handle_of)

    def decode(self, node):
        return wire.decode(node, self.resolve)

    def serve(self, module):
        while True:
            request = wire.receive(self.channel)
            if request is None:
                return
            try:
                reply = self.answer(request, module)
            except BaseException as error:  # the candidate's exception, whatever it is, goes back to the judge
                reply = {"err": describe(error)}
            reply["id"] = request.get("id")
            try:
                wire.send(self.channel, reply)
            except wire.WireError as error:  # an answer too large to send is the candidate's failure, said as such
                wire.send(self.channel, {"id": reply["id"], "err": describe(error)})

    def answer(self, request, module):
        if request.get("op") == "next":
            return self.next_items(self.decode(request["h"]), request["n"])
        if request.get("op") == "lookup":
            return {"ok": self.encode(getattr(module, request["n"]))}
        return {"ok": self.encode(self.perform(request))}

    def perform(self, request):
        op = request["op"]
        target = self.decode(request["h"]) if "h" in request else None
        if op == "call":
            args = [self.decode(item) for item in request["a"]]
            kwargs = {name: self.decode(item) for name, item in request["k"]}
            return target(*args, **kwargs)
        if op == "getattr":
            return getattr(target, request["n"])
        if op == "setattr":
            return setattr(target, request["n"], self.decode(request["v"]))
        if op == "delattr":
            return delattr(target, request["n"])
        if op == "getitem":
            return target[self.decode(request["i"])]
        if op == "setitem":
            target[self.decode(request["i"])] = self.decode(request["v"])
            return None
        if op == "delitem":
            del target[self.decode(request["i"])]
            return None
        if op == "iter":
            return iter(target)
        if op == "len":
            return len(target)
        if op == "bool":
            return bool(target)
        if op == "str":
            return str(target)
        if op == "repr":
            return repr(target)
        raise wire.WireError("unknown operation %r" % op)

    def next_items(self, iterator, count):
        """Up to `count` items; "end" once exhausted; an exception after some items is sent after them."""
        items = []
        for _ in range(max(1, min(int(count), 1024))):
            try:
                items.append(next(iterator))
            except StopIteration:
                return {"ok": self.encode(items), "end": True}
            except BaseException as error:
                if not items:
                    raise
                return {"ok": self.encode(items), "err": describe(error)}
        return {"ok": self.encode(items)}


def describe(error, depth=0):
    """The exception as the judge rebuilds it: type, builtin base, args, candidate-side frames, and its chain."""
    kind = type(error)
    base = next((k.__name__ for k in kind.__mro__ if getattr(builtins, k.__name__, None) is k), "Exception")
    try:
        args = wire.encode(list(error.args), lambda value: "<%s>" % type(value).__qualname__)
    except BaseException:
        args = None
    try:
        text = str(error)
    except BaseException:
        text = "<exception str() failed>"
    info = {
        "type": kind.__qualname__,
        "module": getattr(kind, "__module__", "builtins"),
        "base": base,
        "args": args,
        "text": text,
        "errno": getattr(error, "errno", None) if isinstance(getattr(error, "errno", None), int) else None,
        "filename": getattr(error, "filename", None) if isinstance(getattr(error, "filename", None), str) else None,
        "frames": candidate_frames(error.__traceback__),
    }
    if depth < 5:
        if error.__cause__ is not None:
            info["cause"] = describe(error.__cause__, depth + 1)
        elif error.__context__ is not None and not error.__suppress_context__:
            info["context"] = describe(error.__context__, depth + 1)
    return info


def candidate_frames(tb):
    """Where the exception passed, innermost last, without this harness's own frames; at most the last 200."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if os.path.dirname(os.path.abspath(code.co_filename)) != HARNESS_DIR:
            line = linecache.getline(code.co_filename, tb.tb_lineno)
            frames.append([code.co_filename, tb.tb_lineno, code.co_name, line] + _positions(code, tb.tb_lasti))
        tb = tb.tb_next
    return frames[-200:]


def _positions(code, lasti):
    """[end_lineno, colno, end_colno] of the instruction that raised (Python 3.11+), so carets show as they would."""
    if not hasattr(code, "co_positions") or lasti < 0:
        return [None, None, None]
    for index, position in enumerate(code.co_positions()):
        if index == lasti // 2:
            return list(position[1:])
    return [None, None, None]


def load(module_file, virtual_name):
    """Run the candidate module as `__main__`, as the one-program gate did; its top-level names, or the load error."""
    with open(module_file, encoding="utf-8") as handle:
        source = handle.read()
    lines = source.splitlines(True)
    linecache.cache[virtual_name] = (len(source), None, lines, virtual_name)
    module = types.ModuleType("__main__")
    module.__file__ = virtual_name
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    exec(compile(source, virtual_name, "exec"), module.__dict__)
    return module


def top_level_names(module):
    names = {}
    for name, value in list(vars(module).items()):
        if name.startswith("__"):
            continue
        if isinstance(value, types.ModuleType):
            names[name] = "module"
        elif callable(value):
            names[name] = "callable"
    return names


def main():
    module_file, virtual_name = sys.argv[2], sys.argv[3]
    os.set_blocking(CHANNEL, True)
    sys.path.insert(0, os.getcwd())
    worker = Worker(CHANNEL)
    try:
        module = load(module_file, virtual_name)
        hello = {"ready": top_level_names(module)}
    except BaseException as error:
        module = None
        hello = {"load_error": describe(error)}
    try:
        wire.send(CHANNEL, hello)
        if module is not None:
            worker.serve(module)
    except (OSError, wire.WireError):
        pass  # the judge is done or gone: nothing left to serve, and nothing worth a traceback
    os._exit(0)


if __name__ == "__main__":
    main()
