# syntax=docker/dockerfile:1
#
# Tessera standalone agent image. Build from the repository root:
#   docker build -f docker/agent.Dockerfile -t tessera-agent .
# Run it with agent options as arguments, e.g.
#   docker run -e TESSERA_CLUSTER_SECRET=... tessera-agent --zookeeper zk1:2181 --host THIS_HOST
# (`java -jar scheduler-agent.jar --help` lists every option.)

# ---- stage 1: build the shaded agent jar ------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package -pl scheduler-executor -am

# ---- stage 2: a JRE and the jar ---------------------------------------------------------------
FROM eclipse-temurin:17-jre

# curl for the health check (recent Temurin images ship no HTTP client).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 tessera \
    && useradd --system --uid 10001 --gid tessera --home-dir /opt/tessera --shell /usr/sbin/nologin tessera \
    && mkdir -p /opt/tessera /var/lib/tessera-agent \
    && chown tessera:tessera /opt/tessera /var/lib/tessera-agent

WORKDIR /opt/tessera
COPY --from=build --chown=tessera:tessera /src/scheduler-executor/target/scheduler-agent.jar scheduler-agent.jar

# Shard logs and the result spool: results survive an admin outage and an agent restart only if
# this directory outlives the container, hence a volume.
VOLUME ["/var/lib/tessera-agent"]

USER tessera
EXPOSE 9999

# The agent's endpoint only serves signed requests: an unsigned GET /v1/status gets 401, which
# still proves the HTTP endpoint is up. Healthy = any HTTP answer below 500; curl prints 000 when
# nothing listens. (Checks the default port 9999; if you pass --port, override the health check.)
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD code=$(curl --silent --output /dev/null --write-out '%{http_code}' http://localhost:9999/v1/status); \
        [ "$code" -ge 100 ] && [ "$code" -lt 500 ] || exit 1

# Arguments given to `docker run` / compose `command:` are appended; a later --data-dir wins.
# The secret should come from the TESSERA_CLUSTER_SECRET environment variable, not an argument
# (arguments show up in `ps` and `docker inspect`).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "scheduler-agent.jar", "--data-dir", "/var/lib/tessera-agent"]
