-- Records are stored as the JSON text the store validated (json, not jsonb): a catalog write is
-- then one COPY and one upsert, with no binary conversion of every product, and the pull sends the
-- text out as is. Equality (an unchanged record keeps its version) compares that text.
ALTER TABLE records ALTER COLUMN data TYPE json USING data::json;
