# The judge: runs the trusted prelude and tests against the candidate, which lives in another process (fd 3).
#
# Only this process decides. It reports on fd 4, a channel only it and slotbench hold, that the tests ran to their end
# (with the run's nonce); exiting 0 alone proves nothing. The tests never leave this process.
#
# fd 4 first carries the job from slotbench: {nonce, program, module, prelude, tests, testsLine, bind, bindAll}.

import builtins
import importlib
import os
import sys
import types

import frames  # the harness's own modules, found beside this script
import remote
import wire

# The harness dir leaves sys.path; the site-packages dirs (argv[1]; the interpreter runs with -S) join it, so the
# tests import what they would under a normal start, without site's .pth start-up cost.
sys.path.pop(0)
sys.path.extend(path for path in sys.argv[1].split(os.pathsep) if path)

CHANNEL = 3
CONTROL = 4
BUILTIN_NAMES = frozenset(dir(builtins))


def run(job, peer):
    """Load the candidate, bind its names, run the prelude and the tests; raises whatever the tests raise."""
    program = job["program"]
    main = types.ModuleType("__main__")
    main.__file__ = program
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    namespace = main.__dict__
    tests_code = compile("\n" * (job["testsLine"] - 1) + job["tests"], program, "exec")
    names = peer.hello()
    if job.get("prelude"):
        exec(compile(job["prelude"], program, "exec"), namespace)
    for name, target in job["bind"].items():
        namespace[name] = peer.lookup(target)
    if job.get("bindAll"):
        bind_all(names, namespace, peer, referenced_names(tests_code), set(job["bind"]))
    exec(tests_code, namespace)


def bind_all(names, namespace, peer, referenced, bound):
    """Every function and class of the candidate under its own name, except a name the tests could mean otherwise:
    a builtin (`set`, `sorted`) or a module (`math`). Those would let the candidate decide what the assertions
    compute; the task's entry point, when it has such a name, comes through `bind`. A module name the tests use is
    imported here, from the interpreter's own library, whatever the candidate bound to it."""
    for name, kind in names.items():
        if name in bound or name in namespace or name in BUILTIN_NAMES:
            continue
        if _is_module(name):
            if name in referenced:
                try:
                    namespace[name] = importlib.import_module(name)
                except BaseException:  # an import that fails here just leaves the name unbound, as a test would see it
                    pass
        elif kind == "callable":
            namespace[name] = peer.lookup(name)


def _is_module(name):
    import importlib.util

    try:
        return "." not in name and importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def referenced_names(code):
    found = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            found |= referenced_names(constant)
    return found


def failure_text(error, job):
    """The traceback as one program.py would show it (tracebacks are rare: their modules load only here)."""
    import linecache

    program = job["program"]
    virtual = job["module"].rstrip() + "\n\n\n" + job["tests"]
    linecache.cache[program] = (len(virtual), None, virtual.splitlines(True), program)
    return frames.render(error)


def limit_of(error, peer):
    """The resource limit a failure points at, if any: from the candidate's exceptions or the judge's own."""
    if peer.limit:
        return peer.limit
    if isinstance(error, MemoryError):
        return "memory"
    return None


def main():
    os.set_blocking(CHANNEL, True)
    os.set_blocking(CONTROL, True)
    job = wire.receive(CONTROL)
    peer = remote.Peer(CHANNEL)
    ok, limit = False, None
    try:
        run(job, peer)
        ok = peer.lost is None
        if not ok:  # the tests swallowed the CandidateExited; the run still fails, and says why
            sys.stderr.write("slotbench.CandidateExited: %s\n" % peer.lost)
    except BaseException as error:  # a failed check, the candidate's exception, or the worker gone: all are failures
        sys.stderr.write(failure_text(error, job))
        limit = limit_of(error, peer)
    sys.stdout.flush()
    sys.stderr.flush()
    wire.send(CONTROL, {"done": job["nonce"], "ok": ok, "limit": limit, "lost": peer.lost_how})
    # No atexit handlers or lingering threads of the tests' may change the exit status after the report.
    os._exit(0 if ok else 1)


if __name__ == "__main__":
    main()
