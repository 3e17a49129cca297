-- Outbound phone calls: the carriers a tenant dials through, the numbers it must never dial, and
-- the rules every outbound dial is checked against first (destinations, calls at once).

-- LiveKit's outbound trunk for each of a tenant's carriers. The digest password lives in the
-- tenant's secrets under `auth_secret`, never here.
CREATE TABLE outbound_trunks (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  address text NOT NULL,
  numbers text[] NOT NULL CHECK (cardinality(numbers) >= 1),
  transport text NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')),
  auth_username text,
  auth_secret text,
  livekit_trunk_id text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE do_not_call (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  e164 text NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, e164)
);

-- A tenant without a row has the default policy: no destination allowed, 5 phone calls at once.
CREATE TABLE dial_policies (
  tenant_id text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  allowed_prefixes text[] NOT NULL,
  max_concurrent_phone_calls integer NOT NULL CHECK (max_concurrent_phone_calls >= 0),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

-- The concurrency guard counts a tenant's active phone calls before each dial.
CREATE INDEX calls_tenant_active_phone ON calls (tenant_id) WHERE status = 'active' AND channel = 'phone';
