-- Read models of money (funding and subsidies, in fen) and commendations (issue 8).

create table money_entries (
    tenant_id uuid not null,
    entry_id uuid not null,
    kind text not null check (kind in ('funding', 'subsidy')),
    amount_fen bigint not null check (amount_fen > 0),
    school_id uuid not null,
    community_id uuid,
    teacher_id uuid,  -- a subsidy's person, by their id in the staff context
    month date check (extract(day from month) = 1),  -- a subsidy's month
    year integer not null,  -- the budget year (年度)
    paid_on date not null,
    is_reversed boolean not null,
    version integer not null,
    primary key (tenant_id, entry_id)
);
create index money_entries_by_day on money_entries (tenant_id, paid_on desc, entry_id desc);
create index money_entries_by_year on money_entries (tenant_id, year);

create table commendation_list (
    tenant_id uuid not null,
    commendation_id uuid not null,
    kind text not null check (kind in ('dispatched_teacher', 'community')),
    year integer not null,
    title text not null,
    teacher_id uuid,
    school_id uuid,
    community_id uuid,
    awarded_on date not null,
    is_revoked boolean not null,
    version integer not null,
    primary key (tenant_id, commendation_id)
);
create index commendation_list_by_day
    on commendation_list (tenant_id, awarded_on desc, commendation_id desc);

do $$
declare
    t text;
begin
    foreach t in array array['money_entries', 'commendation_list']
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
