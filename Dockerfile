# syntax=docker/dockerfile:1
# OpenComplaints container image (docs/deployment.md). Two stages: the first builds wheels for the project and
# every dependency (pinned by constraints.txt); the second installs them into a clean slim image with no compiler,
# no pip cache and no source tree, and runs as an unprivileged user.

FROM python:3.12-slim-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY opencomplaints ./opencomplaints
RUN pip wheel --no-cache-dir --wheel-dir /wheels --constraint constraints.txt .

FROM python:3.12-slim-bookworm AS runtime
# libpq for PostgreSQL tools (pg_dump for `opencomplaints backup`), fonts for PDF reports; nothing to build with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 opencomplaints \
    && useradd --system --uid 10001 --gid opencomplaints --home-dir /srv/opencomplaints --create-home opencomplaints \
    && mkdir -p /data/documents /backups \
    && chown -R opencomplaints:opencomplaints /data /backups
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels opencomplaints && rm -rf /wheels

ENV DJANGO_SETTINGS_MODULE=opencomplaints.config.settings.production \
    OPENCOMPLAINTS_DATA_DIR=/data \
    MEDIA_ROOT=/data/documents \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /srv/opencomplaints
USER opencomplaints:opencomplaints
EXPOSE 8000
VOLUME ["/data/documents", "/backups"]

# Liveness from inside the container: plain HTTP is exempt from the HTTPS redirect for /health/ only, and the
# request names the first of ALLOWED_HOSTS so Django accepts it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ['ALLOWED_HOSTS'].split(',')[0].strip(); urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/health/live', headers={'Host': host}), timeout=4)"]

CMD ["opencomplaints", "serve", "--host", "0.0.0.0", "--port", "8000", "--threads", "8"]
