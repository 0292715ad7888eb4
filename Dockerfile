FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY newsarchive ./newsarchive
COPY migrations ./migrations
RUN pip install -e . && useradd --system --home /app newsarchive && mkdir -p /app/data && chown newsarchive /app/data
USER newsarchive
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)" || exit 1
CMD ["newsarchive", "serve", "--host", "0.0.0.0", "--port", "8000"]
