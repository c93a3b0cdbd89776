"""FaaSCell's Python runtime, started by the guest agent at INIT.

Imports the handler once, then serves RUN requests from the agent on fd 3 and answers on fd 4.
stdout and stderr belong to the function (the agent keeps their tail); the protocol never uses them.
Request:  op (1 byte: R=run, S=reseed) | length (4 bytes, big-endian) | data
          (for R, data is: request id length (1 byte) | request id | payload)
Response: status (1 byte: 0=ok, 1=error) | exec_ns (8 bytes) | length (4 bytes) | data

A handler is either FaaSCell's handle(event) or Lambda's handler(event, context): one that accepts
two positional arguments gets the context.
"""
import importlib
import inspect
import json
import os
import random
import struct
import sys
import time
import traceback


def read_exact(stream, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def respond(stream, status, exec_ns, data):
    stream.write(struct.pack(">BQI", status, exec_ns, len(data)) + data)


def describe(error):
    """The traceback of an error raised by the function, without this runtime's own frames."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb)).encode()


class Context:
    """What Lambda's Python runtime hands a handler as its second argument."""

    def __init__(self, request_id, deadline_ns):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "")
        self.invoked_function_arn = "arn:aws:lambda:local:000000000000:function:" + self.function_name
        self.log_group_name = "/aws/lambda/" + self.function_name
        self.log_stream_name = "faascell"
        self.identity = None
        self.client_context = None
        self._deadline_ns = deadline_ns

    def get_remaining_time_in_millis(self):
        return max(0, (self._deadline_ns - time.monotonic_ns()) // 1_000_000)


def takes_context(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


def load(handler):
    module_name, _, function_name = handler.rpartition(".")
    if not module_name or not function_name:
        raise ValueError(f"handler must be 'module.function', got {handler!r}")
    function = getattr(importlib.import_module(module_name), function_name)
    if not callable(function):
        raise TypeError(f"{handler} is not callable")
    return function


def run(function, with_context, data, timeout_ns):
    request_id = data[1:1 + data[0]].decode() if data else ""
    payload = data[1 + data[0]:] if data else b""
    event = json.loads(payload) if payload else None
    if with_context:
        result = function(event, Context(request_id, time.monotonic_ns() + timeout_ns))
    else:
        result = function(event)
    return json.dumps(result, separators=(",", ":")).encode()


def run_openwhisk(function, data):
    """An OpenWhisk action (deployed with an OpenWhisk name): the host sends each activation's __OW_*
    environment with its parameters, {"env": {...}, "params": {...}}, and the action is main(params)."""
    envelope = json.loads(data[1 + data[0]:])   # after the request id the host sends first
    os.environ.update(envelope["env"])
    return json.dumps(function(envelope["params"]), separators=(",", ":")).encode()


def main():
    requests = os.fdopen(3, "rb", buffering=0)
    responses = os.fdopen(4, "wb", buffering=0)
    os.set_inheritable(3, False)
    os.set_inheritable(4, False)
    sys.path.insert(0, "/fn")
    try:
        function = load(sys.argv[1])
    except BaseException as error:
        respond(responses, 1, 0, describe(error))
        return 1
    with_context = takes_context(function)
    timeout_ns = int(os.environ.get("FAASCELL_FUNCTION_TIMEOUT_MS", "0")) * 1_000_000
    respond(responses, 0, 0, b"")
    if os.environ.get("FAASCELL_OPENWHISK_NAME"):
        invoke = run_openwhisk
    else:
        def invoke(function, data):
            return run(function, with_context, data, timeout_ns)
    while True:
        head = read_exact(requests, 5)
        if head is None:
            return 0
        op, length = struct.unpack(">cI", head)
        data = read_exact(requests, length) if length else b""
        if op == b"S":
            # an int seeds the Mersenne Twister directly; bytes would first go through SHA-512, code a
            # restored clone under TCG must translate afresh (about 10 ms of the restore)
            random.seed(int.from_bytes(data, "big"))
            respond(responses, 0, 0, b"")
            continue
        start = time.perf_counter_ns()
        try:
            out, status = invoke(function, data), 0
        except BaseException as error:
            out, status = describe(error), 1
        respond(responses, status, time.perf_counter_ns() - start, out)


if __name__ == "__main__":
    sys.exit(main())
