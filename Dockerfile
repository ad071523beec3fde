# Build stage: compile the release binary.
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev libicu-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib \
    && mkdir /out \
    && cp .build/release/plandir /out/ \
    && cp -R .build/release/*.resources /out/
COPY Data ./Data
# Build the sample index at image build time so the container starts serving at once.
RUN mkdir -p /out/Indexes && /out/plandir index Data/sample --output /out/Indexes/sample.sqlite

# Run stage: a slim image with the shared libraries the static-stdlib binary still links
# (checked with ldd: libsqlite3, libstdc++, zlib, libgcc, libc).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 libstdc++6 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app plandir
WORKDIR /app
# The binary, every module's resources (the search registry and the R4 rules `index` needs)
# and the sample index.
COPY --from=build /out /app
# The ZIP code points `plandir index` loads by default (Data/geo/zcta-2023.csv from /app).
COPY --from=build /src/Data/geo /app/Data/geo
USER plandir
EXPOSE 8080
ENTRYPOINT ["/app/plandir"]
CMD ["serve", "--index", "/app/Indexes/sample.sqlite", "--host", "0.0.0.0", "--port", "8080"]
