-- Legs were listed by created_at, which keeps milliseconds: two legs added within one
-- millisecond came back in identity order instead of the order they were added (seen on
-- PostgreSQL). A counter keeps that order exactly; rows already there are numbered as stored.
ALTER TABLE call_legs ADD COLUMN added bigint GENERATED ALWAYS AS IDENTITY;
