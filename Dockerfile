# One image for every OwnerBot service; compose picks the command. worker-asr runs ffmpeg under
# setpriv and prlimit, which util-linux (part of the base image) provides.
FROM node:24-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg chromium fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium MALLOC_ARENA_MAX=2
WORKDIR /app
# Sources are small; copying them before `npm ci` keeps every workspace's package.json in place.
COPY . .
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts
USER node
CMD ["node", "--optimize-for-size", "--max-semi-space-size=4", "services/worker-intent/src/main.ts"]
