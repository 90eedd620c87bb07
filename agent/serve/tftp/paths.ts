/**
 * Pure sanitising of a TFTP request path. The result is a relative path with "/" separators that
 * cannot name anything outside the served tree, whatever the file source later does with it.
 *
 * Decisions (each refusal becomes ERROR 2 "access violation", as tftp-hpa answers refused paths):
 * - One leading "/" is stripped: Cisco and Yealink phones ask for "/SEP<mac>.cnf.xml" and expect the
 *   root of the TFTP tree. What remains must be relative, so "//etc/passwd" is refused.
 * - Empty segments ("a//b", trailing "/"), "." and ".." segments, and any segment made only of dots,
 *   are refused rather than normalised: a phone never sends them, and normalising is where
 *   traversal bugs live.
 * - Backslashes are refused (Windows separators; "..\\" must not reach a source on Windows or SMB),
 *   and so is ":" (drive letters "C:", NTFS streams "file::$DATA"). No phone family we serve uses
 *   either in a file name.
 * - Percent-encoding is never decoded: TFTP file names are plain netascii (RFC 1350 §5). A "%"
 *   followed by two hex digits is refused outright, because a source that later maps the path to a
 *   URL, or a proxy in front of it, might decode "%2e%2e" into "..". A lone "%" is just a character.
 * - NUL, control characters (including DEL) and non-ASCII bytes are refused.
 * - Longer than 255 characters is refused (the usual file-name limit; phones use well under 64).
 */

/** Longest request path we accept, counted before the leading "/" is stripped. */
export const maxPathLength = 255;

export type SanitisedPath = { ok: true; path: string } | { ok: false; reason: string };

const refuse = (reason: string): SanitisedPath => ({ ok: false, reason });

/** Returns the first character-level problem in `raw`, if any. */
function characterProblem(raw: string): string | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0) return "NUL in path";
    if (c < 0x20 || c === 0x7f) return `control character 0x${c.toString(16).padStart(2, "0")} in path`;
    if (c > 0x7e) return "non-ASCII character in path";
  }
  if (raw.includes("\\")) return "backslash in path";
  if (raw.includes(":")) return "colon in path (drive letters and streams are not served)";
  if (/%[0-9a-f]{2}/i.test(raw)) return "percent-encoded sequence in path (never decoded, never served)";
  return undefined;
}

/** Returns the first segment-level problem in a path that no longer has its leading "/". */
function segmentProblem(relative: string): string | undefined {
  if (relative === "") return "empty path";
  if (relative.startsWith("/")) return "absolute path";
  for (const segment of relative.split("/")) {
    if (segment === "") return "empty path segment";
    if (/^\.+$/.test(segment)) return `"${segment}" segment in path`;
  }
  return undefined;
}

/** Checks a requested file name and returns it relative to the served tree, or a reason to refuse. */
export function sanitiseRequestPath(raw: string): SanitisedPath {
  if (raw.length > maxPathLength) return refuse(`path longer than ${maxPathLength} characters`);
  const charProblem = characterProblem(raw);
  if (charProblem) return refuse(charProblem);
  const relative = raw.startsWith("/") ? raw.slice(1) : raw;
  const segProblem = segmentProblem(relative);
  if (segProblem) return refuse(segProblem);
  return { ok: true, path: relative };
}
