# docq image for the workers and the API (review page, dashboard, metrics):
# `docker compose up --scale worker=4` (see docker-compose.yml, docs/scaling.md).

# Build stage: full Debian image, so native modules without a prebuilt binary can compile.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

# Runtime stage: slim Node 20 plus what the workers call at run time (test/compose.test.ts checks
# the list against the code): Debian's traineddata files (tesseract.js reads the cells; the
# Simplified-Chinese and English tessdata_fast 4.1.0 files read table digits far better than the
# npm data package; core/ocr reads them from /usr/share/tesseract-ocr/5/tessdata), the tesseract CLI
# (the page prose pass, natively: core/ocr/native-page.ts) and poppler-utils
# (pdftotext: the scan probe that fans a long scan out over every worker; pdftoppm: born-digital
# pages for the review page, api/poppler-render.ts).
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng poppler-utils \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The review page and the dashboard the API serves.
COPY --from=build /app/web ./web
RUN mkdir -p /app/.docq/blobs && chown -R node:node /app/.docq
USER node
# The worker traps SIGTERM and finishes or hands back its job (compose gives it 60 s).
STOPSIGNAL SIGTERM
CMD ["node", "bin/docq.js", "worker"]
