/**
 * Where an ntc-templates oracle is wrong or partial for a field case, with the reason found by reading the
 * raw text and the template. Checked both ways by cli.test.ts: the oracle must still say `oracle`, and
 * patchkast must say `raw`, which is what the raw device text says.
 */
/** Keyed `<file>#<record index>.<field>`. */
export const errata: Record<string, { oracle: string; raw: unknown; reason: string }> = {
  ...Object.fromEntries(
    (
      [
        ["power_pair", "Signal"],
        ["power_class", "4"],
        ["power_device_type", "Type 2 PD"],
        ["power_priority", "unknown"],
        ["power_requested", 19000],
        ["power_source", "PSE"],
      ] as const
    ).map(([field, raw]) => [
      `cisco_ios_show_lldp_neighbors_detail1.raw#2.${field}`,
      {
        oracle: "",
        raw,
        reason:
          "the ntc template reads only the `Power via MDI:` block; this Aruba AP sends the 802.3at form " +
          "`PoE+ Power-via-MDI TLV:` (one-space indented, `Power Class: Class 4`, `Power Requested: 19000 mW`), " +
          "which the oracle leaves empty",
      },
    ]),
  ),
  "show_ip_nat_translations.raw#3.outside_local_port": {
    oracle: "513",
    raw: "512",
    reason:
      "cisco_ios_show_ip_nat_translations.textfsm captures OUTSIDE_GLOBAL_PORT after the outside-local " +
      "address and OUTSIDE_LOCAL_PORT after the outside-global one, so the oracle swaps the two outside ports; " +
      "only the icmp row (`10.2.0.2:512  10.2.0.2:513`) has different ones",
  },
  "show_ip_nat_translations.raw#3.outside_global_port": {
    oracle: "512",
    raw: "513",
    reason: "the same swap as outside_local_port of this row",
  },
};
