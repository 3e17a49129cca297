-- What the agent's tools and the widget's consent step need: stored secrets for webhook tools,
-- provisional closes, consent given before the call exists, LiveKit participant events, and
-- idempotency keys for the leads and appointments the agent writes.

-- Values webhook tools put in headers (`{{secret.NAME}}`) and sign requests with. They are
-- never answered by the API.
CREATE TABLE secrets (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,63}$'),
  value text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);

-- LiveKit's room_finished close is provisional: turns the agent spooled during an outage may
-- still arrive, and the agent's own close replaces it. Calls ended before this column existed
-- keep their close as final.
ALTER TABLE calls ADD COLUMN closed_by text CHECK (closed_by IN ('agent', 'livekit'));
UPDATE calls SET closed_by = 'agent' WHERE status = 'ended';
ALTER TABLE calls
  ADD CONSTRAINT calls_closed_by_iff_ended CHECK ((status = 'ended') = (closed_by IS NOT NULL));

-- Consent accepted in the widget, keyed by the room the session was issued for: the call does
-- not exist yet. Moved into consent_receipts when the agent creates the room's call.
CREATE TABLE session_consents (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  room_name text NOT NULL,
  persona_id text NOT NULL,
  text_version text NOT NULL,
  text text NOT NULL,
  accepted_at timestamptz(3) NOT NULL,
  visitor_id text,
  origin text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, room_name)
);
CREATE INDEX session_consents_created ON session_consents (tenant_id, created_at);

ALTER TABLE consent_receipts
  ADD COLUMN text text,
  ADD COLUMN visitor_id text,
  ADD COLUMN origin text;

-- Participants joining and leaving a call's room. Keyed by room, not call: LiveKit reports the
-- visitor (or SIP caller) joining before the agent has created the call. LiveKit's event id
-- makes a redelivered webhook store nothing new.
CREATE TABLE call_events (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  event_id text NOT NULL,
  room_name text NOT NULL,
  type text NOT NULL CHECK (type IN ('participant_joined', 'participant_left')),
  identity text NOT NULL,
  kind text NOT NULL,
  at timestamptz(3) NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX call_events_room ON call_events (tenant_id, room_name, at);

-- Chosen by the agent per tool call, so a retried capture or booking writes nothing new.
-- Rows without a key (NULL) never collide.
ALTER TABLE leads ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX leads_call_key ON leads (tenant_id, call_id, idempotency_key);
ALTER TABLE appointments ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX appointments_call_key ON appointments (tenant_id, call_id, idempotency_key);
