CREATE TABLE orders (id INT PRIMARY KEY, tenant_id VARCHAR(20) NOT NULL, amount INT NOT NULL);
-- a view over the engine's function: it must exist before any session has used SQL
CREATE VIEW my_orders AS
  SELECT o.* FROM orders o JOIN (SELECT CURRENT_SESSION_VAR('tenant_id') AS t) s ON o.tenant_id = s.t;
