/** Public entry of the TFTP server; the rest of patchkast imports from here. */
export { startTftpServer } from "./server.js";
export type {
  TftpClient,
  TftpEvent,
  TftpFileSource,
  TftpReadResult,
  TftpServer,
  TftpServerOptions,
  TftpTransferStats,
} from "./types.js";
