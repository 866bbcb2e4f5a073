# claude-backup in a container.
#
# The jar is NOT built here: build it on the host first, then build the image.
#
#   mvn -q package -DskipTests          # -> target/claude-backup.jar
#   docker build -t claude-backup .
#
# Run once as yourself, into a folder of yours, with the session key in a file
# only you can read (--user makes the bind-mounted key and folder readable and
# writable without loosening their modes):
#
#   mkdir -p backup
#   docker run --rm --user "$(id -u):$(id -g)" \
#     -v "$PWD/backup:/data" \
#     -v "$PWD/session-key:/run/secrets/session-key:ro" \
#     claude-backup --session-key-file /run/secrets/session-key /data
#
# Anything after the image name replaces CMD (["/data"]), so always end with the
# backup folder /data. The ENTRYPOINT already passes --routes /app/routes.
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="claude-backup" \
      org.opencontainers.image.description="A complete, private, local backup of your Claude.ai chats, built on Apache Camel." \
      org.opencontainers.image.licenses="CC0-1.0"

# A fixed, non-root uid/gid: deploy/kubernetes/cronjob.yaml uses the same numbers
# (runAsUser, runAsGroup, fsGroup). Change both together.
# /data is created and chowned BEFORE the VOLUME line: changes to a volume path
# after VOLUME are thrown away.
RUN groupadd --gid 10001 claude-backup \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app \
            --shell /usr/sbin/nologin claude-backup \
 && mkdir -p /data /app/routes \
 && chown 10001:10001 /data \
 && chmod 0700 /data

WORKDIR /app

# Owned by root and only readable by the user: the program cannot change itself.
COPY target/claude-backup.jar /app/claude-backup.jar
# The launcher: java -jar with the lean JVM options (C1 only, Serial GC, a small first heap, a class archive).
COPY bin/claude-backup /app/claude-backup
# The class archive (AppCDS) the launcher starts every run from, made here once, by a backup of the built-in
# demo account on loopback (no network, no key): each run then starts in about half the time and CPU.
ENV CLAUDE_BACKUP_CDS=/app/claude-backup.jsa
RUN /app/claude-backup --version > /dev/null && test -s /app/claude-backup.jsa
# The tool's own routes are inside the jar. /app/routes (created empty above) is
# for extra routes only: mount them there (the Kubernetes ConfigMap does). A copy
# of the shipped routes there would load each route twice and stop Camel.

USER 10001:10001

VOLUME ["/data"]

# Size the heap from the container's memory limit, not the host's memory.
# Kubernetes sets JAVA_TOOL_OPTIONS itself (cronjob.yaml); this is the default.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# Chat names become file names: they need a UTF-8 locale.
ENV LANG=C.UTF-8

# The launcher execs java (it is PID 1 and gets the signals); it adds -XX:+ExitOnOutOfMemoryError.
ENTRYPOINT ["/app/claude-backup", "--routes", "/app/routes"]
CMD ["/data"]
