# One image for every Linesight service and worker; compose.yaml picks the command.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz0b fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
COPY shared ./shared
COPY services ./services
COPY config ./config
RUN uv sync --all-packages --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH" \
    LINESIGHT_ENVIRONMENT=production \
    LINESIGHT_VAR_DIR=/var/lib/linesight
ARG LINESIGHT_CODE_COMMIT=unknown
ENV LINESIGHT_CODE_COMMIT=${LINESIGHT_CODE_COMMIT}
EXPOSE 8101 8102 8103 8104
