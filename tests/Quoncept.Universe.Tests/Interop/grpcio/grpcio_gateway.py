"""A real grpcio client (Debian python3-grpcio) against Quoncept's gateway: one scenario per run.
usage: grpcio_gateway.py TARGET DESCRIPTOR_SET SCENARIO USERNAME
Exit 0 and "OK <scenario>" on success; prints "CHARACTER <id>" for the test to check server-side effects."""
import queue
import sys
import time
import uuid

import grpc

from gateway_messages import load

target, descriptor_set, scenario, username = sys.argv[1:5]
message_class = load(descriptor_set)
CreateSessionRequest = message_class("quoncept.v1.CreateSessionRequest")
CreateSessionResponse = message_class("quoncept.v1.CreateSessionResponse")
ClientMessage = message_class("quoncept.v1.ClientMessage")
ServerMessage = message_class("quoncept.v1.ServerMessage")
HealthCheckRequest = message_class("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = message_class("grpc.health.v1.HealthCheckResponse")
GATEWAY = "/quoncept.v1.Gateway/"
HEALTH = "/grpc.health.v1.Health/"
SERVING = 1


def check(condition, what):
    if not condition:
        print("FAILED " + scenario + ": " + what, flush=True)
        sys.exit(1)


def expect_error(call, code):
    try:
        call()
    except grpc.RpcError as error:
        check(error.code() == code, "expected %s, got %s: %s" % (code, error.code(), error.details()))
        return error
    check(False, "expected %s, the call succeeded" % code)


compression = grpc.Compression.Gzip if scenario == "gzip" else grpc.Compression.NoCompression
channel = grpc.insecure_channel(target, compression=compression, options=[("grpc.max_send_message_length", 16 * 1024 * 1024)])
grpc.channel_ready_future(channel).result(timeout=10)
create_session = channel.unary_unary(GATEWAY + "CreateSession", request_serializer=CreateSessionRequest.SerializeToString,
                                     response_deserializer=CreateSessionResponse.FromString)
connect = channel.stream_stream(GATEWAY + "Connect", request_serializer=ClientMessage.SerializeToString,
                                response_deserializer=ServerMessage.FromString)


def open_stream(token, connection_id=None, timeout=None, authorization=True):
    """A Connect call fed from a queue: put ClientMessages, put None to half-close."""
    requests = queue.Queue()

    def feed():
        while True:
            item = requests.get()
            if item is None:
                return
            yield item

    metadata = [("connection-id", connection_id or "py-" + uuid.uuid4().hex[:12])]
    if authorization:
        metadata.append(("authorization", "Bearer " + token))
    return requests, connect(feed(), metadata=metadata, timeout=timeout)


def answer(requests, responses, message):
    """Sends one request and returns its answer (live events in between are skipped)."""
    requests.put(message)
    for reply in responses:
        if reply.request_id == message.request_id:
            return reply
    check(False, "the stream ended before request %s was answered" % message.request_id)


def logged_in_stream(timeout=None):
    session = create_session(CreateSessionRequest(username=username), timeout=10)
    print("CHARACTER " + session.character_id, flush=True)
    requests, responses = open_stream(session.token, timeout=timeout)
    login = answer(requests, responses, ClientMessage(request_id="login-1", login={}))
    check(login.WhichOneof("body") == "login_result", "login answered %s" % login)
    return requests, responses


if scenario == "session":
    session = create_session(CreateSessionRequest(username=username), timeout=10)
    check(session.token.count(".") == 2 and session.character_id and session.expires_at_unix_ms > time.time() * 1000,
          "session %r" % session)
    error = expect_error(lambda: create_session(CreateSessionRequest(username="nobody-by-this-name"), timeout=10), grpc.StatusCode.NOT_FOUND)
    check("nobody-by-this-name" in error.details(), "details %r" % error.details())
    error = expect_error(lambda: create_session(CreateSessionRequest(username="no spaces"), timeout=10), grpc.StatusCode.INVALID_ARGUMENT)
    check("username" in error.details(), "details %r" % error.details())
elif scenario == "stream":
    requests, responses = logged_in_stream()
    pong = answer(requests, responses, ClientMessage(request_id="ping-1", ping={"client_time_unix_ms": 42}))
    check(pong.pong.client_time_unix_ms == 42 and pong.pong.server_time_unix_ms > 0, "pong %r" % pong)
    said = answer(requests, responses, ClientMessage(request_id="chat-1", chat={"text": "hello from grpcio \u00fc"}))
    check(said.WhichOneof("body") == "chat_result" and said.chat_result.sequence > 0, "chat %r" % said)
    empty = answer(requests, responses, ClientMessage(request_id="empty-1"))
    check(empty.error.code == 3 and "no body" in empty.error.message, "empty %r" % empty)
    blank = answer(requests, responses, ClientMessage(request_id="chat-2", chat={"text": " "}))
    check(blank.error.code == 3, "blank chat %r" % blank)
    again = answer(requests, responses, ClientMessage(request_id="chat-1", chat={"text": "hello from grpcio \u00fc"}))
    check(again.chat_result.sequence == said.chat_result.sequence, "repeated request id %r" % again)
    bye = answer(requests, responses, ClientMessage(request_id="logout-1", logout={}))
    check(bye.WhichOneof("body") == "logout_result" and not bye.logout_result.character.online, "logout %r" % bye)
    requests.put(None)
    for _ in responses:
        pass
    check(responses.code() == grpc.StatusCode.OK, "stream ended %s" % responses.code())
elif scenario == "unauthenticated":
    session = create_session(CreateSessionRequest(username=username), timeout=10)
    for token, authorization, connection_id, code, words in (
            ("", False, None, grpc.StatusCode.UNAUTHENTICATED, "authorization"),
            ("not-a-jwt", True, None, grpc.StatusCode.UNAUTHENTICATED, "token"),
            (session.token, True, "has spaces", grpc.StatusCode.INVALID_ARGUMENT, "connection-id")):
        requests, responses = open_stream(token, connection_id=connection_id, timeout=10, authorization=authorization)
        error = expect_error(lambda: next(responses), code)
        check(words in error.details(), "details %r" % error.details())
        requests.put(None)
elif scenario == "deadline":
    requests, responses = logged_in_stream(timeout=2.0)
    expect_error(lambda: [r for r in responses], grpc.StatusCode.DEADLINE_EXCEEDED)
elif scenario == "cancel":
    requests, responses = logged_in_stream(timeout=30)
    responses.cancel()
    check(responses.code() == grpc.StatusCode.CANCELLED, "after cancel: %s" % responses.code())
elif scenario == "resource_exhausted":
    error = expect_error(lambda: create_session(CreateSessionRequest(username="x" * (5 * 1024 * 1024)), timeout=10), grpc.StatusCode.RESOURCE_EXHAUSTED)
elif scenario == "bad_message":
    raw = channel.unary_unary(GATEWAY + "CreateSession", request_serializer=lambda b: b, response_deserializer=lambda b: b)
    # Field 1 (username) announces 2^28 bytes and brings three. grpc-dotnet answers a request it cannot
    # parse UNKNOWN ("Exception was thrown by handler."), whatever the handler; the server stays up.
    expect_error(lambda: raw(b"\x0a\x80\x80\x80\x80\x01abc", timeout=10), grpc.StatusCode.UNKNOWN)
    check(create_session(CreateSessionRequest(username=username), timeout=10).token, "the gateway stopped serving")
elif scenario == "unimplemented":
    raw_method = lambda path: channel.unary_unary(path, request_serializer=lambda b: b, response_deserializer=lambda b: b)
    expect_error(lambda: raw_method(GATEWAY + "NoSuchMethod")(b"", timeout=10), grpc.StatusCode.UNIMPLEMENTED)
    expect_error(lambda: raw_method("/no.such.Service/Nope")(b"", timeout=10), grpc.StatusCode.UNIMPLEMENTED)
elif scenario == "health":
    check_health = channel.unary_unary(HEALTH + "Check", request_serializer=HealthCheckRequest.SerializeToString,
                                       response_deserializer=HealthCheckResponse.FromString)
    check(check_health(HealthCheckRequest(), timeout=10).status == SERVING, "'' not SERVING")
    check(check_health(HealthCheckRequest(service="quoncept.v1.Gateway"), timeout=10).status == SERVING, "gateway not SERVING")
    expect_error(lambda: check_health(HealthCheckRequest(service="no.such.Service"), timeout=10), grpc.StatusCode.NOT_FOUND)
    watch = channel.unary_stream(HEALTH + "Watch", request_serializer=HealthCheckRequest.SerializeToString,
                                 response_deserializer=HealthCheckResponse.FromString)(HealthCheckRequest(service="quoncept.v1.Gateway"), timeout=30)
    check(next(watch).status == SERVING, "watch not SERVING")
    watch.cancel()
elif scenario == "gzip":
    requests, responses = logged_in_stream()
    said = answer(requests, responses, ClientMessage(request_id="chat-z", chat={"text": "z" * 400}))
    check(said.WhichOneof("body") == "chat_result", "gzip chat %r" % said)
    requests.put(None)
else:
    check(False, "unknown scenario")

channel.close()
print("OK " + scenario, flush=True)
