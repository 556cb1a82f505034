# Stand-in for the official postgres:15 image (see docker/offline-images.sh): Debian's PostgreSQL 15,
# with the official image's contract: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB make the
# role and database on first start, the cluster lives in /var/lib/postgresql/data, the command is
# `postgres [flags]`, run as the postgres user; pg_isready for a healthcheck.
FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
CMD ["postgres"]
