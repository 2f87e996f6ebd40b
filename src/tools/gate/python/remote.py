# The judge's side of the wire: calls into the candidate worker, remote handles, and the candidate's exceptions rebuilt.
#
# Everything the worker sends is decoded into exact builtins (wire.decode). Objects that stay in the worker are Remote
# handles: their methods, attributes and iteration go back to the worker, but equality, hashing and ordering stay
# here (identity only, or TypeError), so an object of the candidate's can never decide an assertion.

import _thread
import builtins

import wire

# errno values meaning a write hit the disk limit: EFBIG (RLIMIT_FSIZE), ENOSPC (a full tmpfs), EDQUOT.
_DISK_ERRNOS = (27, 28, 122)
_EAGAIN = 11


class CandidateExited(BaseException):
    """The worker ended (exit, os._exit, a signal, a limit) or broke the protocol; every later call raises this too.

    A BaseException, so a test's `except Exception` cannot swallow it; the run fails whatever the tests do after."""


CandidateExited.__module__ = "slotbench"


class Peer:
    """The judge's end of the channel to the worker: one request at a time, answers matched by id."""

    def __init__(self, fd):
        self.fd = fd
        self.lost = None
        # "ended" when the worker's end of the channel closed (it exited or was killed), "protocol" when it sent
        # something that is not an answer: slotbench counts the worker's own exit status only in the first case.
        self.lost_how = None
        self.limit = None
        self._next_id = 0
        self._lock = _thread.allocate_lock()

    def hello(self):
        """The worker's report after loading the candidate: its top-level names, or the load error raised here."""
        message = self._receive("while loading the candidate module")
        if "load_error" in message:
            self.raise_error(message["load_error"])
        names = message.get("ready")
        if type(names) is not dict or not all(type(k) is str and type(v) is str for k, v in names.items()):
            self._lose("the candidate's process sent a bad report after loading")
        return names

    def request(self, op, **fields):
        with self._lock:
            if self.lost:
                raise CandidateExited(self.lost)
            self._next_id += 1
            fields["op"] = op
            fields["id"] = self._next_id
            try:
                wire.send(self.fd, fields)
            except OSError:
                self._lose("the candidate's process ended before a call", "ended")
            reply = self._receive("during a call")
            if reply.get("id") != self._next_id:
                self._lose("the candidate's process answered out of turn")
            return reply

    def ask(self, op, **fields):
        """The decoded result of one operation, or the candidate's exception raised here."""
        reply = self.request(op, **fields)
        if "err" in reply and "ok" not in reply:
            self.raise_error(reply["err"])
        return self.decode(reply.get("ok"))

    def raise_error(self, info):
        """Raise the candidate's exception as rebuilt here; a malformed one means the worker broke the protocol."""
        if not isinstance(info, dict):
            self._lose("the candidate's process sent a bad exception")
        self._note_limit(info)
        raise rebuild(info)

    def lookup(self, name):
        return self.ask("lookup", n=name)

    def decode(self, node):
        try:
            return wire.decode(node, lambda number, type_name: Remote(self, number, type_name))
        except wire.WireError as error:
            self._lose("the candidate's process sent a value that is not plain data (%s)" % error)

    def encode(self, value):
        return wire.encode(value, _handle_tag)

    def _receive(self, when):
        try:
            message = wire.receive(self.fd)
        except wire.WireError as error:
            self._lose("the candidate's process broke the protocol %s (%s)" % (when, error))
        except OSError:
            message = None
        if message is None:
            self._lose("the candidate's process ended %s (it exited, was killed by a signal, or hit a limit)" % when, "ended")
        return message

    def _lose(self, why, how="protocol"):
        if self.lost is None:
            self.lost, self.lost_how = why, how
        raise CandidateExited(why)

    def _note_limit(self, info):
        while isinstance(info, dict) and self.limit is None:
            base, errno = info.get("base"), info.get("errno")
            if base == "MemoryError" or info.get("type") == "MemoryError":
                self.limit = "memory"
            elif errno in _DISK_ERRNOS:
                self.limit = "disk"
            elif errno == _EAGAIN and "fork" in str(info.get("text", "")) + str(info.get("frames", "")):
                self.limit = "processes"
            info = info.get("cause") or info.get("context")


def _handle_tag(value):
    if isinstance(value, Remote):
        return ["h", object.__getattribute__(value, "_id"), object.__getattribute__(value, "_type")]
    raise TypeError("slotbench: a %s cannot be passed to the candidate's process (plain data only)" % type(value).__name__)


class Remote:
    """An object that lives in the candidate's process."""

    __slots__ = ("_peer", "_id", "_type", "__weakref__")

    def __init__(self, peer, number, type_name):
        object.__setattr__(self, "_peer", peer)
        object.__setattr__(self, "_id", number)
        object.__setattr__(self, "_type", type_name)

    def _ask(self, op, **fields):
        peer = object.__getattribute__(self, "_peer")
        return peer.ask(op, h=_handle_tag(self), **fields)

    def __call__(self, *args, **kwargs):
        peer = object.__getattribute__(self, "_peer")
        encoded = [peer.encode(arg) for arg in args]
        named = [[name, peer.encode(value)] for name, value in kwargs.items()]
        return self._ask("call", a=encoded, k=named)

    def __getattr__(self, name):
        return self._ask("getattr", n=name)

    def __setattr__(self, name, value):
        self._ask("setattr", n=name, v=object.__getattribute__(self, "_peer").encode(value))

    def __delattr__(self, name):
        self._ask("delattr", n=name)

    def __getitem__(self, key):
        return self._ask("getitem", i=object.__getattribute__(self, "_peer").encode(key))

    def __setitem__(self, key, value):
        peer = object.__getattribute__(self, "_peer")
        self._ask("setitem", i=peer.encode(key), v=peer.encode(value))

    def __delitem__(self, key):
        self._ask("delitem", i=object.__getattribute__(self, "_peer").encode(key))

    def __iter__(self):
        iterator = self._ask("iter")
        return RemoteIterator(iterator) if isinstance(iterator, Remote) else iter(iterator)

    def __next__(self):
        return _next_batch(self, 1)[0]

    def __len__(self):
        return _checked(self._ask("len"), int, "__len__")

    def __bool__(self):
        return _checked(self._ask("bool"), bool, "__bool__")

    def __str__(self):
        return _checked(self._ask("str"), str, "__str__")

    def __repr__(self):
        return _checked(self._ask("repr"), str, "__repr__")

    def __format__(self, spec):
        return format(str(self), spec)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    __hash__ = object.__hash__


class RemoteIterator:
    """Iterates a worker-side iterator in growing batches (1, 2, 4 … 256 items a round trip)."""

    def __init__(self, remote):
        self._remote = remote
        self._buffer = []
        self._batch = 1
        self._end = False
        self._error = None

    def __iter__(self):
        return self

    def __next__(self):
        if not self._buffer and not self._end:
            self._buffer, self._end, self._error = _fetch(self._remote, self._batch)
            self._buffer.reverse()
            self._batch = min(self._batch * 2, 256)
        if self._buffer:
            return self._buffer.pop()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        raise StopIteration


def _fetch(remote, count):
    peer = object.__getattribute__(remote, "_peer")
    reply = peer.request("next", h=_handle_tag(remote), n=count)
    if "err" in reply and "ok" not in reply:
        peer.raise_error(reply["err"])
    items = peer.decode(reply.get("ok"))
    if type(items) is not list:
        peer._lose("the candidate's process sent a bad batch of items")
    error = None
    if "err" in reply:
        try:
            peer.raise_error(reply["err"])
        except Exception as raised:  # kept, to raise after the items that came before it
            error = raised
    return items, bool(reply.get("end")) or error is not None, error


def _next_batch(remote, count):
    items, end, error = _fetch(remote, count)
    if items:
        return items
    if error is not None:
        raise error
    raise StopIteration


def _checked(value, kind, method):
    if type(value) is not kind:
        raise TypeError("%s of the candidate's object returned %s, not %s" % (method, type(value).__name__, kind.__name__))
    return value


_made = {}


def rebuild(info, depth=0):
    """The candidate's exception as a builtin of the same type (or a look-alike subclass of its builtin base)."""
    name = _text(info.get("type"), "Exception")
    module = _text(info.get("module"), "builtins")
    base = getattr(builtins, _text(info.get("base"), "Exception"), None)
    # SystemExit, KeyboardInterrupt and GeneratorExit never cross as themselves: only as look-alike Exceptions.
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = Exception
    if module == "builtins" and getattr(builtins, name, None) is base:
        kind = base
    else:
        kind = _made.get((module, name, base))
        if kind is None:
            kind = _made[(module, name, base)] = type(name, (base,), {"__module__": module, "__qualname__": name})
    error = _construct(kind, info.get("args"), _text(info.get("text"), "", 100_000))
    if isinstance(error, OSError) and type(info.get("filename")) is str:
        error.filename = info["filename"][:1000]
    error._slotbench_frames = _frames(info.get("frames"))
    if depth < 5:
        if isinstance(info.get("cause"), dict):
            error.__cause__ = rebuild(info["cause"], depth + 1)
        elif isinstance(info.get("context"), dict):
            error.__context__ = rebuild(info["context"], depth + 1)
    return error


def _construct(kind, args, text):
    """`kind` made with the candidate's args (plain data), else with its message, else a look-alike Exception."""
    try:
        decoded = wire.decode(args, lambda number, type_name: "<%s>" % type_name) if args is not None else None
        return kind(*decoded) if type(decoded) is list else kind(text)
    except Exception:
        pass
    try:
        return kind(text)
    except Exception:  # e.g. UnicodeDecodeError needs five arguments
        return type(kind.__name__, (Exception,), {"__module__": kind.__module__})(text)


def _frames(raw):
    """FrameSummary objects for the candidate-side frames, with the source line the worker read and its columns."""
    import traceback

    frames = []
    for item in raw if isinstance(raw, list) else []:
        if not (isinstance(item, list) and len(item) == 7):
            continue
        filename, lineno, name, line, end_lineno, colno, end_colno = item
        if not (type(filename) is str and type(lineno) is int and type(name) is str):
            continue
        line = line if type(line) is str else ""
        extra = {}
        if all(type(v) is int for v in (end_lineno, colno, end_colno)):
            extra = {"end_lineno": end_lineno, "colno": colno, "end_colno": end_colno}
        try:
            frames.append(traceback.FrameSummary(filename[:1000], lineno, name[:200], lookup_line=False, line=line[:2000], **extra))
        except TypeError:  # before Python 3.11: no columns
            frames.append(traceback.FrameSummary(filename[:1000], lineno, name[:200], lookup_line=False, line=line[:2000]))
    return frames


def _text(value, default, limit=200):
    return value[:limit] if type(value) is str and value else default
