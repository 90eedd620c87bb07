/**
 * REGISTER with digest and OPTIONS against kamailio (Debian package kamailio) as a registrar on
 * 127.0.0.1, UDP and TCP: test/fixtures/kamailio/kamailio.cfg checks the password with
 * pv_www_authenticate (auth module, no database) and keeps bindings in memory (usrloc db_mode 0).
 * A 200 after the challenge proves our digest response matches kamailio's computation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { options, register } from "../../drivers/sip/client.js";
import { onPath, type Peer, startKamailio } from "./sip-peers.js";

const hasKamailio = onPath("kamailio");
if (!hasKamailio)
  console.warn(
    "kamailio peer tests skipped: kamailio is not installed (apt-get install kamailio; see .ci/run)",
  );
const skipNote = hasKamailio ? "" : " (SKIPPED: kamailio not installed; apt-get install kamailio)";
const password = "wonderland-7";
const opts = { timeoutMs: 5000 };

describe.skipIf(!hasKamailio)(`kamailio registrar${skipNote}`, () => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startKamailio();
  });
  afterAll(async () => {
    await peer?.stop();
  });

  for (const transport of ["udp", "tcp"] as const) {
    const target = () => ({ host: "127.0.0.1", port: peer.port, transport });

    describe(transport, () => {
      it("answers OPTIONS with 200 and reports where it saw us (rport/received)", async () => {
        const result = await options(target(), opts);
        expect(result, peer.output()).toMatchObject({ status: 200, reachable: true, retransmissions: 0 });
        expect(result.rttMs).toBeGreaterThan(0);
        expect(result.seenAs?.address).toBe("127.0.0.1");
        expect(result.seenAs?.port).toBeGreaterThan(0);
      });

      it("registers alice after a qop=auth challenge and reports the granted expiry", async () => {
        const result = await register(target(), { username: "alice", password, expires: 3600 }, opts);
        expect(result, peer.output()).toMatchObject({ status: 200, registered: true, reachable: true });
        // The config caps bindings at 600 s: the value comes from the registrar, not our request.
        expect(result.expires).toBe(600);
        expect(result.challenge).toEqual({
          status: 401,
          realm: "127.0.0.1",
          algorithm: "MD5",
          qop: ["auth"],
        });
      });

      it("keeps a shorter requested expiry and accepts a Secret-like password and a domain", async () => {
        const secret = { reveal: () => password, toString: () => "<secret>", toJSON: () => "<secret>" };
        const account = { username: "alice", password: secret, expires: 120, domain: "patchkast.test" };
        const result = await register(target(), account, opts);
        expect(result, peer.output()).toMatchObject({ status: 200, registered: true, expires: 120 });
        expect(result.challenge?.realm).toBe("patchkast.test");
      });

      it("registers bob after a challenge without qop (RFC 2069 style)", async () => {
        const result = await register(target(), { username: "bob", password, expires: 300 }, opts);
        expect(result, peer.output()).toMatchObject({ status: 200, registered: true, expires: 300 });
        expect(result.challenge?.qop).toEqual([]);
      });

      it("a wrong password is not registered (403), and the password appears nowhere", async () => {
        const wrong = "not-the-password-42";
        const result = await register(target(), { username: "alice", password: wrong }, opts);
        expect(result, peer.output()).toMatchObject({ status: 403, registered: false });
        expect(result.expires).toBeUndefined();
        expect(JSON.stringify(result)).not.toContain(wrong);
      });

      it("uses authId as the digest user name", async () => {
        // kamailio.cfg refuses when the digest user ($au) differs from the To user ($tU).
        const result = await register(target(), { username: "alice", authId: "bob", password }, opts);
        expect(result).toMatchObject({ status: 403, reason: "Auth User Mismatch", registered: false });
      });

      it("an unknown user gets 404 without a challenge", async () => {
        const result = await register(target(), { username: "carol", password }, opts);
        expect(result).toMatchObject({ status: 404, registered: false });
        expect(result.challenge).toBeUndefined();
      });
    });
  }
});
