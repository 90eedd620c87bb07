/**
 * The transfer's port (its TID, RFC 1350 §4) as two sockets bound to it:
 * - `peer` is connected to the client. The kernel then hands it only the client's packets, keeps the route
 *   cached, and a send needs no address (node skips its per-send lookup and nextTick). At one DATA/ACK
 *   exchange per block this is most of what a lock-step download costs besides the copy into the kernel.
 * - `strays` is not connected, so it receives what arrives at the port from anyone else: RFC 1350 wants
 *   those answered with ERROR 5 from this port. Linux delivers a datagram to the best-matching socket, and a
 *   connected one matches its peer better than an unconnected one does (udp4_lib_lookup2's score).
 * Both are bound with SO_REUSEADDR, which is what lets the second bind the first one's ephemeral port.
 */
import { createSocket, type Socket } from "node:dgram";
import { encodeError, Opcode, TftpErrorCode } from "./packets.js";
import type { TftpClient } from "./types.js";
import { bindSocket, closeSocket, safeSend, socketTypeFor } from "./udp.js";

export interface TransferSocket {
  peer: Socket;
  strays: Socket;
  port: number;
}

/** A socket for a transfer port (SO_REUSEADDR, errors swallowed); the native engine's stray socket too. */
export function newTransferPortSocket(host: string): Socket {
  const socket = createSocket({ type: socketTypeFor(host), reuseAddr: true });
  // A socket without an error listener would crash the process on an unexpected error event, and a
  // connected one reports the client's ICMP "port unreachable" this way; the timer deals with both.
  socket.on("error", () => {});
  return socket;
}

function connectSocket(socket: Socket, to: TftpClient): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      socket.connect(to.port, to.address, (err?: Error) => (err ? reject(err) : resolve()));
    } catch (err) {
      reject(err);
    }
  });
}

/** Binds a fresh ephemeral port on `host` for `client`; rejects with the bind or connect error. */
export async function openTransferSocket(host: string, client: TftpClient): Promise<TransferSocket> {
  const peer = newTransferPortSocket(host);
  const strays = newTransferPortSocket(host);
  try {
    await bindSocket(peer, host, 0);
    const port = peer.address().port;
    await bindSocket(strays, host, port);
    await connectSocket(peer, client);
    return { peer, strays, port };
  } catch (err) {
    await Promise.all([closeSocket(peer), closeSocket(strays)]);
    throw err;
  }
}

/**
 * RFC 1350 §4: a datagram from a wrong TID gets ERROR 5 from the transfer's port and must not disturb
 * the transfer. An ERROR is never answered, so two confused peers cannot loop.
 */
export function answerStray(strays: Socket, msg: Buffer, from: TftpClient): void {
  const isError = msg.length >= 2 && msg.readUInt16BE(0) === Opcode.error;
  if (!isError) safeSend(strays, encodeError(TftpErrorCode.unknownTid, "unknown transfer ID"), from);
}

/**
 * Sends on the connected socket without ever throwing (see safeSend in udp.ts for why). Without `done`,
 * node skips the completion callback altogether, which matters at one send per DATA block.
 */
export function sendToPeer(socket: Socket, packet: Buffer | readonly Buffer[], done?: () => void): void {
  try {
    if (done) socket.send(packet, () => done());
    else socket.send(packet);
  } catch {
    // The socket is closing or closed; nothing left to tell this client.
    done?.();
  }
}
