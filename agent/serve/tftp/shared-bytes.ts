/**
 * File bytes as shared memory, so a transfer thread reads the very bytes the server holds instead of a
 * copy per transfer (a 20 MB image for 50 phones would otherwise be 1 GB of copies). One shared copy is
 * made per Buffer and kept as long as the Buffer lives: the firmware store hands out the same Buffer for
 * every transfer, and the rendered files live as long as their site version.
 */
const sharedCopies = new WeakMap<Buffer, Uint8Array>();

export function sharedView(data: Buffer): Uint8Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  let view = sharedCopies.get(data);
  if (!view) {
    view = new Uint8Array(new SharedArrayBuffer(data.length));
    view.set(data);
    sharedCopies.set(data, view);
  }
  return view;
}
