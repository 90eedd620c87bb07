import { isIPv4 } from "node:net";
import { z } from "zod";
import { secretRefPattern } from "./secrets.js";

/**
 * The site file: one customer site, described once by an engineer. Structure only; rules that need
 * the catalog or compare fields with each other live in semantics.ts, so that every mistake in a file
 * is reported in one run.
 */

const text = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .min(1, { error: `${what} must not be empty` })
    // Control characters have no place in any field and are how a value breaks out of a config line.
    .regex(/^[^\u0000-\u0008\u000a-\u001f\u007f]*$/, {
      error: `${what} must not contain line breaks or control characters`,
    });

const ipv4 = (what: string) =>
  z.string({ error: `${what} must be an IPv4 address` }).refine((v) => isIPv4(v), {
    error: (iss) => `${what} "${String(iss.input)}" is not an IPv4 address`,
  });

const cidr = z.string({ error: "subnet must be written as address/prefix, e.g. 10.20.0.0/24" }).refine(
  (v) => {
    const [addr, len, extra] = v.split("/");
    return (
      extra === undefined &&
      addr !== undefined &&
      isIPv4(addr) &&
      /^(?:[0-9]|[12][0-9]|3[0-2])$/.test(len ?? "")
    );
  },
  { error: (iss) => `subnet "${String(iss.input)}" is not address/prefix, e.g. 10.20.0.0/24` },
);

export const secretRef = (what: string) =>
  z.string({ error: `${what} must be a secret reference (env:NAME or file:path)` }).regex(secretRefPattern, {
    error: `${what} must be a reference (env:NAME or file:path), never the secret itself`,
  });

const hostname = z.string({ error: "name must be text" }).regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, {
  error: "device name must start with a letter and use only letters, digits and '-' (IOS hostname rules)",
});

const interfaceName = z
  .string({ error: "interface must be an IOS interface name" })
  .regex(/^[A-Za-z][A-Za-z-]*[0-9]+(\/[0-9]+)*(\.[0-9]+)?$/, {
    error: (iss) => `"${String(iss.input)}" is not an interface name like GigabitEthernet1/0/1`,
  });

/** A run of ports on one module, e.g. GigabitEthernet1/0/1-24, or a single port. */
const portRange = z
  .string({ error: "phone port range must be text" })
  .regex(/^[A-Za-z][A-Za-z-]*([0-9]+\/)*[0-9]+(-[0-9]+)?$/, {
    error: (iss) => `"${String(iss.input)}" is not a port or port range like GigabitEthernet1/0/1-24`,
  });

const credentials = z
  .object({
    username: text("username"),
    password: secretRef("password"),
    enable_secret: secretRef("enable secret").optional(),
  })
  .strict();

const vlan = z
  .object({
    id: z
      .int({ error: "VLAN id must be a whole number" })
      .min(2, { error: "VLAN id must be 2..4094 (1 is the default VLAN)" })
      .max(4094, { error: "VLAN id must be 2..4094" }),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "VLAN name: 1-32 letters, digits, '_' or '-'" })
      .optional(),
    subnet: cidr,
    gateway: ipv4("gateway"),
  })
  .strict();

export const transportSchema = z.enum(["udp", "tcp", "tls"], { error: "transport must be udp, tcp or tls" });

const e164 = z.string({ error: "number must be text" }).regex(/^\+[1-9][0-9]{6,14}$/, {
  error: (iss) => `"${String(iss.input)}" is not an E.164 number like +31201234567`,
});

const macAddress = z
  .string({ error: "MAC address must be text" })
  .regex(/^([0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$/, {
    error: (iss) => `"${String(iss.input)}" is not a MAC address like 00:15:65:12:34:56`,
  });

const wan = z
  .object({
    interface: interfaceName,
    mode: z.enum(["pppoe", "static"], { error: "wan mode must be pppoe or static" }),
    pppoe: z
      .object({ username: text("PPPoE username"), password: secretRef("PPPoE password") })
      .strict()
      .optional(),
    static: z
      .object({
        address: ipv4("WAN address"),
        prefix_length: z.int().min(8).max(32),
        gateway: ipv4("WAN gateway"),
      })
      .strict()
      .optional(),
    shaping_rate_kbps: z
      .int({ error: "shaping rate must be a whole number of kbit/s" })
      .min(64)
      .max(10_000_000),
  })
  .strict();

export const portForwardSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "port forward name: 1-32 letters, digits, '_' or '-'" }),
    protocol: z.enum(["tcp", "udp"], { error: "protocol must be tcp or udp" }),
    port: z
      .int({ error: "port must be a whole number" })
      .min(1)
      .max(65535, { error: "port must be 1..65535" }),
    inside_host: ipv4("inside host"),
    inside_port: z.int().min(1).max(65535).optional(),
  })
  .strict();

const router = z
  .object({
    name: hostname,
    model: text("router model"),
    platform: z.enum(["ios", "ios-xe"], { error: "router platform must be ios or ios-xe" }),
    management_address: ipv4("management address"),
    lan_interface: interfaceName,
    credentials,
    /** Old IOS offers only SHA-1 key exchange and CBC ciphers; allow them for this device only. */
    legacy_ssh: z.boolean().default(false),
    /** Only for labs and port-forwarded devices; real devices listen on 22 and 161. */
    ssh_port: z.int().min(1).max(65535).default(22),
    snmp_port: z.int().min(1).max(65535).default(161),
    /** GETBULK max-repetitions; lower it for a device that misbehaves with large values (snmp_exporter #756). */
    snmp_max_repetitions: z.int().min(1).max(100).default(20),
  })
  .strict();

const switchSchema = z
  .object({
    name: hostname,
    model: text("switch model"),
    platform: z.enum(["catalyst-classic", "catalyst-9000"], {
      error: "switch platform must be catalyst-classic (mls qos) or catalyst-9000",
    }),
    management_address: ipv4("management address"),
    uplink: interfaceName,
    phone_ports: z.array(portRange).min(1, { error: "a switch needs at least one phone port range" }),
    credentials,
    legacy_ssh: z.boolean().default(false),
    /** Only for labs and port-forwarded devices; real devices listen on 22 and 161. */
    ssh_port: z.int().min(1).max(65535).default(22),
    snmp_port: z.int().min(1).max(65535).default(161),
    /** GETBULK max-repetitions; lower it for a device that misbehaves with large values (snmp_exporter #756). */
    snmp_max_repetitions: z.int().min(1).max(100).default(20),
  })
  .strict();

const phone = z
  .object({
    mac: macAddress,
    model: text("phone model"),
    user: text("user name").max(64, { error: "user name must be at most 64 characters" }),
    extension: z
      .string({ error: 'extension must be text, e.g. "201"' })
      .regex(/^[0-9]{2,6}$/, { error: "extension must be 2-6 digits" }),
    number: e164.optional(),
    sip: z
      .object({
        username: text("SIP username"),
        auth_id: text("SIP auth id").optional(),
        password: secretRef("SIP password"),
      })
      .strict(),
    port: z.object({ switch: hostname, interface: interfaceName }).strict().optional(),
  })
  .strict();

/**
 * How the provisioning server guards credentials (reference/provisioning.md §3.6). Every field has a safe
 * default, so most site files leave the section out.
 */
const provisioning = z
  .object({
    /** Subnets allowed to fetch files with credentials; default: the voice VLAN only. */
    allowed_subnets: z.array(cidr).min(1).optional(),
    /** Requests for unknown MAC-named files from one address before it is blocked... */
    miss_threshold: z.int().min(1).max(10_000).default(10),
    /** ...within this many seconds... */
    miss_window_seconds: z.int().min(1).max(86_400).default(300),
    /** ...for this long. */
    block_seconds: z.int().min(1).max(604_800).default(900),
    /** Polycom phones upload logs and local changes (<mac>-app.log, <mac>-phone.cfg): keep them, or refuse. */
    polycom_uploads: z
      .enum(["accept", "refuse"], { error: "polycom_uploads must be accept or refuse" })
      .default("refuse"),
    /** Bytes one phone may keep in its upload area. */
    upload_limit_bytes: z
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(4 * 1024 * 1024),
    /**
     * Phones that can (Yealink/Tiptel, Polycom, Aastra) report call start and end to the agent, which counts
     * them as call source phone_events (reference/call-events.md). Off: no event URLs in the phone files.
     */
    call_events: z.boolean({ error: "call_events must be true or false" }).default(true),
  })
  .strict();

export const siteSchema = z
  .object({
    schema_version: z.literal(1, { error: "schema_version must be 1" }),
    customer: text("customer"),
    site_id: z.string({ error: "site_id must be text" }).regex(/^[a-z0-9][a-z0-9-]{1,62}$/, {
      error: "site_id: lower-case letters, digits and '-', 2-63 characters",
    }),
    time_zone: text("time zone"),
    provider: z
      .object({
        sip_proxy: z
          .object({
            host: z
              .string()
              .regex(/^[A-Za-z0-9.-]{1,253}$/, { error: "SIP proxy host must be a host name or address" }),
            port: z.int().min(1).max(65535).default(5060),
            transport: transportSchema.default("udp"),
          })
          .strict(),
        dns_servers: z.array(ipv4("DNS server")).min(1).max(4),
        ntp_servers: z
          .array(
            z
              .string()
              .regex(/^[A-Za-z0-9.-]{1,253}$/, { error: "NTP server must be a host name or address" }),
          )
          .min(1)
          .max(4),
      })
      .strict(),
    access_line: text("access line"),
    sla_tier: z.enum(["premium", "standard", "entry"], {
      error: "sla_tier must be premium, standard or entry",
    }),
    agent: z
      .object({
        address: ipv4("agent address"),
        http_port: z.int().min(1).max(65535).default(8080),
      })
      .strict(),
    vlans: z.object({ data: vlan, voice: vlan, management: vlan }).strict(),
    wan,
    port_forwards: z.array(portForwardSchema).default([]),
    router,
    switches: z.array(switchSchema).min(1, { error: "a site needs at least one switch" }),
    snmp: z
      .object({
        user: text("SNMP user"),
        auth_key: secretRef("SNMP auth key"),
        priv_key: secretRef("SNMP priv key"),
      })
      .strict(),
    phone_admin_password: secretRef("phone admin password"),
    numbering: z
      .object({
        main_number: e164,
        extension_length: z.int().min(2).max(6),
        did_ranges: z.array(z.object({ first: e164, last: e164 }).strict()).default([]),
        outbound_caller_id: e164,
      })
      .strict(),
    phones: z.array(phone).default([]),
    provisioning: provisioning.default({
      miss_threshold: 10,
      miss_window_seconds: 300,
      block_seconds: 900,
      polycom_uploads: "refuse",
      upload_limit_bytes: 4 * 1024 * 1024,
      call_events: true,
    }),
  })
  .strict();

export type Site = z.output<typeof siteSchema>;
export type SitePhone = Site["phones"][number];
export type SiteSwitch = Site["switches"][number];
export type SiteVlan = Site["vlans"]["data"];
export type PortForward = Site["port_forwards"][number];
