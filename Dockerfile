# One image for every Tollgate service; the command picks the service.
#   docker build -t tollgate .
#   docker run tollgate node dist/apps/edge/main.js
# (No Docker engine runs where the tests run: the build itself is not tested
# there, only docker-compose.yml, by test/deploy/docker-compose.spec.ts.)

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/ libs/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
# Smaller V8 young generation: lower peak RSS under load (README, "Operating it").
ENV NODE_OPTIONS=--max-semi-space-size=8
# Probes and scrapers reach the ops port from outside the container; one port
# for every service, since each container runs one.
ENV OPS_HOST=0.0.0.0 OPS_PORT=9400
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/libs libs/
COPY --from=build /app/dist dist/
# DATA_DIR, owned by the user the services run as: a named volume mounted here
# starts as a copy of it, ownership included, so auth can write the root key.
RUN mkdir -p /app/.data && chown node:node /app/.data
ENV DATA_DIR=/app/.data
USER node
EXPOSE 8080 9400
CMD ["node", "dist/apps/edge/main.js"]
