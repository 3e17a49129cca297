-- Parley's schema. Every tenant-owned row carries tenant_id, and references between tenant-owned
-- rows include it, so a row can never point into another tenant's data.
-- Runs on PostgreSQL 15+ and on PGlite; keep to SQL both understand.
-- Timestamps keep milliseconds, like the JavaScript Dates that read them and the cursors built from them.

-- Lets the appointment exclusion constraint compare tenant_id (a plain btree type) inside GiST.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE tenants (
  id text PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each key is kept; the plaintext is shown once, when the key is created.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  scopes text[] NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  revoked_at timestamptz(3)
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at);

CREATE TABLE personas (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text NOT NULL,
  current_version integer NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- Each edit of a persona is a new row; versions are never updated or deleted on their own.
CREATE TABLE persona_versions (
  tenant_id text NOT NULL,
  persona_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  body jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, persona_id, version),
  FOREIGN KEY (tenant_id, persona_id) REFERENCES personas (tenant_id, id) ON DELETE CASCADE
);

-- Deferred: a persona and its first version are inserted in one transaction, in either order.
ALTER TABLE personas
  ADD CONSTRAINT personas_current_version_exists
  FOREIGN KEY (tenant_id, id, current_version)
  REFERENCES persona_versions (tenant_id, persona_id, version)
  DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE phone_numbers (
  e164 text PRIMARY KEY CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  persona_id text NOT NULL,
  label text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, persona_id) REFERENCES personas (tenant_id, id)
);
CREATE INDEX phone_numbers_tenant ON phone_numbers (tenant_id, e164);

CREATE TABLE calls (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  persona_id text NOT NULL,
  persona_version integer NOT NULL,
  channel text NOT NULL CHECK (channel IN ('web', 'phone')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  room_name text NOT NULL,
  participant_identity text,
  -- web: { id?, name? } of the visitor; phone: { phoneNumber?, name? } of the caller
  caller jsonb NOT NULL DEFAULT '{}',
  dialed_number text,
  variables jsonb NOT NULL DEFAULT '{}',
  started_at timestamptz(3) NOT NULL DEFAULT now(),
  ended_at timestamptz(3),
  duration_ms integer CHECK (duration_ms >= 0),
  outcome text CHECK (outcome IN ('completed', 'abandoned', 'transferred', 'failed')),
  summary text,
  lead_temperature text CHECK (lead_temperature IN ('hot', 'warm', 'cold')),
  cost_usd double precision CHECK (cost_usd >= 0),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, room_name),
  FOREIGN KEY (tenant_id, persona_id, persona_version)
    REFERENCES persona_versions (tenant_id, persona_id, version),
  CHECK ((status = 'ended') = (ended_at IS NOT NULL))
);
CREATE INDEX calls_tenant_started ON calls (tenant_id, started_at DESC, id DESC);
CREATE INDEX calls_tenant_persona ON calls (tenant_id, persona_id, started_at DESC);

CREATE TABLE turns (
  tenant_id text NOT NULL,
  call_id text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  -- Chosen by the writer (the agent), so a retried append finds the turn it already wrote.
  idempotency_key text NOT NULL,
  user_text text,
  agent_text text,
  interrupted boolean NOT NULL DEFAULT false,
  timings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (call_id, seq),
  UNIQUE (call_id, idempotency_key),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE tool_calls (
  tenant_id text NOT NULL,
  call_id text NOT NULL,
  turn_seq integer NOT NULL,
  position integer NOT NULL,
  name text NOT NULL,
  args jsonb NOT NULL DEFAULT '{}',
  result jsonb,
  error text,
  PRIMARY KEY (call_id, turn_seq, position),
  FOREIGN KEY (call_id, turn_seq) REFERENCES turns (call_id, seq) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE consent_receipts (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  call_id text NOT NULL,
  text_version text NOT NULL,
  accepted_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (call_id, text_version),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE leads (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  call_id text,
  name text,
  email text,
  phone text,
  company text,
  notes text,
  temperature text CHECK (temperature IN ('hot', 'warm', 'cold')),
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id)
);
CREATE INDEX leads_tenant_created ON leads (tenant_id, created_at DESC, id DESC);

CREATE TABLE appointments (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  call_id text,
  lead_id text,
  starts_at timestamptz(3) NOT NULL,
  ends_at timestamptz(3) NOT NULL,
  name text NOT NULL,
  email text,
  phone text,
  notes text,
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  cancelled_at timestamptz(3),
  CHECK (ends_at > starts_at),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id),
  FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id),
  -- No two booked appointments of one tenant overlap, however many servers book at once.
  CONSTRAINT appointments_no_double_booking EXCLUDE USING gist (
    tenant_id WITH =,
    tstzrange(starts_at, ends_at) WITH &&
  ) WHERE (status = 'booked')
);
CREATE INDEX appointments_tenant_starts ON appointments (tenant_id, starts_at);

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  disabled_at timestamptz(3),
  UNIQUE (tenant_id, id)
);

-- The outbox: a delivery is written with the event, so it survives a restart until it is sent.
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  endpoint_id text NOT NULL,
  -- Stable per event: receivers deduplicate on it, and one event reaches an endpoint once.
  event_id text NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
  last_error text,
  last_status_code integer,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  delivered_at timestamptz(3),
  UNIQUE (endpoint_id, event_id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, created_at DESC);
