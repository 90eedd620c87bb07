/** Small helpers around node:dgram shared by the listener and the transfer sockets. */
import type { Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type { TftpClient } from "./types.js";

export const socketTypeFor = (host: string): "udp4" | "udp6" => (isIPv6(host) ? "udp6" : "udp4");

/** Binds and resolves once listening; rejects with the bind error (EADDRINUSE, EACCES, ...). */
export function bindSocket(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      socket.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      socket.off("error", onError);
      resolve();
    };
    socket.once("error", onError);
    socket.once("listening", onListening);
    socket.bind({ port, address: host, exclusive: true });
  });
}

/**
 * Sends without ever throwing. A UDP send error is not actionable here: a lost packet is covered by
 * the retransmission timer, and a client we cannot reach will time out. Port 0 cannot be sent to
 * (node throws ERR_SOCKET_BAD_PORT), and a packet claiming it is forged, so it is dropped.
 */
export function safeSend(socket: Socket, packet: Buffer, to: TftpClient, done?: () => void): void {
  if (to.port === 0) {
    done?.();
    return;
  }
  try {
    socket.send(packet, to.port, to.address, () => done?.());
  } catch {
    // The socket is closing or closed; nothing left to tell this client.
    done?.();
  }
}

/** Closes a socket and resolves when it is closed (or already was). */
export function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // ERR_SOCKET_DGRAM_NOT_RUNNING: already closed
    }
  });
}

export const clientKey = (client: TftpClient): string => `${client.address}|${client.port}`;
