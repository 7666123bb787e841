-- One PostgreSQL role per service, owning only its own schema (ARCHITECTURE.md invariant 10).
-- Run once per database as a superuser, then give each role a password:
--   psql "$ADMIN_URL/rollout" -f deploy/postgres/roles.sql
--   psql "$ADMIN_URL/rollout" -c "ALTER ROLE rcp_orchestrator PASSWORD '…'"      (one per service)
-- and start each service with DATABASE_URL=postgres://rcp_<token>:<password>@host/rollout.
-- A role can use (and create objects in) its own schema only: no USAGE on the others, nothing in
-- public, and it is no superuser, so another service's tables are refused ("permission denied").
-- Idempotent: safe to run again.

REVOKE ALL ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE
  service text;
BEGIN
  FOREACH service IN ARRAY ARRAY['orchestrator', 'discovery', 'ledger', 'flags', 'quota'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rcp_' || service) THEN
      EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', 'rcp_' || service);
    END IF;
    -- CONNECT only: the schema exists (created here), and the chassis creates a schema only when
    -- it is missing (libs/persistence/src/database.ts), so no role can create others.
    EXECUTE format('REVOKE CREATE ON DATABASE %I FROM %I', current_database(), 'rcp_' || service);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), 'rcp_' || service);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, 'rcp_' || service);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', service, 'rcp_' || service);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', service);
    EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', 'rcp_' || service, current_database(), service);
  END LOOP;
END
$$;

-- Nobody but its owner may connect to the database by default.
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
