-- Outbound campaigns and scheduled calls. The schedule lives here, not in a process's memory: a
-- server restart loses no contact, and replicas take a tenant's dials one at a time under the
-- tenant's lock. Times are written by the server's clock (`now` in the code), so tests can move it.

CREATE TABLE campaigns (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text NOT NULL,
  persona_id text NOT NULL,
  trunk text,
  from_number text,
  -- { timeZone, weekly: [{ day, open, close }] }; NULL: the persona's calling hours
  calling_window jsonb,
  max_concurrent_calls integer NOT NULL CHECK (max_concurrent_calls >= 1),
  -- { retryOn, retryAfterSeconds, maxAttempts }
  retry_policy jsonb NOT NULL,
  ring_timeout_seconds integer NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'running', 'paused', 'cancelled', 'completed')),
  created_at timestamptz(3) NOT NULL,
  started_at timestamptz(3),
  completed_at timestamptz(3),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaigns_running ON campaigns (status) WHERE status = 'running';

CREATE TABLE campaign_contacts (
  tenant_id text NOT NULL,
  campaign_id text NOT NULL,
  id text NOT NULL,
  -- the order contacts were given in
  position integer NOT NULL,
  name text,
  e164 text NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  variables jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN
    ('pending', 'calling', 'completed', 'retry_scheduled', 'exhausted', 'skipped')),
  skip_reason text,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3),
  -- the call of the attempt in progress (status `calling`)
  current_call_id text,
  last_outcome text,
  updated_at timestamptz(3) NOT NULL,
  PRIMARY KEY (tenant_id, campaign_id, id),
  UNIQUE (tenant_id, campaign_id, e164),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE,
  CHECK ((status = 'calling') = (current_call_id IS NOT NULL))
);
CREATE INDEX campaign_contacts_due ON campaign_contacts (tenant_id, campaign_id, status, next_attempt_at);

-- One row per dial: an ordinary call record, linked to its campaign and contact.
CREATE TABLE campaign_attempts (
  tenant_id text NOT NULL,
  call_id text NOT NULL,
  campaign_id text NOT NULL,
  contact_id text NOT NULL,
  attempt integer NOT NULL CHECK (attempt >= 1),
  started_at timestamptz(3) NOT NULL,
  outcome text CHECK (outcome IN ('answered', 'no_answer', 'busy', 'failed')),
  PRIMARY KEY (tenant_id, call_id),
  UNIQUE (tenant_id, campaign_id, contact_id, attempt),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id, contact_id)
    REFERENCES campaign_contacts (tenant_id, campaign_id, id) ON DELETE CASCADE
);

-- Single outbound calls at a given time: asked through the API, appointment reminders, and
-- callbacks a caller asked for.
CREATE TABLE scheduled_calls (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('api', 'reminder', 'callback')),
  persona_id text NOT NULL,
  e164 text NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  run_at timestamptz(3) NOT NULL,
  status text NOT NULL CHECK (status IN ('scheduled', 'placed', 'cancelled', 'failed')),
  from_number text,
  trunk text,
  variables jsonb NOT NULL DEFAULT '{}',
  ring_timeout_seconds integer NOT NULL,
  call_id text,
  error text,
  appointment_id text,
  requested_in_call_id text,
  created_at timestamptz(3) NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX scheduled_calls_due ON scheduled_calls (run_at) WHERE status = 'scheduled';
