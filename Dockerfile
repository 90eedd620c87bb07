# syntax=docker/dockerfile:1
# patchkast: build with tsc, run on a slim Node 20 as an unprivileged user.
#   docker build -t patchkast .
#   docker run --rm -p 69:69/udp -p 8080:8080 \
#     -v $PWD/site.yaml:/etc/patchkast/site.yaml:ro -v patchkast-state:/var/lib/patchkast \
#     --env-file site.env patchkast

FROM node:20-bookworm-slim AS build
# A C compiler for the TFTP server's native transfer engine (native/, Node-API: node's own headers, nothing
# downloaded). `npm ci` builds it in its prepare step (scripts/build-native.ts); build:native below builds it
# again and fails the image if it cannot, so an image never ships without it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY native ./native
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY agent ./agent
COPY drivers ./drivers
COPY lab ./lab
# tsc only: `npm run build` would compile the engine a second time before build:native does a third.
RUN npx tsc -p tsconfig.build.json && npm run build:native && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# tini reaps children (tcpdump) and forwards SIGTERM; libcap2-bin gives setcap so the unprivileged user may
# bind TFTP's port 69 and, for `serve --capture-interface` (call counting from a mirror port; run the
# container with --network host to see it), capture with tcpdump without running as root.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini libcap2-bin tcpdump \
 && setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")" \
 && setcap cap_net_raw,cap_net_admin=+ep "$(readlink -f "$(command -v tcpdump)")" \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /opt/patchkast
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/native/build ./native/build
COPY package.json ./
COPY configs ./configs
COPY templates ./templates
COPY schema ./schema
RUN mkdir -p /etc/patchkast /var/lib/patchkast && chown node:node /var/lib/patchkast
USER node
VOLUME ["/var/lib/patchkast"]
EXPOSE 69/udp 8080/tcp
# V8 flags: a young generation of 2 MiB semi-spaces and the memory-saving heuristics keep `serve` with a
# 500-phone site under 150 MB RSS (bench/agent: peak 117 MiB with them, 169 MiB without; the live heap is ~30 MB,
# the rest was reserved heap). bench/agent reads these flags from this line.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=2", "--optimize-for-size", "/opt/patchkast/dist/agent/main.js"]
CMD ["serve", "/etc/patchkast/site.yaml", "--state-dir", "/var/lib/patchkast"]
