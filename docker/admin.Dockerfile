# syntax=docker/dockerfile:1
#
# Tessera admin image. Build from the repository root (the build context must hold every module):
#   docker build -f docker/admin.Dockerfile -t tessera-admin .
# docker/compose.yml does this for you.

# ---- stage 1: build the Boot jar inside the image, so the host needs no JDK or Maven ----------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# -Pproduction packages the admin with Vaadin's prebuilt frontend bundle; a jar built without it
# fails on the first UI request. (Maven only warns if the profile does not exist yet.)
# The cache mount keeps ~/.m2 between builds, so a rebuild does not download the world again.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Pproduction package -pl scheduler-admin -am

# ---- stage 2: a JRE, the jar, nothing else ----------------------------------------------------
FROM eclipse-temurin:17-jre

# Recent Temurin images ship neither curl nor wget; the health check needs an HTTP client that
# reads the status code, so install curl explicitly rather than hoping the base image has one.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid so that files in volumes keep a predictable owner across image rebuilds.
RUN groupadd --system --gid 10001 tessera \
    && useradd --system --uid 10001 --gid tessera --home-dir /opt/tessera --shell /usr/sbin/nologin tessera \
    && mkdir -p /opt/tessera /var/lib/tessera \
    && chown tessera:tessera /opt/tessera /var/lib/tessera

WORKDIR /opt/tessera
COPY --from=build --chown=tessera:tessera /src/scheduler-admin/target/scheduler-admin.jar scheduler-admin.jar

# The admin's own state (H2 file database in the zero-setup default, anything else it keeps on
# disk). Declared after the chown so that a fresh named volume starts out owned by tessera.
ENV TESSERA_DATA_DIR=/var/lib/tessera
VOLUME ["/var/lib/tessera"]

USER tessera
EXPOSE 8080

# /actuator/health answers 503 when the admin is DOWN (database or ZooKeeper unreachable), so
# curl --fail turns that into an unhealthy container. Start-up (Spring + Vaadin) takes a while.
# Shell form, so that it follows SERVER_PORT when that moves the admin off 8080.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
    CMD curl --fail --silent --show-error --output /dev/null "http://localhost:${SERVER_PORT:-8080}/actuator/health" || exit 1

# Extra JVM options: set JAVA_TOOL_OPTIONS (the JVM reads it itself; exec form expands nothing).
# Extra Spring options: append them as arguments (compose `command:`) or use environment variables.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "scheduler-admin.jar", "--tessera.data-dir=/var/lib/tessera"]
