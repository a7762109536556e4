-- the seed script of SeedScriptTest: a temporary table with two rows, and a session variable
CREATE TEMPORARY TABLE items (id INT PRIMARY KEY, name VARCHAR(40));
INSERT INTO items VALUES (1, 'first; with a semicolon'), (2, 'second');
SET SESSION tenant = 'acme';
