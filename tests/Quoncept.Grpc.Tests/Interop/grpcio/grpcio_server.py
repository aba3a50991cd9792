"""A real grpcio server (Debian python3-grpcio) serving quoncept.testing.v1.TestService, for our
client to call. usage: grpcio_server.py DESCRIPTOR_SET ; prints "PORT <n>" once listening on
127.0.0.1, and stops when stdin closes (or when killed)."""
import sys
import threading
import time
from concurrent import futures

import grpc

from interop_messages import load

message_class = load(sys.argv[1])
EchoRequest = message_class("quoncept.testing.v1.EchoRequest")
EchoResponse = message_class("quoncept.testing.v1.EchoResponse")
ECHO_PREFIX = "x-echo-"


def echo_metadata(context):
    echoed = [(k, v) for k, v in context.invocation_metadata() if k.startswith(ECHO_PREFIX)]
    if echoed:
        context.send_initial_metadata(echoed)
        context.set_trailing_metadata([("trailer-" + k, v) for k, v in echoed])


def finish_with_requested_status(request, context):
    if request.status.code != 0:
        context.abort(grpc.StatusCode(tuple(c for c in grpc.StatusCode if c.value[0] == request.status.code)[0].value), request.status.message)


def respond(request, context, index):
    reply = EchoResponse(message=request.message, index=index)
    reply.payload = bytes(request.response_payload_size) if request.response_payload_size > 0 else request.payload
    reply.metadata_keys.extend(sorted(k for k, _ in context.invocation_metadata()))
    return reply


def unary_echo(request, context):
    echo_metadata(context)
    finish_with_requested_status(request, context)
    return respond(request, context, 0)


def server_stream(request, context):
    echo_metadata(context)
    for i in range(request.response_count):
        yield respond(request, context, i)
    finish_with_requested_status(request, context)


def client_stream(requests, context):
    echo_metadata(context)
    count, text = 0, ""
    for request in requests:
        count += 1
        text += request.message
    return EchoResponse(message=text, index=count)


def bidi_echo(requests, context):
    echo_metadata(context)
    for index, request in enumerate(requests):
        finish_with_requested_status(request, context)
        yield respond(request, context, index)


def slow(request, context):
    limit = time.monotonic() + (request.delay_ms / 1000.0 if request.delay_ms > 0 else 60)
    while time.monotonic() < limit:
        if not context.is_active():
            return EchoResponse()
        time.sleep(0.01)
    return respond(request, context, 0)


def handler(kind, fn):
    return kind(fn, request_deserializer=EchoRequest.FromString, response_serializer=EchoResponse.SerializeToString)


service = grpc.method_handlers_generic_handler("quoncept.testing.v1.TestService", {
    "UnaryEcho": handler(grpc.unary_unary_rpc_method_handler, unary_echo),
    "ServerStream": handler(grpc.unary_stream_rpc_method_handler, server_stream),
    "ClientStream": handler(grpc.stream_unary_rpc_method_handler, client_stream),
    "BidiEcho": handler(grpc.stream_stream_rpc_method_handler, bidi_echo),
    "Slow": handler(grpc.unary_unary_rpc_method_handler, slow),
})

server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), handlers=[service], compression=grpc.Compression.Gzip)
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print("PORT %d" % port, flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), server.stop(0)), daemon=True).start()
server.wait_for_termination(timeout=120)
