# syntax=docker/dockerfile:1
# Multi-stage: cargo-chef caches the dependency build in its own layer, so a code change
# rebuilds only the crate. The runtime image is Debian slim with CA certificates, runs as
# a non-root user and keeps its data in a volume.

FROM rust:1-bookworm AS chef
RUN cargo install cargo-chef --locked
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin paradarum-bot

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin paradarum \
    && mkdir -p /app/data \
    && chown paradarum /app/data
WORKDIR /app
COPY --from=builder /app/target/release/paradarum-bot /usr/local/bin/paradarum-bot
COPY config/ /app/config/
# Listen on all interfaces inside the container; the sandbox and the metrics
# (METRICS_LISTEN, 127.0.0.1:8479 by default) stay container-local. To scrape metrics
# from outside, run with METRICS_LISTEN=0.0.0.0:8479 and publish 8479 privately only.
ENV HTTP_LISTEN=0.0.0.0:8080 \
    SANDBOX_LISTEN=127.0.0.1:8787 \
    DATABASE_URL=sqlite:///app/data/paradarum-bot.db \
    PARADARUM_BOT__STORAGE__DATA_DIR=/app/data \
    PARADARUM_BOT__LOG__FORMAT=json
VOLUME ["/app/data"]
EXPOSE 8080
USER paradarum
# No curl in the image: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["paradarum-bot", "healthcheck"]
ENTRYPOINT ["paradarum-bot"]
CMD ["run"]
