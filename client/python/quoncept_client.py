#!/usr/bin/env python3
"""A short Quoncept client in Python: the polyglot proof that the .proto is the whole contract.

Opens a session, connects the live stream, logs in, prints who is here, says something,
waits for its own chat line to come back as a live event, pings, sends a direct message
when asked to (--dm), logs out.

    /usr/bin/python3 client/python/quoncept_client.py --gateway http://127.0.0.1:5080 --user carol
    /usr/bin/python3 client/python/quoncept_client.py --user carol --dm c000001 --dm-text "hi Alice"

Needs Debian's python3-grpcio and python3-protobuf. The message classes are built at start-up
from the .proto files under protos/ (compiled by protoc into a descriptor set), so nothing
generated is checked in and nothing can drift from the contract. Exit code 0 means every step
worked; otherwise the failing step is printed to stderr.
"""
import argparse
import glob
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import grpc
from google.protobuf import descriptor_pb2, message_factory

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOS = os.path.normpath(os.path.join(HERE, "..", "..", "protos"))
DEFAULT_PROTOC = os.path.expanduser("~/.nuget/packages/grpc.tools/2.85.0/tools/linux_x64/protoc")


def load_messages(protoc):
    """Compiles protos/quoncept/v1/*.proto into a FileDescriptorSet and builds message classes from it."""
    files = sorted(glob.glob(os.path.join(PROTOS, "quoncept", "v1", "*.proto")))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "quoncept.binpb")
        subprocess.run([protoc, "-I", PROTOS, "--include_imports", "--descriptor_set_out=" + out] + files, check=True)
        with open(out, "rb") as f:
            fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    classes = message_factory.GetMessages(list(fds.file))
    return lambda name: classes["quoncept.v1." + name]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gateway", default="http://127.0.0.1:5080", help="gateway address, http://host:port")
    ap.add_argument("--user", default="carol", help="username to log in as")
    ap.add_argument("--say", default="hello from python", help="chat line to send")
    ap.add_argument("--dm", metavar="CHARACTER_ID", help="send a direct message to this character (kept for its next login when it is offline)")
    ap.add_argument("--dm-text", default="a direct message from python", help="text of the direct message")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer")
    ap.add_argument("--protoc", default=os.environ.get("QUONCEPT_PROTOC", DEFAULT_PROTOC))
    args = ap.parse_args()

    if not args.gateway.startswith("http://"):
        sys.exit("--gateway must look like http://host:port")
    if not os.path.exists(args.protoc):
        sys.exit(f"protoc not found at {args.protoc} (build the solution once, or pass --protoc)")
    msg = load_messages(args.protoc)
    ClientMessage, ServerMessage = msg("ClientMessage"), msg("ServerMessage")

    channel = grpc.insecure_channel(args.gateway[len("http://"):])
    create_session = channel.unary_unary(
        "/quoncept.v1.Gateway/CreateSession",
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=msg("CreateSessionResponse").FromString)
    connect = channel.stream_stream(
        "/quoncept.v1.Gateway/Connect",
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=ServerMessage.FromString)

    try:
        session = create_session(msg("CreateSessionRequest")(username=args.user), timeout=args.timeout)
    except grpc.RpcError as e:
        sys.exit(f"CreateSession failed: {e.code().name} {e.details()}")
    print(f"session {session.session_id} for character {session.character_id}")

    outgoing = queue.Queue()

    def requests():
        while True:
            m = outgoing.get()
            if m is None:
                return
            yield m

    metadata = [("authorization", "Bearer " + session.token), ("connection-id", "py-" + uuid.uuid4().hex[:12])]
    stream = connect(requests(), metadata=metadata, timeout=args.timeout * 6)
    incoming = queue.Queue()

    def read():
        try:
            for m in stream:
                incoming.put(m)
        except grpc.RpcError as e:
            incoming.put(e)
        incoming.put(None)

    threading.Thread(target=read, daemon=True).start()

    def request(kind, type_name=None, **fields):
        rid = uuid.uuid4().hex[:16]
        m = ClientMessage(request_id=rid)
        getattr(m, kind).CopyFrom(msg(type_name or kind.capitalize())(**fields))
        outgoing.put(m)
        return rid

    def wait_for(predicate, what):
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            try:
                m = incoming.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if m is None or isinstance(m, grpc.RpcError):
                sys.exit(f"stream ended while waiting for {what}: {m.code().name + ' ' + m.details() if m else 'closed'}")
            if m.WhichOneof("body") == "error":
                sys.exit(f"error while waiting for {what}: {m.error.message}")
            if predicate(m):
                return m
            print(f"event {m.WhichOneof('body')}")
        sys.exit(f"timed out waiting for {what}")

    started = time.monotonic()
    rid = request("login")
    login = wait_for(lambda m: m.request_id == rid and m.WhichOneof("body") == "login_result", "LoginResult").login_result
    snapshot = login.system
    print(f"logged in as {login.character.name} in {snapshot.system.name} ({snapshot.system.id}) "
          f"at sequence {snapshot.sequence} in {(time.monotonic() - started) * 1000:.1f} ms")
    print("present: " + ", ".join(sorted(c.name for c in snapshot.present)))
    print(f"unread mail: {login.social.unread_mail}, waiting direct messages: {login.social.waiting_direct_messages}")

    # The ChatResult and the chat line as a live event travel separately: either may come first.
    rid = request("chat", text=args.say)
    answered, heard = None, None
    while answered is None or heard is None:
        m = wait_for(lambda m: (m.request_id == rid and m.WhichOneof("body") == "chat_result")
                     or (m.WhichOneof("body") == "chat_message" and m.chat_message.character_id == session.character_id),
                     "ChatResult and own chat line")
        if m.WhichOneof("body") == "chat_result":
            answered = m.chat_result
        else:
            heard = m.chat_message
    print(f"heard [{heard.sequence}] {heard.character_name}: {heard.text} (chat result sequence {answered.sequence})")

    sent = time.monotonic()
    rid = request("ping", client_time_unix_ms=int(time.time() * 1000))
    wait_for(lambda m: m.request_id == rid and m.WhichOneof("body") == "pong", "Pong")
    print(f"ping {(time.monotonic() - sent) * 1000:.1f} ms")

    if args.dm:
        rid = request("send_direct", "SendDirect", to_character_id=args.dm, text=args.dm_text)
        sent = wait_for(lambda m: m.request_id == rid and m.WhichOneof("body") == "direct_sent", "DirectSent").direct_sent
        print(f"direct message {sent.sequence} to {args.dm}: {'delivered live' if sent.delivered_live else 'kept until they log in'}")

    rid = request("logout")
    wait_for(lambda m: m.request_id == rid and m.WhichOneof("body") == "logout_result", "LogoutResult")
    outgoing.put(None)
    print("logged out: ok")


if __name__ == "__main__":
    main()
