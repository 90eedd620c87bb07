import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type DigestChallenge,
  digestAuthorization,
  parseChallenge,
  pickChallenge,
} from "../../../drivers/sip/digest.js";
import { SipMessageError } from "../../../drivers/sip/message.js";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** RFC 2617 §3.5: the WWW-Authenticate of the example, as a server would send it. */
const rfc2617Challenge =
  'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

describe("digestAuthorization", () => {
  it("reproduces the RFC 2617 §3.5 example (Mufasa / Circle Of Life)", () => {
    const challenge = parseChallenge(rfc2617Challenge) as DigestChallenge;
    const { response, header } = digestAuthorization({
      challenge,
      method: "GET",
      uri: "/dir/index.html",
      username: "Mufasa",
      password: "Circle Of Life",
      cnonce: "0a4f113b",
      nc: 1,
    });
    expect(response).toBe("6629fae49393a05397450978507c4ef1");
    expect(header).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'uri="/dir/index.html", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001, cnonce="0a4f113b"',
    );
    expect(header).not.toContain("Circle Of Life");
  });

  const base: DigestChallenge = {
    realm: "r",
    nonce: "n",
    opaque: undefined,
    algorithm: "MD5",
    qop: [],
    stale: false,
  };
  const input = {
    method: "REGISTER",
    uri: "sip:example.net",
    username: "u",
    password: "p",
    cnonce: "c",
    nc: 2,
  };

  it("without qop uses the RFC 2069 form and sends no nc/cnonce", () => {
    const { response, header } = digestAuthorization({ ...input, challenge: base });
    const ha1 = md5("u:r:p");
    expect(response).toBe(md5(`${ha1}:n:${md5("REGISTER:sip:example.net")}`));
    expect(header).not.toMatch(/qop|nc=|cnonce/);
  });

  it("MD5-sess folds nonce and cnonce into HA1; nc is 8 hex digits", () => {
    const { response, header } = digestAuthorization({
      ...input,
      nc: 26,
      challenge: { ...base, algorithm: "MD5-SESS", qop: ["auth"] },
    });
    const ha1 = md5(`${md5("u:r:p")}:n:c`);
    expect(response).toBe(md5(`${ha1}:n:0000001a:c:auth:${md5("REGISTER:sip:example.net")}`));
    expect(header).toContain("algorithm=MD5-sess");
  });

  it("auth-int hashes the body when only auth-int is offered", () => {
    const { response } = digestAuthorization({
      ...input,
      body: "",
      challenge: { ...base, qop: ["auth-int"] },
    });
    const ha2 = md5(`REGISTER:sip:example.net:${md5("")}`);
    expect(response).toBe(md5(`${md5("u:r:p")}:n:00000002:c:auth-int:${ha2}`));
  });

  it("escapes quotes in quoted values and refuses control characters", () => {
    const { header } = digestAuthorization({ ...input, username: 'a"b', challenge: base });
    expect(header).toContain('username="a\\"b"');
    expect(() => digestAuthorization({ ...input, username: "a\r\nb", challenge: base })).toThrow(
      expect.objectContaining({ code: "PK_ERR_SIP_REQUEST" }),
    );
  });

  it("refuses algorithms and qops it cannot compute", () => {
    expect(() => digestAuthorization({ ...input, challenge: { ...base, algorithm: "SHA-256" } })).toThrow(
      SipMessageError,
    );
    expect(() => digestAuthorization({ ...input, challenge: { ...base, qop: ["auth-conf"] } })).toThrow(
      SipMessageError,
    );
  });
});

describe("parseChallenge / pickChallenge", () => {
  it("reads quoted and token values, stale, and defaults the algorithm to MD5", () => {
    const c = parseChallenge('Digest realm="a, b", nonce=abc123, stale=TRUE, qop="auth"');
    expect(c).toEqual({
      realm: "a, b",
      nonce: "abc123",
      opaque: undefined,
      algorithm: "MD5",
      qop: ["auth"],
      stale: true,
    });
  });

  it("ignores other schemes and picks MD5 after an SHA-256 challenge (RFC 8760)", () => {
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
    const picked = pickChallenge([
      'Digest realm="r", nonce="1", algorithm=SHA-256, qop="auth"',
      'Digest realm="r", nonce="2", algorithm=MD5, qop="auth"',
    ]);
    expect(picked?.nonce).toBe("2");
    expect(pickChallenge(['Digest realm="r", nonce="1", algorithm=SHA-256'])).toBeUndefined();
  });

  it.each([
    ["no nonce", 'Digest realm="r"'],
    ["no realm", 'Digest nonce="n"'],
    ["an unterminated quote", 'Digest realm="r, nonce="n'],
    ["a parameter without =", 'Digest realm="r", nonce="n", stale'],
  ])("refuses a challenge with %s", (_name, value) => {
    expect(() => parseChallenge(value)).toThrow(SipMessageError);
  });
});
