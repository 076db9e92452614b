# syntax=docker/dockerfile:1
# Gatehouse as a container fixture: built here, run as the unprivileged node user.
#
#   docker build -t gatehouse .
#   docker run -p 4000:4000 gatehouse                                  # built-in demo tenant
#   docker run -p 4000:4000 -v "$PWD/gatehouse.json:/config/gatehouse.json:ro" \
#     -e GATEHOUSE_CONFIG=/config/gatehouse.json gatehouse            # your tenant
#
# A config file is only read when GATEHOUSE_CONFIG (or --config) names it; /config is the place
# meant for it. Signing keys are generated into /keys on first start; mount a volume there to keep
# tokens verifiable across container restarts (a host directory must be writable by uid 1000).
# Set GATEHOUSE_ISSUER to the URL clients use (default http://localhost:$PORT/).
# GATEHOUSE_TLS=1 serves HTTPS with a development CA kept in /keys/tls/ (clients trust /keys/tls/ca.pem);
# GATEHOUSE_TLS_CERT and GATEHOUSE_TLS_KEY name your own certificate and key instead (mount them, e.g. under /config).
# State is in memory unless GATEHOUSE_STORE says otherwise: sqlite:/data/gatehouse.db with a volume on
# /data keeps it across restarts; postgres://… shares it between replicas (signing keys included).

FROM node:24-bookworm-slim AS build
# better-sqlite3 is a native module: built here when no prebuilt binary can be fetched
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` runs the build, and src is not here yet: install without scripts, build below
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    GATEHOUSE_KEYS_DIR=/keys
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY views ./views
# created here so that fresh volumes inherit the node user as owner
RUN mkdir -p /keys /config /data && chown node:node /keys /config /data
USER node
VOLUME ["/keys", "/config", "/data"]
EXPOSE 4000
# /healthz over https first, its certificate unchecked (the development CA is trusted by no one in
# here, and your own certificate need not name 127.0.0.1), then over http
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const o={host:'127.0.0.1',port:process.env.PORT||4000,path:'/healthz',rejectUnauthorized:false},done=r=>process.exit(r.statusCode===200?0:1);require('https').get(o,done).on('error',()=>require('http').get(o,done).on('error',()=>process.exit(1)))"]
# node handles SIGTERM itself (graceful close, exit 0), so `docker stop` is quick without an init
CMD ["node", "dist/cli.js"]
