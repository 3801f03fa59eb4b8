-- Read models of the assessment context (issue 9 item 6): rule-set versions as they stand, and
-- the bureau's assessments (computed and final grades), so their lists are paged by key.

create table rule_set_list (
    tenant_id uuid not null,
    stream_id uuid not null,  -- the version's stream, the API's id
    rule_set_id text not null,
    number integer not null,
    title_zh text not null,
    title_en text not null,
    county text not null,
    state text not null check (state in ('draft', 'validated', 'published')),
    template text not null,
    in_force_from date not null,
    in_force_to date,
    rule_ids text[] not null,
    drafted_at timestamptz not null,
    published_at timestamptz,
    version integer not null,
    primary key (tenant_id, stream_id)
);
create unique index rule_set_list_by_label on rule_set_list (tenant_id, rule_set_id, number);

create table assessment_list (
    tenant_id uuid not null,
    assessment_id uuid not null,
    community_id uuid not null,
    community_type text not null,
    school_year text not null,
    rule_set_id uuid not null,
    rule_set text not null,
    total integer,  -- hundredths of the computed 0-100 total
    computed_grade text,
    final_grade text,
    reason text not null,
    funding bigint,
    as_of date,  -- computed as known on this day; null for a record whose results were entered
    folded_seq bigint,
    recorded_at timestamptz not null,
    version integer not null,
    primary key (tenant_id, assessment_id)
);
create unique index assessment_list_by_year on assessment_list (tenant_id, school_year, community_id);

do $$
declare
    t text;
begin
    foreach t in array array['rule_set_list', 'assessment_list']
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
