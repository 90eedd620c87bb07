/**
 * Masks secrets in IOS configuration lines as `<secret>`, so configs can be stored, diffed and shown without
 * leaking, and so that a re-hashed but unchanged secret (`secret 9 $9$…` changes salt on every entry) is
 * not reported as drift. The type digit (`5`, `7`, `8`, `9`) stays: a change of hash type is worth seeing.
 *
 * The list covers what Oxidized's IOS model masks (ytti/oxidized lib/oxidized/model/ios.rb, `cmd :secret`)
 * and NAPALM's `get_config(sanitized=True)` (netconfig.md §2.4), plus what voice sites use: SNMP
 * communities (also inside `snmp-server host … version 2c <community>`), `username … secret/password`,
 * `enable secret/password`, line passwords, `key 7`, `key-string`, `server-key`, TACACS/RADIUS keys,
 * PPP CHAP/PAP passwords, OSPF keys, BGP neighbour passwords, ISAKMP keys and WPA PSKs.
 */

export const SECRET = "<secret>";

const TYPE = "(?:[0-9] )?";
/** Each rule captures (head)(secret); the secret becomes `<secret>`. */
const RULES: RegExp[] = [
  // `snmp-server community public RW 5` → keep access and ACL, hide the community.
  /^(\s*snmp-server community )(\S+)/,
  // `username u privilege 15 secret 9 $9$…`, `enable secret 5 …`, ` password 7 0822…` under `line vty`,
  // `ppp chap password 7 …`, `ppp pap sent-username u password 0 …`, `neighbor 1.2.3.4 password 7 …`.
  // `password encryption aes` and `service password-encryption` are settings, not secrets.
  new RegExp(`^(.*?\\b(?:secret|password) ${TYPE})(?!encryption\\b)(\\S+)`),
  // `tacacs-server key 7 …`, `radius-server host x auth-port 1645 key …`.
  new RegExp(`^(\\s*(?:tacacs-server|radius-server)\\b.*?\\bkey ${TYPE})(\\S+)`),
  // `key 7 …` under `tacacs server`/`radius server` (a bare `key 1` under `key chain` is an id, kept).
  /^(\s*key [0-9] )(\S+)/,
  /^(\s*key config-key password-encrypt )(\S+)/,
  new RegExp(`^(.*?\\b(?:key-string|server-key) ${TYPE})(\\S+)`),
  new RegExp(`^(\\s*ip ospf authentication-key ${TYPE})(\\S+)`),
  new RegExp(`^(.*?\\bmessage-digest-key \\d+ md5 ${TYPE})(\\S+)`),
  /^(\s*ntp authentication-key \d+ md5 )(\S+)/,
  /^(\s*crypto isakmp key )(\S+)/,
  new RegExp(`^(.*?\\bpre-shared-key (?:address \\S+ (?:\\S+ )?)?key ${TYPE})(\\S+)`),
  new RegExp(`^(.*?\\bwpa-psk ascii ${TYPE})(\\S+)`),
];

/**
 * `snmp-server host <ip> [vrf <v>] [informs|traps] [version 1|2c|3 [auth|noauth|priv]] <community|user> …`:
 * for v1/v2c the word after the options is the community; for v3 it is a user name and stays.
 */
function maskSnmpHost(line: string): string {
  const words = [...line.matchAll(/\S+/g)].slice(3); // after `snmp-server host <ip>`
  const word = (k: number) => words[k]?.[0];
  let i = 0;
  if (word(i) === "vrf") i += 2;
  if (word(i) === "informs" || word(i) === "traps") i++;
  if (word(i) === "version") {
    if (word(i + 1) === "3") return line;
    i += 2;
  }
  const target = words[i];
  if (target === undefined || target[0] === SECRET) return line;
  return `${line.slice(0, target.index)}${SECRET}${line.slice(target.index + target[0].length)}`;
}

/**
 * The line with every secret replaced; `parentLine` lets a bare ` key <text>` under a `tacacs server` or
 * `radius server` block be masked too (IOS-XE new-style server definitions). Descriptions are free text and
 * are left alone.
 */
export function maskSecrets(line: string, parentLine?: string): string {
  if (/^\s*description /.test(line)) return line;
  if (/^\s*snmp-server host /.test(line)) return maskSnmpHost(line);
  let out = line;
  for (const re of RULES) out = out.replace(re, (_all, head: string) => `${head}${SECRET}`);
  if (parentLine !== undefined && /^(tacacs|radius) server\b/.test(parentLine))
    out = out.replace(/^(\s*key )(?![0-9] )(\S+)/, `$1${SECRET}`);
  return out;
}
