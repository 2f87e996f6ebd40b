# The wire between the judge and the candidate worker: length-prefixed JSON frames holding tagged plain values.
#
# A value is JSON null/true/false/number/string, or a list whose first item is a tag:
#   ["l", ...] list   ["t", ...] tuple   ["s", ...] set   ["f", ...] frozenset   ["d", k, v, k, v, ...] dict
#   ["b", base64] bytes   ["y", base64] bytearray   ["c", re, im] complex   ["i", hex] int beyond 64 bits
#   ["T", name] a builtin type (int, str, list …)   ["h", id, type name] an object that stays in the worker (a handle)
# The judge decodes strictly into exact builtins (decode); the worker encodes whatever the candidate returns (encode).

import builtins
import json
import os
import struct

MAX_FRAME_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 100
_HEADER = struct.Struct(">I")
_SMALL_INT = 1 << 63


class WireError(Exception):
    """The peer broke the protocol: a frame too large, cut short, not JSON, or a value that is not plain data."""


def send(fd, message):
    data = json.dumps(message, separators=(",", ":"), allow_nan=True).encode("ascii")
    if len(data) > MAX_FRAME_BYTES:
        raise WireError("message of %d bytes is over the %d-byte limit" % (len(data), MAX_FRAME_BYTES))
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd):
    """The next message (a dict), or None when the peer closed the channel cleanly between messages."""
    header = _read_exact(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME_BYTES:
        raise WireError("frame of %d bytes is over the %d-byte limit" % (size, MAX_FRAME_BYTES))
    body = _read_exact(fd, size)
    if body is None:
        raise WireError("channel closed in the middle of a message")
    try:
        message = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise WireError("message is not JSON (%s)" % error) from None
    if type(message) is not dict:
        raise WireError("message is not a JSON object")
    return message


def _read_exact(fd, size):
    chunks = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            if remaining == size:
                return None
            raise WireError("channel closed in the middle of a message")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def encode(value, handle_of, depth=0):
    """Plain data for `value`; subclasses of builtins travel as their builtin value, anything else as a handle."""
    if depth > MAX_DEPTH:
        raise WireError("value nested more than %d deep" % MAX_DEPTH)
    if value is None or value is True or value is False:
        return value
    if isinstance(value, int):
        number = int.__int__(value)
        return number if -_SMALL_INT < number < _SMALL_INT else ["i", format(number, "x")]
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)
    deeper = depth + 1
    if isinstance(value, (list, tuple)):
        items = list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)
        return ["l" if isinstance(value, list) else "t"] + [encode(item, handle_of, deeper) for item in items]
    if isinstance(value, dict):
        flat = ["d"]
        for key, item in dict.items(value):
            flat.append(encode(key, handle_of, deeper))
            flat.append(encode(item, handle_of, deeper))
        return flat
    if isinstance(value, (set, frozenset)):
        items = set.__iter__(value) if isinstance(value, set) else frozenset.__iter__(value)
        return ["s" if isinstance(value, set) else "f"] + [encode(item, handle_of, deeper) for item in items]
    if isinstance(value, (bytes, bytearray)):
        import base64

        raw = bytes(value) if isinstance(value, bytearray) else bytes.__getitem__(value, slice(None))
        return ["y" if isinstance(value, bytearray) else "b", base64.b64encode(raw).decode("ascii")]
    if isinstance(value, complex):
        number = complex.__complex__(value) if hasattr(complex, "__complex__") else complex(value)
        return ["c", number.real, number.imag]
    if isinstance(value, type) and _builtin_type(getattr(value, "__name__", None)) is value:
        return ["T", value.__name__]
    return handle_of(value)


def _builtin_type(name):
    found = getattr(builtins, name, None) if type(name) is str else None
    return found if isinstance(found, type) else None


def decode(node, handle_for, depth=0):
    """Exact builtins for a wire value; handles become `handle_for(id, type name)`. Anything else is a WireError."""
    kind = type(node)
    if node is None or kind is bool or kind is int or kind is float or kind is str:
        return node
    if kind is not list or not node or type(node[0]) is not str:
        raise WireError("not a wire value: %s" % kind.__name__)
    if depth > MAX_DEPTH:
        raise WireError("value nested more than %d deep" % MAX_DEPTH)
    tag = node[0]
    rest = node[1:]
    deeper = depth + 1
    try:
        if tag == "l":
            return [decode(item, handle_for, deeper) for item in rest]
        if tag == "t":
            return tuple(decode(item, handle_for, deeper) for item in rest)
        if tag == "s":
            return set(decode(item, handle_for, deeper) for item in rest)
        if tag == "f":
            return frozenset(decode(item, handle_for, deeper) for item in rest)
        if tag == "d":
            if len(rest) % 2:
                raise WireError("dict with an odd number of items")
            keys = [decode(item, handle_for, deeper) for item in rest[0::2]]
            values = [decode(item, handle_for, deeper) for item in rest[1::2]]
            return dict(zip(keys, values))
        if tag in ("b", "y") and len(rest) == 1 and type(rest[0]) is str:
            import base64

            raw = base64.b64decode(rest[0].encode("ascii"), validate=True)
            return raw if tag == "b" else bytearray(raw)
        if tag == "c" and len(rest) == 2 and all(type(part) in (int, float) for part in rest):
            return complex(float(rest[0]), float(rest[1]))
        if tag == "i" and len(rest) == 1 and type(rest[0]) is str and len(rest[0]) <= 1_000_000:
            return int(rest[0], 16)
        if tag == "T" and len(rest) == 1 and _builtin_type(rest[0]) is not None:
            return _builtin_type(rest[0])
        if tag == "h" and len(rest) == 2 and type(rest[0]) is int and type(rest[1]) is str:
            return handle_for(rest[0], rest[1][:200])
    except (TypeError, ValueError, UnicodeError) as error:
        # Unhashable set members or dict keys, bad base64 or hex.
        raise WireError("bad %r value: %s" % (tag, error)) from None
    raise WireError("unknown wire tag %r" % tag[:20])
