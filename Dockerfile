# seedtest-pipelines: container image.
#
#   docker build -t seedtest-pipelines .
#   docker run --rm -p 8080:8080 \
#     -e DATABASE_URL=postgresql://user:pass@db:5432/seedtest \
#     -e PIPELINES_ADMIN_TOKEN=... -e PIPELINES_READ_TOKEN=... seedtest-pipelines
#
# The image always needs an external PostgreSQL (DATABASE_URL): without it the service would try to start its
# embedded cluster, and the PostgreSQL server packages are deliberately not in the image. With the default bind of
# 0.0.0.0 it also needs PIPELINES_ADMIN_TOKEN (and PIPELINES_READ_TOKEN): it refuses to listen beyond loopback
# without them. Kubernetes manifests are in deploy/.

# Must be an official Swift >= 6.0 image (Package.swift uses swift-tools-version 6.0) on Debian bookworm, so that the
# libraries linked here match the runtime stage below. Pin a digest in CI for reproducible builds.
ARG SWIFT_IMAGE=swift:6.2-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ================================
# Build
# ================================
FROM ${SWIFT_IMAGE} AS build

# Headers and pkg-config files for the system-library targets CLibPQ, CCurl and CZlib.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libpq-dev libcurl4-openssl-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, in their own layer, so that source edits do not re-fetch them. Package.resolved is git-ignored:
# a clean checkout resolves the newest versions Package.swift allows (from GitHub, so the build needs network access);
# a local build context that has a Package.resolved uses exactly its pins.
COPY Package.* ./
RUN swift package resolve $([ -f Package.resolved ] && echo --force-resolved-versions)

# Tests/ is copied although the release build does not compile it: Package.swift declares the test targets (and
# TestSupport under Tests/), and SwiftPM refuses to load a package whose target directories are missing.
# openapi.yaml at the repository root is only a symlink to Sources/Service/Resources/openapi.yaml, so Sources/ brings
# it along.
COPY Sources ./Sources
COPY Tests ./Tests

# A statically linked Swift runtime (and Foundation): the runtime image needs only the C libraries below.
RUN swift build -c release --static-swift-stdlib --product seedtest-pipelines

# Stage what the runtime image needs: the binary, the SwiftPM resource bundle next to it (the binary looks for
# seedtest-pipelines_Service.resources beside itself, it holds openapi.yaml), and Swift's static crash backtracer.
WORKDIR /staging
RUN bin="$(swift build --package-path /build -c release --show-bin-path)" \
    && cp "$bin/seedtest-pipelines" ./ \
    && cp -R "$bin/seedtest-pipelines_Service.resources" ./ \
    && cp /usr/libexec/swift/linux/swift-backtrace-static ./ \
    && chmod -R a-w,a+rX .

# ================================
# Runtime
# ================================
FROM ${RUNTIME_IMAGE}

# libpq5, libcurl4 and zlib1g are what the binary links against; ca-certificates lets libcurl (webhook, S3) and libpq
# (sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt) verify TLS peers; curl is only for the
# HEALTHCHECK below (it adds little on top of libcurl4).
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libpq5 libcurl4 zlib1g ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 seedtest \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin seedtest

# Owned by root and read-only: the service user cannot modify its own binary.
COPY --from=build /staging/ /app/

# Fail the build, not the first start, if a shared library or the resource bundle is missing, or the binary does not
# run here.
RUN ! ldd /app/seedtest-pipelines | grep 'not found' \
    && test -f /app/seedtest-pipelines_Service.resources/openapi.yaml \
    && /app/seedtest-pipelines --help > /dev/null

WORKDIR /app

ENV SEEDTEST_BIND=0.0.0.0 \
    PORT=8080 \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

EXPOSE 8080

# For plain Docker/Compose; Kubernetes ignores HEALTHCHECK and uses the probes in deploy/deployment.yaml.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT:-8080}/healthz" || exit 1

# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001

# SIGTERM: stop accepting, finish in-flight requests within SHUTDOWN_GRACE_SECONDS (default 30), exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/seedtest-pipelines"]
CMD ["serve"]
