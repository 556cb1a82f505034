-- TechEmpower's World table: 10,000 rows, id 1..10000, randomnumber 1..10000; created and filled
-- on first start. IF NOT EXISTS and ON CONFLICT: a database that already has one keeps it.
CREATE TABLE IF NOT EXISTS world (
  id integer PRIMARY KEY,
  randomnumber integer NOT NULL
);
INSERT INTO world (id, randomnumber)
SELECT g, 1 + floor(random() * 10000)::integer FROM generate_series(1, 10000) AS g
ON CONFLICT (id) DO NOTHING;
