// The browser transport of protos/quoncept/v1/browser.proto: one WebSocket to the gateway's /ws,
// binary protobuf frames (a BrowserHello, then ClientMessages; ServerMessages back), the same
// session model as the gRPC Connect stream. Request ids are answered once, so a request still
// unanswered when the socket drops is sent again, with the same id, on the next socket; that
// socket carries the same connection id, so the gateway resumes the session and nobody sees a
// departure. Runs in browsers and in Node (pass `WebSocket` from the `ws` package).
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { BrowserHelloSchema } from "./gen/quoncept/v1/browser_pb.js";
import { ClientMessageSchema, ServerMessageSchema } from "./gen/quoncept/v1/stream_pb.js";

export const SUBPROTOCOL = "quoncept.v1";

// Close codes after which reconnecting cannot help (services/Quoncept.Gateway/Browser/BrowserClose.cs).
const FINAL_CLOSES = new Map([
  [1002, "protocol"], [1003, "protocol"], [1007, "protocol"], [1008, "origin"], [1009, "protocol"],
  [4001, "replaced"], [4003, "logged_out"], [4400, "refused"], [4401, "unauthenticated"], [4429, "flood"],
]);

/** A client-made connection id: 1..64 of [A-Za-z0-9._:-]. */
export function newConnectionId(prefix = "web") {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return prefix + "-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Events (EventTarget): "status" {detail: {state, resumed?, code?, reason?}} with state
 * connecting | online | reconnecting | closed; "message" {detail: ServerMessage} for every live
 * event (answers resolve their request instead); "terminate" {detail: Terminate}.
 */
export class QuonceptSession extends EventTarget {
  #url; #token; #connectionId; #WebSocket;
  #socket = null;
  #nextRequest = 0;
  #pending = new Map();       // request id -> {frame, resolve, reject, started}
  #closed = false;
  #attempt = 0;
  #reconnectForMs;

  /**
   * @param {object} o
   * @param {string} o.url            ws://host:port/ws
   * @param {string} o.token          from CreateSession
   * @param {string} o.connectionId   keep it (e.g. in sessionStorage) to resume after a reload
   * @param {number} [o.reconnectForMs] give up reconnecting after this long (the grace period)
   */
  constructor({ url, token, connectionId, WebSocket = globalThis.WebSocket, reconnectForMs = 30000 }) {
    super();
    this.#url = url;
    this.#token = token;
    this.#connectionId = connectionId;
    this.#WebSocket = WebSocket;
    this.#reconnectForMs = reconnectForMs;
  }

  get connectionId() { return this.#connectionId; }

  /** Opens the socket; resolves with {resumed} once admitted, rejects with the close if refused. */
  open() {
    this.#closed = false;
    return this.#connect(false);
  }

  /**
   * Sends one request, e.g. request({case: "chat", value: {text: "hi"}}); resolves with
   * {reply: ServerMessage, rttMs} when its answer arrives (an Error answer resolves too: check reply.body.case).
   */
  request(body) {
    const requestId = `${this.#connectionId}-${++this.#nextRequest}`;
    const frame = toBinary(ClientMessageSchema, create(ClientMessageSchema, { requestId, body }));
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { frame, resolve, reject, started: performance.now() });
      this.#send(frame);
    });
  }

  /** Closes for good (no reconnect). Unanswered requests are rejected. */
  close(code = 1000, reason = "bye") {
    this.#closed = true;
    this.#socket?.close(code, reason);
    this.#failPending(new Error("the session was closed"));
  }

  /** Drops the socket without a close handshake, as a lost network would; the session reconnects. */
  dropForTest() {
    this.#socket?.close(4999, "dropped for a test");
  }

  #send(frame) {
    if (this.#socket?.readyState === 1 && this.#socket.admitted) this.#socket.send(frame);
    // Otherwise it goes out when the next socket is admitted.
  }

  #connect(reconnecting) {
    this.#emit("status", { state: reconnecting ? "reconnecting" : "connecting" });
    return new Promise((resolve, reject) => {
      const socket = new this.#WebSocket(this.#url, SUBPROTOCOL);
      socket.binaryType = "arraybuffer";
      socket.admitted = false;
      this.#socket = socket;
      socket.onopen = () => {
        socket.send(toBinary(BrowserHelloSchema, create(BrowserHelloSchema, { token: this.#token, connectionId: this.#connectionId })));
      };
      socket.onmessage = (e) => {
        let message;
        try {
          message = fromBinary(ServerMessageSchema, new Uint8Array(e.data));
        } catch (error) {
          socket.close(1007, "not a ServerMessage");
          return;
        }
        if (message.body.case === "admitted") {
          socket.admitted = true;
          this.#attempt = 0;
          for (const p of this.#pending.values()) socket.send(p.frame);   // the same ids: answered once
          this.#emit("status", { state: "online", resumed: message.body.value.resumed });
          resolve({ resumed: message.body.value.resumed });
          return;
        }
        this.#dispatch(message);
      };
      socket.onclose = (e) => {
        if (this.#socket !== socket) return;
        this.#socket = null;
        const final = FINAL_CLOSES.get(e.code);
        if (!socket.admitted && final) reject(Object.assign(new Error(`closed ${e.code}: ${e.reason}`), { code: e.code, reason: e.reason }));
        if (this.#closed || final) {
          this.#closed = true;
          this.#failPending(Object.assign(new Error(`closed ${e.code}: ${e.reason}`), { code: e.code }));
          this.#emit("status", { state: "closed", code: e.code, reason: e.reason });
          return;
        }
        this.#scheduleReconnect(resolve, reject, e);
      };
      socket.onerror = () => { /* onclose follows with the code */ };
    });
  }

  #scheduleReconnect(resolve, reject, closeEvent) {
    const started = this.#reconnectStarted ??= performance.now();
    if (performance.now() - started > this.#reconnectForMs) {
      this.#closed = true;
      this.#failPending(new Error("could not reconnect within the grace period"));
      this.#emit("status", { state: "closed", code: closeEvent.code, reason: "could not reconnect" });
      reject(new Error("could not reconnect"));
      return;
    }
    const delay = Math.min(2000, 100 * 2 ** this.#attempt++);
    this.#emit("status", { state: "reconnecting", code: closeEvent.code, reason: closeEvent.reason });
    setTimeout(() => {
      this.#connect(true).then((admitted) => { this.#reconnectStarted = undefined; resolve(admitted); }, reject);
    }, delay);
  }

  #reconnectStarted = undefined;

  #dispatch(message) {
    const pending = message.requestId ? this.#pending.get(message.requestId) : undefined;
    if (pending) {
      this.#pending.delete(message.requestId);
      pending.resolve({ reply: message, rttMs: performance.now() - pending.started });
      return;
    }
    if (message.body.case === "terminate") this.#emit("terminate", message.body.value);
    else this.#emit("message", message);
  }

  #failPending(error) {
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
