-- A compliance result's records (counted, excluded, late) are kept as the JSON text the judge
-- wrote (`projections/assessment/compliance.py`), not as jsonb: nothing looks inside them in
-- the database, and parsing some 70,000 references a county-year was most of the database's
-- share of judging a county (a text column takes the same rows in a fifth of the time). The
-- list counts them by casting a page's rows (`compliance_queries.py`).
alter table compliance_results
    alter column counted type text using counted::text,
    alter column excluded type text using excluded::text,
    alter column late type text using late::text;
