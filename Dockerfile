# Build and run blynkd on Debian 12. Data lives in the /data volume.
FROM debian:bookworm AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        g++ cmake make libboost1.81-dev libssl-dev libsqlite3-dev libspdlog-dev nlohmann-json3-dev \
        zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBLYNKD_TESTS=OFF \
    && cmake --build build -j "$(nproc)"

FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libssl3 libsqlite3-0 libspdlog1.10 libfmt9 zlib1g tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data blynkd && mkdir -p /data && chown blynkd /data
COPY --from=build /src/build/blynkd /usr/local/bin/blynkd
COPY docker/entrypoint.sh /usr/local/bin/blynkd-entrypoint
COPY docker/server.properties /etc/blynkd/server.properties
USER blynkd
VOLUME /data
EXPOSE 8080 9443
ENTRYPOINT ["/usr/local/bin/blynkd-entrypoint"]
