-- Read models folded from the events by the projection runner (projections/), each county's
-- with its checkpoint. They can all be rebuilt from the events (`jgt projections rebuild`).

-- How far each projection has folded each county's log (the last tenant_seq applied).
create table projection_checkpoints (
    tenant_id uuid not null,
    projection text not null,
    last_seq bigint not null default 0,
    updated_at timestamptz not null default clock_timestamp(),
    primary key (tenant_id, projection)
);

create table school_list (
    tenant_id uuid not null,
    school_id uuid not null,
    name text not null,
    code text not null,
    stage text not null,
    location text not null,
    district text not null,
    closed_on date,
    version integer not null,
    primary key (tenant_id, school_id)
);
create index school_list_by_code on school_list (tenant_id, code, school_id);

create table community_roster (
    tenant_id uuid not null,
    community_id uuid not null,
    name text not null,
    type text not null,
    lead_school_id uuid not null,
    school_ids uuid[] not null,  -- the lead and every school that was ever a member
    stints jsonb not null,  -- [{school_id, joined_on, left_on}], oldest first
    starts_on date not null,
    ends_on date not null,
    dissolved_on date,
    version integer not null,
    primary key (tenant_id, community_id)
);
create index community_roster_by_start on community_roster (tenant_id, starts_on desc, community_id);
create index community_roster_schools on community_roster using gin (school_ids);

create table activity_list (
    tenant_id uuid not null,
    activity_id uuid not null,
    community_id uuid not null,
    kind text not null,
    title text not null,
    host_school_id uuid not null,
    school_ids uuid[] not null,  -- the host, then the participating schools
    held_on date not null,
    ends_on date,
    school_year text not null,
    term text not null check (term in ('autumn', 'spring', 'summer')),
    subjects text[] not null,
    mode text not null,
    is_void boolean not null,
    version integer not null,
    primary key (tenant_id, activity_id)
);
create index activity_list_recent on activity_list (tenant_id, held_on desc, activity_id desc);
create index activity_list_by_community
    on activity_list (tenant_id, community_id, held_on desc, activity_id desc);
create index activity_list_schools on activity_list using gin (school_ids);

-- Activities that count (not voided), by community, period and kind. `term` is 'summer' for
-- the August break, which belongs to a school year but to no semester.
create table activity_counts (
    tenant_id uuid not null,
    community_id uuid not null,
    school_year text not null,
    term text not null check (term in ('autumn', 'spring', 'summer')),
    kind text not null,
    count integer not null check (count >= 0),
    primary key (tenant_id, community_id, school_year, term, kind)
);

do $$
declare
    t text;
begin
    foreach t in array array['projection_checkpoints', 'school_list', 'community_roster',
                             'activity_list', 'activity_counts']
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

-- Events not yet folded, over every county: the one cross-county number /healthz reports.
-- A county counts with its slowest projection.
create function jgt_projection_lag(p_projections text[])
returns bigint
language sql stable security definer
set search_path = public, pg_temp
as $$
    select coalesce(sum(behind), 0)::bigint
    from (
        select max(h.last_seq - coalesce(c.last_seq, 0)) as behind
        from tenant_heads h
        cross join unnest(p_projections) as p (name)
        left join projection_checkpoints c
            on c.tenant_id = h.tenant_id and c.projection = p.name
        group by h.tenant_id
    ) as per_tenant
$$;
alter function jgt_projection_lag(text[]) owner to jgt_system;
revoke all on function jgt_projection_lag(text[]) from public;
grant execute on function jgt_projection_lag(text[]) to jgt_app;
