import { dirname } from "node:path";
import { type Catalog, loadCatalog } from "../catalog/load.js";
import { EnvFileSecretResolver, PlaceholderSecretResolver, type SecretResolver } from "../site/secrets.js";

export interface CatalogOption {
  catalog?: string;
}

export function catalogFrom(opts: CatalogOption): Catalog {
  return loadCatalog(opts.catalog);
}

export function secretResolverFor(siteFile: string, placeholder: boolean): SecretResolver {
  return placeholder ? new PlaceholderSecretResolver() : new EnvFileSecretResolver(dirname(siteFile));
}

/** Output that goes to the terminal: one place, so tests can capture it. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
