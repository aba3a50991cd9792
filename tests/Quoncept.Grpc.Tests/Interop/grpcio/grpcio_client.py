"""A real grpcio client (Debian python3-grpcio) calling our server: one scenario per run.
usage: grpcio_client.py TARGET DESCRIPTOR_SET SCENARIO ; exit 0 and "OK <scenario>" on success."""
import sys
import time

import grpc

from interop_messages import load

target, descriptor_set, scenario = sys.argv[1], sys.argv[2], sys.argv[3]
root_certificate_path = sys.argv[4] if len(sys.argv) > 4 else None
message_class = load(descriptor_set)
EchoRequest = message_class("quoncept.testing.v1.EchoRequest")
EchoResponse = message_class("quoncept.testing.v1.EchoResponse")
StatusRequest = message_class("quoncept.testing.v1.StatusRequest")
HealthCheckRequest = message_class("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = message_class("grpc.health.v1.HealthCheckResponse")
SERVICE = "/quoncept.testing.v1.TestService/"


def check(condition, what):
    if not condition:
        print("FAILED " + scenario + ": " + what)
        sys.exit(1)


def method(channel, kind, name, request=EchoRequest, response=EchoResponse, service=SERVICE):
    factory = getattr(channel, kind)
    return factory(service + name, request_serializer=request.SerializeToString, response_deserializer=response.FromString)


def expect_error(call, code):
    try:
        call()
    except grpc.RpcError as error:
        check(error.code() == code, "expected %s, got %s: %s" % (code, error.code(), error.details()))
        return error
    check(False, "expected %s, call succeeded" % code)


compression = grpc.Compression.Gzip if scenario == "gzip" else grpc.Compression.NoCompression
if root_certificate_path:
    with open(root_certificate_path, "rb") as f:
        credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
    channel = grpc.secure_channel(target, credentials, compression=compression)
else:
    channel = grpc.insecure_channel(target, compression=compression)
grpc.channel_ready_future(channel).result(timeout=10)

if scenario == "unary":
    reply = method(channel, "unary_unary", "UnaryEcho")(EchoRequest(message="hello", payload=b"\x00\x01"), timeout=10)
    check(reply.message == "hello" and reply.payload == b"\x00\x01", "echo mismatch: %r" % reply)
elif scenario == "tls":
    reply = method(channel, "unary_unary", "UnaryEcho")(EchoRequest(message="secure"), timeout=10)
    check(reply.message == "secure", "tls echo %r" % reply)
    replies = list(method(channel, "stream_stream", "BidiEcho")(iter([EchoRequest(message="t%d" % i) for i in range(3)]), timeout=10))
    check([r.message for r in replies] == ["t0", "t1", "t2"], "tls bidi %r" % [r.message for r in replies])
elif scenario == "server_stream":
    replies = list(method(channel, "unary_stream", "ServerStream")(EchoRequest(message="s", response_count=5), timeout=10))
    check([r.index for r in replies] == [0, 1, 2, 3, 4], "indexes %r" % [r.index for r in replies])
elif scenario == "client_stream":
    requests = iter([EchoRequest(message=w) for w in ("a", "b", "c")])
    reply = method(channel, "stream_unary", "ClientStream")(requests, timeout=10)
    check(reply.index == 3 and reply.message == "abc", "summary %r" % reply)
elif scenario == "bidi":
    requests = iter([EchoRequest(message="m%d" % i) for i in range(10)])
    replies = list(method(channel, "stream_stream", "BidiEcho")(requests, timeout=10))
    check([r.message for r in replies] == ["m%d" % i for i in range(10)], "replies %r" % [r.message for r in replies])
elif scenario == "deadline":
    # Connect first: on a cold channel under load a short deadline can expire before the request is
    # sent, and then the server never sees the call the test checks was cancelled.
    method(channel, "unary_unary", "UnaryEcho")(EchoRequest(message="connect first"), timeout=10)
    error = expect_error(lambda: method(channel, "unary_unary", "Slow")(EchoRequest(), timeout=1.0), grpc.StatusCode.DEADLINE_EXCEEDED)
elif scenario == "cancel":
    method(channel, "unary_unary", "UnaryEcho")(EchoRequest(message="connect first"), timeout=10)
    future = method(channel, "unary_unary", "Slow").future(EchoRequest(), timeout=30)
    time.sleep(1.0)
    check(future.cancel(), "cancel() returned False")
    check(future.cancelled(), "future not cancelled")
    time.sleep(0.3)
elif scenario == "metadata":
    blob = bytes([0, 1, 2, 250, 255])
    reply, call = method(channel, "unary_unary", "UnaryEcho").with_call(
        EchoRequest(message="m"), timeout=10,
        metadata=[("x-echo-text", "plain value"), ("x-echo-blob-bin", blob), ("authorization", "Bearer abc")])
    initial = dict(call.initial_metadata())
    trailing = dict(call.trailing_metadata())
    check(initial.get("x-echo-text") == "plain value", "initial %r" % initial)
    check(initial.get("x-echo-blob-bin") == blob, "initial bin %r" % initial)
    check(trailing.get("trailer-x-echo-blob-bin") == blob, "trailing %r" % trailing)
    check("authorization" in reply.metadata_keys, "server saw %r" % list(reply.metadata_keys))
elif scenario == "gzip":
    reply = method(channel, "unary_unary", "UnaryEcho")(EchoRequest(message="z" * 2000, response_payload_size=4000), timeout=10)
    check(reply.message == "z" * 2000 and len(reply.payload) == 4000, "gzip echo mismatch")
    replies = list(method(channel, "stream_stream", "BidiEcho")(iter([EchoRequest(message="g%d" % i) for i in range(3)]), timeout=10))
    check(len(replies) == 3, "gzip bidi %d" % len(replies))
elif scenario == "error_status":
    error = expect_error(lambda: method(channel, "unary_unary", "UnaryEcho")(
        EchoRequest(status=StatusRequest(code=9, message="no way: 100% \u00fcnicode")), timeout=10), grpc.StatusCode.FAILED_PRECONDITION)
    check(error.details() == "no way: 100% \u00fcnicode", "details %r" % error.details())
elif scenario == "stream_error":
    call = method(channel, "unary_stream", "ServerStream")(EchoRequest(response_count=2, status=StatusRequest(code=10, message="stop")), timeout=10)
    received = []
    try:
        for reply in call:
            received.append(reply.index)
        check(False, "stream ended without error")
    except grpc.RpcError as error:
        check(error.code() == grpc.StatusCode.ABORTED and error.details() == "stop", "%s %s" % (error.code(), error.details()))
    check(received == [0, 1], "received %r" % received)
elif scenario == "unimplemented":
    expect_error(lambda: method(channel, "unary_unary", "NotImplemented")(EchoRequest(), timeout=10), grpc.StatusCode.UNIMPLEMENTED)
    expect_error(lambda: method(channel, "unary_unary", "Nope", service="/no.such.Service/")(EchoRequest(), timeout=10), grpc.StatusCode.UNIMPLEMENTED)
elif scenario == "resource_exhausted":
    expect_error(lambda: method(channel, "unary_unary", "UnaryEcho")(EchoRequest(payload=b"x" * (5 * 1024 * 1024)), timeout=10), grpc.StatusCode.RESOURCE_EXHAUSTED)
elif scenario == "health":
    check_method = method(channel, "unary_unary", "Check", HealthCheckRequest, HealthCheckResponse, "/grpc.health.v1.Health/")
    check(check_method(HealthCheckRequest(), timeout=10).status == 1, "not SERVING")
    expect_error(lambda: check_method(HealthCheckRequest(service="unknown"), timeout=10), grpc.StatusCode.NOT_FOUND)
    watch = method(channel, "unary_stream", "Watch", HealthCheckRequest, HealthCheckResponse, "/grpc.health.v1.Health/")(HealthCheckRequest(), timeout=10)
    check(next(watch).status == 1, "watch not SERVING")
    watch.cancel()
else:
    check(False, "unknown scenario")

channel.close()
print("OK " + scenario)
