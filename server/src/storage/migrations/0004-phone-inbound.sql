-- Phone calls: which way a call was dialled and how its phone leg progressed, every participant
-- leg (browser, phone, a human a transfer brought in), warnings kept for the operator, keypad
-- digits with each turn, and what LiveKit holds for each assigned number.

ALTER TABLE calls
  ADD COLUMN direction text CHECK (direction IN ('inbound', 'outbound')),
  ADD COLUMN phone_status text CHECK (phone_status IN
    ('dialing', 'ringing', 'answered', 'no_answer', 'busy', 'failed', 'completed'));

-- Returning phone callers are recognised by number, as web visitors are by their browser's id.
CREATE INDEX calls_caller_phone ON calls (tenant_id, (caller->>'phoneNumber'), started_at);

ALTER TABLE turns ADD COLUMN dtmf text CHECK (dtmf ~ '^[0-9*#A-D]{1,64}$');

-- One row per participant identity: the agent reports a leg again as it progresses.
CREATE TABLE call_legs (
  tenant_id text NOT NULL,
  call_id text NOT NULL,
  identity text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('web', 'phone', 'transfer')),
  phone_number text,
  direction text CHECK (direction IN ('inbound', 'outbound')),
  status text CHECK (status IN
    ('dialing', 'ringing', 'answered', 'no_answer', 'busy', 'failed', 'completed')),
  started_at timestamptz(3),
  ended_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, call_id, identity),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id) ON DELETE CASCADE
);

-- The same warning reported twice (a retried request) is kept once.
CREATE TABLE call_warnings (
  tenant_id text NOT NULL,
  call_id text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, call_id, code, message),
  FOREIGN KEY (tenant_id, call_id) REFERENCES calls (tenant_id, id) ON DELETE CASCADE
);

-- LiveKit's inbound trunk and dispatch rule for each assigned number, and who may reach it. The
-- digest password lives in the tenant's secrets under `auth_secret`, never here.
ALTER TABLE phone_numbers
  ADD COLUMN trunk_id text,
  ADD COLUMN dispatch_rule_id text,
  ADD COLUMN allowed_addresses jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN auth_username text,
  ADD COLUMN auth_secret text;
