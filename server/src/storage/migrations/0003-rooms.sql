-- Tenants on the public routes: which tenant each LiveKit room belongs to. LiveKit's webhooks
-- name only the room, and a web visitor joins it before the agent creates its call.

-- Every room a web session was issued for, with the tenant of its persona.
CREATE TABLE rooms (
  room_name text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Rooms nobody issued a session for (phone calls) are found through their call.
CREATE INDEX calls_room ON calls (room_name);
