import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { IncomingPhoneEvent } from "../../calls/phone-event-source.js";
import { remoteAddressOf } from "./phone-files.js";

/**
 * Call events the phones push (reference/call-events.md): Yealink/Tiptel and Aastra GET
 * `/events/<token>/<event>?…`, Polycom POSTs XML to `/events/<token>/polycom`. The token is the only
 * thing that names the device, so it never reaches a log, an error text or a response. Every request gets
 * an empty answer at once: Aastra shows a response body as an XML object (§3.3), and none of the phones
 * retries or reads it.
 */
export interface PhoneEventSink {
  receive(req: IncomingPhoneEvent): { status: number };
  refuse(result: "too-large" | "malformed"): { status: number };
}

/** A rendered URL is ≤ 511 characters (Yealink, §1.1); substituted SIP URIs add little. */
const maxUrlLength = 2048;
/** A Polycom event is a few hundred bytes of XML (§2.2). */
const maxBodyBytes = 16 * 1024;

export function registerPhoneEventsRoute(app: FastifyInstance, sink: PhoneEventSink): void {
  app.route({
    method: ["GET", "POST"],
    url: "/events/:token/:event",
    bodyLimit: maxBodyBytes,
    // Fastify's own refusals (body too large, a JSON body that does not parse) are counted like ours and
    // answered without the message, which could quote the request.
    errorHandler: (err, _req, reply) => {
      const status = (err as { statusCode?: number }).statusCode;
      const answer = sink.refuse(status === 413 ? "too-large" : "malformed");
      reply.code(answer.status).header("connection", "close").send();
    },
    handler: (req, reply) => handle(sink, req, reply),
  });
  // Anything else below /events/ (a token longer than a route parameter may be, extra segments, PUT) is
  // refused here, so it reaches neither the phone-file routes nor their audit log.
  app.route({
    method: ["GET", "POST", "PUT"],
    url: "/events/*",
    bodyLimit: maxBodyBytes,
    errorHandler: (err, _req, reply) => {
      const status = (err as { statusCode?: number }).statusCode;
      reply.code(sink.refuse(status === 413 ? "too-large" : "malformed").status).send();
    },
    handler: (_req, reply) => {
      reply.code(sink.refuse("malformed").status).send();
    },
  });
}

function handle(sink: PhoneEventSink, req: FastifyRequest, reply: FastifyReply): void {
  reply.header("cache-control", "no-store");
  if (req.url.length > maxUrlLength) {
    reply.code(sink.refuse("too-large").status).send();
    return;
  }
  const params = req.params as { token?: unknown; event?: unknown };
  const query = req.query;
  if (
    typeof params.token !== "string" ||
    typeof params.event !== "string" ||
    query === null ||
    typeof query !== "object"
  ) {
    reply.code(sink.refuse("malformed").status).send();
    return;
  }
  const body = Buffer.isBuffer(req.body)
    ? req.body
    : typeof req.body === "string"
      ? Buffer.from(req.body)
      : req.body === undefined || req.body === null
        ? undefined
        : null;
  if (body === null) {
    // A JSON object or anything else a phone never sends.
    reply.code(sink.refuse("malformed").status).send();
    return;
  }
  const answer = sink.receive({
    method: req.method,
    token: params.token,
    event: params.event,
    query: query as Record<string, unknown>,
    ...(body === undefined ? {} : { body }),
    source: remoteAddressOf(req.raw),
  });
  reply.code(answer.status).send();
}
