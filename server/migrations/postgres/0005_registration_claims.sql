-- A registration now claims its place before it is judged and gives it back
-- when it fails, so a parallel burst cannot pass the limit: the place needs
-- an id.
ALTER TABLE registrations ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
