# Node 22 is an LTS line maintained until April 2027 (Node 20 reached its end of life in April 2026).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Migrations (applied at start), the shipped config file and runbooks. Mount your own over
# /app/incident-bot.yml and /app/runbooks (see docker-compose.yml).
COPY prisma ./prisma
COPY incident-bot.yml ./
COPY runbooks ./runbooks
COPY src/sandbox/page ./src/sandbox/page
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is the container's process (not npm, which would stop on SIGTERM and leave node running):
# it receives SIGTERM directly and shuts down cleanly.
# The heap limit npm start sets (see README, Memory); override it with -e NODE_OPTIONS=...
ENV NODE_OPTIONS="--max-old-space-size=192"
CMD ["node", "dist/src/main.js"]
