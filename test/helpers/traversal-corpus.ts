/**
 * Requests that try to leave the served tree, in the shapes scanners and published exploits use
 * (dot-dot in every encoding, absolute paths, Windows separators and drive letters, NUL truncation,
 * overlong UTF-8, double encoding). Used against both TFTP and HTTP; each entry names a file that exists
 * outside the tree on every Linux machine, so a wrong answer would show its content.
 */
const targets = ["etc/passwd", "etc/hostname", "proc/self/environ"];
const prefixes = [
  "../",
  "../../../../../../",
  "/../../",
  "..\\..\\",
  "....//....//",
  "..%2f..%2f",
  "%2e%2e/%2e%2e/",
  "%2e%2e%2f%2e%2e%2f",
  "%252e%252e%252f",
  "..%c0%af..%c0%af",
  "%c0%ae%c0%ae/",
  ".%2e/.%2e/",
  "/",
  "//",
  "\\",
  "C:\\",
  "file:///",
  "./../",
  "phones/../../",
  "firmware/../../",
  "firmware/../../../",
  "..;/",
  "..%00/",
  "..%5c..%5c",
];

export const traversalCorpus: string[] = [
  ...prefixes.flatMap((p) => targets.map((t) => `${p}${t}`)),
  "y000000000005.cfg/../../etc/passwd",
  "y000000000005.cfg%00.jpg",
  `${"a/".repeat(200)}etc/passwd`,
  "firmware/..%2fSHA256SUMS",
  "firmware/../SHA256SUMS",
  "..",
  ".",
  "%2e%2e",
];
