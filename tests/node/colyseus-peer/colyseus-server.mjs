// The Colyseus side of the peer bench: one room type, "chat", that broadcasts every chat line to
// everyone else in the room (no state, no patches). usage: node colyseus-server.mjs PORT
import { Server, Room } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';

class ChatRoom extends Room {
  maxClients = 1_000_000;
  onCreate() {
    this.autoDispose = false;
    this.onMessage('chat', (client, text) => this.broadcast('chat', { from: client.sessionId, text }, { except: client }));
  }
}

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`usage: node colyseus-server.mjs PORT (got '${process.argv[2]}')`);
  process.exit(2);
}
const server = new Server({ transport: new WebSocketTransport({ maxPayload: 64 * 1024 }), greet: false });
server.define('chat', ChatRoom);
await server.listen(port, '127.0.0.1');
console.log(`colyseus: ws://127.0.0.1:${port}`);
process.on('SIGTERM', async () => { await server.gracefullyShutdown(false).catch(() => {}); process.exit(0); });
