-- The request rate limiters' counters (`src/http/rate-limiter.ts`), kept here so that several
-- server replicas count one limit together: a fixed window per limiter and key (a client address,
-- a persona, a room), restarted by the first hit after it has passed. Times are written by the
-- server's clock (`now` in the code), not the database's, so tests can move it; rows whose window
-- has passed count for nothing and are deleted now and then.
CREATE TABLE rate_limit_windows (
  limiter text NOT NULL,
  key text NOT NULL,
  window_start timestamptz(3) NOT NULL,
  hits integer NOT NULL CHECK (hits >= 1),
  PRIMARY KEY (limiter, key)
);
CREATE INDEX rate_limit_windows_start ON rate_limit_windows (limiter, window_start);
