# blynkd on Debian 12: a build stage with the compiler and -dev packages, and a runtime stage on
# bookworm-slim with only the shared libraries the binary links. See docs/deployment.md.
#   docker build -t blynkd .
#   docker run -d -p 8080:8080 -p 9443:9443 -v blynkd:/data blynkd
FROM debian:bookworm AS build
WORKDIR /src
# The package list lives in one place (scripts/install-deps.sh); this layer is cached until it changes.
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh build
COPY . .
# No -Werror here: a user's build must not fail on a new compiler's warning.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBLYNKD_TESTS=OFF \
    && cmake --build build -j "$(nproc)" --target blynkd \
    && strip build/blynkd

FROM debian:bookworm-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libssl3 libsqlite3-0 libpq5 libspdlog1.10 libfmt9 zlib1g libcurl4 ca-certificates tzdata \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 999 blynkd \
    && useradd --system --uid 999 --gid blynkd --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin blynkd \
    && mkdir -p /data && chown blynkd:blynkd /data
COPY --from=build /src/build/blynkd /usr/local/bin/blynkd
COPY docker/entrypoint.sh /usr/local/bin/blynkd-entrypoint
COPY docker/healthcheck.sh /usr/local/bin/blynkd-healthcheck
COPY docker/server.properties /etc/blynkd/server.properties
USER blynkd
VOLUME /data
# 8080: hardware TCP, HTTP, WebSockets; 9443: the same over TLS, the app and the web console.
EXPOSE 8080 9443
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["/usr/local/bin/blynkd-healthcheck"]
ENTRYPOINT ["/usr/local/bin/blynkd-entrypoint"]
