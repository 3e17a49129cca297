-- What several server replicas behind one load balancer must agree on, kept here rather than in
-- one process's memory: which agent workers are alive with how many calls, the call slots taken
-- by sessions no worker has reported yet, and the LiveKit webhook events already received.
-- Times are written by the server's clock (`now` in the code), not the database's, so tests can
-- move it; rows older than their window count for nothing and are deleted now and then.

-- Each agent worker's last heartbeat; its load only when it reports one (older workers do not).
CREATE TABLE agent_workers (
  worker_id text PRIMARY KEY,
  seen_at timestamptz(3) NOT NULL,
  active_jobs integer CHECK (active_jobs >= 0),
  max_jobs integer CHECK (max_jobs >= 1),
  CHECK ((active_jobs IS NULL) = (max_jobs IS NULL))
);

-- A call slot held by an admitted session (web visitor, phone caller, outbound call) until a
-- worker reports one more call or the hold runs out. Ended oldest first: `id` orders holds
-- admitted within one millisecond.
CREATE TABLE admission_holds (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  admitted_at timestamptz(3) NOT NULL
);
CREATE INDEX admission_holds_oldest ON admission_holds (admitted_at, id);

-- LiveKit webhook event ids received within the replay window: the same event sent again, to
-- any replica, is refused.
CREATE TABLE livekit_webhook_events (
  event_id text PRIMARY KEY,
  received_at timestamptz(3) NOT NULL
);
CREATE INDEX livekit_webhook_events_received ON livekit_webhook_events (received_at);
