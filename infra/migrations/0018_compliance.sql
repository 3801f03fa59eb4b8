-- Compliance as known now (issue 9 item 5), kept by the projection runner: one row per
-- community x rule x period (x school for a per-school rule), with its counted, excluded and
-- late records; and per county, the day its rows were judged as known on and by which
-- evaluation. A past day is answered by replay, not from here. Rebuilt with the read models.

create table compliance_results (
    tenant_id uuid not null,
    community_key text not null,  -- the community's id, or 'county' for a county-wide rule
    rule_id text not null,
    period text not null,  -- the result's period code
    school_key text not null,  -- the school's id for a per-school result, else ''
    community_id uuid,
    school_id uuid,
    starts_on date not null,
    ends_on date not null,
    version text not null,  -- the rule-set version that judged (id@number)
    title jsonb not null,  -- the rule's title {zh, en}
    status text not null,
    required integer not null,
    done integer not null,
    maximum integer,
    strictness text not null,
    points double precision not null,
    score double precision not null,
    assessor text not null,
    counted jsonb not null,  -- [{record_id, href}]
    excluded jsonb not null,  -- [{record_id, href, reason}]
    late jsonb not null,  -- [{record_id, href, days}]
    primary key (tenant_id, community_key, rule_id, period, school_key)
);
create index compliance_results_by_rule on compliance_results (tenant_id, rule_id, status);

create table compliance_judged (
    tenant_id uuid not null primary key,
    as_of date not null,  -- the day the rows are as known on (in JGT_TIMEZONE)
    judging integer not null,  -- the evaluation's version that judged them
    versions text[] not null,  -- the published rule-set versions known then (id@number)
    last_seq bigint not null  -- the county's last event they include
);

do $$
declare
    t text;
begin
    foreach t in array array['compliance_results', 'compliance_judged']
    loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format(
            'create policy tenant_isolation on %I using (tenant_id = jgt_current_tenant())'
            ' with check (tenant_id = jgt_current_tenant())', t);
        execute format('create policy system_read on %I for select to jgt_system using (true)', t);
        execute format('grant select on %I to jgt_app', t);
        execute format('grant select, insert, update, delete on %I to jgt_system', t);
    end loop;
end
$$;
