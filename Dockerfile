# OwnerBot's production image: one image for every service, compose picks the command (compose.yaml
# builds the `prod` target). It holds the workspaces' sources without their tests and test kits
# (.dockerignore drops them, and the prod stage copies only what the services, the migrator and the
# healthcheck run) and the production dependencies only (npm ci --omit=dev). `make demo` runs on the
# host with the test kit's fake Telegram, so there is no demo image. make check holds this file to
# that (scripts/compose-check.ts).

# The system packages: ffmpeg for worker-asr (run under setpriv and prlimit, which util-linux in the
# base image provides), Chromium and a font for worker-report's charts and PDFs.
FROM node:24-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg chromium fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium MALLOC_ARENA_MAX=2
WORKDIR /app

# Production dependencies from the package files alone, so a change of sources reuses this layer.
# Every workspace's package.json must be here for npm ci to see the workspace.
FROM base AS deps
COPY package.json package-lock.json ./
COPY shared/core/package.json shared/core/
COPY shared/domain/package.json shared/domain/
COPY shared/reports/package.json shared/reports/
COPY shared/testkit/package.json shared/testkit/
COPY services/all/package.json services/all/
COPY services/ingress/package.json services/ingress/
COPY services/ops/package.json services/ops/
COPY services/scheduler/package.json services/scheduler/
COPY services/sender/package.json services/sender/
COPY services/worker-action/package.json services/worker-action/
COPY services/worker-asr/package.json services/worker-asr/
COPY services/worker-intent/package.json services/worker-intent/
COPY services/worker-report/package.json services/worker-report/
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM base AS prod
COPY --from=deps /app/node_modules node_modules
COPY package.json package-lock.json ./
COPY shared shared
COPY services services
COPY db/migrations db/migrations
COPY scripts/healthcheck.ts scripts/healthcheck.ts
USER node
CMD ["node", "--optimize-for-size", "--max-semi-space-size=4", "services/all/src/main.ts"]
