/**
 * Remembers a pure function's answers per string, for hot paths where the same few strings come back on every
 * request (User-Agents, request paths, routes). Bounded: the map is emptied when full, and keys longer than
 * `maxKeyLength` are computed but never kept, so a client sending endless new or long strings costs the
 * computation, as without the memo, and no memory.
 */
export function memoByString<T>(
  compute: (key: string) => T,
  opts: { limit: number; maxKeyLength: number },
): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as T;
    const value = compute(key);
    if (key.length > opts.maxKeyLength) return value;
    if (known.size >= opts.limit) known.clear();
    known.set(key, value);
    return value;
  };
}
