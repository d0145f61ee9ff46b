# Production image for Ketenregie: web (gunicorn), worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system ketenregie && useradd --system --gid ketenregie --home /app ketenregie

COPY pyproject.toml ./
COPY config ./config
COPY partners ./partners
COPY casus ./casus
COPY audit ./audit
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./

RUN pip install .

# Static files are collected at build time with throw-away values: no secret is baked in.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    PSEUDONYM_KEYS=1:YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtYnVpbGQtb25seS0 \
    FIELD_ENCRYPTION_KEYS=1:YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtYnVpbGQtb25seS0 \
    python manage.py collectstatic --noinput

USER ketenregie
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
