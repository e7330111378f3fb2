# One image for every Tollgate service; the command picks the service.
#   docker build -t tollgate .
#   docker run tollgate node dist/apps/edge/main.js

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/ libs/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# Smaller V8 young generation: lower peak RSS under load (README, "Operating it").
ENV NODE_OPTIONS=--max-semi-space-size=8
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/libs libs/
COPY --from=build /app/dist dist/
USER node
CMD ["node", "dist/apps/edge/main.js"]
