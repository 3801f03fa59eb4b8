-- Read models of the staff context (issue 8): teachers, assignments, mentorships.
-- A teacher's personal data is kept here only as the events hold it, sealed with the teacher's
-- own key (opened at read time by the service); an erasure drops it from the row.

create table teacher_list (
    tenant_id uuid not null,
    teacher_id uuid not null,
    school_id uuid not null,
    personal bytea,  -- sealed as in the events; null once erased
    gender text not null,
    birth_year integer not null,
    subjects text[] not null,
    title text,
    backbone_level text,
    posts text[] not null,
    registered_at timestamptz not null,
    left_on date,
    is_erased boolean not null,
    version integer not null,
    primary key (tenant_id, teacher_id),
    check (not is_erased or personal is null)
);
create index teacher_list_by_registration on teacher_list (tenant_id, registered_at, teacher_id);
create index teacher_list_by_school on teacher_list (tenant_id, school_id, registered_at);

create table assignment_list (
    tenant_id uuid not null,
    assignment_id uuid not null,
    kind text not null,
    teacher_id uuid not null,  -- who fills it now (or last)
    teacher_ids uuid[] not null,  -- everyone who filled it, first to last
    role text not null,
    from_school_id uuid not null,
    to_school_id uuid not null,
    host_posts text[] not null,
    starts_on date not null,
    planned_ends_on date not null,
    ended_on date,
    last_day date not null,  -- the early end, else the planned end
    community_id uuid,
    full_time boolean not null,
    personnel_relation text not null,
    party_relation text not null,
    eligibility_basis text,
    version integer not null,
    primary key (tenant_id, assignment_id)
);
create index assignment_list_recent on assignment_list (tenant_id, starts_on desc, assignment_id desc);
create index assignment_list_teachers on assignment_list using gin (teacher_ids);

create table mentorship_list (
    tenant_id uuid not null,
    mentorship_id uuid not null,
    mentor_id uuid not null,
    apprentice_id uuid not null,
    school_id uuid not null,
    starts_on date not null,
    planned_ends_on date not null,
    ended_on date,
    last_day date not null,
    lesson_ids uuid[] not null,
    version integer not null,
    primary key (tenant_id, mentorship_id)
);
create index mentorship_list_recent on mentorship_list (tenant_id, starts_on desc, mentorship_id desc);

do $$
declare
    t text;
begin
    foreach t in array array['teacher_list', 'assignment_list', 'mentorship_list']
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
