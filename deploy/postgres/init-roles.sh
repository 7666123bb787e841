#!/usr/bin/env bash
# docker-entrypoint-initdb.d hook: one role per service (roles.sql), each with its password from
# RCP_PG_<SERVICE>_PASSWORD (defaults for local use only).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -f /rcp/roles.sql
for service in orchestrator discovery ledger flags quota; do
  var="RCP_PG_${service^^}_PASSWORD"
  password="${!var:-${service}pw}"
  psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
    -c "ALTER ROLE rcp_${service} PASSWORD '${password}'"
done
