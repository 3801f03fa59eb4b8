-- Read models keyed by a question (not by stream), and counties whose events cannot be folded.

-- What the school-month count remembers of each action: where it counts (its own checkpoint,
-- `school_months`, covers this table too).
create table school_month_activities (
    tenant_id uuid not null,
    activity_id uuid not null,
    school_ids uuid[] not null,  -- the host, then the participating schools
    month date not null,  -- the first day of the month of the action's first day
    is_void boolean not null,
    primary key (tenant_id, activity_id)
);

-- Actions each school took part in, by month, across communities.
create table school_months (
    tenant_id uuid not null,
    school_id uuid not null,
    month date not null check (extract(day from month) = 1),
    school_year text not null,
    term text not null check (term in ('autumn', 'spring', 'summer')),
    count integer not null check (count > 0),
    primary key (tenant_id, school_id, month)
);
create index school_months_by_year on school_months (tenant_id, school_year, term);

-- A county whose event could not be folded: the runner stops there (the events before it are
-- folded), retries with a growing delay, and removes the row once it folds past it.
create table projection_parked (
    tenant_id uuid not null,
    position bigint not null,  -- the tenant_seq of the event that could not be folded
    error text not null,
    parked_at timestamptz not null default clock_timestamp(),
    last_tried_at timestamptz not null default clock_timestamp(),
    attempts integer not null default 1,
    primary key (tenant_id)
);

do $$
declare
    t text;
begin
    foreach t in array array['school_month_activities', 'school_months', 'projection_parked']
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

-- How current each county's read models are: what the caller may see of it (row-level
-- security decides: one county on the request path, every county for the system role).
create function jgt_projection_status(p_projections text[])
returns table (tenant_id uuid, name text, head bigint, folded bigint, parked_position bigint,
               parked_error text, parked_at timestamptz, attempts integer)
language sql stable
set search_path = public, pg_temp
as $$
    select h.tenant_id, t.name, h.last_seq, min(coalesce(c.last_seq, 0)),
           p.position, p.error, p.parked_at, p.attempts
    from tenant_heads h
    join tenants t using (tenant_id)
    cross join unnest(p_projections) as n (projection)
    left join projection_checkpoints c
        on c.tenant_id = h.tenant_id and c.projection = n.projection
    left join projection_parked p on p.tenant_id = h.tenant_id
    where not t.is_platform
    group by h.tenant_id, t.name, t.created_at, h.last_seq, p.position, p.error, p.parked_at,
             p.attempts
    order by t.created_at, h.tenant_id
$$;
grant execute on function jgt_projection_status(text[]) to jgt_app, jgt_system;

-- The operator's view of every county's status: the same question across tenants.
create function jgt_projection_status_all(p_projections text[])
returns table (tenant_id uuid, name text, head bigint, folded bigint, parked_position bigint,
               parked_error text, parked_at timestamptz, attempts integer)
language sql stable security definer
set search_path = public, pg_temp
as $$
    select * from jgt_projection_status(p_projections)
$$;
alter function jgt_projection_status_all(text[]) owner to jgt_system;
revoke all on function jgt_projection_status_all(text[]) from public;
grant execute on function jgt_projection_status_all(text[]) to jgt_app;
