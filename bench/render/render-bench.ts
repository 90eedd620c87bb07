/**
 * bench/render: render 1,000 sites of 50 phones each (every family mixed, as in example-fibre), the
 * whole site each time: router, switch and every phone file. Prints wall time, files per second and peak
 * RSS. Goal (issue 2): under 30 s on the project's 2-core machine. Run: npm run bench:render
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadCatalog } from "../../agent/catalog/load.js";
import { sitesDir } from "../../agent/paths.js";
import { renderSite } from "../../agent/render/render-site.js";
import { loadSiteFile } from "../../agent/site/load.js";
import type { Site } from "../../agent/site/schema.js";
import { PlaceholderSecretResolver } from "../../agent/site/secrets.js";

const sites = Number(process.env.BENCH_SITES ?? 1000);
const phonesPerSite = 50;

const catalog = loadCatalog();
const base = loadSiteFile(join(sitesDir, "example-fibre.yaml"), catalog);

/** Site n: the example site's mix of models, 50 phones, unique MACs and extensions. */
function siteNumber(n: number): Site {
  const phones = Array.from({ length: phonesPerSite }, (_, i) => {
    const template = base.phones[i % base.phones.length] as Site["phones"][number];
    const mac = `${template.mac.slice(0, 8)}:${((n >> 8) & 255).toString(16).padStart(2, "0")}:${(n & 255).toString(16).padStart(2, "0")}:${i.toString(16).padStart(2, "0")}`;
    return { ...template, mac, extension: String(1000 + i), user: `User ${n}-${i}`, port: undefined };
  });
  return { ...base, site_id: `bench-site-${n}`, phones };
}

const secrets = new PlaceholderSecretResolver();
let files = 0;
let bytes = 0;
let peakRss = process.memoryUsage().rss;
const start = performance.now();
for (let n = 0; n < sites; n++) {
  for (const f of renderSite(siteNumber(n), catalog, secrets)) {
    files++;
    bytes += f.content.length;
  }
  if (n % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const seconds = (performance.now() - start) / 1000;
peakRss = Math.max(peakRss, process.memoryUsage().rss);

console.log(`sites            ${sites} x ${phonesPerSite} phones`);
console.log(`files rendered   ${files} (${(bytes / 1e6).toFixed(1)} MB)`);
console.log(`wall time        ${seconds.toFixed(2)} s  (goal: < 30 s for 1,000 sites)`);
console.log(`files/s          ${Math.round(files / seconds)}`);
console.log(`ms per site      ${((seconds * 1000) / sites).toFixed(2)}`);
console.log(`peak RSS         ${(peakRss / 1048576).toFixed(0)} MiB`);
