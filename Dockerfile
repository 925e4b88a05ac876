# Kinerja Ledger: one image for the HTTP service and the projection worker (docs/DEPLOY.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    LEDGER_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY ledger ./ledger
COPY projections ./projections
COPY api ./api
# The pinned versions of constraints.txt, the package itself without its development tools.
RUN pip install -c constraints.txt . \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin ledger \
    && mkdir -p /data && chown ledger /data && chmod 0700 /data

# The signing key, the token secret (and, without PostgreSQL, the SQLite store) live in /data.
VOLUME ["/data"]
USER ledger
EXPOSE 8000

HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

CMD ["ledger", "serve", "--host", "0.0.0.0", "--port", "8000"]
